"""The lecture's flow, cell by cell: text, example code and where each blank goes.

A blank cell's code is not written here: ``build`` copies it from the stub module in
``exercises/``, so the notebook and the stubs cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["markdown", "code", "blank"]


@dataclass(frozen=True)
class Spec:
    kind: Kind
    slug: str  # the cell id; a blank's slug is its function name
    text: str = ""


def md(slug: str, text: str) -> Spec:
    return Spec("markdown", slug, text.strip("\n"))


def code(slug: str, text: str) -> Spec:
    return Spec("code", slug, text.strip("\n"))


def blank(function: str) -> Spec:
    return Spec("blank", function)


PRODUCER_CELL = "!python utils/producer.py --hostname localhost > producer.log 2>&1 &"
QUERY_CELL = """
raw = socket_source(spark, hostname, port)
parsed = parse_transactions(raw, transaction_schema())
counts = flagged_counts(parsed)
report = suspicious_users(counts)

query = console_writer(report, "{mode}").start()
query.awaitTermination(20)  # wait up to 20 s; the query goes on running afterwards
query.lastProgress
"""

CELLS: tuple[Spec, ...] = (
    md("title", """
# Lecture 3 · Structured Streaming: a live report of suspicious card payments

In this notebook you build a small streaming application step by step. A producer sends
fake credit-card payments over a TCP socket; Spark reads them as they arrive, turns each
JSON line into columns, counts the flagged payments of every customer and keeps printing
the customers who look suspicious.

**How the exercises work.** Seven code cells are blanks. Each holds one function: its
docstring is the contract (what comes in, what must come out, and a hint) and its body is
a `raise NotImplementedError`. Replace the `raise` with your code and keep the function's
name and parameters. The cells between the blanks try your functions out.

The last cell runs the self-check on this notebook. The grader takes only the blanks'
functions from it, with the imports and helper functions they use: it finds each blank by
its cell's tag `blank:<function name>` or, when the tag got lost, by its `def`. Nothing
else in the notebook runs when it is graded, so a function must not rely on variables
set in other cells.
"""),
    md("model", """
## Streams are tables that keep growing

A batch job reads a dataset that is complete before the job starts. A stream never is:
records keep coming. Structured Streaming, the DataFrame API for streams (its RDD-based
predecessor, Spark Streaming with DStreams, is deprecated), lets you write a query as if
the input were an ordinary table that only ever gains rows at the bottom:

- the **input table** is the stream, and each new record is a new row;
- a **trigger** (say, every 2 seconds) decides when Spark looks for new rows; the rows
  that arrived since the previous trigger make a **micro-batch**;
- the query turns the input table into a **result table**;
- after each micro-batch, a **sink** (the console, files, Kafka, a database) receives the
  result table, or part of it.

Spark never holds the whole input table: each micro-batch is processed, then dropped. What
survives from one micro-batch to the next is the **state** a query needs, such as the
running counts of an aggregation. So a count in Structured Streaming covers everything
seen so far, not only the latest micro-batch.

How much of the result table reaches the sink is the **output mode**:

| mode | after each micro-batch, the sink receives |
|---|---|
| `append` | the new rows of the result table (rows that will never change) |
| `update` | the rows this micro-batch added or changed |
| `complete` | the whole result table |

An aggregation without a watermark may change any of its rows at any time, so it allows
`update` and `complete` only. Reading from a source, transforming, and writing to a sink,
without end, is a real-time ETL pipeline (Extract, Transform, Load): you are about to
build a tiny one.
"""),
    md("spark", """
## Start Spark

The next cell starts an embedded Spark (`local[*]`: every core of this machine). On the
course's cluster, set the environment variable `SPARK_MASTER` (for example to
`spark://spark-master:7077`) before starting Jupyter, and the same cell connects there.
"""),
    code("setup", """
import os

from pyspark.sql import SparkSession

spark = (
    SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[*]"))
    .appName("lecture3-streaming")
    # few shuffle partitions: the streaming state stays small, micro-batches stay quick
    .config("spark.sql.shuffle.partitions", "4")
    # the console queries keep their state in temporary checkpoints: drop them on stop
    .config("spark.sql.streaming.forceDeleteTempCheckpointLocation", "true")
    .getOrCreate()
)
spark
"""),
    md("messages", """
## The payments

Each message of the producer is one line of JSON describing one payment:

- `name` and `surname` of the card holder;
- `amount` paid;
- `delta_t`, the time since the same card's previous payment;
- `flag`: 1 when the payment was flagged as possibly fraudulent, 0 otherwise.

Before touching a stream, work out the parsing on a small static DataFrame shaped exactly
like what the socket source delivers: one string column named `value`, one message per
row. Code that works on it works on the stream unchanged.
"""),
    code("sample", """
sample_lines = [
    '{"name": "Alice", "surname": "Darby", "amount": 412.3, "delta_t": 5.5, "flag": 0}',
    '{"name": "John", "surname": "Jones", "amount": 88.0, "delta_t": 0.4, "flag": 1}',
    '{"name": "Jill", "surname": "Smith", "amount": 731.25, "delta_t": 8.1, "flag": 0}',
    '{"name": "John", "surname": "Jones", "amount": 91.5, "delta_t": 0.3, "flag": 1}',
    '{"name": "Andy", "surname": "Millers", "amount": 15.99, "delta_t": 2.2, "flag": 1}',
    '{"name": "Jill", "surname": "Smith", "amount": 640.0, "delta_t": 6.7, "flag": 0}',
]
sample = spark.createDataFrame([(line,) for line in sample_lines], "value STRING")
sample.show(truncate=False)
"""),
    md("schema-intro", """
