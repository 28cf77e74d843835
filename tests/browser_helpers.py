"""Headless Chromium and axe-core for the tests of what stratctl writes as HTML (the paper, the site).

Needs Debian's chromium, the playwright Python package and axe-core from npm (.ci/run installs all
three). Locally a missing piece skips the test; with STRATCTL_BROWSER_TESTS=required (as CI sets) it
fails instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.conftest import PROJECT

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

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
"""axe-core's tags for the success criteria of WCAG 2.1 at levels A and AA."""


def missing(what: str) -> NoReturn:
    """A browser piece is not installed: skip, or fail where the run requires the browser tests."""
    if REQUIRED:
        pytest.fail(f"{what} is required for the browser tests")
    pytest.skip(f"{what} is not installed")


def launched_chromium() -> Iterator[Any]:
    """Chromium launched through playwright, closed when the generator is (a module fixture's body)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package")
    if not Path(CHROMIUM).exists():
        missing("chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def axe_context(browser: Any, **options: Any) -> Any:
    """A browser context that lets axe-core be injected: the pages under test forbid every script by
    their Content-Security-Policy, so only this context bypasses it (the pages themselves run none)."""
    if not AXE.exists():
        missing(f"axe-core ({AXE})")
    return browser.new_context(bypass_csp=True, **options)


def axe_violations(page: Any, tags: list[str]) -> list[dict[str, Any]]:
    """axe-core's violations of the rules with these tags on the page as it stands."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def described(violation: dict[str, Any]) -> str:
    """One violation in a line: the rule, its impact, what it asks and where (the first three places)."""
    places = [node["target"] for node in violation["nodes"][:3]]
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {places}"
