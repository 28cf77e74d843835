"""Rules about references between records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from stratctl.findings import Finding, Severity
from stratctl.kinds import folder_kinds
from stratctl.records.introspect import references
from stratctl.repository import Repository
from stratctl.rules.registry import rule
from stratctl.suggest import did_you_mean


@dataclass(frozen=True, slots=True)
class _Names:
    """What a reference in one namespace may name, and the words for it."""

    known: set[str]
    what: str
    titles: dict[str, str] | None = None
    """Each name's title (an executive's), by the title in lower case: people write the title for the id."""
    listed_as: str = ""
    """The names in the plural (`executives`), for a namespace whose names are listed when none is near."""

    def unknown(self, value: str) -> str:
        """Why `value` names nothing: the name a title belongs to, the nearest name, or the names there are."""
        if self.titles is not None:
            owner = self.titles.get(" ".join(value.split()).lower())
            if owner is not None:
                return f"{value!r} is the title of executive {owner!r}: write the id, {owner}"
        listed = ""
        if self.listed_as and 0 < len(self.known) <= _LISTED:
            listed = f" ({self.listed_as}: {', '.join(sorted(self.known))})"
        return f"unknown {self.what} {value!r}{did_you_mean(value, self.known)}{listed}"


_LISTED = 12
"""Up to this many names are listed when none is near the one given: a short list helps, a long one buries."""


def _namespaces(repo: Repository) -> dict[str, _Names]:
    """Every namespace a record may refer into: the lists of trust.yaml and each kind's files.

    A namespace missing here is not checked: a committee, for instance, is free text until
    trust.yaml lists the committees.
    """
    assert repo.trust is not None
    trust = repo.trust.record
    names = {kind.name: _Names(repo.ids(kind.name), kind.name) for kind in folder_kinds()}
    names.update(
        {
            "executive": _Names(
                {e.id for e in trust.executives},
                "executive",
                {" ".join(e.title.split()).lower(): e.id for e in trust.executives if e.title},
                "executives",
            ),
            "priority": _Names({p.id for p in trust.priorities}, "priority", listed_as="priorities"),
            "strategic_objective": _Names(
                {s.id for s in trust.strategic_objectives}, "strategic objective", listed_as="strategic objectives"
            ),
            "risk": _Names(repo.ids("risk"), "risk"),
            "appetite": _Names(set(trust.risk_appetite), "risk appetite level (trust.yaml risk_appetite)"),
            "commitment": _Names(
                {f"{s.record.id}.{c.id}" for s in repo.strategies for c in s.record.commitments}, "commitment"
            ),
            "theme": _Names({t.id for t in trust.themes}, "theme", listed_as="themes"),
        }
    )
    if trust.committees:  # without the list, a committee is free text, as trusts first wrote it
        names["committee"] = _Names({c.id for c in trust.committees}, "committee (trust.yaml committees)")
    return names


@rule("R001", "unknown-reference", Severity.ERROR)
def unknown_reference(repo: Repository) -> Iterator[Finding]:
    """Every reference names something that exists.

    Checked: an objective's priority, supports, lead, risks, delivers, committee and
    carried_from; a risk's lead, threatens, appetite, committee and its actions' owners; a
    strategy's lead and supports; a priority's risks; a strategic objective's theme and lead; the
    cover sheet's presenter (trust.yaml `report.presenter`).
    Executives, priorities, themes, committees and strategic objectives are defined in
    trust.yaml; objectives, risks and strategies by their files. A committee is checked once
    trust.yaml lists `committees`; before that it is free text.

    Bad:
        lead: CPOO
    Good:
        lead: CPO
    """
    if repo.trust is None:
        return  # without trust.yaml there is nothing to check names against
    namespaces = _namespaces(repo)
    broken_strategies = repo.unreadable.get("strategy", set())
    loaded_records = [repo.trust, *(item for records in repo.records.values() for item in records)]
    for loaded in loaded_records:
        for reference in references(loaded.record):
            names = namespaces.get(reference.namespace)
            if names is None or reference.value in names.known:
                continue
            value = reference.value
            if reference.namespace == "commitment":
                if value.split(".", 1)[0] in broken_strategies:
                    continue  # the strategy's file has its own finding; the commitment may well be there
                if "." not in value:
                    message = f"delivers {value!r} must name <strategy>.<commitment>, e.g. digital.cyber-security-plan"
                    yield unknown_reference.finding(loaded.file, message, loc=reference.loc)
                    continue
            yield unknown_reference.finding(loaded.file, names.unknown(value), loc=reference.loc)
