"""The sandbox process: start Spark, then answer probe requests until told to exit.

Started by ``grader.sandbox.client.Sandbox`` as ``python -m grader.sandbox.worker``;
requests and replies travel on two inherited pipe descriptors, never on stdout.
"""

from __future__ import annotations

import argparse
import os
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


def serve(fd_in: int, fd_out: int, master: str) -> int:
    from grader.sandbox.hygiene import conf_snapshot, restore
    from grader.sandbox.loading import load_module
    from grader.sandbox.probes import PROBES
    from grader.spark.session import build_session

    spark = build_session(master=master, app_name="grader-sandbox")
    baseline = conf_snapshot(spark)
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
        try:
            if request["op"] == "load":
                name = request["params"]["module"]
                modules[name] = load_module(name, Path(request["params"]["path"]))
                reply["result"] = {"functions": sorted(
                    n for n, v in vars(modules[name]).items() if callable(v)
                )}
            else:
                reply["result"] = PROBES[request["op"]](spark, modules, request["params"])
        except BaseException as exc:  # noqa: BLE001 - every failure is a result
            reply["ok"] = False
            reply["error"] = describe(exc)
        reply["health"] = restore(spark, baseline)
        reply["duration"] = time.monotonic() - started
        sys.stdout.flush()
        write_message(fd_out, reply)
        if not reply["health"]["spark_alive"]:
            return 3


def _run_one(spark: Any, modules: dict[str, ModuleType], op: str,
             params: dict[str, Any]) -> dict[str, Any]:
    from grader.sandbox.probes import PROBES

    started = time.monotonic()
    reply: dict[str, Any] = {"ok": True}
    try:
        # The active session is per thread; student code may look it up.
        spark._jvm.SparkSession.setActiveSession(spark._jsparkSession)
        reply["result"] = PROBES[op](spark, modules, params)
    except BaseException as exc:  # noqa: BLE001 - every failure is a result
        reply["ok"] = False
        reply["error"] = describe(exc)
    reply["duration"] = time.monotonic() - started
    return reply


def _serve_many(spark: Any, modules: dict[str, ModuleType], baseline: dict[str, str],
                request: dict[str, Any], fd_out: int) -> bool:
    """Run several probes of one blank concurrently; reply to each as it finishes.

    The probes of one request all exercise the same blank, so whatever one of them
    does to the session is that blank's doing; hygiene runs once, when all are done.
    """
    from grader.sandbox.hygiene import restore

    token = request.get("token")
    probes = request["params"]["requests"]
    lock = threading.Lock()

    def work(index: int) -> None:
        reply = _run_one(spark, modules, probes[index]["op"], probes[index]["params"])
        reply.update(token=token, index=index)
        sys.stdout.flush()
        with lock:
            write_message(fd_out, reply)

    concurrency = max(1, int(request["params"].get("concurrency", 2)))
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="probe") as pool:
        list(pool.map(work, range(len(probes))))
    health = restore(spark, baseline)
    with lock:
        write_message(fd_out, {"token": token, "done": True, "health": health})
    return bool(health["spark_alive"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grader-sandbox")
    parser.add_argument("--in", dest="fd_in", type=int, required=True)
    parser.add_argument("--out", dest="fd_out", type=int, required=True)
    parser.add_argument("--master", default="local[*]")
    parser.add_argument("--project-root", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.project_root is not None:
        _forget_project(args.project_root.resolve())
    return serve(args.fd_in, args.fd_out, args.master)


if __name__ == "__main__":
    sys.exit(main())
