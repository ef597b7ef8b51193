"""Tests of fixtures/: the oracle, the loader, the build and the scenario files (no Spark)."""

from __future__ import annotations

import dataclasses
import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest

from fixtures import build, oracle
from fixtures.loader import (
    Scenario,
    ScenarioError,
    fixtures_dir,
    lines_of,
    load_scenario,
    load_scenarios,
)

LECTURE = [
    '{"name": "Jill", "surname": "Millers", "amount": 736.56, "delta_t": 7.78, "flag": 0}',
    '{"name": "John", "surname": "Johnson", "amount": 986.47, "delta_t": 3.9, "flag": 0}',
    '{"name": "John", "surname": "Jones", "amount": 249.9, "delta_t": 0.62, "flag": 1}',
    '{"name": "Andy", "surname": "Jones", "amount": 950.95, "delta_t": 6.02, "flag": 0}',
    '{"name": "Jill", "surname": "Millers", "amount": 724.32, "delta_t": 9.19, "flag": 0}',
    '{"name": "John", "surname": "Johnson", "amount": 850.07, "delta_t": 7.33, "flag": 1}',
    '{"name": "Andy", "surname": "Smith", "amount": 557.48, "delta_t": 9.64, "flag": 0}',
    '{"name": "Alice", "surname": "Darby", "amount": 424.75, "delta_t": 7.76, "flag": 0}',
]
BLANKS = {"select_names", "parse_transactions", "flagged_counts", "suspicious_users", "pipeline"}
SCENARIOS = load_scenarios()


def counts(*pairs: tuple[str, int]) -> list[dict[str, Any]]:
    return [{"userID": uid, "count": n} for uid, n in pairs]


def fraud(*pairs: tuple[str, int]) -> list[dict[str, Any]]:
    return [{"userID": uid, "isFraud": True, "count": n} for uid, n in pairs]


def message(name: str, surname: str, flag: int, amount: float = 10.0) -> str:
    return json.dumps(
        {"name": name, "surname": surname, "amount": amount, "delta_t": 1.0, "flag": flag},
        ensure_ascii=False,
    )


