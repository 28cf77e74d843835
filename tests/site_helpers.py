"""Reading a site `stratctl site` wrote, as a visitor's browser would: its pages, their links and anchors."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class Page:
    """What a page holds that a walk through the site needs: its ids, its links, its text."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    scripts: int = 0
    external: list[str] = field(default_factory=list)  # what a browser would fetch from outside the site


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "href" in values:
            self.page.links.append(values["href"])
        if tag == "script":
            self.page.scripts += 1
        for name in ("src", "href", "action", "poster", "data", "srcset"):
            value = values.get(name, "")
            if tag == "a" and name == "href":
                continue  # a link is followed only if the reader chooses to: not a request the page makes
            if urlsplit(value).scheme in ("http", "https", "ftp", "file") or value.startswith("//"):
                self.page.external.append(value)
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.page.text.append(data)


def read_page(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.page


def page_text(path: Path) -> str:
    """A page's visible text, whitespace folded."""
    return " ".join(" ".join(read_page(path).text).split())


@dataclass
class Walk:
    """Every page reached from the home page by following links, and every link that led nowhere."""

    reached: set[Path]
    broken: list[tuple[str, str, str]]  # (page, link, why)
    links: int


def walk(site: Path) -> Walk:
    """Follow every link from the site's home page, breadth first; check each internal link's page and
    anchor exist. A link out of the site (an http(s) address) is not followed."""
    site = site.resolve()
    read: dict[Path, Page] = {}

    def page(path: Path) -> Page:
        if path not in read:
            read[path] = read_page(path)
        return read[path]

    home = site / "index.html"
    seen, queue = {home}, [home]
    broken: list[tuple[str, str, str]] = []
    count = 0
    while queue:
        current = queue.pop(0)
        for link in page(current).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            count += 1
            target = (current.parent / unquote(parts.path)).resolve() if parts.path else current
            where = str(current.relative_to(site))
            if site not in target.parents or not target.is_file():
                broken.append((where, link, "no such page in the site"))
                continue
            if target.suffix == ".html" and target not in seen:
                seen.add(target)
                queue.append(target)
            if parts.fragment and unquote(parts.fragment) not in page(target).ids:
                broken.append((where, link, "no such anchor"))
    return Walk(seen, broken, count)


class _Rows(HTMLParser):
    """The cells of every table row inside one section of a page, as text."""

    def __init__(self, section: str) -> None:
        super().__init__(convert_charrefs=True)
        self.section = section
        self.depth = 0  # sections open inside the one read, while inside it (0: outside it)
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section" and (self.depth or ("id", self.section) in attrs):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th") and self.rows:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.depth:
            self.depth -= 1
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def section_rows(page: Path, section: str) -> list[list[str]]:
    """Each table row in the page's section with id `section`, its cells' text."""
    reader = _Rows(section)
    reader.feed(page.read_text(encoding="utf-8"))
    return reader.rows
