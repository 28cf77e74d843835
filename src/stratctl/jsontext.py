"""JSON as stratctl writes it: the text of `json.dumps(document, indent=2, ensure_ascii=False)`, in pieces.

The standard library writes indented JSON with its pure-Python encoder, one generator step a value:
the national-scale status (10,000 objectives, 30 MB) took it seconds, and the whole text held at
once, beside the document it came from, was most of `report --format json`'s peak memory. Here the
same text is built by one recursive function with the C string encoder, and handed over a few
thousand pieces at a time, so a command streams it to its output.
"""

from __future__ import annotations

from collections.abc import Iterator
from json.encoder import encode_basestring  # the C encoder where there is one, as json.dumps uses it
from typing import Any

_PIECES = 8192
"""How many pieces a chunk gathers before it is handed over."""

_INFINITY = float("inf")


def json_chunks(document: Any) -> Iterator[str]:
    """`json.dumps(document, indent=2, ensure_ascii=False) + "\\n"`, in chunks whose join is that text.

    The document holds what JSON does: dicts (keys str, int, float, bool or None, as json.dumps turns
    them into text), lists and tuples, str, int, float, bool and None. Anything else raises TypeError,
    as json.dumps does; so does a container that holds itself (ValueError there, RecursionError here).
    """
    pieces: list[str] = []
    for _ in _value(document, "\n", pieces):
        yield "".join(pieces)
        pieces.clear()
    pieces.append("\n")
    yield "".join(pieces)


def json_text(document: Any) -> str:
    """The whole text at once, for a small document."""
    return "".join(json_chunks(document))


def _scalar(value: Any) -> str | None:
    """A value that is not a container, as JSON; None for a container (or for what JSON cannot hold)."""
    kind = value.__class__
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, int):  # a subclass (LeadingZeroInt): written as its number, as json.dumps does
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    return None


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    if key is True or key is False or key is None or isinstance(key, int | float):
        text = _scalar(key)
        assert text is not None
        return encode_basestring(text) if isinstance(key, int | float) and not isinstance(key, bool) else f'"{text}"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _value(value: Any, newline: str, pieces: list[str], depth: int = 0) -> Iterator[None]:
    """Append `value`'s text to `pieces`, its lines indented after `newline`, yielding between the items of
    the outer two levels whenever enough has gathered (a status's lists of objectives and risks)."""
    if depth >= 2 or _scalar(value) is not None:
        _append(value, newline, pieces)
        return
    inner = newline + "  "
    items, opening, closing = _items(value)
    if not items:
        pieces.append(opening + closing)
        return
    pieces.append(opening)
    separator = inner
    for key, item in items:
        pieces.append(separator)
        if key is not _NO_KEY:
            pieces.append(_key(key))
            pieces.append(": ")
        yield from _value(item, inner, pieces, depth + 1)
        if len(pieces) >= _PIECES:
            yield
        separator = "," + inner
    pieces.append(newline)
    pieces.append(closing)


_NO_KEY = object()


def _items(value: Any) -> tuple[list[tuple[Any, Any]], str, str]:
    if isinstance(value, dict):
        return list(value.items()), "{", "}"
    if isinstance(value, list | tuple):
        return [(_NO_KEY, item) for item in value], "[", "]"
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _append(value: Any, newline: str, pieces: list[str]) -> None:
    """Append `value`'s text to `pieces`, its lines indented after `newline`."""
    text = _scalar(value)
    if text is not None:
        pieces.append(text)
        return
    inner = newline + "  "
    append, scalar = pieces.append, _scalar
    if isinstance(value, dict):
        if not value:
            append("{}")
            return
        separator = "{" + inner
        for key, item in value.items():
            append(separator)
            append(encode_basestring(key) if key.__class__ is str else _key(key))
            append(": ")
            text = scalar(item)
            if text is not None:
                append(text)
            else:
                _append(item, inner, pieces)
            separator = "," + inner
        append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            append("[]")
            return
        separator = "[" + inner
        for item in value:
            append(separator)
            text = scalar(item)
            if text is not None:
                append(text)
            else:
                _append(item, inner, pieces)
            separator = "," + inner
        append(newline + "]")
    else:
        raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")
