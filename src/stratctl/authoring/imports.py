"""`import tracker` and `import risks`: a trust's spreadsheets into records, validated before anything is written."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from stratctl.authoring.plan import WritePlan
from stratctl.authoring.update import ObjectiveChange, RiskChange, apply_objective_change, apply_risk_change
from stratctl.errors import StratctlError
from stratctl.findings import Finding
from stratctl.importing import Problem, RiskRow, Tracker, unique_id
from stratctl.periods import FinancialYear, PeriodError, Quarter, parse_quarter
from stratctl.records import Rating
from stratctl.records.fields import is_valid_id
from stratctl.rewrite import NEW_FILE, dump, load, original, source_text
from stratctl.yamltext import quoted, scalar

_TRAILING_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "our", "the", "to", "with"}
)


def slug(text: str, words: int = 8) -> str:
    """A readable id from a title: `Reduce maternity service vacancies to 5% by Q4` -> reduce-maternity-service-vacancies-to-5-by-q4.

    Cut at a word, never inside one (`...-by-q` for "by Q2"), and where cut, without a dangling `-of-the`.
    """
    every = re.findall(r"[a-z0-9]+", text.lower())
    tokens = every[:words]
    while len(tokens) > 1 and len("-".join(tokens)) > 60:
        tokens.pop()
    while len(tokens) < len(every) and len(tokens) > 1 and tokens[-1] in _TRAILING_WORDS:
        tokens.pop()  # only where the title was cut: a title that ends in "a" keeps it
    return "-".join(tokens)[:60].strip("-") or "record"


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,9}")
_MINOR_WORDS = {"and", "of", "the", "for", "&", "to", "in"}


def executive_id(text: str) -> str:
    """One way to name an executive from however a tracker writes the post: upper-case initials.

    `COO` stays COO; `Chief Nurse` is CN; `CMO & Dep CEO` starts with an acronym and is CMO;
    `Director of Estates and Facilities` is DEF.
    """
    words = text.replace("/", " ").split()
    if words and _ACRONYM.fullmatch(words[0]):
        return words[0]
    initials = "".join(word[0] for word in words if word.lower() not in _MINOR_WORDS and word[0].isalnum()).upper()
    return initials[:10] or "EXEC"


COMMON_TITLES = {  # posts trusts write as acronyms, for the "give its full title" advice
    "CEO": "Chief Executive",
    "COO": "Chief Operating Officer",
    "CFO": "Chief Finance Officer",
    "CMO": "Chief Medical Officer",
    "CN": "Chief Nurse",
    "CNO": "Chief Nursing Officer",
    "CPO": "Chief People Officer",
    "CIO": "Chief Information Officer",
    "CDO": "Chief Digital Officer",
}


PENDING_LINKS = (
    "# stratctl import: risks the tracker cites for a priority, not yet imported (stratctl import risks links them):"
)
_PENDING_LINE = re.compile(r"#\s+(?P<priority>[A-Za-z0-9][A-Za-z0-9._-]*):\s+(?P<risks>[A-Za-z0-9._ -]+)$")


@dataclass
class ImportPlan:
    """What an import would change (the write plan) and what to tell the user."""

    writes: WritePlan
    messages: list[str] = field(
        default_factory=list
    )  # each a change the import makes ("would change ..." in a dry run)
    notes: list[str] = field(default_factory=list)  # advice, not a change: shown as it is, dry run or not
    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # validation errors that stop the write
    origins: dict[Path, int] = field(default_factory=dict)  # an objective file -> the tracker row it comes from

    @property
    def texts(self) -> dict[Path, str]:
        return self.writes.texts

    @property
    def new(self) -> set[Path]:
        """Files the import would create."""
        return self.writes.created


class _TrustEditor:
    """trust.yaml as a round-trip tree: executives and priorities found, or created and reported."""

    def __init__(self, plan: ImportPlan) -> None:
        self.path = plan.writes.workspace.data_dir / "trust.yaml"
        self.source = plan.writes.source(self.path)
        self.tree = load(self.source)
        self.plan = plan
        self.mapped: set[str] = set()
        self.pending = self.pending_links()

    def _list(self, key: str) -> CommentedSeq:
        if not isinstance(self.tree.get(key), CommentedSeq):
            self.tree[key] = CommentedSeq()
        listed: CommentedSeq = self.tree[key]
        return listed

    def _append(self, key: str, entry: CommentedMap) -> None:
        listed = self._list(key)
        if not listed:  # `executives: []` grows as a block list, one entry a line, not `[{id: COO, ...}]`
            listed.fa.set_block_style()
        listed.append(entry)

    def strategic_objectives(self, numbered: list[tuple[int, str]]) -> None:
        """The strategic objectives a tracker lists above its table, added to trust.yaml unless already there."""
        items = self._list("strategic_objectives")
        known = {_norm(str(item.get("title"))) for item in items if isinstance(item, dict)}
        taken = {str(item.get("id")) for item in items if isinstance(item, dict)}
        added = []
        for number, title in numbered:
            if _norm(title) in known:
                continue
            new_id = unique_id(f"SO{number}", taken)
            taken.add(new_id)
            self._append("strategic_objectives", CommentedMap([("id", new_id), ("title", scalar(title))]))
            added.append(new_id)
        if added:
            self.plan.messages.append(
                f"trust.yaml: new strategic objective{'s' if len(added) > 1 else ''} {', '.join(added)} from the tracker's "
                "heading; say which each objective supports with `supports: [SO1]` in its file"
            )

    def executive(self, text: str) -> str:
        """The executive a tracker's lead names: found by id, title or initials, else added and reported."""
        wanted = executive_id(text)
        for item in self._list("executives"):
            if _norm(str(item.get("id"))) in (_norm(text), _norm(wanted)) or _norm(str(item.get("title"))) == _norm(
                text
            ):
                if _norm(str(item.get("id"))) != _norm(text) and text.strip() not in self.mapped:
                    self.mapped.add(text.strip())
                    self.plan.messages.append(f"executive {text.strip()!r} is {item['id']}")
                return str(item["id"])
        taken = {str(item.get("id")) for item in self._list("executives")}
        self.mapped.add(text.strip())  # "new executive CN (Chief Nurse)" has said it already
        return self._add_executive(unique_id(wanted, taken), text.strip())  # titled in the tracker's own words

    def lead(self, given: str) -> str:
        """The executive `import risks --lead` names: found as `executive` finds one, else added with that id."""
        given = given.strip()
        if not given:
            raise StratctlError("--lead cannot be empty: give an executive's id, e.g. --lead CEO")
        known = any(
            _norm(given) in (_norm(str(item.get("id"))), _norm(str(item.get("title"))))
            for item in self._list("executives")
        )
        if is_valid_id(given) and not known:
            return self._add_executive(given, given)  # --lead CEO means the id CEO, not initials made from it
        return self.executive(given)

    def _add_executive(self, new_id: str, title: str) -> str:
        self._append("executives", CommentedMap([("id", new_id), ("title", scalar(title))]))
        message = f"trust.yaml: new executive {new_id} ({title})"
        if _ACRONYM.fullmatch(title):  # "CSATO" as a title tells the reader of the Board paper nothing
            example = COMMON_TITLES.get(title)
            message += ": give its full title in trust.yaml" + (f" (e.g. {example})" if example else "")
        self.plan.messages.append(message)
        return new_id

    def drop_examples(self) -> list[str]:
        """Remove the example entries `init` wrote (those still as written); returns what was removed."""
        from stratctl.authoring.starter import EXAMPLE_ENTRIES

        removed = []
        for key, (entry_id, title) in EXAMPLE_ENTRIES.items():
            items = self._list(key)
            for index in reversed(range(len(items))):
                item = items[index]
                if isinstance(item, dict) and str(item.get("id")) == entry_id and str(item.get("title")) == title:
                    del items[index]
                    removed.append(f"{key.replace('_', ' ')} {entry_id}")
            if not items:  # an emptied block list would dump as invalid YAML under its key's comment
                empty = CommentedSeq()
                empty.fa.set_flow_style()
                self.tree[key] = empty
        return removed

    def pending_links(self) -> dict[str, list[str]]:
        """Risks a tracker cited for each priority before they were imported (noted at the end of trust.yaml)."""
        text = self.source.text
        if PENDING_LINKS not in text:
            return {}
        found: dict[str, list[str]] = {}
        for line in text[text.index(PENDING_LINKS) + len(PENDING_LINKS) :].splitlines():
            match = _PENDING_LINE.fullmatch(line.strip())
            if match:
                found[match["priority"]] = match["risks"].split()
        return found

    def priority(
        self, title: str, statement: str, risks: tuple[str, ...], known_risks: set[str], year: FinancialYear
    ) -> str:
        for item in self._list("priorities"):
            if _norm(str(item.get("title"))) == _norm(title) or _norm(str(item.get("id"))) == _norm(title):
                self.link_risks(item, risks, known_risks)
                return str(item["id"])
        new_id = unique_id(slug(title, 6), {str(item.get("id")) for item in self._list("priorities")})
        entry = CommentedMap([("id", new_id), ("title", scalar(title))])
        if statement:
            entry["statement"] = scalar(statement)
        entry["year"] = str(year)  # a tracker's priorities are that year's
        self._append("priorities", entry)
        self.plan.messages.append(f"trust.yaml: new priority {new_id} ({title})")
        self.link_risks(entry, risks, known_risks)
        return new_id

    def link_risks(self, item: CommentedMap, risks: Iterable[str], known_risks: set[str]) -> None:
        """Cite `risks` from the priority: those imported now, the rest noted until `import risks` links them."""
        listed = [str(r) for r in (item.get("risks") or [])]
        adding = [r for r in dict.fromkeys(risks) if r in known_risks and r not in listed]
        if adding:
            if not isinstance(item.get("risks"), list):
                item["risks"] = CommentedSeq()
                item["risks"].fa.set_flow_style()
            item["risks"].extend(adding)
            self.plan.messages.append(f"trust.yaml: priority {item['id']} now cites risks {', '.join(adding)}")
        missing = [r for r in dict.fromkeys(risks) if r not in known_risks and r not in listed]
        priority = str(item["id"])
        if missing:
            already = self.pending.get(priority, [])
            newly = [r for r in missing if r not in already]
            self.pending[priority] = [*already, *newly]
            if newly:  # said once, not again for every row under the priority
                self.plan.messages.append(
                    f"trust.yaml: priority {priority} cites risks {', '.join(newly)} not yet in data/risks; "
                    "noted at the end of trust.yaml, and linked when stratctl import risks brings them in"
                )
        elif priority in self.pending:
            self.pending[priority] = [r for r in self.pending[priority] if r not in known_risks]
            if not self.pending[priority]:
                del self.pending[priority]

    def text(self, pending: dict[str, list[str]] | None = None) -> str | None:
        """trust.yaml as changed, with the note of risks still to link (or without it, once linked)."""
        text = dump(self.source, self.tree)
        newline = self.source.newline
        marker = PENDING_LINKS.replace("\n", newline)
        if marker in text:  # the old note: dropped, then written again below if anything is still pending
            text = text[: text.index(marker)].rstrip() + newline
        if pending:
            lines = [marker, *(f"#   {priority}: {' '.join(risks)}" for priority, risks in pending.items())]
            text = text.rstrip() + newline + newline.join(lines) + newline
        return text if text != original(self.source) else None


