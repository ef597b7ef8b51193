"""Each verdict carries a stable code and parameters; the text is templated from them.

Rewording feedback means editing ``TEMPLATES`` only: the checks never build text.
"""

from __future__ import annotations

from typing import Any

TEMPLATES: dict[str, str] = {
    "PASSED": "{summary}",
    "NOT_IMPLEMENTED": "`{blank}` is not implemented yet (it still raises "
    "NotImplementedError): fill in the blank in {module}.py.",
    "MISSING_MODULE": "{module}.py is not in the submission, so `{blank}` could not be graded.",
    "MISSING_FUNCTION": "{module}.py has no function `{blank}`: "
    "keep the name and signature of the stub.",
    "IMPORT_FAILED": "{module}.py could not be imported: {error_type}: {error}{where}",
    "IMPORT_EXIT": "{module}.py ends the Python process when it is imported ({error}): "
    "remove the exit call at module level.",
    "IMPORT_TIMEOUT": "importing {module}.py did not finish within {timeout} s: "
    "is there a loop or a blocking call at module level?",
    "IMPORT_CRASHED": "importing {module}.py killed the grading process ({error}).",
    "EXCEPTION": "`{blank}` raised {error_type}: {error}{where}",
    "FORBIDDEN_IMPORT": "`{blank}` tried to import the grader's own files ({error}); "
    "they are not available to submissions, and the attempt is recorded.",
    "SYSTEM_EXIT": "`{blank}` tried to end the process ({error}); a blank must return a value.",
    "RECURSION": "`{blank}` recursed too deeply (RecursionError){where}.",
    "MEMORY": "`{blank}` ran out of memory.",
    "WRONG_TYPE": "`{blank}` returned {got}; expected {expected}.",
    "NOT_STREAMING": "`{blank}` returned a static DataFrame for a streaming input: "
    "build the result from the DataFrame you are given.",
    "STREAM_FAILED": "the streaming query failed: {error_class}{error}",
    "SUBMISSION_TIMEOUT": "the submission used up its total time limit before `{blank}` "
    "could be graded.",
    "TIMEOUT": "`{blank}` did not finish within {timeout} s and was stopped.",
    "CRASHED": "the grading process died while running `{blank}` ({error}); "
    "the next checks ran in a fresh process.",
    "SPARK_STOPPED": "`{blank}` stopped the Spark session (spark.stop()): "
    "a blank must leave the session running. The next checks ran in a fresh process.",
    "CONF_CHANGED": "`{blank}` changed the Spark configuration ({changes}); a blank must not "
    "change session settings (set them where the session is built). The change was undone.",
    "LEFT_RUNNING": "`{blank}` left work running after it returned ({what}); a blank must "
    "not start threads or processes. They were stopped and the next checks ran in a fresh "
    "process.",
    "WRONG_COLUMNS": "{label}: expected the columns {expected}, got {actual}.",
    "WRONG_COLUMN_TYPE": "{label}: column `{column}` has type {actual}; expected {expected}.",
    "WRONG_ROWS": "{label}: the rows differ from the expected ones "
    "({missing} missing, {unexpected} unexpected).",
    "TOO_MANY_ROWS": "{label}: the result has more than {limit} rows; expected {expected}.",
    "WRONG_BATCH_COUNT": "the query produced {actual} micro-batches; expected {expected}.",
    "SCHEMA_MISSING_FIELDS": "the schema lacks the field(s) {fields}.",
    "SCHEMA_EXTRA_FIELDS": "the schema has unexpected field(s) {fields}; it needs exactly "
    "name, surname, amount, delta_t and flag.",
    "SCHEMA_FIELD_TYPE": "field `{field}` has type {actual}; expected {expected}.",
    "SOCKET_NOT_STREAMING": "`socket_source` returned a static DataFrame; expected a streaming one "
    "(spark.readStream).",
    "SOCKET_LINES": "the lines read from the producer differ from the lines it sent "
    "({missing} missing, {unexpected} unexpected).",
    "STARTED_QUERY": "`{blank}` started a streaming query itself; it must only build it and "
    "let the caller start it.",
    "WRITER_FORMAT": 'the sink is {actual}; expected the console sink (format "console").',
    "WRITER_OUTPUT_MODE": "the output mode is {actual}; expected {expected}.",
    "WRITER_TRIGGER": "the trigger is {actual}; expected a processing-time trigger of 2 seconds.",
    "WRITER_TRUNCATE": "the option truncate is {actual}; expected false, so that long values "
    "are printed in full.",
}


def render(code: str, params: dict[str, Any]) -> str:
    """The human text of a message; unknown parameters render as empty text."""
    template = TEMPLATES[code]
    return template.format_map(_Lenient(params))


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""
