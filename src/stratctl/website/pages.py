"""The site's pages rendered through the templates (templates/site/, overridable by the repository's
own templates/site/), each written straight into the folder the site is being written into."""

from __future__ import annotations

from typing import Any

from stratctl.diffing import LABELS
from stratctl.reporting.render import Renderer
from stratctl.reporting.report import VOCABULARY
from stratctl.vocabulary import POSITIONS
from stratctl.website.folder import SiteFolder
from stratctl.website.paths import (
    ARCHIVE,
    COMMITTEES,
    EXECUTIVES,
    INDEX,
    OBJECTIVES,
    RISKS,
    STRATEGIC,
    Links,
    SitePaths,
)
from stratctl.website.views import Site

TEMPLATES = "site"
"""The folder of the site's templates, among the paper's."""


def write_pages(site: Site, paths: SitePaths, folder: SiteFolder, renderer: Renderer) -> int:
    """Render every page of `site` into `folder`; the number of pages."""
    common: dict[str, Any] = {
        "site": site.frame,
        "v": VOCABULARY,
        "positions": POSITIONS,
        "labels": LABELS,
        "illustrative": site.frame.illustrative,
        "r": site.board,
    }
    written = 0

    def page(path: str, template: str, **extra: Any) -> None:
        nonlocal written
        context = {**common, "to": Links(paths, path), **extra}
        with folder.open(path) as stream:
            renderer.render_into(stream, context, template=f"{TEMPLATES}/{template}")
        written += 1

    page(INDEX, "home", page=site)
    page(f"{OBJECTIVES}/{INDEX}", "objectives", page=site)
    page(f"{RISKS}/{INDEX}", "risks", page=site)
    page(f"{STRATEGIC}/{INDEX}", "strategics", page=site)
    page(f"{COMMITTEES}/{INDEX}", "groups", groups=site.committees, kind="committee")
    page(f"{EXECUTIVES}/{INDEX}", "groups", groups=site.executives, kind="executive")
    page(f"{ARCHIVE}/{INDEX}", "archive", page=site)
    for entry in site.archive:
        changes = paths.changes(entry.quarter)
        if entry.summary.previous is not None and changes is not None:
            page(changes, "changes", entry=entry)
    for kind, pages in (
        (OBJECTIVES, [(p.objective.id, p) for p in site.objectives]),
        (RISKS, [(p.risk.id, p) for p in site.risks]),
        (STRATEGIC, [(p.strategic.id, p) for p in site.strategic]),
    ):
        template = {OBJECTIVES: "objective", RISKS: "risk", STRATEGIC: "strategic"}[kind]
        for record_id, view in pages:
            path = paths.record(kind, record_id)
            assert path is not None  # every record of the site has a page
            page(path, template, page=view)
    for kind, groups in ((COMMITTEES, site.committees), (EXECUTIVES, site.executives)):
        for group in groups:
            path = paths.record(kind, group.id)
            assert path is not None
            page(path, "group", page=group)
    return written
