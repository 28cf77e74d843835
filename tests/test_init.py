"""init and the pre-commit hooks: a new repository that validates, with CI and editor support."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from stratctl import __version__
from tests.conftest import PROJECT, Stratctl, snapshot
from tests.test_schema_clients import check

SAFE = YAML(typ="safe", pure=True)


def test_init_writes_a_repository_that_validates_strictly(tmp_path: Path, stratctl: Stratctl) -> None:
    root = tmp_path / "trust"
    outcome = stratctl("init", str(root), "--name", "Fenland & District NHS Trust", "--year", "2022/23")
    assert outcome.exit_code == 0, outcome.stderr
    assert "a strategy repository that validates" in outcome.stderr
    records = sorted(str(p.relative_to(root)) for p in (root / "data").rglob("*.yaml"))
    assert {r.split("/")[1] for r in records} == {"trust.yaml", "objectives", "risks", "strategies"}  # one of each
    assert [f"wrote {root / r}" for r in records] == sorted(
        line for line in outcome.stderr.splitlines() if line.startswith(f"wrote {root / 'data'}")
    )
    validated = stratctl("validate", "--strict", "--data", str(root / "data"))
    assert (validated.exit_code, validated.stdout) == (0, f"{len(records)} files checked: no problems found.\n")
    formatted = stratctl("fmt", "--check", "--data", str(root / "data"))
    assert formatted.exit_code == 0 and f"0 of {len(records)} file(s) would be reformatted" in formatted.stderr
    report = stratctl("report", "--data", str(root / "data"), "--quarter", "Q1")
    assert report.exit_code == 0 and "Fenland & District NHS Trust" in report.stdout


def test_init_ci_pre_commit_and_editor_settings_are_wired(tmp_path: Path, stratctl: Stratctl) -> None:
    root = tmp_path / "trust"
    stratctl("init", str(root))
    workflow = SAFE.load((root / ".github" / "workflows" / "strategy.yml").read_text())
    commands = [step["run"] for step in workflow["jobs"]["validate"]["steps"] if "run" in step]
    assert commands[0].startswith("pip install git+")
    assert commands[1] == "stratctl validate"
    # report --output creates no folder: the workflow makes build/ first
    assert commands[2].startswith("mkdir -p build && stratctl report --format html --output build/")
    hooks = SAFE.load((root / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert [h["entry"] for h in hooks] == ["stratctl validate", "stratctl fmt"]
    mapping = json.loads((root / ".vscode" / "settings.json").read_text())["yaml.schemas"]
    for schema, pattern in mapping.items():
        assert (root / schema).is_file(), schema
        assert list(root.glob(pattern)), pattern


def test_init_writes_the_workflow_the_readme_shows(tmp_path: Path, stratctl: Stratctl) -> None:
    root = tmp_path / "trust"
    stratctl("init", str(root))
    written = (root / ".github" / "workflows" / "strategy.yml").read_text()
    readme = (PROJECT / "README.md").read_text()
    shown = re.search(r"GitHub Actions \(`\.github/workflows/strategy\.yml`\):\n\n```yaml\n(.*?)```", readme, re.DOTALL)
    assert shown, "README.md no longer shows the workflow under 'Check every pull request with GitHub Actions'"
    assert written == shown.group(1), "init and README.md disagree on the workflow (after a release: the @v tag)"
    workflow = SAFE.load(written)
    # each change once: every pull request, and the merge to main (a branch's pushes are its pull request's);
    # the chase job on weekday mornings, or by hand
    assert workflow["on"] == {
        "pull_request": None,
        "push": {"branches": ["main"]},
        "schedule": [{"cron": "0 7 * * 1-5"}],
        "workflow_dispatch": None,
    }
    install = workflow["jobs"]["validate"]["steps"][2]["run"]
    assert install == f"pip install git+https://github.com/<your-org>/stratctl@v{__version__}"  # not on PyPI


def test_scaffolds_pass_the_schemas_they_point_at(tmp_path: Path, stratctl: Stratctl) -> None:
    root = tmp_path / "trust"
    stratctl("init", str(root))
    stratctl("new", "objective", "another", "--title", "Another objective", "--data", str(root / "data"))
    stratctl(
        "new",
        "risk",
        "100002",
        "--title",
        "Another risk",
        "--current",
        "4x5",
        "--target",
        "10",
        "--data",
        str(root / "data"),
    )
    for record in sorted((root / "data").rglob("*.yaml")):
        first = record.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        schema = (record.parent / first.split("$schema=")[1]).resolve()
        done = check(schema, [record])
        assert done.returncode == 0 and "ok -- validation done" in done.stdout, done.stdout


def test_init_never_overwrites(tmp_path: Path, stratctl: Stratctl) -> None:
    root = tmp_path / "trust"
    stratctl("init", str(root))
    before = snapshot(root)
    outcome = stratctl("init", str(root))
    assert outcome.exit_code == 2 and "never overwrites" in outcome.stderr
    assert snapshot(root) == before


def test_published_pre_commit_hooks_run_stratctl_on_record_files() -> None:
    hooks = SAFE.load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"]: h["entry"] for h in hooks} == {
        "stratctl-validate": "stratctl validate",
        "stratctl-fmt": "stratctl fmt",
    }
    for hook in hooks:
        assert re.search(hook["files"], "data/objectives/x.yaml") and not re.search(hook["files"], "src/x.py")


def test_the_workflow_posts_the_diff_as_one_comment_updated_in_place(tmp_path: Path, stratctl: Stratctl) -> None:
    root = tmp_path / "trust"
    stratctl("init", str(root))
    workflow = SAFE.load((root / ".github" / "workflows" / "strategy.yml").read_text())
    assert workflow["permissions"] == {}  # nothing for the workflow as a whole: each job asks
    assert workflow["jobs"]["validate"]["permissions"] == {
        "contents": "read",
        "pull-requests": "write",
    }  # the default GITHUB_TOKEN, no more
    steps = workflow["jobs"]["validate"]["steps"]
    assert steps[0] == {
        "uses": "actions/checkout@v7",
        "with": {"fetch-depth": 0, "persist-credentials": False},
    }  # the base branch and the sign-off tags; no token left in .git/config for later steps
    # GitHub's own actions only: no third-party action sees the token.
    assert all(step["uses"].startswith("actions/") for step in steps if "uses" in step)
    diff = next(step for step in steps if step.get("id") == "diff")
    assert "github.event_name == 'pull_request'" in diff["if"] and "!cancelled()" in diff["if"]
    assert diff["env"] == {"BASE_REF": "${{ github.base_ref }}"}  # data, not pasted into the shell script
    assert 'stratctl diff "origin/$BASE_REF" HEAD --format md --authors' in diff["run"]
    assert '>> "$GITHUB_STEP_SUMMARY"' in diff["run"] and "<!-- stratctl-diff -->" in diff["run"]
    comment = steps[-1]
    assert comment["uses"] == "actions/github-script@v9" and "steps.diff.outcome == 'success'" in comment["if"]
    script = comment["with"]["script"]
    marker = "const marker = '<!-- stratctl-diff -->';"
    assert marker in script and "c.body.startsWith(marker)" in script
    assert "updateComment" in script and "createComment" in script  # PATCH the earlier comment, else post one
    assert all(line.count("'") % 2 == 0 for line in script.splitlines()), "a JavaScript string broken across lines"
    node = shutil.which("node")
    if node is not None:  # github-script runs the script as the body of an async function
        wrapped = tmp_path / "script.js"
        wrapped.write_text(f"(async () => {{\n{script}\n}})();\n")
        checked = subprocess.run([node, "--check", str(wrapped)], capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stderr


def _chase_job(tmp_path: Path, stratctl: Stratctl) -> dict[str, Any]:
    root = tmp_path / "trust"
    stratctl("init", str(root))
    workflow = SAFE.load((root / ".github" / "workflows" / "strategy.yml").read_text())
    assert workflow["on"]["schedule"] == [{"cron": "0 7 * * 1-5"}]
    job: dict[str, Any] = workflow["jobs"]["chase"]
    return job


def test_the_chase_job_runs_on_schedule_only_with_least_privilege(tmp_path: Path, stratctl: Stratctl) -> None:
    job = _chase_job(tmp_path, stratctl)
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    assert "github.event_name == 'schedule'" in job["if"] and "pull_request" not in job["if"]
    uses = [step["uses"] for step in job["steps"] if "uses" in step]
    assert uses == ["actions/checkout@v7", "actions/setup-python@v7", "actions/github-script@v9"]
    run = next(step for step in job["steps"] if step.get("id") == "chase")["run"]
    assert "stratctl chase --format md --within 14 > build/chase.md" in run


def _run_chase_step(tmp_path: Path, run: str, exit_code: int, output: str) -> dict[str, str]:
    """The chase step's shell, with a stand-in stratctl that prints `output` and exits `exit_code`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "stratctl"
    fake.write_text(f"#!/bin/sh\nprintf '%s' '{output}'\nexit {exit_code}\n")
    fake.chmod(0o755)
    work = tmp_path / f"work-{exit_code}-{len(output)}"
    work.mkdir()
    (work / "out").write_text("")
    (work / "summary").write_text("")
    import os

    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(work / "out"),
        "GITHUB_STEP_SUMMARY": str(work / "summary"),
    }
    done = subprocess.run(["bash", "-e", "-c", run], cwd=work, env=env, capture_output=True, text=True, check=False)
    outputs = dict(line.split("=", 1) for line in (work / "out").read_text().splitlines())
    return {"exit": str(done.returncode), **outputs}


