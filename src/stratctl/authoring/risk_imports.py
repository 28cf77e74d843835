"""`import risks`: a trust's risk table (the tracker's, or a BAF summary) into risk records, validated
before anything is written.

A new risk takes every part of its BAF entry the table gives: title, description, lead, committee,
the strategic objectives it threatens, appetite, its inherent, current and target ratings, controls,
gaps, assurances and actions. Nothing the table does not give is invented: a risk without a lead is
written without one (validate warns until the trust names it, P009), and a title is made from the
description only where the table has none, and said so in the file and in the import's notes. A risk
already in the repository takes what the table gives that differs from it, so importing a table
twice, or importing stratctl's own export, changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from stratctl.authoring.imports import ImportPlan, TrustSettings, _finish, _refuse_to_replace, _replace_examples
from stratctl.authoring.plan import WritePlan
from stratctl.authoring.trust_editor import TrustEditor, normalised
from stratctl.authoring.update import RiskChange, apply_risk_change
from stratctl.errors import StratctlError
from stratctl.periods import FinancialYear, PeriodError, Quarter, parse_quarter
from stratctl.records import Rating, Risk
from stratctl.records.risk import Action, Assurance
from stratctl.repository import Loaded
from stratctl.rewrite import dump, load, original
from stratctl.risk_table import RatingCells, RiskRow, RiskTable, derived_title
from stratctl.yamltext import block_list, flow, quoted, scalar

__all__ = ["plan_risks"]


def plan_risks(
    writes: WritePlan,
    table: RiskTable,
    lead: str | None,
    quarter: str | None = None,
    settings: TrustSettings | None = None,
) -> ImportPlan:
    """Risks from the risk table; with `quarter`, each rating imported is also that quarter's review."""
    settings = settings or TrustSettings()
    plan = ImportPlan(writes, problems=list(table.problems))
    repository = writes.loaded.repository
    year = repository.trust_record().year
    if quarter is None and table.quarter is not None:
        quarter = str(table.quarter)
        plan.notes.append(
            f"the ratings are the {quarter} reviews, as the table's heading says (--quarter gives another)"
        )
    try:
        when = parse_quarter(quarter, year) if quarter is not None else None
    except PeriodError as error:
        raise StratctlError(f"--quarter {quarter!r}: {error}") from None
    trust = TrustEditor(writes, plan.messages)
    examples = _replace_examples(plan, trust)
    trust.given_executives(settings.executives)
    risks = _RiskRows(plan, trust, lead, when)
    for row in table.rows:
        risks.read(row)
    trust.link_pending(set(risks.existing) | set(risks.seen))  # risks a tracker cited before they were imported
    trust.cover(settings.cover)
    risks.advise(year, table)
    return _finish(plan, trust, examples)


