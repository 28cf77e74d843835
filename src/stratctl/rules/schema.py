"""Rules about fields and their values, checked by the record models while loading."""

from stratctl.findings import Severity
from stratctl.rules.registry import declare

E = Severity.ERROR

UNKNOWN_FIELD = declare("S001", "unknown-field", E, """
    A key that the record format does not define (often a typo).

    Bad:
        lede: COO
    Good:
        lead: COO
    """)

MISSING_FIELD = declare("S002", "missing-field", E, """
    A required field is missing.

    Bad:
        id: maternity-vacancies
        title: Reduce maternity service vacancies to 5% by Q4
    Good:
        id: maternity-vacancies
        title: Reduce maternity service vacancies to 5% by Q4
        year: 2021/22
        priority: celebrate-support-staff
        lead: CPO
    """)

INVALID_VALUE = declare("S003", "invalid-value", E, """
    A value of the wrong kind: text where a number belongs, a word outside the
    allowed list, or yes/no where true/false is meant.

    Bad:
        progress: On track
    Good:
        progress: on-track
    """)

INVALID_DATE = declare("S004", "invalid-date", E, """
    Dates are ISO 8601, year-month-day, and must exist in the calendar.

    Bad:
        due: 31/03/2022
    Good:
        due: 2022-03-31
    """)

INVALID_ID = declare("S005", "invalid-id", E, """
    Ids are letters, digits, '.', '_' and '-'. A number with a leading zero
    must be quoted, or YAML reads 0012 as 12.

    Bad:
        id: 0012
    Good:
        id: "0012"
    """)

INVALID_PERIOD = declare("S006", "invalid-period", E, """
    Financial years are written 2021/22 and quarters 2021/22 Q3.

    Bad:
        quarter: Q3 2021
    Good:
        quarter: 2021/22 Q3
    """)

CUSTOM_ERROR_CODES = {
    "stratctl_date": INVALID_DATE,
    "stratctl_id": INVALID_ID,
    "stratctl_period": INVALID_PERIOD,
    "extra_forbidden": UNKNOWN_FIELD,
    "missing": MISSING_FIELD,
}
"""Pydantic error types and the rule each becomes; any other type is invalid-value."""
