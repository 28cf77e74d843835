"""dev.py: the .venv is installed once, not again each time commands needing different extras alternate."""

from __future__ import annotations

import importlib.util

from tests.conftest import PROJECT

_spec = importlib.util.spec_from_file_location("dev", PROJECT / "dev.py")
assert _spec and _spec.loader
dev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev)

PYPROJECT = b'[project]\nname = "stratctl"\n'
STRATCTL = dev.EXTRAS["stratctl"]  # what `python3 dev.py stratctl ...` needs
TEST = dev.EXTRAS["test"]
BENCH = dev.EXTRAS["bench"]


def _run(
    stamp: str | None, wanted: frozenset[str], pyproject: bytes = PYPROJECT
) -> tuple[frozenset[str] | None, str | None]:
    """What one dev.py command installs, and the stamp it leaves behind."""
    extras = dev.extras_to_install(stamp, pyproject, wanted)
    return extras, stamp if extras is None else dev.stamp_text(pyproject, extras)


def test_first_run_installs_what_the_command_needs() -> None:
    assert dev.extras_to_install(None, PYPROJECT, TEST) == TEST
    assert dev.extras_to_install(None, PYPROJECT, STRATCTL) == STRATCTL


def test_alternating_stratctl_and_test_installs_only_once_each_way() -> None:
    installed, stamp = _run(None, STRATCTL)
    assert installed == STRATCTL
    installed, stamp = _run(stamp, TEST)
    assert installed == frozenset({"test", "browser", "pdf"})
    for wanted in (STRATCTL, TEST, STRATCTL, TEST):
        installed, stamp = _run(stamp, wanted)
        assert installed is None, f"reinstalled for {sorted(wanted)}"


def test_more_extras_install_the_union_and_record_it() -> None:
    _, stamp = _run(None, TEST)
    installed, stamp = _run(stamp, BENCH)
    assert installed == frozenset({"test", "browser", "bench", "pdf"})
    for wanted in (STRATCTL, TEST, BENCH):
        assert dev.extras_to_install(stamp, PYPROJECT, wanted) is None


def test_a_changed_pyproject_installs_again() -> None:
    _, stamp = _run(None, TEST)
    changed = PYPROJECT + b'description = "changed"\n'
    assert dev.extras_to_install(stamp, changed, STRATCTL) == STRATCTL
    installed, stamp = _run(stamp, TEST, changed)
    assert installed == TEST and dev.extras_to_install(stamp, changed, TEST) is None


def test_a_stamp_from_the_old_format_installs_again() -> None:
    old = "d76ed0f877654906fa92120eb9c6f0c61c22dcc35fb4fe823c1e682f5640a23d"  # one digest, no extras recorded
    assert dev.extras_to_install(old, PYPROJECT, STRATCTL) == STRATCTL


def test_the_suite_runs_on_every_core_unless_told_otherwise() -> None:
    everywhere = ["-n", "auto", "--dist", "loadgroup"]
    assert dev.pytest_arguments([]) == everywhere
    assert dev.pytest_arguments(["-q", "tests/test_cli.py"]) == [*everywhere, "-q", "tests/test_cli.py"]
    for workers in (["-n", "4"], ["-n4"], ["--numprocesses", "2"], ["--numprocesses=0"]):
        assert dev.pytest_arguments(["-q", *workers]) == ["--dist", "loadgroup", "-q", *workers], workers
    assert dev.pytest_arguments(["--dist=load"]) == ["-n", "auto", "--dist=load"]
    for off in (["-p", "no:xdist"], ["-pno:xdist"]):
        assert dev.pytest_arguments(["-q", *off]) == ["-q", *off], off
