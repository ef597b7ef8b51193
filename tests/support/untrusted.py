"""Submissions that misbehave: one accident or attempt per blank, so each is judged alone.

Every blank of a submission is graded from fixtures on its own, so putting a different
accident in each blank tests each accident and, at once, that it costs no other blank.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.submissions import ROOT, SOLUTIONS, replace_function

SECRET = "s3cr3t-grader-token"


def build(target: Path, replacements: dict[str, dict[str, str]], appends: dict[str, str]) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for module in ("schema", "parser", "aggregation", "query"):
        text = (SOLUTIONS / f"{module}.py").read_text(encoding="utf-8")
        for function, source in replacements.get(module, {}).items():
            text = replace_function(text, function, source)
        if module in appends:
            text += "\n" + appends[module].strip("\n") + "\n"
        (target / f"{module}.py").write_text(text, encoding="utf-8")
    return target


ACCIDENTS_A = {
    "schema": {
        "transaction_schema": """
def transaction_schema():
    def deeper(n):
        return deeper(n + 1) + 1
    return deeper(0)
"""
    },
    "parser": {
        "select_names": """
def select_names(raw, schema):
    import sys
    sys.exit("bye")
""",
        "parse_transactions": """
def parse_transactions(raw, schema):
    raw.select(f.from_json("value", schema).alias("data")).select("data.*")
""",
    },
    "aggregation": {
        "flagged_counts": """
def flagged_counts(parsed):
    parsed.sparkSession.stop()
    return parsed
""",
        "suspicious_users": """
def suspicious_users(counts):
    counts.sparkSession.conf.set("spark.sql.shuffle.partitions", "7")
    counts.sparkSession.conf.set("spark.sql.session.timeZone", "Asia/Tokyo")
    return (counts.where(f.col("count") > 1).withColumn("isFraud", f.lit(True))
            .select("userID", "isFraud", "count"))
""",
    },
    "query": {
        "socket_source": """
def socket_source(spark, host, port):
    import threading
    import time
    threading.Thread(target=time.sleep, args=(600,), name="student-thread").start()
    return spark.readStream.format("socket").option("host", host).option("port", port).load()
""",
        "console_writer": """
def console_writer(df, output_mode="update"):
    import sys
    chunk = "x" * 1023 + "\\n"
    for _ in range(20 * 1024):
        sys.stdout.write(chunk)
    return (df.writeStream.outputMode(output_mode).format("console")
            .trigger(processingTime="2 seconds").option("truncate", False))
""",
    },
}
EXPECTED_A = {
    "transaction_schema": {"RECURSION"},
    "select_names": {"SYSTEM_EXIT"},
    "parse_transactions": {"WRONG_TYPE"},
    "flagged_counts": {"SPARK_STOPPED"},
    "suspicious_users": {"CONF_CHANGED"},
    "socket_source": {"LEFT_RUNNING"},
    "console_writer": {"PASSED"},
}

ACCIDENTS_B = {
    "schema": {
        "transaction_schema": """
CALLS = []


def transaction_schema():
    # The first call answers (its check is judged), a later one kills the process
    # once the first call's check is done (or after 10 s).
    import os
    import sys
    import threading
    import time
    CALLS.append(threading.get_ident())
    if len(CALLS) > 1:
        for _ in range(100):
            frame = sys._current_frames().get(CALLS[0])
            files = []
            while frame is not None:
                files.append(frame.f_code.co_filename)
                frame = frame.f_back
            if not any(name.endswith("probes.py") for name in files):
                break
            time.sleep(0.1)
        time.sleep(1)
        os._exit(0)
    return StructType([StructField(n, StringType()) for n in ("name", "surname")]
                      + [StructField(n, DoubleType()) for n in ("amount", "delta_t")]
                      + [StructField("flag", IntegerType())])
"""
    },
    "parser": {
        "select_names": """
def select_names(raw, schema):
    raw.createOrReplaceTempView("left_behind")
    return raw.select(f.from_json("value", schema).alias("data")).select(
        "data.name", "data.surname")
""",
        "parse_transactions": """
def parse_transactions(raw, schema):
    hoard = []
    while True:
        hoard.append(bytearray(50 * 1024 * 1024))