def plan_tracker(
    writes: WritePlan, tracker: Tracker, quarter: str | None, year: str | None, replace: bool
) -> ImportPlan:
    plan = ImportPlan(writes, problems=list(tracker.problems))
    data_dir = writes.workspace.data_dir
    repository = writes.loaded.repository
    if repository.trust is None:
        raise StratctlError("trust.yaml could not be read: run stratctl validate and fix it first")
    try:
        fy = FinancialYear.parse(year) if year else (tracker.year or repository.trust.record.year)
    except PeriodError as error:
        raise StratctlError(str(error)) from None
    trust = _TrustEditor(plan)
    examples = _replace_examples(plan, trust)
    objectives = [o for o in repository.objectives if o.file.path not in writes.removed]
    known_risks = repository.ids("risk") - {p.stem for p in writes.removed if p.parent.name == "risks"}
    _settle_year(plan, trust, fy, fresh=not objectives, explicit=year is not None)
    trust.strategic_objectives(tracker.strategic_objectives)
    undated = [row.row for row in tracker.rows if row.progress and not row.quarter]
    try:
        given = parse_quarter(quarter, fy) if quarter is not None else None
    except PeriodError as error:
        raise StratctlError(f"--quarter {quarter!r}: {error}") from None
    if undated and given is None:  # one message, not one a row
        raise StratctlError(
            f"give --quarter (for example --quarter Q3): the tracker does not say which quarter its "
            f"{len(undated)} progress update(s) are for; nothing was written"
        )
    by_id = {o.record.id: o for o in objectives}
    # A row updates the objective of that title active in the tracker's year; last year's is history.
    by_title = {_norm(o.record.title): o for o in objectives if o.record.active_in(fy)}
    taken = set(by_id)
    rows_under: dict[str, int] = {}  # priority id -> the tracker rows read under it so far
    for row in tracker.rows:
        try:
            when = Quarter.parse(row.quarter) if row.quarter else given
        except PeriodError as error:
            plan.problems.append(Problem(row.row, str(error)))
            continue
        lead = trust.executive(row.executive)
        priority = trust.priority(row.priority_title, row.priority_statement, row.priority_risks, known_risks, fy)
        order = rows_under.get(priority, 0)  # its place among the priority's rows: the order the Board knows
        rows_under[priority] = order + 1
        existing = by_id.get(row.id or "") or by_title.get(_norm(row.title))
        change = (
            ObjectiveChange(when, row.progress, row.comment or None, row.position, row.rationale)
            if row.progress and when
            else None
        )
        if existing is not None:
            path = existing.file.path
            source = writes.source(path)
            tree = load(source)
            notes = []
            if row.due is not None and str(tree.get("due")) != row.due.isoformat():
                tree["due"] = row.due
                notes.append(f"target date now {row.due.isoformat()}")
            if change is not None:
                same = _same_update(existing.record, change)
                if same is None or (same is False and replace):
                    notes.append(apply_objective_change(tree, change, replace=True))
                elif same is False:
                    plan.problems.append(
                        Problem(row.row, f"{existing.record.id} already has a different {when} update: use --replace")
                    )
            text = dump(source, tree)
            if text != original(source):
                writes.put(path, text)
                plan.origins[path] = row.row
                plan.messages.append(f"{path.name}: " + "; ".join(notes))
            continue
        base = slug(row.title)
        if base in by_id and not by_id[base].record.active_in(fy):  # last year's objective of that title keeps its id
            base = f"{base}-{fy.start}-{(fy.start + 1) % 100:02d}"
        new_id = unique_id(base, taken)
        taken.add(new_id)
        text = (
            f"id: {quoted(new_id)}\ntitle: {quoted(row.title)}\nyear: {fy}\npriority: {quoted(priority)}\norder: {order}\n"
            f"lead: {quoted(lead)}\n" + (f"due: {row.due.isoformat()}\n" if row.due is not None else "")
        )
        if change is not None:
            tree = load(source_text(text))
            apply_objective_change(tree, change, replace=False)
            text = dump(NEW_FILE, tree)
        path = data_dir / "objectives" / f"{new_id}.yaml"
        _refuse_to_replace(path, row.row)
        writes.put(path, text)
        plan.origins[path] = row.row
        by_title[_norm(row.title)] = None  # type: ignore[assignment]  # a repeated title in one file is a new row
        plan.messages.append(f"{path.name}: new objective from row {row.row}")
    return _finish(plan, trust, examples)


