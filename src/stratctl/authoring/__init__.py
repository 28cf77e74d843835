"""Writing records: quarterly updates, scaffolds, the formatter. Every write is validated first."""
