"""registry-lab: one private container registry and its pull-only identity per stack.

Read the stack's settings, build the registry of its cloud, export the login contract.
"""

import pulumi

from registry_lab.clouds import cloud_module
from registry_lab.config.reader import ConfigReader
from registry_lab.exports import export_contract


def lookup(full_key: str):
    namespace, _, name = full_key.partition(":")
    return pulumi.Config(namespace).get(name)


reader = ConfigReader(lookup)
cloud = cloud_module(reader)
settings = cloud.read_settings(reader)
contract = cloud.build(settings)
export_contract(contract)
