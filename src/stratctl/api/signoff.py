"""`signoff` and `report --signed-off`: the Board's approval of a quarter's paper, recorded and checked.

`stratctl signoff 2021/22 Q3` tags HEAD `board/2021-22-Q3` (stratctl.signoff makes the tag). The
tag's message holds the SHA-256 of the HTML paper exactly as `stratctl report --quarter "2021/22 Q3"
--format html` renders it at that commit, and what the paper was built from: the stratctl and
renderer versions, the digest of each template, the data's git tree, the configuration, and the
earlier sign-offs it was validated against. `stratctl report --signed-off 2021/22 Q3` rebuilds the
paper from the tag alone (records, templates and configuration as the tag has them) and checks it
against the digest; when they differ it names what it can see differ.

From the tag on, `validate` holds the quarter's updates, risk reviews and measure actuals to the
tagged version (rules G001 and G002, stratctl.rules.signoff; the tags read by stratctl.api.validate).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from stratctl import __version__
from stratctl.api.report import render_paper
from stratctl.config import Config, load_config
from stratctl.errors import StratctlError
from stratctl.gitrefs import git, git_or_none, read_blobs, tree_path_problem
from stratctl.layout import CONFIG_FILE
from stratctl.layout import TEMPLATES_FOLDER as TEMPLATES
from stratctl.loading import LoadResult, load_texts
from stratctl.periods import Quarter
from stratctl.reporting.provenance import Provenance
from stratctl.reporting.render import packaged_templates
from stratctl.reporting.report import ReportRequest
from stratctl.signoff import (
    NotASignOff,
    SignOff,
    board_signoffs,
    board_tags,
    make_tag,
    parse_message,
    tag_message_of,
    tag_name,
)
from stratctl.status import choose_point
from stratctl.workspace import Workspace, ensure_readable

FORMAT_VERSION = "1"
PAPER_FORMAT = "html"
RENDERERS = ("jinja2", "markdown-it-py", "markupsafe")
"""The libraries whose version can change the HTML: recorded, and compared when a rebuild differs."""


@dataclass(frozen=True)
class Paper:
    """A quarter's HTML paper rendered from a commit, and everything it was rendered from."""

    quarter: Quarter
    text: str
    commit: str
    data_tree: str | None
    config: str | None  # sha256 of stratctl.toml at the commit; None without one
    templates: dict[str, tuple[str, str]]  # template file -> (sha256, "repository" | "packaged")
    renderers: str
    earlier: tuple[SignOff, ...]
    trust: str = ""

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _renderers() -> str:
    versions = []
    for name in RENDERERS:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} unknown")
    return "; ".join(versions)


def tag_message(paper: Paper, data_folder: str) -> str:
    """The annotated tag's message: a sentence for people, then one `Key: value` line per fact."""
    q = str(paper.quarter)
    lines = [
        f"Board sign-off: {paper.trust} {q} paper".replace("  ", " "),
        "",
        f"The Board approved the {q} paper built from this commit. Paper-SHA256 is the SHA-256 of the",
        f'HTML paper exactly as `stratctl report --quarter "{q}" --format html` renders it at this commit',
        "(its UTF-8 bytes, as --output writes them). To rebuild the paper from this tag and check it:",
        f'stratctl report --signed-off "{q}" --output paper.html',
        "",
        f"Stratctl-Signoff: {FORMAT_VERSION}",
        f"Quarter: {q}",
        f"Paper-SHA256: {paper.digest}",
        f"Paper-Format: {PAPER_FORMAT}",
        f'Rebuild: stratctl report --signed-off "{q}"',
        f"Stratctl-Version: {__version__}",
        f"Renderer: {paper.renderers}",
        f"Data: {data_folder}/ tree {paper.data_tree or 'none'} at commit {paper.commit}",
        f"Config: {CONFIG_FILE} " + (f"sha256:{paper.config}" if paper.config else "none"),
        *(f"Template: {name} sha256:{digest} {origin}" for name, (digest, origin) in sorted(paper.templates.items())),
        *(f"Earlier-Signoff: {s.tag} {s.object}" for s in paper.earlier),
    ]
    return "\n".join(lines) + "\n"


# --- building the paper from git --------------------------------------------------------------


def _entries(root: Path, commit: str, *paths: str) -> list[tuple[str, str, str, str]]:
    """(mode, type, object id, path relative to `root`) of every tree and blob under `paths` at `commit`."""
    listing = git(root, "ls-tree", "-r", "-t", "-z", "--end-of-options", commit, "--", *paths)
    entries = []
    for entry in listing.decode("utf-8", errors="surrogateescape").split("\0"):
        if entry:
            meta, _, path = entry.partition("\t")
            mode, kind, object_id = meta.split()
            entries.append((mode, kind, object_id, path))
    return entries


