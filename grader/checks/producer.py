"""Start the course's producer on 127.0.0.1 (trusted side) to feed ``socket_source``."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.sandbox.client import PROJECT_ROOT

PRODUCER = PROJECT_ROOT / "exercises" / "utils" / "producer.py"
_PORT = re.compile(r"listening on \S+:(\d+)")


@contextmanager
def replaying(messages: Path, *, timeout: float = 30.0) -> Iterator[int]:
    """Serve the lines of ``messages`` to one client; yields the port."""
    process = subprocess.Popen(
        [
            sys.executable,
            str(PRODUCER),
            "--hostname",
            "127.0.0.1",
            "--port",
            "0",
            "--rate",
            "0",
            "--replay",
            str(messages),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + timeout
        port = None
        while port is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            match = _PORT.search(line)
            port = int(match.group(1)) if match else None
        if port is None:
            raise RuntimeError("the producer did not start listening")
        yield port
    finally:
        process.kill()
        process.wait(timeout=10)
