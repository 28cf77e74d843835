"""Property: fmt is lossless and idempotent on any layout of a record, or leaves the file alone.

The strategy writes objective records the way people do: keys in any order, any indentation, comments
beside values and on their own lines at any column, blank lines, every scalar style (block scalars
with lines that start with '#', keep-chomped trailing lines), flow and block lists, CR LF or CR line
endings, a BOM, `---`, `...`, directives.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratctl.yamlsource import Document, parse
from tests.conftest import format_in_place

WORDS = ["Talent", "plan", "agreed", "#1", "a: b", "Q3", "£2m", "café", "x", "'quoted'", '"dq"', "- dash", "yes", "12"]
text_words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


@st.composite
def scalar(draw: st.DrawFn, indent: int) -> str:
    """A text value written in one of YAML's styles, as the rest of a `key: ` line (and lines below)."""
    style = draw(st.sampled_from(["plain", "single", "double", "literal", "folded"]))
    words = draw(text_words)
    if style == "plain":
        return "Plain text" if any(c in words for c in "#:'\"-") or words in ("yes", "12") else words
    if style == "single":
        return "'" + words.replace("'", "''") + "'"
    if style == "double":
        return '"' + words.replace("\\", "\\\\").replace('"', '\\"') + '"'
    chomp = draw(st.sampled_from(["", "-", "+"]))
    extra = draw(st.sampled_from([2, 4, 6]))
    body = draw(
        st.lists(
            st.sampled_from([words, "# a line that starts with a hash", "", "second line"]), min_size=1, max_size=3
        )
    )
    if not body[0]:
        body[0] = words
    pad = " " * (indent + extra)
    lines = [pad + line if line else "" for line in body]
    if chomp == "+":
        lines += [""] * draw(st.integers(0, 2))
    return ("|" if style == "literal" else ">") + chomp + "\n" + "\n".join(lines)


@st.composite
def comment(draw: st.DrawFn, column: int) -> str:
    return " " * column + "# " + draw(text_words)


@st.composite
def record(draw: st.DrawFn) -> bytes:
    key_indent = draw(st.sampled_from([2, 4]))
    dash_indent = draw(st.sampled_from([0, 2, 4]))
    fields = [
        ("id", "talent"),
        ("title", draw(scalar(0))),
        ("year", "2021/22"),
        ("priority", "recover"),
        ("lead", "CPO"),
        ("due", "2022-03-31"),
    ]
    if draw(st.booleans()):
        fields.append(("supports", "[SO2]" if draw(st.booleans()) else "\n" + " " * dash_indent + "- SO2"))
    updates = [
        draw(update_entry(quarter, dash_indent))
        for quarter in draw(
            st.lists(st.sampled_from(["2021/22 Q1", "2021/22 Q2", "2021/22 Q3"]), unique=True, max_size=3)
        )
    ]
    if updates:
        fields.append(("updates", "\n" + "\n".join(updates)))
    del key_indent
    lines = draw(record_lines(draw(st.permutations(fields))))
    text = "\n".join(lines) + "\n"
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    text = text.replace("\n", newline)
    return (("\ufeff" if draw(st.integers(0, 5)) == 0 else "") + text).encode("utf-8")


@st.composite
def update_entry(draw: st.DrawFn, quarter: str, dash_indent: int) -> str:
    """One entry of `updates`: its keys in any order, with comments on lines of their own and after values."""
    entry = [("quarter", quarter), ("progress", "on-track"), ("projected", "G")]
    inner = dash_indent + 2
    if draw(st.booleans()):
        entry.append(("comment", draw(scalar(inner))))
    entry = draw(st.permutations(entry))
    item_lines = []
    for index, (key, value) in enumerate(entry):
        prefix = " " * dash_indent + "- " if index == 0 else " " * inner
        if draw(st.integers(0, 4)) == 0:
            item_lines.append(draw(comment(draw(st.integers(0, inner + 4)))))
        line = f"{prefix}{key}: {value}"
        if draw(st.integers(0, 4)) == 0 and "\n" not in value:
            line += "  # " + draw(text_words)
        item_lines.append(line)
    return "\n".join(item_lines)


@st.composite
def record_lines(draw: st.DrawFn, fields: list[tuple[str, str]]) -> list[str]:
    """The record's lines: the fields in the order given, with a directive, document markers, blank lines and
    comments among them."""
    lines = []
    if draw(st.booleans()):
        lines.append("# " + draw(text_words))
    if draw(st.integers(0, 5)) == 0:
        lines.append("%YAML 1.2")
        lines.append("---")
    elif draw(st.booleans()):
        lines.append("---")
    for key, value in fields:
        if draw(st.integers(0, 5)) == 0:
            lines.append("")
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(comment(draw(st.integers(0, 6)))))
        line = f"{key}: {value}" if not value.startswith("\n") else f"{key}:{value}"
        if draw(st.integers(0, 5)) == 0 and "\n" not in value:
            line += draw(st.sampled_from(["  # note", " # cut", "\t# tab"]))
        lines.append(line)
    if draw(st.integers(0, 6)) == 0:
        lines.append("..." + draw(st.sampled_from(["", " # end"])))
    return lines


def _data(raw: bytes) -> Document:
    text = raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return parse(text)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(record())
def test_fmt_keeps_the_data_and_is_idempotent(raw: bytes) -> None:
    before = _data(raw)
    if before.problems or not isinstance(before.data, dict):
        return  # not a record validate reads: fmt leaves it alone (tested elsewhere)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "talent.yaml"
        path.write_bytes(raw)
        first = format_in_place(path, "objective")
        once = path.read_bytes()
        if first.skipped is not None:
            assert once == raw, first.skipped
            assert "could not format it" not in first.skipped, first.skipped
            return
        assert _data(once).data == before.data
        assert _data(once).problems == []
        second = format_in_place(path, "objective")
        assert second.skipped is None, second.skipped
        assert not second.changed and path.read_bytes() == once


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(record())
def test_update_changes_only_its_quarter_or_refuses(raw: bytes) -> None:
    """update adds one quarter's entry; every other value of the record is read back unchanged, or the
    update is refused and the file left as it was."""
    import shutil

    from stratctl.api.records import update
    from stratctl.authoring.update import ObjectiveChange
    from stratctl.errors import StratctlError
    from stratctl.periods import Quarter
    from stratctl.rewrite import changed_elsewhere
    from stratctl.workspace import Workspace
    from tests.conftest import FIXTURES

    before = _data(raw)
    if before.problems or not isinstance(before.data, dict):
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "trust"
        shutil.copytree(FIXTURES / "minimal", root)
        path = root / "data" / "objectives" / "talent.yaml"
        path.write_bytes(raw)
        try:
            result = update(
                Workspace.open(root / "data"),
                "talent",
                ObjectiveChange(Quarter.parse("2021/22 Q4"), "on-track", "x", "G"),
                replace=False,
                dry_run=False,
            )
        except StratctlError:
            assert path.read_bytes() == raw
            return
        after = path.read_bytes()
        if not result.written:
            assert after == raw
            return
        plain = [
            b.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n") for b in (raw, after)
        ]
        assert changed_elsewhere(plain[0], plain[1], "2021/22 Q4") is None
        entry = [u for u in _data(after).data["updates"] if u["quarter"] == "2021/22 Q4"]
        assert entry == [{"quarter": "2021/22 Q4", "progress": "on-track", "comment": "x", "projected": "G"}]
