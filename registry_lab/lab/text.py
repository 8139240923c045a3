"""Turning free text (a tool's stderr, an error's message) into one line for a report."""


def one_line(text: object) -> str:
    """``text`` with every run of whitespace, newlines included, made one space."""
    return " ".join(str(text).split())


def first_line(text: str) -> str:
    """The first line of ``text`` that is not blank, stripped; "" when there is none."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[0] if lines else ""
