"""An HTML paper cut into parts that WeasyPrint lays out one at a time, so memory stays bounded.

WeasyPrint keeps every laid-out page until it writes the PDF: about 1.3 MB a page, 2.7 GiB for a
1,000-objective paper. Laid out in parts of about PART_CHARS characters each, written to PDF one by
one and joined (pdfmerge.py), the largest part is all it holds at once.

Each part is a whole HTML document: the paper's head (its stylesheet), its running header, and a
run of the body's blocks with the elements around them (a section, a table, its header row). A
part starts a page, so parts are cut where the paper starts one anyway when they can be: before a
section. A block too large for a part is cut between its children (a section between its tables,
a table between its rows); a part never ends on a heading or a caption. A paper whose HTML is not
well-formed as stratctl writes it (end tags that close what they open) is laid out in one part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

PART_CHARS = 400_000
"""Characters of HTML a part holds, about 100 A4 pages and 120 MB of WeasyPrint's layout."""
_SPLITTABLE = frozenset({"body", "main", "section", "article", "div", "table", "tbody", "ul"})
"""Elements a part may end inside of: between their children, never inside a paragraph or a row."""
_KEEP_WITH_NEXT = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "caption", "thead", "p"})
"""Elements never last in a part: headings, a table's caption and header, a paragraph leading in."""
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


@dataclass(eq=False)
class _Element:
    tag: str
    start: int  # the offset of its start tag's '<'
    opened: int  # the offset just after its start tag
    classes: frozenset[str]
    parent: _Element | None
    closed: int = -1  # the offset of its end tag's '<'
    end: int = -1  # the offset just after its end tag
    children: list[_Element] = field(default_factory=list)
    text_between: bool = False  # text of its own between its children: it cannot be cut

    @property
    def size(self) -> int:
        return self.end - self.start


