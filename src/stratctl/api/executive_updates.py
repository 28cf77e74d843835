"""Quarterly updates from executives who do not use git: request, collect, chase.

`make_requests` builds one workbook per executive from the records; `write_requests` writes them
into a folder, all or none. `collect_returns` reads returned workbooks and writes what they hold
through the write plan. `chase` lists what each executive has not yet given. The core never
prints: each returns what the command shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from stratctl.api.writing import planning
from stratctl.asks import ExecutiveAsk, RiskAsk, asks_for, outstanding, unled_risks
from stratctl.authoring.collect import CollectPlan, plan_collect
from stratctl.errors import StratctlError
from stratctl.gitrefs import git_or_none
from stratctl.periods import PeriodError, Quarter, parse_quarter, quarter_containing
from stratctl.records import Executive, Trust
from stratctl.rewrite import ensure_writable, write_atomically
from stratctl.suggest import did_you_mean
from stratctl.workbooks.layout import file_name
from stratctl.workbooks.request import RequestContext, request_workbook
from stratctl.workbooks.returns import read_return
from stratctl.workspace import Workspace

RETURN_BEFORE_MEETING = timedelta(days=7)
"""Without --return-by, workbooks are asked back a week before the meeting: Board papers go out about then."""


@dataclass(frozen=True)
class RequestedWorkbook:
    ask: ExecutiveAsk
    file_name: str
    data: bytes


@dataclass(frozen=True)
class Requests:
    quarter: Quarter
    workbooks: tuple[RequestedWorkbook, ...]
    nothing_asked: tuple[Executive, ...]  # executives who lead nothing open this quarter: no workbook
    return_by: date | None
    meeting_date: date | None


def quarter_of(trust: Trust, text: str) -> Quarter:
    """`Q4` of trust.yaml's year, or a quarter in full (`2021/22 Q4`)."""
    try:
        return parse_quarter(text, trust.year)
    except PeriodError as error:
        raise StratctlError(str(error)) from None


def _check_leads(trust: Trust, leads: Sequence[str]) -> None:
    known = [e.id for e in trust.executives]
    for lead in leads:
        if lead not in known:
            raise StratctlError(f"--lead {lead!r} is not an executive in trust.yaml{did_you_mean(lead, known)}")


def repository_identity(data_dir: Path) -> tuple[str, str]:
    """(the first commit of the git history, the commit checked out), or ('', '') outside git.

    The first commit names the repository whatever its folder or remote is called; a workbook made
    from a clone or a fork of it matches, one made from another trust's repository does not.
    """
    roots = git_or_none(data_dir, "rev-list", "--max-parents=0", "HEAD")
    head = git_or_none(data_dir, "rev-parse", "--verify", "--quiet", "HEAD")
    if roots is None or head is None:
        return "", ""
    first = min(roots.decode().split(), default="")
    return first, head.decode().strip()


def make_requests(
    workspace: Workspace,
    quarter: str,
    leads: Sequence[str] = (),
    meeting_date: date | None = None,
    return_by: date | None = None,
) -> Requests:
    """A workbook for each executive (or each of `leads`) who leads something open in `quarter`."""
    repository = workspace.load_readable().repository
    trust = repository.trust_record()
    when = quarter_of(trust, quarter)
    _check_leads(trust, leads)
    settings = trust.report
    meeting_date = meeting_date or (settings.meeting_date if settings else None)
    if return_by is None and meeting_date is not None:
        return_by = meeting_date - RETURN_BEFORE_MEETING
    first_commit, commit = repository_identity(workspace.data_dir)
    context = RequestContext(
        trust_name=trust.name,
        short_name=trust.short_name,
        repository=first_commit,
        commit=commit,
        start_month=trust.year_start_month,
        meeting=(settings.meeting if settings and settings.meeting else "Board of Directors"),
        meeting_date=meeting_date,
        return_by=return_by,
    )
    workbooks, nothing = [], []
    for ask in asks_for(repository, when, leads or None):
        if ask.empty:
            nothing.append(ask.executive)
            continue
        workbooks.append(RequestedWorkbook(ask, file_name(when, ask.executive.id), request_workbook(ask, context)))
    return Requests(when, tuple(workbooks), tuple(nothing), return_by, meeting_date)


