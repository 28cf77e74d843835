"""The project's own errors: the tool could not run (exit code 2)."""


class StratctlError(Exception):
    """Something stops stratctl from doing its work at all: a usage or configuration problem.

    Problems in the records are never raised: they are findings.
    """


class RepositoryNotFound(StratctlError):
    pass


class ConfigError(StratctlError):
    pass
