"""Length-prefixed JSON messages over a pair of dedicated pipes.

The pipes are not stdin/stdout: whatever the submission prints goes to a log
file, so printed text can never be mistaken for a reply. Each request carries a
random token that its reply must echo.
"""

from __future__ import annotations

import json
import os
import select
import struct
import time
from typing import Any

_HEADER = struct.Struct(">I")
MAX_MESSAGE = 64 * 1024 * 1024


class ProtocolError(RuntimeError):
    """The other side closed the pipe or sent something that is not a message."""


def write_message(fd: int, message: dict[str, Any]) -> None:
    payload = json.dumps(message, ensure_ascii=False, default=str).encode("utf-8")
    data = _HEADER.pack(len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply in time")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                raise TimeoutError("no reply in time")
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise ProtocolError("the other side closed the pipe")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_message(fd: int, timeout: float | None = None) -> dict[str, Any]:
    """Read one message; ``TimeoutError`` after ``timeout`` seconds without one."""
    deadline = None if timeout is None else time.monotonic() + timeout
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    if size > MAX_MESSAGE:
        raise ProtocolError(f"message of {size} bytes exceeds the limit")
    message = json.loads(_read_exact(fd, size, deadline).decode("utf-8"))
    if not isinstance(message, dict):
        raise ProtocolError("a message must be a JSON object")
    return message
