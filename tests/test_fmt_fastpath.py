"""fmt's fast path (`already_canonical`) never says "unchanged" where the round trip would change or refuse a file.

The fast path proves a file canonical from libyaml's events; the round trip (ruamel.yaml, then
reordering) is the definition. Every file it accepts must be one the round trip leaves exactly as it
is: checked on the hazard corpus, the bundled trusts and the fixtures, on records written in the
house layout with every scalar spelling that could come back otherwise, and on the property test's
records of any layout.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratctl.authoring import formatting
from stratctl.authoring.formatting import already_canonical, format_file
from stratctl.kinds import KINDS, kind_of_folder
from stratctl.rewrite import source_text
from tests.conftest import PROJECT
from tests.test_fmt_properties import record

CORPORA = [
    PROJECT / "data",
    PROJECT / "examples",
    PROJECT / "tests" / "corpus",
    PROJECT / "tests" / "fixtures",
    PROJECT / "tests" / "rule_cases",
]
FILES = sorted(p for root in CORPORA for p in root.rglob("*.y*ml") if p.is_file())


def _kind(path: Path) -> str:
    if path.name == "trust.yaml":
        return "trust"
    kind = kind_of_folder(path.parent.name)
    return kind.name if kind is not None else "objective"


def _slow(path: Path, kind: str) -> formatting.FormatResult:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(formatting, "already_canonical", lambda text, model: False)
        return format_file(path, kind)


def _fast_says_canonical(raw: bytes, kind: str) -> bool:
    """The fast path's answer on the text as format_file gives it (no BOM, LF line endings)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return already_canonical(source_text(text).text, KINDS[kind].model)


