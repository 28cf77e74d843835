"""The Board report: a context built from one quarter's status, rendered through Jinja templates."""
