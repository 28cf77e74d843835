"""The words, letters, arrows and colours for positions, progress, trends and bands.

One vocabulary for every view: the terminal, the JSON, the Board paper and the annual report all
take their words from here, so a position never reads "off track" in one place and "red" in another
unless both are meant.
"""

from __future__ import annotations

from typing import Literal, get_args

Position = Literal["R", "A", "G", "C"]
"""A projected year-end position: R off track < A at risk < G on track < C complete."""

Progress = Literal["not-started", "on-track", "behind", "at-risk", "complete"]
"""An update's progress."""

DeclaredTrend = Literal["up", "down", "same"]
"""A direction of travel the Board declares on an update: the tracker's arrow (↑ up, ↓ down, none same)."""

Purpose = Literal["assurance", "information", "decision", "approval"]
"""What a Board paper is for, as its cover sheet says."""

PURPOSE_WORDS: dict[Purpose, str] = {
    "assurance": "For assurance",
    "information": "For information",
    "decision": "For decision",
    "approval": "For approval",
}

PROGRESS_VALUES: tuple[Progress, ...] = get_args(Progress)
PURPOSE_VALUES: tuple[Purpose, ...] = get_args(Purpose)

POSITIONS = ("C", "G", "A", "R", "none")
"""Reported positions in the order roll-ups count them."""

POSITION_NAMES = {"R": "red", "A": "amber", "G": "green", "C": "complete", "none": "not yet reported"}
"""A position's colour in words, for readers who cannot see the colour."""

POSITION_MEANINGS = {"R": "off track", "A": "at risk", "G": "on track", "C": "complete"}
"""What each letter means for a projected year-end position."""

ARROWS = {"up": "↑", "down": "↓", "same": "", "new": ""}
"""A trend as an arrow beside the position; no arrow where nothing moved."""

TREND_WORDS = {"up": "improved", "down": "deteriorated", "same": "unchanged", "new": "new this quarter"}

TERMINAL_STYLES = {
    "R": "bold white on #DA291C",
    "A": "bold black on #FFB81C",
    "G": "bold white on #007F3B",
    "C": "bold white on #005EB8",
}
"""NHS colours for the position letters in the terminal."""


def position_key(letters: tuple[str, ...] = ("R", "A", "G", "C"), *, separator: str = " ") -> str:
    """`R off track, A at risk, G on track, C complete`: the key every view prints once."""
    return ", ".join(f"{letter}{separator}{POSITION_MEANINGS[letter]}" for letter in letters)


def label(value: str) -> str:
    """A progress or status value in the tracker's words: `on-track` reads On track, `not-planned` Not planned."""
    return value.replace("-", " ").capitalize()


TRACKER_HEADINGS = {
    "id": "Id",
    "quarter": "Quarter",
    "priority": "Trust Priorities",
    "risks": "Strategic Risks",
    "objective": "Supporting Objectives",
    "executive": "Executive Director",
    "executive_title": "Executive Title",
    "progress": "Current Progress",
    "comment": "Comments",
    "due": "Target Date",
    "position": "Projected Year End Position",
    "rationale": "Rationale",
}
"""A tracker column's role -> its heading, in column order: as a trust's Board tracker heads it (the id
and quarter columns are stratctl's own). `export` writes these headings and `import tracker` names
them in its messages, so a tracker exported reads back in. `Executive Title` is the executive's title as
trust.yaml gives it, beside the id the tracker writes: the Board reads the post, the import reads the id."""

RISK_HEADINGS = {
    "id": "Id",
    "title": "Title",
    "description": "Description",
    "lead": "Lead",
    "lead_title": "Lead Title",
    "committee": "Committee",
    "threatens": "Strategic Objectives",
    "appetite": "Risk Appetite",
    "inherent_likelihood": "Inherent Likelihood",
    "inherent_consequence": "Inherent Consequence",
    "inherent": "Inherent Risk Score",
    "current_likelihood": "Current Likelihood",
    "current_consequence": "Current Consequence",
    "current": "Current Risk Score",
    "target_likelihood": "Target Likelihood",
    "target_consequence": "Target Consequence",
    "target": "Target Risk Score",
    "target_date": "Target Date",
    "controls": "Key Controls",
    "gaps": "Gaps in Control",
    "assurances": "Sources of Assurance",
    "assurance_gaps": "Gaps in Assurance",
    "actions": "Actions",
    "action_owners": "Action Owners",
    "action_due": "Action Due Dates",
    "action_done": "Action Done Dates",
}
"""A BAF table's column role -> its heading, in column order: as a Board Assurance Framework summary
heads it. `export` writes these headings and `import risks` names them in its messages; the import
reads many other wordings of each (risk_table.RISK_COLUMNS), so a trust's own BAF table reads in."""
