"""Rendering through Jinja: packaged templates, overridable by a repository's own.

Safety, whatever a template does:
- every template runs in a SandboxedEnvironment with StrictUndefined;
- HTML templates autoescape; Markdown templates escape every `{{ }}` output
  through `finalize`, so user text is escaped unless a filter made it safe;
- comments render as Markdown in HTML through markdown-it-py with raw HTML and
  images off (no script, no network request); user text is never a template.
"""

from __future__ import annotations

import functools
import io
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateNotFound, nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from stratctl.errors import StratctlError
from stratctl.vocabulary import label

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")
_SPACE = re.compile(r"\s+")
# Text markdown-it would only wrap in a paragraph: one line, starting with a letter or digit, with no
# character that opens Markdown syntax (emphasis, code, links, autolinks, tables, strikethrough,
# escapes) and no `&name;` entity. A list needs `1.` or `1)` at the start; a heading, quote or
# bullet needs a first character this excludes.
_PLAIN_MARKDOWN = re.compile(r"[^\W_][^\\`*_\[\]<>|~\r\n]*")
_ENTITY = re.compile(r"&#?[0-9A-Za-z]+;")
MAX_MARKDOWN_CHARS = 20_000
"""A comment longer than this is shown as plain text: a Board comment is a paragraph or two."""
MAX_MARKDOWN_BRACKETS = 1_000
"""Nor one with more '[' than this: each can start a link label that markdown-it scans to the end."""
_PLAIN_NOTE = "(shown as plain text: too long to be read as Markdown)"
_ORDERED_ITEM = re.compile(r"[0-9]+[.)]")  # markdown-it: ASCII digits only


def packaged_templates() -> Path:
    """The default templates: inside the wheel, or the checkout's top-level templates/."""
    installed = Path(str(resources.files("stratctl"))) / "templates"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "templates"


def md_escape(value: Any) -> str:
    """Text that Markdown shows as itself: every character with a meaning is backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


def md_cell(value: Any) -> Markup:
    """A GFM table cell: escaped, `|` kept inside the cell, newlines folded to spaces."""
    if value is None:
        return Markup("")
    return Markup(_SPACE.sub(" ", md_escape(value)).strip())


_ORDERED_MARKER = re.compile(r"[0-9]{1,9}(?=[.)](?:\s|$))")
"""The number that makes a line an ordered list item (`1. `, `1) `)."""


def _no_block_start(text: str) -> str:
    """`text`, which will start a line, escaped so that it cannot start a block there: a list item
    (`- `, `+ `, `1. `) or a rule (`---`). md_escape has already escaped `#`, `>`, `*` and `_`."""
    if text.startswith(("-", "+")):
        return "\\" + text
    match = _ORDERED_MARKER.match(text)
    return text if match is None else text[: match.end()] + "\\" + text[match.end() :]  # 1. -> 1\.


def md_line(value: Any) -> Markup:
    """User text on one line of Markdown (a list item, a heading, a sentence): escaped, every line break
    and blank line folded to one space, so a title can never end its item or start a block of its own."""
    if value is None:
        return Markup("")
    return Markup(_no_block_start(_SPACE.sub(" ", md_escape(value)).strip()))


def md_text(value: Any) -> Markup:
    """Markdown paragraphs of user text, for a block of its own: escaped; blank lines kept as paragraph
    breaks, and no paragraph can start a list. (Inside a list item or a sentence, use md_line.)"""
    if value is None:
        return Markup("")
    paragraphs = [_SPACE.sub(" ", p).strip() for p in re.split(r"\n\s*\n", str(value))]
    return Markup("\n\n".join(_no_block_start(md_escape(p)) for p in paragraphs if p))


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    # js-default: raw HTML off, javascript: links refused. Images off: a remote image is a network request.
    # A comment sits in a table cell: emphasis, lists and links only, so headings, rules, quotes, code
    # blocks and tables stay the text they were typed as.
    return MarkdownIt("js-default", {"breaks": False, "linkify": False}).disable(
        ["image", "heading", "lheading", "hr", "blockquote", "code", "fence", "table"]
    )


def markdown_html(value: Any) -> Markup:
    """A comment's Markdown (emphasis, lists, links) as safe HTML."""
    if not value:
        return Markup("")
    from markdown_it.common.utils import escapeHtml

    text = str(value)
    if _is_plain_paragraph(text):
        # Most comments are plain prose; this is markdown-it's output for them, at a fraction of the cost.
        return Markup(f"<p>{escapeHtml(text)}</p>\n")
    if len(text) > MAX_MARKDOWN_CHARS or text.count("[") > MAX_MARKDOWN_BRACKETS:
        # markdown-it's time grows with the square of the text for some input (800 KB of '[' took two
        # minutes), so a comment this long is shown as the text it is, escaped, and says so.
        body = escapeHtml(text).replace("\n", "<br>\n")
        return Markup(f'<p>{body}</p>\n<p class="note"><em>{_PLAIN_NOTE}</em></p>\n')
    html = _markdown().render(text)
    html = html.replace("<a href=", '<a rel="noopener noreferrer" href=')
    return Markup(html)


