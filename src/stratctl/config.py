"""Per-repository configuration: `stratctl.toml` beside the data/ folder.

[rules]
Y009 = "error"                 # raise a warning to an error
current-above-inherent = "off" # by code or by name; "error", "warning" or "off"

[codeowners]
default = ["@nwaft/board-office"]  # owners of data/trust.yaml, and of records whose lead names no reviewers
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from stratctl.errors import ConfigError
from stratctl.findings import Severity
from stratctl.layout import config_path
from stratctl.reading import UnreadableFile, read_capped
from stratctl.rules.owners import is_handle
from stratctl.suggest import did_you_mean

_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "off": None}


@dataclass(frozen=True)
class Config:
    """Rule severities after the repository's overrides; None means the rule is off."""

    severities: dict[str, Severity | None] = field(default_factory=dict)
    source: Path | None = None
    codeowners_default: tuple[str, ...] = ()
    """[codeowners] default: who reviews trust.yaml (and records whose lead names no reviewers)."""

    def fingerprint(self) -> bytes:
        """Everything here that can change a result: what the cache keys its entries by."""
        levels = sorted((code, None if level is None else level.value) for code, level in self.severities.items())
        return repr((levels, self.codeowners_default)).encode()

    def severity(self, code: str) -> Severity | None:
        if code in self.severities:
            return self.severities[code]
        from stratctl.rules import RULES  # the catalogue imports every rule: only when a severity is asked (start-up)

        return RULES[code].severity if code in RULES else Severity.ERROR


def load_config(repository_root: Path) -> Config:
    """Read `stratctl.toml` from the repository root, if there is one."""
    path = config_path(repository_root)
    if not os.path.lexists(path):
        return Config()
    try:
        # a regular file of at most 1 MiB: a FIFO or a link to /dev/zero named stratctl.toml is an error,
        # not a wait without end, and neither is silently taken for no configuration
        text = read_capped(path).decode("utf-8")
        document = tomllib.loads(text)
    except UnreadableFile as error:
        raise ConfigError(f"{path}: {error.reason}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a configuration") from None
    unknown_sections = set(document) - {"rules", "codeowners"}
    if unknown_sections:
        raise ConfigError(
            f"{path}: unknown section [{sorted(unknown_sections)[0]}]; the sections are [rules] and [codeowners]"
        )
    rules = document.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(
            f'{path}: rules must be a table ([rules], then one rule = "error", "warning" or "off" a line)'
        )
    severities = _severities(path, rules) if rules else {}
    return Config(severities, path, _codeowners_default(path, document.get("codeowners", {})))


def _severities(path: Path, rules: dict[str, object]) -> dict[str, Severity | None]:
    """The [rules] table's levels by rule code."""
    from stratctl.rules import RULES, lookup  # every rule: only for a file that configures them (start-up)

    severities: dict[str, Severity | None] = {}
    for key, value in rules.items():
        found = lookup(key)
        if found is None:
            names = [r.code for r in RULES.values()] + [r.name for r in RULES.values()]
            raise ConfigError(f"{path}: [rules] {key!r} is not a rule{did_you_mean(key, names)}")
        if not isinstance(value, str) or value.lower() not in _LEVELS:
            shown = repr(value) if isinstance(value, str | int | float | bool) else f"a {type(value).__name__}"
            raise ConfigError(f'{path}: [rules] {key} = {shown[:60]}: use "error", "warning" or "off"')
        severities[found.code] = _LEVELS[value.lower()]
    return severities


def _codeowners_default(path: Path, section: object) -> tuple[str, ...]:

    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [codeowners] must be a table")
    unknown = set(section) - {"default"}
    if unknown:
        raise ConfigError(f"{path}: [codeowners] {sorted(unknown)[0]!r} is not a setting; the only one is default")
    owners = section.get("default", [])
    if not isinstance(owners, list) or not all(isinstance(o, str) and is_handle(o) for o in owners):
        raise ConfigError(
            f"{path}: [codeowners] default = {owners!r}: give a list of GitHub users or teams, "
            'e.g. ["@nwaft/board-office"]'
        )
    return tuple(owners)
