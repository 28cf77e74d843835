"""trust.yaml edited by an import: the executives, priorities and strategic objectives a tracker or
risk table names, found where trust.yaml has them already, else added and reported.

The file is edited as a round-trip tree, so its comments and layout stay as the trust wrote them;
risks a tracker cites before they are imported are noted at the end of the file until they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from stratctl.authoring.plan import WritePlan
from stratctl.authoring.starter import DEFAULT_NAME, DEFAULT_SHORT_NAME, EXAMPLE_ENTRIES
from stratctl.errors import StratctlError
from stratctl.importing import slug, unique_id
from stratctl.periods import FinancialYear
from stratctl.records import Trust
from stratctl.records.fields import is_valid_id
from stratctl.records.introspect import field_key, fields_in_order
from stratctl.records.trust import ReportSettings
from stratctl.rewrite import dump, load, original
from stratctl.yamltext import scalar

__all__ = ["COMMON_TITLES", "PENDING_LINKS", "TrustEditor", "executive_id", "normalised", "post_parts", "short_name_of"]


def normalised(text: str) -> str:
    """Text as an import compares it: spaces collapsed, case folded (`Chief  nurse` is `chief nurse`)."""
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


_TITLE_THEN_ID = re.compile(r"(?P<title>\S.*?)\s*\((?P<id>[A-Za-z][A-Za-z0-9._-]{1,14})\)\s*")
_ID_THEN_TITLE = re.compile(r"\s*(?P<id>[A-Z][A-Za-z0-9]{1,9})\s*(?:[-–—:]|\s-\s)\s*(?P<title>\S.*?)\s*")


def post_parts(text: str) -> tuple[str | None, str]:
    """An executive's post as a tracker may write it, as (id, title): `Chief Operating Officer (COO)` and
    `COO - Chief Operating Officer` give both; anything else is (None, the text)."""
    if len(text) > 200:  # no post is written at such length; and the patterns stay linear on what they read
        return None, text.strip()
    for pattern in (_TITLE_THEN_ID, _ID_THEN_TITLE):
        match = pattern.fullmatch(text)
        # an id is letters in capitals (COO, DoN): `Chief Executive (Interim)` is a title, not Interim's post
        if match and is_valid_id(match["id"]) and sum(c.isupper() for c in match["id"]) >= 2:
            return match["id"], match["title"].strip()
    return None, text.strip()


def is_placeholder_title(executive_id: str, title: str) -> bool:
    """A title that says no more than the id (`CPO` titled `CPO`): what an import writes when the tracker
    names the post by its letters."""
    return normalised(title) == normalised(executive_id) or not title.strip()


_NAME_SMALL_WORDS = {"of", "and", "upon", "on", "in", "the", "nhs"}


def short_name_of(name: str) -> str:
    """A trust's short name as trusts make theirs: the initials of its name without NHS and the small words
    (`North West Anglia NHS Foundation Trust` is NWAFT, `East of England Ambulance Service NHS Trust` EEAST)."""
    words = re.findall(r"[A-Za-z][A-Za-z'’]*", name)
    return "".join(word[0].upper() for word in words if word.lower() not in _NAME_SMALL_WORDS) or "TRUST"


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


def _put_in_order(mapping: CommentedMap, model: type[BaseModel], key: str, value: object) -> None:
    """Set `key` in a round-trip mapping; a new key goes where `fmt` keeps it, among the model's fields in order."""
    if key in mapping:
        mapping[key] = value
        return
    order = [field_key(model, f.name) for f in fields_in_order(model)]
    later = set(order[order.index(key) + 1 :]) if key in order else set()
    position = next((i for i, existing in enumerate(mapping) if existing in later), len(mapping))
    mapping.insert(position, key, value)


