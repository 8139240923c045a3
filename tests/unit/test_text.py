"""Free text made into one line for a report."""

from registry_lab.lab.text import first_line, one_line


def test_one_line_joins_lines_and_runs_of_spaces_with_one_space():
    assert one_line("HTTPSConnectionPool:\n  Max retries\texceeded ") == (
        "HTTPSConnectionPool: Max retries exceeded")


def test_first_line_is_the_first_that_is_not_blank():
    assert first_line("\n   \n  error: stack not found  \nmore\n") == "error: stack not found"
    assert first_line("") == ""
    assert first_line(None) == ""
