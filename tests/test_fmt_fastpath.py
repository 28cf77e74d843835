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
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return already_canonical(text, KINDS[kind].model)


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
            f"    baseline: {draw(st.sampled_from(['{quarter: 2021/22 Q1, value: 121}', '{month: 2019-12, value: 59.4}']))}",
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
