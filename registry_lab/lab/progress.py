"""Progress for people: one line per step and registry on stderr, so stdout stays the result."""

import sys
from typing import Optional, TextIO


class Progress:
    def __init__(self, stream: Optional[TextIO] = None):
        self._stream = stream

    def step(self, step: str, registry: str, message: str) -> None:
        # sys.stderr is looked up on each line: it may have been replaced since.
        stream = self._stream or sys.stderr
        stream.write(f"[{step}] {registry}: {message}\n")
        stream.flush()
