"""Template filters for Vietnamese numbers, dates and times — `{% load vn %}`:

    {{ n|vn_number }}        2.755        {{ x|vn_number:1 }}   81,0
    {{ p|vn_percent }}       81,0 %       {{ p|vn_percent:0 }}  81 %
    {{ d|vn_date }}          05/03/2026   {{ t|vn_time }}       14:05 (Asia/Ho_Chi_Minh)
    {{ t|vn_datetime }}      05/03/2026 14:05

The formatting lives in `dangbo.core.numbers` and `dangbo.core.dates` (for code outside templates).
"""

from django import template

from dangbo.core import dates, numbers

register = template.Library()


def _int_arg(arg):
    if arg in (None, ""):
        return None
    try:
        return int(arg)
    except (TypeError, ValueError):
        return None


@register.filter
def vn_number(value, decimals=None):
    return numbers.vn_number(value, _int_arg(decimals))


@register.filter
def vn_figure(value):
    return numbers.vn_figure(value)


@register.filter
def vn_percent(value, decimals=1):
    d = _int_arg(decimals)
    return numbers.vn_percent(value, 1 if d is None else d)


@register.filter
def vn_date(value):
    return dates.vn_date(value) if value else ""


@register.filter
def vn_time(value):
    return dates.vn_time(value) if value else ""


@register.filter
def vn_datetime(value):
    return dates.vn_datetime(value) if value else ""
