"""The Board paper as a PDF: the HTML paper laid out by WeasyPrint for A4 landscape print.

WeasyPrint is an optional extra (`pip install 'stratctl[pdf]'`; it needs Pango, which Debian and
the GitHub runners have). The PDF is tagged for screen readers (PDF/UA-1), carries the trust as
its author, has bookmarks from the section headings, embeds its fonts, and is byte-for-byte the
same for the same commit: its dates come from the data's commit, never from the clock; it is laid
out with the fonts stratctl ships (fonts/) and no other, so the fonts a machine has installed never
change a page; and it never fetches anything over the network.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from stratctl.errors import StratctlError
from stratctl.reporting.pdfparts import PART_CHARS, split_paper

_PANGO = "on Debian or Ubuntu apt install libpango-1.0-0 libpangoft2-1.0-0; on macOS brew install pango"
FONTS_CONFIG = "fonts.conf"
"""The fontconfig configuration in the fonts folder: that folder's fonts, and no others."""
FONT_FILES = (
    "LiberationSans-Regular.ttf",
    "LiberationSans-Bold.ttf",
    "LiberationSans-Italic.ttf",
    "LiberationSans-BoldItalic.ttf",
    "DejaVuSans.ttf",
)


@dataclass(frozen=True, slots=True)
class PdfMetadata:
    title: str
    author: str
    subject: str
    created: str | None  # ISO 8601: the data's commit date; None outside git (then no date at all)


def packaged_fonts() -> Path:
    """The fonts a PDF is laid out with: inside the wheel, or the checkout's top-level fonts/."""
    installed = Path(str(resources.files("stratctl"))) / "fonts"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "fonts"


def html_to_pdf(html: str, metadata: PdfMetadata, *, part_chars: int = PART_CHARS) -> bytes:
    """The PDF of an HTML paper (rendered for print), with the paper's metadata.

    A paper of over `part_chars` characters of HTML is laid out in parts (pdfparts.py), each written
    to PDF as soon as it is laid out and the parts joined (pdfmerge.py), so WeasyPrint never holds
    more than a part's pages (the join still holds the whole PDF's objects, far fewer).
    """
    with _bundled_fonts_only(_epoch(metadata.created)):
        try:
            # WeasyPrint prints a banner of its own when it cannot load Pango: the message below says it,
            # and standard output may be where the PDF goes.
            with redirect_stdout(io.StringIO()):
                from weasyprint import CSS, HTML
                from weasyprint.text.fonts import FontConfiguration
                from weasyprint.urls import URLFetcher
        except ImportError:
            raise StratctlError(
                f"PDF needs WeasyPrint: pip install 'stratctl[pdf]' (it uses Pango: {_PANGO})"
            ) from None
        except OSError as error:  # WeasyPrint is installed but cannot load Pango
            raise StratctlError(f"PDF needs Pango, which WeasyPrint could not load ({_PANGO}): {error}") from None

        # Inline data only: a paper that names a network resource is laid out without it, never fetches it.
        fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        fonts = FontConfiguration()  # reads FONTCONFIG_FILE now: the bundled fonts alone

        def laid_out(text: str, *stylesheets: Any) -> Any:
            try:
                document = HTML(string=text, url_fetcher=fetcher, base_url="about:blank").render(
                    font_config=fonts, stylesheets=list(stylesheets)
                )
            except Exception as error:  # WeasyPrint's own failures (an assertion on a page it cannot fill)
                raise StratctlError(
                    f"WeasyPrint could not lay the paper out: {type(error).__name__}: {error}"
                ) from None
            document.metadata.title = metadata.title
            document.metadata.authors = [metadata.author]
            document.metadata.description = metadata.subject
            document.metadata.generator = "stratctl"
            document.metadata.created = metadata.created
            document.metadata.modified = metadata.created
            return document

        parts = split_paper(html, part_chars)
        if len(parts) == 1:
            pdf: bytes = laid_out(html).write_pdf(pdf_variant="pdf/ua-1")
            return pdf
        try:  # pypdf joins the parts: imported only for a paper large enough to be laid out in parts
            from stratctl.reporting.pdfmerge import Part, bookmarks_of, merge
        except ImportError:
            raise StratctlError("a PDF paper this large needs pypdf: pip install 'stratctl[pdf]'") from None

        without_furniture = CSS(string=_NO_MARGIN_BOXES)
        written = []
        pages = 0
        placed: set[str] = set()  # the anchors an earlier part holds
        parts.reverse()
        while parts:
            document = laid_out(parts.pop(), without_furniture)  # each part's text let go once laid out
            anchors = _anchors_kept_for_links_elsewhere(document.pages, placed)
            placed |= anchors
            pages += len(document.pages)
            written.append(Part(document.write_pdf(pdf_variant="pdf/ua-1"), bookmarks_of(document.pages), anchors))
            del document  # its pages' boxes, the memory a part takes, before the next is laid out
        furniture = laid_out(_furniture(html, pages), CSS(string=_FURNITURE_ONLY))
        if len(furniture.pages) != pages:  # the page furniture must number the pages the parts have
            raise StratctlError(
                f"the PDF's parts have {pages} pages, but their headers and footers {len(furniture.pages)}"
            )
        return merge(written, furniture.write_pdf())


