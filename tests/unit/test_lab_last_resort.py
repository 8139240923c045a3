"""An unexpected error in a lab command is one line and its own exit code, never a traceback."""

from registry_lab.lab import cli, exit_codes
from registry_lab.lab.commands import options

SECRET = "quoted-by-a-bug-7781"


def test_an_unexpected_error_is_one_line_with_the_internal_code(monkeypatch, capsys):
    def broken(stacks, files):
        raise KeyError(SECRET)

    monkeypatch.setattr(options.contracts, "load", broken)

    code = cli.main(["compare", "--contracts", "x.json"])

    error = capsys.readouterr().err
    assert code == exit_codes.INTERNAL == 70
    assert code not in (exit_codes.OK, exit_codes.DIFFERS)
    assert error == ("error: the lab stopped on an unexpected KeyError at "
                     "test_lab_last_resort.py:11; this is a bug in the lab: please report it "
                     "with the command you ran\n")
    assert SECRET not in error
    assert exit_codes.MEANINGS[code] == "the lab stopped on an unexpected error (a bug in the lab)"
