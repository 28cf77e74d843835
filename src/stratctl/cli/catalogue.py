"""`stratctl rules` and `stratctl schema`: what stratctl checks, for people and for editors."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.table import Table
from rich.text import Text

from stratctl.cli.common import EXIT_OK, fail
from stratctl.reporters.console import Console
from stratctl.rules import RULES, lookup
from stratctl.suggest import did_you_mean


def run_rules(code: str | None) -> int:
    console = Console(highlight=False)
    if code is None:
        table = Table("code", "name", "severity", "what it checks", box=None, pad_edge=False)
        for rule in sorted(RULES.values(), key=lambda r: r.code):
            table.add_row(rule.code, rule.name, str(rule.severity), Text(rule.summary))
        console.print(table)
        return EXIT_OK
    found = lookup(code)
    if found is None:
        names = [r.code for r in RULES.values()] + [r.name for r in RULES.values()]
        raise fail(f"no rule {code!r}{did_you_mean(code, names)}; `stratctl rules` lists them")
    console.print(Text(f"{found.code} {found.name} ({found.severity})", style="bold"))
    console.print(Text(found.doc))
    return EXIT_OK


def run_schema(output: Path | None) -> int:
    from stratctl.schema import dumps, schemas

    documents = schemas()
    if output is None:
        import json

        sys.stdout.write(json.dumps(documents, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    from stratctl.errors import StratctlError
    from stratctl.output import write_into_folder

    try:
        write_into_folder(output, {name: dumps(schema) for name, schema in documents.items()})
    except StratctlError as error:
        raise fail(str(error)) from None
    sys.stderr.write(f"wrote {len(documents)} schemas to {output}\n")
    return EXIT_OK
