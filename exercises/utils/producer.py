"""TCP producer of fake credit-card transactions for the streaming lecture.

The producer is the *server*: it listens on ``--hostname:--port``, accepts exactly
one client (Spark's ``socket`` source), then sends one JSON object per line::

    {"name": "John", "surname": "Jones", "amount": "736.56", "delta_t": "3.14", "flag": 0}

``amount`` and ``delta_t`` are strings with two decimals, as in the course's
original producer (use ``--numeric`` to send numbers instead). It stops when the
client closes the connection or after ``--count`` messages.

Run it as ``python exercises/utils/producer.py --hostname localhost`` or as
``python -m exercises.utils.producer``.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import random
import socket
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

NAMES: tuple[str, ...] = ("John", "Jill", "Andy", "Alice")
SURNAMES: tuple[str, ...] = ("Jones", "Johnson", "Millers", "Smith", "Darby")
FLAG_WEIGHTS: tuple[float, float] = (0.8, 0.2)  # weights of flag 0 and flag 1
DEFAULT_HOST = "localhost"
DEFAULT_PORT = 5555
DEFAULT_RATE = 10.0  # messages per second: one every 0.1 s


def make_message(rng: random.Random, *, numeric: bool = False) -> dict[str, Any]:
    """Draw one transaction; keys are name, surname, amount, delta_t, flag."""
    name = rng.choice(NAMES)
    surname = rng.choice(SURNAMES)
    amount = rng.uniform(0, 1000)
    delta_t = rng.uniform(0, 10)
    flag = rng.choices((0, 1), weights=FLAG_WEIGHTS)[0]
    if numeric:
        return {"name": name, "surname": surname, "amount": round(amount, 2),
                "delta_t": round(delta_t, 2), "flag": flag}
    return {"name": name, "surname": surname, "amount": f"{amount:.2f}",
            "delta_t": f"{delta_t:.2f}", "flag": flag}


def encode(message: dict[str, Any]) -> str:
    """Serialise one message as a single JSON line (without the trailing newline)."""
    return json.dumps(message)


def generate(
    *, seed: int | None = None, count: int | None = None, numeric: bool = False
) -> Iterator[str]:
    """Yield encoded messages; the same ``seed`` gives the same lines, ``count=None`` is endless."""
    rng = random.Random(seed)
    indices = itertools.count() if count is None else range(count)
    for _ in indices:
        yield encode(make_message(rng, numeric=numeric))


def read_replay(path: str) -> Iterator[str]:
    """Yield the lines of a UTF-8 file without their line terminators (empty lines kept)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield line[:-1] if line.endswith("\n") else line


def _bind(host: str, port: int) -> socket.socket:
    """Create a listening socket on ``host:port``, preferring IPv4 (what Spark dials first)."""
    infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                               flags=socket.AI_PASSIVE)
    infos.sort(key=lambda info: info[0] != socket.AF_INET)
    family, *_, sockaddr = infos[0]
    return socket.create_server(sockaddr[:2], family=family, backlog=1)


def serve(
    lines: Iterable[str],
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    rate: float = DEFAULT_RATE,
    on_listening: Callable[[int], None] | None = None,
    on_connected: Callable[[Any], None] | None = None,
) -> int:
    """Serve ``lines`` (newline-terminated, UTF-8) to one client; return how many were sent.

    ``port=0`` picks a free port, reported to ``on_listening(port)``. ``rate`` is in
    messages per second (``0`` = as fast as possible). Returns when ``lines`` is
    exhausted (the connection is then closed cleanly) or the client disconnects.
    """
    if rate < 0:
        raise ValueError(f"rate must be >= 0, got {rate}")
    interval = 1.0 / rate if rate > 0 else 0.0
    sent = 0
    with _bind(host, port) as server:
        if on_listening is not None:
            on_listening(server.getsockname()[1])
        conn, address = server.accept()
        with conn:
            if on_connected is not None:
                on_connected(address)
            next_due = time.monotonic()
            try:
                for line in lines:
                    if interval:
                        delay = next_due - time.monotonic()
                        if delay > 0:
                            time.sleep(delay)
                        next_due = max(next_due + interval, time.monotonic())
                    conn.sendall(line.encode("utf-8") + b"\n")
                    sent += 1
            except ConnectionError:  # broken pipe / reset: the client went away
                return sent
            with contextlib.suppress(OSError):  # the client may be gone already
                conn.shutdown(socket.SHUT_WR)
    return sent


def _non_negative(kind: type[int] | type[float]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = kind(text)
        if value < 0:
            raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its error messages
    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="producer.py",
        description="Listen on a TCP socket, accept ONE client (e.g. Spark's socket source) "
        "and send it fake transactions, one JSON object per line. Exits when the client "
        "disconnects or after --count messages.",
    )
    parser.add_argument("--hostname", default=DEFAULT_HOST,
                        help="interface to listen on (default: %(default)s)")
    parser.add_argument("--port", type=_non_negative(int), default=DEFAULT_PORT,
                        help="port to listen on; 0 picks a free one, printed in the "
                        "'listening on' line (default: %(default)s)")
    parser.add_argument("--rate", type=_non_negative(float), default=DEFAULT_RATE,
                        help="messages per second, 0 = as fast as possible "
                        "(default: %(default)s, i.e. one every 0.1 s)")
    parser.add_argument("--count", metavar="N", type=_non_negative(int), default=None,
                        help="stop after N messages and close the connection "
                        "(default: unlimited)")
    parser.add_argument("--seed", metavar="N", type=int, default=None,
                        help="random seed: the same seed sends the same messages")
    parser.add_argument("--numeric", action="store_true",
                        help="send amount and delta_t as JSON numbers rounded to 2 decimals "
                        "instead of strings such as \"736.56\"")
    parser.add_argument("--replay", metavar="FILE", default=None,
                        help="send the lines of FILE (UTF-8) verbatim, one per message, in "
                        "order, then close; --seed and --numeric are then ignored")
    parser.add_argument("--quiet", action="store_true",
                        help="do not print the progress lines on stderr (errors are still printed)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    def log(text: str) -> None:
        if not args.quiet:
            print(text, file=sys.stderr, flush=True)

    def on_listening(port: int) -> None:
        shown = f"[{args.hostname}]" if ":" in args.hostname else args.hostname
        log(f"listening on {shown}:{port}")

    def on_connected(address: Any) -> None:
        log(f"client connected from {address[0]}:{address[1]}")

    if args.replay is not None:
        try:
            open(args.replay, encoding="utf-8").close()
        except OSError as exc:
            print(f"producer.py: error: cannot read --replay file: {exc}", file=sys.stderr)
            return 2
        lines: Iterable[str] = read_replay(args.replay)
        if args.count is not None:
            lines = itertools.islice(lines, args.count)
    else:
        lines = generate(seed=args.seed, count=args.count, numeric=args.numeric)
    try:
        sent = serve(lines, host=args.hostname, port=args.port, rate=args.rate,
                     on_listening=on_listening, on_connected=on_connected)
    except KeyboardInterrupt:
        return 130
    except (OSError, UnicodeDecodeError) as exc:
        print(f"producer.py: error: {exc}", file=sys.stderr)
        return 1
    log(f"done: sent {sent} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
