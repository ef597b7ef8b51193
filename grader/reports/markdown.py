"""The Markdown report: a GitHub pull-request comment, kept under the comment size limit."""

from __future__ import annotations

import html

from grader.reports.common import (
    LABELS,
    MARKS,
    DiffTable,
    capped_output,
    clean,
    diff_caption,
    diff_tables,
    failing,
    fraction,
    groups,
    hidden_note,
    percent,
    short_error_class,
    shorten,
)
from grader.results import CheckResult, SubmissionResult

COMMENT_LIMIT = 65_536  # GitHub refuses longer comments
BUDGET = COMMENT_LIMIT - 2_000  # room for the closing note
OUTPUT_LIMIT = 5_000
TEXT_LIMIT = 4_000  # characters of one feedback or hint


def escape_text(text: str) -> str:
    """Student-controlled prose: no HTML, no code spans, no character a table would split on."""
    text = html.escape(clean(text).replace("\\", "\\\\"), quote=False)
    return text.replace("`", "\\`").replace("|", "\\|")


def escape_cell(text: str) -> str:
    """One table cell on one line."""
    return escape_text(text).replace("\r\n", "\n").replace("\n", "<br>")


def _capped(text: str, limit: int = TEXT_LIMIT) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit} more characters)"


def _paragraph(text: str) -> str:
    """Escaped prose whose line breaks survive Markdown (a hard break is two spaces)."""
    lines = escape_text(_capped(text)).splitlines()
    return "  \n".join(line.strip() for line in lines if line.strip())


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def format_table(table: DiffTable) -> list[str]:
    title = f"**{table.title}**"
    if not table.rows:
        return [f"{title}: (no rows)", ""]
    columns = [escape_cell(c) or " " for c in table.columns]
    rows = [[escape_cell(v) for v in row] for row in table.rows]
    lines = [title, "", *_table(columns, rows)]
    if table.more:
        lines.append(f"\n… {table.more} more")
    return [*lines, ""]


def check_section(check: CheckResult) -> str:
    """A collapsed ``<details>`` block with what to fix in one check."""
    mark = MARKS.get(check.status, "?")
    summary = html.escape(
        f"{mark} {clean(check.exercise)}: {clean(check.name)} "
        f"({fraction(check.score, check.max_score)}, {LABELS.get(check.status, check.status)})",
        quote=False,
    )
    lines = ["<details>", f"<summary>{summary}</summary>", ""]
    if check.feedback:
        lines += [_paragraph(check.feedback), ""]
    elif check.code:
        lines += [f"({escape_text(check.code)})", ""]
    if check.hint:
        lines += ["> **Hint:** " + _paragraph(check.hint).replace("\n", "\n> "), ""]
    if check.error_class:
        lines += [f"Error class: `{short_error_class(check.error_class).replace('`', '')}`", ""]
    if check.diff is not None:
        caption = diff_caption(check.diff)
        if caption:
            lines += [f"Rows: _{escape_text(caption)}_", ""]
        for table in diff_tables(check.diff):
            lines += format_table(table)
    lines += ["</details>", ""]
    return "\n".join(lines)


def render_markdown(result: SubmissionResult) -> str:
    head = [
        f"## Grading report: {fraction(result.score, result.max_score)} points "
        f"({percent(result)}%)",
        "",
        f"Submission: **{escape_text(shorten(result.submission, 200)) or '(unnamed)'}**",
        "",
    ]
    summaries = [
        [
            escape_cell(g.summary.exercise),
            fraction(g.summary.score, g.summary.max_score),
            f"{g.summary.passed}/{g.summary.total}",
        ]
        for g in groups(result)
    ]
    if summaries:
        head += [*_table(["Exercise", "Points", "Passed"], summaries), ""]
    else:
        head += ["No checks ran.", ""]
    note = hidden_note(result)
    if note:
        head += [f"> {note}", ""]
    if result.passed and result.tests:
        head += ["All checks passed.", ""]
    text = "\n".join(head)
    sections = [check_section(c) for c in failing(result)]
    if sections:
        text += "\n### What to fix\n\n"
    for shown, section in enumerate(sections):
        if len(text) + len(section) > BUDGET:
            left = len(sections) - shown
            text += (
                f"_{left} more check{'' if left == 1 else 's'} not shown: "
                "the comment would be too long. See the full report._\n\n"
            )
            break
        text += section + "\n"
    text += _extras(result, BUDGET - len(text))
    if len(text) > BUDGET:  # one oversized header; never more than GitHub accepts
        text = text[:BUDGET] + "\n\n_The report was cut: it would be too long for a comment._"
    return text.rstrip("\n") + "\n"


def _extras(result: SubmissionResult, room: int) -> str:
    """Notes and the submission's output, collapsed, in what room is left."""
    if not result.notes and not result.output:
        return ""
    lines = ["<details>", "<summary>Notes and output of the submission</summary>", ""]
    lines += [f"- {escape_text(n)}" for n in result.notes]
    if result.output:
        output = capped_output(result.output, max(0, min(OUTPUT_LIMIT, room - 500)))
        # an HTML <pre>, escaped, so that no fence in the output can close it
        lines += ["", "<pre>", html.escape(output.rstrip("\n"), quote=False), "</pre>"]
    lines += ["</details>", ""]
    block = "\n".join(lines)
    return block if len(block) <= room else ""
