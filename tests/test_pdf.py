"""The PDF paper as bytes: the same on any machine, whatever fonts it has and whenever it is made."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from stratctl.reporting.pdf import FONT_FILES, packaged_fonts

pypdf = pytest.importorskip("pypdf")  # the test extra installs it
weasyprint = pytest.importorskip("weasyprint")  # the pdf extra: dev.py installs it for the tests


def _pdf(stratctl, output: Path, *args: str) -> bytes:  # type: ignore[no-untyped-def]
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
    from fontTools.ttLib import TTFont

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


def test_the_pdf_is_laid_out_with_the_fonts_stratctl_ships(repo: Path, stratctl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _pdf(stratctl, tmp_path / "paper.pdf")
    fonts = _fonts_in(tmp_path / "paper.pdf")
    assert "Liberation-Sans" in fonts and "Liberation-Sans-Bold" in fonts
    assert fonts <= {"Liberation-Sans", "Liberation-Sans-Bold", "Liberation-Sans-Italic", "DejaVu-Sans"}
    assert all((packaged_fonts() / name).is_file() for name in FONT_FILES)
    licences = {p.name for p in packaged_fonts().glob("LICENSE-*.txt")}
    assert licences == {"LICENSE-Liberation.txt", "LICENSE-DejaVu.txt"}


def test_the_pdf_is_the_same_whatever_fonts_the_machine_has_and_whenever_it_is_made(
    repo: Path, stratctl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
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
