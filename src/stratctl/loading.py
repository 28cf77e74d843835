"""From files on disk to records: find the files, read them, check them against the models.

Reading is the expensive part (libyaml), so large repositories are read by a
pool of processes, which hand back plain data. Each file is read without
positions; the few files that have findings are parsed again with positions
by `placement`, so clean files never pay for them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from stratctl.errors import RepositoryNotFound
from stratctl.findings import Finding
from stratctl.reading import MAX_RECORD_BYTES, FileTooLarge, UnreadableFile, read_capped
from stratctl.records import Objective, Risk, Strategy, Trust
from stratctl.repository import KIND_FOLDERS, TRUST_FILE, Kind, Loaded, RecordFile, Repository
from stratctl.rules.schema import CUSTOM_ERROR_CODES, INVALID_VALUE
from stratctl.rules.suggest import did_you_mean
from stratctl.rules.yaml_syntax import COMMENT_IN_TEXT, FILE_NOT_READ, FILE_TOO_LARGE, INVALID_CHARACTER, UNREADABLE_FILE
from stratctl.yamlsource import offset_to_position, parse

MAX_FILE_BYTES = MAX_RECORD_BYTES
PARALLEL_FROM = 400
"""Below this many files a process pool costs more than it saves."""

MODELS: dict[Kind, type[BaseModel]] = {"trust": Trust, "objective": Objective, "risk": Risk, "strategy": Strategy}
RECORD_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True)
class ReadResult:
    """One file as read: its data, or the findings that stopped it being read."""

    data: dict[str, Any] | None
    findings: list[Finding] = field(default_factory=list)
    has_suppression: bool = False


def find_data_dir(start: Path) -> Path:
    """The data folder for `start`: found upward from it, as git finds its root."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / TRUST_FILE).is_file() and folder.name == "data":
            return folder
        if (folder / "data" / TRUST_FILE).is_file():
            return folder / "data"
        if (folder / TRUST_FILE).is_file():
            return folder
    raise RepositoryNotFound(
        f"no strategy repository found at {start} or above it: "
        "expected a data/ folder holding trust.yaml (or give --data DIR)"
    )


def discover(data_dir: Path, cwd: Path | None = None) -> list[RecordFile]:
    """Every record file of the repository, in a stable order.

    Paths are the resolved data folder joined with each name: resolving 10,000
    files one by one costs seconds, and the folder is the only part that can differ.
    """
    data_dir = data_dir.resolve()
    prefix = display_path(data_dir, (cwd or Path.cwd()).resolve())
    files: list[RecordFile] = []
    trust = data_dir / TRUST_FILE
    if trust.exists():
        files.append(RecordFile(trust, "trust", _join_display(prefix, TRUST_FILE)))
    for kind, folder in KIND_FOLDERS.items():
        directory = data_dir / folder
        if not directory.is_dir():
            continue
        with os.scandir(directory) as entries:
            names = sorted(e.name for e in entries if not e.name.startswith(".") and e.name.endswith(RECORD_SUFFIXES))
        for name in names:
            files.append(RecordFile(directory / name, kind, _join_display(prefix, f"{folder}/{name}")))
    return files


MAX_UNREAD_ENTRIES = 10_000
"""How many entries the search for unread YAML files looks at, at most: it is advice, not a crawl."""


