"""Rendering through Jinja: packaged templates, overridable by a repository's own.

Safety, whatever a template does:
- every template runs in a SandboxedEnvironment with StrictUndefined;
- HTML templates autoescape; Markdown templates escape every `{{ }}` output
  through `finalize`, so user text is escaped unless a filter made it safe;
- comments render as Markdown in HTML through markdown-it-py with raw HTML and
  images off (no script, no network request); user text is never a template.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from stratctl.errors import StratctlError

FORMATS = {"md": "md", "html": "html"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")
_SPACE = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"\s*[\r\n]\s*")
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


def md_text(value: Any) -> Markup:
    """A Markdown paragraph of user text: escaped; blank lines kept as paragraph breaks."""
    if value is None:
        return Markup("")
    paragraphs = [_SPACE.sub(" ", p).strip() for p in re.split(r"\n\s*\n", str(value))]
    return Markup("\n\n".join(md_escape(p) for p in paragraphs if p))


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
    return _LINE_BREAK.sub(" ", md_escape(value))


def _iso(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _uk_date(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else "—"


def label(value: str) -> str:
    """A progress or status value in the tracker's words: `on-track` reads On track, `not-planned` Not planned."""
    return value.replace("-", " ").capitalize()


class _Sandbox(SandboxedEnvironment):
    """The sandbox, remembering its verdict on each attribute of each type.

    Jinja's verdict depends only on the attribute's name and the object's type (a leading
    underscore, or an internal attribute of functions, methods, classes, frames and
    generators), and a Board report asks it some 300,000 times for a few dozen pairs.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


def environment(fmt: str, repository_templates: Path | None) -> SandboxedEnvironment:
    """A Jinja environment for one output format."""
    folders = [p for p in (repository_templates, packaged_templates()) if p is not None and p.is_dir()]
    env = _Sandbox(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders]),
        autoescape=fmt == "html",
        undefined=StrictUndefined,
        finalize=_finalize_markdown if fmt == "md" else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        cell=md_cell, md_text=md_text, progress_label=label, status_label=label, markdown=markdown_html, iso=_iso, uk_date=_uk_date, e=escape,
    )
    return env


def render(context: dict[str, Any], *, template: str, fmt: str, repository_templates: Path | None) -> str:
    """Render `<template>.<fmt>.j2` with `context`."""
    name = f"{template}.{fmt}.j2"
    env = environment(fmt, repository_templates)
    try:
        compiled = env.get_template(name)
    except TemplateNotFound:
        raise StratctlError(f"no template {name!r} in the repository's templates/ or stratctl's own") from None
    except Exception as error:  # noqa: BLE001 - a repository's template with a syntax error
        raise StratctlError(f"template {name}: {error}") from None
    try:
        return compiled.render(**context)
    except Exception as error:  # noqa: BLE001 - undefined names, sandbox refusals
        raise StratctlError(f"template {name} failed: {type(error).__name__}: {error}") from None
