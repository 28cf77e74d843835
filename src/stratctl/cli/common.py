"""What every command shares: exit codes, the one place errors become exit codes, the workspace."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from stratctl.errors import FindingsError, StratctlError
from stratctl.plaintext import json_safe, printable

if TYPE_CHECKING:
    from stratctl.workspace import Workspace

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2
"""0 clean; 1 findings at error level (or warnings, with --strict); 2 stratctl could not run."""
EXIT_INTERRUPTED = 130
"""Ctrl-C: 128 + SIGINT, as a shell reports a command it interrupted (SIGTERM and SIGHUP: 128 + theirs)."""


def printable_message(message: str) -> str:
    return printable(message)


def fail(message: str) -> typer.Exit:
    """Print why stratctl cannot run, and the exit to raise."""
    sys.stderr.write(f"stratctl: error: {printable(message)}\n")
    return typer.Exit(EXIT_CANNOT_RUN)


class CommandGroup(TyperGroup):
    """The error boundary: the core raises StratctlError, and only here does it become exit code 2.

    Commands never catch it themselves. (A bug, any other exception, is turned into one line by
    `run` in app.py, the console script's last resort.) It also gives the group's options and the
    command's their quick coercion (`quicken`) before they are parsed.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        quicken(self, ctx)
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            quicken(command, ctx)
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.TyperException as error:  # a usage error: typer prints it, with our hint where one helps
            message = getattr(error, "message", None)
            extra = message.partition("unexpected extra argument")[2] if isinstance(message, str) else ""
            if any(word.strip("s()").upper() in ("Q1", "Q2", "Q3", "Q4") for word in extra.split()):
                # `--quarter 2021/22 Q4` unquoted: the shell split it in two
                error.message = f'{message}; a quarter with its year holds a space, so quote it: --quarter "2021/22 Q4"'
            raise
        except FindingsError as error:
            from stratctl.reporters import render
            from stratctl.validation import ValidationResult

            render(ValidationResult(error.findings, error.files_checked), sys.stderr, "text")
            sys.stderr.write(f"stratctl: {printable_message(str(error))}\n")
            raise typer.Exit(error.exit_code) from None
        except StratctlError as error:
            raise fail(str(error)) from None
        except BrokenPipeError:
            if not stdout_reader_gone():
                raise  # stderr's reader, or a FIFO named by --output: not a reader that chose to stop
            stdout_closed_by_reader()  # `stratctl status | head`: the reader has all it wanted
            raise typer.Exit(EXIT_OK) from None


class _Unsure(Exception):
    """The quick coercion leaves this value to typer's own."""


def quicken(command: Any, ctx: Any) -> None:
    """Give each of the command's parameters a quick coercion, where typer coerces through pydantic.

    typer (0.2x) builds a pydantic TypeAdapter for every parameter of the command run, even one left
    at its default: importing pydantic and building them is about 0.1 s, a third of a warm `validate`.
    The options stratctl has are text, paths, choices, whole numbers, dates and flags, converted here
    as typer would; anything else, and every value typer would refuse (so that its message is the
    one shown), goes to typer's own coercion, built when first needed. On a typer without per-parameter
    coercion objects this does nothing.
    """
    try:
        from typer._coercion import build_runtime_param
    except ImportError:
        return
    for param in command.get_params(ctx):  # with --help, which typer coerces too
        if getattr(param, "_runtime_param", False) is None and hasattr(param, "type_descriptor"):
            param._runtime_param = _QuickCoercion(build_runtime_param)


class _QuickCoercion:
    """Stands in for typer's coercion of one parameter (typer._coercion.RuntimeParam)."""

    __slots__ = ("build", "full")

    def __init__(self, build: Any) -> None:
        self.build = build
        self.full: Any = None  # typer's own, built when a value needs it

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        several = param.multiple or param.nargs == -1
        if value is None:
            return () if several else None
        if not (several and isinstance(value, str)):
            try:
                return _quick_value(param.type_descriptor, value, ctx)
            except _Unsure:
                pass
        if self.full is None:
            self.full = self.build(param.type_descriptor)
        return self.full.coerce(value, param=param, ctx=ctx)


def _quick_value(descriptor: Any, value: Any, ctx: Any) -> Any:
    from typing import get_args, get_origin

    info = descriptor.parameter_info
    if info.parser is not None or descriptor.file_annotation is not None or ctx.token_normalize_func is not None:
        raise _Unsure
    annotation = descriptor.annotation
    if get_origin(annotation) is list:
        if not isinstance(value, list | tuple):
            raise _Unsure
        return [_quick_one(get_args(annotation)[0], info, item) for item in value]
    return _quick_one(annotation, info, value)


_PATH_DEFAULTS = {"exists": False, "file_okay": True, "dir_okay": True, "writable": False, "readable": True}


def _quick_one(annotation: Any, info: Any, value: Any) -> Any:  # noqa: C901 - one case a kind of option
    import os
    from datetime import datetime
    from enum import Enum
    from typing import Literal, get_args, get_origin

    if isinstance(annotation, type) and issubclass(annotation, Enum) and isinstance(value, annotation):
        return value
    if not isinstance(value, str):
        raise _Unsure
    if annotation is str:
        return value
    choices: tuple[Any, ...] | None = None
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = tuple(annotation)
    elif get_origin(annotation) is Literal:
        choices = get_args(annotation)
    if choices is not None:
        for choice in choices:
            shown = str(choice.value) if isinstance(choice, Enum) else str(choice)
            if shown == value or (not info.case_sensitive and shown.casefold() == value.casefold()):
                return choice
        raise _Unsure  # typer says which values there are
    if annotation is Path:
        if info.resolve_path or info.allow_dash or info.path_type is not None:
            raise _Unsure
        if any(getattr(info, name) != default for name, default in _PATH_DEFAULTS.items()):
            raise _Unsure
        path = Path(value)
        if os.path.exists(path) and not os.access(path, os.R_OK):
            raise _Unsure  # typer says it is not readable
        return path
    if annotation is int and not info.clamp and value.isascii() and value.isdigit():
        number = int(value)
        if (info.min is None or number >= info.min) and (info.max is None or number <= info.max):
            return number
    if annotation is datetime and info.formats:
        for form in info.formats:
            try:
                return datetime.strptime(value, form)
            except ValueError:
                continue
    raise _Unsure


def stdout_reader_gone() -> bool:
    """Whether standard output is a pipe whose reader has closed it (poll reports an error on its
    write end). Where that cannot be told (no poll), False: the closed pipe is not explained away."""
    try:
        import select

        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):
        return False


