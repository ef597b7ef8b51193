"""Batch progress on standard error: a redrawn bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 28
TICK = 1.0  # seconds between redraws of the bar
HEARTBEAT = 60.0  # seconds between "still grading" lines when not on a terminal


def duration_text(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class Progress:
    """Counts graded submissions; shows count, rate and ETA. Thread-safe."""

    def __init__(self, *, total: int, stream: TextIO, tty: bool | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        self.total = total
        self.stream = stream
        self.tty = _isatty(stream) if tty is None else tty
        self.clock = clock or time.monotonic
        self.done = 0
        self.running: set[str] = set()
        self.started = self.clock()
        self._last_line = self.started
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def start(self) -> None:
        self.started = self._last_line = self.clock()
        self._ticker = threading.Thread(target=self._tick, name="batch-progress", daemon=True)
        self._ticker.start()
        with self._lock:
            self._draw()

    def begin(self, submission_id: str) -> None:
        with self._lock:
            self.running.add(submission_id)

    def finish(self, submission_id: str, outcome: str) -> None:
        with self._lock:
            self.running.discard(submission_id)
            self.done += 1
            if self.tty:
                self._write("\r\x1b[K" + f"{submission_id}: {outcome}\n")
                self._draw()
            else:
                self._write(f"[{self.done}/{self.total}] {submission_id}: {outcome}"
                            f" | {self._rate_eta()}\n")
                self._last_line = self.clock()

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=5)
        with self._lock:
            if self.tty:
                self._draw()
                self._write("\n")

    def status(self) -> str:
        """``8/20  40%  1.3/min  ETA 9m12s``: the numbers the bar and the lines show."""
        share = self.done / self.total if self.total else 1.0
        return f"{self.done}/{self.total} {round(100 * share):3d}%  {self._rate_eta()}"

    def _rate_eta(self) -> str:
        elapsed = self.clock() - self.started
        if self.done == 0 or elapsed <= 0:
            return f"elapsed {duration_text(elapsed)}, ETA unknown"
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate
        return f"{rate * 60:.1f}/min, elapsed {duration_text(elapsed)}, ETA {duration_text(eta)}"

    def _draw(self) -> None:
        if not self.tty:
            return
        share = self.done / self.total if self.total else 1.0
        filled = round(BAR_WIDTH * share)
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        self._write(f"\r\x1b[K[{bar}] {self.status()}")

    def _tick(self) -> None:
        interval = TICK if self.tty else HEARTBEAT
        while not self._stop.wait(TICK):
            with self._lock:
                if self.tty:
                    self._draw()
                elif self.clock() - self._last_line >= interval and self.running:
                    names = ", ".join(sorted(self.running))
                    self._write(f"[{self.done}/{self.total}] still grading {names}"
                                f" | {self._rate_eta()}\n")
                    self._last_line = self.clock()

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False