REGULAR_MODES = ("100644", "100755")
"""The modes of a file's blob; 120000 is a symbolic link's (its blob is the link's target), 160000 a submodule."""


def _checked(entries: list[tuple[str, str, str, str]], where: str) -> None:
    """Refuse the commit's listing before anything is written if any path could be written outside the
    scratch folder (or into a .git), or a template or the configuration is not a file."""
    for mode, kind, _object_id, path in entries:
        problem = tree_path_problem(path)
        if problem is not None:
            raise StratctlError(
                f"{path!r}{where} is not a path stratctl will write ({problem}): a tree made by hand, "
                "which git itself would not check out; nothing was written"
            )
        if kind == "blob" and mode not in REGULAR_MODES and (path == CONFIG_FILE or path.startswith(TEMPLATES + "/")):
            what = "a symbolic link" if mode == "120000" else f"not a file (mode {mode})"
            raise StratctlError(f"{path}{where} is {what}: a paper is rebuilt from files only; nothing was written")
        if kind == "commit" and (path == CONFIG_FILE or path.startswith(TEMPLATES + "/")):
            raise StratctlError(f"{path}{where} is a submodule, not a file: a paper is rebuilt from files only")


def _write_new_file(base: Path, relative: str, content: bytes) -> None:
    """Write `content` at base/relative, a path already checked (tree_path_problem): each folder made
    here and a real folder, the file new (O_EXCL) and never reached through a link (O_NOFOLLOW)."""
    *folders, name = relative.split("/")
    current = base
    for folder in folders:
        current = current / folder
        try:
            current.mkdir(mode=0o700)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(current).st_mode):
                raise StratctlError(f"{relative}: {folder} is both a file and a folder in the tree") from None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(current / name, flags, 0o600)
    except FileExistsError:
        raise StratctlError(f"{relative} is listed twice in the tree: a tree made by hand") from None
    with os.fdopen(descriptor, "wb") as out:
        out.write(content)


def _data_folder(space: Workspace) -> str:
    try:
        return space.data_dir.relative_to(space.root).as_posix()
    except ValueError:  # pragma: no cover - data_dir is always inside its root
        raise StratctlError(f"{space.data_dir} is not inside {space.root}") from None


def build_paper(space: Workspace, commit: str, quarter: Quarter, earlier: Sequence[SignOff], where: str) -> Paper:
    """The quarter's HTML paper from the records, templates and configuration at `commit` alone.

    The records are read by blob id in one `git cat-file --batch`; templates and stratctl.toml
    are written to a temporary folder so the work tree plays no part.
    """
    folder = _data_folder(space)
    entries = _entries(space.root, commit, folder, TEMPLATES, CONFIG_FILE)
    _checked(entries, where)
    blobs = [(object_id, path) for _mode, kind, object_id, path in entries if kind == "blob"]
    contents = read_blobs(space.root, [object_id for object_id, _ in blobs])
    data_tree = next((oid for _mode, kind, oid, path in entries if kind == "tree" and path == folder), None)
    prefix = folder + "/"
    texts = {
        path[len(prefix) :]: contents[blob].decode("utf-8", errors="replace")
        for blob, path in blobs
        if path.startswith(prefix)
    }
    loaded = ensure_readable(load_texts(space.data_dir, texts), where)
    repository = loaded.repository
    point = choose_point(repository, None, str(quarter), None)
    with tempfile.TemporaryDirectory(prefix="stratctl-signoff-") as scratch:
        base = Path(scratch)
        config: Config = Config()
        config_digest = None
        templates: dict[str, tuple[str, str]] = {}
        for blob, path in blobs:
            if path == CONFIG_FILE:
                _write_new_file(base, CONFIG_FILE, contents[blob])
                config = load_config(base)
                config_digest = hashlib.sha256(contents[blob]).hexdigest()
            elif path.startswith(TEMPLATES + "/"):
                _write_new_file(base, path, contents[blob])
                templates[path[len(TEMPLATES) + 1 :]] = (hashlib.sha256(contents[blob]).hexdigest(), "repository")
        packaged = packaged_templates()
        for file in sorted(packaged.rglob("*")):
            name = file.relative_to(packaged).as_posix()
            if file.is_file() and "__pycache__" not in name and name not in templates:
                templates[name] = (hashlib.sha256(file.read_bytes()).hexdigest(), "packaged")
        text = render_paper(
            loaded,
            ReportRequest(point, PAPER_FORMAT),
            config,
            Provenance(__version__, commit, False),
            templates=base / TEMPLATES,
            signoffs=earlier,
        )
        assert isinstance(text, str)  # the signed-off paper is the HTML one
    trust = repository.trust.record.name if repository.trust else ""
    return Paper(quarter, text, commit, data_tree, config_digest, templates, _renderers(), tuple(earlier), trust)