## Blank 1: the schema of a message

To parse JSON, Spark needs to know what each message holds: a schema, made of a
`StructType` of `StructField`s with the types of `pyspark.sql.types`. Write
`transaction_schema()` so that it returns the five fields of a message with their types.
"""),
    blank("transaction_schema"),
    code("schema-try", """
schema = transaction_schema()
print(schema.simpleString())
"""),
    md("select-intro", """
## Blank 2: from a JSON string to columns

`from_json("value", schema)` turns each string into one column holding a *struct*: a
nested value with one field per schema field. Name that column with `alias` and its
fields can be picked as in SQL, for example `"data.name"`. Write `select_names` so that it
returns just who made each payment.
"""),
    blank("select_names"),
    code("select-try", """
select_names(sample, schema).show()
"""),
    md("parse-intro", """
## Blank 3: every field as a column

`"data.*"` expands a struct into one column per field. Write `parse_transactions`: later
you will run it on the stream without changing a line, because a streaming DataFrame
takes the same transformations as a static one.

A line that is not a JSON object gives a row whose columns are all null. Note also that the
course's producer sends `amount` and `delta_t` as *strings* (`"736.56"`): with a
`DoubleType` schema those two columns come out null, while `name`, `surname` and `flag`
are still read, which is all the report needs. Start the producer with `--numeric` to
get numbers instead.
"""),
    blank("parse_transactions"),
    code("parse-try", """
parsed_sample = parse_transactions(sample, schema)
parsed_sample.printSchema()
parsed_sample.show()
"""),
    md("counts-intro", """
## Blank 4: flagged payments per customer

Name each customer with one string, the name immediately followed by the surname
(`JohnJones`; see `concat` in `pyspark.sql.functions`), keep the flagged payments only
(`flag == 1`) and count them per customer.

On a stream this aggregation has *state*: Spark keeps every customer's count between
micro-batches, so a customer flagged once in one micro-batch and once in a later one has a
count of 2. (The older DStream version of this lecture counted each batch on its own;
Structured Streaming does not.)
"""),
    blank("flagged_counts"),
    code("counts-try", """
sample_counts = flagged_counts(parsed_sample)
sample_counts.show()
"""),
    md("suspicious-intro", """
## Blank 5: the suspicious customers

A customer with more than one flagged payment is suspicious. From the counts, keep those
customers, add a constant column `isFraud` set to true (see `lit`) and return `userID`,
`isFraud` and `count`.
"""),
    blank("suspicious_users"),
    code("suspicious-try", """
suspicious_users(sample_counts).show()
"""),
    md("source-intro", """
## Blank 6: reading a TCP socket

A TCP socket is one end of a two-way connection between two programs, rather like a phone
call: one side waits for the call, the other dials; once connected, both can talk until
one hangs up, and then that call is over for good. Here the producer waits and Spark dials.

`spark.readStream` says where a stream comes from, in the style `spark.read` uses for
files: a format (`socket`), its options (`host` and `port`), then `load()`. Nothing is
read until a query starts. Spark warns that the socket source is meant for testing: that
is expected.
"""),
    blank("socket_source"),
    md("writer-intro", """
## Blank 7: the console report

`df.writeStream` says where the results go and when: the output mode, the sink (`console`
prints each micro-batch as a table), the trigger (every 2 seconds) and the sink's options
(`truncate` false prints whole values). `start()` launches the query and returns a handle
to stop it. Your function returns the writer *without* starting it: the caller decides
when.
"""),
    blank("console_writer"),
    md("producer-intro", """
## Start the producer

The producer, `utils/producer.py` (read it, it is short), listens on port 5555, waits for
one client, then sends one payment every 0.1 s until the client goes away. It serves a
single connection: start it again before each query below.

From a terminal, in this folder:

```bash
python utils/producer.py --hostname localhost
```

On the course's cluster, run it in the `spark-master` container with
`--hostname spark-master` and set `hostname = "spark-master"` below. Or start it from
here, in the background, with the next cell (its messages go to `producer.log`).
"""),
    code("producer", PRODUCER_CELL),
    md("update-intro", """
## The live report in update mode

The next cell chains your functions on the real stream and starts the query. In update
mode each micro-batch prints only the customers whose count changed.

The console sink prints from Spark's JVM, so the tables appear in the terminal running
Jupyter (on the course's Docker setup, in the Jupyter container's logs), not below the
cell. The cell waits 20 seconds and then shows the query's latest progress report.
"""),
    code("update-query", """
hostname = "localhost"  # "spark-master" on the course's cluster
port = 5555
""" + QUERY_CELL.format(mode="update")),
    md("update-stop-intro", """
Stop the query; the producer sees the connection close and exits.
"""),
    code("update-stop", "query.stop()"),
    md("complete-intro", """
## The same report in complete mode

The report comes from an aggregation, so it can be written in complete mode too: each
micro-batch then prints every suspicious customer so far, not only the changes. Start the
producer again first (it exited with the previous query).
"""),
    code("complete-producer", PRODUCER_CELL),
    code("complete-query", QUERY_CELL.format(mode="complete")),
    code("complete-stop", "query.stop()"),
    md("finish", """
## Check your work

Stop this notebook's Spark, then **save the notebook**: the self-check reads the file on
disk, not this kernel. It finds your seven functions, runs the public checks on them in a
Spark of its own and, for each failure, prints the expected and actual rows and a hint.
Hidden checks run too when the assignment is graded. The same command works in a
terminal.
"""),
    code("stop", "spark.stop()"),
    code("self-check", "!grader check lecture3_streaming.ipynb"),
)