class _RiskRows:
    """The risk table's rows read one by one into the plan: each updates its risk, or makes a new one."""

    def __init__(self, plan: ImportPlan, trust: TrustEditor, lead: str | None, when: Quarter | None) -> None:
        writes = plan.writes
        repository = writes.loaded.repository
        self.plan, self.trust, self.given_lead, self.when = plan, trust, lead, when
        self.lead: str | None = None  # --lead, found in trust.yaml (or added) at the first new risk that needs it
        self.existing = {r.record.id: r for r in repository.risks if r.file.path not in writes.removed}
        self.seen: dict[str, int] = {}
        self.score_alone: list[tuple[str, int]] = []  # risks left with a score but no likelihood and consequence
        self.unreviewed: list[str] = []  # risks left without a review for the latest quarter reported
        self.titled: list[str] = []  # new risks whose title was made from the description
        self.leaderless: list[str] = []  # new risks the table gives no lead for
        self.latest = repository.latest_quarter()

    def read(self, row: RiskRow) -> None:
        if row.id in self.seen:
            raise StratctlError(
                f"rows {self.seen[row.id]} and {row.row} both give risk {row.id}: keep one; nothing was written"
            )
        self.seen[row.id] = row.row
        self.plan.notes.extend(f"row {row.row}: risk {row.id}: {note}" for note in row.notes)
        if row.id in self.existing:
            self._update(self.existing[row.id], row)
        else:
            self._create(row)

    def _fields(self, row: RiskRow) -> dict[str, object]:
        """What the row gives, as the record's fields (only those the table fills in for this row)."""
        fields: dict[str, object] = {
            name: getattr(row, name) for name in ("title", "description") if getattr(row, name)
        }
        fields |= self._named_in_trust_yaml(row)
        for stage in ("inherent", "target"):
            rating = getattr(row, stage)
            if rating is not None:
                fields[stage] = rating.as_fields()
        if row.target_date is not None:
            fields["target_date"] = row.target_date
        fields |= {
            name: list(getattr(row, name)) for name in ("controls", "gaps", "assurance_gaps") if getattr(row, name)
        }
        if row.assurances:
            fields["assurances"] = [
                {k: v for k, v in (("line", a.line), ("source", a.source), ("rating", a.rating)) if v is not None}
                for a in row.assurances
            ]
        if row.actions:
            owners = [self.trust.executive(a.owner) if a.owner else None for a in row.actions]
            fields["actions"] = [
                {
                    k: v
                    for k, v in (("title", a.title), ("owner", owner), ("due", a.due), ("done", a.done))
                    if v is not None
                }
                for a, owner in zip(row.actions, owners, strict=True)
            ]
        return fields

    def _named_in_trust_yaml(self, row: RiskRow) -> dict[str, object]:
        """The fields that name something trust.yaml lists: the lead, committees, strategic objectives, appetite."""
        fields: dict[str, object] = {}
        if row.lead:
            fields["lead"] = self.trust.executive(row.lead, row.lead_title)
        if row.committees:
            committees = [self.trust.committee(name) for name in row.committees]
            fields["committee"] = committees[0] if len(committees) == 1 else committees
        if row.threatens:
            threatened, unknown = self.trust.strategic_objective_ids(row.threatens)
            if threatened:
                fields["threatens"] = threatened
            if unknown:
                self.plan.notes.append(
                    f"row {row.row}: risk {row.id}: {', '.join(repr(u) for u in unknown)} "
                    f"{'is' if len(unknown) == 1 else 'are'} not a strategic objective in trust.yaml: not linked"
                )
        if row.appetite:
            level = self.trust.appetite(row.appetite)
            if level is None:
                self.plan.notes.append(
                    f"row {row.row}: risk {row.id}: appetite {row.appetite!r} is not a level of trust.yaml's "
                    "risk_appetite (give it with its score, e.g. 'Cautious (12)'): not imported"
                )
            else:
                fields["appetite"] = level
        return fields

    def _update(self, risk: Loaded[Risk], row: RiskRow) -> None:
        """The row's ratings written into the risk it names (and its review for --quarter), and what else
        the table gives that differs from the record."""
        writes, when, latest, record = self.plan.writes, self.when, self.latest, risk.record
        source = writes.source(risk.file.path)
        tree = load(source)
        changes = []
        current = _kept(record.current, row.current)
        rescored = current is None
        if rescored:
            changes.append(f"current score now {_said(row.current)}")
        if when is not None:
            review = next((r for r in record.reviews if r.quarter == when), None)
            rating = _as_rating(row.current) if rescored else record.current
            if review is None or _kept(review.current, row.current) is None:
                # An unchanged score keeps the record's likelihood and consequence in its review.
                both = rating.likelihood is not None and rating.consequence is not None
                changes.append(
                    apply_risk_change(
                        tree,
                        RiskChange(when, None if both else rating.value, rating.likelihood, rating.consequence),
                        replace=True,
                    )
                )
        elif rescored:
            tree["current"] = _flow_map(row.current.as_fields())
        for name, value in self._fields(row).items():
            cells: RatingCells | None = getattr(row, name) if name in ("inherent", "target") else None
            held: Rating | None = getattr(record, name) if cells is not None else None
            if cells is not None and held is not None and _kept(held, cells):
                continue  # the same score: a table's score alone keeps the record's likelihood and consequence
            if _differs(name, getattr(record, name), value):
                if name == "actions":
                    value = _keeping_untabled(record.actions, value)
                tree[name] = _tree_value(value)
                changes.append(_change_words(name, value))
        text = dump(source, tree)
        if text != original(source):
            writes.put(risk.file.path, text)
            self.plan.origins[risk.file.path] = row.row
            self.plan.messages.append(f"{risk.file.path.name}: " + "; ".join(changes))
        after = _as_rating(row.current) if rescored else record.current
        if after.likelihood is None or after.consequence is None:
            self.score_alone.append((row.id, row.current.value or 0))
        if latest is not None and when != latest and not any(r.quarter >= latest for r in record.reviews):
            self.unreviewed.append(row.id)

    def _create(self, row: RiskRow) -> None:
        """A new risk from the row, reviewed in --quarter if given."""
        when = self.when
        fields = self._fields(row)
        title = row.title or derived_title(row.description or row.id)
        if not row.title:
            self.titled.append(row.id)
        lead = fields.pop("lead", None)
        if lead is None and self.given_lead is not None:
            lead = self.lead = self.lead or self.trust.lead(self.given_lead)
        if lead is None:
            self.leaderless.append(row.id)
        fields.pop("title", None)
        current = row.current.as_fields()
        text = f"id: {quoted(row.id)}\n"
        if not row.title:
            text += "# title made from the description: the risk table gives none; give the BAF's own title here\n"
        text += f"title: {quoted(title)}\n"
        text += "".join(_field_text(name, fields.pop(name)) for name in ("description",) if name in fields)
        text += (
            f"lead: {quoted(str(lead))}\n"
            if lead is not None
            else "# lead: the risk table names none: give the executive who leads it (validate warns until then)\n"
        )
        text += "".join(_field_text(name, fields.pop(name)) for name in ("committee",) if name in fields)
        threatens = fields.pop("threatens", None)
        text += (
            f"threatens: {flow(threatens)}\n"
            if threatens
            else "threatens: []  # the strategic objectives it threatens\n"
        )
        text += "".join(_field_text(name, fields.pop(name)) for name in ("appetite", "inherent") if name in fields)
        text += f"current: {flow(current)}\n"
        text += "".join(
            _field_text(name, fields.pop(name))
            for name in ("target", "target_date", "controls", "gaps", "assurance_gaps", "assurances", "actions")
            if name in fields
        )
        if when is not None:
            text += f"reviews:\n  - quarter: {when}\n    current: {flow(current)}\n"
        path = self.plan.writes.workspace.data_dir / "risks" / f"{row.id}.yaml"
        _refuse_to_replace(path, row.row)
        self.plan.writes.put(path, text)
        self.plan.origins[path] = row.row
        self.plan.messages.append(
            f"{path.name}: new risk from row {row.row}" + (f", reviewed {when}" if when is not None else "")
        )
        if row.current.likelihood is None or row.current.consequence is None:
            self.score_alone.append((row.id, row.current.value or 0))
        if self.latest is not None and (when is None or when < self.latest):
            self.unreviewed.append(row.id)

    def advise(self, year: FinancialYear, table: RiskTable) -> None:
        """What the import leaves undone: titles and leads to give, reviews for the latest quarter
        reported, and risks scored alone."""
        when, latest, unreviewed, score_alone = self.when, self.latest, self.unreviewed, self.score_alone
        if self.titled:
            self.plan.notes.append(
                f"the risk table has no title column, so {_count(self.titled, 'new risk')} ({_listed(self.titled)}) "
                f"{'is' if len(self.titled) == 1 else 'are'} titled from the first words of the description, "
                "as each file says: give the BAF's own titles in a 'Title' column and import again, or in each file"
            )
        if self.leaderless:
            self.plan.notes.append(
                f"the risk table names no lead for {_count(self.leaderless, 'new risk')} ({_listed(self.leaderless)}), "
                "and none is invented: the paper says 'Not yet named' and validate warns (P009) until each file "
                "gives one (lead: ID), or import again with a 'Lead' column or --lead ID"
            )
        if when is None and latest is not None and unreviewed:
            self.plan.notes.append(
                f"the objectives report {latest}, and {_count(unreviewed, 'risk')} ({_listed(unreviewed)}) "
                f"{'has' if len(unreviewed) == 1 else 'have'} no review for it: import again with "
                f"{_quarter_option(latest, year)} to record the table's ratings as that quarter's reviews "
                "(validate warns of each, K008)"
            )
        if not score_alone:
            return
        risk_id, score = score_alone[0]
        likelihood, consequence = _factors(score)
        reviewed = when or latest
        at = _quarter_option(reviewed, year) if reviewed is not None else "--quarter QUARTER"
        if when is not None or (
            risk_id in self.existing and any(r.quarter == reviewed for r in self.existing[risk_id].record.reviews)
        ):
            at += " --replace"  # the quarter's review is there already: the update rewrites it
        alone = [r for r, _ in score_alone]
        self.plan.notes.append(
            f"the heat map places only risks with a likelihood and consequence, and {_count(alone, 'risk')} "
            f"({_listed(alone)}) {'has' if len(score_alone) == 1 else 'have'} a score alone: "
            f"give them in the risk table (e.g. a 'Current Likelihood' and a 'Current Consequence' column, or "
            f"'4 x 5' in the score's cell), in the risk's file "
            f"(e.g. `current: {{likelihood: {likelihood}, consequence: {consequence}}}`) "
            f"or with `stratctl update {risk_id} {at} --likelihood {likelihood} --consequence {consequence}`"
        )
        del table


