"""Display filters of the member pages.

`so` writes a whole number the Vietnamese way ("2.755"). Written here because the shared number and
date filters (issue 10, the "shell" work on `web/`) were not on main yet; switch to those when they are.
"""

from django import template

register = template.Library()


@register.filter
def so(value) -> str:
    """2755 → "2.755" (Vietnamese thousands separator); anything that is not a number unchanged."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    return f"{number:,}".replace(",", ".")
