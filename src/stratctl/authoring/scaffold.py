"""`new` and `init`: records and repositories that validate from the first keystroke.

Scaffolds are written as text, not dumped, so that they can carry comments that
explain each optional field; every value from the command line is quoted for YAML.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from stratctl.errors import StratctlError
from stratctl.loading import load_repository
from stratctl.records.fields import is_valid_id
from stratctl.repository import KIND_FOLDERS, Kind
from stratctl.rewrite import exclusive, write_atomically
from stratctl.schema import dumps, schemas

SCHEMA_FOLDER = "schemas"
_RATING = re.compile(r"(?:(?P<l>[1-5])\s*[x×*]\s*(?P<c>[1-5]))|(?P<s>\d{1,2})")


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.'()/&%_+-]*")
_AMBIGUOUS_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def quoted(text: str) -> str:
    """`text` as a YAML scalar: plain where that reads back the same everywhere, else double-quoted."""
    if _PLAIN.fullmatch(text) and text.lower() not in _AMBIGUOUS_WORDS and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def rating(text: str) -> str:
    """`4x5` (likelihood x consequence) or `20` (a score) as a YAML flow mapping."""
    match = _RATING.fullmatch(text.strip())
    if not match:
        raise StratctlError(f"{text!r} is not a rating: write likelihood x consequence (4x5) or a score (20)")
    if match["s"]:
        return f"{{score: {int(match['s'])}}}"
    return f"{{likelihood: {match['l']}, consequence: {match['c']}}}"


@dataclass(frozen=True)
class NewRecord:
    kind: Kind
    id: str
    title: str
    lead: str | None = None
    priority: str | None = None
    current: str | None = None  # risks
    target: str | None = None  # risks


def ensure_schemas(repository_root: Path) -> list[Path]:
    """Write schemas/<kind>.schema.json when missing (editors read them); return what was written."""
    folder = repository_root / SCHEMA_FOLDER
    written = []
    for name, schema in schemas().items():
        path = folder / name
        if not path.exists():
            write_atomically(path, dumps(schema))
            written.append(path)
    return written


def _choices(ids: list[str]) -> str:
    return ", ".join(ids) if ids else "none defined yet in trust.yaml"


def scaffold_text(request: NewRecord, data_dir: Path) -> str:
    """The text of a new record: every required field, the optional ones explained in comments."""
    loaded = load_repository(data_dir)
    trust = loaded.repository.trust
    if trust is None:
        raise StratctlError("trust.yaml could not be read: run stratctl validate and fix it first")
    t = trust.record
    executives = [e.id for e in t.executives]
    lead = request.lead or (executives[0] if executives else None)
    if lead is None:
        raise StratctlError("give --lead: trust.yaml lists no executives")
    schema_line = f"# yaml-language-server: $schema=../../{SCHEMA_FOLDER}/{request.kind}.schema.json\n"
    head = f"{schema_line}id: {quoted(request.id)}\ntitle: {quoted(request.title)}\n"
    if request.kind == "objective":
        priorities = [p.id for p in t.priorities]
        priority = request.priority or (priorities[0] if priorities else None)
        if priority is None:
            raise StratctlError("give --priority: trust.yaml lists no priorities")
        due = t.year.quarter(4).last_day(t.year_start_month).isoformat()
        return (
            head
            + f"year: {t.year}\n"
            + f"priority: {quoted(priority)}  # one of: {_choices(priorities)}\n"
            + f"supports: []  # strategic objectives it serves: {_choices([s.id for s in t.strategic_objectives])}\n"
            + f"lead: {quoted(lead)}  # one of: {_choices(executives)}\n"
            + "risks: []  # strategic risks it addresses, quoted: [\"103350\"]\n"
            + "delivers: []  # strategy commitments it delivers: [<strategy>.<commitment>]\n"
            + f"due: {due}  # the target date\n"
            + "# measures:  # optional quantified targets\n"
            + "#   - id: a-measure\n#     name: What is measured\n#     unit: \"%\"\n#     direction: down  # or up\n"
            + f"#     baseline: {{quarter: {t.year} Q1, value: 0}}\n#     target: 0\n#     actuals: {{}}\n"
            + "# milestones:  # optional\n#   - {title: A step on the way, due: " + due + "}\n"
            + "updates: []  # one a quarter: stratctl update " + request.id + " --quarter Q1 --progress on-track --comment \"...\"\n"
        )
    if request.kind == "risk":
        if not request.current or not request.target:
            raise StratctlError("a risk needs --current and --target ratings, e.g. --current 4x5 --target 2x5")
        return (
            head
            + "description: \"\"  # the risk in full: cause, event and effect\n"
            + f"lead: {quoted(lead)}  # one of: {_choices(executives)}\n"
            + f"threatens: []  # strategic objectives at risk: {_choices([s.id for s in t.strategic_objectives])}\n"
            + (f"# appetite: cautious  # one of: {_choices(list(t.risk_appetite))}\n" if t.risk_appetite else "")
            + f"current: {rating(request.current)}  # likelihood x consequence, or {{score: N}}\n"
            + f"target: {rating(request.target)}\n"
            + "# target_date: " + t.year.quarter(4).last_day(t.year_start_month).isoformat() + "\n"
            + "controls: []\ngaps: []\n"
            + "reviews: []  # one a quarter: stratctl update " + request.id + " --quarter Q1 --likelihood 4 --consequence 5\n"
        )
    return (
        head
        + f"lead: {quoted(lead)}  # one of: {_choices(executives)}\n"
        + "status: in-development  # in-development | approved | retired\n"
        + "# approval_due: " + t.year.quarter(4).last_day(t.year_start_month).isoformat() + "  # when the Board is to ratify it\n"
        + f"supports: []  # strategic objectives: {_choices([s.id for s in t.strategic_objectives])}\n"
        + "commitments: []  # - {id: a-commitment, title: What the strategy commits to}\n"
    )


MAX_ID_LENGTH = 100
"""An id names its file; file systems refuse names over 255 bytes, and nobody types 100 characters."""


def create_record(request: NewRecord, data_dir: Path) -> Path:
    """Write the scaffold of a new record; refuses to overwrite, validates before writing."""
    if not is_valid_id(request.id):
        raise StratctlError(f"{request.id!r} is not a valid id: use letters, digits, '.', '_' and '-'")
    if len(request.id) > MAX_ID_LENGTH:
        raise StratctlError(f"the id is {len(request.id)} characters long: keep it to {MAX_ID_LENGTH}, it names the file")
    with exclusive(data_dir):
        return _create(request, data_dir)


def _create(request: NewRecord, data_dir: Path) -> Path:
    path = data_dir / KIND_FOLDERS[request.kind] / f"{request.id}.yaml"  # type: ignore[index]
    if path.exists() or path.with_suffix(".yml").exists():
        raise StratctlError(f"{path} already exists: stratctl new never overwrites a record")
    text = scaffold_text(request, data_dir)
    from stratctl.validation import validate_loaded

    after = load_repository(data_dir, overrides={path: text})
    errors = [f for f in validate_loaded(after).findings if f.severity == "error" and Path(f.path).resolve() == path.resolve()]
    if errors:
        problems = "; ".join(f"line {f.line}: {f.message}" for f in errors)
        raise StratctlError(f"the new {request.kind} would not validate: {problems}")
    write_atomically(path, text)
    return path