# --- signing off ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signed:
    tag: str
    commit: str
    paper: Paper
    later: Quarter | None = None  # the latest quarter the records already held when the earlier one was signed off
    replaced: NotASignOff | None = None  # a tag of the same name that was not a sign-off (a lightweight one)


def _repository_root(space: Workspace) -> Path:
    top = git_or_none(space.data_dir, "rev-parse", "--show-toplevel")
    if top is None:
        raise StratctlError(
            f"{space.data_dir} is not in a git repository: a sign-off is recorded as a git tag "
            "(git init, and commit the records the Board approved)"
        )
    root = Path(top.decode().strip()).resolve()
    if root != space.root.resolve() and root not in space.root.resolve().parents:
        raise StratctlError(
            f"the strategy repository's root {space.root} (the folder holding data/, templates/ and stratctl.toml) "
            f"is outside the git repository {root}: a sign-off must cover all three"
        )
    return root


def _head(space: Workspace) -> str:
    head = git_or_none(space.root, "rev-parse", "--verify", "HEAD^{commit}")
    if head is None:
        raise StratctlError("the repository has no commit yet: commit the records the Board approved, then sign off")
    return head.decode().strip()


def uncommitted_changes(space: Workspace) -> list[str]:
    """Paths under data/, templates/ and stratctl.toml that differ from HEAD (new files included)."""
    watched = [_data_folder(space), TEMPLATES, CONFIG_FILE]
    output = git(space.root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *watched)
    return [entry[3:] for entry in output.decode("utf-8", errors="replace").split("\0") if len(entry) > 3]


def _committer(space: Workspace) -> str:
    ident = git_or_none(space.root, "var", "GIT_COMMITTER_IDENT")
    if ident is None:
        raise StratctlError(
            "git has no committer identity to make the sign-off tag with: set one with "
            'git config user.name "Your Name" and git config user.email you@example.org'
        )
    return ident.decode().strip()


def sign_off(space: Workspace, quarter: Quarter) -> Signed:
    """Tag HEAD as the commit of the quarter's approved paper; every check comes before the tag is made."""
    _repository_root(space)
    commit = _head(space)
    name = tag_name(quarter)
    existing = {s.tag: s for s in board_tags(space.root, merged=None) or []}
    found = existing.get(name)
    if isinstance(found, SignOff):
        raise StratctlError(
            f"{quarter} is already signed off: tag {name} on commit {found.commit[:12]}. "
            "A sign-off is the Board's record and is never replaced; a change since is marked `amended` in the records"
        )
    # A tag of this name that is not a sign-off (a lightweight one, fetched or made by hand) records no
    # approval, and left in place it would stop the Board's real sign-off for good: it is replaced.
    impostor = found if isinstance(found, NotASignOff) else None
    dirty = uncommitted_changes(space)
    if dirty:
        shown = ", ".join(dirty[:3]) + (", ..." if len(dirty) > 3 else "")
        raise StratctlError(
            f"uncommitted changes to the records or templates ({shown}): the paper signed off must be the one "
            "at a commit; commit or stash them first"
        )
    _committer(space)
    loaded = space.load_readable()
    instead = loaded.repository.reported_instead(quarter)
    if instead is not None or not any(
        u.quarter == quarter for o in loaded.repository.objectives for u in o.record.updates
    ):
        hint = f'; did you mean {instead}? (stratctl signoff "{instead}")' if instead is not None else ""
        raise StratctlError(f"no objective has an update for {quarter}: there is no {quarter} paper to sign off{hint}")
    earlier = [s for s in board_signoffs(space.root, merged=commit) or [] if s.quarter != quarter]
    paper = build_paper(space, commit, quarter, earlier, " at HEAD")
    _same_as_work_tree(space, loaded, quarter, paper)
    message = tag_message(paper, _data_folder(space))
    make_tag(space.root, name, commit, message, replacing=impostor.object if impostor else None)
    # Signing off after later quarters were entered records the paper as it renders now, which may not
    # be the one the Board read: allowed (a trust adopting stratctl signs off its past papers), but said.
    held = [u.quarter for o in loaded.repository.objectives for u in o.record.updates if u.quarter > quarter]
    return Signed(name, commit, paper, max(held) if held else None, impostor)


def _same_as_work_tree(space: Workspace, loaded: LoadResult, quarter: Quarter, paper: Paper) -> None:
    """The digest is of what `stratctl report` gives here: refuse if the work tree renders otherwise."""
    point = space.point(loaded.repository, None, str(quarter))
    text = render_paper(loaded, ReportRequest(point, PAPER_FORMAT), space.config)
    if text != paper.text:
        raise StratctlError(
            "the paper rendered from the work tree differs from the one rendered from the commit "
            "(a record file git ignores, or one not yet added?): commit exactly what the Board approved"
        )


