"""The exported contract has exactly contract.py's keys, in its order, credentials secret."""

import pulumi

from registry_lab.contract import CONTRACT_KEYS, SECRET_KEYS
from registry_lab.exports import LoginContract, contract_key


def a_contract() -> LoginContract:
    return LoginContract(
        cloud="local",
        registry_host="127.0.0.1:5000",
        repository_url="127.0.0.1:5000/demo",
        image_ref="127.0.0.1:5000/demo:v1",
        login_command="docker login 127.0.0.1:5000",
        details={},
        push_identity={"method": "basic"},
        pull_only_identity={"method": "basic"},
    )


def test_exported_keys_are_the_contract_keys_in_order():
    assert tuple(a_contract().as_exports()) == CONTRACT_KEYS


def test_credentials_are_exported_as_outputs_and_nothing_else_is():
    exports = a_contract().as_exports()

    wrapped = [key for key, value in exports.items() if isinstance(value, pulumi.Output)]
    assert wrapped == list(SECRET_KEYS)
    assert exports["registryHost"] == "127.0.0.1:5000"
    assert exports["pullOnlyIdentity"] == {"method": "basic"}


def test_a_field_name_becomes_its_camel_case_key():
    assert contract_key("pull_only_credentials") == "pullOnlyCredentials"
    assert contract_key("cloud") == "cloud"
