"""Hints in the lecture's terms, chosen by blank, message code and Spark error class."""

from __future__ import annotations

ERROR_CLASS_HINTS: dict[str, str] = {
    "STREAMING_OUTPUT_MODE": "Append mode cannot emit an aggregation without a watermark: the "
    "counts can still change. Use update mode (only changed rows) or complete mode (the whole "
    "table), as the lecture does.",
    "UNRESOLVED_COLUMN": "A column name does not exist at that point of the query: after "
    'from_json(...).alias("data"), the fields are data.name, data.surname, ... until you '
    "select them.",
    "DATATYPE_MISMATCH": "A function received a column of the wrong type: check the schema "
    "(amount and delta_t are doubles, flag an integer).",
    "NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING": "Some operations (sorting, limits, windows "
    "without time) are not supported on streams.",
    "STREAMING_UNSUPPORTED_OPERATION": "This operation is not supported on a streaming DataFrame.",
}

CODE_HINTS: dict[tuple[str, str], str] = {
    ("transaction_schema", "SCHEMA_FIELD_TYPE"): "amount and delta_t are numbers with decimals "
    "(DoubleType), flag is 0 or 1 (IntegerType). Names are strings.",
    ("transaction_schema", "WRONG_ROWS"): "With the right schema, from_json fills every field "
    "of the lecture's test messages. A field name that differs from the JSON key "
    "(case included) stays null.",
    ("select_names", "WRONG_COLUMNS"): "Alias the parsed struct as data, then select "
    "data.name and data.surname.",
    ("parse_transactions", "WRONG_COLUMNS"): '"data.*" selects every field of the parsed '
    "struct, as in SQL.",
    ("flagged_counts", "WRONG_ROWS"): "Count only the messages with flag == 1, per userID = "
    "name + surname (concat). In Structured Streaming the count is cumulative: a user with "
    "one flagged message in batch 1 and one in batch 2 has count 2 after batch 2. In update "
    "mode only the users whose count changed are emitted; in complete mode all of them.",
    ("flagged_counts", "WRONG_COLUMNS"): "Name the columns userID and count: "
    'groupBy("userID").count() does both.',
    ("suspicious_users", "WRONG_ROWS"): "Keep the users whose count is greater than 1 "
    "(strictly), and add isFraud with lit(True).",
    ("suspicious_users", "WRONG_COLUMNS"): "Project userID, isFraud and count.",
    ("pipeline", "WRONG_ROWS"): "The whole chain: schema, parse, flagged counts, suspicious "
    "users. Look at the first blank that fails on its own; its checks say more.",
    ("socket_source", "SOCKET_LINES"): 'readStream.format("socket") with the host and port '
    "options; each received line becomes one row in the value column.",
    ("console_writer", "WRITER_TRIGGER"): 'trigger(processingTime="2 seconds").',
    ("console_writer", "WRITER_TRUNCATE"): 'option("truncate", False).',
    ("console_writer", "WRITER_OUTPUT_MODE"): "outputMode(output_mode): use the parameter, "
    "do not hard-code the mode.",
    ("console_writer", "STARTED_QUERY"): "Return df.writeStream... without calling start().",
}

GENERIC_HINTS: dict[str, str] = {
    "NOT_IMPLEMENTED": "Replace the raise NotImplementedError line with your code; the "
    "docstring states what the function must return.",
    "TIMEOUT": "A streaming query in a blank must not wait for input (no awaitTermination) "
    "and no loop may run forever.",
    "NOT_STREAMING": "The same transformations work on static and streaming DataFrames; "
    "do not collect() or create a new DataFrame.",
    "WRONG_TYPE": "Return the DataFrame (or DataStreamWriter) itself, not a list, a string, "
    "or the result of show()/collect().",
    "CONF_CHANGED": "The lecture sets spark.sql.shuffle.partitions once in the notebook; "
    "the blanks should not.",
}


def hint_for(blank: str, code: str, error_class: str | None = None) -> str:
    if error_class:
        for prefix, text in ERROR_CLASS_HINTS.items():
            if error_class.startswith(prefix):
                return text
    return CODE_HINTS.get((blank, code)) or GENERIC_HINTS.get(code, "")
