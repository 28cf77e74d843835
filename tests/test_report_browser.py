"""The HTML report in a real headless Chromium: no script, no network, no console error, accessible.

Chromium and axe-core as tests/browser_helpers.py finds them (skipped locally when missing, a
failure where STRATCTL_BROWSER_TESTS=required). Screenshots and PDFs go to build/screenshots/ for review.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_helpers import SHOTS, WCAG_21_AA, axe_context, axe_violations, described, launched_chromium
from tests.conftest import FIXTURES, PROJECT
from tests.hostile import write_hostile_repository

# one worker runs them all under `--dist loadgroup`: one Chromium and one set of reports, not one per worker;
# seconds each, so a quick local run (`-m "not slow"`) leaves them out
pytestmark = [pytest.mark.xdist_group("browser"), pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_chromium()


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
    context = axe_context(browser)
    page = context.new_page()
    page.goto(reports[name].as_uri())
    serious = [
        described(v)
        for v in axe_violations(page, [*WCAG_21_AA, "best-practice"])
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
    context = axe_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(reports[name].as_uri())
    violations = [described(v) for v in axe_violations(page, WCAG_21_AA)]
    assert violations == [], "\n".join(violations)
    page.set_viewport_size({"width": 320, "height": 900})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    context.close()
