"""Read a DataStreamWriter's settings and a running query's StreamExecution through Py4J."""

from __future__ import annotations

from typing import Any

from pyspark.sql.streaming import DataStreamWriter, StreamingQuery


def _field(obj: Any, name: str) -> Any:
    """A private field of a JVM object, looked up along its class hierarchy."""
    cls = obj.getClass()
    while cls is not None:
        for fld in cls.getDeclaredFields():
            if fld.getName() == name:
                fld.setAccessible(True)
                return fld.get(obj)
        cls = cls.getSuperclass()
    raise AttributeError(name)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return str(value.toString())


def writer_facts(writer: DataStreamWriter) -> dict[str, Any]:
    jwrite = writer._jwrite
    options = _field(jwrite, "extraOptions")
    truncate = options.get("truncate")  # a Scala Option; the map ignores key case
    return {
        "format": _text(_field(jwrite, "source")),
        "output_mode": _text(_field(jwrite, "outputMode")),
        "trigger": _text(_field(jwrite, "trigger")),
        "truncate": str(truncate.get()) if truncate.isDefined() else None,
        "options": _text(options),
    }


def streaming_facts(query: StreamingQuery) -> dict[str, Any]:
    execution = query._jsq.streamingQuery()
    return {
        "trigger": _text(execution.trigger()),
        "output_mode": _text(execution.outputMode()),
        "sink": str(execution.sink().getClass().getName()),
    }
