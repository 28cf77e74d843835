"""The site `stratctl site` writes, in a real headless Chromium as its readers will open it.

Every page of the site: no violation of WCAG 2.1 A or AA that axe-core finds, readable at 320 CSS
pixels wide with no sideways scrolling of the page (reflow, WCAG 1.4.10: a wide table scrolls in its
own region), no request for anything outside the site, no console error. The quarters' papers in
the archive are the Board papers `stratctl report --format html` writes, byte for byte (checked in
tests/test_site.py), laid out for print; they are audited in the browser by
tests/test_report_browser.py, and are not re-audited here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from stratctl.cli.app import app
from tests.browser_helpers import WCAG_21_AA, axe_context, axe_violations, described, launched_chromium
from tests.conftest import FIXTURES, PROJECT
from tests.hostile import write_hostile_repository

# one worker runs them all under `--dist loadgroup` (one Chromium); seconds each, so a quick local run
# (`-m "not slow"`) leaves them out
pytestmark = [pytest.mark.xdist_group("browser"), pytest.mark.slow]

NARROWEST = 320
"""CSS pixels: WCAG 1.4.10's width, 1280 pixels at 400% zoom."""

TRUSTS = {
    "sthft": PROJECT / "examples" / "sthft" / "data",  # two years: lineage, closed and replaced risks
    "lifecycle": FIXTURES / "lifecycle" / "data",  # risks with every part of a BAF entry
    "nwaft": PROJECT / "data",
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_chromium()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> dict[str, Path]:
    """The site of each trust, and of the hostile data set (record text that tries to break out)."""
    folder = tmp_path_factory.mktemp("sites")
    data = {**TRUSTS, "hostile": write_hostile_repository(tmp_path_factory.mktemp("hostile"))}
    built = {}
    for name, records in data.items():
        built[name] = folder / name
        result = CliRunner().invoke(app, ["site", "--data", str(records), "--output", str(built[name])])
        assert result.exit_code == 0, result.output
    return built


def _pages(site: Path) -> list[Path]:
    """The site's own pages: every HTML file but the quarters' papers."""
    papers = {p for p in (site / "archive").glob("*.html") if p.stem.rsplit("-", 1)[-1] in ("Q1", "Q2", "Q3", "Q4")}
    pages = sorted(set(site.rglob("*.html")) - papers)
    assert len(papers) > 0 and len(pages) > 10  # a site was written, with its archive
    return pages


@pytest.mark.parametrize("name", ["sthft", "lifecycle"])
def test_every_page_has_no_wcag_21_aa_violation(browser: Any, sites: dict[str, Path], name: str) -> None:
    context = axe_context(browser)
    page = context.new_page()
    found = []
    audited = 0
    for path in _pages(sites[name]):
        page.goto(path.as_uri())
        found += [f"{path.relative_to(sites[name])}: {described(v)}" for v in axe_violations(page, WCAG_21_AA)]
        audited += 1
    context.close()
    assert audited == len(_pages(sites[name]))
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("name", ["sthft", "lifecycle", "nwaft", "hostile"])
def test_every_page_reflows_at_320_pixels_and_asks_for_nothing_outside_the_site(
    browser: Any, sites: dict[str, Path], name: str
) -> None:
    context = browser.new_context(viewport={"width": NARROWEST, "height": 640})
    page = context.new_page()
    inside = sites[name].as_uri() + "/"
    outside: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(inside) else outside.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    too_wide = {}
    for path in _pages(sites[name]):
        page.goto(path.as_uri(), wait_until="load")
        width = page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        if width > NARROWEST:
            too_wide[str(path.relative_to(sites[name]))] = width
        assert page.evaluate("() => window.__xss") is None, path
    context.close()
    assert too_wide == {}
    assert outside == []
    assert errors == []


def test_a_wide_table_scrolls_in_its_own_region_at_320_pixels(browser: Any, sites: dict[str, Path]) -> None:
    # The heat map is wider than a phone: the page does not scroll sideways, its region does, and a
    # keyboard user can reach that region to scroll it.
    context = browser.new_context(viewport={"width": NARROWEST, "height": 640})
    page = context.new_page()
    page.goto((sites["sthft"] / "index.html").as_uri())
    region = page.locator(".scroll:has(table.heatmap)")
    assert region.count() == 1
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth")
    assert region.get_attribute("tabindex") == "0"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROWEST
    context.close()