def test_the_chase_step_tells_the_issue_step_what_to_do(tmp_path: Path, stratctl: Stratctl) -> None:
    job = _chase_job(tmp_path, stratctl)
    run = next(step for step in job["steps"] if step.get("id") == "chase")["run"]
    assert _run_chase_step(tmp_path, run, 1, "## outstanding") == {"exit": "0", "outstanding": "true", "post": "true"}
    assert _run_chase_step(tmp_path, run, 0, "## nothing outstanding") == {
        "exit": "0",
        "outstanding": "false",
        "post": "true",
    }
    assert _run_chase_step(tmp_path, run, 0, "") == {"exit": "0", "outstanding": "false", "post": "false"}  # not yet
    assert _run_chase_step(tmp_path, run, 2, "")["exit"] == "2"  # stratctl could not run: the job fails


def test_the_chase_issue_is_one_issue_updated_in_place_and_closed_when_done(tmp_path: Path, stratctl: Stratctl) -> None:
    node = shutil.which("node")
    if node is None:
        import pytest

        pytest.skip("node is not installed")
    job = _chase_job(tmp_path, stratctl)
    step = job["steps"][-1]
    assert step["if"] == "${{ steps.chase.outputs.post == 'true' }}"
    harness = tmp_path / "harness.js"
    # github-script runs the script as the body of an async function with `github` and `context` in scope
    harness.write_text(
        "const calls = [];\n"
        "const issues = JSON.parse(process.env.OPEN_ISSUES);\n"
        "const github = { paginate: async (f, a) => issues, rest: { issues: {\n"
        "  listForRepo: 'list',\n"
        "  update: async (a) => calls.push(['update', a]),\n"
        "  create: async (a) => calls.push(['create', a]) } } };\n"
        "const context = { repo: { owner: 'nhs', repo: 'strategy' } };\n"
        f"(async () => {{\n{step['with']['script']}\n}})().then(() => console.log(JSON.stringify(calls)));\n"
    )
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "chase.md").write_text(
        "## Quarterly updates outstanding for 2023/24 Q3, for the meeting on 1 February 2024\n\n"
        "- r2: Nurse \\*vacancies\\*\n"
    )

    def run(outstanding: str, open_issues: list[dict[str, Any]]) -> list[list[Any]]:
        import os

        env = {**os.environ, "OUTSTANDING": outstanding, "OPEN_ISSUES": json.dumps(open_issues)}
        done = subprocess.run([node, str(harness)], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        calls: list[list[Any]] = json.loads(done.stdout)  # [action, its arguments] for each call made
        return calls

    title = "Quarterly updates outstanding for 2023/24 Q3, for the meeting on 1 February 2024"
    created = run(
        "true",
        [
            {"number": 3, "body": "someone else's issue"},
            {"number": 4, "pull_request": {}, "body": "<!-- stratctl-chase -->"},
        ],
    )
    assert [c[0] for c in created] == ["create"] and created[0][1]["title"] == title
    assert created[0][1]["body"].startswith("<!-- stratctl-chase -->\n## Quarterly")
    ours = {"number": 9, "body": "<!-- stratctl-chase -->\nolder list"}
    updated = run("true", [ours])
    assert updated == [["update", {**updated[0][1], "issue_number": 9, "state": "open"}]]
    closed = run("false", [ours])
    assert closed[0][0] == "update" and closed[0][1]["state"] == "closed"
    assert run("false", []) == []  # nothing outstanding and no issue: nothing to do


# The current major of each of GitHub's own actions the workflow uses: each runs on Node 24 (Node 20, which
# the majors before ran on, is retired from GitHub's runners).
CURRENT_MAJORS = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "actions/upload-artifact": "v7",
    "actions/github-script": "v9",
    "actions/upload-pages-artifact": "v5",
    "actions/deploy-pages": "v5",
}
WRITES = {"validate": {"pull-requests"}, "chase": {"issues"}, "site": set(), "publish": {"pages", "id-token"}}
"""What each job may write: the pull request's comment, the chase issue; nothing else."""
WORKFLOW_TOOLS_REQUIRED = os.environ.get("STRATCTL_WORKFLOW_TESTS") == "required"
ACTION_VALIDATOR = PROJECT / ".cache" / "npm" / "node_modules" / ".bin" / "action-validator"


