"""Benchmark the grader against Spark's own start-up time, in one run on one machine.

    .venv/bin/python benchmarks/run.py [--reps N] [--skip-naive] [--skip-batch]

Measures, with ``--reps`` repetitions and medians where a step is cheap enough to repeat:

  (a) a bare SparkSession start and stop in a fresh process (the floor);
  (b) ``grader grade solutions``, cold, in a fresh process;
  (c) ``grader batch`` over 20 generated submissions (correct, wrong, broken, hanging)
      with 1 and with 2 workers, per submission;
  (d) the naive way: the same checks, each in a fresh process with its own session,
      processing-time triggers and the sleeps a notebook would use.

Prints a table with absolute times, the ratios (b)/(a), (c)/(a) per submission and
(d)/(b), the peak memory (RSS summed over the process tree) of (b) and (c), and the
machine's load average, which explains most of the spread on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.checks.rubric import load_rubric  # noqa: E402
from grader.sandbox.leftovers import descendants  # noqa: E402
from tests.batch_kinds import make_class  # noqa: E402

MIX = (
    ["correct"] * 6 + ["correct_alt"] * 3
    + ["wrong_counts", "wrong_suspicious", "wrong_writer", "wrong_names", "wrong_counts"]
    + ["broken_syntax", "missing_query", "partial", "partial", "hanging", "empty"]
)  # fmt: skip
BARE_SPARK = """
from pyspark.sql import SparkSession
spark = SparkSession.builder.master("local[*]").appName("bare").getOrCreate()
spark.range(1).count()
spark.stop()
"""


def class_names() -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for kind in MIX:
        seen[kind] = seen.get(kind, 0) + 1
        names.append(f"{kind}-{seen[kind]:02d}")
    return names


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def timed(command: list[str], *, cwd: Path) -> tuple[float, int]:
    """Wall time of ``command`` and the peak RSS summed over its process tree."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            tree = {process.pid} | descendants(process.pid)
            peak = max(peak, sum(rss_bytes(pid) for pid in tree))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    sampler.join()
    if code != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {code}")
    return time.monotonic() - started, peak


def median_of(reps: int, command: list[str], *, cwd: Path) -> tuple[float, int]:
    runs = [timed(command, cwd=cwd) for _ in range(reps)]
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="repetitions of (a) and (b)")
    parser.add_argument("--skip-batch", action="store_true", help="skip (c)")
    parser.add_argument("--skip-naive", action="store_true", help="skip (d)")
    args = parser.parse_args()
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="grader-bench-"))
    rows: list[tuple[str, str, str]] = []
    print(f"{os.cpu_count()} cores, load average {load()} (1/5/15 min)", flush=True)

    bare, bare_mem = median_of(args.reps, [python, "-c", BARE_SPARK], cwd=work)
    rows.append(("(a) bare SparkSession start + stop", f"{bare:.1f} s", f"{bare_mem >> 20} MB"))
    print(rows[-1], flush=True)

    grade_cmd = [python, "-m", "grader", "grade", str(ROOT / "solutions"), "--quiet",
                 "--format", "json", "--output", str(work / "solutions.json")]
    single, single_mem = median_of(args.reps, grade_cmd, cwd=ROOT)
    rows.append(("(b) grader grade solutions (cold)", f"{single:.1f} s",
                 f"{single_mem >> 20} MB"))
    print(rows[-1], flush=True)

    per_submission: dict[int, float] = {}
    if not args.skip_batch:
        source = make_class(work / "class", class_names())
        for workers in (1, 2):
            out = work / f"batch-{workers}"
            seconds, peak = timed(
                [python, "-m", "grader", "batch", str(source), "--output", str(out),
                 "--workers", str(workers), "--quiet"], cwd=ROOT)
            per_submission[workers] = seconds / len(MIX)
            rows.append((f"(c) batch of {len(MIX)}, {workers} worker(s), per submission",
                         f"{per_submission[workers]:.1f} s", f"{peak >> 20} MB"))
            print(rows[-1], flush=True)

    naive = 0.0
    if not args.skip_naive:
        for spec in load_rubric():
            seconds, _ = timed([python, str(ROOT / "benchmarks" / "naive.py"), spec.name],
                               cwd=work)
            naive += seconds
        rows.append(("(d) naive: fresh session per check, triggers and sleeps",
                     f"{naive:.1f} s", "-"))
        print(rows[-1], flush=True)

    print()
    print(f"{'measure':<58} {'time':>9} {'peak RSS':>9}")
    for name, seconds, memory in rows:
        print(f"{name:<58} {seconds:>9} {memory:>9}")
    print()
    print(f"(b)/(a) = {single / bare:.2f}   (target <= 1.5)")
    for workers, seconds in per_submission.items():
        print(f"(c, {workers} worker(s)) per submission/(a) = {seconds / bare:.2f}"
              + ("   (target <= 1.0)" if workers == 2 else ""))
    if naive:
        print(f"(d)/(b) = {naive / single:.1f}   (target >= 20)")
    print(f"load average at the end {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
