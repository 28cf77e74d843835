"""Reading a trust's risk table into rows: the tracker's own table (`103350: description`, current
and target score, as tests/fixtures/trackers/ has it) or a Board Assurance Framework summary with a
column for each part of a BAF entry: title, lead, committee, ratings, controls, gaps, assurances and
actions.

Headings are matched as the tracker import matches its own: each column's heading is read for the
role it plays (`Executive Lead`, `Risk Owner` and `Lead Director` all name the lead), the first
column of a role wins, and a role without a column is said once. Cells are read as trusts write
them: a rating as `20`, `4 x 5`, `L4 x C5 = 20` or `20 (4x5)`; a list as one item a line, with or
without bullets; an assurance with its line of defence (`2nd line: Quality committee`); an action's
owner and date in columns of their own, a line for each action. What cannot be read is reported with
its row number; what is read with a caveat (a date given as a month) is said in the row's notes.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from stratctl.importing import MAX_HEADING, MONTH_NUMBERS, QUARTER_IN_HEADING, YEAR_IN_HEADER, Problem, cell_date
from stratctl.periods import FinancialYear, Quarter
from stratctl.spreadsheet import Table
from stratctl.vocabulary import RISK_HEADINGS

_INHERENT = re.compile(r"\b(?:inherent|initial|original|gross|pre[\s-]*mitigat\w*|unmitigated|uncontrolled)\b", re.I)
_TARGET = re.compile(r"\b(?:target|tolerable|tolerated|planned)\b", re.I)
_CURRENT = re.compile(r"\b(?:current|residual|net|actual|present|controlled)\b", re.I)
_NOT_A_RATING = re.compile(r"\b(?:date|dates|by|when|distance|appetite|movement|trend|direction|band|above)\b", re.I)
_LIKELIHOOD = re.compile(r"\b(?:likelihood|probability)\b", re.I)
_CONSEQUENCE = re.compile(r"\b(?:consequence|impact|severity)\b", re.I)
_SCORE = re.compile(r"\b(?:score|scores|scoring|rating|grade|l\s*[x×*]\s*[ci])\b", re.I)
_STAGE_WORDS = {"inherent", "initial", "original", "gross", "target", "current", "residual", "net", "risk", "level"}


def _rating_role(heading: str) -> str | None:
    """`current`, `target_likelihood`, `inherent_consequence` ...: the rating a heading names, else None.

    The stage is the inherent (before controls), the target, or else the current rating: `Likelihood`
    alone is the current likelihood, `Residual Risk Score` the current score. A heading naming both
    likelihood and consequence (`Likelihood x Consequence`, `L x C`) is the score's column.
    """
    if _NOT_A_RATING.search(heading):
        return None
    stage = "target" if _TARGET.search(heading) else "inherent" if _INHERENT.search(heading) else "current"
    letters = set(re.findall(r"[a-z]+", heading.lower()))
    likelihood = bool(_LIKELIHOOD.search(heading)) or "l" in letters
    consequence = bool(_CONSEQUENCE.search(heading)) or bool({"c", "i"} & letters)
    if likelihood and consequence:
        return stage
    if likelihood:
        return f"{stage}_likelihood"
    if consequence:
        return f"{stage}_consequence"
    if _SCORE.search(heading) or (letters and letters <= _STAGE_WORDS and letters & {"inherent", "target", "current"}):
        return stage
    return None


@dataclass(frozen=True)
class _RatingHeading:
    """A rating's column, found as a pattern finds its heading: `search` is true when the heading names `role`."""

    role: str

    def search(self, heading: str) -> bool:
        return _rating_role(heading) == self.role


