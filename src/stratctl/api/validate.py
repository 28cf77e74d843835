"""`validate`: the one place that checks a repository, with everything beside its records.

The records' own findings come from the rule engine (stratctl.validation); beside them this
module gathers what needs more than the records: .github/CODEOWNERS against the records (O002),
and the records against the quarters the Board signed off (G001, G002: the board/ tags HEAD
contains, and the records as each tag holds them). The validate command, the write plan, the
Board paper and the sign-off all validate through here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from stratctl import cache, loading
from stratctl.codeowners import MAX_CODEOWNERS_BYTES, codeowners_findings
from stratctl.config import Config
from stratctl.errors import StratctlError
from stratctl.findings import Finding
from stratctl.gitrefs import blobs_at, read_blobs
from stratctl.kinds import KINDS
from stratctl.layout import codeowners_path
from stratctl.loading import (
    LoadResult,
    canonical,
    chosen,
    discover,
    display_path,
    listing,
    load_texts,
    places_of,
    unread_files,
)
from stratctl.reading import read_capped
from stratctl.repository import RecordFile
from stratctl.signoff import SignOff, signoffs_held
from stratctl.validation import ValidationResult, check
from stratctl.workspace import Workspace

if TYPE_CHECKING:
    from stratctl.rules.signoff import Approved, SignedFile

# The sign-off rules (stratctl.rules.signoff) need the rating engine and the record models, which a warm
# validate answered from the cache never imports: they are imported where records are compared (start-up).


def validate_repository(
    space: Workspace, loaded: LoadResult | None = None, *, only: Iterable[Path] | None = None
) -> ValidationResult:
    """Every finding over the repository (as read, or as `loaded` gives it), with its configuration.

    Read from disk (no `loaded`), the answer comes from the cache when nothing it depends on has
    changed. `only` limits the findings reported to those files or folders; the whole repository is
    still read, so references are checked against all of it.
    """
    shown = _codeowners_shown(space)
    if loaded is None:
        cached = _cached(space, shown, only)
        if cached is not None:
            return cached
        loaded = space.load()
    return _check_all(space, loaded, only, shown, signoffs_to_check(space.data_dir, space.config))


def not_read(space: Workspace, paths: Iterable[Path]) -> tuple[list[Finding], list[Path]]:
    """For `validate PATH ...`: the YAML files at or under the paths that stratctl never reads, and the
    paths that hold no record file at all.

    A file never read (in a sub-folder, named X.YAML) gets the finding a whole `validate` gives it (Y012,
    or Y011 for a record folder it cannot read), so `validate data/objectives/sub/x.yaml` says why it
    checked nothing; a path that holds neither a record nor such a file (a text file, a folder of them)
    is returned apart, for the command to refuse.
    """
    cwd = (space.cwd or Path.cwd()).resolve()
    files = discover(space.data_dir, space.cwd)
    found: list[Finding] = []
    nothing: list[Path] = []
    unread = [(f, canonical(cwd / f.path)) for f in unread_files(space.data_dir, space.cwd)]
    holding = places_of(files)  # once: looking each path up is then a set lookup, not a scan of every file
    for path in paths:
        wanted = canonical(path)
        about = [f for f, at in unread if at == wanted or wanted in at.parents]
        found += [f for f in about if f not in found]
        if not about and wanted not in holding:
            nothing.append(path)
    return found, nothing


def validate_records(loaded: LoadResult, config: Config, signoffs: Sequence[SignOff] | None = None) -> ValidationResult:
    """The records' findings alone (no CODEOWNERS): what a Board paper's data-quality appendix is built from.

    `signoffs` are the sign-offs to hold the records to (default: the board tags HEAD contains); a
    signed-off paper is rebuilt against the ones it was validated against then.
    """
    if signoffs is None:
        signoffs = signoffs_to_check(loaded.repository.data_dir, config)
    return check(loaded, config=config, extra=signoff_findings(loaded, signoffs))


def signoffs_to_check(data_dir: Path, config: Config, held: list[SignOff] | None = None) -> list[SignOff]:
    """The sign-offs validate holds the records to (`held`, if they were read already): none when both
    sign-off rules are off."""
    from stratctl.rules.signoff import AMENDED_AFTER_SIGNOFF, SIGNED_OFF_CHANGED

    if config.severity(SIGNED_OFF_CHANGED.code) is None and config.severity(AMENDED_AFTER_SIGNOFF.code) is None:
        return []
    return signoffs_held(data_dir) if held is None else held


def signoff_findings(loaded: LoadResult, signoffs: Sequence[SignOff]) -> list[Finding]:
    """G001 and G002 over the repository as loaded, against `signoffs`.

    Each tag's records are read by blob id in one `git cat-file --batch`; a file whose content is
    the tagged blob is not parsed again.
    """
    if not signoffs:
        return []
    from stratctl.rules.signoff import signoff_findings as compare_with_signoffs

    try:
        current, approved = _signed_records(loaded, signoffs)
    except StratctlError:
        return []  # a tag whose objects are missing (a shallow clone): nothing to compare with
    trust = loaded.repository.trust
    return list(compare_with_signoffs(current, approved, trust.record.year_start_month if trust else 4))


def _signed_records(loaded: LoadResult, signoffs: Sequence[SignOff]) -> tuple[list[SignedFile], list[Approved]]:
    from stratctl.rules.signoff import SIGNED_KINDS, Approved, SignedFile

    repository = loaded.repository
    data_dir = repository.data_dir.resolve()
    folders = {folder: kind for kind in SIGNED_KINDS if kind in KINDS and (folder := KINDS[kind].folder)}
    current = []
    for kind in folders.values():
        for item in repository.records.get(kind, []):
            relative = _relative(item.file.path, data_dir)
            if relative is not None:  # else not a file of this data folder: nothing tagged to compare with
                current.append(SignedFile(relative, item.file, item.record, _blob_id(loaded, item.file)))
    now = {signed.relative: signed.blob for signed in current}
    tagged_blobs = {s.tag: blobs_at(data_dir, s.commit, *folders) for s in signoffs}
    wanted = [blob for s in signoffs for path, blob in tagged_blobs[s.tag].items() if now.get(path) != blob]
    contents = read_blobs(data_dir, wanted)
    approved = []
    for signoff in signoffs:
        blobs = tagged_blobs[signoff.tag]
        changed = {
            path: contents[blob].decode("utf-8", errors="replace")
            for path, blob in blobs.items()
            if now.get(path) != blob
        }
        then = load_texts(data_dir, changed).repository
        records: dict[tuple[str, str], object] = {}
        for kind in folders.values():
            for item in then.records.get(kind, []):
                records.setdefault((kind, item.record.id), item.record)
        approved.append(Approved(signoff.quarter, signoff.tag, blobs, records))
    return current, approved


def _relative(path: Path, data_dir: Path) -> str | None:
    """`objectives/x.yaml`; paths are already resolved at the folder (see loading.discover), so rarely resolved here."""
    for candidate in (path, path.resolve()):
        try:
            return candidate.relative_to(data_dir).as_posix()
        except ValueError:
            continue
    return None


def _blob_id(loaded: LoadResult, file: RecordFile) -> str | None:
    """The blob id of the file as it was read (loading keeps it), else of the text validated."""
    known = loaded.blobs.get(file.path)
    if known is not None:
        return known
    text = loaded.text_of(file)
    return None if text is None else cache.blob_id(text.encode("utf-8"))


def _codeowners_shown(space: Workspace) -> str:
    return display_path(codeowners_path(space.root), (space.cwd or Path.cwd()).resolve())


def _check_all(
    space: Workspace, loaded: LoadResult, only: Iterable[Path] | None, shown: str, signoffs: Sequence[SignOff]
) -> ValidationResult:
    extra = codeowners_findings(space.root, loaded.repository, space.config.codeowners_default, shown)
    extra += signoff_findings(loaded, signoffs)
    return check(loaded, config=space.config, only=only, extra=extra)


def _cached(space: Workspace, codeowners_shown: str, only: Iterable[Path] | None) -> ValidationResult | None:
    """`validate_repository(space, only=only)` through the cache (stratctl.cache); None when it is bypassed.

    The whole repository's findings are stored under one key over every input they depend on: each
    record file's name, kind and bytes (by blob id), the files left unread, stratctl.toml's rules,
    .github/CODEOWNERS and the sign-off tags. With a hit no record is parsed or checked; on a miss the
    repository is validated (its files' reads from the cache where unchanged) and the answer stored,
    unless a file changed while it was read. A run on some paths is the whole answer filtered to
    them: every step after the rules (placing, configuring, suppressing) works file by file.
    """
    if not cache.enabled():
        return None
    data_dir = space.data_dir
    files = listing(data_dir, space.cwd)  # names, not Path objects: 12,000 of those cost a warm run a fifth
    blobs: dict[str, str] = {}
    index = cache.BlobIndex.open(data_dir)
    known = index.known([name for name, _, _ in files]) if index is not None else {}
    for name, _, _ in files:
        blob = known.get(name)
        if blob is None:
            path = Path(name)
            before = _stat_or_none(path)
            raw, _ = loading.read_bytes(path)
            if raw is None:
                return None  # a file that cannot be read at all: checked the long way, as without a cache
            blob = cache.blob_id(raw)
            if index is not None:
                index.learn(path, before, blob)
        blobs[name] = blob
    if index is not None:
        index.save()
    owners_file = codeowners_path(space.root)
    owners = _bytes_or_none(owners_file)
    held = signoffs_held(data_dir)  # keyed whether the sign-off rules are on or not: the configuration is keyed too
    unread = unread_files(data_dir, space.cwd)
    parts = [
        space.config.fingerprint(),
        codeowners_shown.encode("utf-8", "surrogateescape"),
        b"-" if owners is None else b"+" + owners,
        repr(held).encode(),
        repr(unread).encode("utf-8", "surrogateescape"),
        # each file's display, kind and blob id, each ended by a NUL (which no name holds): one part, not 12,000
        "".join(f"{shown}\0{kind}\0{blobs[name]}\0" for name, kind, shown in files).encode("utf-8", "surrogateescape"),
    ]
    key = cache.result_key(parts)
    stored = cache.read_result(data_dir, key)
    if isinstance(stored, list) and all(isinstance(finding, Finding) for finding in stored):
        return _filtered(stored, files, only)
    loaded = space.load()
    result = _check_all(space, loaded, None, codeowners_shown, signoffs_to_check(data_dir, space.config, held))
    unchanged = {str(path): blob for path, blob in loaded.blobs.items()} == blobs and [
        str(f.path) for f in loaded.files
    ] == list(blobs)
    if unchanged and _bytes_or_none(owners_file) == owners:
        cache.write_result(data_dir, key, result.findings)  # nothing changed while it was read
    return _filtered(result.findings, [(str(f.path), f.kind, f.display) for f in loaded.files], only)


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _bytes_or_none(path: Path) -> bytes | None:
    """CODEOWNERS' bytes for the cache key, as codeowners_findings reads it: a regular file within GitHub's
    size limit (a link to a huge file or a FIFO committed there is neither read without end nor waited on)."""
    try:
        return read_capped(path, MAX_CODEOWNERS_BYTES) if os.path.lexists(path) else None
    except StratctlError:
        return None
    except OSError:
        return None


def _filtered(
    findings: list[Finding], files: list[tuple[str, str, str]], only: Iterable[Path] | None
) -> ValidationResult:
    """The findings of the files (path, kind, display: loading.listing's) under `only`."""
    if only is None:
        return ValidationResult(list(findings), len(files))
    selected = {files[index][2] for index in chosen([name for name, _, _ in files], only)}
    return ValidationResult([f for f in findings if f.path in selected], len(selected))