_MARGIN_BOXES = [
    *("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner"),
    *("bottom-left-corner", "bottom-left", "bottom-center", "bottom-right", "bottom-right-corner"),
    *("left-top", "left-middle", "left-bottom", "right-top", "right-middle", "right-bottom"),
]
_NO_MARGIN_BOXES = "".join(
    f"@page{selector} {{ {' '.join(f'@{box} {{ content: none !important; }}' for box in _MARGIN_BOXES)} }}\n"
    for selector in ("", " :first", " :left", " :right", " :blank")
)
"""A part's pages without their running header and footer: those are laid out once for the whole
paper, with its page count, and drawn over each page when the parts are joined."""
_FURNITURE_ONLY = (
    "html, body { background: none !important; } .running, .running * { visibility: hidden !important; }"
    " .stratctl-page { break-before: page; } .stratctl-page:first-of-type { break-before: auto; }"
)


def _furniture(html: str, pages: int) -> str:
    """A document of `pages` empty pages with the paper's stylesheet and running header: its page
    furniture (header and footer, "Page N of M") and nothing else, on a transparent page."""
    body = html.find("<body")
    opened = html.find(">", body) + 1
    running = re.search(r'<p class="running"[^>]*>.*?</p>', html[opened:], flags=re.DOTALL)
    return (
        html[:opened]
        + (running.group() if running else "")
        + '<div class="stratctl-page"></div>' * pages
        + "</body></html>"
    )


def _anchors_kept_for_links_elsewhere(pages: Any, placed: set[str]) -> frozenset[str]:
    """The anchors a part's pages hold that no earlier part holds (an element a part carries on keeps
    its id, but its anchor is where it starts); and, so that WeasyPrint keeps a link to an anchor
    in another part (it drops a link to an anchor it cannot find), a stand-in for each of those on
    its first page, which the join leaves out: the link then goes to the anchor where it is."""
    own = frozenset(name for page in pages for name in page.anchors) - placed
    present = {name for page in pages for name in page.anchors}
    wanted = {target for page in pages for kind, target, *_ in page.links if kind == "internal"} - present
    if wanted and pages:
        stand_in = next((point for page in pages for point in page.anchors.values()), (0, 0, 0, 0))
        for name in sorted(wanted):
            pages[0].anchors[name] = stand_in
    return own


def _epoch(created: str | None) -> int:
    """Seconds since 1970 of the data's commit (0 outside git): the date stamped in the embedded fonts."""
    if created is None:
        return 0
    try:
        return max(0, int(datetime.fromisoformat(created).timestamp()))
    except ValueError:
        return 0


@contextmanager
def _bundled_fonts_only(epoch: int) -> Iterator[None]:
    """While a paper is laid out and written: fontconfig sees only stratctl's fonts, and the font
    subsets WeasyPrint embeds are dated `epoch`.

    fontconfig reads FONTCONFIG_FILE each time a configuration is loaded: when WeasyPrint is
    imported and when a FontConfiguration is made, both inside this block, so the machine's fonts
    (and its fontconfig rules, which can change hinting and so the widths of glyphs) are never
    seen. fontTools, which subsets the fonts where HarfBuzz's subsetter is not installed, dates
    each subset's `head.modified` from SOURCE_DATE_EPOCH, or else from the clock, which made two
    renders of one commit differ by a few bytes. The environment is restored afterwards.
    """
    folder = packaged_fonts()
    missing = [name for name in (FONTS_CONFIG, *FONT_FILES) if not (folder / name).is_file()]
    if missing:
        raise StratctlError(
            f"stratctl's fonts for PDF papers are missing from {folder} ({', '.join(missing)}): reinstall stratctl"
        )
    wanted = {
        "FONTCONFIG_FILE": str(folder / FONTS_CONFIG),
        "FONTCONFIG_PATH": str(folder),
        "FONTCONFIG_SYSROOT": None,
        "SOURCE_DATE_EPOCH": str(epoch),
    }
    saved = {name: os.environ.get(name) for name in wanted}
    try:
        for name, value in wanted.items():
            _set_environment(name, value)
        yield
    finally:
        for name, value in saved.items():
            _set_environment(name, value)


def _set_environment(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
