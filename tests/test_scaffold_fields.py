"""A new record's scaffold is built from its model's fields: a field added to the model appears in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field
from ruamel.yaml import YAML

from stratctl.authoring.scaffold import scaffold_text
from stratctl.kinds import KINDS, NewRecord, RecordKind
from stratctl.kinds import objective as objective_kind
from stratctl.records import Objective, Trust
from stratctl.records.fields import ExecutiveRef
from tests.conftest import PROJECT


@pytest.fixture
def trust() -> Trust:
    data = YAML(typ="safe").load(Path(PROJECT / "data" / "trust.yaml").read_text(encoding="utf-8"))
    return Trust.model_validate(data)


class ObjectiveWithMore(Objective):
    """A scratch copy of the model with two fields the objective scaffold does not know."""

    sponsor: ExecutiveRef  # required, and an executive: filled in with the lead
    partners: list[str] = Field(default_factory=list)  # optional: a comment names it


def test_a_field_added_to_the_model_appears_in_the_scaffold(trust: Trust, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        KINDS,
        "objective",
        RecordKind("objective", ObjectiveWithMore, folder="objectives", scaffold=objective_kind.scaffold),
    )
    text = scaffold_text(NewRecord("objective", "obj", "Cut waits", lead="COO"), trust)
    lines = text.splitlines()
    assert "sponsor: COO" in lines
    assert "# partners:  # optional" in lines
    # In the model's order: after the fields the objective scaffold writes itself.
    assert lines.index("sponsor: COO") > next(i for i, line in enumerate(lines) if line.startswith("updates: []"))
    record = ObjectiveWithMore.model_validate(YAML(typ="safe").load(text))
    assert record.sponsor == "COO" and record.partners == []


def test_a_scaffold_that_names_a_field_its_model_lacks_is_refused(
    trust: Trust, monkeypatch: pytest.MonkeyPatch
) -> None:
    def scaffold(request: NewRecord, trust: Trust) -> dict[str, str]:
        return {**objective_kind.scaffold(request, trust), "sponsr": "sponsr: COO\n"}

    monkeypatch.setitem(KINDS, "objective", RecordKind("objective", Objective, folder="objectives", scaffold=scaffold))
    with pytest.raises(RuntimeError, match="sponsr"):
        scaffold_text(NewRecord("objective", "obj", "Cut waits"), trust)