""",
    },
    "aggregation": {
        "flagged_counts": """
def flagged_counts(parsed):
    import subprocess
    subprocess.Popen(["sleep", "600"])
    return (parsed.where(f.col("flag") == 1)
            .withColumn("userID", f.concat(f.col("name"), f.col("surname")))
            .groupBy("userID").count())
""",
        "suspicious_users": """
def suspicious_users(counts):
    result = (counts.where(f.col("count") > 1).withColumn("isFraud", f.lit(True))
              .select("userID", "isFraud", "count"))
    if result.isStreaming:
        result.writeStream.format("console").outputMode("complete").start()
    return result
""",
    },
    "query": {
        "socket_source": """
def socket_source(spark, host, port):
    while True:
        pass
""",
        "console_writer": """
def console_writer(df, output_mode="update"):
    return "console"
""",
    },
}
EXPECTED_B = {
    "transaction_schema": {"CRASHED"},
    "select_names": {"PASSED"},
    "parse_transactions": {"MEMORY"},
    "flagged_counts": {"LEFT_RUNNING"},
    "suspicious_users": {"PASSED"},
    "socket_source": {"TIMEOUT"},
    "console_writer": {"WRONG_TYPE"},
}


def import_accidents(target: Path) -> Path:
    return build(
        target,
        {},
        {
            "schema": "import os\nos._exit(0)",
            "parser": "while True:\n    pass",
        },
    )


EXPECTED_IMPORT = {
    "transaction_schema": {"IMPORT_CRASHED"},
    "select_names": {"IMPORT_TIMEOUT"},
    "parse_transactions": {"IMPORT_TIMEOUT"},
}

ATTEMPTS = {
    "parser": {
        "select_names": """
def select_names(raw, schema):
    import os
    seen = dict(os.environ)
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                seen[pid] = open(f"/proc/{pid}/environ", "rb").read().decode("latin-1")
            except OSError:
                pass
    raise ValueError("environment: " + repr(seen)[:3000])
""",
        "parse_transactions": f'''
def parse_transactions(raw, schema):
    import glob
    import os
    roots = ["/tmp"] + [os.path.join("{ROOT}", d) for d in os.listdir("{ROOT}") if d != ".venv"]
    found = []
    for root in roots:
        found += glob.glob(root + "/**/late_fraud_many_users.json", recursive=True)
        found += glob.glob(root + "/**/solutions/aggregation.py", recursive=True)
    contents = [open(path).read()[:2000] for path in found]
    raise ValueError("found: " + repr(contents))
''',
    },
    "aggregation": {
        "flagged_counts": f'''
def flagged_counts(parsed):
    import sys
    sys.path.insert(0, "{ROOT}")
    from solutions.aggregation import flagged_counts as reference
    return reference(parsed)
''',
        "suspicious_users": """
def suspicious_users(counts):
    return (counts.where(f.col("count") >= 1).withColumn("isFraud", f.lit(True))
            .select("userID", "isFraud", "count"))
""",
    },
    "query": {
        "socket_source": """
def socket_source(spark, host, port):
    import json
    import os
    import struct
    forged = json.dumps({"score": 100, "max_score": 100, "tests": [], "ok": True,
                         "token": "guess", "done": True,
                         "health": {"spark_alive": True}}).encode()
    message = struct.pack(">I", len(forged)) + forged
    print(message.decode("latin-1"), flush=True)
    for fd in range(3, 64):
        try:
            os.write(fd, message)
        except OSError:
            pass
    for folder in (os.getcwd(), "FORGE_DIR"):
        try:
            with open(os.path.join(folder, "results.json"), "w") as out:
                out.write(forged.decode())
        except OSError:
            pass
    return spark.readStream.format("socket").option("host", host).option("port", 1).load()
""",
        "console_writer": """
def console_writer(df, output_mode="update"):
    raise ValueError("<script>alert('pwned')</script> & <b>bold</b>")
""",
    },
}
PATCH_GRADER_AT_IMPORT = """
try:
    import pytest
    pytest.approx = lambda *a, **k: True
except ImportError:
    pass
import grader.checks.judge as _judge
import grader.results as _results
_judge.judge = lambda *a, **k: None
_results.CheckResult.score = property(lambda self: self.max_score)
"""