def _is_plain_paragraph(text: str) -> bool:
    return (
        _PLAIN_MARKDOWN.fullmatch(text) is not None
        and text.isprintable()
        and not text[-1].isspace()
        and _ORDERED_ITEM.match(text) is None
        and ("&" not in text or _ENTITY.search(text) is None)
    )


def _finalize_markdown(value: Any) -> Any:
    """Every `{{ }}` of a Markdown template: record text escaped, and kept on its line, so a line
    break in a title can never end a heading or a list item."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return _keep_on_line(md_escape(value))


def _keep_on_line(text: str) -> str:
    r"""Each run of whitespace that holds a line break made one space; other runs kept as they are.

    What `re.sub(r"\s*[\r\n]\s*", " ", text)` does, in linear time: that pattern tried every start in
    a run of spaces and scanned the run from each, so a title of 500,000 spaces took minutes.
    """
    if "\n" not in text and "\r" not in text:
        return text
    return _SPACE.sub(lambda m: " " if "\n" in m.group() or "\r" in m.group() else m.group(), text)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _uk_date(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else "—"


class TemplateBudgetExceeded(Exception):
    """A template did more work, or built a larger value, than any report needs."""


MAX_OPERATIONS = 20_000_000
"""Loop iterations and calls one rendering may make. The national-scale benchmark's Board report (10,000
objectives) makes about 140,000; nested loops over range(100000) reach the limit in seconds."""
MAX_SECONDS = 60.0
"""CPU time one rendering may use, checked every 1,024 operations: a backstop for slow work. CPU time,
not the clock, so a paper never fails because the machine is busy (the 10,000-objective paper uses
about 10 seconds)."""
MAX_VALUE = 10_000_000
"""Characters, or items, in any one string or list a template builds with *, +, ~ or a string method."""
MAX_OUTPUT = 256 * 1024 * 1024
"""Characters of output a template may hold at once: a block's, a macro's or a call's output joined
into one string. What bounds the memory a rendering takes; the paper itself is streamed."""
MAX_STREAMED = 4 * 1024 * 1024 * 1024
"""Characters of output streamed in all: some ten times the 50,000-objective HTML paper (about 350
MiB), a bound on the disk a runaway template could fill, never on a trust's paper."""
MAX_INTEGER_BITS = 100_000
"""Bits in an integer a template computes with * or ** (some 30,000 digits)."""
MEMORY_HEADROOM = 4 * 1024 * 1024 * 1024
"""Memory a rendering may take beyond what the process holds when it starts (where the system can say so)."""
_PERCENT_SPEC = re.compile(r"%[-#0 +]*(\*|[0-9]+)?(?:\.(\*|[0-9]+))?")
_FORMAT_FIELD = re.compile(r"\{[^{}]*[{}]")  # a field up to the next brace: linear, whatever the text
_NUMBER = re.compile(r"[0-9]+")
_SIZED_STR_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})


def _too_wide(fmt: str) -> bool:
    """A printf (%) or str.format width or precision beyond MAX_VALUE, or taken from an argument
    (`*`, or a nested `{}` in a format spec). Every pattern here runs in linear time: the text may be
    a record's, and a regular expression cannot be interrupted by the budget."""
    if "%" in fmt:
        for match in _PERCENT_SPEC.finditer(fmt):
            if any(_too_large(number) for number in match.groups()):
                return True
    if "{" in fmt:
        for match in _FORMAT_FIELD.finditer(fmt):
            field = match.group()
            spec = field.partition(":")[2]
            if ":" in field and field.endswith("{"):
                return True  # a width from an argument: '{:{}}'.format(1, 10**10)
            if any(_too_large(number) for number in _NUMBER.findall(spec)):
                return True
    return False


