"""Rules about references between records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from stratctl.findings import Finding, Loc, Severity
from stratctl.repository import RecordFile, Repository
from stratctl.rules.registry import rule
from stratctl.rules.suggest import did_you_mean


@rule("R001", "unknown-reference", Severity.ERROR)
def unknown_reference(repo: Repository) -> Iterator[Finding]:
    """Every reference names something that exists.

    Checked: an objective's priority, supports, lead, risks and delivers; a
    risk's lead, threatens and appetite; a strategy's lead and supports; a
    priority's risks. Executives, priorities and strategic objectives are
    defined in trust.yaml; risks and strategies by their files.

    Bad:
        lead: CPOO
    Good:
        lead: CPO
    """
    if repo.trust is None:
        return  # without trust.yaml there is nothing to check names against
    trust = repo.trust.record
    executives = {e.id for e in trust.executives}
    priorities = {p.id for p in trust.priorities}
    strategic = {s.id for s in trust.strategic_objectives}
    risks = repo.ids("risk")
    commitments = {
        f"{s.record.id}.{c.id}" for s in repo.strategies for c in s.record.commitments
    }
    broken_strategies = repo.unreadable["strategy"]

    def check(file: RecordFile, loc: Loc, value: str, known: set[str], what: str) -> Iterator[Finding]:
        if value not in known:
            yield unknown_reference.finding(
                file, f"unknown {what} {value!r}{did_you_mean(value, known)}", loc=loc
            )

    def check_all(file: RecordFile, field: str, values: Iterable[str], known: set[str], what: str) -> Iterator[Finding]:
        for index, value in enumerate(values):
            yield from check(file, (field, index), value, known, what)

    for index, priority in enumerate(trust.priorities):
        for r, risk_id in enumerate(priority.risks):
            yield from check(repo.trust.file, ("priorities", index, "risks", r), risk_id, risks, "risk")

    for loaded in repo.objectives:
        o, f = loaded.record, loaded.file
        yield from check(f, ("priority",), o.priority, priorities, "priority")
        yield from check_all(f, "supports", o.supports, strategic, "strategic objective")
        yield from check(f, ("lead",), o.lead, executives, "executive")
        yield from check_all(f, "risks", o.risks, risks, "risk")
        for index, ref in enumerate(o.delivers):
            if ref in commitments or ref.split(".", 1)[0] in broken_strategies:
                continue
            if "." not in ref:
                message = f"delivers {ref!r} must name <strategy>.<commitment>, e.g. digital.cyber-security-plan"
            else:
                message = f"unknown commitment {ref!r}{did_you_mean(ref, commitments)}"
            yield unknown_reference.finding(f, message, loc=("delivers", index))

    for loaded_risk in repo.risks:
        r, f = loaded_risk.record, loaded_risk.file
        yield from check(f, ("lead",), r.lead, executives, "executive")
        yield from check_all(f, "threatens", r.threatens, strategic, "strategic objective")
        if r.appetite is not None:
            yield from check(f, ("appetite",), r.appetite, set(trust.risk_appetite), "risk appetite level (trust.yaml risk_appetite)")

    for loaded_strategy in repo.strategies:
        s, f = loaded_strategy.record, loaded_strategy.file
        yield from check(f, ("lead",), s.lead, executives, "executive")
        yield from check_all(f, "supports", s.supports, strategic, "strategic objective")