def _agrees(raw: bytes, kind: str, name: str = "r.yaml") -> bool:
    """Whether the fast path accepted the text; asserts the round trip then leaves it alone."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        if not _fast_says_canonical(raw, kind):
            return False
        slow = _slow(path, kind)
        assert slow.skipped is None and not slow.changed, (raw.decode("utf-8", "replace"), slow)
        assert format_file(path, kind) == slow
        return True


def test_the_corpus_has_files_of_both_kinds() -> None:
    assert len(FILES) > 100


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_fast_path_agrees_with_the_round_trip_on_the_corpus(path: Path) -> None:
    _agrees(path.read_bytes(), _kind(path), path.name)


def test_fast_path_accepts_the_house_layout() -> None:
    """Not a vacuous check: plain records in the layout fmt writes are proven without the round trip."""
    accepted = sum(_agrees(p.read_bytes(), _kind(p), p.name) for p in FILES)
    assert accepted >= 20


SCALARS = [
    "on-track",
    "0.10",
    "1.50",
    "100",
    "-3",
    "0",
    "-0",
    "1e3",
    ".5",
    "2022-03-31",
    "2022-02-30",
    "2019-12",
    "2021-1-1",
    "yes",
    "No",
    "on",
    "null",
    "~",
    "true",
    "True",
    "'quoted'",
    '"533902"',
    "'it''s'",
    '"a\\tb"',
    "0o17",
    "0x1F",
    "007",
    "+5",
    "1_000",
    "Plain words, with a comma",
    "a:b",
    "x@y",
    "[a, b]",
    "[]",
    "{}",
    "{quarter: 2021/22 Q1, value: 1.0}",
    "[a,b]",
    "{a: 1,b: 2}",
    "[ a ]",
    "['x', \"y\"]",
    "[2022-02-30]",
]
BODIES = ["Some text.", "More text\n      on two lines.", "Text\n        indented more.", "A\n\n      B"]


@st.composite
def house_record(draw: st.DrawFn) -> bytes:
    """An objective in the layout fmt writes, with values of every spelling in SCALARS."""
    value = st.sampled_from(SCALARS)
    lines = ["id: talent", f"title: {draw(value)}", "year: 2021/22", "priority: recover", "lead: CPO"]
    if draw(st.booleans()):
        lines.append(f"supports: {draw(st.sampled_from(['[SO2]', '[SO1, SO2]', '[]']))}")
    if draw(st.booleans()):
        lines.append(f"due: {draw(value)}")
    if draw(st.booleans()):
        lines += [
            "measures:",
            "  - id: m",
            f"    name: {draw(value)}",
            "    direction: down",
            "    baseline: "
            + draw(st.sampled_from(["{quarter: 2021/22 Q1, value: 121}", "{month: 2019-12, value: 59.4}"])),
            f"    target: {draw(value)}",
        ]
    if draw(st.booleans()):
        lines += ["updates:", "  - quarter: 2021/22 Q1", "    progress: on-track"]
        if draw(st.booleans()):
            header = draw(st.sampled_from([">-", ">", "|", "|-", ">+", "|2"]))
            lines += [f"    comment: {header}", "      " + draw(st.sampled_from(BODIES))]
        lines.append(f"    projected: {draw(st.sampled_from(['G', 'A', 'R', 'null']))}")
    if draw(st.integers(0, 4)) == 0:
        lines = draw(st.permutations(lines))
    return ("\n".join(lines) + "\n").encode()


@settings(max_examples=300, deadline=None)
@given(house_record())
def test_fast_path_agrees_on_the_house_layout(raw: bytes) -> None:
    _agrees(raw, "objective")


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(record())
def test_fast_path_agrees_on_any_layout(raw: bytes) -> None:
    """Soundness: the fast path must refuse what the round trip would change. These layouts (comments,
    blank lines, any order) are ones it should refuse, so it fails only if the fast path grows too lenient."""
    _agrees(raw, "objective")


# --- the files people write: comments, blank lines, block scalars, quoted and flow values ----------

HAND_WORDS = ["Talent", "plan", "agreed", "£2.0m", "café", "Q3", "x", "from the seed", "–", "naïve", "12"]
hand_words = st.lists(st.sampled_from(HAND_WORDS), min_size=1, max_size=5).map(" ".join)


@st.composite
def hand_scalar(draw, indent: int) -> list[str]:  # type: ignore[no-untyped-def]
    """A text value as people write it, as the rest of a `key: ` line and the lines below it."""
    words = draw(hand_words)
    style = draw(st.sampled_from(["plain", "single", "double", "folded", "folded", "literal"]))
    if style == "plain":
        return [words if words[0].isalnum() or words[0] in "£" else "Plain " + words]
    if style == "single":
        return [f"'{words}'"]
    if style == "double":
        return [f'"{words}"']
    header = draw(st.sampled_from([">-", ">", "|", "|-"])) if style == "folded" else draw(st.sampled_from(["|", "|-"]))
    if draw(st.integers(0, 3)) == 0:
        header += draw(st.sampled_from(["  # as the seed says", " # note"]))
    pad = " " * (indent + 2)
    body = [pad + draw(hand_words)]
    body += ["" if draw(st.integers(0, 3)) == 0 else pad + draw(hand_words) for _ in range(draw(st.integers(0, 3)))]
    if not body[-1]:
        body.append(pad + "last")
    return [header, *body]


Lines = list[tuple[str, bool]]
"""A record's lines, each with whether a comment may follow it on its line."""


def _field(lines: Lines, key: str, indent: int, value: list[str]) -> None:
    head = " " * indent + (f"{key}: {value[0]}" if value[0] else f"{key}:")
    lines.append((head, not value[0].startswith((">", "|")) or "#" not in value[0]))
    lines.extend((line, False) for line in value[1:])


@st.composite
def hand_fields(draw) -> Lines:  # type: ignore[no-untyped-def]
    """An objective's fields in the record format's order and the house indentation."""
    lines: Lines = []
    for key, value in [("id", ["talent"]), ("title", draw(hand_scalar(0))), ("year", ["2021/22"])]:
        _field(lines, key, 0, value)
    _field(lines, "priority", 0, ["recover-safely"])
    if draw(st.booleans()):
        _field(lines, "order", 0, [str(draw(st.integers(1, 12)))])
    supports = draw(st.sampled_from(["[SO1]", "[SO1, SO4]", "[]", "block"]))
    _field(lines, "supports", 0, ["", "  - SO1", "  - SO4"] if supports == "block" else [supports])
    _field(lines, "lead", 0, ["CPO"])
    if draw(st.booleans()):
        _field(lines, "risks", 0, [draw(st.sampled_from(['["103348"]', "['103348', '103349']", "[elective-waits]"]))])
    _field(lines, "due", 0, ["2022-03-31"])
    if draw(st.booleans()):
        _field(lines, "measures", 0, [""])
        lines.append(("  - id: hsmr", True))
        _field(lines, "name", 4, draw(hand_scalar(4)))
        _field(lines, "direction", 4, ["down"])
        baseline = draw(st.sampled_from(["{quarter: 2021/22 Q1, value: 118}", "{month: 2019-12, value: 59.4}"]))
        _field(lines, "baseline", 4, [baseline])
        _field(lines, "target", 4, [draw(st.sampled_from(["100", "0.85", "{at_least: 75}"]))])
        if draw(st.booleans()):
            _field(lines, "actuals", 4, [""])
            _field(lines, "2021/22 Q2", 6, ["110"])
            _field(lines, "2021/22 Q3", 6, ["104"])
    _field(lines, "updates", 0, [""])
    for quarter in ("2021/22 Q2", "2021/22 Q3")[: draw(st.integers(1, 2))]:
        lines.append((f"  - quarter: {quarter}", True))
        _field(lines, "progress", 4, [draw(st.sampled_from(["on-track", "behind", "at-risk"]))])
        if draw(st.booleans()):
            _field(lines, "comment", 4, draw(hand_scalar(4)))
        _field(lines, "projected", 4, [draw(st.sampled_from(["G", "A", "R"]))])
    return lines