# --- checking a sign-off ----------------------------------------------------------------------


@dataclass
class Verification:
    signoff: SignOff
    recorded: str  # the digest in the tag's message
    paper: Paper
    differences: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return self.paper.digest == self.recorded


def verify(space: Workspace, quarter: Quarter) -> Verification:
    """Rebuild the quarter's signed-off paper from its tag and compare it with the digest recorded there."""
    _repository_root(space)
    tags = board_tags(space.root, merged=None) or []
    everything = {s.tag: s for s in tags if isinstance(s, SignOff)}
    name = tag_name(quarter)
    signoff = everything.get(name)
    impostor = next((t for t in tags if isinstance(t, NotASignOff) and t.tag == name), None)
    if impostor is not None:
        raise StratctlError(
            f"tag {name} is {impostor.why}, not a sign-off: stratctl signoff makes an annotated tag holding the "
            "paper's digest, so there is nothing to check the paper against"
        )
    if signoff is None:
        raise StratctlError(f'{quarter} has not been signed off: there is no tag {name} (stratctl signoff "{quarter}")')
    fields = parse_message(tag_message_of(space.root, signoff))
    recorded = (fields.get("Paper-SHA256") or [""])[0]
    if not re.fullmatch(r"[0-9a-f]{64}", recorded):
        raise StratctlError(
            f"tag {name} records no paper digest (Paper-SHA256): it was not made by stratctl signoff, "
            "so there is nothing to check the paper against"
        )
    if (fields.get("Paper-Format") or [PAPER_FORMAT])[0] != PAPER_FORMAT:
        raise StratctlError(
            f"tag {name} records the digest of a {fields['Paper-Format'][0]} paper; stratctl checks HTML papers"
        )
    differences: list[str] = []
    earlier: list[SignOff] = []
    for line in fields.get("Earlier-Signoff", []):
        tag, _, object_id = line.partition(" ")
        found = everything.get(tag)
        if found is None:
            differences.append(f"earlier sign-off {tag}, which the paper was validated against, no longer exists")
            continue
        if object_id and found.object != object_id:
            differences.append(
                f"earlier sign-off {tag} has been made again since "
                f"(tag object {object_id[:12]} then, {found.object[:12]} now)"
            )
        earlier.append(found)
    paper = build_paper(space, signoff.commit, quarter, earlier, f" at {name}")
    result = Verification(signoff, recorded, paper)
    if not result.matches:
        result.differences = [
            f"the paper's SHA-256 is {paper.digest[:16]}…, the tag records {recorded[:16]}…",
            *_what_differs(fields, paper, _data_folder(space)),
            *differences,
        ]
        if len(result.differences) == 1:
            result.differences.append(
                "the stratctl version, renderers, templates, configuration and data are the ones recorded: "
                "the digest in the tag's message is not the one this paper gives (was the message edited?)"
            )
    return result


def _what_differs(fields: dict[str, list[str]], paper: Paper, data_folder: str) -> list[str]:
    found: list[str] = []
    version = (fields.get("Stratctl-Version") or ["unknown"])[0]
    if version != __version__:
        found.append(
            f"stratctl version: signed off with {version}, this is {__version__} (rebuild with stratctl {version})"
        )
    renderers = (fields.get("Renderer") or ["unknown"])[0]
    if renderers != paper.renderers:
        found.append(f"renderer: {renderers} then, {paper.renderers} now")
    recorded_templates: dict[str, tuple[str, str]] = {}
    for line in fields.get("Template", []):
        parts = line.split()
        if len(parts) >= 3:
            recorded_templates[parts[0]] = (parts[1].removeprefix("sha256:"), parts[2])
    for name in sorted(set(recorded_templates) | set(paper.templates)):
        then, now = recorded_templates.get(name), paper.templates.get(name)
        if then is None:
            found.append(f"template {name}: new since the sign-off ({now[1] if now else ''})".rstrip(" ()"))
        elif now is None:
            found.append(f"template {name}: used at the sign-off ({then[1]}), no longer there")
        elif then[0] != now[0] or then[1] != now[1]:
            found.append(f"template {name}: differs from the one signed off ({then[1]} then, {now[1]} now)")
    data = (fields.get("Data") or [""])[0]
    expected = f"{data_folder}/ tree {paper.data_tree or 'none'} at commit {paper.commit}"
    if data != expected:
        found.append(f"data: the tag records '{data}', its commit has '{expected}'")
    config = (fields.get("Config") or [""])[0]
    now_config = f"{CONFIG_FILE} " + (f"sha256:{paper.config}" if paper.config else "none")
    if config != now_config:
        found.append(f"configuration: the tag records '{config}', its commit has '{now_config}'")
    return found
