"""Pytest options of the report tests: ``--update-goldens`` rewrites the golden files."""

from __future__ import annotations

import pytest

UPDATE_GOLDENS = "--update-goldens"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("reports").addoption(
        UPDATE_GOLDENS,
        action="store_true",
        default=False,
        help="rewrite tests/goldens/ from the current renderers instead of comparing with them",
    )
