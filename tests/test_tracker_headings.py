"""One list of tracker headings: what export writes is what import reads back."""

from __future__ import annotations

from stratctl.exporting import TRACKER_HEADER
from stratctl.importing import COLUMNS, read_tracker
from stratctl.vocabulary import TRACKER_HEADINGS


def test_every_tracker_role_has_one_heading_and_one_way_to_read_it() -> None:
    assert list(TRACKER_HEADINGS) == list(COLUMNS)


def test_the_exported_header_reads_back_column_for_column() -> None:
    row = [
        "obj-1",
        "2021/22 Q3",
        "Access",
        "103350",
        "Cut waits",
        "COO",
        "Chief Operating Officer",
        "On track",
        "",
        "31/03/2022",
        "G",
        "",
    ]
    table = [(1, list(TRACKER_HEADER)), (2, row + [""] * (len(TRACKER_HEADER) - len(row)))]
    tracker = read_tracker(table)
    assert tracker.columns == TRACKER_HEADINGS
    assert tracker.missing == []
    assert TRACKER_HEADER[: len(TRACKER_HEADINGS)] == list(TRACKER_HEADINGS.values())