class TrustEditor:
    """trust.yaml as a round-trip tree: executives and priorities found, or created and reported.

    Each change it makes is said, in words, on `messages` (an import's list of what it does).
    """

    def __init__(self, writes: WritePlan, messages: list[str]) -> None:
        self.path = writes.workspace.data_dir / "trust.yaml"
        self.source = writes.source(self.path)
        self.tree = load(self.source)
        self.messages = messages
        self.mapped: set[str] = set()
        self.pending = self.pending_links()

    def put(self, key: str, value: object) -> None:
        """Set a top-level key of trust.yaml; a new one goes where `fmt` keeps it, in the model's order of keys."""
        _put_in_order(self.tree, Trust, key, value)

    def entries(self, key: str) -> CommentedSeq:
        """trust.yaml's list under `key` (executives, priorities ...), made empty if it is missing or not a list."""
        if not isinstance(self.tree.get(key), CommentedSeq):
            self.put(key, CommentedSeq())
        listed: CommentedSeq = self.tree[key]
        return listed

    def _append(self, key: str, entry: CommentedMap) -> None:
        listed = self.entries(key)
        if not listed:  # `executives: []` grows as a block list, one entry a line, not `[{id: COO, ...}]`
            listed.fa.set_block_style()
        listed.append(entry)

    def strategic_objectives(self, numbered: list[tuple[int, str]]) -> None:
        """The strategic objectives a tracker lists above its table, added to trust.yaml unless already there."""
        items = self.entries("strategic_objectives")
        known = {normalised(str(item.get("title"))) for item in items if isinstance(item, dict)}
        taken = {str(item.get("id")) for item in items if isinstance(item, dict)}
        added = []
        for number, title in numbered:
            if normalised(title) in known:
                continue
            new_id = unique_id(f"SO{number}", taken)
            taken.add(new_id)
            self._append("strategic_objectives", CommentedMap([("id", new_id), ("title", scalar(title))]))
            added.append(new_id)
        if added:
            self.messages.append(
                f"trust.yaml: new strategic objective{'s' if len(added) > 1 else ''} {', '.join(added)} "
                "from the tracker's "
                "heading; say which each objective supports with `supports: [SO1]` in its file"
            )

    def executive(self, text: str, title: str | None = None) -> str:
        """The executive a tracker's lead names: found by id, title or initials, else added and reported.

        `Chief Operating Officer (COO)` names COO with its title; `title` is a title the table gives
        beside the lead (an export's Executive Title column). Either fills in a title that said no more
        than the id (`CPO` titled `CPO`); a title the trust wrote is never replaced from a table.
        """
        given_id, words = post_parts(text)
        title = (title or "").strip() or (words if given_id else None)
        wanted = given_id or executive_id(words)
        found = self.find_executive(text)
        if found is not None:
            item = next(i for i in self.entries("executives") if str(i.get("id")) == found)
            if normalised(found) != normalised(text) and text.strip() not in self.mapped:
                self.mapped.add(text.strip())
                self.messages.append(f"executive {text.strip()!r} is {found}")
            if (
                title
                and is_placeholder_title(found, str(item.get("title") or ""))
                and not is_placeholder_title(found, title)
            ):
                self.retitle(found, title, "from the table")
            return found
        taken = {str(item.get("id")) for item in self.entries("executives")}
        self.mapped.add(text.strip())  # "new executive CN (Chief Nurse)" has said it already
        return self._add_executive(unique_id(wanted, taken), title or words)  # titled in the tracker's own words

    def find_executive(self, text: str) -> str | None:
        """The id of the executive `text` names, by id, title, `Title (ID)` or initials; None when there is none."""
        given_id, words = post_parts(text)
        names = {normalised(text), normalised(given_id or executive_id(words))}
        for item in self.entries("executives"):
            if not isinstance(item, dict):
                continue
            if normalised(str(item.get("id"))) in names or normalised(str(item.get("title"))) in (
                normalised(text),
                normalised(words),
            ):
                return str(item["id"])
        return None

    def retitle(self, executive: str, title: str, why: str) -> None:
        """Give an executive in trust.yaml its title, and say so."""
        item = next(i for i in self.entries("executives") if str(i.get("id")) == executive)
        if str(item.get("title")) == title:
            return
        item["title"] = scalar(title)
        self.messages.append(f"trust.yaml: executive {executive} titled {title} ({why})")

    def given_executives(self, given: Iterable[tuple[str, str]]) -> None:
        """Executives and their titles as `--executive ID=TITLE` gives them: added, or retitled."""
        for executive, title in given:
            if not is_valid_id(executive):
                raise StratctlError(
                    f"--executive {executive}={title}: {executive!r} is not an id: letters, digits, '.', '_' and '-', "
                    'e.g. --executive "CPO=Chief People Officer"; nothing was written'
                )
            if not title.strip():
                raise StratctlError(f"--executive {executive}=: give the title after '=', e.g. {executive}=Chief ...")
            known = next(
                (
                    str(i.get("id"))
                    for i in self.entries("executives")
                    if normalised(str(i.get("id"))) == normalised(executive)
                ),
                None,
            )
            if known is None:
                self.mapped.add(executive)
                self._add_executive(executive, title.strip())
            else:
                self.retitle(known, title.strip(), "--executive")

    def lead(self, given: str) -> str:
        """The executive `import risks --lead` names: found as `executive` finds one, else added with that id."""
        given = given.strip()
        if not given:
            raise StratctlError("--lead cannot be empty: give an executive's id, e.g. --lead CEO")
        known = any(
            normalised(given) in (normalised(str(item.get("id"))), normalised(str(item.get("title"))))
            for item in self.entries("executives")
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
        self.messages.append(message)
        return new_id

    def trust_named(self, name: str, where: str) -> None:
        """The trust's name (and short name, its initials) where trust.yaml still has init's placeholders."""
        if str(self.tree.get("name")) != DEFAULT_NAME or normalised(name) == normalised(DEFAULT_NAME):
            return
        self.tree["name"] = scalar(name)
        said = f"trust.yaml: name {name}"
        if str(self.tree.get("short_name")) == DEFAULT_SHORT_NAME:
            short = short_name_of(name)
            self.tree["short_name"] = scalar(short)
            said += f", short name {short} (its initials: init --short-name gives another)"
        self.messages.append(f"{said}, from {where}")

    def cover(self, settings: Mapping[str, str | date]) -> None:
        """The cover sheet's values (trust.yaml's `report:`) from the command line; `presenter` names an executive."""
        if not settings:
            return
        report = self.tree.get("report")
        if not isinstance(report, CommentedMap):
            report = CommentedMap()
            self.put("report", report)
        for key, value in settings.items():
            if key == "presenter":
                value = self._presenter(str(value))
            if str(report.get(key)) == str(value):
                continue
            _put_in_order(report, ReportSettings, key, scalar(value) if isinstance(value, str) else value)
            self.messages.append(f"trust.yaml: the cover sheet's {key.replace('_', ' ')}: {value}")

    def _presenter(self, given: str) -> str:
        found = self.find_executive(given)
        if found is None:
            known = ", ".join(self.executive_ids()) or "none yet"
            raise StratctlError(
                f"--presenter {given!r} is not an executive in trust.yaml or the file imported (known: {known}); "
                "nothing was written"
            )
        return found

    def drop_examples(self) -> list[str]:
        """Remove the example entries `init` wrote (those still as written); returns what was removed."""
        removed = []
        for key, (entry_id, title) in EXAMPLE_ENTRIES.items():
            items = self.entries(key)
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
        for item in self.entries("priorities"):
            if normalised(str(item.get("title"))) == normalised(title) or normalised(str(item.get("id"))) == normalised(
                title
            ):
                self.link_risks(item, risks, known_risks)
                return str(item["id"])
        new_id = unique_id(slug(title, 6), {str(item.get("id")) for item in self.entries("priorities")})
        entry = CommentedMap([("id", new_id), ("title", scalar(title))])
        if statement:
            entry["statement"] = scalar(statement)
        entry["year"] = str(year)  # a tracker's priorities are that year's
        self._append("priorities", entry)
        self.messages.append(f"trust.yaml: new priority {new_id} ({title})")
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
            self.messages.append(f"trust.yaml: priority {item['id']} now cites risks {', '.join(adding)}")
        missing = [r for r in dict.fromkeys(risks) if r not in known_risks and r not in listed]
        priority = str(item["id"])
        if missing:
            already = self.pending.get(priority, [])
            newly = [r for r in missing if r not in already]
            self.pending[priority] = [*already, *newly]
            if newly:  # said once, not again for every row under the priority
                self.messages.append(
                    f"trust.yaml: priority {priority} cites risks {', '.join(newly)} not yet in data/risks; "
                    "noted at the end of trust.yaml, and linked when stratctl import risks brings them in"
                )
        elif priority in self.pending:
            self.pending[priority] = [r for r in self.pending[priority] if r not in known_risks]
            if not self.pending[priority]:
                del self.pending[priority]

    def link_pending(self, imported: set[str]) -> None:
        """Link the risks a tracker cited for each priority before they were imported, now that they are."""
        for priority, risks in list(self.pending.items()):
            item = next((p for p in self.entries("priorities") if str(p.get("id")) == priority), None)
            if item is not None:
                self.link_risks(item, risks, imported)
            else:
                del self.pending[priority]

    def committee(self, name: str) -> str:
        """A committee a risk table names: by id or title where trust.yaml lists committees (else added
        there, and said); as the table writes it where trust.yaml lists none, as records may then."""
        listed = self.tree.get("committees")
        if not isinstance(listed, CommentedSeq) or not listed:
            return name
        for item in listed:
            if isinstance(item, dict) and normalised(name) in (
                normalised(str(item.get("id"))),
                normalised(str(item.get("title"))),
            ):
                return str(item["id"])
        new_id = unique_id(slug(name, 6), {str(item.get("id")) for item in listed if isinstance(item, dict)})
        self._append("committees", CommentedMap([("id", new_id), ("title", scalar(name))]))
        self.messages.append(f"trust.yaml: new committee {new_id} ({name})")
        return new_id

    def strategic_objective_ids(self, text: str) -> tuple[list[str], list[str]]:
        """The strategic objectives a risk table's cell names (`SO1, SO3`, `1 and 3`, or a title), and the
        parts of it that name none in trust.yaml."""
        entries = [i for i in self.entries("strategic_objectives") if isinstance(i, dict)]
        by_name = {normalised(str(i.get("id"))): str(i.get("id")) for i in entries} | {
            normalised(str(i.get("title"))): str(i.get("id")) for i in entries
        }
        if normalised(text) in by_name:
            return [by_name[normalised(text)]], []
        found: list[str] = []
        unknown: list[str] = []
        parts = [p.strip() for p in re.split(r"[,;\n/&]|\band\b", text) if p.strip()]
        # `SO1 SO4`: ids with only spaces between, each one known
        parts = [
            w for p in parts for w in (p.split() if all(self._one_id(w, by_name, entries) for w in p.split()) else [p])
        ]
        for part in parts:
            bare = re.sub(r"^(?:strategic\s+)?(?:objective|aim|goal|ambition|so)\s*", "", part, flags=re.I).strip()
            numbered = [
                str(i.get("id"))
                for i in entries
                if bare.isdigit() and re.fullmatch(rf"[A-Za-z]*0*{int(bare)}", str(i.get("id")))
            ]
            match = by_name.get(normalised(part)) or by_name.get(normalised(bare))
            match = match or (numbered[0] if len(numbered) == 1 else None)
            if match is None:
                unknown.append(part)
            elif match not in found:
                found.append(match)
        return found, unknown

    @staticmethod
    def _one_id(word: str, by_name: dict[str, str], entries: list[dict[str, object]]) -> bool:
        """`word` names one strategic objective by its id, or by the number its id ends with."""
        if normalised(word) in by_name:
            return True
        return (
            word.isdigit()
            and sum(bool(re.fullmatch(rf"[A-Za-z]*0*{int(word)}", str(i.get("id")))) for i in entries) == 1
        )

    def appetite(self, text: str) -> str | None:
        """The risk appetite level a table's cell gives (`Cautious`, `Cautious (12)`): one of trust.yaml's
        levels, or a new one added with the score it gives; None when it names no level and gives no score."""
        match = re.fullmatch(r"([A-Za-z][A-Za-z-]*)\s*(?:[(\[:–-]\s*(?:up to\s*)?([0-9]{1,2})\s*[)\]]?)?", text.strip())
        if match is None:
            return None
        level = match[1].lower()
        levels = self.tree.get("risk_appetite")
        if isinstance(levels, CommentedMap) and level in levels:
            return level
        if match[2] is None or not 1 <= int(match[2]) <= 25:
            return None
        if not isinstance(levels, CommentedMap):
            levels = CommentedMap()
            self.put("risk_appetite", levels)
        levels[level] = int(match[2])
        self.messages.append(f"trust.yaml: new risk appetite level {level}, tolerating scores up to {match[2]}")
        return level

    def executive_ids(self) -> list[str]:
        """The executives' ids, in trust.yaml's order."""
        return [str(item.get("id")) for item in self.entries("executives")]

    def text(self, pending: dict[str, list[str]] | None = None) -> str | None:
        """trust.yaml as changed, with the note of risks still to link (or without it, once linked)."""
        text = dump(self.source, self.tree)
        newline = self.source.newline
        marker = PENDING_LINKS.replace("\n", newline)
        if marker in text:  # the old note: dropped, then written again below if anything is still pending
            before, after = text[: text.index(marker)], text[text.index(marker) + len(marker) :]
            kept = after.split(newline)
            while kept and (not kept[0].strip() or _PENDING_LINE.fullmatch(kept[0].strip())):
                kept.pop(0)  # the note's lines; keys added to the tree since (dumped after the note) are kept
            text = before.rstrip() + newline + (newline.join(kept).rstrip() + newline if kept else "")
        if pending:
            lines = [marker, *(f"#   {priority}: {' '.join(risks)}" for priority, risks in pending.items())]
            text = text.rstrip() + newline + newline.join(lines) + newline
        return text if text != original(self.source) else None