def stdout_closed_by_reader() -> None:
    """The reader of standard output went away: point it at the null device, so neither what is still
    buffered nor Python's flush at exit raises again, and say nothing (the reader chose to stop)."""
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # a stream without a descriptor (a test's): nothing to redirect
        pass


def workspace(data: Path | None, near: Path | None = None) -> Workspace:
    """The repository of `--data`, or the one found upward from `near` (default: here)."""
    from stratctl.workspace import Workspace

    return Workspace.open(data, near=near)


PROGRESS_AFTER = 1.0
"""Seconds a command works before it says so: a quick command shows nothing."""


@contextmanager
def progress_shown(what: str) -> Iterator[None]:
    """`stratctl: reading and rating the records ...` on a terminal's stderr while a long command works.

    Only where a person watches: stderr is a terminal, TERM is not dumb and no CI variable is set,
    so pipes, files and CI logs never get it. It appears once the command has worked for
    PROGRESS_AFTER seconds and is erased when the command ends.
    """
    import os
    import threading

    watched = sys.stderr.isatty() and os.environ.get("TERM") != "dumb" and not os.environ.get("CI")
    if not watched:
        yield
        return
    done = threading.Event()

    def show() -> None:
        if done.wait(PROGRESS_AFTER):
            return
        from rich.console import Console

        from stratctl.plaintext import printable

        with Console(stderr=True).status(printable(f"stratctl: {what} ...")):
            done.wait()

    shower = threading.Thread(target=show, daemon=True)
    shower.start()
    try:
        yield
    finally:
        done.set()
        shower.join(timeout=2)


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Run a read-only command without Python's cyclic garbage collector, then restore it.

    Such a command builds one large graph of records that lives until it ends and holds no
    reference cycles (YAML aliases are refused), and reference counting frees the rest. The
    collector only re-scanned the records: on the national-scale benchmark repository it cost
    validate 14% and the HTML report 11% of their time, with the same peak memory. Commands that
    rewrite YAML keep it: ruamel's round-trip objects do hold cycles (fmt of 12,000 files peaks at
    46 MB with it, 286 MB without).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_json(document: Any, stream: Any) -> None:
    """`stream.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")`, the same text, written a
    few thousand pieces at a time (stratctl.jsontext): the national-scale status is tens of MB, and held
    whole beside the dict it came from it doubled the peak memory."""
    from stratctl.jsontext import json_chunks

    for chunk in json_chunks(document):
        stream.write(json_safe(chunk))  # a file name that is not UTF-8, escaped as ensure_ascii would
