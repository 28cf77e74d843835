"""The PDF paper as bytes: the same on any machine, whatever fonts it has and whenever it is made."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from stratctl.reporting.pdf import FONT_FILES, PdfMetadata, html_to_pdf, packaged_fonts
from stratctl.reporting.pdfparts import split_paper
from tests.conftest import PROJECT, Stratctl

pypdf = pytest.importorskip("pypdf")  # the test extra installs it
weasyprint = pytest.importorskip("weasyprint")  # the pdf extra: dev.py installs it for the tests


def _pdf(stratctl: Stratctl, output: Path, *args: str) -> bytes:
    outcome = stratctl("report", "--format", "pdf", "--output", str(output), *args)
    assert outcome.exit_code == 0, outcome.stderr
    return output.read_bytes()


def _fonts_in(pdf: Path) -> set[str]:
    """The families a PDF embeds, without their subset tags (`ABCDEF+Liberation-Sans-Bold`)."""
    reader = pypdf.PdfReader(pdf)
    return {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }


def _impostor(folder: Path) -> Path:
    """A font that calls itself Liberation Sans but has other glyphs and widths (DejaVu Sans renamed):
    installed on a machine, it would be what fontconfig gives for the paper's first family."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(packaged_fonts() / "DejaVuSans.ttf")
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Liberation Sans"
        elif record.nameID == 6:
            record.string = "LiberationSans"
    folder.mkdir()
    path = folder / "Impostor.ttf"
    font.save(path)
    return path


def _file_fontconfig_gives(family: str) -> str:
    """The font file fontconfig, configured as the environment says, gives for `family`."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = ffi.gc(fontconfig.FcInitLoadConfigAndFonts(), fontconfig.FcConfigDestroy)
    pattern = ffi.gc(fontconfig.FcPatternCreate(), fontconfig.FcPatternDestroy)
    fontconfig.FcPatternAddString(pattern, b"family", family.encode())
    fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
    fontconfig.FcDefaultSubstitute(pattern)
    result = ffi.new("FcResult *")
    match = ffi.gc(fontconfig.FcFontMatch(config, pattern, result), fontconfig.FcPatternDestroy)
    assert match != ffi.NULL
    name = ffi.new("FcChar8 **")
    fontconfig.FcPatternGetString(match, b"file", 0, name)
    return str(ffi.string(name[0]).decode())


def test_the_pdf_is_laid_out_with_the_fonts_stratctl_ships(repo: Path, stratctl: Stratctl, tmp_path: Path) -> None:
    _pdf(stratctl, tmp_path / "paper.pdf")
    fonts = _fonts_in(tmp_path / "paper.pdf")
    assert "Liberation-Sans" in fonts and "Liberation-Sans-Bold" in fonts
    assert fonts <= {"Liberation-Sans", "Liberation-Sans-Bold", "Liberation-Sans-Italic", "DejaVu-Sans"}
    assert all((packaged_fonts() / name).is_file() for name in FONT_FILES)
    licences = {p.name for p in packaged_fonts().glob("LICENSE-*.txt")}
    assert licences == {"LICENSE-Liberation.txt", "LICENSE-DejaVu.txt"}


def test_the_pdf_is_the_same_whatever_fonts_the_machine_has_and_whenever_it_is_made(
    repo: Path, stratctl: Stratctl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _pdf(stratctl, tmp_path / "before.pdf")
    # Another machine: a font family installed that claims the paper's first family (fontconfig, as
    # that machine's configuration has it, gives it for "Liberation Sans"), a minute later by its clock.
    impostor = _impostor(tmp_path / "installed-fonts")
    machine = tmp_path / "machine-fonts.conf"
    machine.write_text(f"<?xml version='1.0'?>\n<fontconfig><dir>{impostor.parent}</dir></fontconfig>\n")
    monkeypatch.setenv("FONTCONFIG_FILE", str(machine))
    assert _file_fontconfig_gives("Liberation Sans") == str(impostor)  # the machine really is different
    later = time.time() + 60
    monkeypatch.setattr(time, "time", lambda: later)
    after = _pdf(stratctl, tmp_path / "after.pdf")
    assert after == before
    assert _file_fontconfig_gives("Liberation Sans") == str(
        impostor
    )  # and the machine's settings are left as they were


# --- a paper laid out in parts -------------------------------------------------------------------


def _outline_pages(reader: Any) -> list[tuple[str, int, int]]:
    """Each bookmark's title, page and height on the page, in order."""
    found: list[tuple[str, int, int]] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item), round(float(item.top))))

    walk(reader.outline)
    return found


