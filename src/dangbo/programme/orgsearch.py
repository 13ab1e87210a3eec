"""The programme pages' organisation search (issue 12): a name typed with or without diacritics
("van phong" finds «Văn phòng Đảng ủy»), or an organisation's code.

Names are compared folded the way the member search folds them (`dangbo.text.vietnamese.fold`:
lower case, no diacritics, đ → d). The organisations' writers store the folded name
(`Organization.name_folded`, orgs.services), so the database finds the matches itself — a search
with no match at 50,000 organisations reads no row (docs/PERFORMANCE.md, issue 12). A row written
around the services (a bulk fill, `name_folded` empty) is still found: the database narrows those
by the letters folding cannot change (after folding, every letter a diacritic can change is a
vowel or "d"; the runs of other letters must appear in the name as typed) and they are folded here.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.db.models.functions import Substr

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
    unfolded = Q(name_folded="")  # rows written around the services: narrowed here, folded below
    for run in _FOLDABLE.split(q):  # (nothing to narrow by when only vowels are typed)
        if run:
            unfolded &= Q(name__icontains=run)
    # ordered by an expression of the path, not the indexed column: walking the path index reads
    # every row of the tree for a search with few or no matches; this way the database scans the
    # table once and keeps the first matches in tree order (LIMIT: a top-N sort)
    qs = orgs.filter(Q(name_folded__contains=q) | Q(code__iexact=code) | unfolded) \
        .only("id", "name", "name_folded", "code", "path").annotate(tree=Substr("path", 1)).order_by("tree")
    found, start = [], 0
    while True:
        chunk = list(qs[start:start + limit + 1])
        for o in chunk:
            if q in (o.name_folded or fold(o.name)) or o.code.lower() == code.lower():
                found.append(o)
        if len(found) > limit or len(chunk) <= limit:
            return found[:limit + 1]
        start += len(chunk)  # an unfolded candidate did not match: read on
