"""SARIF 2.1.0, for code-scanning services."""

from __future__ import annotations

from typing import TextIO

from stratctl import __version__
from stratctl.jsontext import json_chunks
from stratctl.rules import RULES
from stratctl.validation import ValidationResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


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
                        "rules": [
                            {
                                "id": rule.code,
                                "name": rule.name,
                                "shortDescription": {"text": rule.summary},
                                "fullDescription": {"text": rule.doc},
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
                                    "artifactLocation": {"uri": f.path},
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
        out.write(chunk)
