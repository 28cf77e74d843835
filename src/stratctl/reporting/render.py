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
    return MarkdownIt("js-default", {"breaks": False, "linkify": False}).disable(["image"])


def markdown_html(value: Any) -> Markup:
    """A comment's Markdown (emphasis, lists, links) as safe HTML."""
    if not value:
        return Markup("")
    html = _markdown().render(str(value))
    html = html.replace("<a href=", '<a rel="noopener noreferrer" href=')
    return Markup(html)


def _finalize_markdown(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return md_escape(value)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _uk_date(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else "—"


PROGRESS_LABELS = {
    "not-started": "Not started", "on-track": "On track", "behind": "Behind", "at-risk": "At risk",
    "complete": "Complete", "no update": "No update",
}


def _progress_label(value: str) -> str:
    """Progress in the words of the trust's tracker: `on-track` reads On track."""
    return PROGRESS_LABELS.get(value, value)


def environment(fmt: str, repository_templates: Path | None) -> SandboxedEnvironment:
    """A Jinja environment for one output format."""
    folders = [p for p in (repository_templates, packaged_templates()) if p is not None and p.is_dir()]
    env = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders]),
        autoescape=fmt == "html",
        undefined=StrictUndefined,
        finalize=_finalize_markdown if fmt == "md" else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        cell=md_cell, md_text=md_text, progress_label=_progress_label, markdown=markdown_html, iso=_iso, uk_date=_uk_date, e=escape,
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
