"""SARIF 2.1.0, for code-scanning services.

Checked by Microsoft's SARIF Multitool with its SARIF and GitHub rules (tests/test_sarif.py): each rule
carries its help (the rule's documentation, with its bad and good example) and a helpUri, the tool
its informationUri, and each file's location is a URI: a relative path percent-encoded from the
file name's bytes (a space, a `#` or a byte that is not UTF-8 would otherwise make it no URI at all),
or a file: URI where the path is absolute.
"""

from __future__ import annotations

import os
from typing import TextIO
from urllib.parse import quote

from stratctl import HOMEPAGE, __version__
from stratctl.jsontext import json_chunks
from stratctl.plaintext import json_safe
from stratctl.rules import RULES
from stratctl.validation import ValidationResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULES_HELP = f"{HOMEPAGE}/blob/v{__version__}/docs/records.md#every-rule"
"""Where every rule is documented, with its bad and good example: the table of docs/records.md."""


def file_uri(path: str) -> str:
    """A finding's path as a URI reference: relative paths percent-encoded from the name's bytes (a lone
    surrogate is a byte that is not UTF-8), absolute ones as file: URIs."""
    raw = os.fsencode(path)
    if os.sep == "\\":  # Windows: its separator; elsewhere a backslash is part of a name, and encoded
        raw = raw.replace(b"\\", b"/")
    encoded = quote(raw, safe="/")
    return "file://" + encoded if os.path.isabs(path) else encoded


def render(result: ValidationResult, out: TextIO, *, color: bool | None = None) -> None:
    rules = sorted(RULES.values(), key=lambda r: r.code)
    index = {rule.code: i for i, rule in enumerate(rules)}
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "stratctl",
                        "version": __version__,
                        "informationUri": HOMEPAGE,
                        "rules": [
                            {
                                "id": rule.code,
                                "name": rule.name,
                                "shortDescription": {"text": rule.summary},
                                "fullDescription": {"text": rule.doc},
                                "help": {"text": f"{rule.code} {rule.name}: {rule.doc}"},
                                "helpUri": RULES_HELP,
                                "defaultConfiguration": {"level": str(rule.severity)},
                            }
                            for rule in rules
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": f.code,
                        "ruleIndex": index[f.code],
                        "level": str(f.severity),
                        "message": {"text": f.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": file_uri(f.path)},
                                    "region": {"startLine": f.line, "startColumn": f.column},
                                }
                            }
                        ],
                    }
                    for f in result.findings
                ],
            }
        ],
    }
    for chunk in json_chunks(document):
        out.write(json_safe(chunk))
