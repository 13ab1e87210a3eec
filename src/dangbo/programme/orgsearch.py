"""The programme pages' organisation search (issue 12): a name typed with or without diacritics
("van phong" finds «Văn phòng Đảng ủy»), or an organisation's code.

Names are compared folded the way the member search folds them (`dangbo.text.vietnamese.fold`:
lower case, no diacritics, đ → d). Organisations keep no folded column (the orgs app's table), so
the database narrows the candidates first: after folding, every letter a diacritic can change is a
vowel or "d"; the runs of other letters must appear in the name as typed (plain ASCII, compared
case-insensitively on SQLite and PostgreSQL alike). The candidates are then read in tree order and
folded here until `limit` + 1 match — a prefix filter no library offers for a column without its
folded copy, hence these few lines.
"""

from __future__ import annotations

import re

from django.db.models import Q

from dangbo.core.textcheck import bad_char
from dangbo.text.vietnamese import fold

_FOLDABLE = re.compile(r"[aeiouyd\s]+")


def folded_query(text: str) -> str:
    """The query as folded names hold it, without characters no name holds (NUL, zero-width, bidi)."""
    return fold("".join(ch for ch in (text or "")[:100] if bad_char(ch) is None))


def find_orgs(orgs, text: str, limit: int) -> list:
    """The organisations of `orgs` (a scoped queryset) whose folded name contains the folded `text`,
    or whose code is `text`, in tree order: at most `limit` + 1 (the caller says «more» beyond)."""
    q = folded_query(text)
    if not q:
        return []
    code = text.strip()
    runs = [run for run in _FOLDABLE.split(q) if run]
    if runs:  # (nothing to narrow by when only vowels are typed: every name is a candidate)
        narrowed = Q()
        for run in runs:
            narrowed &= Q(name__icontains=run)
        orgs = orgs.filter(narrowed | Q(code__iexact=code))
    found = []
    for o in orgs.only("id", "name", "code", "path").order_by("path").iterator(chunk_size=500):
        if q in fold(o.name) or o.code.lower() == code.lower():
            found.append(o)
            if len(found) > limit:
                break
    return found
