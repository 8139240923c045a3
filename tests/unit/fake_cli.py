"""A stand-in container CLI for unit tests: it records each call and answers as told.

Written into a test's tmp_path as an executable; ``answers.json`` beside it maps a subcommand
(``login``, ``push`` ...) to {"rc", "stderr", "stdout"}, and ``--version`` prints ``version``.
"""

import json
import stat
import sys

SCRIPT = """#!{python}
import json, os, sys
here = {here!r}
answers = json.load(open(os.path.join(here, "answers.json")))
stdin = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
with open(os.path.join(here, "calls.jsonl"), "a") as log:
    log.write(json.dumps({{"argv": sys.argv[1:], "stdin": stdin,
                          "environ": dict(os.environ)}}) + "\\n")
command = sys.argv[1] if len(sys.argv) > 1 else ""
if command == "--version":
    print(answers.get("version", "podman version 4.3.1"))
    sys.exit(0)
answer = answers.get(command, {{}})
sys.stdout.write(answer.get("stdout", ""))
sys.stderr.write(answer.get("stderr", ""))
sys.exit(answer.get("rc", 0))
"""


class FakeCli:
    def __init__(self, folder, version="podman version 4.3.1"):
        self.folder = folder
        self.path = folder / "fake-cli"
        self.path.write_text(SCRIPT.format(python=sys.executable, here=str(folder)))
        self.path.chmod(self.path.stat().st_mode | stat.S_IEXEC)
        self.answers = {"version": version}
        self._save()

    def answer(self, command, rc=0, stderr="", stdout=""):
        self.answers[command] = {"rc": rc, "stderr": stderr, "stdout": stdout}
        self._save()

    def calls(self):
        log = self.folder / "calls.jsonl"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]

    def commands(self):
        return [call["argv"] for call in self.calls() if call["argv"] != ["--version"]]

    def _save(self):
        (self.folder / "answers.json").write_text(json.dumps(self.answers))
