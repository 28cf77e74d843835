"""The YAML reader: YAML 1.2 core scalars, and every hazard refused at its position."""

from __future__ import annotations

import pytest

from stratctl.yamlsource import LeadingZeroInt, parse


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("x: yes", "yes"),
        ("x: NO", "NO"),
        ("x: on", "on"),
        ("x: true", True),
        ("x: false", False),
        ("x: ~", None),
        ("x:", None),
        ("x: 12", 12),
        ("x: 1.5", 1.5),
        ("x: 2022-03-31", "2022-03-31"),
        ("x: '12'", "12"),
        ("x: 2021/22 Q3", "2021/22 Q3"),
        ("x: 0x1F", 31),
        ("x: 1_000", "1_000"),
        ("x: 012", 12),
    ],
)
def test_scalars_follow_yaml_1_2_core_with_dates_kept_as_text(text: str, value: object) -> None:
    document = parse(text)
    assert document.problems == []
    assert document.data == {"x": value}
    assert type(document.data["x"]) is type(value) or isinstance(document.data["x"], type(value))


def test_leading_zero_numbers_remember_their_source() -> None:
    value = parse("id: 0012").data["id"]
    assert isinstance(value, LeadingZeroInt)
    assert value == 12 and value.source == "0012"


def test_bom_and_crlf_are_accepted() -> None:
    document = parse("id: a\r\ntitle: b\r\n", positions=True)
    assert document.data == {"id": "a", "title": "b"}
    assert document.position(("title",)) == (2, 8)


def test_positions_of_keys_and_values_are_one_based() -> None:
    text = "id: a\nupdates:\n  - quarter: 2021/22 Q3\n    progress: behind\n"
    document = parse(text, positions=True)
    assert document.position(("updates", 0, "progress")) == (4, 15)
    assert document.position(("updates", 0, "progress"), key=True) == (4, 5)
    assert document.position(("updates", 0, "missing")) == (3, 5)


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        ("a: 1\na: 2\n", "Y002", 2, 1),
        ("a: 1\n---\nb: 2\n", "Y004", 2, 1),
        ("a: &x [1]\n", "Y005", 1, 4),
        ("a: [1]\nb: *x\n", "Y005", 2, 4),
        ("a: !!python/object/apply:os.system [ls]\n", "Y006", 1, 4),
        ("a: !custom x\n", "Y006", 1, 4),
        ("a: !!str x\n", "Y006", 1, 4),
        ("a:\n\tb: 1\n", "Y001", 2, 1),
        ("title: Phase 1: scoping\n", "Y001", 1, 15),
        ("a: b\x07c\n", "Y003", 1, 5),
        ("", "Y008", 1, 1),
        ("# only a comment\n", "Y008", 1, 1),
        ("- a\n- b\n", "Y008", 1, 1),
        ("just text\n", "Y008", 1, 1),
        ("a: " + "[" * 40 + "]" * 40 + "\n", "Y007", 1, 35),
    ],
)
def test_hazards_are_problems_at_their_position(text: str, code: str, line: int, column: int) -> None:
    problems = parse(text).problems
    assert problems, f"no problem found in {text!r}"
    first = problems[0]
    assert (first.code, first.line, first.column) == (code, line, column), first


def test_an_alias_is_never_expanded() -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    document = parse(laughs)
    assert document.data is None
    assert {p.code for p in document.problems} == {"Y005"}


def test_deep_nesting_raises_no_recursion_error() -> None:
    document = parse("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert [p.code for p in document.problems] == ["Y007"]


def test_a_comment_cutting_text_short_is_noticed_only_with_one_space() -> None:
    cut = parse("comment: costs #1 priority\nlead: COO  # two spaces: intended\n")
    assert cut.data == {"comment": "costs", "lead": "COO"}
    assert [(loc, line, column) for loc, line, column in cut.comment_cuts] == [(("comment",), 1, 16)]


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_a_unicode_line_break_outside_quotes_is_refused_where_an_editor_shows_it(char: str) -> None:
    text = f"id: café  # the team's\nlead: COO  # note{char}rationale: hidden\n"
    document = parse(text)
    assert document.data is None
    assert [(p.code, p.line, p.column) for p in document.problems] == [("Y003", 2, 18)]
    assert f"U+{ord(char):04X}" in document.problems[0].message


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_a_unicode_line_break_inside_quotes_is_text(char: str) -> None:
    for text in (f'title: "one{char}two"\n', f"title: 'one{char}two'\n"):
        document = parse(text)
        assert document.problems == [] and isinstance(document.data["title"], str)


def test_a_syntax_error_after_a_line_separator_is_placed_as_an_editor_counts() -> None:
    document = parse("a: 1\nb: x\u2028c: [\n")
    assert [(p.code, p.line) for p in document.problems] == [("Y003", 2), ("Y001", 3)]


def test_an_integer_too_long_for_python_is_a_finding_at_its_position() -> None:
    digits = "7" * 5000
    document = parse(f"id: x\ntarget: {digits}\n? {digits}\n: 1\n")
    assert [(p.code, p.line, p.column) for p in document.problems] == [("S003", 2, 9), ("S003", 3, 3)]
    assert "a number of 5,000 digits" in document.problems[0].message


@pytest.mark.parametrize(
    "char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_a_bidirectional_control_outside_quotes_is_refused(char: str) -> None:
    document = parse(f"lead: COO  # note {char}lead: CPO\n")
    assert [(p.code, p.line, p.column) for p in document.problems] == [("Y003", 1, 19)]
    assert parse(f'title: "a{char}b"\n').problems == []