def _as_rating(cells: RatingCells) -> Rating:
    return Rating(**cells.as_fields())


def _kept(record: Rating, table: RatingCells) -> Rating | None:
    """The record's rating when the table's says the same (a score alone keeps the record's likelihood and
    consequence); None when the table's differs."""
    if table.likelihood is not None and table.consequence is not None:
        same = (record.likelihood, record.consequence) == (table.likelihood, table.consequence)
        return record if same and (record.score is None or record.score == table.value) else None
    return record if record.value == table.value else None


def _said(cells: RatingCells) -> str:
    if cells.likelihood is not None and cells.consequence is not None:
        return f"{cells.value} ({cells.likelihood} x {cells.consequence})"
    return str(cells.score)


def _comparable(name: str, value: object) -> object:
    """A field's value as the import compares it with the table's: text with its spaces collapsed, ratings
    by their likelihood, consequence and score, lists item by item."""
    if isinstance(value, Rating):
        return _comparable(name, {k: v for k, v in value.model_dump().items() if v is not None})
    if isinstance(value, dict):
        if name in ("inherent", "target") and {"likelihood", "consequence"} <= set(value):
            value = {k: v for k, v in value.items() if k != "score"}  # the score follows from the two
        return tuple(sorted((k, _comparable(k, v)) for k, v in value.items()))
    if isinstance(value, Assurance):
        return _comparable(name, {k: v for k, v in value.model_dump().items() if v is not None})
    if isinstance(value, Action):  # by what a BAF table gives of an action, and nothing it cannot
        return _comparable(name, {k: v for k, v in value.model_dump().items() if k in TABLED and v is not None})
    if isinstance(value, (list, tuple)):
        return tuple(_comparable(name, v) for v in value)
    if isinstance(value, str):
        return normalised(value)
    if isinstance(value, date):
        return value.isoformat()  # a record's dates may come back from the model as text
    return value


