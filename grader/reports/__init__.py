"""Reports: every format renders from one ``SubmissionResult``.

``render(result, fmt)`` returns the report as text; ``FORMATS`` lists the formats and
``EXTENSIONS`` the file extension each is saved with.
"""

from __future__ import annotations

from grader.reports.html import render_html
from grader.reports.json_report import render_json
from grader.reports.junit import render_junit
from grader.reports.markdown import render_markdown
from grader.reports.text import render_text, use_color
from grader.results import SubmissionResult

FORMATS: tuple[str, ...] = ("text", "json", "html", "md", "junit")
EXTENSIONS: dict[str, str] = {
    "text": "txt",
    "json": "json",
    "html": "html",
    "md": "md",
    "junit": "xml",
}


def render(result: SubmissionResult, fmt: str, *, color: bool | None = None) -> str:
    """The report of ``result`` in ``fmt``; ``color`` applies to "text" (None: decide by tty)."""
    if fmt == "text":
        return render_text(result, color=color)
    if fmt == "json":
        return render_json(result)
    if fmt == "html":
        return render_html(result)
    if fmt == "md":
        return render_markdown(result)
    if fmt == "junit":
        return render_junit(result)
    raise ValueError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "render",
    "render_html",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_text",
    "use_color",
]