def _too_large(number: str | None) -> bool:
    return number == "*" or (number is not None and (len(number) > 7 or (number.isdigit() and int(number) > MAX_VALUE)))


class _Sandbox(SandboxedEnvironment):
    """The sandbox, with a budget for each rendering, remembering its verdict on each attribute of each type.

    Jinja's verdict depends only on the attribute's name and the object's type (a leading
    underscore, or an internal attribute of functions, methods, classes, frames and
    generators), and a Board report asks it some 300,000 times for a few dozen pairs.

    The budget: every loop iteration and every call counts one operation, and a rendering may
    make MAX_OPERATIONS within MAX_SECONDS of CPU time; `*`, `**`, `+` and `%` refuse a result
    beyond MAX_VALUE characters or items (or MAX_INTEGER_BITS), as do string methods asked for a
    width and the `~` operator; output held at once is refused beyond MAX_OUTPUT, and streamed
    beyond MAX_STREAMED. A repository's own template is code anyone with a pull request can change:
    it may be slow or wrong, but it stops, with a message.
    """

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._verdicts: dict[tuple[type, str], bool] = {}
        self.start_budget()

    def start_budget(self) -> None:
        self._operations = 0
        self._deadline = time.process_time() + MAX_SECONDS

    def tick(self) -> None:
        self._operations += 1
        if not self._operations & 1023:
            self._check_budget()

    def _check_budget(self) -> None:
        if self._operations > MAX_OPERATIONS:
            raise TemplateBudgetExceeded(
                f"it made more than {MAX_OPERATIONS:,} loop iterations and calls, far more than any report needs"
            )
        if time.process_time() > self._deadline:
            raise TemplateBudgetExceeded(f"it used more than {MAX_SECONDS:.0f} seconds of CPU time")

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if (
                    isinstance(sequence, (str, bytes, list, tuple))
                    and isinstance(count, int)
                    and len(sequence) * count > MAX_VALUE
                ):
                    raise TemplateBudgetExceeded(
                        f"a value of {len(sequence) * count:,} characters or items (at most {MAX_VALUE:,})"
                    )
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and left.bit_length() + right.bit_length() > MAX_INTEGER_BITS
            ):
                raise TemplateBudgetExceeded("an integer too large to compute")
        elif operator == "**":
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and right > 0
                and abs(left) > 1
                and right * abs(left).bit_length() > MAX_INTEGER_BITS
            ):
                raise TemplateBudgetExceeded(f"{left} ** {right}: an integer too large to compute")
        elif operator == "+":
            if (
                isinstance(left, (str, list, tuple))
                and isinstance(right, (str, list, tuple))
                and len(left) + len(right) > MAX_VALUE
            ):
                raise TemplateBudgetExceeded(
                    f"a value of {len(left) + len(right):,} characters or items (at most {MAX_VALUE:,})"
                )
        elif operator == "%" and isinstance(left, str) and _too_wide(left):
            raise TemplateBudgetExceeded("a % format with a width or precision beyond any report's")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self._operations += 1
        if not __self._operations & 1023:
            __self._check_budget()
        kind = __obj.__class__
        if kind is _BUILTIN_METHOD or (kind is _FUNCTION and hasattr(__obj, "__wrapped__")):
            _check_method(getattr(__obj, "__wrapped__", __obj), args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def budgeted_loop(self, iterable: Any) -> _Counted:
        """What a `{% for %}` iterates: the same items, one operation each."""
        return _Counted(iterable, self)

    def bounded_text(self, value: Any) -> Any:
        """The result of a `~` concatenation, refused beyond MAX_VALUE characters."""
        if len(value) > MAX_VALUE:
            raise TemplateBudgetExceeded(f"a text of {len(value):,} characters (at most {MAX_VALUE:,})")
        return value

    def concat(self, parts: Any) -> str:
        """Join the output of a template, a block or a macro, refused beyond MAX_OUTPUT characters.

        Its parts are produced by loops that are counted already; measuring them costs one pass at C speed.
        """
        out = list(parts)
        total = sum(map(len, out))
        if total > MAX_OUTPUT:
            raise TemplateBudgetExceeded(f"its output passed {MAX_OUTPUT // 1024 // 1024} MiB")
        return "".join(out)


_BUILTIN_METHOD = type("".join)
_FUNCTION = type(lambda: None)


def _check_method(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a string or list method call whose result would be far larger than its inputs:
    'x'.ljust(10**10), '{:>9999999999}'.format(1), a list extended with itself again and again.
    (str.format reaches here wrapped by the sandbox, which keeps the method as __wrapped__.)"""
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if isinstance(owner, str):
        if name in _SIZED_STR_METHODS and any(isinstance(a, int) and a > MAX_VALUE for a in (*args, *kwargs.values())):
            raise TemplateBudgetExceeded(f"str.{name} to a width beyond any report's")
        if name in ("format", "format_map") and _too_wide(owner):
            raise TemplateBudgetExceeded("a format with a width or precision beyond any report's")
        if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
            grown = len(owner) + (owner.count(args[0]) if args[0] else len(owner) + 1) * max(
                0, len(args[1]) - len(args[0])
            )
            _refuse_beyond(grown, "str.replace")
        if name == "join" and args and hasattr(args[0], "__len__"):
            _refuse_beyond(len(args[0]) * len(owner), "str.join")
    elif (
        isinstance(owner, list)
        and name in ("extend", "__iadd__")
        and args
        and hasattr(args[0], "__len__")
        and len(owner) + len(args[0]) > MAX_VALUE
    ):
        raise TemplateBudgetExceeded(f"a list of more than {MAX_VALUE:,} items")


class _Counted:
    """An iterable's items, one operation each; its length, where it has one, for `loop.length`."""

    __slots__ = ("_items", "_sandbox", "_source")

    def __init__(self, source: Any, sandbox: _Sandbox) -> None:
        self._source = source
        self._items = iter(source)
        self._sandbox = sandbox

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> Any:
        sandbox = self._sandbox
        sandbox._operations += 1
        if not sandbox._operations & 1023:
            sandbox._check_budget()
        return next(self._items)

    def __len__(self) -> int:
        return len(self._source)


class _BudgetedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every loop's items counted and every `~` result bounded."""

    def visit_For(self, node: nodes.For, frame: Any) -> None:
        node.iter = nodes.Call(
            nodes.EnvironmentAttribute("budgeted_loop"), [node.iter], [], None, None, lineno=node.lineno
        )
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Any) -> None:
        self.write("environment.bounded_text(")
        super().visit_Concat(node, frame)
        self.write(")")


_Sandbox.code_generator_class = _BudgetedCodeGenerator


def _refuse_beyond(size: int, what: str) -> None:
    if size > MAX_VALUE:
        raise TemplateBudgetExceeded(f"{what} would give {size:,} characters (at most {MAX_VALUE:,})")


def _bounded_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """Jinja's filters whose output can grow far beyond their input (a width, a separator, a
    replacement), each checked before it runs. Filters are called directly, not through the sandbox."""

    def wrap(name: str, check: Any) -> Any:
        original = filters[name]

        @functools.wraps(original)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            check(*args[1:] if getattr(original, "jinja_pass_arg", None) else args, **kwargs)
            return original(*args, **kwargs)

        return bounded

    return {name: wrap(name, check) for name, check in _FILTER_CHECKS.items() if name in filters}


# Each check takes the filter's own arguments and refuses the call whose output would be too large.


def _check_center(value: Any, width: int = 80) -> None:
    _refuse_beyond(width if isinstance(width, int) else 0, "center")


def _check_indent(value: Any, width: int | str = 4, *args: Any, **kwargs: Any) -> None:
    lines = str(value).count("\n") + 1
    _refuse_beyond(len(str(value)) + lines * (width if isinstance(width, int) else len(str(width))), "indent")


def _check_replace(value: Any, old: Any = "", new: Any = "", count: Any = None) -> None:
    text, old, new = str(value), str(old), str(new)
    times = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    _refuse_beyond(len(text) + times * max(0, len(new) - len(old)), "replace")


def _check_join(value: Any, d: Any = "", attribute: Any = None) -> None:
    if hasattr(value, "__len__"):
        _refuse_beyond(len(value) * len(str(d)), "join")


def _check_wordwrap(
    value: Any, width: int = 79, break_long_words: bool = True, wrapstring: Any = None, *args: Any
) -> None:
    if wrapstring is not None and isinstance(width, int):
        _refuse_beyond(len(str(value)) // max(width, 1) * len(str(wrapstring)), "wordwrap")


def _check_format(value: Any, *args: Any, **kwargs: Any) -> None:
    if isinstance(value, str) and _too_wide(value):
        raise TemplateBudgetExceeded("a format with a width or precision beyond any report's")


_FILTER_CHECKS = {
    "center": _check_center,
    "indent": _check_indent,
    "replace": _check_replace,
    "join": _check_join,
    "wordwrap": _check_wordwrap,
    "format": _check_format,
}


class _TemplateLoader(FileSystemLoader):
    """Templates from a folder, read as records are: a regular file of at most 1 MiB (a FIFO or a
    link to /dev/zero named board.md.j2 would otherwise block or never end)."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
        from jinja2.loaders import split_template_path

        from stratctl.reading import read_capped

        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if os.path.lexists(path):  # a broken link or a loop is an error, not a reason to use another template
                _inside_folder(path, Path(folder))
                source = read_capped(path).decode("utf-8")
                return source, str(path), lambda: True
        raise TemplateNotFound(template)


def _inside_folder(path: Path, folder: Path) -> None:
    """Refuse a template reached through a link out of its folder: a pull request adding
    templates/x.j2 -> /etc/passwd (or ~/.ssh/id_rsa) and including it would print that file into
    the paper that CI builds and publishes."""
    from stratctl.reading import UnreadableFile

    try:
        real, base = path.resolve(), folder.resolve()
    except (OSError, RuntimeError):
        return  # a loop of links: read_capped says so
    if real != base and base not in real.parents:
        raise UnreadableFile(
            path, f"it is a link out of {folder.name}/ (to {real}); a template is read only from inside it"
        )


def environment(fmt: str, repository_templates: Path | None) -> _Sandbox:
    """A Jinja environment for one output format."""
    folders = [p for p in (repository_templates, packaged_templates()) if p is not None and p.is_dir()]
    env = _Sandbox(
        loader=ChoiceLoader([_TemplateLoader(str(folder)) for folder in folders]),
        autoescape=fmt == "html",
        undefined=StrictUndefined,
        finalize=_finalize_markdown if fmt == "md" else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(_bounded_filters(env.filters))
    env.filters.update(
        cell=md_cell,
        md_text=md_text,
        md_line=md_line,
        progress_label=label,
        status_label=label,
        markdown=markdown_html,
        iso=_iso,
        uk_date=_uk_date,
        e=escape,
        score_history=_score_history,
    )
    return env


def _score_history(entry: Any) -> Markup:
    """A BAF entry's score over the last quarters, as an inline SVG chart with its numbers in a table."""
    from stratctl.reporting.charts.model import ScoreHistory, ScorePoint
    from stratctl.reporting.charts.score import score_history

    return score_history(
        ScoreHistory(
            id_prefix=f"risk-{entry.id}-history",
            title=f"{entry.title}: score by quarter",
            points=tuple(ScorePoint(point.quarter, point.score) for point in entry.history),
            target=entry.target.score,
        )
    )


def render(context: dict[str, Any], *, template: str, fmt: str, repository_templates: Path | None) -> str:
    """Render `<template>.<fmt>.j2` with `context`, as one text."""
    out = io.BytesIO()
    render_into(out, context, template=template, fmt=fmt, repository_templates=repository_templates)
    return out.getvalue().decode("utf-8")


NOT_UTF8 = "backslashreplace"
"""A file name that is not UTF-8 reaches the paper (its appendix names the file) as Python reads it, with
a lone surrogate for each byte; written as its escape (`\\udce9`), as the terminal shows it, it cannot
stop the paper being written."""

WRITE_EVERY = 1024 * 1024
"""Characters of output gathered before they are encoded and written: few writes, little held."""


def render_into(
    sink: IO[bytes], context: dict[str, Any], *, template: str, fmt: str, repository_templates: Path | None
) -> None:
    """Render `<template>.<fmt>.j2` with `context` into `sink` as UTF-8, piece by piece as the
    template produces it: a national-scale paper (tens of millions of characters) is never held whole."""
    Renderer(fmt, repository_templates).render_into(sink, context, template=template)


class Renderer:
    """Templates of one format rendered through one sandboxed environment: each template is compiled
    once however many pages use it (a site renders thousands), and each rendering has its own budget."""

    def __init__(self, fmt: str, repository_templates: Path | None) -> None:
        self._fmt = fmt
        self._env = environment(fmt, repository_templates)

    def render_into(self, sink: IO[bytes], context: dict[str, Any], *, template: str) -> None:
        """Render `<template>.<fmt>.j2` with `context` into `sink` as UTF-8, as the paper is written."""
        name = f"{template}.{self._fmt}.j2"
        env = self._env
        try:
            compiled = env.get_template(name)
        except TemplateNotFound:
            raise StratctlError(f"no template {name!r} in the repository's templates/ or stratctl's own") from None
        except Exception as error:
            raise StratctlError(f"template {name}: {error}") from None
        from stratctl.reporting.charts.css import CHART_CSS

        context = {"chart_css": Markup(CHART_CSS), **context}
        env.start_budget()
        try:
            with _memory_headroom():
                _stream(compiled.generate(**context), sink)
        except TemplateBudgetExceeded as error:
            raise StratctlError(f"template {name} stopped: {error}") from None
        except MemoryError:
            raise StratctlError(f"template {name} stopped: it needed more memory than any report does") from None
        except RecursionError:
            raise StratctlError(
                f"template {name} stopped: it calls itself (a macro or a recursive loop) without end"
            ) from None
        except TemplateNotFound as error:  # an include or import; an OSError to Jinja, but not the sink's
            raise StratctlError(f"template {_failed_at(error, name)} {_not_found(error.name)}") from None
        except OSError as error:  # the sink: a full disk under the spooled paper
            raise StratctlError(f"cannot write the paper: {(error.strerror or str(error)).lower()}") from None
        except StratctlError as error:  # a template it loads cannot be read (a FIFO, a link out of templates/)
            raise StratctlError(f"template {_failed_at(error, name)}: {error}") from None
        except Exception as error:
            raise StratctlError(f"template {_failed_at(error, name)} failed: {type(error).__name__}: {error}") from None

    def render(self, context: dict[str, Any], *, template: str) -> str:
        """Render `<template>.<fmt>.j2` with `context`, as one text."""
        out = io.BytesIO()
        self.render_into(out, context, template=template)
        return out.getvalue().decode("utf-8")


def _not_found(wanted: Any) -> str:
    """Why an include or import found nothing: a path that climbs out or starts at the root is refused."""
    text = str(wanted)
    if text.startswith(("/", "\\")) or ".." in text.replace("\\", "/").split("/") or ":" in text:
        return (
            f"loads {text!r}: refused, a template includes, imports or extends other templates by their "
            "name within templates/ (or stratctl's own), never a path out of it"
        )
    return f"loads {text!r}, which is in neither the repository's templates/ nor stratctl's own"


def _failed_at(error: BaseException, name: str) -> str:
    """The template and line a rendering failed at: Jinja's traceback has a frame for each template
    it went through (an include, a macro's file), named by the template's file; the last is where."""
    where = name
    trace = error.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f"{os.path.basename(filename)} line {trace.tb_lineno}"
        trace = trace.tb_next
    return where


def _stream(pieces: Iterator[str], sink: IO[bytes]) -> None:
    """Write the pieces to `sink` as they come, holding at most WRITE_EVERY characters (and one
    piece) at a time, refusing an output beyond MAX_STREAMED characters in all."""
    total = 0
    pending: list[str] = []
    gathered = 0
    for piece in pieces:
        pending.append(piece)
        gathered += len(piece)
        if gathered >= WRITE_EVERY:
            total += gathered
            if total > MAX_STREAMED:
                raise TemplateBudgetExceeded(f"its output passed {MAX_STREAMED // 1024 // 1024} MiB")
            sink.write("".join(pending).encode("utf-8", NOT_UTF8))
            pending, gathered = [], 0
    if total + gathered > MAX_STREAMED:
        raise TemplateBudgetExceeded(f"its output passed {MAX_STREAMED // 1024 // 1024} MiB")
    sink.write("".join(pending).encode("utf-8", NOT_UTF8))


@contextmanager
def _memory_headroom() -> Iterator[None]:
    """Limit the process's address space to what it holds now plus MEMORY_HEADROOM while a template
    renders, so a template that builds a gigantic value fails with MemoryError instead of exhausting
    the machine. Only where the system supports it (Linux), and only on the main thread."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    used = _address_space()
    if used is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + MEMORY_HEADROOM
    if (soft != resource.RLIM_INFINITY and soft <= limit) or (hard != resource.RLIM_INFINITY and hard < limit):
        yield  # already limited as tightly
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as stream:
            return int(stream.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None
