"""Progress for people: one line per step and registry on stderr, so stdout stays the result."""

import sys
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO = sys.stderr):
        self._stream = stream

    def step(self, step: str, registry: str, message: str) -> None:
        self._stream.write(f"[{step}] {registry}: {message}\n")
        self._stream.flush()
