"""The HTML report in a real headless Chromium: no script, no network, no console error, accessible.

Needs Debian's chromium, the playwright Python package and axe-core from npm (.ci/run installs
all three). Locally they are skipped when missing; with STRATCTL_BROWSER_TESTS=required (as CI
sets) a missing piece fails instead. Screenshots and PDFs go to build/screenshots/ for review.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, PROJECT
from tests.hostile import write_hostile_repository

# one worker runs them all under `--dist loadgroup`: one Chromium and one set of reports, not one per worker;
# seconds each, so a quick local run (`-m "not slow"`) leaves them out
pytestmark = [pytest.mark.xdist_group("browser"), pytest.mark.slow]

REQUIRED = os.environ.get("STRATCTL_BROWSER_TESTS") == "required"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(os.environ.get("STRATCTL_AXE_JS", PROJECT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"))
SHOTS = PROJECT / "build" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


def _missing(what: str) -> None:
    if REQUIRED:
        pytest.fail(f"{what} is required for the browser tests")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package")
    if not Path(CHROMIUM).exists():
        _missing("chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> dict[str, Path]:
    """The bundled trust's Q3 and annual reports and the hostile data set's, as HTML files."""
    from typer.testing import CliRunner

    from stratctl.cli.app import app

    folder = tmp_path_factory.mktemp("html")
    hostile = write_hostile_repository(tmp_path_factory.mktemp("hostile"))
    risk = hostile / "risks" / "100.yaml"  # published, so its hostile title and description are in the public report
    risk.write_text(risk.read_text(encoding="utf-8") + "public: true\n", encoding="utf-8")
    runs = {
        "board": ["--data", str(PROJECT / "data"), "--quarter", "Q3"],
        "annual": ["--data", str(PROJECT / "data"), "--year", "2021/22"],
        "hostile": ["--data", str(hostile), "--quarter", "Q3"],
        # a trust whose risks have every part of a BAF entry, with a committee paper's cover
        "baf": ["--data", str(FIXTURES / "lifecycle" / "data"), "--quarter", "2023/24 Q2", "--purpose", "decision"],
        "committee": [
            "--data",
            str(FIXTURES / "lifecycle" / "data"),
            "--quarter",
            "2023/24 Q2",
            "--committee",
            "quality-committee",
        ],
        "annual-lifecycle": ["--data", str(FIXTURES / "lifecycle" / "data"), "--year", "2022/23"],
        # the annual report for patients and the public: each bundled trust, and hostile text in it
        "public": ["--data", str(PROJECT / "data"), "--year", "2021/22", "--audience", "public"],
        "public-sthft": [
            "--data",
            str(PROJECT / "examples" / "sthft" / "data"),
            "--year",
            "2023/24",
            "--audience",
            "public",
        ],
        "public-lifecycle": [
            "--data",
            str(FIXTURES / "lifecycle" / "data"),
            "--year",
            "2023/24",
            "--audience",
            "public",
        ],
        "public-hostile": ["--data", str(hostile), "--year", "2021/22", "--audience", "public"],
    }
    paths = {}
    for name, args in runs.items():
        paths[name] = folder / f"{name}.html"
        result = CliRunner().invoke(app, ["report", *args, "--format", "html", "--output", str(paths[name])])
        assert result.exit_code == 0, result.output
    return paths


PUBLIC = ["public", "public-sthft", "public-lifecycle", "public-hostile"]
NAMES = ["board", "annual", "hostile", "baf", "committee", "annual-lifecycle", *PUBLIC]


@pytest.mark.parametrize("name", NAMES)
def test_no_script_runs_no_request_no_console_error(browser: Any, reports: dict[str, Path], name: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    def dismissed(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismissed)
    url = reports[name].as_uri()
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__xss") is None
    assert dialogs == []
    assert errors == []
    assert requests == [url]
    assert page.locator("main" if name in PUBLIC else "table").count() > 0  # the public report may have no chart
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.pdf(path=str(SHOTS / f"{name}.pdf"), format="A4", landscape=True, print_background=True)
    assert (SHOTS / f"{name}.png").stat().st_size > 10_000
    assert (SHOTS / f"{name}.pdf").read_bytes().count(b"/Type /Page") >= 2
    page.close()


@pytest.mark.parametrize("name", NAMES)
def test_accessibility_audit_has_no_serious_violation(browser: Any, reports: dict[str, Path], name: str) -> None:
    if not AXE.exists():
        _missing(f"axe-core ({AXE})")
    context = browser.new_context(bypass_csp=True)  # only to inject axe; the report itself has no script
    page = context.new_page()
    page.goto(reports[name].as_uri())
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, "
        "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], "\n".join(serious)
    context.close()


@pytest.mark.parametrize("name", PUBLIC)
def test_the_public_report_has_no_wcag_21_aa_violation_at_all(
    browser: Any, reports: dict[str, Path], name: str
) -> None:
    """The report the public reads: not one WCAG 2.1 A or AA violation, whatever axe rates its impact,
    and it reflows at 320 CSS pixels wide (WCAG 1.4.10) with no sideways scrolling of the page."""
    if not AXE.exists():
        _missing(f"axe-core ({AXE})")
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(reports[name].as_uri())
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]
    assert violations == [], "\n".join(violations)
    assert result["passes"], "axe ran no check at all"
    page.set_viewport_size({"width": 320, "height": 900})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    context.close()
