"""Board sign-off: a tag holding the paper's digest, records held to it, and the paper rebuilt from it."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from stratctl.signoff import parse_message
from tests.conftest import PROJECT, Stratctl

TAG = "board/2021-22-Q3"
AGILE = "data/objectives/agile-working.yaml"
MATERNITY = "data/objectives/maternity-vacancies.yaml"
RISK = "data/risks/103348.yaml"


STAMFORD = "data/objectives/stamford-land-sale.yaml"
STAMFORD_Q2 = """  - quarter: 2021/22 Q2
    progress: behind
    comment: Land sale not expected to complete by the deadline.
    projected: R
"""


def _with_a_q2_update(root: Path) -> Path:
    """The Stamford objective with a Q2 update before its Q3 one, committed: a quarter before the latest."""
    path = root / STAMFORD
    _edit(path, "updates:\n", "updates:\n" + STAMFORD_Q2)
    git(root, "commit", "-qam", "Stamford's Q2 update")
    return path


def git(root: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
        capture_output=True,
        text=True,
        check=check,
    )
    return done.stdout.strip()


def _repository(root: Path, identity: bool = True) -> Path:
    shutil.copytree(PROJECT / "data", root / "data")
    git(root, "init", "-q")
    if identity:
        git(root, "config", "user.name", "Board Secretary")
        git(root, "config", "user.email", "board.secretary@example.nhs.uk")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Q3 paper as the Board approved it")
    return root


@pytest.fixture
def trust(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled data committed in a git repository with a committer identity of its own."""
    root = _repository(tmp_path / "trust")
    monkeypatch.chdir(root)
    return root


