#!/usr/bin/env python3
"""Regenerate tests/golden/: each bundled trust's Board reports and annual reports (the Board's and the public's).

The data is copied outside git first, so the provenance line does not name a
commit and the files change only when the data, templates or code change.
Run it after an intended change, then review the diff like any other code.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
RENDERINGS = {
    "board-2021-22-Q3.md": ["--year", "2021/22", "--quarter", "Q3", "--format", "md"],
    "board-2021-22-Q3.html": ["--year", "2021/22", "--quarter", "Q3", "--format", "html"],
    "annual-2021-22.md": ["--year", "2021/22", "--format", "md"],
    # the annual report for patients and the public: plain words, no record id
    "public-2021-22.md": ["--year", "2021/22", "--format", "md", "--audience", "public"],
}
# The second bundled trust (examples/sthft): a multi-year strategy, themes and monthly measures,
# over two years: a quarter of each year, the quarter a risk closes in, and both annual reports.
SECOND = {
    "sthft-board-2022-23-Q4.md": ["--year", "2022/23", "--quarter", "Q4", "--format", "md"],
    "sthft-board-2023-24-Q2.md": ["--year", "2023/24", "--quarter", "Q2", "--format", "md"],
    # the quarter a risk closes in: the paper lists it apart from the BAF, with its successor
    "sthft-board-2023-24-Q3.md": ["--year", "2023/24", "--quarter", "Q3", "--format", "md"],
    "sthft-board-2023-24-Q4.md": ["--year", "2023/24", "--quarter", "Q4", "--format", "md"],
    "sthft-board-2023-24-Q4.html": ["--year", "2023/24", "--quarter", "Q4", "--format", "html"],
    "sthft-annual-2022-23.md": ["--year", "2022/23", "--format", "md"],
    "sthft-annual-2023-24.html": ["--year", "2023/24", "--format", "html"],
    "sthft-public-2023-24.md": ["--year", "2023/24", "--format", "md", "--audience", "public"],
    "sthft-public-2023-24.html": ["--year", "2023/24", "--format", "html", "--audience", "public"],
}
EXAMPLES = {ROOT / "data": RENDERINGS, ROOT / "examples" / "sthft" / "data": SECOND}


def render_all(data: Path, renderings: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Each golden file's text, rendered from a copy of `data` outside any git work tree."""
    from stratctl.api.report import render_paper
    from stratctl.config import Config
    from stratctl.loading import load_repository
    from stratctl.reporting.report import ReportRequest
    from stratctl.status import reporting_point

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "data"
        shutil.copytree(data, copy)
        loaded = load_repository(copy)
        assert loaded.repository.trust is not None
        trust = loaded.repository.trust.record
        texts = {}
        for name, args in (renderings if renderings is not None else RENDERINGS).items():
            options = dict(zip(args[::2], args[1::2], strict=True))
            quarter = options.get("--quarter")
            point = reporting_point(trust, options["--year"], quarter or "Q4", None)
            request = ReportRequest(
                point, options["--format"], None, annual=quarter is None, audience=options.get("--audience", "board")
            )
            text = render_paper(loaded, request, Config())
            assert isinstance(text, str)
            texts[name] = text
    return texts


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for data, renderings in EXAMPLES.items():
        for name, text in render_all(data, renderings).items():
            (GOLDEN / name).write_text(text, encoding="utf-8", newline="\n")
            print(f"wrote tests/golden/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
