"""The Board paper as a PDF: the HTML paper laid out by WeasyPrint for A4 landscape print.

WeasyPrint is an optional extra (`pip install 'stratctl[pdf]'`; it needs Pango, which Debian and
the GitHub runners have). The PDF is tagged for screen readers (PDF/UA-1), carries the trust as
its author, has bookmarks from the section headings, embeds its fonts, and is byte-for-byte the
same for the same commit: its dates come from the data's commit, never from the clock; it is laid
out with the fonts stratctl ships (fonts/) and no other, so the fonts a machine has installed never
change a page; and it never fetches anything over the network.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

from stratctl.errors import StratctlError

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


def html_to_pdf(html: str, metadata: PdfMetadata) -> bytes:
    """The PDF of an HTML paper (rendered for print), with the paper's metadata."""
    with _bundled_fonts_only(_epoch(metadata.created)):
        try:
            from weasyprint import HTML
            from weasyprint.text.fonts import FontConfiguration
            from weasyprint.urls import URLFetcher
        except ImportError:
            raise StratctlError(
                "PDF needs WeasyPrint: pip install 'stratctl[pdf]' (it uses Pango: on Debian or Ubuntu "
                "apt install libpango-1.0-0 libpangoft2-1.0-0; on macOS brew install pango)"
            ) from None
        except OSError as error:  # WeasyPrint is installed but cannot load Pango
            raise StratctlError(f"PDF needs Pango, which WeasyPrint could not load: {error}") from None

        # Inline data only: a paper that names a network resource is laid out without it, never fetches it.
        fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        fonts = FontConfiguration()  # reads FONTCONFIG_FILE now: the bundled fonts alone
        document = HTML(string=html, url_fetcher=fetcher, base_url="about:blank").render(font_config=fonts)
        document.metadata.title = metadata.title
        document.metadata.authors = [metadata.author]
        document.metadata.description = metadata.subject
        document.metadata.generator = "stratctl"
        document.metadata.created = metadata.created
        document.metadata.modified = metadata.created
        pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
        return pdf


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
