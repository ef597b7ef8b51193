"""Tests of the TCP producer, over real sockets on 127.0.0.1 (no Spark needed)."""

from __future__ import annotations

import json
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from exercises.utils import producer

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "exercises" / "utils" / "producer.py"
KEYS = ["name", "surname", "amount", "delta_t", "flag"]
NAMES = {"John", "Jill", "Andy", "Alice"}
SURNAMES = {"Jones", "Johnson", "Millers", "Smith", "Darby"}
TWO_DECIMALS = re.compile(r"^\d+\.\d{2}$")
LISTENING = re.compile(r"listening on (\S+):(\d+)$")
TIMEOUT = 10.0


class Producer:
    """A producer subprocess whose stderr lines are collected by a thread."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(SCRIPT), "--hostname", "127.0.0.1", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.stderr: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.put(line.rstrip("\n"))

    def next_stderr_line(self) -> str:
        try:
            return self.stderr.get(timeout=TIMEOUT)
        except queue.Empty:
            pytest.fail(f"no stderr line from the producer within {TIMEOUT} s")

    def port(self) -> int:
        match = LISTENING.search(self.next_stderr_line())
        assert match, "the first stderr line must be 'listening on host:port'"
        port = int(match.group(2))
        assert port > 0
        return port

    def connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port()), timeout=TIMEOUT)
        sock.settimeout(TIMEOUT)
        return sock

    def wait(self) -> int:
        return self.proc.wait(timeout=TIMEOUT)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=TIMEOUT)


@pytest.fixture
def start() -> Iterator[Callable[..., Producer]]:
    started: list[Producer] = []

    def _start(*args: str) -> Producer:
        prod = Producer("--port", "0", *args)
        started.append(prod)
        return prod

    yield _start
    for prod in started:
        prod.kill()


def read_all(sock: socket.socket) -> bytes:
    """Read until the producer closes the connection."""
    chunks = []
    with sock:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def fetch(start: Callable[..., Producer], *args: str) -> list[str]:
    """Run a producer to completion and return the lines it sent (it must exit 0)."""
    prod = start(*args)
    data = read_all(prod.connect())
    assert prod.wait() == 0
    assert data == b"" or data.endswith(b"\n"), "every message must end with a newline"
    return data.decode("utf-8").split("\n")[:-1]


def parse(line: str) -> dict[str, object]:
    pairs = json.loads(line, object_pairs_hook=lambda items: items)
    assert [key for key, _ in pairs] == KEYS
    return dict(pairs)


def test_count_lines_and_exit_zero(start: Callable[..., Producer]) -> None:
    lines = fetch(start, "--count", "25", "--seed", "1", "--rate", "0")
    assert len(lines) == 25


def test_count_zero_sends_nothing(start: Callable[..., Producer]) -> None:
    assert fetch(start, "--count", "0", "--rate", "0") == []


def test_default_messages_use_two_decimal_strings(start: Callable[..., Producer]) -> None:
    lines = fetch(start, "--count", "200", "--seed", "3", "--rate", "0")
    assert len(lines) == 200
    for line in lines:
        msg = parse(line)
        assert msg["name"] in NAMES and msg["surname"] in SURNAMES
        for key, upper in (("amount", 1000), ("delta_t", 10)):
            value = msg[key]
            assert isinstance(value, str) and TWO_DECIMALS.match(value), (key, value)
            assert 0 <= float(value) <= upper
        assert type(msg["flag"]) is int and msg["flag"] in (0, 1)
    assert {parse(line)["flag"] for line in lines} == {0, 1}


def test_numeric_sends_numbers(start: Callable[..., Producer]) -> None:
    lines = fetch(start, "--count", "200", "--seed", "3", "--rate", "0", "--numeric")
    assert len(lines) == 200
    for line in lines:
        msg = parse(line)
        for key, upper in (("amount", 1000), ("delta_t", 10)):
            value = msg[key]
            assert isinstance(value, int | float) and not isinstance(value, bool), (key, value)
            assert 0 <= value <= upper and round(value, 2) == value
        assert type(msg["flag"]) is int and msg["flag"] in (0, 1)


def test_same_seed_same_lines_other_seed_differs(start: Callable[..., Producer]) -> None:
    first = fetch(start, "--count", "30", "--seed", "42", "--rate", "0")
    again = fetch(start, "--count", "30", "--seed", "42", "--rate", "0")
    other = fetch(start, "--count", "30", "--seed", "43", "--rate", "0")
    assert len(first) == 30
    assert first == again
    assert first != other


def test_flag_frequency_is_about_one_in_five(start: Callable[..., Producer]) -> None:
    lines = fetch(start, "--count", "2000", "--seed", "7", "--rate", "0")
    flags = [parse(line)["flag"] for line in lines]
    assert len(flags) == 2000
    assert 0.15 <= sum(flags) / len(flags) <= 0.25  # sd is about 0.009


def test_replay_sends_file_lines_verbatim(
    start: Callable[..., Producer], tmp_path: Path
) -> None:
    lines = [
        '{"name": "José", "surname": "Núñez", "amount": "12.50", "delta_t": "0.30", "flag": 1}',
        "this is not JSON",
        "",
        '{"name": "Jill", "surname": "Darby", "amount": 1.5, "delta_t": 2, "flag": 0}',
    ]
    path = tmp_path / "replay.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    prod = start("--replay", str(path), "--rate", "0")
    data = read_all(prod.connect())
    assert prod.wait() == 0
    assert data == path.read_bytes()
    assert data.decode("utf-8").split("\n")[:-1] == lines


def test_exits_when_client_closes_early(start: Callable[..., Producer]) -> None:
    prod = start("--seed", "5", "--rate", "200")  # unlimited count
    with prod.connect() as sock:
        reader = sock.makefile("rb")
        received = [reader.readline() for _ in range(3)]
        reader.close()
    assert all(line.endswith(b"\n") for line in received)
    assert prod.wait() == 0


def test_default_rate_is_about_ten_per_second(start: Callable[..., Producer]) -> None:
    prod = start("--count", "6", "--seed", "1")
    sock = prod.connect()
    began = time.monotonic()
    data = read_all(sock)
    elapsed = time.monotonic() - began
    assert data.count(b"\n") == 6
    assert elapsed >= 0.4, f"6 messages at 10/s take 0.5 s, got {elapsed:.3f} s"
    assert prod.wait() == 0


def test_rate_option_sets_the_pace(start: Callable[..., Producer]) -> None:
    prod = start("--count", "4", "--seed", "1", "--rate", "5")
    sock = prod.connect()
    began = time.monotonic()
    data = read_all(sock)
    elapsed = time.monotonic() - began
    assert data.count(b"\n") == 4
    assert elapsed >= 0.5, f"4 messages at 5/s take 0.6 s, got {elapsed:.3f} s"
    assert prod.wait() == 0


def test_stderr_reports_listening_and_connection(start: Callable[..., Producer]) -> None:
    prod = start("--count", "1", "--rate", "0")
    port = prod.port()
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        assert "connect" in prod.next_stderr_line()
        assert sock.recv(65536).endswith(b"\n")
    assert prod.wait() == 0


def test_help_exits_zero_and_documents_options() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"],
        capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert result.returncode == 0
    for option in ("--replay", "--hostname", "--port", "--rate", "--count", "--seed",
                   "--numeric", "--quiet"):
        assert option in result.stdout


def test_runs_as_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "exercises.utils.producer", "--help"],
        capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT,
    )
    assert result.returncode == 0 and "--replay" in result.stdout


def test_negative_rate_is_rejected() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--rate", "-1"],
        capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert result.returncode == 2 and "--rate" in result.stderr


# --- the Python API, in process ----------------------------------------------------


def test_generate_is_deterministic_and_matches_encode() -> None:
    lines = list(producer.generate(seed=11, count=50))
    assert lines == list(producer.generate(seed=11, count=50))
    assert len(lines) == 50
    assert all(parse(line)["name"] in NAMES for line in lines)
    message = {"name": "John", "surname": "Jones", "amount": "1.00", "delta_t": "2.00",
               "flag": 0}
    assert json.loads(producer.encode(message)) == message
    assert "\n" not in producer.encode(message)


def test_serve_in_process_reports_port_and_returns_count() -> None:
    ports: queue.Queue[int] = queue.Queue()
    result: list[int] = []
    thread = threading.Thread(
        target=lambda: result.append(producer.serve(
            ["a", "b", "ç"], host="127.0.0.1", port=0, rate=0, on_listening=ports.put)),
        daemon=True,
    )
    thread.start()
    port = ports.get(timeout=TIMEOUT)
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        data = read_all(sock)
    thread.join(timeout=TIMEOUT)
    assert not thread.is_alive()
    assert data == "a\nb\nç\n".encode()
    assert result == [3]
