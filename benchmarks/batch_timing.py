"""Time a 20-submission batch with one and with two workers, and a bare SparkSession.

    .venv/bin/python benchmarks/batch_timing.py [--timeout S] [--keep DIR]

Generates a realistic class (mostly correct work, some wrong blanks, a syntax error, a
missing module, unfinished stubs, one hang, one upload without modules) from solutions/,
grades it with ``grader batch --workers 1`` and ``--workers 2``, starts and stops a plain
SparkSession in a fresh process, and prints seconds per submission. The machine's load
average is printed too: on a shared machine it explains much of the spread.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.batch_kinds import make_class  # noqa: E402

MIX = (
    ["correct"] * 6 + ["correct_alt"] * 3
    + ["wrong_counts", "wrong_suspicious", "wrong_writer", "wrong_names", "wrong_counts"]
    + ["broken_syntax", "missing_query", "partial", "partial", "hanging", "empty"]
)
BARE_SPARK = """
import time
t0 = time.monotonic()
from pyspark.sql import SparkSession
spark = SparkSession.builder.master("local[*]").appName("bare").getOrCreate()
spark.range(1).count()
t1 = time.monotonic()
spark.stop()
print(f"{t1 - t0:.2f} {time.monotonic() - t1:.2f}")
"""


def _names() -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for kind in MIX:
        seen[kind] = seen.get(kind, 0) + 1
        names.append(f"{kind}-{seen[kind]:02d}")
    return names


def _batch(source: Path, output: Path, *, workers: int, timeout: float) -> float:
    command = [sys.executable, "-m", "grader", "batch", str(source), "--output", str(output),
               "--workers", str(workers), "--timeout", f"{timeout:g}", "-q"]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, check=True)
    return time.monotonic() - started


def _bare_spark() -> tuple[float, float, float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", BARE_SPARK], capture_output=True, text=True,
                          check=True, cwd=tempfile.gettempdir())
    total = time.monotonic() - started
    start, stop = (float(x) for x in done.stdout.split()[-2:])
    return start, stop, total


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="grader --timeout per check (default: the grader's 60)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the class and outputs in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="batch-timing-"))
    source = make_class(work / "class", _names())
    count = len(MIX)
    print(f"class: {count} submissions in {source}; {os.cpu_count()} cores; "
          f"load average {_load()}", flush=True)
    start, stop, total = _bare_spark()
    print(f"bare SparkSession (local[*], fresh process): start {start:.1f} s "
          f"(incl. pyspark import and one job), stop {stop:.1f} s, process {total:.1f} s",
          flush=True)
    times = {}
    for workers in (1, 2):
        seconds = _batch(source, work / f"out-{workers}", workers=workers, timeout=args.timeout)
        times[workers] = seconds
        print(f"--workers {workers}: {seconds:.0f} s for {count} submissions = "
              f"{seconds / count:.1f} s per submission (load average {_load()})", flush=True)
    same = ((work / "out-1" / "gradebook.csv").read_bytes()
            == (work / "out-2" / "gradebook.csv").read_bytes())
    print(f"speed-up with 2 workers: {times[1] / times[2]:.2f}x; "
          f"gradebooks identical: {'yes' if same else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
