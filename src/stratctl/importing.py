"""Reading a trust's tracker (laid out like a trust's published Board tracker: tests/fixtures/trackers/) into
records; risk_table.py reads the risk table under it, or a BAF summary.

The tracker's layout is ragged, as trusts publish it: a priority's cells are
filled on its first row only, or written on lines of their own above its rows.
Every row or cell that cannot be read is reported with its row number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from stratctl.errors import StratctlError
from stratctl.periods import FinancialYear
from stratctl.spreadsheet import Table
from stratctl.vocabulary import TRACKER_HEADINGS

COLUMNS = {  # role -> how its header reads
    "id": re.compile(r"^\s*id\s*$", re.I),
    "quarter": re.compile(r"^\s*quarter\s*$", re.I),
    "priority": re.compile(r"priorit", re.I),
    "risks": re.compile(r"strategic risk", re.I),
    "objective": re.compile(r"objective", re.I),
    "executive": re.compile(r"^(?!.*\btitles?\b).*(?:executive|lead)", re.I),
    "executive_title": re.compile(r"^(?=.*\b(?:executive|lead|director)\b)(?=.*\btitles?\b)", re.I),
    "progress": re.compile(r"progress", re.I),
    "comment": re.compile(r"comment", re.I),
    "due": re.compile(r"target date|due", re.I),
    "position": re.compile(r"projected|year.end", re.I),
    "rationale": re.compile(r"rationale", re.I),
}
MAX_HEADING = 200
"""The longest cell read as a column's heading."""
EXPECTED = {  # columns a tracker normally has, and what is lost without one
    "progress": "no quarterly update is imported",
    "comment": "updates are imported without a comment",
    "due": "objectives are imported without a target date",
    "position": "updates are imported without a projected position",
}
PROGRESS = {
    "on track": "on-track",
    "behind": "behind",
    "at risk": "at-risk",
    "not started": "not-started",
    "complete": "complete",
    "completed": "complete",
}
# Written so that no two repeats can match the same characters: a cell of a million spaces is read in
# linear time (`^\s*(R)\s*([↑↓]?)\s*$` tried every split of a run of spaces between its \s*, so an
# ordinary-looking cell took minutes). POSITION is used on the stripped cell, with fullmatch.
POSITION = re.compile(r"(R|A|G|C|Complete|Completed)\s*([↑↓]?)", re.I)
ARROW_TRENDS = {"↑": "up", "↓": "down"}
"""A tracker's arrow beside a position, as the update's declared `trend`."""
DATE_DMY = re.compile(r"^\s*([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})\s*$")
DATE_ISO = re.compile(r"^\s*([0-9]{4})-([0-9]{2})-([0-9]{2})\s*$")
RISK_IDS = re.compile(r"^[\s0-9,;]+$")
YEAR_IN_HEADER = re.compile(r"(20[0-9]{2})\s*/\s*(?:20)?([0-9]{2})")
RISK_HEADER = re.compile(r"strategic risk", re.I)
# A trust's name as its papers write it: capitalised words, then NHS, then (Foundation) Trust
TRUST_NAME = re.compile(
    r"([A-Z][\w'’&.-]*(?:\s+(?:[A-Z][\w'’&.-]*|of|and|upon|on|in)){0,8}?\s+NHS\s+(?:Foundation\s+)?Trust)\b"
)
QUARTER_IN_HEADING = re.compile(r"\b(?:Q|Quarter\s+)([1-4])\b", re.I)
STRATEGIC_HEADING = re.compile(r"\s*strategic\s+(?:objectives?|aims?|goals?|ambitions?)\s*:?\s*", re.I)
NUMBERED_LINE = re.compile(r"\s*([0-9]{1,2})\s*[.)]\s*(\S.*?)\s*")
QUOTED = re.compile(r"'([^']*)'|‘([^‘’]*)’|\"([^\"]*)\"")  # an opening ‘ ends the search for a ’: linear


@dataclass(frozen=True)
class Problem:
    row: int
    message: str


