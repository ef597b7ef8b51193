"""Kinds of class submissions for the batch tests and the benchmark, made from ``solutions/``.

Each kind is the reference solutions with blank bodies replaced (or a module removed), and
the points per blank the grader should give it under the shipped rubric.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
MODULES = ("schema", "parser", "aggregation", "query")
FULL: dict[str, float] = {
    "transaction_schema": 10, "select_names": 10, "parse_transactions": 15,
    "flagged_counts": 20, "suspicious_users": 15, "socket_source": 10,
    "console_writer": 10, "pipeline": 10,
}
STUB = 'raise NotImplementedError("fill in this blank")'


@dataclass(frozen=True)
class Kind:
    """A submission kind: blank bodies to replace, modules to drop, the expected outcome."""

    name: str
    bodies: dict[str, str] = field(default_factory=dict)  # function -> new body
    drop: tuple[str, ...] = ()
    empty: bool = False  # no module at all: cannot be graded
    lost: dict[str, float] = field(default_factory=dict)  # blank -> points it should cost
    error: str = ""  # expected start of the status after "error: "
    # What it costs instead when the sandbox runs in its own PID namespace, out of reach.
    isolated_lost: dict[str, float] | None = None

    def expected_points(self, *, isolated: bool = False) -> dict[str, float]:
        if isolated and self.isolated_lost is not None:
            return {b: full - self.isolated_lost.get(b, 0) for b, full in FULL.items()}
        if self.error:
            return {blank: 0.0 for blank in FULL}
        return {blank: full - self.lost.get(blank, 0) for blank, full in FULL.items()}


def _blank_module(function: str) -> str:
    return {"transaction_schema": "schema", "select_names": "parser",
            "parse_transactions": "parser", "flagged_counts": "aggregation",
            "suspicious_users": "aggregation", "socket_source": "query",
            "console_writer": "query"}[function]


def replace_body(text: str, function: str, body: str) -> str:
    """Replace the ``# BEGIN SOLUTION`` ... ``# END SOLUTION`` region inside ``function``."""
    start = text.index(f"def {function}(")
    begin = text.index("# BEGIN SOLUTION", start)
    end = text.index("# END SOLUTION", begin) + len("# END SOLUTION")
    indented = textwrap.indent(textwrap.dedent(body).strip("\n"), "    ").lstrip()
    return text[:begin] + indented + text[end:]


def make_submission(target: Path, kind: Kind) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    if kind.empty:
        (target / "README.txt").write_text("I forgot to upload my files.\n", encoding="utf-8")
        return target
    for module in MODULES:
        if module not in kind.drop:
            shutil.copy(SOLUTIONS / f"{module}.py", target / f"{module}.py")
    for function, body in kind.bodies.items():
        path = target / f"{_blank_module(function)}.py"
        path.write_text(replace_body(path.read_text(encoding="utf-8"), function, body),
                        encoding="utf-8")
    return target


KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind("correct"),
    Kind("correct_alt", bodies={
        "flagged_counts": """
            return (parsed.where("flag = 1")
                    .select(f.concat_ws("", "name", "surname").alias("userID"))
                    .groupBy("userID").agg(f.count("*").alias("count")))
        """,
        "suspicious_users": """
            return counts.filter(counts["count"] >= 2).select(
                "userID", f.lit(True).alias("isFraud"), "count")
        """,
    }),
    Kind("wrong_counts", bodies={"flagged_counts": """
            return (parsed.withColumn("userID", f.concat("name", "surname"))
                    .groupBy("userID").count())
        """}, lost={"flagged_counts": 20, "pipeline": 10}),
    Kind("wrong_suspicious", bodies={"suspicious_users": """
            return (counts.where(f.col("count") >= 1).withColumn("isFraud", f.lit(True))
                    .select("userID", "isFraud", "count"))
        """}, lost={"suspicious_users": 15, "pipeline": 10}),
    Kind("wrong_writer", bodies={"console_writer": """
            return (df.writeStream.outputMode("update").format("console")
                    .trigger(processingTime="2 seconds").option("truncate", False))
        """}, lost={"console_writer": 3}),
    Kind("wrong_names", bodies={"select_names": """
            return raw.select(f.from_json("value", schema).alias("data")).select("data.name")
        """}, lost={"select_names": 10}),
    Kind("broken_syntax", bodies={"parse_transactions": """
            return raw.select(f.from_json("value", schema).alias("data").select("data.*")
        """}, lost={"select_names": 10, "parse_transactions": 15, "pipeline": 10}),
    Kind("missing_query", drop=("query",), lost={"socket_source": 10, "console_writer": 10}),
    Kind("hanging", bodies={"socket_source": """
            while True:
                pass
        """}, lost={"socket_source": 10}),
    Kind("kills_grader", bodies={"console_writer": """
            import os
            import signal

            os.kill(os.getppid(), signal.SIGKILL)
        """}, error="the grading process was killed by signal SIGKILL",
        isolated_lost={"console_writer": 10}),
    Kind("empty", empty=True, error="empty: none of schema.py"),
    Kind("partial", bodies={name: STUB for name in (
        "select_names", "parse_transactions", "flagged_counts", "suspicious_users",
        "socket_source", "console_writer")},
        lost={b: p for b, p in FULL.items() if b != "transaction_schema"}),
]}


def make_class(root: Path, names: list[str]) -> Path:
    """A class folder with one submission per name in ``names`` (``kind`` or ``kind-N``)."""
    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        make_submission(root / name, KINDS[name.split("-")[0]])
    return root
