"""The command line. `main` is the console script.

`stratctl --version` is answered before typer is imported: it is the command
scripts and CI call most often, and typer alone takes about 100 ms to import.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    """SIGTERM or SIGHUP as an exit, not a sudden death: what is open is closed as on any error (a
    write is put back whole, the reading pool's workers are ended), then stratctl exits 128 + signal.
    A second one while that happens is ignored, so the clean-up runs to its end."""
    for other in _EXIT_SIGNALS:
        signal.signal(other, signal.SIG_IGN)
    raise SystemExit(128 + signum)


_EXIT_SIGNALS = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]


def main() -> None:
    try:
        for number in _EXIT_SIGNALS:
            signal.signal(number, _exit_on_signal)
        _main()
    except KeyboardInterrupt:  # Ctrl-C anywhere, even before the commands are loaded: no traceback
        from stratctl.cli.common import EXIT_INTERRUPTED

        sys.exit(EXIT_INTERRUPTED)


def _main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from stratctl import __version__

        try:
            print(f"stratctl {__version__}", flush=True)
        except BrokenPipeError:  # `stratctl --version | true`
            from stratctl.cli.common import stdout_closed_by_reader

            stdout_closed_by_reader()
        return
    from stratctl.cli.app import run

    run()