def write_requests(requests: Requests, folder: Path) -> tuple[list[Path], list[Path]]:
    """Write each workbook into `folder` (which must exist): (written, already there and identical).

    All or none: every target is checked before the first is written. A file that exists with other
    bytes (a returned workbook, saved back under its first name) is never replaced, and a link is
    never written through.
    """
    if not folder.is_dir():
        raise StratctlError(f"--output {folder}: no such folder (request writes into a folder that exists)")
    targets = []
    unchanged = []
    for workbook in requests.workbooks:
        path = folder / workbook.file_name
        if path.is_symlink():
            raise StratctlError(f"{path} is a symbolic link: request never writes through one; nothing was written")
        if path.exists():
            try:
                same = path.is_file() and path.read_bytes() == workbook.data
            except OSError as error:
                raise StratctlError(f"cannot read {path}: {error}") from None
            if same:
                unchanged.append(path)
                continue
            raise StratctlError(
                f"{path} exists and differs from the workbook request would write (a returned one?): request never "
                "replaces a workbook; move it, or give another --output folder; nothing was written"
            )
        ensure_writable(path)
        targets.append((path, workbook.data))
    for path, data in targets:
        write_atomically(path, data)
    return [path for path, _ in targets], unchanged


@dataclass(frozen=True)
class Chase:
    """What is still owed for a quarter, by executive; `waiting` says why nothing is listed yet (--within)."""

    quarter: Quarter
    owing: tuple[ExecutiveAsk, ...] = ()
    asked: int = 0  # executives asked for something this quarter
    meeting_date: date | None = None
    waiting: str | None = None
    unled: tuple[RiskAsk, ...] = ()  # risks on the BAF with no lead named and no review: asked of no one

    @property
    def anything_owed(self) -> bool:
        return bool(self.owing or self.unled)


def chase(
    workspace: Workspace,
    quarter: str | None,
    leads: Sequence[str] = (),
    within: int | None = None,
    today: date | None = None,
) -> Chase:
    """Who has not yet given what for `quarter` (default: the quarter whose paper goes to trust.yaml's meeting).

    With `within`, only when the meeting (trust.yaml `report: meeting_date`) is at most that many
    days after `today`: the scheduled job runs daily and posts from a fortnight before.
    """
    repository = workspace.load_readable().repository
    trust = repository.trust_record()
    _check_leads(trust, leads)
    meeting = trust.report.meeting_date if trust.report else None
    if quarter is not None:
        when = quarter_of(trust, quarter)
    elif meeting is not None:
        when = quarter_containing(meeting, trust.year_start_month).previous()  # a quarter's paper goes after it ends
    else:
        raise StratctlError("give --quarter (e.g. --quarter Q4), or set report: meeting_date in trust.yaml")
    if within is not None:
        today = today or date.today()
        if meeting is None:
            return Chase(when, waiting="trust.yaml gives no report: meeting_date, so there is no meeting to chase for")
        days = (meeting - today).days
        if days < 0 or days > within:
            return Chase(
                when,
                meeting_date=meeting,
                waiting=f"the meeting on {meeting.isoformat()} is {days} day(s) away, not within {within}",
            )
    asks = asks_for(repository, when, leads or None)
    unled = () if leads else unled_risks(repository, when)  # --lead asks about those executives alone
    return Chase(when, tuple(outstanding(asks)), sum(not a.empty for a in asks), meeting, unled=unled)


def collect_returns(
    workspace: Workspace,
    files: Sequence[Path],
    quarter: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
) -> tuple[CollectPlan, bool]:
    """Read each returned workbook and write what it holds, unless anything is wrong: (the plan, written)."""
    returns = [read_return(path) for path in files]
    with planning(workspace) as writes:
        trust = writes.loaded.repository.trust_record()
        when = quarter_of(trust, quarter) if quarter is not None else None
        identity = (trust.name, repository_identity(workspace.data_dir)[0])
        plan = plan_collect(writes, returns, identity, when, replace)
        written = not plan.blocked and not dry_run and bool(writes.texts)
        if written:
            writes.write()
    return plan, written
