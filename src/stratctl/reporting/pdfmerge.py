"""Join the PDFs of a paper's parts (pdfparts.py) into one tagged PDF, as if laid out at once.

Each part is a tagged PDF (PDF/UA-1) from WeasyPrint, without its running header and footer. The
joined PDF has every page in order; one structure tree (each part's elements under one Document
element, the parent tree renumbered page by page, the links' entries after the pages'); every
named destination, so a link in one part to an anchor in another still goes there; one outline,
nested by the bookmark levels the parts were laid out with; the first part's metadata (its XMP
for PDF/UA, its title, author and dates); and on every page its header and footer, laid out once
for the whole paper (so "Page 3 of 412" counts every part) and drawn as an artifact, outside the
structure tree, as page furniture should be.

pypdf reads and writes the PDFs. `PdfWriter._add_object` is the one call of pypdf's that is not
public: pypdf has no other way to add an object the structure tree refers to indirectly.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    Fit,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

FURNITURE = "/StratctlFurniture"
"""The name, numbered by page, under which a page's header and footer are drawn."""


@dataclass(frozen=True, slots=True)
class Bookmark:
    """One of a part's bookmarks: its CSS bookmark-level, its title and where it points, in PDF units."""

    level: int
    title: str
    page: int  # within its part, from 0
    left: float
    top: float


@dataclass(frozen=True, slots=True)
class Part:
    pdf: bytes
    bookmarks: Sequence[Bookmark]
    anchors: frozenset[str]  # the named destinations that are this part's own (not stand-ins for another's)


def bookmarks_of(pages: Iterable[Any]) -> list[Bookmark]:
    """A WeasyPrint document's bookmarks, each with its level, where WeasyPrint's PDF would point:
    CSS pixels from the top left, at 0.75 PDF points each, from the bottom left."""
    return [
        Bookmark(level, label, number, x * 0.75, (page.height - y) * 0.75)
        for number, page in enumerate(pages)
        for level, label, (x, y), _state in page.bookmarks
    ]


def _dictionary(value: PdfObject | None) -> DictionaryObject:
    """A dictionary the PDF holds, directly or by reference."""
    return cast(DictionaryObject, value.get_object() if value is not None else None)


def _array(value: PdfObject | None) -> ArrayObject:
    return cast(ArrayObject, value.get_object() if value is not None else None)