RISK_COLUMNS: dict[str, re.Pattern[str] | _RatingHeading] = {
    # role -> how its heading reads; tried in this order for each heading, so that `Action Owner` is an
    # action's owner before it could be the risk's lead, and `Gaps in Assurance` a gap before an assurance
    "action_owners": re.compile(r"^(?=.*\bactions?\b)(?=.*\b(?:owners?|leads?|responsib\w*|by whom)\b)", re.I),
    "action_due": re.compile(
        r"^(?=.*\bactions?\b)(?=.*\b(?:due|deadlines?|dates?|by when|timescales?)\b)"
        r"|^\s*(?:due(?:\s+dates?)?|deadlines?|"
        r"by when|timescales?)\s*$",
        re.I,
    ),
    "action_done": re.compile(
        r"^(?=.*\bactions?\b)(?=.*\b(?:done|completed?|closed)\b)|^\s*(?:done|completed|date completed)\s*$", re.I
    ),
    "actions": re.compile(r"\bactions?\b|action plan", re.I),
    "assurance_gaps": re.compile(r"\bgaps?\b.*\bassurances?\b|\bassurances?\s+gaps?\b", re.I),
    "gaps": re.compile(r"\bgaps?\b.*\bcontrols?\b|\bcontrols?\s+gaps?\b|^\s*gaps?\s*$", re.I),
    "assurances": re.compile(r"\bassurances?\b", re.I),
    "controls": re.compile(r"\bcontrols?\b|\bmitigations?\b", re.I),
    "committee": re.compile(r"\bcommittees?\b", re.I),
    "lead_title": re.compile(r"^(?=.*\b(?:lead|owner|executive|director)\b)(?=.*\btitles?\b)", re.I),
    "target_date": re.compile(r"\btarget\b.*\b(?:date|by|achieved)\b|\bdate\b.*\btarget\b", re.I),
    "appetite": re.compile(r"^\s*(?:risk\s+)?appetite(?:\s+level)?\s*$", re.I),
    "threatens": re.compile(
        r"\bstrategic\s+(?:objectives?|aims?|goals?|ambitions?|priorit\w*)\b|\bthreatens\b|\blink(?:ed|s)?\s+to\b",
        re.I,
    ),
    "risk": re.compile(r"^\s*strategic\s+risks?\s*$", re.I),  # the tracker's table: `103350: description` in one cell
    "id": re.compile(
        r"^\s*(?:(?:baf|risk|datix|register)\s*)?(?:id|ref|reference|no|number|#)\.?\s*$|^\s*datix\s*$", re.I
    ),
    **{
        f"{stage}{measure}": _RatingHeading(f"{stage}{measure}")
        for stage in ("inherent", "current", "target")
        for measure in ("_likelihood", "_consequence", "")
    },
    "title": re.compile(r"\btitles?\b|^\s*(?:risk|risk name|name|short name)\s*$", re.I),
    "description": re.compile(r"\bdescri\w*|\bstatement\b|\bnarrative\b", re.I),
    "lead": re.compile(r"\blead\b|\bowner\b|\bexecutive\b|\bdirector\b|\bresponsible\b", re.I),
}
"""How each part of a BAF entry is found among a risk table's headings (vocabulary.RISK_HEADINGS names them)."""

EXPECTED = {  # columns a BAF table normally has, and what is lost without one
    "title": "each new risk's title is made from the first words of its description (said for each)",
    "lead": "new risks are imported without a lead: validate warns (P009) until each is named",
    "target": "risks are imported without a target rating: the row is not read",
}


def risk_role(heading: str, taken: set[str] | frozenset[str] = frozenset()) -> str | None:
    """The role a risk table's column plays, by its heading: the first of RISK_COLUMNS that reads it, not yet taken."""
    if not heading.strip() or len(heading) > MAX_HEADING:
        return None
    for role, matches in RISK_COLUMNS.items():
        if role in taken:
            continue
        if matches.search(heading):
            return role
    return None


