"""The shared form helpers moved to `dangbo.core.forms`; re-exported here until every app imports them
from there."""

from dangbo.core.forms import DATE, MESSAGES, DayInput, ScopedOrgField, vietnamese_errors

__all__ = ["DATE", "MESSAGES", "DayInput", "ScopedOrgField", "vietnamese_errors"]
