"""`stratctl signoff` and `stratctl report --signed-off`: the Board's approval, recorded and checked."""

from __future__ import annotations

import sys
from pathlib import Path

from stratctl.api.signoff import sign_off, verify
from stratctl.cli.authoring import resolve_quarter
from stratctl.cli.common import EXIT_FINDINGS, EXIT_OK, workspace
from stratctl.errors import StratctlError
from stratctl.output import write_output
from stratctl.periods import Quarter
from stratctl.plaintext import printable
from stratctl.signoff import quarter_of_tag
from stratctl.workspace import Workspace


def signed_off_quarter(space: Workspace, words: list[str], option: str) -> Quarter:
    """`2021/22 Q3` (one argument or two), `Q3` of trust.yaml's year, or the tag's own `board/2021-22-Q3`."""
    text = " ".join(words).strip()
    if not text or text.startswith("-"):
        raise StratctlError(
            f"{option} {text!r}: give a quarter such as 2021/22 Q3 (a value beginning with '-' is refused)"
        )
    tagged = quarter_of_tag(text if text.startswith("board/") else f"board/{text}")
    return tagged if tagged is not None else resolve_quarter(space, text)


def run_signoff(words: list[str], data: Path | None) -> int:
    space = workspace(data)
    quarter = signed_off_quarter(space, words, "signoff")
    signed = sign_off(space, quarter)
    sys.stdout.write(f"{signed.tag}\n")
    if signed.replaced is not None:
        sys.stderr.write(
            f"note: the tag {signed.tag} that was there ({printable(signed.replaced.why)}, on "
            f"{signed.replaced.object[:12]}) was not a sign-off, and is replaced by this one\n"
        )
    sys.stderr.write(
        f"signed off {quarter}: tag {signed.tag} on commit {signed.commit[:12]}, "
        f"paper sha256 {signed.paper.digest}\n"
        f"share it: git push origin {signed.tag}\n"
    )
    if signed.later is not None:
        sys.stderr.write(
            f"warning: the records at this commit already hold {signed.later} updates, so the tag holds the {quarter} "
            f"paper as it renders now, which may differ from the one the Board approved; if so, delete the tag "
            f"(git tag -d {signed.tag}), check out the commit the paper was built from and sign off there\n"
        )
    return EXIT_OK


def run_signed_off_report(space: Workspace, words: list[str], output: Path | None) -> int:
    quarter = signed_off_quarter(space, words, "--signed-off")
    result = verify(space, quarter)
    if not result.matches:
        sys.stderr.write(
            f"stratctl: the {quarter} paper rebuilt from {result.signoff.tag} is not the one the Board signed off:\n"
        )
        for difference in result.differences:
            sys.stderr.write(f"  - {printable(difference)}\n")
        return EXIT_FINDINGS
    if output is None:
        sys.stdout.write(result.paper.text)
    else:
        write_output(output, result.paper.text)
        sys.stderr.write(f"wrote {output}\n")
    sys.stderr.write(f"the {quarter} paper matches its sign-off ({result.signoff.tag}, sha256 {result.recorded})\n")
    return EXIT_OK


def run_codeowners(check: bool, data: Path | None) -> int:
    import difflib

    from stratctl.api.codeowners import codeowners
    from stratctl.layout import CODEOWNERS_FILE

    outcome = codeowners(workspace(data), check=check)
    shown = CODEOWNERS_FILE.as_posix()
    if outcome.unowned:  # a file that asks no one for review protects nothing: say so, whatever else happens
        sys.stderr.write(
            f"warning: {len(outcome.unowned)} path(s) in {shown} have no owner, so a pull request touching them "
            f"asks no one for review ({', '.join(printable(p) for p in outcome.unowned[:3])}"
            f"{', ...' if len(outcome.unowned) > 3 else ''}): give the executives `reviewers` in trust.yaml, "
            "or set [codeowners] default in stratctl.toml\n"
        )
    if outcome.in_step:
        sys.stderr.write(f"{shown} is in step with the records\n")
        return EXIT_OK
    if check:
        diff = difflib.unified_diff(
            (outcome.current or "").splitlines(keepends=True),
            outcome.expected.splitlines(keepends=True),
            f"{shown} (as it is)",
            f"{shown} (from the records)",
        )
        sys.stdout.write("".join(printable(line.rstrip("\n")) + "\n" for line in diff))  # the line break is ours
        sys.stderr.write(
            f"{shown} is {'missing' if outcome.current is None else 'out of step with the records'}: "
            "run stratctl codeowners\n"
        )
        return EXIT_FINDINGS
    sys.stderr.write(f"wrote {outcome.path}\n")
    return EXIT_OK
