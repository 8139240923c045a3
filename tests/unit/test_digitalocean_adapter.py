"""The docker-config login adapter: DigitalOcean's exported credentials become a login."""

import base64
import json

import pytest

from registry_lab.lab.adapters import ADAPTERS, digitalocean, login_for
from registry_lab.lab.login import PULL_ONLY, PUSH, LoginError

HOST = "registry.digitalocean.com"
TOKEN = "dop_v1_" + "c3" * 32
IDENTITY = {"method": "docker-config"}


def encoded(text):
    return base64.b64encode(text.encode()).decode()


def config_with(auths):
    return {"dockerConfigJson": json.dumps({"auths": auths})}


def login(credentials):
    return digitalocean.login(HOST, IDENTITY, credentials)


def test_password_comes_from_the_auth_of_the_registry_host():
    credentials = config_with({HOST: {"auth": encoded(f"{TOKEN}:{TOKEN}")}})

    result = login(credentials)

    assert (result.host, result.password) == (HOST, TOKEN)


def test_docr_login_carries_a_fixed_user_name_instead_of_the_token():
    # DOCR repeats the token as the user name; a user name may end up in argv.
    credentials = config_with({HOST: {"auth": encoded(f"{TOKEN}:{TOKEN}")}})

    result = login(credentials)

    assert result.username == "registry-lab"
    assert TOKEN not in repr(result)


def test_other_hosts_keep_the_user_name_of_their_docker_config():
    other = "registry.example.test"
    credentials = config_with({other: {"auth": encoded("lab-user:lab-password")}})

    result = digitalocean.login(other, IDENTITY, credentials)

    assert (result.host, result.username, result.password) == (
        other, "lab-user", "lab-password"
    )


def test_a_password_containing_colons_is_kept_whole():
    credentials = config_with({HOST: {"auth": encoded("lab@example.com:part:two")}})

    assert login(credentials).password == "part:two"


def test_only_the_entry_of_the_contracts_host_is_used():
    credentials = config_with({
        "ghcr.io": {"auth": encoded("someone:other-token")},
        HOST: {"auth": encoded(f"lab@example.com:{TOKEN}")},
    })

    assert login(credentials).password == TOKEN


def test_an_entry_written_with_its_https_scheme_names_the_same_host():
    credentials = config_with({f"https://{HOST}": {"auth": encoded(f"lab@example.com:{TOKEN}")}})

    result = login(credentials)

    assert (result.host, result.password) == (HOST, TOKEN)


def test_an_entry_with_username_and_password_fields_is_read_as_well():
    credentials = config_with({HOST: {"username": "lab@example.com", "password": TOKEN}})

    assert login(credentials).password == TOKEN


def test_a_config_already_parsed_into_an_object_is_accepted():
    credentials = {"dockerConfigJson": {"auths": {HOST: {"auth": encoded(f"u:{TOKEN}")}}}}

    assert login(credentials).password == TOKEN


def test_a_config_without_an_entry_for_the_host_names_the_hosts_it_has():
    credentials = config_with({"ghcr.io": {"auth": encoded(f"someone:{TOKEN}")}})

    with pytest.raises(LoginError) as error:
        login(credentials)

    assert str(error.value) == (
        f"{HOST}: the docker config has no auth for {HOST} (it has: ghcr.io)"
    )
    assert TOKEN not in str(error.value)


def test_malformed_json_is_reported_without_echoing_the_secret():
    credentials = {"dockerConfigJson": '{"auths": {"%s": {"auth": "%s"}' % (HOST, TOKEN)}

    with pytest.raises(LoginError) as error:
        login(credentials)

    message = str(error.value)
    assert message.startswith(f"{HOST}: the dockerConfigJson credentials are not valid JSON (")
    assert TOKEN not in message


def test_an_auth_that_is_not_base64_is_reported_without_echoing_it():
    credentials = config_with({HOST: {"auth": TOKEN + "!"}})

    with pytest.raises(LoginError) as error:
        login(credentials)

    assert str(error.value) == f"{HOST}: the auth for {HOST} is not base64 of user:password"


def test_an_auth_without_a_user_and_password_pair_is_refused():
    credentials = config_with({HOST: {"auth": encoded(TOKEN)}})

    with pytest.raises(LoginError) as error:
        login(credentials)

    assert str(error.value) == f"{HOST}: the auth for {HOST} does not decode to user:password"
    assert TOKEN not in str(error.value)


def test_a_config_without_auths_is_refused():
    with pytest.raises(LoginError) as error:
        login({"dockerConfigJson": json.dumps({"credsStore": "desktop"})})

    assert str(error.value) == f'{HOST}: the docker config has no "auths" object'


def test_missing_credentials_are_refused():
    with pytest.raises(LoginError) as error:
        login(None)

    assert str(error.value) == (
        f"{HOST}: docker-config login needs credentials with a dockerConfigJson"
    )


def test_docker_config_is_the_login_method_this_adapter_serves():
    assert ADAPTERS["docker-config"] is digitalocean.login


def test_login_for_uses_each_roles_own_credentials():
    contract = {
        "registryHost": HOST,
        "pushIdentity": IDENTITY,
        "pullOnlyIdentity": IDENTITY,
        "pushCredentials": config_with({HOST: {"auth": encoded("u:read-write-token")}}),
        "pullOnlyCredentials": config_with({HOST: {"auth": encoded("u:read-only-token")}}),
    }

    assert login_for(contract, PUSH).password == "read-write-token"
    assert login_for(contract, PULL_ONLY).password == "read-only-token"