def _finish(plan: ImportPlan, trust: _TrustEditor, examples: list[str]) -> ImportPlan:
    """trust.yaml as the import leaves it, what it replaced, and the errors that would stop the write."""
    trust_text = trust.text(trust.pending)
    if trust_text is not None:
        plan.writes.put(trust.path, trust_text)
    if examples:
        plan.messages.append(f"replaced the examples stratctl init wrote: {', '.join(examples)}")
    _check(plan)
    return plan


def _replace_examples(plan: ImportPlan, trust: _TrustEditor) -> list[str]:
    """An import into a repository that still holds init's example records replaces them."""
    from stratctl.authoring.starter import EXAMPLE_FILES, EXAMPLE_MARKER

    root = plan.writes.workspace.root
    removed = []
    for relative in EXAMPLE_FILES:
        path = root / relative
        if path.is_file() and EXAMPLE_MARKER in path.read_text(encoding="utf-8", errors="replace"):
            plan.writes.remove(path)
            removed.append(relative.removeprefix("data/"))
    if removed:
        removed.extend(f"trust.yaml {entry}" for entry in trust.drop_examples())
    return removed


def _settle_year(plan: ImportPlan, trust: _TrustEditor, year: FinancialYear, *, fresh: bool, explicit: bool) -> None:
    """A first import sets trust.yaml's year to the tracker's; a later one says plainly when they differ."""
    current = FinancialYear.parse(str(trust.tree.get("year")))
    if current == year:
        return
    if fresh:
        trust.tree["year"] = str(year)
        plan.messages.append(
            f"trust.yaml: year {current} -> {year}, the tracker's year (the repository had no objectives yet)"
        )
    else:
        plan.notes.append(
            f"the tracker is for {year} but trust.yaml's year is {current}: its objectives are filed under {year}; "
            f"run stratctl rollover --to {year} if the year has turned"
            if year > current and not explicit
            else f"the tracker is for {year} but trust.yaml's year is {current}: its objectives are filed under {year}"
        )