def _links(reader: Any) -> list[tuple[int, int]]:
    """Each internal link as (its page, the page its named destination is on)."""
    destinations = {name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}
    return [
        (number, destinations[str(annotation.get_object()["/Dest"])])
        for number, page in enumerate(reader.pages)
        for annotation in page.get("/Annots") or []
        if "/Dest" in annotation.get_object()
    ]


def _tagged_pages(reader: Any) -> list[int]:
    """The pages whose marked content the structure tree reaches: each page's entry in the parent
    tree lists structure elements whose parents lead up to the tree's root."""
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    numbers = root["/ParentTree"].get_object()["/Nums"]
    entries = dict(zip((int(key) for key in numbers[::2]), numbers[1::2], strict=True))
    tagged = []
    for number, page in enumerate(reader.pages):
        elements = entries[int(page["/StructParents"])].get_object()
        if elements and all(_reaches(element.get_object(), root) for element in elements):
            tagged.append(number)
    return tagged


def _reaches(element: Any, root: Any) -> bool:
    for _ in range(100):
        parent = element["/P"].get_object()
        if parent is root:
            return True
        element = parent
    return False


def _embedded(reader: Any) -> bool:
    """Every font on every page embedded (its glyphs in the file, not named for the reader to find)."""
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = described["/FontDescriptor"].get_object()
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                return False
    return True


def test_a_paper_laid_out_in_parts_is_the_paper_laid_out_whole(
    tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PROJECT)
    html = stratctl("report", "--year", "2021/22", "--quarter", "Q3", "--format", "html").stdout
    part_chars = len(html) // 4  # the bundled paper is one part; this budget cuts it in four or more
    assert len(split_paper(html, part_chars)) >= 4
    metadata = PdfMetadata("A paper in parts", "A trust", "A subject", "2022-01-31T12:00:00+00:00")
    whole = pypdf.PdfReader(io.BytesIO(html_to_pdf(html, metadata)))
    in_parts = html_to_pdf(html, metadata, part_chars=part_chars)
    assert html_to_pdf(html, metadata, part_chars=part_chars) == in_parts  # the join is deterministic too
    joined = pypdf.PdfReader(io.BytesIO(in_parts))

    def texts(reader: Any) -> list[str]:
        return [" ".join(page.extract_text().split()) for page in reader.pages]

    # the same pages with the same text, running header and "Page N of M" footer included
    assert texts(joined) == texts(whole)
    pages = len(joined.pages)
    assert all(f"Page {n} of {pages}" in text for n, text in enumerate(texts(joined), start=1))
    assert _outline_pages(joined) == _outline_pages(whole)  # bookmarks nested and pointing where they did
    assert _links(joined) == _links(whole) and len(_links(joined)) > 10  # links across parts still go there
    assert _tagged_pages(joined) == _tagged_pages(whole) == list(range(pages))  # one structure tree, every page in it
    assert _embedded(joined)
    assert joined.metadata.title == "A paper in parts" and joined.metadata.author == "A trust"
    assert joined.trailer["/Root"]["/Lang"] == whole.trailer["/Root"]["/Lang"]
    assert "/Metadata" in joined.trailer["/Root"]  # the XMP that declares PDF/UA


