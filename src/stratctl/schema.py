"""JSON Schema of each record kind, generated from the models, for editors and other validators."""

from __future__ import annotations

import json
from typing import Any

from stratctl.kinds import KINDS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema for one kind of record file."""
    schema = KINDS[kind].model.model_json_schema(mode="validation")
    return {"$schema": SCHEMA_DIALECT, "$id": f"{kind}.schema.json", **schema}


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, for every kind."""
    return {f"{kind}.schema.json": schema_for(kind) for kind in KINDS}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