def test_the_workflow_uses_the_current_majors_with_least_privilege(tmp_path: Path, stratctl: Stratctl) -> None:
    root = tmp_path / "trust"
    stratctl("init", str(root))
    workflow = SAFE.load((root / ".github" / "workflows" / "strategy.yml").read_text())
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert {use.split("@")[0]: use.split("@")[1] for use in uses} == CURRENT_MAJORS
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {name} takes the workflow's permissions, which grant nothing"
        writes = {scope for scope, level in job["permissions"].items() if level not in ("read", "none")}
        assert writes == WRITES[name], name  # each job writes only what it is for
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    assert workflow["concurrency"]["group"] == "strategy-${{ github.event.pull_request.number || github.ref }}"


def _tool(path: Path | None, what: str) -> Path:
    if path is None or not path.exists():
        if WORKFLOW_TOOLS_REQUIRED:
            pytest.fail(f"{what} is required for the workflow tests (.ci/run installs it)")
        pytest.skip(f"{what} is not installed")
    return path


def test_the_workflow_passes_zizmor_and_action_validator(tmp_path: Path, stratctl: Stratctl) -> None:
    found = shutil.which("zizmor") or shutil.which("zizmor", path=str(Path(sys.executable).parent))
    zizmor = _tool(Path(found) if found else None, "zizmor (pip install zizmor)")
    validator = _tool(ACTION_VALIDATOR, "action-validator (npm install --prefix .cache/npm @action-validator/cli)")
    root = tmp_path / "trust"
    stratctl("init", str(root))
    workflow = root / ".github" / "workflows" / "strategy.yml"
    audited = subprocess.run(
        [
            str(zizmor),
            "--offline",
            "--persona",
            "auditor",
            "--config",
            str(PROJECT / ".ci" / "zizmor.yml"),
            str(workflow),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert audited.returncode == 0, audited.stdout + audited.stderr
    assert "No findings to report" in audited.stdout
    checked = subprocess.run([str(validator), str(workflow)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # and the linters would catch what this workflow avoids: the old one fails zizmor's audits
    # (the checkout steps as they were, `with:` and all, so the schema still holds)
    old = re.sub(
        r"\n        with:\n          persist-credentials: false  # nothing here pushes", "", workflow.read_text()
    )
    workflow.write_text(old)
    again = subprocess.run(
        [str(zizmor), "--offline", "--config", str(PROJECT / ".ci" / "zizmor.yml"), str(workflow)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode != 0 and "artipacked" in again.stdout


def _site_jobs(tmp_path: Path, stratctl: Stratctl) -> tuple[Path, dict[str, Any]]:
    root = tmp_path / "trust"
    stratctl("init", str(root))
    workflow: dict[str, Any] = SAFE.load((root / ".github" / "workflows" / "strategy.yml").read_text())
    return root, workflow["jobs"]


def test_the_site_is_built_on_main_and_published_only_when_the_trust_asks(tmp_path: Path, stratctl: Stratctl) -> None:
    _, jobs = _site_jobs(tmp_path, stratctl)
    assert all(job.get("name") for job in jobs.values()), "a job without a name"
    site, publish = jobs["site"], jobs["publish"]
    assert site["if"] == "${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}"
    assert site["permissions"] == {"contents": "read"}  # it writes nothing: the artifact needs no permission
    checkout = site["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}  # the sign-off tags, no token left
    upload = site["steps"][-1]
    assert upload["uses"] == "actions/upload-pages-artifact@v5"
    built = next(step["run"] for step in site["steps"] if "stratctl site" in step.get("run", ""))
    assert f"--output {upload['with']['path']}" in built
    # Publishing: its own job, after the build, run only where the trust set the variable, and able to
    # write the Pages deployment and nothing else.
    assert publish["needs"] == "site" and publish["if"] == "${{ vars.STRATEGY_SITE == 'pages' }}"
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    assert publish["environment"]["name"] == "github-pages"
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    [deploy] = publish["steps"]
    assert deploy["uses"] == "actions/deploy-pages@v5"
    assert deploy["with"]["artifact_name"] == upload["with"]["name"]  # the artifact the site job uploaded


def test_the_site_jobs_commands_build_the_site_of_the_repository_init_wrote(tmp_path: Path, stratctl: Stratctl) -> None:
    root, jobs = _site_jobs(tmp_path, stratctl)
    site = jobs["site"]
    commands = [step["run"] for step in site["steps"] if "run" in step and not step["run"].startswith("pip install")]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for command in commands:
        done = subprocess.run(["bash", "-e", "-c", command], cwd=root, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    published = root / site["steps"][-1]["with"]["path"]
    assert (published / "index.html").is_file()
    assert sorted(p.name for p in (published / "objectives").glob("*.html")) == ["example-objective.html", "index.html"]
