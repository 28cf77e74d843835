"""The Board report: a context built from one quarter's status, rendered through Jinja templates."""

PAPER_FORMATS = ("md", "html", "pdf", "json")
"""The formats a paper is written in (`report --format`)."""

AUDIENCES = ("board", "public")
"""Who an annual report is written for (`report --year Y --audience public`): the Board's table of
positions by quarter, or the public annual report in plain words."""
