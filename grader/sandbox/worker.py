"""The sandbox process: start Spark, then answer probe requests until told to exit.

Started by ``grader.sandbox.client.Sandbox`` as ``python -m grader.sandbox.worker``;
requests and replies travel on two inherited pipe descriptors, never on stdout.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.sandbox.errors import describe
from grader.sandbox.protocol import ProtocolError, read_message, write_message


def _forget_project(root: Path) -> None:
    """Drop the grader's own checkout from the import path before student code runs."""
    sys.path[:] = [p for p in sys.path if p and Path(p).resolve() != root]
    for name in list(sys.modules):
        if name.split(".")[0] in {"solutions", "fixtures", "tests"}:
            del sys.modules[name]


def apply_limits(*, memory_mb: int, log_bytes: int) -> None:
    """Bound this process once Spark runs (the JVM, already started, is not affected).

    Memory: the address space may grow by ``memory_mb``; past it, allocations raise
    MemoryError in the submission's code. Output: past ``log_bytes`` writes to the
    log fail instead of filling the disk.
    """
    size = _address_space()
    if memory_mb > 0 and size:
        limit = size + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))
    if log_bytes > 0:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (log_bytes, resource.RLIM_INFINITY))


def _address_space() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def serve(fd_in: int, fd_out: int, master: str, *, memory_mb: int = 0, log_bytes: int = 0) -> int:
    from grader.sandbox.hygiene import conf_snapshot, restore
    from grader.sandbox.loading import load_module
    from grader.spark.session import build_session

    spark = build_session(master=master, app_name="grader-sandbox")
    baseline = conf_snapshot(spark)
    apply_limits(memory_mb=memory_mb, log_bytes=log_bytes)
    write_message(fd_out, {"op": "ready", "spark_version": spark.version, "pid": os.getpid()})
    modules: dict[str, ModuleType] = {}
    while True:
        try:
            request = read_message(fd_in)
        except ProtocolError:
            return 0
        if request.get("op") == "exit":
            return 0
        if request.get("op") == "many":
            alive = _serve_many(spark, modules, baseline, request, fd_out)
            if not alive:
                return 3
            continue
        started = time.monotonic()
        reply: dict[str, Any] = {"token": request.get("token"), "ok": True}
        try:  # "load": import one module of the submission; probes come as "many"
            name = request["params"]["module"]
            modules[name] = load_module(name, Path(request["params"]["path"]))
            reply["result"] = {
                "functions": sorted(n for n, v in vars(modules[name]).items() if callable(v))
            }
        except BaseException as exc:  # noqa: BLE001 - every failure is a result
            reply["ok"] = False
            reply["error"] = describe(exc)
        reply["health"] = restore(spark, baseline)
        reply["duration"] = time.monotonic() - started
        sys.stdout.flush()
        write_message(fd_out, reply)
        if not reply["health"]["spark_alive"]:
            return 3


def _run_one(
    spark: Any, modules: dict[str, ModuleType], op: str, params: dict[str, Any]
) -> dict[str, Any]:
    """One probe in a session of its own (own conf, temp views and queries, shared context).

    Concurrent probes therefore cannot see each other's temp views or settings; what
    the probe changed in its session is reported, then the session is dropped.
    """
    from grader.sandbox.hygiene import close_probe_session, conf_snapshot
    from grader.sandbox.probes import PROBES

    started = time.monotonic()
    reply: dict[str, Any] = {"ok": True}
    session = None
    before: dict[str, str] = {}
    try:
        session = spark.newSession()
        before = conf_snapshot(session)
        # The active session is per thread; student code may look it up.
        session._jvm.SparkSession.setActiveSession(session._jsparkSession)
        reply["result"] = PROBES[op](session, modules, params)
    except BaseException as exc:  # noqa: BLE001 - every failure is a result
        reply["ok"] = False
        reply["error"] = describe(exc)
    if session is not None:
        reply["session"] = close_probe_session(session, before)
    reply["duration"] = time.monotonic() - started
    return reply


def _serve_many(
    spark: Any,
    modules: dict[str, ModuleType],
    baseline: dict[str, str],
    request: dict[str, Any],
    fd_out: int,
) -> bool:
    """Run several probes of one blank concurrently; reply to each as it finishes.

    The probes of one request all exercise the same blank, so whatever one of them
    does to the session is that blank's doing; hygiene runs once, when all are done.
    """
    from grader.sandbox.hygiene import restore

    token = request.get("token")
    probes = request["params"]["requests"]
    lock = threading.Lock()
    threads_before = {t.ident for t in threading.enumerate() if t.ident is not None}
    conf_changed: dict[str, Any] = {}

    def work(index: int) -> None:
        reply = _run_one(spark, modules, probes[index]["op"], probes[index]["params"])
        reply.update(token=token, index=index)
        conf_changed.update(reply.get("session", {}).get("conf_changed", {}))
        sys.stdout.flush()
        with lock:
            write_message(fd_out, reply)

    concurrency = max(1, int(request["params"].get("concurrency", 2)))
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="probe") as pool:
        list(pool.map(work, range(len(probes))))
    health = restore(spark, baseline, threads_before)
    health["conf_changed"] = {**conf_changed, **health.get("conf_changed", {})}
    with lock:
        write_message(fd_out, {"token": token, "done": True, "health": health})
    return bool(health["spark_alive"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grader-sandbox")
    parser.add_argument("--in", dest="fd_in", type=int, required=True)
    parser.add_argument("--out", dest="fd_out", type=int, required=True)
    parser.add_argument("--master", default="local[*]")
    parser.add_argument("--project-root", type=Path, default=None)
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--log-bytes", type=int, default=0)
    args = parser.parse_args(argv)
    if args.project_root is not None:
        _forget_project(args.project_root.resolve())
    return serve(
        args.fd_in, args.fd_out, args.master, memory_mb=args.memory_mb, log_bytes=args.log_bytes
    )


if __name__ == "__main__":
    sys.exit(main())
