"""Property: whatever is done to a valid record, validate reports findings, never crashes."""

from __future__ import annotations

import shutil

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stratctl.validation import validate
from tests.conftest import FIXTURES

RECORDS = {
    "objectives/cancer-standards.yaml": (FIXTURES / "minimal/data/objectives/cancer-standards.yaml").read_bytes(),
    "risks/0101.yaml": (FIXTURES / "minimal/data/risks/0101.yaml").read_bytes(),
    "strategies/people.yaml": (FIXTURES / "minimal/data/strategies/people.yaml").read_bytes(),
    "trust.yaml": (FIXTURES / "minimal/data/trust.yaml").read_bytes(),
}
REPLACEMENTS = [b"yes", b"0012", b"[]", b"{}", b"~", b"-1", b"1e999", b"'", b'"', b"&a", b"*a", b"!!int", b"\t",
                b": ", b" #", b"---", b"\xff", b"\x00", b"2022-02-30", b"- x", b"? x", b"|", b">-", b"%YAML 1.1"]


def _delete_line(content: bytes, index: int) -> bytes:
    lines = content.splitlines(keepends=True)
    del lines[index % len(lines)]
    return b"".join(lines)


def _swap_value(content: bytes, index: int, replacement: bytes) -> bytes:
    lines = content.splitlines(keepends=True)
    line = lines[index % len(lines)]
    key, sep, _ = line.partition(b": ")
    lines[index % len(lines)] = key + b": " + replacement + b"\n" if sep else replacement + line
    return b"".join(lines)


def _insert_bytes(content: bytes, index: int, noise: bytes) -> bytes:
    at = index % (len(content) + 1)
    return content[:at] + noise + content[at:]


mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 100), st.just(b"")),
    st.tuples(st.just("swap"), st.integers(0, 100), st.sampled_from(REPLACEMENTS)),
    st.tuples(st.just("insert"), st.integers(0, 2000), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("insert"), st.integers(0, 2000), st.sampled_from(REPLACEMENTS)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(sorted(RECORDS)), mutations=st.lists(mutation, min_size=1, max_size=4))
@example(target="trust.yaml", mutations=[("delete", 0, b"")])
@example(target="risks/0101.yaml", mutations=[("swap", 5, b"{score: 0012}")])
def test_mutated_records_never_crash_validate(tmp_path_factory, target: str, mutations: list) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(FIXTURES / "minimal", root, dirs_exist_ok=True)
    content = RECORDS[target]
    for operation, index, payload in mutations:
        if operation == "delete":
            content = _delete_line(content, index)
        elif operation == "swap":
            content = _swap_value(content, index, payload)
        else:
            content = _insert_bytes(content, index, payload)
    (root / "data" / target).write_bytes(content)

    result = validate(root / "data", cwd=root)

    for finding in result.findings:
        assert finding.line >= 1 and finding.column >= 1, finding
        assert finding.loc is None
        assert finding.message
    assert (root / "data" / target).read_bytes() == content