class _Outline(HTMLParser):
    """The document's elements with their offsets in the text; elements inside those that cannot be
    cut are passed over."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.lines = [0]
        self.lines.extend(m.end() for m in re.finditer("\n", text))
        self.root = _Element("#document", 0, 0, frozenset(), None)
        self.stack: list[_Element] = [self.root]
        self.depth_inside_atomic = 0  # elements open inside one that cannot be cut
        self.well_formed = True

    def _position(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if self.depth_inside_atomic:
            self.depth_inside_atomic += 1
            return
        start = self._position()
        raw = self.get_starttag_text() or ""
        classes = frozenset(next((value or "" for name, value in attrs if name == "class"), "").split())
        parent = self.stack[-1]
        element = _Element(tag, start, start + len(raw), classes, parent)
        parent.children.append(element)
        self.stack.append(element)
        if tag not in _SPLITTABLE and tag != "html":
            self.depth_inside_atomic = 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.depth_inside_atomic > 1:
            self.depth_inside_atomic -= 1
            return
        element = self.stack[-1]
        if element.tag != tag:  # an end tag left out or out of order: not HTML this module cuts
            self.well_formed = False
            return
        self.depth_inside_atomic = 0
        element.closed = self._position()
        close = self.text.find(">", element.closed)
        element.end = close + 1
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.depth_inside_atomic and data.strip() and self.stack[-1] is not self.root:
            self.stack[-1].text_between = True


@dataclass(frozen=True, slots=True)
class _Block:
    element: _Element
    keep_with_next: bool
    page_break: bool  # a section, which the paper starts on a new page


def split_paper(html: str, budget: int = PART_CHARS) -> list[str]:
    """`html` as a list of HTML documents laid out one after another; one, the paper itself, when it
    is within `budget` or cannot be cut."""
    if len(html) <= budget:
        return [html]
    outline = _Outline(html)
    outline.feed(html)
    outline.close()
    body = _find(outline.root, "body")
    if not outline.well_formed or len(outline.stack) != 1 or body is None or body.end < 0:
        return [html]
    running = [child for child in body.children if "running" in child.classes]
    blocks = list(_blocks([child for child in body.children if child not in running], budget))
    groups = _group(blocks, budget)
    if len(groups) < 2:
        return [html]
    head = html[: body.opened]
    tail = html[body.closed :]
    # The running header's element (it names the trust and the paper for the page furniture) only in
    # the first part: the parts are laid out without their furniture, and in a later part it would
    # stand before the first section and the page break the section asks for, on a page of its own.
    prologue = "".join(html[child.start : child.end] for child in running)
    written: set[int] = set()  # the elements whose start tag a part has written
    return [
        (head if number == 0 or group[0].page_break else _at_the_top(head, group[0], body))
        + (prologue if number == 0 else "")
        + _part_body(html, group, body, written)
        + tail
        for number, group in enumerate(groups)
    ]


def _at_the_top(head: str, first: _Block, body: _Element) -> str:
    """The head of a part that starts where the paper would not start a page: the top margins of the
    elements it opens with are dropped, as they are at the top of a page the paper runs on to (a
    part's first page would otherwise keep them, and start lower than the paper laid out whole)."""
    depth = len(_ancestors(first.element, body)) + 2  # the elements carried on, the block, its first child
    selectors = ", ".join("body" + " > :first-child" * level for level in range(1, depth + 1))
    before, end, after = head.rpartition("</head>")
    if not end:
        return head
    return f"{before}<style>{selectors} {{ margin-top: 0 !important; }}</style></head>{after}"


def _find(element: _Element, tag: str) -> _Element | None:
    for child in element.children:
        if child.tag == tag:
            return child
        found = _find(child, tag)
        if found is not None:
            return found
    return None


def _blocks(elements: list[_Element], budget: int) -> list[_Block]:
    """The blocks a part is made of, in order: each element within the budget whole, a larger one
    that can be cut as its children's blocks."""
    blocks: list[_Block] = []
    for element in elements:
        cuttable = element.tag in _SPLITTABLE and not element.text_between and element.children
        if element.size > budget and cuttable:
            blocks.extend(_blocks(element.children, budget))
        else:
            blocks.append(
                _Block(
                    element,
                    keep_with_next=element.tag in _KEEP_WITH_NEXT,
                    page_break=element.tag == "section" and "flow" not in element.classes,
                )
            )
    return blocks


def _group(blocks: list[_Block], budget: int) -> list[list[_Block]]:
    """Blocks gathered into parts of about `budget` characters, cut before a section where one comes
    once a part is half full, and never after a block that keeps with the next: the blocks that
    keep with one that does not fit go over into the next part with it."""
    groups: list[list[_Block]] = [[]]
    size = 0
    for block in blocks:
        current = groups[-1]
        full = size + block.element.size > budget
        at_section = block.page_break and size >= budget // 2
        if current and (full or at_section):
            kept = len(current)
            while kept > 0 and current[kept - 1].keep_with_next:
                kept -= 1
            if kept > 0:  # else the part is all headings and lead-ins: the block stays with them
                groups.append(current[kept:])
                del current[kept:]
                size = sum(carried.element.size for carried in groups[-1])
        groups[-1].append(block)
        size += block.element.size
    return [group for group in groups if group]


def _ancestors(element: _Element, body: _Element) -> list[_Element]:
    chain = []
    parent = element.parent
    while parent is not None and parent is not body:
        chain.append(parent)
        parent = parent.parent
    return chain[::-1]


def _part_body(html: str, group: list[_Block], body: _Element, written: set[int]) -> str:
    """One part's blocks, inside the elements around them: an element's start tag is written again
    where a part carries it on (with its id, so that the paper's stylesheet styles it alike; the
    join keeps the anchor where the element starts), and a table's header row with it."""
    out: list[str] = []
    open_: list[_Element] = []
    for block in group:
        chain = _ancestors(block.element, body)
        common = 0
        while common < len(open_) and common < len(chain) and open_[common] is chain[common]:
            common += 1
        out.extend(f"</{element.tag}>" for element in reversed(open_[common:]))
        del open_[common:]
        for element in chain[common:]:
            out.append(html[element.start : element.opened])
            if id(element) in written and element.tag == "table":
                out.extend(html[c.start : c.end] for c in element.children if c.tag in ("colgroup", "thead"))
            written.add(id(element))
            open_.append(element)
        out.append(html[block.element.start : block.element.end])
        written.add(id(block.element))
    out.extend(f"</{element.tag}>" for element in reversed(open_))
    return "".join(out)