def _refuse_to_replace(path: Path, row: int) -> None:
    """A new record never goes over a file already there: one the import could not read as the record it meant."""
    for existing in (path, path.with_suffix(".yml")):
        if os.path.lexists(existing):
            raise StratctlError(
                f"row {row}: {existing} already exists but could not be read as the record this row would update "
                "(a YAML error, or an id that differs from its file name): fix or rename it, then import again; "
                "nothing was written"
            )


def _same_update(objective: Any, change: ObjectiveChange) -> bool | None:
    """None: no update for the quarter; True: the same one; False: a different one."""
    for update in objective.updates:
        if update.quarter == change.quarter:
            return (
                update.progress == change.progress
                and (update.comment or "").strip() == (change.comment or "").strip()
                and update.projected == change.projected
                and (update.rationale or "").strip() == (change.rationale or "").strip()
            )
    return None


def plan_risks(
    writes: WritePlan, rows: list[RiskRow], problems: list[Problem], lead: str | None, quarter: str | None = None
) -> ImportPlan:
    """Risks from the risk table; with `quarter`, each rating imported is also that quarter's review."""
    plan = ImportPlan(writes, problems=list(problems))
    data_dir = writes.workspace.data_dir
    repository = writes.loaded.repository
    if repository.trust is None:
        raise StratctlError("trust.yaml could not be read: run stratctl validate and fix it first")
    try:
        when = parse_quarter(quarter, repository.trust.record.year) if quarter is not None else None
    except PeriodError as error:
        raise StratctlError(f"--quarter {quarter!r}: {error}") from None
    trust = _TrustEditor(plan)
    examples = _replace_examples(plan, trust)
    owner: str | None = None  # settled at the first new risk: a table of risks already imported needs no lead
    existing = {r.record.id: r for r in repository.risks if r.file.path not in writes.removed}
    seen: dict[str, int] = {}
    score_alone: list[tuple[str, int]] = []  # risks the import leaves with a score but no likelihood and consequence
    unreviewed: list[str] = []  # risks the import leaves without a review for the latest quarter reported
    latest = repository.latest_quarter()
    for row in rows:
        if row.id in seen:
            raise StratctlError(
                f"rows {seen[row.id]} and {row.row} both give risk {row.id}: keep one; nothing was written"
            )
        seen[row.id] = row.row
        if row.id in existing:
            risk = existing[row.id]
            source = writes.source(risk.file.path)
            tree = load(source)
            changes = []
            rescored = risk.record.current.value != row.current
            if rescored:
                changes.append(f"current score now {row.current}")
            if when is not None:
                review = next((r for r in risk.record.reviews if r.quarter == when), None)
                if review is None or review.current.value != row.current:
                    # An unchanged score keeps the record's likelihood and consequence in its review.
                    rating = Rating(score=row.current) if rescored else risk.record.current
                    changes.append(
                        apply_risk_change(
                            tree, RiskChange(when, rating.score, rating.likelihood, rating.consequence), replace=True
                        )
                    )
            elif rescored:
                tree["current"] = _rating(row.current)
            if risk.record.target.value != row.target:
                tree["target"] = _rating(row.target)
                changes.append(f"target score now {row.target}")
            text = dump(source, tree)
            if text != original(source):
                writes.put(risk.file.path, text)
                plan.origins[risk.file.path] = row.row
                plan.messages.append(f"{risk.file.path.name}: " + "; ".join(changes))
            after = Rating(score=row.current) if rescored else risk.record.current
            if after.likelihood is None or after.consequence is None:
                score_alone.append((row.id, row.current))
            if latest is not None and when != latest and not any(r.quarter >= latest for r in risk.record.reviews):
                unreviewed.append(row.id)
            continue
        title = row.title or _derived_title(row.description)
        owner = owner or _new_risks_lead(trust, lead)
        text = (
            f"id: {quoted(row.id)}\n"
            + ("" if row.title else "# title derived from the description; edit it\n")
            + f"title: {quoted(title)}\ndescription: {quoted(row.description)}\n"
            + ("" if lead else f"# lead: not in the risk table; {owner} is a placeholder\n")
            + f"lead: {quoted(owner)}\nthreatens: []  # the strategic objectives it threatens\n"
            + f"current: {{score: {row.current}}}\ntarget: {{score: {row.target}}}\n"
            + (f"reviews:\n  - quarter: {when}\n    current: {{score: {row.current}}}\n" if when is not None else "")
        )
        path = data_dir / "risks" / f"{row.id}.yaml"
        _refuse_to_replace(path, row.row)
        writes.put(path, text)
        plan.origins[path] = row.row
        plan.messages.append(
            f"{path.name}: new risk from row {row.row}" + (f", reviewed {when}" if when is not None else "")
        )
        score_alone.append((row.id, row.current))
        if latest is not None and (when is None or when < latest):
            unreviewed.append(row.id)
    imported = set(existing) | set(seen)
    for priority, risks in list(trust.pending.items()):  # risks a tracker cited before they were imported
        item = next((p for p in trust._list("priorities") if str(p.get("id")) == priority), None)
        if item is not None:
            trust.link_risks(item, risks, imported)
        else:
            del trust.pending[priority]
    if when is None and latest is not None and unreviewed:
        year = repository.trust.record.year
        plan.notes.append(
            f"the objectives report {latest}, and {_count(unreviewed, 'risk')} ({_listed(unreviewed)}) "
            f"{'has' if len(unreviewed) == 1 else 'have'} no review for it: import again with {_quarter_option(latest, year)} "
            "to record the table's ratings as that quarter's reviews (validate warns of each, K008)"
        )
    if score_alone:
        risk_id, score = score_alone[0]
        likelihood, consequence = _factors(score)
        reviewed = when or latest
        at = _quarter_option(reviewed, repository.trust.record.year) if reviewed is not None else "--quarter QUARTER"
        if when is not None or (
            risk_id in existing and any(r.quarter == reviewed for r in existing[risk_id].record.reviews)
        ):
            at += " --replace"  # the quarter's review is there already: the update rewrites it
        plan.notes.append(
            f"the heat map places only risks with a likelihood and consequence, and {_count([r for r, _ in score_alone], 'risk')} "
            f"({_listed([r for r, _ in score_alone])}) {'has' if len(score_alone) == 1 else 'have'} a score alone: "
            f"give them in the risk's file (e.g. `current: {{likelihood: {likelihood}, consequence: {consequence}}}`) "
            f"or with `stratctl update {risk_id} {at} --likelihood {likelihood} --consequence {consequence}`"
        )
    return _finish(plan, trust, examples)