TABLED = frozenset({"title", "owner", "due", "done"})
"""What a BAF table gives of an action; anything else an action holds is the trust's own (`public`)."""


def _keeping_untabled(held: Sequence[Action], actions: object) -> object:
    """The table's actions, each keeping what the record's action of its title holds beyond what a table
    gives (its `public` mark): a BAF table says nothing of those, so importing one never undoes them."""
    kept = {
        normalised(a.title): extra
        for a in held
        if (extra := {k: v for k, v in a.model_dump(exclude_defaults=True).items() if k not in TABLED})
    }
    if not kept or not isinstance(actions, list):
        return actions
    return [{**a, **kept.get(normalised(str(a.get("title", ""))), {})} if isinstance(a, dict) else a for a in actions]


def _differs(name: str, record_value: object, table_value: object) -> bool:
    if name == "committee" and isinstance(record_value, str) and isinstance(table_value, list):
        return True
    return _comparable(name, record_value) != _comparable(name, table_value)


def _flow_map(fields: dict[str, int]) -> CommentedMap:
    rating = CommentedMap(fields)
    rating.fa.set_flow_style()
    return rating


def _tree_value(value: object) -> object:
    """A field's value to put into a record's round-trip tree: ratings in flow style, lists a line an item."""
    if isinstance(value, dict):
        return _flow_map({str(k): int(str(v)) for k, v in value.items()})
    if isinstance(value, list):
        items = CommentedSeq()
        for item in value:
            if isinstance(item, dict):
                entry = CommentedMap((k, scalar(v) if isinstance(v, str) else v) for k, v in item.items())
                items.append(entry)
            else:
                items.append(scalar(str(item)))
        if value and not isinstance(value[0], dict) and all(len(str(v)) < 20 and " " not in str(v) for v in value):
            items.fa.set_flow_style()  # a list of ids (threatens, committees) on one line, as records write them
        return items
    if isinstance(value, str):
        return scalar(value)
    return value


def _field_text(name: str, value: object) -> str:
    """A field of a new risk's file, as the canonical layout writes it."""
    if isinstance(value, dict):
        return f"{name}: {flow(value)}\n"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return block_list(name, value)
        if all(len(str(v)) < 20 and " " not in str(v) for v in value):
            return f"{name}: {flow(value)}\n"
        return f"{name}:\n" + "".join(f"  - {quoted(str(item))}\n" for item in value)
    if isinstance(value, date):
        return f"{name}: {value.isoformat()}\n"
    return f"{name}: {quoted(str(value))}\n"


def _change_words(name: str, value: object) -> str:
    if isinstance(value, list):
        return f"{name.replace('_', ' ')} from the table ({len(value)})"
    if name in ("inherent", "target") and isinstance(value, dict):
        cells = RatingCells(value.get("likelihood"), value.get("consequence"), value.get("score"))
        return f"{name} score now {_said(cells)}"
    return f"{name.replace('_', ' ')} from the table"


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