def _roles(header: list[str]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for index, cell in enumerate(header):
        role = risk_role(cell.strip(), set(roles.values()))
        if role is not None:
            roles[index] = role
    return roles


def _is_header(roles: set[str]) -> bool:
    """A risk table's header: a column for the risk (its id, or the tracker's `id: description`) and its rating."""
    return bool(roles & {"id", "risk"}) and (
        "current" in roles or {"current_likelihood", "current_consequence"} <= roles
    )


@dataclass(frozen=True)
class RatingCells:
    """A rating as the table gives it: likelihood and consequence, a score, or all three."""

    likelihood: int | None = None
    consequence: int | None = None
    score: int | None = None

    @property
    def value(self) -> int | None:
        if self.likelihood is not None and self.consequence is not None:
            return self.likelihood * self.consequence
        return self.score

    def as_fields(self) -> dict[str, int]:
        """The rating as a record writes it: likelihood and consequence when given (the score follows), else a score."""
        if self.likelihood is not None and self.consequence is not None:
            return {"likelihood": self.likelihood, "consequence": self.consequence}
        return {"score": self.score} if self.score is not None else {}


@dataclass(frozen=True)
class AssuranceCell:
    source: str
    line: int | None = None  # the line of defence, 1 to 3, where the table says
    rating: str | None = None  # positive, limited or none, where the table says


@dataclass(frozen=True)
class ActionCell:
    title: str
    owner: str | None = None  # as the table writes it: an executive's id, title or initials
    due: date | None = None
    done: date | None = None


@dataclass(frozen=True)
class RiskRow:
    """One risk of the table, as read."""

    row: int
    id: str
    description: str | None
    current: RatingCells
    target: RatingCells | None = None
    title: str | None = None
    lead: str | None = None
    lead_title: str | None = None
    committees: tuple[str, ...] = ()
    threatens: str | None = None  # as the table writes it: ids, numbers or titles of strategic objectives
    appetite: str | None = None
    inherent: RatingCells | None = None
    target_date: date | None = None
    controls: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    assurances: tuple[AssuranceCell, ...] = ()
    assurance_gaps: tuple[str, ...] = ()
    actions: tuple[ActionCell, ...] = ()
    notes: tuple[str, ...] = ()  # what was read with a caveat, for the import to say
    given: frozenset[str] = frozenset()  # the roles whose cells were filled in this row (or its continuation rows)


@dataclass
class RiskTable:
    rows: list[RiskRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # role -> the heading as the table writes it
    quarter: Quarter | str | None = None  # as the lines above the header name it: a quarter, or `Q2` of no named year

    @property
    def missing(self) -> list[str]:
        """The roles of EXPECTED that the header has no column for (the tracker's table names its risks' ids)."""
        return [
            role
            for role in EXPECTED
            if role not in self.columns
            and not (role == "target" and {"target_likelihood", "target_consequence"} <= set(self.columns))
        ]


NO_RISK_TABLE = (
    "no risk table: expected a header row with the risk's id (or the tracker's 'Strategic Risk') and its "
    "current rating, e.g. 'Strategic Risk | Current Risk Score | Target Risk Score' or "
    "'" + " | ".join(RISK_HEADINGS[role] for role in ("id", "title", "lead", "current", "target")) + "'"
)


def read_risks(table: Table) -> RiskTable:
    """The risk table found in `table`: its header's columns and a row per risk."""
    found = RiskTable()
    header_at = next((i for i, (_, cells) in enumerate(table) if _is_header(set(_roles(cells).values()))), None)
    if header_at is None:
        found.problems.append(Problem(1, NO_RISK_TABLE))
        return found
    number, header = table[header_at]
    roles = _roles(header)
    found.header_row = number
    found.columns = {role: header[index].strip() for index, role in roles.items()}
    heading = []  # the title lines a table opens with, above its first row of several cells (not a tracker above it)
    for _, cells in table[:header_at]:
        filled = [c.strip() for c in cells if c.strip()]
        if len(filled) > 1:
            break
        heading.extend(filled)
    found.quarter = _heading_quarter(heading)
    pending: _Pending | None = None
    for number, cells in table[header_at + 1 :]:
        values = {roles[i]: c.strip() for i, c in enumerate(cells) if i in roles and c.strip()}
        if not any(c.strip() for c in cells):
            continue
        risk_id, description = _identity(values)
        if risk_id is None:
            if pending is not None and values and set(values) <= _LIST_ROLES:
                pending.extend(number, values)  # a row that continues the risk above: more controls, actions ...
                continue
            text = next((c.strip() for c in cells if c.strip()), "")
            found.problems.append(Problem(number, f"{text[:60]!r}: no risk id in this row ({_id_columns(found)})"))
            continue
        if pending is not None:
            _close(pending, found)
        pending = _Pending(number, risk_id, description, dict(values))
    if pending is not None:
        _close(pending, found)
    return found


def _heading_quarter(lines: list[str]) -> Quarter | str | None:
    """The quarter the lines above a table's header name (`BAF summary, Quarter 2 2023/24`), if they name one."""
    numbers = {int(m[1]) for line in lines for m in QUARTER_IN_HEADING.finditer(line)}
    if len(numbers) != 1:
        return None
    number = numbers.pop()
    years = {int(m[1]) for line in lines for m in YEAR_IN_HEADER.finditer(line)}
    return FinancialYear(years.pop()).quarter(number) if len(years) == 1 else f"Q{number}"


def _id_columns(found: RiskTable) -> str:
    if "id" in found.columns:
        return f"column {found.columns['id']!r}"
    return f"'id: description' in column {found.columns.get('risk', RISK_HEADINGS['id'])!r}"


_LIST_ROLES = {
    "controls",
    "gaps",
    "assurances",
    "assurance_gaps",
    "actions",
    "action_owners",
    "action_due",
    "action_done",
}
_SPACED_ID = re.compile(r"([A-Za-z]+)\s+([0-9][0-9A-Za-z.]*)")
_VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


_RISK_ID = re.compile(r"\s*([0-9]+)\s*[:.-]\s*")


def risk_cell(cell: str) -> tuple[str, str] | None:
    r"""('103348', 'description') from '103348: description *', or None: the tracker's risk table's first cell.

    What `^\s*([0-9]+)\s*[:.-]\s*(.+?)\s*\*?\s*$` (re.S) matched, without its backtracking: its three
    repeats around the optional star could split a run of spaces in every way, so a cell with a
    long run of them took minutes.
    """
    head = _RISK_ID.match(cell)
    if head is None:
        return None
    rest = cell[head.end() :]
    if not rest:
        taken = head.group()
        if not taken[-1].isspace():
            return None
        return head[1], taken[-1]  # the pattern's lazy group took the last of the spaces
    description = rest.rstrip()
    if description.endswith("*") and description[:-1].rstrip():
        description = description[:-1].rstrip()
    return head[1], description or rest[:1]


def _identity(values: dict[str, str]) -> tuple[str | None, str | None]:
    """The row's risk id and description: from the id column, else the tracker's `id: description` cell."""
    combined = risk_cell(values["risk"]) if values.get("risk") else None
    risk_id = values.get("id") or (combined[0] if combined else None)
    description = values.get("description")
    if description is None and combined is not None:
        description = re.sub(
            r"\*(?=\.?$)", "", combined[1]
        ).strip()  # the tracker marks some risks with a footnote star
    elif description is None:
        description = values.get("risk")
    if risk_id is not None and len(risk_id) <= MAX_HEADING:
        risk_id = _SPACED_ID.sub(r"\1\2", risk_id.strip())  # `SR 1` as the files name it, SR1
    return risk_id, description


@dataclass
class _Pending:
    """A risk's row, and the rows under it that continue its lists, until the next risk begins."""

    row: int
    id: str
    description: str | None
    values: dict[str, str]

    def extend(self, number: int, values: dict[str, str]) -> None:
        del number  # the continuation's cells join the risk's; problems name the risk's own row
        for role, text in values.items():
            self.values[role] = f"{self.values[role]}\n{text}" if self.values.get(role) else text


def _close(pending: _Pending, found: RiskTable) -> None:
    """The pending risk read into a row, or its problems reported."""
    row = _risk_row(pending)
    if isinstance(row, str):
        found.problems.append(Problem(pending.row, f"risk {pending.id}: {row}"))
    else:
        found.rows.append(row)


def _risk_row(pending: _Pending) -> RiskRow | str:
    """The row, or what stops it being read."""
    values, notes = pending.values, []
    if not _VALID_ID.fullmatch(pending.id):
        return f"{pending.id!r} cannot be a record's id: use letters, digits, '.', '_' and '-'"
    ratings: dict[str, RatingCells | None] = {}
    for stage in ("inherent", "current", "target"):
        try:
            ratings[stage] = _rating(values, stage)
        except ValueError as error:
            return str(error)
    current = ratings["current"]
    if current is None:
        return "no current rating: give its score, or likelihood and consequence"
    if ratings["target"] is None:
        return "no target rating: give its score, or likelihood and consequence"
    target_date = None
    if values.get("target_date"):
        target_date, note = _date_or_note(values["target_date"], "target date")
        if note:
            notes.append(note)
    actions, action_notes = _actions(values)
    notes.extend(action_notes)
    return RiskRow(
        row=pending.row,
        id=pending.id,
        description=pending.description,
        current=current,
        target=ratings["target"],
        title=values.get("title"),
        lead=values.get("lead"),
        lead_title=values.get("lead_title"),
        committees=tuple(items(values.get("committee", ""), split_semicolons=True)),
        threatens=values.get("threatens"),
        appetite=values.get("appetite"),
        inherent=ratings["inherent"],
        target_date=target_date,
        controls=tuple(items(values.get("controls", ""))),
        gaps=tuple(items(values.get("gaps", ""))),
        assurances=tuple(assurance(text) for text in items(values.get("assurances", ""))),
        assurance_gaps=tuple(items(values.get("assurance_gaps", ""))),
        actions=actions,
        notes=tuple(notes),
        given=frozenset(values),
    )


_LXC = re.compile(r"\b(?:L\s*)?([1-5])\s*(?:[x×*]|by)\s*(?:[CI]\s*)?([1-5])\b", re.I)
_WHOLE = re.compile(r"\b[0-9]+\b")


def rating_cell(text: str) -> RatingCells:
    """`20`, `4x5`, `4 × 5 = 20`, `L4 x C5`, `20 (L4 x C5)` or `Extreme 20` as a rating; ValueError otherwise."""
    if len(text) > MAX_HEADING:
        raise ValueError(f"{text[:40]!r}... is not a rating: a rating's cell holds a few characters")
    likelihood = consequence = None
    rest = text
    pair = _LXC.search(text)
    if pair:
        likelihood, consequence = int(pair[1]), int(pair[2])
        rest = text[: pair.start()] + " " + text[pair.end() :]
    numbers = [int(n) for n in _WHOLE.findall(rest)]
    if len(numbers) > 1 or (not numbers and pair is None):
        raise ValueError(f"{text!r} is not a rating (a score such as 20, or likelihood x consequence such as 4 x 5)")
    score = numbers[0] if numbers else None
    if score is not None and likelihood is not None and consequence is not None and score != likelihood * consequence:
        raise ValueError(f"{text!r}: {likelihood} x {consequence} is {likelihood * consequence}, not {score}")
    if score is not None and not 1 <= score <= 25:
        raise ValueError(f"{text!r}: a score is 1 to 25")
    return RatingCells(likelihood, consequence, score)


def _factor(text: str, what: str) -> int:
    match = re.match(r"\s*([0-9]+)\b", text)
    if match is None or not 1 <= int(match[1]) <= 5:
        raise ValueError(f"{what} {text!r} is not a whole number from 1 to 5")
    return int(match[1])


def _rating(values: dict[str, str], stage: str) -> RatingCells | None:
    """A stage's rating from its score column and its likelihood and consequence columns, or None when none is given."""
    cells = values.get(stage)
    rating = rating_cell(cells) if cells else RatingCells()
    likelihood, consequence = rating.likelihood, rating.consequence
    if values.get(f"{stage}_likelihood"):
        likelihood = _factor(values[f"{stage}_likelihood"], f"{stage} likelihood")
    if values.get(f"{stage}_consequence"):
        consequence = _factor(values[f"{stage}_consequence"], f"{stage} consequence")
    score = rating.score
    if likelihood is not None and consequence is not None:
        if score is not None and score != likelihood * consequence:
            raise ValueError(
                f"the {stage} score {score} is not its likelihood x consequence ({likelihood} x {consequence})"
            )
        return RatingCells(likelihood, consequence, likelihood * consequence)
    if likelihood is not None or consequence is not None:
        if score is None:
            raise ValueError(f"the {stage} rating gives {'a likelihood' if likelihood else 'a consequence'} alone")
        return RatingCells(score=score)  # the one factor given adds nothing a reader of the score lacks
    return RatingCells(score=score) if score is not None else None


_BULLET = re.compile(r"^\s*(?:[•●▪◦·*\-–—]|\(?[0-9]{1,2}[.)]|\(?[a-z][.)])\s+")


def items(text: str, *, split_semicolons: bool = False) -> list[str]:
    """A cell's list: one item a line (a bulleted or numbered line starts an item, and a line without
    one continues the item above it), or bullets run together on one line."""
    lines = [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]
    if len(lines) == 1 and len(re.findall(r"\s[•●▪]\s", f" {lines[0]} ")) >= 2:
        lines = [part.strip() for part in re.split(r"[•●▪]", lines[0]) if part.strip()]
    if split_semicolons:
        lines = [part for line in lines for part in line.split(";") if part.strip()]
    bulleted = any(_BULLET.match(line) for line in lines)
    found: list[str] = []
    for line in lines:
        starts = _BULLET.match(line)
        text_of_line = " ".join(line[starts.end() if starts else 0 :].split())
        if bulleted and not starts and found:
            found[-1] = f"{found[-1]} {text_of_line}"
        elif text_of_line:
            found.append(text_of_line)
    return found


_LINE_PREFIX = re.compile(
    r"^\s*(?:(?P<ordinal>1st|first|2nd|second|3rd|third)\s+line(?:\s+of\s+(?:defence|defense|assurance))?"
    r"|line\s*(?P<number>[123])|l(?P<short>[123]))\s*[:\-–—)]\s*",
    re.I,
)
_ORDINALS = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3}
_RATING_SUFFIX = re.compile(r"\s*[(\[]\s*(?P<rating>positive|limited|no|none)(?:\s+assurance)?\s*[)\]]\s*$", re.I)


def assurance(text: str) -> AssuranceCell:
    """`2nd line: Quality committee reports (limited assurance)` as a source of assurance, its line and rating."""
    line = None
    prefix = _LINE_PREFIX.match(text)
    if prefix:
        line = _ORDINALS[prefix["ordinal"].lower()] if prefix["ordinal"] else int(prefix["number"] or prefix["short"])
        text = text[prefix.end() :]
    rating = None
    text = text.rstrip()
    # only the end of the text can hold a rating: searched there alone, so a long source is read in linear time
    tail = len(text) - 40
    suffix = _RATING_SUFFIX.search(text, max(tail, 0)) if text.endswith((")", "]")) else None
    if suffix and text[: suffix.start()].strip():
        word = suffix["rating"].lower()
        rating = "none" if word in ("no", "none") else word
        text = text[: suffix.start()]
    return AssuranceCell(text.strip(), line, rating)


_MONTH_YEAR = re.compile(r"\s*([A-Za-z]{3,9})\.?\s+([0-9]{4})\s*")
_NO_DATE = re.compile(r"\s*(?:ongoing|tbc|tba|n/?a|-+|–|—|continuous|as required|complete[d]?)\s*", re.I)


def _date_or_note(text: str, what: str) -> tuple[date | None, str | None]:
    """A date cell: the day it gives; a month alone as its last day (said); `Ongoing` or `TBC` as no date."""
    try:
        return cell_date(text), None
    except ValueError:
        pass
    month = _MONTH_YEAR.fullmatch(text)
    if month and month[1].lower() in MONTH_NUMBERS:
        number, year = MONTH_NUMBERS[month[1].lower()], int(month[2])
        last = date(year, number, calendar.monthrange(year, number)[1])
        return last, f"{what} {text.strip()!r} is a month: taken as its last day, {last.isoformat()}"
    if _NO_DATE.fullmatch(text):
        return None, None
    return None, f"{what} {text.strip()!r} is not a date (dd/mm/yyyy): imported without one"


def _actions(values: dict[str, str]) -> tuple[tuple[ActionCell, ...], list[str]]:
    """The actions, each with its owner, due date and done date from the columns beside, line by line."""
    titles = items(values.get("actions", ""))
    notes: list[str] = []
    columns = {}
    for role, what in (("action_owners", "owners"), ("action_due", "due dates"), ("action_done", "done dates")):
        # owners and dates hold no semicolon of their own: "COO; CNO" is two owners, never one title
        lines = items(values.get(role, ""), split_semicolons=True)
        if len(lines) == 1 and len(titles) > 1:
            lines = lines * len(titles)  # one owner (or date) for every action
        elif lines and len(lines) != len(titles):
            notes.append(
                f"{len(titles)} action(s) but {len(lines)} {what}: the {what} cannot be matched to the actions, "
                "so the actions are imported without them"
            )
            lines = []
        columns[role] = lines
    actions = []
    for index, title in enumerate(titles):
        owner = columns["action_owners"][index] if columns["action_owners"] else None
        due = done = None
        if columns["action_due"]:
            due, note = _date_or_note(columns["action_due"][index], f"action {index + 1}'s due date")
            notes.extend([note] if note else [])
        if columns["action_done"]:
            done, note = _date_or_note(columns["action_done"][index], f"action {index + 1}'s done date")
            notes.extend([note] if note else [])
        actions.append(ActionCell(title, owner if owner and not _NO_DATE.fullmatch(owner) else None, due, done))
    return tuple(actions), notes


_LEAD_IN = re.compile(
    r"^\s*(?:as a (?:result|consequence) of [^,]{1,120},\s*)?(?:there is an?|this is an?|there is the)?\s*"
    r"(?:(?:significant|strategic|potential)\s+)?risks?\s+(?:that|of|to|in)?\s*",
    re.I,
)
_CLAUSE_END = re.compile(
    r",|;|:|\s(?:which|that will|leading to|resulting in|results in|impacting|impacts on|causing|as a consequence of|"
    r"and this|due to the impact|meaning)\s",
    re.I,
)
TITLE_WORDS = 12
"""The most words of a title made from a description: a heat map and a contents line have room for little more."""


def derived_title(description: str, words: int = TITLE_WORDS) -> str:
    """A short title from a description, for a table that gives none: the risk's own words without the
    `There is a risk that` lead-in, up to the end of its first clause, at most `words` words.

    `There is a risk that the recovery of Trust services perpetuates health inequalities` gives
    `The recovery of Trust services perpetuates health inequalities`.
    """
    text = " ".join(description.split())
    stripped = _LEAD_IN.sub("", text, count=1)
    if len(stripped.split()) >= 3:
        text = stripped
    end = _CLAUSE_END.search(text)
    if end and len(text[: end.start()].split()) >= 3:
        text = text[: end.start()]
    tokens = text.rstrip(" .").split()
    if len(tokens) > words + 2:  # a word or two over is kept whole rather than cut for an ellipsis
        tokens = [*tokens[:words], "…"]
    title = " ".join(tokens).replace(" …", "…")
    return title[:1].upper() + title[1:] if title else description.strip()