def unread_files(data_dir: Path, cwd: Path | None = None) -> list[Finding]:
    """A warning for each YAML file under `data_dir` that `discover` leaves out, saying why.

    Records are read only from trust.yaml and from lower-case .yaml/.yml names directly inside the
    record folders; a record in a sub-folder, in a misspelt folder or named X.YAML would otherwise be
    silently missing from every check and report. Hidden names are skipped, links to folders are
    not followed below the record folders, and the search stops after MAX_UNREAD_ENTRIES entries.
    """
    data_dir = data_dir.resolve()
    prefix = display_path(data_dir, (cwd or Path.cwd()).resolve())
    budget = [MAX_UNREAD_ENTRIES]
    findings: list[Finding] = []
    record_folders = set(KIND_FOLDERS.values())

    def report(relative: str, reason: str) -> None:
        findings.append(FILE_NOT_READ.finding(_join_display(prefix, relative), f"not read: {reason}", line=1, column=1))

    def walk(folder: Path, relative: str, reason: str, depth: int = 0) -> None:
        for entry in _entries(folder, budget):
            inner = f"{relative}/{entry.name}"
            if _is_folder(entry, follow=False):
                if depth < 8:
                    walk(folder / entry.name, inner, reason, depth + 1)
            elif _yaml_named(entry.name):
                report(inner, reason)

    for entry in _entries(data_dir, budget):
        name = entry.name
        if name == TRUST_FILE:
            continue
        if name in record_folders and not _is_folder(entry, follow=True):
            what = "a broken link" if entry.is_symlink() and not os.path.exists(data_dir / name) else "not a folder"
            findings.append(UNREADABLE_FILE.finding(
                _join_display(prefix, name), f"the record folder cannot be read: it is {what}, so none of its records is",
                line=1, column=1,
            ))
            continue
        if name in record_folders:
            for inner in _entries(data_dir / name, budget):
                if inner.name.endswith(RECORD_SUFFIXES):
                    continue  # read by discover (a folder so named is reported as unreadable there)
                if _is_folder(inner, follow=False):
                    walk(data_dir / name / inner.name, f"{name}/{inner.name}", f"it is in a sub-folder of {name}/, and records are read only directly from data/{name}/")
                elif _yaml_named(inner.name):
                    stem, _, suffix = inner.name.rpartition(".")
                    if f".{suffix.lower()}" in RECORD_SUFFIXES:
                        report(f"{name}/{inner.name}", f"the extension must be lower case (rename it {stem}.{suffix.lower()})")
                    else:
                        report(f"{name}/{inner.name}", "a record's name must end in .yaml or .yml")
        elif _is_folder(entry, follow=False):
            hint = did_you_mean(name, record_folders).removeprefix("; ")
            walk(data_dir / name, name, f"{name}/ is not a record folder: records are read from objectives/, risks/ "
                 f"and strategies/{' (' + hint + ')' if hint else ''}")
        elif _yaml_named(name):
            if name.lower() in ("trust.yaml", "trust.yml"):
                report(name, "the trust's record is read only as trust.yaml, in lower case")
            else:
                report(name, "only trust.yaml is read at the top of data/; an objective, risk or strategy goes in "
                       "objectives/, risks/ or strategies/")
    return findings


def _entries(folder: Path, budget: list[int]) -> list[os.DirEntry[str]]:
    """The folder's entries by name, hidden ones left out; none once the budget is spent."""
    if budget[0] <= 0:
        return []
    try:
        with os.scandir(folder) as scan:
            entries = sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return []
    entries = entries[: budget[0]]
    budget[0] -= len(entries)
    return entries


def _is_folder(entry: os.DirEntry[str], *, follow: bool) -> bool:
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:
        return False


def _yaml_named(name: str) -> bool:
    lowered = name.lower()
    return ".yaml" in lowered or ".yml" in lowered


def _join_display(prefix: str, relative: str) -> str:
    return relative if prefix == "." else f"{prefix}/{relative}"


def canonical(path: Path) -> Path:
    """A folder resolved, or a file's folder resolved: the form `discover` gives, so paths compare equal."""
    if path.is_dir():
        return path.resolve()
    return path.parent.resolve() / path.name


def _new_files(data_dir: Path, paths: set[Path], cwd: Path | None) -> list[RecordFile]:
    """Record files that exist only as overrides: a record about to be created."""
    folders = {folder: kind for kind, folder in KIND_FOLDERS.items()}
    found = []
    for path in sorted(paths):
        kind = folders.get(path.parent.name)
        if kind is not None and path.parent.parent == data_dir.resolve():
            found.append(RecordFile(path, kind, display_path(path, (cwd or Path.cwd()).resolve())))
    return found


def display_path(path: Path, cwd: Path) -> str:
    """The path relative to the working folder where possible, always with forward slashes."""
    try:
        return path.resolve().relative_to(cwd).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def read_text(path: Path) -> tuple[str | None, list[Finding]]:
    """A file's text, or the finding that explains why it cannot be read as text.

    Only a regular file is read (a FIFO would block, a link to /dev/zero never end), and never more
    than MAX_FILE_BYTES of it.
    """
    display = str(path)
    try:
        raw = read_capped(path, MAX_FILE_BYTES)
    except FileTooLarge as error:
        return None, [FILE_TOO_LARGE.finding(
            display, f"the file is {error.size / 1024 / 1024:.1f} MiB; a record may be at most 1 MiB", line=1, column=1
        )]
    except UnreadableFile as error:
        return None, [UNREADABLE_FILE.finding(display, f"the file cannot be read: {error.reason}", line=1, column=1)]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8", errors="replace")
        if prefix.startswith("\ufeff"):
            prefix = prefix[1:]
        line, column = offset_to_position(prefix, len(prefix))
        byte = raw[error.start]
        return None, [INVALID_CHARACTER.finding(
            display,
            f"byte 0x{byte:02X} is not UTF-8 text: save the file as UTF-8",
            line=line,
            column=column,
        )]