@pytest.fixture
def fixtures_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixtures root, made current through FIXTURES_DIR."""
    for folder in ("scenarios", "messages"):
        shutil.copytree(fixtures_dir() / folder, tmp_path / folder)
    monkeypatch.setenv("FIXTURES_DIR", str(tmp_path))
    return tmp_path


# ---------------------------------------------------------------- build


def test_committed_expectations_equal_the_oracle() -> None:
    assert build.build(check=True) == []
    assert build.main(["--check"]) == 0


def test_build_check_lists_a_stale_file_and_build_repairs_it(fixtures_copy: Path) -> None:
    path = fixtures_copy / "scenarios" / "public" / "cumulative_across_batches.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["expected"]["flagged_counts"]["update"][1] = []
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    assert build.build(check=True) == [path]
    assert build.main(["--check"]) == 1
    assert build.build() == [path]
    assert build.build(check=True) == []
    repaired = json.loads(path.read_text(encoding="utf-8"))
    assert repaired["expected"]["flagged_counts"]["update"][1] == counts(("JohnJones", 2))


def test_build_refuses_a_flagged_message_without_a_surname(fixtures_copy: Path) -> None:
    path = fixtures_copy / "scenarios" / "hidden" / "mixed_edge_cases.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["batches"][0].append('{"name": "Andy", "amount": 1.0, "delta_t": 1.0, "flag": 1}')
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(oracle.UnmodelledInput):
        build.build(check=True)
    assert build.main(["--check"]) == 2


def test_scenario_files_are_written_in_the_stable_format() -> None:
    for scenario in SCENARIOS:
        text = scenario.path.read_text(encoding="utf-8")
        assert text == build.render(scenario), scenario.name
        assert text.endswith("}\n") and not text.endswith("\n\n")


# ---------------------------------------------------------------- scenario structure


def test_there_are_public_and_hidden_scenarios_with_unique_names() -> None:
    public, hidden = load_scenarios("public"), load_scenarios("hidden")
    assert len(public) >= 4 and len(hidden) >= 4
    names = [scenario.name for scenario in SCENARIOS]
    assert len(names) == len(set(names)) == len(public) + len(hidden)
    assert {s.visibility for s in public} == {"public"}
    assert {s.visibility for s in hidden} == {"hidden"}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_shape(scenario: Scenario) -> None:
    assert scenario.path.parent.name == scenario.visibility
    assert scenario.path.stem == scenario.name
    assert scenario.description.strip()
    assert 2 <= len(scenario.batches) <= 4
    assert 2 <= len(scenario.count_batches) <= 4
    assert all(scenario.batches) and all(scenario.count_batches), "no empty batches"
    assert set(scenario.expected) == BLANKS
    n, n_counts = len(scenario.batches), len(scenario.count_batches)
    assert len(scenario.expected["select_names"]) == n
    assert len(scenario.expected["parse_transactions"]) == n
    for mode in oracle.MODES:
        assert len(scenario.expected["flagged_counts"][mode]) == n
        assert len(scenario.expected["pipeline"][mode]) == n
        assert len(scenario.expected["suspicious_users"][mode]) == n_counts
    for names, rows in zip(
        scenario.expected["select_names"], scenario.expected["parse_transactions"], strict=True
    ):
        assert names == oracle._sorted(
            {"name": row["name"], "surname": row["surname"]} for row in rows
        )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_lines_stay_where_the_contract_speaks(scenario: Scenario) -> None:
    ids: dict[str, tuple[str, str]] = {}
    for line in (line for batch in scenario.batches for line in batch):
        row = oracle.parse_line(line)
        if row is None:
            continue
        assert row["flag"] in (0, 1, None), line
        raw = json.loads(line)
        if "flag" in raw:
            assert type(raw["flag"]) is int and raw["flag"] in (0, 1), line
        if row["flag"] == 1:
            assert row["name"] is not None and row["surname"] is not None, line
            pair = (row["name"], row["surname"])
            assert ids.setdefault(row["name"] + row["surname"], pair) == pair, "userID collision"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_count_batches_grow_like_an_upstream_update_stream(scenario: Scenario) -> None:
    last: dict[str, int] = {}
    for rows in scenario.count_batches:
        users = [row["userID"] for row in rows]
        assert len(users) == len(set(users)), "one row per user per batch"
        for row in rows:
            assert row["count"] >= 1
            assert row["count"] > last.get(row["userID"], 0), row
            last[row["userID"]] = row["count"]


def test_count_batches_have_users_at_one_and_a_user_going_from_one_to_two() -> None:
    histories = [
        [row["count"] for rows in s.count_batches for row in rows if row["userID"] == uid]
        for s in SCENARIOS
        for uid in {row["userID"] for rows in s.count_batches for row in rows}
    ]
    assert any(history == [1] for history in histories)
    assert any(history[:2] == [1, 2] for history in histories)


def test_at_least_half_of_the_scenarios_restart() -> None:
    restarting = [s for s in SCENARIOS if s.restart_after]
    assert 2 * len(restarting) >= len(SCENARIOS)
    for visibility in ("public", "hidden"):
        assert any(s.visibility == visibility for s in restarting)


def _late_suspicious(scenario: Scenario) -> set[str]:
    complete = scenario.expected["pipeline"]["complete"]
    first = {row["userID"] for row in complete[0]}
    flagged_first = {row["userID"] for row in scenario.expected["flagged_counts"]["update"][0]}
    later = {row["userID"] for batch in complete[1:] for row in batch}
    return (later - first) & flagged_first


@pytest.mark.parametrize("visibility", ["public", "hidden"])
def test_a_user_becomes_suspicious_only_in_a_later_batch(visibility: str) -> None:
    assert any(_late_suspicious(s) for s in load_scenarios(visibility))


@pytest.mark.parametrize("visibility", ["public", "hidden"])
def test_a_batch_without_flags_emits_nothing_in_update_but_everything_in_complete(
    visibility: str,
) -> None:
    def has_quiet_batch(scenario: Scenario) -> bool:
        flagged = scenario.expected["flagged_counts"]
        return any(
            not update and complete
            for update, complete in zip(flagged["update"], flagged["complete"], strict=True)
        )

    assert any(has_quiet_batch(s) for s in load_scenarios(visibility))


def test_scenarios_cover_the_edge_cases() -> None:
    lines = [line for s in SCENARIOS for batch in s.batches for line in batch]
    parsed = [oracle.parse_line(line) for line in lines]
    assert "" in lines
    assert any(
        row is None and line.startswith("[") for line, row in zip(lines, parsed, strict=True)
    )
    assert any(
        row is None and not line.lstrip().startswith(("{", "[")) and line
        for line, row in zip(lines, parsed, strict=True)
    )
    assert any(
        r and r["flag"] == 1 and r["amount"] is None and '"amount": "' in line
        for line, r in zip(lines, parsed, strict=True)
    ), "a producer-shaped flagged message"
    assert any(r and r["flag"] is None for r in parsed), "a message without a flag"
    assert any(r and not r["name"].isascii() for r in parsed)
    assert any(
        batch.count(line) > 1 and '"flag": 1' in line
        for s in SCENARIOS
        for batch in s.batches
        for line in batch
    )


# ---------------------------------------------------------------- message files


def test_lecture_messages_are_verbatim() -> None:
    assert lines_of("lecture") == LECTURE
    assert lines_of("lecture.jsonl") == LECTURE


def test_producer_messages_are_the_lecture_messages_with_string_amounts() -> None:
    producer = lines_of("producer_strings")
    assert len(producer) == len(LECTURE)
    for line, original in zip(producer, LECTURE, strict=True):
        raw, reference = json.loads(line), json.loads(original)
        assert isinstance(raw["amount"], str) and isinstance(raw["delta_t"], str)
        assert raw["amount"] == f"{reference['amount']:.2f}"
        assert raw["delta_t"] == f"{reference['delta_t']:.2f}"
        assert raw["flag"] == reference["flag"] and type(raw["flag"]) is int
        row = oracle.parse_line(line)
        assert row == {**reference, "amount": None, "delta_t": None}


def test_edge_case_messages() -> None:
    lines = lines_of("edge_cases")
    rows = [oracle.parse_line(line) for line in lines]
    assert lines[1] == "" and rows[1] is None
    assert rows[0] is None and rows[2] is None and rows[3] is None
    present = [row for row in rows if row is not None]
    assert any(row["amount"] is None and row["flag"] == 1 for row in present)
    assert any(row["flag"] is None and row["amount"] is not None for row in present)
    assert {"JoséMüller", "ZoëŌta"} <= {row["name"] + row["surname"] for row in present}
    assert any(type(row["amount"]) is float and row["amount"] == 250.0 for row in present)
    duplicates = [line for line in lines if lines.count(line) > 1 and '"flag": 1' in line]
    assert len(duplicates) == 2
    assert any("currency" in line for line in lines)


# ---------------------------------------------------------------- oracle: parsing


def test_parse_line_on_a_lecture_message() -> None:
    assert oracle.parse_line(LECTURE[2]) == {
        "name": "John",
        "surname": "Jones",
        "amount": 249.9,
        "delta_t": 0.62,
        "flag": 1,
    }


def test_parse_line_nulls_string_amounts_and_keeps_the_other_fields() -> None:
    row = oracle.parse_line(
        '{"name": "Jill", "surname": "Millers", "amount": "736.56", "delta_t": 7.78, "flag": 1}'
    )
    assert row == {"name": "Jill", "surname": "Millers", "amount": None, "delta_t": 7.78, "flag": 1}


@pytest.mark.parametrize(
    "line",
    [
        "",
        "   ",
        "this is not JSON",
        "[1, 2]",
        '[{"name": "A", "flag": 1}]',
        "null",
        "42",
        '"str"',
        "{}",
        '{"other": 1}',
        '{"name": "A", "flag": 1',
        '\ufeff{"name": "A"}',
    ],
)
def test_parse_line_gives_none_for_all_null_rows(line: str) -> None:
    assert oracle.parse_line(line) is None


@pytest.mark.parametrize(
    ("raw_flag", "flag"),
    [
        ("1", 1),
        ("0", 0),
        ("-0", 0),
        ('"1"', None),
        ("1.0", None),
        ("true", None),
        ("null", None),
        ("2147483647", 2**31 - 1),
        ("2147483648", None),
    ],
)
def test_parse_line_flag_is_a_32_bit_json_integer(raw_flag: str, flag: int | None) -> None:
    row = oracle.parse_line(f'{{"name": "A", "surname": "B", "flag": {raw_flag}}}')
    assert row is not None and row["flag"] == flag and type(row["flag"]) is type(flag)


def test_parse_line_numbers_and_fields() -> None:
    row = oracle.parse_line('{"name": "A", "surname": "B", "amount": 250, "delta_t": 3, "x": 1}')
    assert row == {"name": "A", "surname": "B", "amount": 250.0, "delta_t": 3.0, "flag": None}
    assert type(row["amount"]) is float
    row = oracle.parse_line('{"surname": "B", "amount": true}')
    assert row == {"name": None, "surname": "B", "amount": None, "delta_t": None, "flag": None}


def test_parse_line_special_double_strings() -> None:
    row = oracle.parse_line('{"name": "A", "amount": "NaN", "delta_t": "-INF"}')
    assert row is not None and math.isnan(row["amount"]) and row["delta_t"] == -math.inf
    row = oracle.parse_line('{"name": "A", "amount": "INF", "delta_t": "+Infinity"}')
    assert row is not None and row["amount"] is None and row["delta_t"] == math.inf


def test_parse_line_non_ascii_and_escapes_agree() -> None:
    raw = oracle.parse_line('{"name": "Zoë", "surname": "Ōta", "flag": 1}')
    escaped = oracle.parse_line('{"name": "Zo\\u00eb", "surname": "\\u014cta", "flag": 1}')
    assert raw == escaped
    assert raw is not None and oracle.user_id(raw) == "ZoëŌta"


def test_parse_line_ignores_what_follows_the_first_value() -> None:
    assert oracle.parse_line('{"name": "A", "flag": 1} trailing') == oracle.parse_line(
        '  {"name": "A", "flag": 1}'
    )


def test_parse_line_renders_integer_and_boolean_names_as_text() -> None:
    row = oracle.parse_line('{"name": 5, "surname": true}')
    assert row is not None and (row["name"], row["surname"]) == ("5", "true")


@pytest.mark.parametrize(
    "line",
    [
        "{'name': 'A', 'flag': 1}",
        '{"name": "A", "name": "C"}',
        '{"name": 1.5}',
        '{"name": {"a": 1}}',
        "it's not JSON",
    ],
)
def test_parse_line_refuses_what_it_does_not_model(line: str) -> None:
    with pytest.raises(oracle.UnmodelledInput):
        oracle.parse_line(line)


# ---------------------------------------------------------------- oracle: per-batch outputs


def test_lecture_messages_in_one_batch() -> None:
    for mode in oracle.MODES:
        assert oracle.flagged_counts([LECTURE], mode) == [
            counts(("JohnJohnson", 1), ("JohnJones", 1))
        ]
        assert oracle.pipeline([LECTURE], mode) == [[]]
    assert len(oracle.parse_transactions([LECTURE])[0]) == 8
    assert {"name": "Alice", "surname": "Darby"} in oracle.select_names([LECTURE])[0]


def test_lecture_messages_twice_are_suspicious_after_batch_two() -> None:
    both = counts(("JohnJohnson", 2), ("JohnJones", 2))
    assert oracle.flagged_counts([LECTURE, LECTURE], "update")[1] == both
    assert oracle.pipeline([LECTURE, LECTURE], "update") == [
        [],
        fraud(("JohnJohnson", 2), ("JohnJones", 2)),
    ]
    assert oracle.pipeline([LECTURE + LECTURE], "complete") == [
        fraud(("JohnJohnson", 2), ("JohnJones", 2))
    ]


def test_update_emits_changed_users_and_complete_emits_all() -> None:
    batches = [
        [message("John", "Jones", 1), message("Andy", "Smith", 1)],
        [message("John", "Jones", 1), message("Jill", "Millers", 0)],
        [message("Jill", "Millers", 0)],
    ]
    assert oracle.flagged_counts(batches, "update") == [
        counts(("AndySmith", 1), ("JohnJones", 1)),
        counts(("JohnJones", 2)),
        [],
    ]
    assert oracle.flagged_counts(batches, "complete") == [
        counts(("AndySmith", 1), ("JohnJones", 1)),
        counts(("AndySmith", 1), ("JohnJones", 2)),
        counts(("AndySmith", 1), ("JohnJones", 2)),
    ]
    assert oracle.pipeline(batches, "update") == [[], fraud(("JohnJones", 2)), []]
    assert oracle.pipeline(batches, "complete") == [
        [],
        fraud(("JohnJones", 2)),
        fraud(("JohnJones", 2)),
    ]


def test_identical_flagged_messages_both_count() -> None:
    line = message("Jill", "Millers", 1, 99.99)
    assert oracle.flagged_counts([[line, line]], "update") == [counts(("JillMillers", 2))]
    assert oracle.parse_transactions([[line, line]])[0] == [oracle.parse_line(line)] * 2


def test_all_null_rows_are_left_out_of_appended_batches() -> None:
    batches = [["not JSON", "", LECTURE[0]], ["[1]", LECTURE[2]]]
    assert oracle.select_names(batches) == [
        [{"name": "Jill", "surname": "Millers"}],
        [{"name": "John", "surname": "Jones"}],
    ]
    assert [len(rows) for rows in oracle.parse_transactions(batches)] == [1, 1]


def test_suspicious_users_follow_the_running_max() -> None:
    count_batches = [
        counts(("AndySmith", 1), ("JohnJones", 3)),
        counts(("JohnJones", 2), ("JillMillers", 2)),
        counts(("AndySmith", 2)),
    ]
    assert oracle.suspicious_users(count_batches, "update") == [
        fraud(("JohnJones", 3)),
        fraud(("JillMillers", 2), ("JohnJones", 3)),
        fraud(("AndySmith", 2)),
    ]
    assert oracle.suspicious_users(count_batches, "complete") == [
        fraud(("JohnJones", 3)),
        fraud(("JillMillers", 2), ("JohnJones", 3)),
        fraud(("AndySmith", 2), ("JillMillers", 2), ("JohnJones", 3)),
    ]


def test_suspicious_users_never_includes_a_count_of_one() -> None:
    assert oracle.suspicious_users([counts(("A", 1))] * 3, "complete") == [[], [], []]


def test_flagged_message_without_a_name_is_refused_but_unflagged_is_fine() -> None:
    nameless = '{"surname": "Jones", "amount": 1.0, "delta_t": 1.0, "flag": %d}'
    assert oracle.flagged_counts([[nameless % 0]], "update") == [[]]
    with pytest.raises(oracle.UnmodelledInput):
        oracle.flagged_counts([[nameless % 1]], "update")


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        oracle.flagged_counts([LECTURE], "append")  # type: ignore[arg-type]


# ---------------------------------------------------------------- loader


def test_loader_visibility_filter_and_bad_visibility() -> None:
    assert {s.visibility for s in load_scenarios("hidden")} == {"hidden"}
    assert len(load_scenarios()) == len(load_scenarios("public")) + len(load_scenarios("hidden"))
    with pytest.raises(ValueError, match="visibility"):
        load_scenarios("secret")


def test_scenario_is_frozen_and_holds_tuples() -> None:
    scenario = SCENARIOS[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        scenario.name = "other"  # type: ignore[misc]
    assert isinstance(scenario.batches, tuple) and isinstance(scenario.batches[0], tuple)
    assert scenario.inputs()["batches"] == [list(batch) for batch in scenario.batches]


def test_fixtures_dir_override(fixtures_copy: Path) -> None:
    shutil.rmtree(fixtures_copy / "scenarios" / "hidden")
    (fixtures_copy / "scenarios" / "hidden").mkdir()
    assert fixtures_dir() == fixtures_copy
    assert load_scenarios("hidden") == []
    assert all(s.path.is_relative_to(fixtures_copy) for s in load_scenarios())
    (fixtures_copy / "messages" / "lecture.jsonl").write_text("x\n\ny\n", encoding="utf-8")
    assert lines_of("lecture") == ["x", "", "y"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"visibility": "hidden"}, "folder"),
        ({"name": "renamed"}, "file name"),
        ({"restart_after": [2]}, "restart_after"),
        ({"restart_after": [1, 0]}, "restart_after"),
        ({"batches": [["{}"]]}, "two batches"),
        ({"count_batches": [[{"userID": "A"}], []]}, "count row"),
        ({"count_batches": [[{"userID": "A", "count": True}], []]}, "count"),
    ],
)
def test_loader_rejects_malformed_scenarios(
    fixtures_copy: Path, change: dict[str, Any], message: str
) -> None:
    path = fixtures_copy / "scenarios" / "public" / "cumulative_across_batches.json"
    data = {**json.loads(path.read_text(encoding="utf-8")), **change}
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ScenarioError, match=message):
        load_scenario(path)