@dataclass(frozen=True)
class TrackerRow:
    row: int
    priority_title: str
    priority_statement: str
    priority_risks: tuple[str, ...]
    id: str | None
    title: str
    executive: str
    progress: str | None
    comment: str
    due: date | None
    position: str | None  # R A G C, without the arrow
    rationale: str | None
    quarter: str | None
    trend: str | None = None  # the tracker's arrow beside the position: up (↑) or down (↓), kept as the declared trend
    executive_title: str | None = None  # the executive's title, where the tracker has a column for it (an export does)


@dataclass
class Tracker:
    rows: list[TrackerRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    year: FinancialYear | None = None
    risk_table: Table = field(default_factory=list)
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # role -> the heading as the tracker writes it
    # the numbered list a tracker often opens with ("Strategic Objectives / 1. Delivering outstanding care ...")
    strategic_objectives: list[tuple[int, str]] = field(default_factory=list)
    trust_name: str | None = None  # as the lines above the header name the trust ("Riverside NHS Foundation Trust")
    quarter_number: int | None = None  # the quarter the lines above the header name ("Quarter 2", "Q2"), if just one

    @property
    def missing(self) -> list[str]:
        """The roles of EXPECTED that the header has no column for."""
        return [role for role in EXPECTED if role not in self.columns]


_RISK_ID_IN_CELL = re.compile(r"\b[A-Za-z]{0,10}[0-9][A-Za-z0-9._-]*")  # from a word's start: linear in a long cell
_SPACED_RISK_ID = re.compile(r"\b([A-Z]{1,5})\s+([0-9])")


def risk_ids(text: str) -> tuple[str, ...]:
    """The risk ids a tracker's Strategic Risks cell cites: `103346 103349`, `SR1, SR3` or `BAF 2` (as BAF2)."""
    return tuple(_RISK_ID_IN_CELL.findall(_SPACED_RISK_ID.sub(r"\1\2", text)))


def _priority_parts(text: str) -> tuple[str, str]:
    quoted = [next(g for g in m.groups() if g is not None) for m in QUOTED.finditer(text)]
    if quoted:
        return quoted[0].strip(), " ".join(q.strip() for q in quoted[1:])
    return text.strip(), ""


DATE_IN_WORDS = re.compile(r"\s*([0-9]{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+([0-9]{4})\s*")
_MONTH_NAMES: tuple[str, ...] = ("january", "february", "march", "april", "may", "june", "july", "august", "september")
_MONTH_NAMES += ("october", "november", "december")
MONTH_NUMBERS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)} | {
    name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)
}
"""A month's English name or its abbreviation, as trusts write them (whatever the machine's locale), to its number."""
MONTH_NUMBERS["sept"] = 9


def cell_date(text: str) -> date:
    """A date as a tracker's cell writes it: 31/03/2022, 2022-03-31 or 31 March 2022; ValueError otherwise."""
    for pattern, order in ((DATE_DMY, (3, 2, 1)), (DATE_ISO, (1, 2, 3))):
        match = pattern.match(text)
        if match:
            return date(int(match[order[0]]), int(match[order[1]]), int(match[order[2]]))
    words = DATE_IN_WORDS.fullmatch(text)
    if words and words[2].lower() in MONTH_NUMBERS:
        return date(int(words[3]), MONTH_NUMBERS[words[2].lower()], int(words[1]))
    raise ValueError(text)