@st.composite
def hand_record(draw) -> tuple[bytes, int]:  # type: ignore[no-untyped-def]
    """An objective as people write it in the house layout (hand_fields), with comments beside values and on
    lines of their own at any column, blank lines, LF, CR LF or CR endings and perhaps a BOM. Returns the
    bytes and how many comments and blank lines it holds."""
    lines: list[str] = []
    extras = 0
    if draw(st.integers(0, 3)) == 0:
        lines.append("# " + draw(hand_words))
        extras += 1
    for line, may_end_in_comment in draw(hand_fields()):
        for _ in range(draw(st.integers(0, 2)) if draw(st.integers(0, 4)) == 0 else 0):
            blank = draw(st.booleans()) or not lines
            lines.append("" if blank else " " * draw(st.integers(0, 8)) + "# " + draw(hand_words))
            extras += 1
        if may_end_in_comment and draw(st.integers(0, 3)) == 0:
            line += " " * draw(st.integers(1, 3)) + "# " + draw(hand_words)
            extras += 1
        lines.append(line)
    if draw(st.integers(0, 4)) == 0:
        lines.append("# the end")
        extras += 1
    text = ("\n".join(lines) + "\n").replace("\n", draw(st.sampled_from(["\n", "\n", "\r\n", "\r"])))
    bom = "\ufeff" if draw(st.integers(0, 5)) == 0 else ""
    return (bom + text).encode("utf-8"), extras


@settings(max_examples=400, deadline=None)
@given(hand_record())
def test_fast_path_gives_the_round_trips_answer_on_hand_written_files(case: tuple[bytes, int]) -> None:
    """The property fmt --check rests on: on the files people write, the fast path's answer is the round
    trip's, whatever the comments, blank lines, quoting, line endings or BOM."""
    raw, _ = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "talent.yaml"
        path.write_bytes(raw)
        assert format_file(path, "objective") == _slow(path, "objective")
        _agrees(raw, "objective")


BUNDLED = sorted(p for root in (PROJECT / "data", PROJECT / "examples") for p in root.rglob("*.yaml") if p.is_file())
NESTED_FLOW = {"examples/sthft/data/trust.yaml"}  # `target: {between: [85, 92]}`: a flow list in a flow mapping


@pytest.mark.parametrize(("newline", "bom"), [("\n", ""), ("\r\n", ""), ("\n", "\ufeff"), ("\r\n", "\ufeff")])
def test_fast_path_proves_the_bundled_hand_written_records(newline: str, bom: str) -> None:
    """Not vacuous: every bundled record (comments, blank lines, block scalars, quoted and flow values,
    pound signs and dashes) is proven canonical without the round trip, with CR LF endings or a BOM too,
    but for the one layout it leaves to the round trip; and the round trip agrees on each."""
    proven = set()
    for path in BUNDLED:
        raw = (bom + path.read_text(encoding="utf-8").replace("\n", newline)).encode("utf-8")
        if _agrees(raw, _kind(path), path.name):
            proven.add(path.relative_to(PROJECT).as_posix())
    assert {p.relative_to(PROJECT).as_posix() for p in BUNDLED} - proven == NESTED_FLOW