@pytest.fixture(scope="module")
def signed_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data committed and its Q3 paper signed off, made once: each test gets its own copy."""
    from typer.testing import CliRunner

    from stratctl.cli.app import app

    root = _repository(tmp_path_factory.mktemp("signed") / "trust")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.delenv("GITHUB_ACTIONS", raising=False)
        outcome = CliRunner().invoke(app, ["signoff", "2021/22", "Q3"], catch_exceptions=False)
    assert outcome.exit_code == 0, outcome.stderr
    return root


@pytest.fixture
def signed(signed_once: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the signed-off repository, git history and tag included; the working folder is its root."""
    root = tmp_path / "trust"
    shutil.copytree(signed_once, root, symlinks=True)
    monkeypatch.chdir(root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def _findings(stratctl: Stratctl, code: str) -> list[tuple[str, int, int, str]]:
    outcome = stratctl("validate", "--format", "json")
    return [
        (f["path"], f["line"], f["column"], f["message"])
        for f in json.loads(outcome.stdout)["findings"]
        if f["code"] == code
    ]


def _message(root: Path) -> dict[str, list[str]]:
    return parse_message(git(root, "for-each-ref", "--format=%(contents)", f"refs/tags/{TAG}"))


# --- signing off --------------------------------------------------------------------------------


def test_signoff_tags_head_with_the_sha256_of_the_html_paper(signed: Path, stratctl: Stratctl) -> None:
    assert git(signed, "tag", "-l") == TAG
    assert git(signed, "cat-file", "-t", TAG) == "tag"  # annotated: who signed off, when, and the digest
    assert git(signed, "rev-parse", f"{TAG}^{{commit}}") == git(signed, "rev-parse", "HEAD")
    assert stratctl("report", "--quarter", "Q3", "--format", "html", "--output", "paper.html").exit_code == 0
    fields = _message(signed)
    assert fields["Paper-SHA256"] == [hashlib.sha256((signed / "paper.html").read_bytes()).hexdigest()]
    assert fields["Paper-Format"] == ["html"] and fields["Quarter"] == ["2021/22 Q3"]
    assert fields["Rebuild"] == ['stratctl report --signed-off "2021/22 Q3"']
    message = git(signed, "for-each-ref", "--format=%(contents)", f"refs/tags/{TAG}")
    assert 'stratctl report --quarter "2021/22 Q3" --format html' in message  # how the digest was made
    assert git(signed, "for-each-ref", "--format=%(taggername)", f"refs/tags/{TAG}") == "Board Secretary"


def test_signing_off_a_quarter_after_later_ones_were_entered_warns(trust: Path, stratctl: Stratctl) -> None:
    # a trust that entered its Q2 update late: the records hold Q3 already
    update = ("update", "agile-working", "--quarter", "Q2", "--progress", "on-track", "--comment", "Policy drafted.")
    assert stratctl(*update).exit_code == 0
    git(trust, "commit", "-qam", "The Q2 update, entered late")
    earlier = stratctl("signoff", "Q2")  # the data already holds Q3: the tag has Q2's paper as it renders now
    assert earlier.exit_code == 0, earlier.stderr
    assert "warning: the records at this commit already hold 2021/22 Q3 updates" in earlier.stderr
    assert git(trust, "tag", "-l", "board/2021-22-Q2") == "board/2021-22-Q2"  # allowed: past papers can be signed off
    again = stratctl("signoff", "Q3")
    assert again.exit_code == 0 and "warning" not in again.stderr  # the latest quarter: nothing to warn of


def test_signoff_takes_q3_of_trust_yamls_year_in_any_case(trust: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("signoff", "q3")
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.strip() == TAG and git(trust, "tag", "-l") == TAG


# --- validate holds the quarter to the sign-off ---------------------------------------------------


def test_rewriting_a_signed_off_update_is_an_error_at_its_line(signed: Path, stratctl: Stratctl) -> None:
    _edit(signed / AGILE, "Agile working policy in place", "Agile working policy agreed")
    outcome = stratctl("validate")
    assert outcome.exit_code == 1
    line = _line_of(signed / AGILE, "- quarter: 2021/22 Q3")
    assert (
        f"{AGILE}:{line}:5: G001 the 2021/22 Q3 update differs from the one the Board signed off ({TAG}): "
        "comment changed" in outcome.stdout
    )
    assert [f[0] for f in _findings(stratctl, "G001")] == [AGILE]  # nothing else is reported


def test_amended_makes_it_a_warning_the_next_paper_lists(signed: Path, stratctl: Stratctl) -> None:
    _edit(signed / AGILE, "Agile working policy in place", "Agile working policy agreed")
    _edit(
        signed / AGILE,
        "    projected: G\n",
        "    projected: G\n    amended: The policy was agreed, not in place, when the Board met.\n",
    )
    outcome = stratctl("validate")
    assert outcome.exit_code == 0, outcome.stdout
    assert _findings(stratctl, "G001") == []
    line = _line_of(signed / AGILE, "- quarter: 2021/22 Q3")
    assert _findings(stratctl, "G002") == [
        (
            AGILE,
            line,
            5,
            f"the 2021/22 Q3 update was amended after sign-off ({TAG}): "
            "The policy was agreed, not in place, when the Board met.",
        )
    ]
    assert (
        stratctl(
            "update",
            "agile-working",
            "--quarter",
            "Q4",
            "--progress",
            "on-track",
            "--comment",
            "Policy in place",
            "--projected",
            "G",
        ).exit_code
        == 0
    )
    appendix = stratctl("report", "--quarter", "Q4").stdout.split("## Appendix: data quality")[1]
    # The appendix names the record by its title and says what was amended and why, in the Board's words.
    assert "**1 entry was amended after the Board signed it off.**" in appendix
    assert (
        f"- Increase agile and flexible working: the 2021/22 Q3 update was amended after sign-off ({TAG}): The policy"
        in appendix
    )
    # the strategy office's copy says where the entry stands
    technical = stratctl("report", "--quarter", "Q4", "--technical-appendix").stdout
    assert f"{AGILE}, line {line} |" in technical.split("technical detail for the strategy office")[1]


def test_a_signed_off_measure_actual_is_held_and_amended_per_quarter(signed: Path, stratctl: Stratctl) -> None:
    _edit(signed / MATERNITY, "      2021/22 Q3: 17.55\n", "      2021/22 Q3: 16.9\n")
    line = _line_of(signed / MATERNITY, "2021/22 Q3: 16.9")
    assert stratctl("validate").exit_code == 1
    [(path, at, column, message)] = _findings(stratctl, "G001")
    assert (path, at, column) == (MATERNITY, line, 19)  # at the value
    assert "actual of midwife-vacancy-rate is 16.9; the Board signed off 17.55" in message
    _edit(
        signed / MATERNITY,
        "      2021/22 Q3: 16.9\n",
        "      2021/22 Q3: 16.9\n    amended: {2021/22 Q3: Payroll data corrected}\n",
    )
    assert stratctl("validate").exit_code == 0
    assert [f[:3] for f in _findings(stratctl, "G002")] == [(MATERNITY, line, 19)]


def test_a_signed_off_quarters_monthly_actuals_are_held_too(
    tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "sthft"
    shutil.copytree(PROJECT / "examples" / "sthft" / "data", root / "data")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Q3 paper")
    monkeypatch.chdir(root)
    assert stratctl("signoff", "2023/24", "Q3").exit_code == 0
    ed = root / "data" / "objectives" / "ed-four-hour.yaml"
    _edit(ed, "      2023-11: 74.9\n", "      2023-11: 79.9\n")  # a month of the signed-off Q3 (October to December)
    _edit(ed, "      2024-02: 76.8\n", "      2024-02: 70.0\n")  # Q4: not signed off, free to change
    found = _findings(stratctl, "G001")
    assert [(path, line) for path, line, _, _ in found] == [
        ("data/objectives/ed-four-hour.yaml", _line_of(ed, "2023-11: 79.9"))
    ]
    assert "the 2023-11 actual of ed-4-hour is 79.9; the Board signed off 74.9" in found[0][3]
    _edit(ed, "    actuals:\n", "    amended: {2023-11: Validated data from the national return.}\n    actuals:\n")
    assert _findings(stratctl, "G001") == [] and len(_findings(stratctl, "G002")) == 1


def test_a_first_review_after_sign_off_may_not_rewrite_the_signed_off_score(trust: Path, stratctl: Stratctl) -> None:
    risk = trust / "data" / "risks" / "103353.yaml"
    text = risk.read_text()
    reviews = text[text.index("reviews:") :]
    risk.write_text(text.replace(reviews, ""))  # as imported: a score and no review
    git(trust, "commit", "-qam", "BAF without reviews")
    assert stratctl("signoff", "Q3").exit_code == 0
    assert stratctl("update", "103353", "--quarter", "Q4", "--score", "12").exit_code == 1  # Q3 would now read 12
    _edit(risk, "current: {likelihood: 3, consequence: 5, score: 15}", "current: {score: 12}")
    risk.write_text(risk.read_text() + "reviews:\n  - quarter: 2021/22 Q4\n    current: {score: 12}\n")
    [(path, _, _, message)] = _findings(stratctl, "G001")
    assert path == RISK.replace("103348", "103353") and "showed this risk at 15" in message
    assert '--quarter "2021/22 Q3" --likelihood 3 --consequence 5' in message
    outcome = stratctl("update", "103353", "--quarter", "Q3", "--likelihood", "3", "--consequence", "5")
    assert outcome.exit_code == 0, outcome.stderr  # recording what the Board saw is no change to its paper
    assert _findings(stratctl, "G001") == []
    assert "score: 12" in risk.read_text().split("reviews:")[0]  # current stays the latest review's


def test_a_signed_off_risk_review_is_held_to_the_tag(signed: Path, stratctl: Stratctl) -> None:
    _edit(
        signed / RISK,
        "    current: {likelihood: 4, consequence: 5, score: 20}  # split",
        "    current: {likelihood: 4, consequence: 5, score: 20}\n    note: Rescored later  # split",
    )
    [(path, line, column, message)] = _findings(stratctl, "G001")
    assert (path, line, column) == (RISK, _line_of(signed / RISK, "- quarter: 2021/22 Q3"), 5)
    assert "2021/22 Q3 review differs" in message and "note changed" in message


def test_an_update_added_to_a_signed_off_quarter_is_refused_by_update(signed: Path, stratctl: Stratctl) -> None:
    assert stratctl("new", "objective", "late-objective", "--title", "A late objective", "--lead", "CFO").exit_code == 0
    outcome = stratctl(
        "update", "late-objective", "--quarter", "Q3", "--progress", "on-track", "--comment", "Backdated"
    )
    assert outcome.exit_code == 1 and "G001" in outcome.stderr and "added after the Board signed off" in outcome.stderr
    assert "2021/22 Q3" not in (signed / "data/objectives/late-objective.yaml").read_text()
    # A later quarter is free to change.
    assert (
        stratctl(
            "update", "late-objective", "--quarter", "Q4", "--progress", "on-track", "--comment", "Started"
        ).exit_code
        == 0
    )


def test_update_amended_replaces_a_signed_off_entry_and_says_why(signed: Path, stratctl: Stratctl) -> None:
    args = (
        "update",
        "maternity-vacancies",
        "--quarter",
        "Q3",
        "--progress",
        "behind",
        "--comment",
        "Vacancies at 16.9%",
        "--projected",
        "R",
        "--actual",
        "midwife-vacancy-rate=16.9",
        "--replace",
    )
    refused = stratctl(*args)
    assert refused.exit_code == 1 and "G001" in refused.stderr and "amended" in refused.stderr
    reason = "Payroll data corrected in January."
    outcome = stratctl(*args, "--amended", reason)
    assert outcome.exit_code == 0, outcome.stderr
    text = (signed / MATERNITY).read_text()
    assert f"    amended: {reason}\n" in text  # on the update
    assert f"amended: {{2021/22 Q3: {reason}}}" in text  # on the measure, beside its actuals
    assert _findings(stratctl, "G001") == []
    assert sorted({f[0] for f in _findings(stratctl, "G002")}) == [MATERNITY]
    assert stratctl("fmt", "--check").exit_code == 0  # written where fmt puts it
    risk = stratctl(
        "update",
        "103348",
        "--quarter",
        "Q3",
        "--likelihood",
        "4",
        "--consequence",
        "4",
        "--replace",
        "--amended",
        "Rescored after the Board met.",
    )
    assert risk.exit_code == 0, risk.stderr
    assert "amended: Rescored after the Board met." in (signed / RISK).read_text()


@pytest.mark.parametrize("option, value", [("--likelihood", "6"), ("--consequence", "0"), ("--score", "26")])
def test_update_refuses_a_rating_off_the_5x5_grid_before_reading_anything(
    trust: Path, stratctl: Stratctl, option: str, value: str
) -> None:
    outcome = stratctl("update", "103348", "--quarter", "Q4", option, value)
    assert outcome.exit_code == 2 and option in outcome.stderr


def test_entries_of_other_quarters_are_free_to_change(signed: Path, stratctl: Stratctl) -> None:
    path = _with_a_q2_update(signed)  # added after the Q3 sign-off: not a quarter it holds
    _edit(path, "    comment: Land sale not expected to complete by the deadline.", "    comment: Land sale delayed.")
    assert stratctl("validate").exit_code == 0
    assert _findings(stratctl, "G001") == [] and _findings(stratctl, "G002") == []


def _git_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every git command stratctl runs from now on, as its argument list."""
    calls: list[list[str]] = []
    real = subprocess.run

    def counting(args: Any, *rest: Any, **kwargs: Any) -> subprocess.CompletedProcess[Any]:
        if args and args[0] == "git":
            calls.append(list(args))
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting)
    return calls


def test_without_board_tags_validate_makes_one_git_call(trust: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stratctl.api.validate import validate_repository
    from stratctl.workspace import Workspace

    calls = _git_calls(monkeypatch)
    result = validate_repository(Workspace.open(trust / "data"))
    assert [c for c in calls if "for-each-ref" in c] == calls and len(calls) == 1
    assert not [f for f in result.findings if f.code.startswith("G")]


def test_validate_never_fails_for_want_of_git(repo: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _git_calls(monkeypatch)
    monkeypatch.delenv("GIT_DIR", raising=False)
    assert stratctl("validate").exit_code == 0  # not a git repository
    inside_some_repository = any((folder / ".git").exists() for folder in (repo, *repo.parents))
    assert len(calls) == (1 if inside_some_repository else 0)  # not even one git process outside git
    monkeypatch.setenv("PATH", str(repo))  # no git on the PATH at all
    assert stratctl("validate").exit_code == 0


# --- the paper rebuilt from the tag ---------------------------------------------------------------


def test_the_paper_rebuilt_from_the_tag_matches_its_digest(signed: Path, stratctl: Stratctl) -> None:
    original = stratctl("report", "--quarter", "Q3", "--format", "html").stdout
    _edit(signed / AGILE, "Agile working policy in place", "Agile working policy agreed")  # later edits change nothing
    git(signed, "commit", "-qam", "After the Board")
    outcome = stratctl("report", "--signed-off", "2021/22", "Q3", "--output", "rebuilt.html")
    assert outcome.exit_code == 0, outcome.stderr
    assert (signed / "rebuilt.html").read_text() == original
    assert "matches its sign-off" in outcome.stderr
    assert stratctl("report", "--signed-off", TAG).stdout == original


def test_a_paper_signed_off_with_the_repositorys_own_templates_is_rebuilt_with_those(
    trust: Path, stratctl: Stratctl
) -> None:
    (trust / "templates").mkdir()
    board = (PROJECT / "templates/_appendix.html.j2").read_text()
    (trust / "templates/_appendix.html.j2").write_text(board.replace("Appendix: data quality", "Annex: data quality"))
    git(trust, "add", "-A")
    git(trust, "commit", "-qm", "Our own paper layout")
    assert stratctl("signoff", "Q3").exit_code == 0
    (trust / "templates/_appendix.html.j2").write_text(board)  # the layout changes after the sign-off
    git(trust, "commit", "-qam", "Back to the standard layout")
    outcome = stratctl("report", "--signed-off", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    assert "Annex: data quality" in outcome.stdout
    recorded = [
        line
        for line in git(trust, "for-each-ref", "--format=%(contents)", f"refs/tags/{TAG}").splitlines()
        if line.startswith("Template: _appendix.html.j2 ")
    ]
    assert len(recorded) == 1 and recorded[0].endswith(" repository")


def test_a_tampered_tag_message_fails_the_check(signed: Path, stratctl: Stratctl) -> None:
    message = git(signed, "for-each-ref", "--format=%(contents)", f"refs/tags/{TAG}")
    digest = _message(signed)["Paper-SHA256"][0]
    forged = message.replace(digest, hashlib.sha256(b"another paper").hexdigest())
    subprocess.run(
        ["git", "-C", str(signed), "tag", "-f", "-a", "--cleanup=verbatim", "-F", "-", TAG, "HEAD"],
        input=forged,
        text=True,
        check=True,
        capture_output=True,
    )
    outcome = stratctl("report", "--signed-off", "Q3", "--output", "paper.html")
    assert outcome.exit_code == 1
    assert "the tag records" in outcome.stderr and "was the message edited?" in outcome.stderr
    assert not (signed / "paper.html").exists()  # a paper that does not match is not written


def test_a_changed_template_fails_the_check_and_is_named(
    signed: Path, stratctl: Stratctl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgraded = tmp_path / "upgraded-templates"
    shutil.copytree(PROJECT / "templates", upgraded)
    _edit(upgraded / "_appendix.html.j2", "Appendix: data quality", "Appendix: quality of the data")
    # a newer stratctl's templates: the ones rendered with, and the ones the sign-off check lists
    monkeypatch.setattr("stratctl.reporting.render.packaged_templates", lambda: upgraded)
    monkeypatch.setattr("stratctl.api.signoff.packaged_templates", lambda: upgraded)
    outcome = stratctl("report", "--signed-off", "Q3")
    assert outcome.exit_code == 1 and outcome.stdout == ""
    assert "template _appendix.html.j2: differs from the one signed off (packaged then, packaged now)" in outcome.stderr
    assert "_style.css.j2" not in outcome.stderr  # only what differs is named


def test_another_stratctl_version_is_named(signed: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("stratctl.api.signoff.__version__", "9.9.9")
    outcome = stratctl("report", "--signed-off", "Q3")
    assert outcome.exit_code == 1
    assert "stratctl version: signed off with 0.1.0, this is 9.9.9" in outcome.stderr


def test_report_signed_off_of_a_quarter_never_signed_off_exits_2(signed: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("report", "--signed-off", "Q2")
    assert outcome.exit_code == 2 and "has not been signed off" in outcome.stderr
    markdown = stratctl("report", "--signed-off", "Q3", "--format", "md")  # the digest is of the HTML
    assert markdown.exit_code == 2 and "it takes no --format md" in markdown.stderr
    assert markdown.stdout == ""


# --- what cannot be signed off --------------------------------------------------------------------


def _tags(root: Path) -> str:
    return git(root, "tag", "-l")


def test_a_quarter_with_no_updates_is_not_signed_off(trust: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("signoff", "2021/22", "Q4")
    assert outcome.exit_code == 2 and "no objective has an update for 2021/22 Q4" in outcome.stderr
    assert _tags(trust) == ""


def test_a_quarter_already_signed_off_is_not_signed_off_again(signed: Path, stratctl: Stratctl) -> None:
    before = git(signed, "rev-parse", TAG)
    _edit(signed / AGILE, "Agile working policy in place", "Agile working policy agreed")
    git(signed, "commit", "-qam", "A change")
    outcome = stratctl("signoff", "Q3")
    assert outcome.exit_code == 2 and "already signed off" in outcome.stderr
    assert _tags(signed) == TAG and git(signed, "rev-parse", TAG) == before


def test_outside_a_git_repository_nothing_is_signed_off(repo: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("signoff", "Q3")
    assert outcome.exit_code == 2 and "not in a git repository" in outcome.stderr
    assert not (repo / ".git").exists()


@pytest.mark.parametrize("change", ["edited record", "new record", "template", "configuration"])
def test_uncommitted_changes_to_the_records_are_refused(trust: Path, stratctl: Stratctl, change: str) -> None:
    if change == "edited record":
        _edit(trust / AGILE, "Agile working policy in place", "Agile working policy agreed")
    elif change == "new record":
        shutil.copy(trust / AGILE, trust / "data/objectives/agile-working-copy.yaml")
    elif change == "template":
        (trust / "templates").mkdir()
        (trust / "templates/board.html.j2").write_text("{{ r.trust_name }}\n")
    else:
        (trust / "stratctl.toml").write_text('[rules]\nP001 = "off"\n')
    outcome = stratctl("signoff", "Q3")
    assert outcome.exit_code == 2 and "uncommitted changes" in outcome.stderr
    assert _tags(trust) == ""


def test_without_a_committer_identity_nothing_is_signed_off(
    tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repository(tmp_path / "trust", identity=False)
    monkeypatch.chdir(root)
    for name in ("EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key, value in {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "user.useConfigOnly",
        "GIT_CONFIG_VALUE_0": "true",
    }.items():
        monkeypatch.setenv(key, value)  # no guessing an identity from the host name
    outcome = stratctl("signoff", "Q3")
    assert (
        outcome.exit_code == 2
        and "no committer identity" in outcome.stderr
        and "git config user.email" in outcome.stderr
    )
    assert _tags(root) == ""


@pytest.mark.parametrize(
    "args",
    [
        ("signoff", "--", "--upload-pack=touch x"),
        ("signoff", "--", "-Q3"),
        ("report", "--signed-off=--output=x"),
    ],
)
def test_a_value_beginning_with_a_dash_is_refused(trust: Path, stratctl: Stratctl, args: tuple[str, ...]) -> None:
    outcome = stratctl(*args)
    assert outcome.exit_code == 2 and "beginning with '-' is refused" in outcome.stderr
    assert _tags(trust) == "" and not (trust / "x").exists()


def test_the_rebuild_validates_against_the_sign_offs_the_paper_was_validated_against(
    trust: Path, stratctl: Stratctl
) -> None:
    """A Q2 entry amended after Q2's sign-off is in the Q3 paper's appendix, and so in its rebuild."""
    path = _with_a_q2_update(trust)
    assert stratctl("signoff", "Q2").exit_code == 0
    _edit(
        path,
        "    comment: Land sale not expected to complete by the deadline.\n",
        "    comment: Land sale delayed by the bidder.\n    amended: The bidder's letter arrived after the Board.\n",
    )
    git(trust, "commit", "-qam", "Q2 comment corrected")
    assert stratctl("signoff", "Q3").exit_code == 0
    assert _message(trust)["Earlier-Signoff"] == [f"board/2021-22-Q2 {git(trust, 'rev-parse', 'board/2021-22-Q2')}"]
    paper = stratctl("report", "--quarter", "Q3", "--format", "html").stdout
    assert "amended after sign-off (board/2021-22-Q2)" in paper
    outcome = stratctl("report", "--signed-off", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout == paper


def test_the_rebuild_uses_the_configuration_the_tag_has(trust: Path, stratctl: Stratctl) -> None:
    (trust / "stratctl.toml").write_text('[rules]\ndeclared-differs = "off"\n')
    git(trust, "add", "-A")
    git(trust, "commit", "-qm", "The Board does not want P001 in its appendix")
    assert stratctl("signoff", "Q3").exit_code == 0
    p001 = "declared at positions their evidence does not give, with no reason recorded"  # the appendix's words
    signed = stratctl("report", "--quarter", "Q3", "--format", "html").stdout
    assert p001 not in signed
    (trust / "stratctl.toml").unlink()
    git(trust, "commit", "-qam", "P001 back on")
    assert p001 in stratctl("report", "--quarter", "Q3", "--format", "html").stdout
    outcome = stratctl("report", "--signed-off", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout == signed