def _roles(header: list[str]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for index, cell in enumerate(header):
        if len(cell) > MAX_HEADING:
            continue  # a cell of text, not a heading: never matched, so a long one costs nothing
        for role, pattern in COLUMNS.items():
            if pattern.search(cell) and role not in roles.values():
                roles[index] = role
                break
    return roles


def _strategic_objectives(above_header: Table) -> list[tuple[int, str]]:
    """The numbered lines under a "Strategic Objectives" heading above the tracker's header, as (number, title)."""
    found: list[tuple[int, str]] = []
    heading_seen = False
    for _, cells in above_header:
        text = " ".join(c.strip() for c in cells if c.strip())
        if STRATEGIC_HEADING.fullmatch(text):
            heading_seen, found = True, []
            continue
        numbered = NUMBERED_LINE.fullmatch(text) if heading_seen else None
        if numbered:
            found.append((int(numbered[1]), numbered[2]))
        elif text and found:
            break  # the list has ended
    return found


def read_tracker(table: Table, name: str = "the tracker") -> Tracker:
    """The tracker's rows; StratctlError when the table has no tracker header or no row under it."""
    tracker = Tracker()
    header_at = _header_at(table, name)
    header = [c.strip() for c in table[header_at][1]]
    while header and not header[-1]:
        header.pop()
    roles = _roles(header)
    tracker.header_row = table[header_at][0]
    tracker.columns = {role: header[index] for index, role in roles.items()}
    above = [" ".join(c.strip() for c in cells if c.strip()) for _, cells in table[:header_at]]
    year = next((YEAR_IN_HEADER.search(c) for c in [*header, *above] if YEAR_IN_HEADER.search(c)), None)
    if year:
        tracker.year = FinancialYear(int(year[1]))
    tracker.strategic_objectives = _strategic_objectives(table[:header_at])
    tracker.trust_name = next((m[1] for m in map(TRUST_NAME.search, above) if m), None)
    quarters = {int(m[1]) for line in above for m in QUARTER_IN_HEADING.finditer(line)}
    tracker.quarter_number = quarters.pop() if len(quarters) == 1 else None
    _read_rows(tracker, table, header_at, len(header), roles)
    if not tracker.rows and not tracker.problems:
        raise StratctlError(
            f"{name}: no objective rows below the tracker header (row {tracker.header_row}): "
            f"expected one row per supporting objective, with its {TRACKER_HEADINGS['executive']}"
        )
    return tracker


def _header_at(table: Table, name: str) -> int:
    """The index of the tracker's header row: the first that heads an objective and an executive column."""
    header_at = next(
        (
            i
            for i, (_, cells) in enumerate(table)
            if {"objective", "executive"} <= set(_roles([c.strip() for c in cells]).values())
        ),
        None,
    )
    if header_at is None:
        raise StratctlError(
            f"{name}: no tracker header row found: expected a row of column headings in separate cells, "
            f"including {TRACKER_HEADINGS['objective']!r} and {TRACKER_HEADINGS['executive']!r} (and usually "
            + ", ".join(repr(TRACKER_HEADINGS[r]) for r in EXPECTED)
            + "), in a comma- or tab-separated file or an .xlsx workbook"
        )
    return header_at


Priority = tuple[str, str, tuple[str, ...]]
"""A priority as the rows under it carry it: its title, its statement and the risks it cites."""


@dataclass
class _OwnLines:
    """A priority written on lines of its own above its rows: its title and statement lines, its risks."""

    texts: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    rows: list[tuple[int, str]] = field(default_factory=list)  # not yet followed by an objective row

    def add(self, number: int, text: str) -> None:
        if RISK_IDS.match(text):
            self.risks.extend(re.findall(r"[0-9]+", text))
        else:
            self.texts.append(text)
        self.rows.append((number, text))

    def priority_after(self, priority: Priority) -> Priority:
        """The priority the next objective row falls under: these lines' if there are any, else `priority`."""
        if not self.texts and not self.risks:
            return priority
        title, statement = _priority_parts(self.texts[0]) if self.texts else (priority[0], priority[1])
        if len(self.texts) > 1:
            statement = " ".join(_priority_parts(p)[0] for p in self.texts[1:])
        after = (title, statement, tuple(self.risks))
        self.texts, self.risks, self.rows = [], [], []
        return after


def _read_rows(tracker: Tracker, table: Table, header_at: int, width: int, roles: dict[int, str]) -> None:
    """The rows under the header, up to a risk table if one follows, into `tracker`."""
    priority: Priority = ("", "", ())
    own_lines = _OwnLines()
    for position, (number, cells) in enumerate(table[header_at + 1 :], start=header_at + 1):
        while cells and not cells[-1].strip():
            cells = cells[:-1]
        if not cells:
            continue
        if RISK_HEADER.search(cells[0]) and any(re.search(r"score", c, re.I) for c in cells[1:]):
            tracker.risk_table = table[position:]
            break
        if len(cells) == 1:  # a priority written on lines of its own
            own_lines.add(number, cells[0].strip())
            continue
        priority = own_lines.priority_after(priority)
        values = _align(cells, width, roles)
        if values.get("priority"):
            title, statement = _priority_parts(values["priority"])
            priority = (title, statement, risk_ids(values.get("risks", "")))
        row = _row(number, values, priority, tracker.problems)
        if row is not None:
            tracker.rows.append(row)
    for number, text in own_lines.rows:  # a priority with no objective rows under it, or a note: nothing read
        tracker.problems.append(Problem(number, f"{text[:60]!r}: a line on its own with no objective row below it"))


def _align(cells: list[str], width: int, roles: dict[int, str]) -> dict[str, str]:
    """Cells by role. A short row is the seed's row without its priority cells (right-aligned) or a row
    whose last cells are empty (left-aligned): the alignment under which the cells read as they should wins."""

    def mapped(offset: int) -> dict[str, str]:
        return {roles[i + offset]: c.strip() for i, c in enumerate(cells) if i + offset in roles}

    def plausible(values: dict[str, str]) -> int:
        score = int(values.get("progress", "").lower() in PROGRESS)
        score += int(bool(DATE_DMY.match(values.get("due", "")) or DATE_ISO.match(values.get("due", ""))))
        score += int(bool(POSITION.fullmatch(values.get("position", "").strip())))
        return score

    offsets = [0] if len(cells) >= width else [0, width - len(cells)]
    return max((mapped(o) for o in offsets), key=plausible)  # max keeps the first (left) on a tie


def _row(
    number: int, values: dict[str, str], priority: tuple[str, str, tuple[str, ...]], problems: list[Problem]
) -> TrackerRow | None:
    title = values.get("objective", "")
    if not title:
        problems.append(Problem(number, "no supporting objective in this row"))
        return None
    bad = []
    executive = values.get("executive", "")
    if not executive:
        bad.append("no executive director")
    progress_text = values.get("progress", "")
    progress = PROGRESS.get(progress_text.lower()) if progress_text else None
    if progress_text and progress is None:
        bad.append(f"progress {progress_text!r} is not one of: {', '.join(sorted({k.capitalize() for k in PROGRESS}))}")
    due = None
    if values.get("due"):
        try:
            due = cell_date(values["due"])
        except ValueError:
            bad.append(f"target date {values['due']!r} is not a date (dd/mm/yyyy)")
    position = trend = None
    if values.get("position"):
        match = POSITION.fullmatch(values["position"].strip())
        if match is None:
            bad.append(f"projected position {values['position']!r} is not R, A, G or Complete")
        else:
            position = "C" if match[1].lower().startswith("complete") else match[1].upper()
            trend = ARROW_TRENDS.get(match[2])
    if not priority[0]:
        bad.append("no trust priority above this row")
    if bad:
        problems.append(Problem(number, f"{title[:60]!r}: " + "; ".join(bad)))
        return None
    return TrackerRow(
        number,
        priority[0],
        priority[1],
        priority[2],
        values.get("id") or None,
        title,
        executive,
        progress,
        values.get("comment", ""),
        due,
        position,
        values.get("rationale") or None,
        values.get("quarter") or None,
        trend,
        values.get("executive_title") or None,
    )


_TRAILING_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "our", "the", "to", "with"}
)