def read_file(path: Path, text: str | None = None) -> ReadResult:
    """Read and parse one record file (or `text` given for it). Never raises for bad content."""
    findings: list[Finding] = []
    if text is None:
        text, findings = read_text(path)
    else:
        if text.startswith("\ufeff"):
            text = text[1:]
        # a text given for the file (what update or import would write, or the file at a git ref) is
        # held to the cap a file on disk is: update must not write a record validate would refuse to read
        if len(text) > MAX_FILE_BYTES // 4 and (size := len(text.encode("utf-8", "surrogatepass"))) > MAX_FILE_BYTES:
            return ReadResult(None, [FILE_TOO_LARGE.finding(
                str(path), f"the file would be {size:,} bytes; a record may be at most 1 MiB ({MAX_FILE_BYTES:,} bytes)",
                line=1, column=1,
            )])
    if text is None:
        return ReadResult(None, findings)
    document = parse(text)
    from stratctl.rules.registry import RULES

    for problem in document.problems:
        findings.append(RULES[problem.code].finding(str(path), problem.message, line=problem.line, column=problem.column))
    for _loc, line, column in document.comment_cuts:
        findings.append(COMMENT_IN_TEXT.finding(
            str(path),
            "the text stops here: ' #' starts a YAML comment and the rest of the line is lost; "
            "quote the text, or put two spaces before an intended comment",
            line=line,
            column=column,
        ))
    return ReadResult(document.data, findings, "stratctl:" in text)


