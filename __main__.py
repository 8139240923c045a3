"""registry-lab: one private container registry and its pull-only identity per stack.

Check the stack's keys, read its settings, build the registry of its cloud, export the login
contract. Every check runs before the first resource is registered.
"""

from registry_lab.clouds import CLOUD_KEY, cloud_module
from registry_lab.config.engine import engine_config, lookup
from registry_lab.config.plain_keys import refuse_secret_plain_keys
from registry_lab.config.project_keys import refuse_other_clouds_keys, refuse_undeclared_keys
from registry_lab.config.reader import ConfigReader
from registry_lab.exports import export_contract

stack_config = engine_config()
refuse_undeclared_keys(stack_config)

reader = ConfigReader(lookup)
cloud = cloud_module(reader)
refuse_secret_plain_keys(stack_config, cloud.PLAIN_KEYS)
refuse_other_clouds_keys(stack_config, reader.text(CLOUD_KEY), cloud.KEYS)

settings = cloud.read_settings(reader)
contract = cloud.build(settings)
export_contract(contract)
