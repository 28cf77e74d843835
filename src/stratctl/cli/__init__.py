"""The command line. `main` is the console script.

`stratctl --version` is answered before typer is imported: it is the command
scripts and CI call most often, and typer alone takes about 100 ms to import.
"""

from __future__ import annotations

import sys


def main() -> None:
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
