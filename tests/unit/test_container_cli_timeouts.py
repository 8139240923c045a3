"""Every container-CLI call has a time limit: a registry that never answers cannot hang the lab."""

import os
import stat
import sys
import time

import pytest

from registry_lab.lab import container_cli, exit_codes, failures
from registry_lab.lab.container_cli import ContainerCli, Timeouts
from registry_lab.lab.login import RegistryLogin
from tests.unit.silent_server import SilentServer

# A CLI whose every call connects to the registry and waits for its answer, like a login does;
# it starts a helper too, which must die with it. Both write their pid first.
HANGING_CLI = """#!{python}
import os, socket, subprocess, sys
here = {here!r}
if sys.argv[1:] == ["--version"]:
    print("podman version 4.3.1")
    sys.exit(0)
helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
with open(os.path.join(here, "pids"), "w") as pids:
    pids.write(f"{{os.getpid()}} {{helper.pid}}")
connection = socket.create_connection(("127.0.0.1", {port}))
connection.recv(1)
"""


def hanging_cli(folder, port):
    path = folder / "hanging-cli"
    path.write_text(HANGING_CLI.format(python=sys.executable, here=str(folder), port=port))
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as status:
            return status.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_a_login_to_a_registry_that_never_answers_is_stopped_as_unreachable(tmp_path):
    with SilentServer() as server:
        cli = ContainerCli(str(hanging_cli(tmp_path, server.port)), Timeouts(short=1.0))
        started = time.monotonic()

        with pytest.raises(failures.Unreachable) as error:
            cli.login(RegistryLogin(f"127.0.0.1:{server.port}", "pusher", "pw"))

        elapsed = time.monotonic() - started
        assert server.accepted, "the CLI never reached the server"

    assert error.value.exit_code == exit_codes.UNREACHABLE
    assert str(error.value) == (f"login to 127.0.0.1:{server.port}: {cli.program} did not "
                                "finish within 1 s and was stopped (REGISTRY_LAB_LOGIN_TIMEOUT "
                                "sets the limit): the registry did not answer")
    assert elapsed < 10
    pids = [int(pid) for pid in (tmp_path / "pids").read_text().split()]
    time.sleep(0.2)
    assert [pid for pid in pids if alive(pid)] == []


def test_a_push_gets_the_transfer_limit_not_the_login_limit(tmp_path):
    with SilentServer() as server:
        cli = ContainerCli(str(hanging_cli(tmp_path, server.port)),
                           Timeouts(short=0.5, transfer=1.5))
        started = time.monotonic()

        with pytest.raises(failures.Unreachable,
                           match=r"within 1\.5 s .*REGISTRY_LAB_TRANSFER_TIMEOUT"):
            cli.push("127.0.0.1:1/registry-lab/demo:v1")

    assert time.monotonic() - started >= 1.5


def test_a_local_call_that_hangs_is_a_cli_failure(tmp_path):
    with SilentServer() as server:
        cli = ContainerCli(str(hanging_cli(tmp_path, server.port)), Timeouts(short=0.5))

        with pytest.raises(failures.CliFailed, match="did not finish within 0.5 s"):
            cli.tag("demo:v1", "127.0.0.1:1/registry-lab/demo:v1")


def test_the_limits_come_from_the_environment_with_generous_defaults():
    assert container_cli.timeouts_from({}) == Timeouts(short=60.0, transfer=600.0)
    assert container_cli.timeouts_from({"REGISTRY_LAB_LOGIN_TIMEOUT": "5",
                                        "REGISTRY_LAB_TRANSFER_TIMEOUT": "90.5"}) == Timeouts(
        short=5.0, transfer=90.5)


@pytest.mark.parametrize("value", ["0", "-3", "soon", "nan", "inf", "1e9"])
def test_a_limit_that_is_not_a_positive_number_of_seconds_is_a_bad_setting(value):
    with pytest.raises(failures.BadSetting) as error:
        container_cli.timeouts_from({"REGISTRY_LAB_LOGIN_TIMEOUT": value})

    assert error.value.exit_code == exit_codes.USAGE
    assert str(error.value).startswith(f"REGISTRY_LAB_LOGIN_TIMEOUT={value!r}: it must be")


def test_a_bad_limit_in_the_environment_fails_the_step_with_one_line(tmp_path, monkeypatch,
                                                                     capsys):
    from registry_lab.lab import cli
    from tests.unit.fake_cli import FakeCli
    monkeypatch.setenv("REGISTRY_LAB_LOGIN_TIMEOUT", "soon")

    code = cli.main(["build", "--cli", str(FakeCli(tmp_path).path)])

    assert code == exit_codes.USAGE
    assert "error: REGISTRY_LAB_LOGIN_TIMEOUT='soon': it must be" in capsys.readouterr().err
    assert os.environ["REGISTRY_LAB_LOGIN_TIMEOUT"] == "soon"


@pytest.mark.parametrize("command", ["login", "push", "check-read-only", "run"])
def test_a_bad_limit_is_one_line_and_exit_2_before_any_step_runs_the_cli(
        command, tmp_path, monkeypatch, capsys):
    import json
    from registry_lab.lab import cli
    from tests.unit.fake_cli import FakeCli
    from tests.unit.lab_doubles import local_contract
    fake = FakeCli(tmp_path)
    named = {"local-a": local_contract(5000), "local-b": local_contract(5001)}
    for contract in named.values():
        contract["details"] = {}
    contracts = tmp_path / "contracts.json"
    contracts.write_text(json.dumps(named))
    for variable in ("DOCKERHUB_NAMESPACE", "DOCKERHUB_TOKEN", "DOCKERHUB_USERNAME"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("REGISTRY_LAB_TRANSFER_TIMEOUT", "-1")

    code = cli.main([command, "--contracts", str(contracts), "--cli", str(fake.path)])

    errors = [line for line in capsys.readouterr().err.splitlines()
              if line.startswith("error: ")]
    assert code == exit_codes.USAGE
    assert errors == ["error: REGISTRY_LAB_TRANSFER_TIMEOUT='-1': it must be a number of "
                      "seconds above 0 and at most 86400"]
    assert fake.calls() == [], f"{command} ran the CLI with a bad limit"


def test_a_bad_limit_stops_offline_down_before_it_touches_anything(tmp_path, monkeypatch,
                                                                    capsys):
    from registry_lab.lab import cli
    from tests.unit.fake_cli import FakeCli
    fake = FakeCli(tmp_path)
    workdir = tmp_path / "lab"
    workdir.mkdir()
    monkeypatch.setenv("REGISTRY_LAB_LOGIN_TIMEOUT", "soon")

    code = cli.main(["offline", "down", "--workdir", str(workdir), "--cli", str(fake.path)])

    assert code == exit_codes.USAGE
    assert capsys.readouterr().err.splitlines() == [
        "error: REGISTRY_LAB_LOGIN_TIMEOUT='soon': it must be a number of seconds above 0 and "
        "at most 86400"]
    assert workdir.exists()
    assert fake.calls() == []
