"""The Board paper as a PDF: the HTML paper laid out by WeasyPrint for A4 landscape print.

WeasyPrint is an optional extra (`pip install 'stratctl[pdf]'`; it needs Pango, which Debian and
the GitHub runners have). The PDF is tagged for screen readers (PDF/UA-1), carries the trust as
its author, has bookmarks from the section headings, embeds its fonts, and is byte-for-byte the
same for the same commit: its dates come from the data's commit, never from the clock, and it
never fetches anything over the network.
"""

from __future__ import annotations

from dataclasses import dataclass

from stratctl.errors import StratctlError


@dataclass(frozen=True, slots=True)
class PdfMetadata:
    title: str
    author: str
    subject: str
    created: str | None  # ISO 8601: the data's commit date; None outside git (then no date at all)


def html_to_pdf(html: str, metadata: PdfMetadata) -> bytes:
    """The PDF of an HTML paper (rendered for print), with the paper's metadata."""
    try:
        from weasyprint import HTML
    except ImportError:
        raise StratctlError(
            "PDF needs WeasyPrint: pip install 'stratctl[pdf]' (it uses Pango: on Debian or Ubuntu "
            "apt install libpango-1.0-0 libpangoft2-1.0-0; on macOS brew install pango)"
        ) from None
    except OSError as error:  # WeasyPrint is installed but cannot load Pango
        raise StratctlError(f"PDF needs Pango, which WeasyPrint could not load: {error}") from None
    from weasyprint.urls import URLFetcher

    # Inline data only: a paper that names a network resource is laid out without it, never fetches it.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
    document = HTML(string=html, url_fetcher=fetcher, base_url="about:blank").render()
    document.metadata.title = metadata.title
    document.metadata.authors = [metadata.author]
    document.metadata.description = metadata.subject
    document.metadata.generator = "stratctl"
    document.metadata.created = metadata.created
    document.metadata.modified = metadata.created
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