def slug(text: str, words: int = 8) -> str:
    """A readable id from a title: `Reduce maternity service vacancies to 5% by Q4` is
    reduce-maternity-service-vacancies-to-5-by-q4.

    Cut at a word, never inside one (`...-by-q` for "by Q2"), and where cut, without a dangling `-of-the`.
    """
    every = re.findall(r"[a-z0-9]+", text.lower())
    tokens = every[:words]
    while len(tokens) > 1 and len("-".join(tokens)) > 60:
        tokens.pop()
    while len(tokens) < len(every) and len(tokens) > 1 and tokens[-1] in _TRAILING_WORDS:
        tokens.pop()  # only where the title was cut: a title that ends in "a" keeps it
    return "-".join(tokens)[:60].strip("-") or "record"


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`...: the first not in `taken` (which the caller then adds it to).

    Counted, not grown: '-2' added to 'x-9' made 'x-10-2' and so on, an id that outgrew a file name
    after a few thousand rows of one title.
    """
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# --- import measures: a long table of measure, period, value ------------------------------------

MEASURE_COLUMNS = {  # role -> how its header reads
    "record": re.compile(r"^\s*(record|owner|objective)(\s*id)?\s*$", re.I),
    "measure": re.compile(r"^\s*(measure(\s*id)?|id|indicator(\s*id)?|metric(\s*id)?)\s*$", re.I),
    "period": re.compile(r"^\s*(period|month|quarter|date)\s*$", re.I),
    "value": re.compile(r"^\s*(value|actual)\s*$", re.I),
    "provisional": re.compile(r"^\s*provisional\s*\??\s*$", re.I),
    "note": re.compile(r"^\s*(note|notes|comment)\s*$", re.I),
}
MEASURE_NEEDED = ("measure", "period", "value")
_YES = frozenset({"p", "y", "yes", "true", "1", "provisional"})
_NO = frozenset({"", "n", "no", "false", "0", "final"})


@dataclass(frozen=True)
class MeasureRow:
    """One row of a measures table, as written: the measure, its period and value, and the optional columns.

    `provisional` is None when the table has no provisional column (marks are then left as they are);
    `record` names the objective, strategic objective or `strategy.commitment` holding the measure,
    when the table gives one (to tell apart two records with a measure of the same id).
    """

    row: int
    measure: str
    period: str
    value: str
    provisional: bool | None = None
    note: str = ""
    record: str = ""


def read_measure_rows(table: Table) -> tuple[list[MeasureRow], list[Problem]]:
    """A long table: a header naming the measure id, period and value columns (and optionally provisional,
    note and record), then one row a value. Every row that cannot be read is a problem, by its number."""
    header_at = next(
        (i for i, (_, cells) in enumerate(table) if _measure_roles(cells).keys() >= set(MEASURE_NEEDED)), None
    )
    if header_at is None:
        first = table[0][0] if table else 1
        return [], [
            Problem(
                first,
                "no measures table: expected a header row naming the columns measure, period and value "
                "(and optionally provisional, note and record)",
            )
        ]
    roles = _measure_roles(table[header_at][1])
    rows: list[MeasureRow] = []
    problems: list[Problem] = []
    for number, cells in table[header_at + 1 :]:
        got = {role: (cells[i].strip() if i < len(cells) else "") for role, i in roles.items()}
        if not any(got.values()):
            continue  # a blank row
        missing = [role for role in MEASURE_NEEDED if not got[role]]
        if missing:
            problems.append(
                Problem(number, f"no {' and no '.join(missing)}: each row gives a measure, a period and a value")
            )
            continue
        provisional: bool | None = None
        if "provisional" in roles:
            mark = got["provisional"].lower()
            if mark not in _YES | _NO:
                problems.append(
                    Problem(
                        number,
                        f"provisional {got['provisional'][:40]!r}: write yes (or p) for a provisional value, "
                        "or leave it empty",
                    )
                )
                continue
            provisional = mark in _YES
        rows.append(
            MeasureRow(
                number,
                got["measure"],
                got["period"],
                got["value"],
                provisional,
                got.get("note", ""),
                got.get("record", ""),
            )
        )
    return rows, problems


def _measure_roles(cells: list[str]) -> dict[str, int]:
    """Each column's role by its header; the first column of a role wins."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        for role, pattern in MEASURE_COLUMNS.items():
            if role not in roles and pattern.fullmatch(cell):
                roles[role] = index
                break
    return roles
