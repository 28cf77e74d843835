"""Rules about the YAML itself. Their findings are made while a file is read."""

from stratctl.findings import Severity
from stratctl.rules.registry import declare

E, W = Severity.ERROR, Severity.WARNING

YAML_SYNTAX = declare(
    "Y001",
    "yaml-syntax",
    E,
    """
    The file is not valid YAML.

    The commonest causes: a tab used for indentation, a value containing ": "
    that is not quoted, or a line indented differently from its neighbours.

    Bad:
        title: Phase 1: scoping
    Good:
        title: "Phase 1: scoping"
    """,
)

DUPLICATE_KEY = declare(
    "Y002",
    "duplicate-key",
    E,
    """
    A key appears twice in the same mapping; YAML would silently keep only one.

    Bad:
        lead: COO
        lead: CMO
    Good:
        lead: COO
    """,
)

INVALID_CHARACTER = declare(
    "Y003",
    "invalid-character",
    E,
    """
    The file has bytes that are not UTF-8 text, or control characters.

    Save the file as UTF-8 (most editors: "Save with encoding"), and delete
    invisible control characters pasted in from other documents.

    Bad:
        comment: Caf\\xe9 opened   (a Windows-1252 byte)
    Good:
        comment: Café opened
    """,
)

MULTIPLE_DOCUMENTS = declare(
    "Y004",
    "multiple-documents",
    E,
    """
    A record file holds exactly one YAML document; a second `---` starts another.

    Bad:
        id: a
        ---
        id: b
    Good:
        id: a
    """,
)

ANCHOR_OR_ALIAS = declare(
    "Y005",
    "anchor-or-alias",
    E,
    """
    Anchors (&name) and aliases (*name) are not allowed: a reviewer of a pull
    request must see every value where it applies, and aliases can expand a tiny
    file into gigabytes.

    Bad:
        supports: &so [SO1]
        risks: *so
    Good:
        supports: [SO1]
        risks: [SO1]
    """,
)

TAG = declare(
    "Y006",
    "tag",
    E,
    """
    YAML tags (!!python/object, !!str, !custom) are not allowed: a record holds
    plain values only. stratctl never executes a tag.

    Bad:
        title: !!python/object/apply:os.system [echo hi]
    Good:
        title: Echo hi
    """,
)

TOO_DEEP = declare(
    "Y007",
    "too-deep",
    E,
    """
    Values nest deeper than any record ever needs (32 levels).

    Bad:
        title: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
    Good:
        title: x
    """,
)

NOT_A_MAPPING = declare(
    "Y008",
    "not-a-mapping",
    E,
    """
    A record file holds one mapping of fields (key: value), not a list, a
    single value, or nothing.

    Bad:
        - id: a
    Good:
        id: a
    """,
)

COMMENT_IN_TEXT = declare(
    "Y009",
    "comment-in-text",
    W,
    """
    Text ends where " #" begins: YAML reads the rest of the line as a comment and drops it.

    An intended comment after a value is written with two spaces before the #.

    Bad:
        comment: Recruitment is our #1 priority
    Good:
        comment: "Recruitment is our #1 priority"
    """,
)

FILE_TOO_LARGE = declare(
    "Y010",
    "file-too-large",
    E,
    """
    The file is larger than any record should be (1 MiB); it is not read.

    A record is a page or two of text. A file this large is usually an export
    or a log saved into the wrong folder.

    Bad:
        (a 10 MB file in data/objectives/)
    Good:
        (one objective per file, a few kilobytes)
    """,
)

UNREADABLE_FILE = declare(
    "Y011",
    "unreadable-file",
    E,
    """
    The file could not be opened: it is a folder named like a record, or its permissions
    do not let stratctl read it.

    Every record file must be readable, or a check could pass with a record left out.

    Bad:
        data/objectives/archive.yaml/   (a folder)
    Good:
        data/archive/                   (outside the record folders)
    """,
)

FILE_NOT_READ = declare(
    "Y012",
    "file-not-read",
    W,
    """
    A YAML file under data/ that stratctl never reads, so it is never checked or reported.

    Records are read from data/trust.yaml and from files ending in .yaml or .yml (lower case)
    directly inside data/objectives/, data/risks/ and data/strategies/. A record in a
    sub-folder, in a folder with another name, or with an extension in capitals is silently
    left out of every check and report; this rule says so, with where it should be.

    Bad:
        data/objectives/2021/maternity.yaml
        data/objectives/Maternity.YAML
        data/objective/maternity.yaml
    Good:
        data/objectives/maternity.yaml
    """,
)
