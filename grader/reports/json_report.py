"""The JSON report: ``SubmissionResult.to_dict()`` as it is, for autograders and scripts."""

from __future__ import annotations

import json

from grader.results import SubmissionResult


def render_json(result: SubmissionResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
