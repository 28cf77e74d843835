"""The command line. `main` is the console script.

`stratctl --version` is answered before typer is imported: it is the command
scripts and CI call most often, and typer alone takes about 100 ms to import.

The cyclic garbage collector is off for the process. A command runs once and
exits; it builds one large graph of records that live until the end and makes
almost no reference cycles (YAML aliases are refused, so records hold none), and
reference counting frees everything else. With the collector on, it re-scanned
the records again and again: on the national-scale benchmark repository it cost
validate 14% and the HTML report 11% of their time, with the same peak memory.
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from stratctl import __version__

        print(f"stratctl {__version__}")
        return
    gc.disable()
    from stratctl.cli.app import run

    run()
