"""Run the real ``__main__.py`` under Pulumi mocks with a stack file as its configuration.

Every registered resource is recorded with its type, name, inputs and parent URN; every export
is resolved together with whether it is secret. Invokes are answered from a table keyed by
token, and an unknown token fails the run loudly instead of returning an empty answer.
"""

import asyncio
import json
import runpy
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Mapping, Optional

import pulumi
import yaml
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.config import set_all_config

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "registry-lab"

# token -> function(args) -> result, for invokes; type -> function(inputs) -> extra state.
InvokeTable = Mapping[str, Callable[[Mapping[str, Any]], Dict[str, Any]]]
ComputedTable = Mapping[str, Callable[[str, Mapping[str, Any]], Dict[str, Any]]]


class UnknownInvoke(AssertionError):
    pass


@dataclass
class Recorded:
    type: str
    name: str
    inputs: Dict[str, Any]
    state: Dict[str, Any]
    custom: bool = True
    urn: str = ""
    parent: str = ""
    # URNs the resource was registered as depending on (depends_on and input dependencies).
    dependencies: list = field(default_factory=list)


@dataclass
class StackRun:
    resources: list = field(default_factory=list)
    outputs: Dict[str, Any] = field(default_factory=dict)
    secret_outputs: set = field(default_factory=set)
    invokes: list = field(default_factory=list)

    def of_type(self, type_: str) -> list:
        return [resource for resource in self.resources if resource.type == type_]

    def one(self, type_: str) -> Recorded:
        found = self.of_type(type_)
        assert len(found) == 1, f"expected one {type_}, found {[r.name for r in found]}"
        return found[0]

    def component(self) -> Recorded:
        components = [resource for resource in self.resources if not resource.custom]
        assert len(components) == 1, f"expected one component, found {components}"
        return components[0]


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self, run: StackRun, invokes: InvokeTable, computed: ComputedTable):
        self.run = run
        self.invokes = invokes
        self.computed = computed
        # Registrations run on several threads at once; each thread remembers its own record.
        self.this_thread = threading.local()

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        state = dict(args.inputs)
        extra = self.computed.get(args.typ)
        if extra is not None:
            state.update(extra(args.name, args.inputs))
        recorded = Recorded(args.typ, args.name, dict(args.inputs), state, args.custom)
        self.run.resources.append(recorded)
        self.this_thread.recorded = recorded
        return state.get("id", f"{args.name}-id"), state

    def call(self, args: pulumi.runtime.MockCallArgs):
        answer = self.invokes.get(args.token)
        if answer is None:
            raise UnknownInvoke(f"the program invoked {args.token}, which the mocks do not know")
        self.run.invokes.append((args.token, dict(args.args)))
        return answer(args.args)


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """Keeps each registration's URN and parent, which MockResourceArgs does not carry."""

    def __init__(self, mocks: RecordingMocks):
        super().__init__(mocks)
        self.recording = mocks

    def RegisterResource(self, request):
        # The last record of the whole run may belong to another thread's registration.
        self.recording.this_thread.recorded = None
        response = super().RegisterResource(request)
        recorded = self.recording.this_thread.recorded
        if recorded is not None:
            recorded.urn = response.urn
            recorded.parent = request.parent
            recorded.dependencies = list(request.dependencies)
        return response


def stack_config(stack_file: Path) -> Dict[str, str]:
    """A stack file's config as the CLI hands it over: every value a string."""
    document = yaml.safe_load(stack_file.read_text()) or {}
    config = {}
    for key, value in (document.get("config") or {}).items():
        config[key] = value if isinstance(value, str) else json.dumps(value)
    return config


def run_program(
    stack: str,
    invokes: InvokeTable,
    computed: Optional[ComputedTable] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    removals: tuple = (),
    secret_keys: tuple = (),
) -> StackRun:
    """Run ``__main__.py`` with ``stacks/Pulumi.<stack>.yaml`` plus overrides, under mocks."""
    config = stack_config(ROOT / "stacks" / f"Pulumi.{stack}.yaml")
    for key in removals:
        config.pop(key, None)
    for key, value in (overrides or {}).items():
        config[key] = value if isinstance(value, str) else json.dumps(value)

    run = StackRun()
    mocks = RecordingMocks(run, invokes, computed or {})
    _reset_runtime()
    set_all_config(config, list(secret_keys))
    pulumi.runtime.set_mocks(
        mocks, project=PROJECT, stack=stack, preview=False, monitor=RecordingMonitor(mocks)
    )
    try:
        runpy.run_path(str(ROOT / "__main__.py"), run_name="__main__")
        run.outputs, run.secret_outputs = _resolve_exports()
    finally:
        _reset_runtime()
    return run


def _resolve_exports():
    root = pulumi_settings.get_root_resource()
    loop = asyncio.get_event_loop()
    values, secrets = {}, set()
    for key, value in root.outputs.items():
        output = pulumi.Output.from_input(value)
        values[key] = loop.run_until_complete(output.future())
        if loop.run_until_complete(output.is_secret()):
            secrets.add(key)
    loop.run_until_complete(pulumi.runtime.stack.wait_for_rpcs())
    return values, secrets


def _reset_runtime():
    pulumi_settings.reset_options()
    set_all_config({}, [])
