"""rich's Console, with a closed pipe left to the command line to settle.

rich answers a reader that went away (`stratctl status | head -1`) by exiting 1, which stratctl's
exit codes reserve for findings. This Console raises BrokenPipeError instead: `validate` keeps its
own exit code and every other command exits 0 (stratctl.cli.common).
"""

from __future__ import annotations

from rich.console import Console as RichConsole


class Console(RichConsole):
    def on_broken_pipe(self) -> None:
        self.quiet = True  # nothing more is written to the closed pipe
        raise BrokenPipeError
