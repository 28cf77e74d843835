"""stratctl.jsontext writes exactly what json.dumps(indent=2, ensure_ascii=False) writes, in pieces."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratctl.jsontext import json_chunks, json_text
from stratctl.scalars import LeadingZeroInt

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.builds(lambda n: LeadingZeroInt(n, f"0{n}"), st.integers(0, 999))
)
keys = st.text() | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.lists(inner, max_size=3).map(tuple) | st.dictionaries(keys, inner, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=500, deadline=None)
@given(documents)
def test_the_text_is_json_dumps_indented(document: Any) -> None:
    assert json_text(document) == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def test_a_large_document_comes_in_several_pieces_that_join_to_the_text() -> None:
    document = {"objectives": [{"id": f"o{n}", "reasons": ["a", "b"], "measures": [{"v": n / 3}]} for n in range(3000)]}
    chunks = list(json_chunks(document))
    assert len(chunks) > 2
    assert "".join(chunks) == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("value", [object(), {("a", "b"): 1}, b"bytes"])
def test_what_json_cannot_hold_is_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        json_text(value)
    with pytest.raises(TypeError):
        json.dumps(value)
