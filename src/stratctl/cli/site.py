"""`stratctl site`: the strategy as a static website."""

from __future__ import annotations

import sys
from pathlib import Path

from stratctl.api.site import SiteOptions, write_site
from stratctl.cli.common import EXIT_OK, workspace
from stratctl.plaintext import printable


def run_site(data: Path | None, output: Path, quarter: str | None) -> int:
    outcome = write_site(workspace(data), SiteOptions(output, quarter))
    papers = "quarter's paper" if outcome.papers == 1 else "quarters' papers"
    kinds = ", ".join(f"{count} {kind}" for kind, count in outcome.counts.items())
    sys.stderr.write(
        printable(
            f"wrote {output}: the site as of {outcome.quarter}, {outcome.pages} pages ({kinds}) and "
            f"{outcome.papers} {papers} "
            f"in the archive; {outcome.files} files, {outcome.bytes / 1024 / 1024:.1f} MiB"
        )
        + "\n"
    )
    if outcome.signed_off:
        sys.stderr.write(f"signed off, and matching its digest: {', '.join(outcome.signed_off)}\n")
    for quarter in outcome.mismatched:
        sys.stderr.write(
            f"warning: the {quarter} paper rebuilt from its sign-off tag does not match the digest recorded there "
            f'(the archive says why; stratctl report --signed-off "{quarter}" checks it alone)\n'
        )
    return EXIT_OK
