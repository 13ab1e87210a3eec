"""Numbers as Vietnamese readers write them: "." between thousands, "," before decimals (2.755;
81,0; 81,0 %). One format everywhere: pages (the `vn_number` / `vn_percent` template filters in
`web/templatetags/vn.py`), messages, Word and CSV text.

Written here rather than with Django's `number_format`: that one follows the active language (unset in
management commands, threads and the demo), while the platform has exactly one format.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

#: no-break space between a number and "%" so "81,0 %" never wraps apart
NBSP = "\u00a0"


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def vn_number(value, decimals: int | None = None) -> str:
    """2755 → "2.755"; 81.0 → "81,0"; 1234.567 with decimals=2 → "1.234,57" (half up).

    Integers have no decimals unless asked; other numbers get one decimal unless `decimals` says
    otherwise. Anything that is not a number is returned as text, unchanged ("" for None; a boolean
    as Có / Không)."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if decimals is None:
        decimals = 0 if isinstance(value, int) or (isinstance(value, str) and "." not in value) else 1
    quantum = Decimal(1).scaleb(-decimals)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    if sign and (int(text.replace(".", "")) or fraction.strip("0")):
        text = sign + text
    return f"{text},{fraction}" if decimals > 0 else text


def vn_figure(value, most: int = 2) -> str:
    """A figure as it was entered, with no decimals it lacks: 1.00 → "1", 2.50 → "2,5", 1234.25 →
    "1.234,25" — at most `most` decimals (half up). For counts and amounts stored as decimals (the
    programme's figures, goals and roll-ups), where `vn_number`'s one decimal made «1,0 đảng viên»."""
    number = _decimal(value)
    if number is None:
        return vn_number(value)
    number = number.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP).normalize()
    return vn_number(number, max(0, -number.as_tuple().exponent))


def vn_percent(value, decimals: int = 1) -> str:
    """81 → "81,0 %" (a no-break space before the sign)."""
    text = vn_number(value, decimals)
    return f"{text}{NBSP}%" if _decimal(value) is not None else text