def test_a_paper_is_cut_between_rows_and_sections_never_inside_one() -> None:
    rows = "".join(f'<tr id="row-{n}"><td>Objective {n}</td><td>G</td></tr>' for n in range(60))
    html = (
        "<!DOCTYPE html><html><head><style>p { color: black }</style></head><body>\n"
        '<p class="running"><span>The trust</span></p>\n'
        '<section id="tracker"><h2 id="tracker-heading">Tracker</h2>\n'
        '<table id="tracker-table"><thead><tr><th>Objective</th><th>Position</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        '</section>\n<section id="risks"><h2>Risks</h2><p>None recorded.</p></section>\n</body></html>'
    )
    parts = split_paper(html, 1_000)
    assert len(parts) >= 3
    for part in parts:
        assert part.startswith("<!DOCTYPE html><html><head><style>p { color: black }</style>")  # the paper's head
        assert part.endswith("</body></html>")
        body = part.split("<body>", 1)[1]
        assert body.count("<section") == body.count("</section>") and body.count("<table") == body.count("</table>")
        assert not re.search(r"</h2>\s*(</section>\s*)*</body>", part)  # a heading never last in a part
        if "Objective 1<" in body or "Objective 59<" in body:
            assert "<thead><tr><th>Objective</th><th>Position</th></tr></thead>" in body  # the header row repeated
    assert parts[0].count('class="running"') == 1 and all('class="running"' not in part for part in parts[1:])
    every = "".join(parts)
    assert re.findall(r"Objective \d+", every) == [f"Objective {n}" for n in range(60)]  # every row once, in order
    for part in parts[1:]:  # carried on, the section and table keep their ids: the paper's stylesheet selects by id
        if "Objective" in part:
            assert '<section id="tracker"><table id="tracker-table"><thead>' in part
            assert "margin-top: 0 !important" in part  # it starts where the paper would not start a page
    assert parts[0].count('<section id="tracker">') == 1 and "!important" not in parts[0]
    assert "None recorded." in parts[-1] and "<h2>Risks</h2>" in parts[-1]
    assert split_paper(html, len(html)) == [html]  # a paper within the budget is one part, itself
    assert split_paper(html.replace("</tbody>", ""), 1_000) == [html.replace("</tbody>", "")]  # not as stratctl writes


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=board@example.nhs.uk", "-c", "user.name=Board Secretary", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_the_pdf_rebuilt_from_a_sign_off_tag_elsewhere_is_the_same_bytes(
    tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = tmp_path / "office"
    shutil.copytree(PROJECT / "data", office / "data")
    _git(office, "init", "-q")
    _git(office, "add", "-A")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2022-01-27T10:00:00+00:00")
    _git(office, "commit", "-qm", "Q3 paper as the Board approved it")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    monkeypatch.chdir(office)
    assert stratctl("signoff", "2021/22", "Q3").exit_code == 0
    sent = _pdf(stratctl, tmp_path / "sent.pdf", "--quarter", "Q3")
    # a year later, on another machine: a clone of the tag in another folder, the records edited since
    (office / "data" / "trust.yaml").write_text((office / "data" / "trust.yaml").read_text() + "# edited\n")
    _git(office, "commit", "-qam", "later work")
    archive = tmp_path / "archive" / "rebuilt"
    subprocess.run(
        ["git", "clone", "-q", "--branch", "board/2021-22-Q3", str(office), str(archive)],
        check=True,
        capture_output=True,
    )
    monkeypatch.chdir(archive)
    later = time.time() + 365 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    assert _pdf(stratctl, tmp_path / "rebuilt.pdf", "--quarter", "Q3") == sent
    created = pypdf.PdfReader(tmp_path / "rebuilt.pdf").metadata["/CreationDate"]
    assert created.startswith("D:20220127")  # the commit's date, never the clock's


def test_a_heading_and_its_lead_in_go_over_with_the_block_that_does_not_fit() -> None:
    items = "".join(f"<li>Objective {n}</li>" for n in range(40))
    html = (
        "<!DOCTYPE html><html><head></head><body>\n"
        f"<section><h2>Summary</h2><div>{'Filler. ' * 80}</div>"
        f"<h3>Chart</h3><p>Lead-in:</p><figure>{'y' * 500}</figure>"
        f'<h3>What moved</h3><p>Objectives that moved:</p><ul class="moves">{items}</ul></section>\n'
        "</body></html>"
    )
    parts = split_paper(html, 1_000)
    [chart] = [part for part in parts if "<figure>" in part]
    assert "<h3>Chart</h3><p>Lead-in:</p><figure>" in chart and "Filler" not in chart  # over with it, not left behind
    assert any(part.endswith("Filler. </div></section></body></html>") for part in parts)
    assert all('<ul class="moves">' in part for part in parts if "Objective" in part)  # a long list cut between items
    assert re.findall(r"Objective \d+", "".join(parts)) == [f"Objective {n}" for n in range(40)]