def merge(parts: Sequence[Part], furniture: bytes) -> bytes:
    """The parts' pages as one tagged PDF, each with the page of `furniture` of its number drawn over it."""
    writer = PdfWriter()
    document = DictionaryObject(
        {NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Document")}
    )
    kids = ArrayObject()
    document[NameObject("/K")] = kids
    document_ref = writer._add_object(document)
    marks: list[ArrayObject] = []  # by page: each marked-content id's structure element
    links: list[tuple[IndirectObject, IndirectObject]] = []  # (annotation, its Link element)
    destinations: list[tuple[str, ArrayObject]] = []
    outline: list[tuple[Bookmark, int]] = []  # with the page's number in the whole paper
    for number, part in enumerate(parts):
        # One part read at a time: a reader keeps every object it parses, and the writer holds the clones.
        reader = PdfReader(io.BytesIO(part.pdf))
        if number == 0:
            _catalog(writer, reader)
        first = len(writer.pages)
        for page in reader.pages:
            added = writer.add_page(page)
            added[NameObject("/StructParents")] = NumberObject(len(writer.pages) - 1)
        root = _dictionary(reader.trailer["/Root"])
        tree = _dictionary(root["/StructTreeRoot"])
        part_document = _dictionary(_array(tree["/K"])[0])
        for kid in _array(part_document["/K"]):
            element = kid.clone(writer, ignore_fields=["/P"])
            _adopt(element, document_ref, links)
            kids.append(element)
        numbers = _array(_dictionary(tree["/ParentTree"])["/Nums"])
        for key, value in zip(numbers[::2], numbers[1::2], strict=True):
            if int(cast(NumberObject, key)) < len(reader.pages):
                marks.append(ArrayObject(_element(ref, writer, document_ref) for ref in _array(value)))
        names = _dictionary(root.get("/Names", DictionaryObject())).get("/Dests")
        if names is not None:
            pairs = _array(_dictionary(names)["/Names"])
            destinations.extend(
                (str(name), _array(value).clone(writer))
                for name, value in zip(pairs[::2], pairs[1::2], strict=True)
                if str(name) in part.anchors
            )
        outline.extend((bookmark, first + bookmark.page) for bookmark in part.bookmarks)
    _structure(writer, document, document_ref, marks, links)
    _destinations(writer, destinations)
    _outline(writer, outline)
    _furnish(writer, PdfReader(io.BytesIO(furniture)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _adopt(reference: Any, parent: IndirectObject, links: list[tuple[IndirectObject, IndirectObject]]) -> None:
    """Give a cloned structure element, and each below it, its parent again (the clone left /P out),
    and note each link annotation it holds."""
    element = reference.get_object()
    element[NameObject("/P")] = parent
    kids = element.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        target = kid.get_object() if isinstance(kid, IndirectObject) else kid
        if not isinstance(target, DictionaryObject):
            continue  # a marked-content id
        if target.get("/Type") == "/OBJR":
            links.append((cast(IndirectObject, target.raw_get("/Obj")), reference))
        elif target.get("/Type") != "/MCR":
            _adopt(kid, reference, links)


def _element(reference: Any, writer: PdfWriter, document: IndirectObject) -> Any:
    """The clone of a structure element the parent tree names (an element outside the tree, such as
    one WeasyPrint made for a margin box, is cloned here, and hangs from the document)."""
    if not isinstance(reference, IndirectObject):
        return reference
    clone = reference.clone(writer, ignore_fields=["/P"])
    element = _dictionary(clone)
    if "/P" not in element:
        element[NameObject("/P")] = document
    return clone


def _structure(
    writer: PdfWriter,
    document: DictionaryObject,
    document_ref: IndirectObject,
    marks: list[ArrayObject],
    links: list[tuple[IndirectObject, IndirectObject]],
) -> None:
    nums = ArrayObject()
    for page, elements in enumerate(marks):
        nums.extend([NumberObject(page), elements])
    for index, (annotation, element) in enumerate(links, start=len(marks)):
        _dictionary(annotation)[NameObject("/StructParent")] = NumberObject(index)
        nums.extend([NumberObject(index), element])
    parent_tree = writer._add_object(DictionaryObject({NameObject("/Nums"): nums}))
    root = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructTreeRoot"),
            NameObject("/ParentTree"): parent_tree,
            NameObject("/ParentTreeNextKey"): NumberObject(len(marks) + len(links)),
            NameObject("/K"): ArrayObject([document_ref]),
        }
    )
    root_ref = writer._add_object(root)
    document[NameObject("/P")] = root_ref
    writer.root_object[NameObject("/StructTreeRoot")] = root_ref


def _destinations(writer: PdfWriter, destinations: list[tuple[str, ArrayObject]]) -> None:
    if not destinations:
        return
    names = ArrayObject()
    for name, destination in sorted(destinations, key=lambda pair: pair[0]):
        names.extend([TextStringObject(name), destination])
    writer.root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/Dests"): DictionaryObject({NameObject("/Names"): names})}
    )


def _outline(writer: PdfWriter, bookmarks: list[tuple[Bookmark, int]]) -> None:
    """The bookmarks nested by level, as WeasyPrint nests them: each under the last before it of a lower level."""
    open_: list[tuple[int, Any]] = []
    for bookmark, page in bookmarks:
        while open_ and open_[-1][0] >= bookmark.level:
            open_.pop()
        parent = open_[-1][1] if open_ else None
        item = writer.add_outline_item(
            title=bookmark.title,
            page_number=page,
            parent=parent,
            fit=Fit.xyz(left=bookmark.left, top=bookmark.top, zoom=0),
        )
        open_.append((bookmark.level, item))


def _furnish(writer: PdfWriter, furniture: PdfReader) -> None:
    """Draw page N of `furniture` (the running header and footer) over page N, as an artifact."""
    opening = writer._add_object(_stream(b"q\n"))
    for number, (page, furnishing) in enumerate(zip(writer.pages, furniture.pages, strict=True)):
        form = DecodedStreamObject()
        drawn = furnishing.get_contents()
        form.set_data(drawn.get_data() if drawn is not None else b"")
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(furnishing.mediabox),
                NameObject("/Resources"): furnishing["/Resources"].clone(writer),
            }
        )
        name = NameObject(f"{FURNITURE}{number}")
        resources = _dictionary(page["/Resources"])
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        _dictionary(resources["/XObject"])[name] = writer._add_object(form)
        drawing = writer._add_object(_stream(b"Q\n/Artifact BMC\nq " + name.encode() + b" Do Q\nEMC\n"))
        contents = page.raw_get("/Contents")
        kept = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([opening, *kept, drawing])


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _catalog(writer: PdfWriter, first: PdfReader) -> None:
    """The first part's language, PDF/UA markers, XMP metadata and document information."""
    root = _dictionary(first.trailer["/Root"])
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
        if key in root:
            writer.root_object[NameObject(key)] = root.raw_get(key).clone(writer)
    info = first.metadata
    writer.add_metadata({key: str(value) for key, value in (info or {}).items()})
