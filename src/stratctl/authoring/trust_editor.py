"""trust.yaml edited by an import: the executives, priorities and strategic objectives a tracker or
risk table names, found where trust.yaml has them already, else added and reported.

The file is edited as a round-trip tree, so its comments and layout stay as the trust wrote them;
risks a tracker cites before they are imported are noted at the end of the file until they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from stratctl.authoring.plan import WritePlan
from stratctl.authoring.starter import EXAMPLE_ENTRIES
from stratctl.errors import StratctlError
from stratctl.importing import slug, unique_id
from stratctl.periods import FinancialYear
from stratctl.records.fields import is_valid_id
from stratctl.rewrite import dump, load, original
from stratctl.yamltext import scalar

__all__ = ["COMMON_TITLES", "PENDING_LINKS", "TrustEditor", "executive_id", "normalised"]


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

    def entries(self, key: str) -> CommentedSeq:
        """trust.yaml's list under `key` (executives, priorities ...), made empty if it is missing or not a list."""
        if not isinstance(self.tree.get(key), CommentedSeq):
            self.tree[key] = CommentedSeq()
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

    def executive(self, text: str) -> str:
        """The executive a tracker's lead names: found by id, title or initials, else added and reported."""
        wanted = executive_id(text)
        for item in self.entries("executives"):
            if normalised(str(item.get("id"))) in (normalised(text), normalised(wanted)) or normalised(
                str(item.get("title"))
            ) == normalised(text):
                if normalised(str(item.get("id"))) != normalised(text) and text.strip() not in self.mapped:
                    self.mapped.add(text.strip())
                    self.messages.append(f"executive {text.strip()!r} is {item['id']}")
                return str(item["id"])
        taken = {str(item.get("id")) for item in self.entries("executives")}
        self.mapped.add(text.strip())  # "new executive CN (Chief Nurse)" has said it already
        return self._add_executive(unique_id(wanted, taken), text.strip())  # titled in the tracker's own words

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

    def executive_ids(self) -> list[str]:
        """The executives' ids, in trust.yaml's order."""
        return [str(item.get("id")) for item in self.entries("executives")]

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
