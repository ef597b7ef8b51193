"""How the driver JVM starts fast: its flags, and a class-data archive built once.

C1-only JIT and the serial collector start the JVM noticeably faster and keep its
footprint small; grading is short-lived, so peak throughput does not matter.

Most of the rest of a Spark start is the JVM loading and verifying some ten thousand
classes. Java 17 can dump the classes an application loaded into an archive
(``-XX:ArchiveClassesAtExit``) and map them back in on later starts
(``-XX:SharedArchiveFile``). The archive is built on first use, outside any sandbox,
by a process that runs only the grader's own warm-up queries (never student code),
and is read-only afterwards. It belongs to one Java, one pyspark installation and
one set of JVM flags, so its file name carries a key of those. With ``-Xshare:auto``
a missing or unusable archive only means a slower start.

``GRADER_CDS=off`` turns it off; ``GRADER_CACHE_DIR`` moves the cache folder
(default ``$XDG_CACHE_HOME/streaming-grader`` or ``~/.cache/streaming-grader``).
Build one by hand with ``python -m grader.spark.jvm``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from importlib import metadata, util
from pathlib import Path

JVM_FLAGS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss4m"
BUILD_TIMEOUT = 600.0
STALE_LOCK = 900.0  # seconds after which a builder that left its lock is presumed dead
QUIET = "-Xlog:cds=off -Xlog:cds+dynamic=off"


def jvm_flags() -> str:
    """The driver's JVM flags: ``GRADER_JVM_FLAGS`` when set, else ``JVM_FLAGS``."""
    return os.environ.get("GRADER_JVM_FLAGS", JVM_FLAGS)


def enabled() -> bool:
    return os.environ.get("GRADER_CDS", "").lower() not in ("off", "0", "no")


def cache_dir() -> Path:
    if os.environ.get("GRADER_CACHE_DIR"):
        return Path(os.environ["GRADER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "streaming-grader"


def archive_path(flags: str) -> Path:
    """Where the archive for this Java, this pyspark and these flags lives."""
    java = shutil.which("java", path=_java_path()) or "java"
    spec = util.find_spec("pyspark")  # located, not imported: the grader's side stays light
    version = metadata.version("pyspark")
    facts = [
        os.path.realpath(java),
        os.environ.get("JAVA_HOME", ""),
        version,
        os.path.realpath(spec.origin if spec and spec.origin else ""),
        flags,
    ]
    key = hashlib.sha256("\n".join(facts).encode()).hexdigest()[:16]
    return cache_dir() / f"spark-{version}-{key}.jsa"


def _java_path() -> str:
    home = os.environ.get("JAVA_HOME")
    path = os.environ.get("PATH", "")
    return f"{home}/bin{os.pathsep}{path}" if home else path


def existing_archive(flags: str) -> Path | None:
    """The archive for ``flags`` when archives are on and it has been built."""
    archive = archive_path(flags) if enabled() else None
    return archive if archive is not None and archive.is_file() else None


def use_flags(archive: str | None) -> str:
    """JVM flags that map ``archive`` in when it is there (empty otherwise)."""
    if not archive or not Path(archive).is_file():
        return ""
    return f"-XX:SharedArchiveFile={archive} -Xshare:auto {QUIET}"


def ensure_archive(flags: str) -> Path | None:
    """The archive, built now if missing; None when disabled, being built elsewhere or failed.

    Another process building the same archive is not waited for: grading goes on
    without it. A failed build leaves nothing behind and is tried again next time.
    """
    found = existing_archive(flags)
    if found is not None or not enabled():
        return found
    archive = archive_path(flags)
    try:
        archive.parent.mkdir(parents=True, exist_ok=True)
        lock = archive.with_suffix(".lock")
        if lock.exists() and time.time() - lock.stat().st_mtime > STALE_LOCK:
            lock.unlink(missing_ok=True)
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except OSError:
        return None  # read-only cache or another builder at work
    partial = archive.with_suffix(f".{os.getpid()}.partial")
    try:
        os.close(fd)
        done = subprocess.run(
            [sys.executable, "-m", "grader.spark.jvm", "--build", str(partial), flags],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=BUILD_TIMEOUT,
        )
        if done.returncode == 0 and partial.is_file() and partial.stat().st_size > 0:
            os.replace(partial, archive)
            return archive
        return None
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        partial.unlink(missing_ok=True)
        lock.unlink(missing_ok=True)


def build(target: Path, flags: str) -> None:
    """Start Spark with the archive dump on, run the kinds of queries grading runs, exit."""
    os.environ["GRADER_JVM_FLAGS"] = f"{flags} -XX:ArchiveClassesAtExit={target} {QUIET}"
    os.environ["GRADER_CDS"] = "off"  # the session must not map an older archive in
    from pyspark import SparkContext

    from grader.spark.session import build_session
    from grader.spark.warmup import warm_up

    spark = build_session(app_name="grader-cds-build")
    warm_up(spark)
    spark.stop()
    gateway = SparkContext._gateway
    process = getattr(gateway, "proc", None)
    if process is None:
        raise RuntimeError("the JVM was not started by this process")
    process.stdin.close()  # the gateway's JVM exits when its stdin closes, dumping the archive
    process.wait(timeout=BUILD_TIMEOUT)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 3 and args[0] == "--build":  # the builder process of ensure_archive
        build(Path(args[1]), args[2])
        return 0
    flags = jvm_flags()
    if args:
        print("usage: python -m grader.spark.jvm\n"
              "Builds the class-data archive that the grader maps into its Spark JVMs\n"
              f"(once per Java and pyspark installation): {archive_path(flags)}")  # fmt: skip
        return 0 if args[0] in ("-h", "--help") else 2
    built = ensure_archive(flags)
    print(built or "not built: disabled (GRADER_CDS=off), read-only cache, or failed")
    return 0 if built else 1


if __name__ == "__main__":
    sys.exit(main())