def _read_all(paths: list[Path]) -> Iterator[ReadResult]:
    """Each file read, in order. A pool reads large repositories; results stream back as
    they are ready, so the caller checks records against the models while others are read."""
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_FROM or workers < 2:
        yield from map(read_file, paths)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(16, len(paths) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(read_file, paths, chunksize=chunk)


@dataclass
class LoadResult:
    repository: Repository
    findings: list[Finding]
    files: list[RecordFile]
    suppressing: set[str]  # display paths of files with a `stratctl:` comment
    overrides: dict[Path, str] = field(default_factory=dict)  # resolved path -> text used instead of the file

    def text_of(self, file: RecordFile) -> str | None:
        """The text the records were read from: an override, else the file on disk."""
        override = self.overrides.get(file.path)
        if override is not None:
            return override.removeprefix("\ufeff")
        return read_text(file.path)[0]


def load_repository(data_dir: Path, cwd: Path | None = None, overrides: dict[Path, str] | None = None) -> LoadResult:
    """Read every record of `data_dir`; findings hold what could not be read or is malformed.

    `overrides` gives the text of files as they would be after a change, so a change can be
    validated before anything is written.
    """
    if not (data_dir / TRUST_FILE).is_file():
        raise RepositoryNotFound(f"{data_dir} has no {TRUST_FILE}: is it a strategy repository's data folder?")
    files = discover(data_dir, cwd)
    overrides = {canonical(p): t for p, t in (overrides or {}).items()}
    files.extend(_new_files(data_dir, set(overrides) - {f.path for f in files}, cwd))
    on_disk = [f.path for f in files if f.path not in overrides]
    read = iter(_read_all(on_disk))
    results = (read_file(f.path, overrides[f.path]) if f.path in overrides else next(read) for f in files)
    loaded = _assemble(data_dir, files, results, overrides)
    loaded.findings.extend(unread_files(data_dir, cwd))
    return loaded


def load_texts(data_dir: Path, texts: dict[str, str]) -> LoadResult:
    """Records from texts by path relative to `data_dir` (`objectives/x.yaml`): a repository at a git ref."""
    files = []
    folders = {folder: kind for kind, folder in KIND_FOLDERS.items()}
    for relative in sorted(texts):
        parts = Path(relative).parts
        if parts == (TRUST_FILE,):
            files.append(RecordFile(data_dir / relative, "trust", f"data/{relative}"))
        elif len(parts) == 2 and parts[0] in folders and Path(relative).suffix in RECORD_SUFFIXES:
            files.append(RecordFile(data_dir / relative, folders[parts[0]], f"data/{relative}"))
    results = [read_file(f.path, texts[f.path.relative_to(data_dir).as_posix()]) for f in files]
    return _assemble(data_dir, files, results, {f.path: texts[f.path.relative_to(data_dir).as_posix()] for f in files})


def _assemble(data_dir: Path, files: list[RecordFile], results: Iterable[ReadResult], overrides: dict[Path, str]) -> LoadResult:
    repository = Repository(data_dir=data_dir)
    findings: list[Finding] = []
    suppressing: set[str] = set()
    for file, result in zip(files, results, strict=True):
        for finding in result.findings:
            findings.append(_rename(finding, file.display))
        if result.has_suppression:
            suppressing.add(file.display)
        if result.data is None or any(f.severity == "error" for f in result.findings):
            repository.unreadable[file.kind].add(file.stem)
            continue
        record, errors = _validate(file, result.data)
        findings.extend(errors)
        if record is None:
            repository.unreadable[file.kind].add(file.stem)
        elif file.kind == "trust":
            repository.trust = Loaded(record, file)  # type: ignore[arg-type]
        else:
            getattr(repository, KIND_FOLDERS[file.kind]).append(Loaded(record, file))
    return LoadResult(repository, findings, files, suppressing, overrides)


def _rename(finding: Finding, display: str) -> Finding:
    from dataclasses import replace

    return replace(finding, path=display)


def _validate(file: RecordFile, data: dict[str, Any]) -> tuple[BaseModel | None, list[Finding]]:
    model = MODELS[file.kind]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, [_schema_finding(file, model, data, e) for e in error.errors(include_url=False)]


def _schema_finding(file: RecordFile, model: type[BaseModel], data: Any, error: Any) -> Finding:
    kind = error["type"]
    loc = _data_loc(data, error["loc"])
    rule = CUSTOM_ERROR_CODES.get(kind, INVALID_VALUE)
    if kind == "extra_forbidden":
        key = error["loc"][-1]
        known = _field_names(model, loc[:-1])
        return rule.finding(file, f"unknown field {key!r}{did_you_mean(key, known)}", loc=loc, on_key=True)
    if kind == "missing":
        return rule.finding(file, f"missing required field {error['loc'][-1]!r}", loc=loc)
    on_key = kind == "invalid_key" or error["loc"][-1:] == ("[key]",)
    return rule.finding(file, _describe(error), loc=loc, on_key=on_key)


def _describe(error: Any) -> str:
    kind, value = error["type"], error.get("input")
    shown = _show(value)
    if kind.startswith("stratctl_"):
        return str(error["msg"])
    if kind == "invalid_key":
        key = error["loc"][-1] if error["loc"] else None
        if key in (None, "None"):
            return "a key with no name (~, null or nothing before the colon): a field is named, e.g. lead: COO"
        return f"the key {key} is not a name: a field is named with words, e.g. lead: COO (quote it if it is one)"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",") if o.strip()]
        return f"{shown} is not one of: {', '.join(options)}{did_you_mean(value, options)}"
    if kind == "string_type":
        return f"expected text, got {shown}: put it in quotes"
    if kind == "bool_type":
        return f"expected true or false, got {shown}"
    if kind in ("int_type", "int_from_float"):
        return f"expected a whole number, got {shown}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {shown}"
    if kind == "finite_number":
        return f"{shown} is not a measured value: give a finite number"
    if kind in ("list_type",):
        return f"expected a list, got {shown}: write [a, b] or one '- item' per line"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields (key: value), got {shown}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{shown}: {error['msg'][0].lower()}{error['msg'][1:]}"
    return f"{shown}: {error['msg']}"


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int) and value.bit_length() > 200:
        return f"a number of {len(str(abs(value))) if value.bit_length() < 4000 else 'over 1,200'} digits"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _data_loc(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """The part of a pydantic loc that walks the data (union tags and '[key]' dropped).

    pydantic writes a key that is not text as text (`~:` as 'None', `1.5:` as '1.5'): such a part
    is matched to the key it stands for, so the finding is placed on it, not on the mapping.
    """
    path: list[str | int] = []
    node = data
    for part in loc:
        key = _key_for(node, part) if isinstance(node, dict) else _NOT_FOUND
        if key is not _NOT_FOUND:
            path.append(key)  # type: ignore[arg-type] # a key as YAML gave it, which may be None or a number
            node = node[key]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and part == loc[-1] and isinstance(part, str) and part != "[key]":
            path.append(part)  # a missing or unknown key: positions fall back to its parent
    return tuple(path)


_NOT_FOUND = object()


def _key_for(mapping: dict[Any, Any], part: Any) -> Any:
    """The key of `mapping` that a pydantic loc part names, or _NOT_FOUND."""
    try:
        if part in mapping:
            return part
    except TypeError:
        return _NOT_FOUND
    if isinstance(part, str):
        for key in mapping:
            if not isinstance(key, str) and _key_text(key) == part:
                return key
    return _NOT_FOUND


def _key_text(key: Any) -> str:
    try:
        return str(key)
    except ValueError:  # an integer too long to write out
        return ""


def _field_names(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """Field names of the model found by walking `loc` through nested models."""
    import typing

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        annotation = fields[part].annotation
        current = _inner_model(annotation, typing)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any, typing: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg, typing)
        if found is not None:
            return found
    return None