def _quarter_option(quarter: Quarter, trust_year: FinancialYear) -> str:
    """`--quarter Q3` in trust.yaml's year, else the quarter in full, as the commands read it."""
    return f"--quarter Q{quarter.number}" if quarter.year == trust_year else f'--quarter "{quarter}"'


def _count(items: list[str], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _listed(ids: list[str], shown: int = 5) -> str:
    """A few ids, not a screenful: `103343, 103344, ... and 9 more`."""
    return ", ".join(ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


def _factors(score: int) -> tuple[int, int]:
    """A likelihood and consequence that give `score` (15 -> 3, 5), the closest pair; (3, 5) when none does."""
    pairs = [
        (likelihood, score // likelihood)
        for likelihood in range(1, 6)
        if score % likelihood == 0 and likelihood <= score // likelihood <= 5
    ]
    return pairs[-1] if pairs else (3, 5)


def _new_risks_lead(trust: _TrustEditor, lead: str | None) -> str:
    """--lead (added to trust.yaml if new), else trust.yaml's first executive as a placeholder."""
    if lead is not None:
        return trust.lead(lead)
    executives = [str(item.get("id")) for item in trust._list("executives")]
    if not executives:
        raise StratctlError(
            "trust.yaml lists no executives, so the new risks have no lead: give --lead ID (e.g. --lead CEO), "
            "which is added to trust.yaml's executives, or import the tracker first (stratctl import tracker "
            "FILE --quarter Q3), which adds the executives it names; nothing was written"
        )
    return executives[0]


def _rating(score: int) -> CommentedMap:
    rating = CommentedMap([("score", score)])
    rating.fa.set_flow_style()
    return rating


def _derived_title(description: str, words: int = 8) -> str:
    tokens = description.split()
    return " ".join(tokens[:words]) + ("…" if len(tokens) > words else "")


def _check(plan: ImportPlan) -> None:
    """The errors the import would leave in the records it writes: any one stops every write."""
    plan.findings = plan.writes.errors()
