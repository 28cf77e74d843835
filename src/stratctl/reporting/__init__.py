"""The Board report: a context built from one quarter's status, rendered through Jinja templates."""

PAPER_FORMATS = ("md", "html", "pdf", "json")
"""The formats a paper is written in (`report --format`)."""
