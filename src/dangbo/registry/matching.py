"""Find the records that are the same person — precision first (pure Python, no Django).

A wrong merge of two members is far worse than a missed one, so:

* **Blocking** keeps comparisons few: records are compared only when they share a
  national ID, a party card number, folded given name + birth year, or folded
  surname + middle name + birth year (an oversized name block is split by the
  full birth date).
* **Comparison** (:func:`compare`) judges each field: names (exact; equal but one
  written without diacritics; diacritics differ; a one- or two-letter typo by
  Levenshtein / Jaro–Winkler on the folded names; different), birth dates (same;
  day and month swapped; same year where one is known to the year only;
  different), national IDs, card numbers, sex and home town (same commune;
  province only, old Vĩnh Phúc / Hòa Bình compatible with new Phú Thọ).
* **Decision**: different national IDs or different sex → never merge.  Merge
  automatically only on strong evidence: the same national ID (names alike);
  the same card number and the same name; or the same full name, full birth
  date, sex and home-town commune with no conflicting ID nor party admission day
  — and then only when no other record of the same name and birth year could be
  the same person
  (:func:`match` checks); the same for the same full name, birth day and party
  admission day (an agreeing admission day is evidence, a differing one counts
  against).  Plausible pairs go to review (same name and birth year with IDs
  missing, name typos without an ID, swapped dates …).  People who share a full
  name and birth date but not a home town go to review, never merged.  Rows with
  the same name, birth date and admission date whose ID numbers differ by one
  digit or two adjacent digits exchanged go to review with that reason — never
  merged (different IDs), never silently apart.  Disagreeing evidence blocks a merge
  without an agreeing ID (issue 15): admission dates compared at the precision both rows
  have (a year against a year), and two different card numbers both present (a typing slip
  between them → review, never merge).
* **Clusters**: union–find over the merge pairs, strongest first, refusing a
  union that would put two different national IDs (or two sexes) in one person.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from dangbo.registry.limits import number
from dangbo.registry.records import Record

MERGE, REVIEW, APART = "merge", "review", "apart"
#: A pair kept apart whose only evidence is a shared name and birth year, with nothing else agreeing
#: or something disagreeing: counted in the report (``weak_pairs``), not queued for review.
WEAK = "weak"
#: How a merge pair was decided, strongest first (also the ``match`` of a person).
RULE_ID, RULE_CARD, RULE_NAME = "national_id", "card+name", "name+birth+hometown"
RULE_SCORE = "score"
RULE_ORDER = {RULE_ID: 0, RULE_CARD: 1, RULE_NAME: 2, RULE_SCORE: 3}

#: Name blocks larger than this are split by the full birth date.
MAX_BLOCK = 60

# Score weights (for ordering and display; decisions follow the rules above).
_W = {
    "national_id": {"same": 12.0, "different": -20.0},
    "party_card_no": {"same": 6.0, "different": -0.5},
    "name": {"exact": 4.0, "no_diacritics": 3.5, "diacritics_differ": 1.0, "typo": 1.5, "typo_same_given": 1.5, "parts_swapped": 2.0,
             "partial": 0.0, "different": -6.0},
    "birth_date": {"same": 4.0, "swapped": 2.0, "year": 1.0, "different_day": -3.0, "different": -5.0},
    "sex": {"same": 0.5, "different": -10.0},
    "home_town": {"same_commune": 2.0, "same_province": 0.3, "different_commune": -1.5, "different": -1.0},
}

#: Evidence weights of the score rule (:func:`evidence_score`): roughly log-odds that the two
#: records are one person, given each field's verdict.  A differing card is weak evidence against
#: (cards were re-issued in 2025); a replaced name part (``partial``) is weak evidence, not a veto.
EVIDENCE = {
    "party_card_no": {"same": 7.0, "different": -1.0},
    "name": {"exact": 5.0, "no_diacritics": 4.5, "diacritics_differ": 3.0, "typo": 4.0, "typo_same_given": 4.0,
             "parts_swapped": 4.0,
             "partial": 1.0, "different": -4.0},
    "birth_date": {"same": 5.0, "swapped": 2.0, "year": 1.0, "different_day": -1.0, "different": -3.0},
    "home_town": {"same_commune": 2.0, "same_province": 0.3, "different_commune": -1.0, "different": -1.5},
    # The day a member was admitted is on each of their rolls; namesakes almost never share it.  A
    # differing day already keeps the name + birth + commune rules from merging.
    "admission_date": {"same": 2.0},
}
#: The score rule merges at or above this evidence (and only with an identifying field in agreement).
EVIDENCE_MERGE = 10.0


@dataclass(frozen=True)
class Profile:
    """How the matcher weighs evidence for one kind of roll.

    ``vietnamese`` (the default, :data:`VIETNAMESE`): the rules above — a shared surname is nearly
    worthless (Nguyễn, Trần …), namesakes sharing a full name and birth date exist, so without an
    agreeing identifier (ID, card, or full birth date + commune) nothing merges.

    ``febrl`` (:data:`FEBRL`, only for the FEBRL sanity benchmark, never for party rolls): rolls
    whose names come from a large pool of surnames (English-speaking registers) and carry no
    planted namesakes.  The vetoes and the classic rules are the same; the score rule is plain
    Fellegi–Sunter — merge when the :attr:`evidence` sum reaches :attr:`merge_at`, with no
    identifying field required, a shared surname (``partial``) counting as real evidence and a
    differing card as evidence against.  Blocking adds surname / given name + birth date and
    surname / given name + commune keys (``extra_blocks``).
    """

    name: str
    evidence: dict[str, dict[str, float]] | None = None  # None: the Vietnamese rules
    merge_at: float = EVIDENCE_MERGE
    extra_blocks: bool = False


VIETNAMESE = Profile("vietnamese")
FEBRL = Profile(
    "febrl",
    evidence={
        "party_card_no": {"same": 6.0, "different": -2.0},
        "name": {"exact": 5.0, "no_diacritics": 5.0, "diacritics_differ": 4.0, "typo": 4.0, "typo_same_given": 4.0,
                 "parts_swapped": 4.0, "partial": 2.0, "different": -2.0},
        "birth_date": {"same": 5.0, "swapped": 3.0, "year": 1.0, "different_day": -2.0, "different": 0.0},
        "home_town": {"same_commune": 3.0, "same_province": 0.5, "different_commune": -1.0, "different": -1.0},
    },
    merge_at=7.0,
    extra_blocks=True,
)
PROFILES = {p.name: p for p in (VIETNAMESE, FEBRL)}


@dataclass
class Comparison:
    """The comparison of two records: per-field verdicts, a score, and the decision."""

    a: int  # record indexes, a < b
    b: int
    fields: dict[str, str]
    score: float
    decision: str  # MERGE | REVIEW | WEAK | APART
    rule: str | None = None  # for MERGE: RULE_*
    reason: str = ""
    kind: str = ""  # for REVIEW: the class (:data:`KINDS`), set by :func:`match`


# ---------------------------------------------------------------- field comparisons


def _part_alike(x: str, y: str) -> bool:
    """Two folded name parts agree: equal, or one edit apart when both have at least four letters."""
    if not x or not y:
        return False
    return x == y or (min(len(x), len(y)) >= 4 and OSA.distance(x, y) <= 1)


def compare_names(a: Record, b: Record) -> str:
    """The name verdict, strongest first.

    * ``exact`` / ``no_diacritics`` / ``diacritics_differ``: the same name, written alike, one
      without diacritics, or with other diacritics;
    * ``typo``: one or two letters apart on the folded full names; ``typo_same_given`` when the
      given names are equal (the typo is in the surname or middle name) — Vietnamese given names
      are short, and one letter apart there is often another name (Hùng / Dũng, Thành / Thịnh);
    * ``parts_swapped``: the same words in another order (given name and surname exchanged, or a word
      split in two), one letter of slack;
    * ``partial``: the surname agrees and the given name was replaced, or the reverse (a
      nickname, another given name); weak evidence, never enough alone;
    * ``different``.
    """
    if a.full_name == b.full_name:
        return "exact"
    if a.name_key == b.name_key:
        return "no_diacritics" if not (a.has_diacritics and b.has_diacritics) else "diacritics_differ"
    ka, kb = a.name_key, b.name_key
    dist = Levenshtein.distance(ka, kb)
    if dist <= 1 or (dist == 2 and JaroWinkler.similarity(ka, kb) >= 0.93 and min(len(ka), len(kb)) >= 10):
        return "typo_same_given" if a.given_key == b.given_key else "typo"
    wa, wb = ka.split(), kb.split()
    if len(wa) > 1 or len(wb) > 1:
        sa, sb = " ".join(sorted(wa)), " ".join(sorted(wb))
        if sa == sb or OSA.distance(sa, sb) <= 1 or ka.replace(" ", "") == kb.replace(" ", ""):
            return "parts_swapped"
        # surname and given name exchanged, one letter of slack on one of them only (two fuzzy parts
        # match strangers at scale: Lương Chí Tuấn / Trần Ngọc Dương)
        if (_part_alike(a.surname_key, b.given_key) and _part_alike(a.given_key, b.surname_key)
                and (a.surname_key == b.given_key or a.given_key == b.surname_key)):
            return "parts_swapped"
    if any(_part_alike(x, y) for x, y in ((a.surname_key, b.surname_key), (a.given_key, b.given_key),
                                          (a.surname_key, b.given_key), (a.given_key, b.surname_key))):
        return "partial"
    return "different"


def compare_births(a: Record, b: Record) -> str:
    if not a.birth_date or not b.birth_date:
        return "missing"
    if a.birth_year != b.birth_year:
        return "different"
    if a.birth_precision == "day" and b.birth_precision == "day":
        if a.birth_date == b.birth_date:
            return "same"
        x, y = a.birth_date, b.birth_date  # "yyyy-mm-dd": month and day exchanged?
        if x[5:7] == y[8:10] and x[8:10] == y[5:7]:
            return "swapped"
        return "different_day"
    return "year"


def compare_admissions(a: Record, b: Record) -> str:
    """The party admission dates: ``same``, ``different`` (both known to the day, not equal nor day and
    month exchanged), else ``missing`` (or compatible).  The day a member was admitted is a fact of
    their record that namesakes almost never share; ``near`` when the two days are one typing slip
    apart (a digit, or two adjacent digits exchanged) — neither agreement nor conflict."""
    x, y = a.admission_date, b.admission_date
    if not x or not y:
        return "missing"
    if len(x) != 10 or len(y) != 10:
        # Issue 15: one date known to the year only (or month/year, kept as the year) — compared at the
        # precision both have: other years disagree ("2010" against 17/03/1999), the same year is no
        # conflict and no agreement.
        return "different" if x[:4] != y[:4] else "missing"
    if x == y:
        return "same"
    if x[:4] == y[:4] and x[5:7] == y[8:10] and x[8:10] == y[5:7]:
        return "same"
    if id_typo(x.replace("-", ""), y.replace("-", "")):
        return "near"  # one digit typed wrong, or two adjacent digits exchanged: never counts to merge
    return "different"


def id_typo(x: str | None, y: str | None) -> str:
    """How two different ID numbers differ when one could be the other mistyped: ``one_digit`` (one
    digit replaced), ``transposed`` (two adjacent digits exchanged), ``one_edit`` (issue 15: the last
    digit dropped or a digit typed twice — seen once the leading zeros the reader added or a number
    cell lost are set aside), else ``""``."""
    kind = _same_length_typo(x, y)
    if kind or not x or not y or x == y:
        return kind
    sx, sy = x.lstrip("0"), y.lstrip("0")
    if len(sx) > len(sy):
        sx, sy = sy, sx
    if len(sy) != len(sx) + 1 or not sx:
        return ""
    if sy.startswith(sx):
        return "one_edit"  # the last digit dropped
    i = next(i for i in range(len(sx)) if sx[i] != sy[i])
    # a digit typed twice: the longer has the same digit at i and i - 1 (or i + 1), the rest agrees
    if sy[i + 1:] == sx[i:] and ((i > 0 and sy[i] == sy[i - 1]) or sy[i] == sy[i + 1]):
        return "one_edit"
    return ""


def _same_length_typo(x: str | None, y: str | None) -> str:
    if not x or not y or x == y:
        return ""
    if len(x) != len(y):
        return ""
    diff = [i for i in range(len(x)) if x[i] != y[i]]
    if len(diff) == 1:
        return "one_digit"
    if len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]:
        return "transposed"
    return ""


def compare_cards(x: str | None, y: str | None) -> str:
    """Two party card numbers (DOMAIN MEM-8: opaque strings): ``same``; ``alike`` when they differ only
    by leading zeros lost in a number cell or a letter O typed for a zero (no conflict, no agreement);
    ``near`` when one digit is replaced or two adjacent digits exchanged (a typing slip — review, never
    merge); ``different`` (two cards both present: blocks a merge without an agreeing ID, issue 15);
    ``missing``."""
    if not x or not y:
        return "missing"
    if x == y:
        return "same"
    nx, ny = x.replace("O", "0"), y.replace("O", "0")
    if nx == ny or (nx.lstrip("0") == ny.lstrip("0") and nx.lstrip("0")):
        return "alike"
    if id_typo(nx, ny):
        return "near"
    return "different"


def compare_ids(x: str | None, y: str | None) -> str:
    if not x or not y:
        return "missing"
    return "same" if x == y else "different"


def compare_sex(a: Record, b: Record, sexless: frozenset[str] = frozenset()) -> str:
    """``same`` / ``different``; ``no_column`` when a record comes from a source (file) that records
    no sex at all — unknown rather than missing; ``missing`` when a row left it blank."""
    if a.sex and b.sex:
        return "same" if a.sex == b.sex else "different"
    if (not a.sex and a.file in sexless) or (not b.sex and b.file in sexless):
        return "no_column"
    return "missing"


def compare_home_towns(a: Record, b: Record) -> str:
    if not a.home_town or not b.home_town:
        return "missing"
    if a.province_key and b.province_key and a.province_key != b.province_key:
        return "different"
    if a.commune_key and b.commune_key:
        if a.commune_key == b.commune_key or OSA.distance(a.commune_key, b.commune_key) <= 1:
            return "same_commune"
        return "different_commune"
    return "same_province" if a.province_key and a.province_key == b.province_key else "missing"


def compare_fields(a: Record, b: Record, sexless: frozenset[str] = frozenset()) -> dict[str, str]:
    return {
        "name": compare_names(a, b),
        "birth_date": compare_births(a, b),
        "national_id": compare_ids(a.national_id, b.national_id),
        "cmnd": compare_ids(a.cmnd, b.cmnd),
        "party_card_no": compare_cards(a.party_card_no, b.party_card_no),
        "sex": compare_sex(a, b, sexless),
        "home_town": compare_home_towns(a, b),
        "admission_date": (adm := compare_admissions(a, b)),
        # session 13: "same" reached only with day and month exchanged — agreement a human confirms,
        # never enough to merge without a number (see _birth_and_admission)
        "admission_swapped": "yes" if adm == "same" and a.admission_date != b.admission_date else "",
        "id_typo": id_typo(a.national_id, b.national_id) or _unread_typo(a, b),
        "middle": "left_out" if _middle_left_out(a, b) else "",
        # issue 15: one roll (file) lists a member once, with one card; two rolls may carry the old and
        # the 2025 card (DOMAIN MEM-8) — see _card_blocks
        "roll": "same" if a.file == b.file else "other",
        # issue 15: the given names compared alone (named in the reason of a shared ID reviewed)
        "given": _compare_given(a, b),
    }


def _compare_given(a: Record, b: Record) -> str:
    """The folded given names: ``same``, ``slip`` (one letter replaced, added, dropped, or two adjacent
    letters exchanged — "Minh" / "Mính" fold alike, "Hùng" / "Hungg"), ``different`` ("Minh" / "Anh"),
    or ``missing``."""
    x, y = a.given_key, b.given_key
    if not x or not y:
        return "missing"
    if x == y:
        return "same"
    return "slip" if OSA.distance(x, y) <= 1 else "different"


def _unread_typo(a: Record, b: Record) -> str:
    """``extra_digit`` when one row's ID cell held 13 digits (unread, :attr:`Record.id_unread`) and
    removing one digit gives the other row's CCCD (issue 15), else ``""``."""
    for x, y in ((a.national_id, b.id_unread), (b.national_id, a.id_unread)):
        if x and y and any(y[:i] + y[i + 1:] == x for i in range(len(y))):
            return "extra_digit"
    return ""


def _middle_left_out(a: Record, b: Record) -> bool:
    """The same surname and given name, one row without the middle name ("Nguyễn Hùng" / "Nguyễn Văn
    Hùng"): a middle name left out in typing (issue 15), stronger than one name part agreeing."""
    return (a.surname_key == b.surname_key and a.given_key == b.given_key and bool(a.surname_key)
            and bool(a.middle_key) != bool(b.middle_key))


def score(fields: dict[str, str]) -> float:
    return round(sum(_W.get(k, {}).get(v, 0.0) for k, v in fields.items()), 2)


_SAME_NAME = ("exact", "no_diacritics")
_ALIKE_NAME = ("exact", "no_diacritics", "diacritics_differ", "typo", "typo_same_given")


_SEX_OK = ("same", "no_column")


def _veto(f: dict[str, str]) -> str | None:
    """The hard vetoes: different national IDs, or different sex, never merge."""
    if f["national_id"] == "different":
        return "số CCCD khác nhau"
    if f.get("cmnd") == "different":
        return "số CMND khác nhau"
    if f["sex"] == "different":
        return "giới tính khác nhau"
    return None


#: Why a pair whose ID numbers differ by a typing slip goes to review (never merged: different IDs).
ID_TYPO_REASONS = {"one_digit": "số CCCD lệch một chữ số", "transposed": "số CCCD đảo hai chữ số liền nhau",
                   "one_edit": "số CCCD lệch một chữ số", "extra_digit": "số CCCD thừa một chữ số"}


def _id_typo_review(f: dict[str, str]) -> str | None:
    """Two rows of the same name whose ID numbers differ by a typing slip (one digit replaced, two
    adjacent digits exchanged, the last digit dropped, a digit typed twice — or a 13-digit ID left
    unread that is a 12-digit one with a digit added) are the same person mistyped far more often
    than two people: the review reason, or None.  Different IDs are never merged (:func:`_veto`), so
    such a pair is shown to a human instead of being silently kept apart.  Evidence needed besides
    the name: the party admission day (with the birth date, or a birth year on one side); or, issue
    15, the full birth date alone (namesakes born on one day whose IDs are also one slip apart are
    rare: the ID carries the province, sex and birth year) or the same card.  Never when something
    disagrees (another admission day or home town, another sex)."""
    typo = f.get("id_typo")
    if not typo or f["sex"] == "different" or f["name"] not in ("exact", "no_diacritics", "diacritics_differ"):
        return None
    adm, birth, card = f.get("admission_date"), f["birth_date"], f["party_card_no"]
    slip = ID_TYPO_REASONS[typo]
    if adm == "same" and birth in ("same", "swapped"):
        return f"cùng họ tên, ngày sinh và ngày vào Đảng; {slip}"
    if adm == "same" and birth == "year":
        return f"cùng họ tên, năm sinh và ngày vào Đảng; {slip}"
    if adm == "different" or f["home_town"] in ("different", "different_commune"):
        return None  # the weaker evidence below only when nothing disagrees
    same_card = card in ("same", "alike")
    if birth in ("same", "swapped"):
        return f"cùng họ tên{', ngày sinh và số thẻ đảng viên' if same_card else ' và ngày sinh'}; {slip}"
    if birth in ("year", "different_day") and same_card:
        return f"cùng họ tên, năm sinh và số thẻ đảng viên; {slip}"
    return None


def _rule_merge(f: dict[str, str]) -> tuple[str, str] | None:
    """The classic rules, (rule, reason): the same ID with names alike; the same card with the same
    name (or a name alike and the same birth date); the same full name, birth date, sex and commune."""
    name, birth = f["name"], f["birth_date"]
    if f["national_id"] == "same" or f.get("cmnd") == "same":
        if name in _ALIKE_NAME and birth != "different":
            return RULE_ID, "cùng số CCCD" if f["national_id"] == "same" else "cùng số CMND"
        return None
    if f["party_card_no"] == "same":
        if name in _SAME_NAME and birth in ("same", "year", "missing", "swapped"):
            return RULE_CARD, "cùng số thẻ đảng viên và họ tên"
        if name in _ALIKE_NAME and birth in ("same", "swapped"):
            return RULE_CARD, "cùng số thẻ đảng viên, họ tên gần giống, cùng ngày sinh"
        return None
    if (name in _SAME_NAME and birth == "same" and f["sex"] in _SEX_OK and f["home_town"] == "same_commune"
            and f.get("admission_date") not in ("different", "near")):
        # … and no other admission day: two namesakes born the same day in one commune happen at
        # province scale (1 M synthetic records), their admission days differ
        return RULE_NAME, "cùng họ tên, ngày sinh, giới tính và quê quán (xã)"
    return None


def evidence_score(f: dict[str, str]) -> float:
    """The sum of the :data:`EVIDENCE` weights of the field verdicts (Fellegi–Sunter-like)."""
    return round(sum(EVIDENCE.get(k, {}).get(v, 0.0) for k, v in f.items()), 2)


def identifying_agreement(f: dict[str, str]) -> str | None:
    """The identifying field the two records agree on: ``national_id``, ``card``, or ``birth+town``
    (the full birth date and the home-town commune, with sex equal or not recorded by the source)."""
    if f["national_id"] == "same" or f.get("cmnd") == "same":
        return "national_id"
    if f["party_card_no"] == "same":
        return "card"
    if _birth_and_town(f):
        return "birth+town"
    if _birth_and_admission(f):
        return "birth+admission"
    if _year_admission_town(f):
        return "year+admission+town"
    return None


def _year_admission_town(f: dict[str, str]) -> bool:
    """Issue 15: the same full name, a birth date known to the year on one side (or day and month
    exchanged), the same party admission day (DOMAIN MEM-1) and the same home-town commune, sex
    equal or not recorded — merged without an ID or card only when no other record of that name and
    birth year could be the same person (:func:`_ambiguous`: any other whose admission day is not
    known to differ)."""
    return (f["name"] in ("exact", "no_diacritics") and f["birth_date"] in ("year", "swapped")
            and _admission_to_the_day(f) and f["home_town"] == "same_commune" and f["sex"] in _SEX_OK)


def _birth_and_town(f: dict[str, str]) -> bool:
    return (f["birth_date"] == "same" and f["home_town"] == "same_commune" and f["sex"] in _SEX_OK
            and f.get("admission_date") not in ("different", "near"))


def _birth_and_admission(f: dict[str, str]) -> bool:
    """The same full name, birth day and party admission day (DOMAIN MEM-1: the admission date is a
    fact of the member's record, the same on each of their rolls), sex equal or not recorded (by the
    file, or on one row: issue 15), home towns not in conflict — with no ID or card agreeing, still
    evidence enough to merge once
    :func:`match` has checked that no other record could be the same person."""
    return (f["name"] in _SAME_NAME and f["birth_date"] == "same" and _admission_to_the_day(f)
            and f["sex"] in (*_SEX_OK, "missing") and f["home_town"] not in ("different", "different_commune"))


def _admission_to_the_day(f: dict[str, str]) -> bool:
    """The same party admission day as written, not only once day and month are exchanged. Session 13,
    the harsh synthetic set at 1 M rows: two «Vương Thanh Anh» born on one day, admitted 06/03/2025 and
    03/06/2025 on two rolls, were merged by the name, birth day and admission day. An exchanged day and
    month is a reading a human confirms (the pair is reviewed, class strong), not evidence enough to merge
    without an ID or card: among a million rows, namesakes born on one day are many, and any two days
    of the first twelve of their months have a second chance to coincide. (Issue 15 had found it first
    with a birth year only: two «Nguyễn Văn Tuấn» of one commune admitted 03/01 and 01/03/1988,
    independent 100 k rolls, seed 11 — :func:`match` demoted that one merge; the rule now decides both.)"""
    return f.get("admission_date") == "same" and not f.get("admission_swapped")


def _score_merge(f: dict[str, str]) -> str | None:
    """The score rule: merge when the evidence reaches :data:`EVIDENCE_MERGE`, an identifying field
    agrees, and the names are at least partly alike (a swap, or one part replaced, counts; wholly
    different names merge only when an ID or card *and* the birth date and commune all agree).
    Without an ID or card, the names must be the same or swapped (a typo, other diacritics, a
    replaced part or a one-letter change of the given name is not enough), and :func:`match` still
    demotes the pair to review when another record could be the same person.  Returns the reason, or None."""
    ident = identifying_agreement(f)
    if ident is None:
        return None
    if f["name"] == "different" and not (ident in ("national_id", "card") and _birth_and_town(f)):
        return None
    if ident == "birth+town" and f["name"] not in ("exact", "no_diacritics", "parts_swapped"):
        # Without an ID or card, a surname / middle-name typo or other diacritics with the same birth
        # day and commune is a namesake often enough at scale (1 M synthetic records: Phạm / Phan Thị
        # Duyên, Nguyễn Công / Trọng Hùng) — review, never merge.
        return None
    if ident == "year+admission+town":  # explicit conditions, the score does not decide
        return "cùng họ tên, năm sinh, ngày vào Đảng và quê quán (xã), không có người khác có thể trùng"
    if evidence_score(f) < EVIDENCE_MERGE:
        return None
    return {"national_id": "cùng số CCCD, ", "card": "cùng số thẻ đảng viên, ",
            "birth+town": "cùng ngày sinh và quê quán, ",
            "birth+admission": "cùng họ tên, ngày sinh và ngày vào Đảng, "}[ident] + "điểm tương đồng cao"


def evidence(f: dict[str, str]) -> tuple[list[str], list[str]]:
    """What two records without an agreeing ID or card share beyond a name and a birth year, and what
    disagrees — each in words. Agreements: the full birth date (or day and month exchanged), the
    party admission day (DOMAIN MEM-1: a fact of the member's record, on each of their rolls), the
    home-town commune. Disagreements: another birth day, another admission day (one typing slip
    apart is neither), another commune or province. A differing card is neither (cards were
    re-issued in 2025); a missing value is neither."""
    agree, differ = [], []
    birth, adm, home = f["birth_date"], f.get("admission_date"), f["home_town"]
    if birth == "same":
        agree.append("ngày sinh")
    elif birth == "swapped":
        agree.append("ngày sinh (đảo ngày và tháng)")
    elif birth == "different_day":
        differ.append("khác ngày sinh")
    if adm == "same":
        agree.append("ngày vào Đảng (đảo ngày và tháng)" if f.get("admission_swapped") else "ngày vào Đảng")
    elif adm == "different":
        differ.append("khác ngày vào Đảng")
    if home == "same_commune":
        agree.append("quê quán (xã)")
    elif home in ("different", "different_commune"):
        differ.append("khác quê quán")
    return agree, differ


_NAME_WORDS = {"exact": "cùng họ tên", "no_diacritics": "cùng họ tên (một bên không dấu)",
               "diacritics_differ": "họ tên khác dấu", "typo": "họ tên lệch một chữ",
               "typo_same_given": "họ tên lệch một chữ ở họ hoặc đệm", "parts_swapped": "họ tên đảo thứ tự",
               "partial": "họ tên trùng một phần"}
_BIRTH_WORDS = {"year": "năm sinh", "different_day": "năm sinh", "missing": ""}


def describe(f: dict[str, str], agree: list[str], differ: list[str], gap: str = "") -> str:
    """A pair's reason in words: "cùng họ tên, ngày sinh và ngày vào Đảng; thiếu số CCCD"."""
    head = "họ tên thiếu tên đệm ở một bên" if f.get("middle") == "left_out" else _NAME_WORDS.get(f["name"], "họ tên khác")
    shared = [w for w in (_BIRTH_WORDS.get(f["birth_date"]),) if w] + agree
    if shared:
        head += (", " if len(shared) > 1 else " và ") + ", ".join(shared[:-1]) + (
            " và " if len(shared) > 1 else "") + shared[-1]
    tail = [*differ] + ([gap] if gap else [])
    return head + ("; " + ", ".join(tail) if tail else "")


#: Review classes (``Comparison.kind``), strongest first: decided in bulk per class on the review page.
KINDS = ("id_same", "id_typo", "card_same", "strong", "ambiguous", "parts", "mixed", "some", "thin", "refused")


def _review_or_apart(f: dict[str, str]) -> tuple[str, str | None, str]:
    """Pairs not merged: review when a human could confirm them and the evidence that they are one
    person is real; WEAK (counted, not queued) when the evidence is a shared name and birth year with
    something disagreeing — another birth day, admission day or home town — and not two other
    agreements to outweigh it (issue 15: at a million members namesakes are common); else apart.
    A shared name and birth year with nothing else to compare (a roll without those columns) is
    still reviewed (class ``thin``). See :func:`evidence`."""
    name, birth = f["name"], f["birth_date"]
    if f["national_id"] == "same":
        return REVIEW, None, "cùng số CCCD nhưng họ tên hoặc năm sinh khác"
    if f["party_card_no"] == "same":
        return REVIEW, None, "cùng số thẻ đảng viên nhưng họ tên hoặc ngày sinh khác"
    if name in _ALIKE_NAME and birth in ("same", "swapped", "year", "different_day"):
        if birth == "different_day" and name not in _SAME_NAME:
            return APART, None, ""
        # the same name, another birth day: counted as WEAK below (another day and anything else
        # disagreeing is two people), never merged
    elif not ((name in _SAME_NAME and birth == "missing") or (
            name in ("parts_swapped", "partial") and birth == "same"
            and f["home_town"] in ("same_commune", "same_province"))
            or (f.get("middle") == "left_out" and birth in ("same", "swapped", "year"))):
        # (issue 15: a middle name left out on one row, with two agreements — birth day, admission
        # day, commune — and nothing disagreeing, is reviewed whatever the home-town column holds)
        return APART, None, ""
    agree, differ = evidence(f)
    gap = "thiếu số CCCD" if f["national_id"] == "missing" else ""
    reason = describe(f, agree, differ, gap)
    if name == "partial":  # one name part replaced: weak evidence, so nothing may disagree
        ok = len(agree) >= 2 and not differ
    else:  # nothing disagreeing (a roll lacking the other columns), or two agreements against one
        ok = not differ or (len(agree) >= 2 and len(differ) <= 1)
    if ok:
        return REVIEW, None, reason
    return WEAK, None, reason


def review_kind(c: Comparison) -> str:
    """The class of a review pair (:data:`KINDS`), for ordering and decisions in bulk."""
    f = c.fields
    if c.reason.startswith("ghép sẽ gộp"):
        return "refused"
    if f["national_id"] == "same" or (f.get("cmnd") == "same" and c.reason.startswith("cùng số CMND nhưng")):
        return "id_same"
    if f.get("id_typo") and f["national_id"] in ("different", "missing"):  # missing: a 13-digit ID unread
        return "id_typo"
    if f["party_card_no"] == "same":
        return "card_same"
    if c.reason.startswith("cùng họ tên, ngày sinh và quê quán nhưng có người khác") or c.reason.endswith(
            "dòng cùng họ tên và năm sinh"):
        return "ambiguous"  # another could be either, or the name and year are held by many (NAMESAKES_MANY)
    if f["name"] in ("parts_swapped", "partial"):
        return "parts"
    agree, differ = evidence(f)
    if differ:
        return "mixed"
    return "strong" if len(agree) >= 2 else "some" if agree else "thin"


def _profile_score_merge(f: dict[str, str], profile: Profile) -> str | None:
    assert profile.evidence is not None
    ev = profile.evidence
    if sum(ev.get(k, {}).get(v, 0.0) for k, v in f.items()) >= profile.merge_at:
        return f"điểm tương đồng cao (hồ sơ {profile.name})"
    return None


def decide(f: dict[str, str], profile: Profile = VIETNAMESE) -> tuple[str, str | None, str]:
    """(decision, rule, reason) for the field verdicts of one pair: vetoes, then the classic rules,
    then the score rule (the profile's), else review or apart."""
    veto = _veto(f)
    if veto:
        typo = _id_typo_review(f)
        if typo:
            return REVIEW, None, typo
        return APART, None, veto
    guard = _shared_id_disagreeing(f) or _shared_card_disagreeing(f)
    if guard:
        return REVIEW, None, guard
    classic = _rule_merge(f)
    reason = None
    if not classic:
        reason = _score_merge(f) if profile.evidence is None else _profile_score_merge(f, profile)
    if (classic or reason) and profile.evidence is None and _card_blocks(f):
        # Issue 15: two cards both present and not the same (nor one read without its leading zero)
        # is evidence against — with no agreeing ID the merge is blocked; a human decides.
        agree, differ = evidence(f)
        gap = "thiếu số CCCD" if f["national_id"] == "missing" else ""
        return REVIEW, None, describe(f, agree, [*differ, CARD_CONFLICT[f["party_card_no"]]], gap)
    if classic:
        return MERGE, classic[0], classic[1]
    if reason:
        return MERGE, RULE_SCORE, reason
    if f.get("id_typo") and f["national_id"] == "missing":  # a 13-digit ID, unread: review evidence only
        typo = _id_typo_review(f)
        if typo:
            return REVIEW, None, typo
    return _review_or_apart(f)


def _shared_id_disagreeing(f: dict[str, str]) -> str | None:
    """Issue 15 (national plan, 8 × 50 k): the same CCCD (or CMND) on two rows whose party admission
    days **and** cards are both present and both plainly different ("Nguyễn Văn Minh" 26/04/1984 /
    "Nguyễn Văn Anh" 08/04/1984, two provinces) is one number typed for two people — a mistyped ID
    equal to another member's real one happens at 5.9 M members: the admission day is a fact of the
    member's record (DOMAIN MEM-1) and one person holds another card only after the 2025 re-issue
    (MEM-8), so the two together outweigh the number.  Never merged (not by the ID rule nor by the
    score), never set apart: a human decides (class ``id_same``); the reason names what disagrees.
    The narrowest of the two conditions tried: other given names alone (``fields["given"]``) would
    also have queued one person of the synthetic seed-14 set ("Hoànb" / "Hoàhg", one ID, birth and
    admission day) — this one queues none of the synthetic sets' ID-rule merges (docs/PERFORMANCE.md)."""
    if not (f["national_id"] == "same" or f.get("cmnd") == "same"):
        return None
    other_given = f.get("given") == "different"
    both = f.get("admission_date") == "different" and f["party_card_no"] == "different"
    # Session 13, the same plan: 9 of its 10 wrong cross-province pairs left were one CCCD on given
    # names one letter apart («Nguyễn Đình Hướng» / «Nguyễn Đình Cường», «Bùi Văn Hải» / «Bùi Văn Hậu»)
    # admitted on plainly other days (both to the day, not a slip nor day and month exchanged). A
    # letter slip alone is a typing error of one person; with another admission day it is two.
    slip = f.get("given") == "slip" and f.get("admission_date") == "different"
    # Session 12, the national plan at 5.9 M (34 × 176 k rows): 23 of its 24 wrong cross-province
    # merges were one CCCD on two people whose given names differ plainly («Trần Hữu Hưng» / «Trần Hữu
    # Trung», «Đinh Văn Long» / «Đinh Văn Hùng»), admitted on other days or one day unknown — an ID typed
    # onto another member's row (here the generator's collision). The same ID and other given names with
    # the same admission day (synthetic seed 14's «Hoànb» / «Hoàhg») still merge.
    if not (both or slip or (other_given and f.get("admission_date") != "same")):
        return None
    agree, differ = evidence(f)
    if f["party_card_no"] == "different":
        differ.append(CARD_CONFLICT["different"])
    if other_given or slip:
        differ.insert(0, "khác tên gọi" if other_given else "tên gọi lệch một chữ")
    number = "số CCCD" if f["national_id"] == "same" else "số CMND"
    return f"cùng {number} nhưng " + ", ".join(differ)


def _shared_card_disagreeing(f: dict[str, str]) -> str | None:
    """Session 13, the national plan at 5.9 M: one party card number on «Lê Văn Hùng» and «Hoàng Tiến
    Hùng» (born the same day, two provinces, other communes, admitted on other days) was merged by the
    score rule — a card number typed onto another member's row. The same card with the names not the
    same (a part replaced, a typo) and plainly other admission days (both to the day) is reviewed
    (class ``card_same``), never merged: a member keeps one admission day on every roll (DOMAIN MEM-1)."""
    if f["party_card_no"] != "same" or f["name"] in _SAME_NAME or f.get("admission_date") != "different":
        return None
    _agree, differ = evidence(f)
    return "cùng số thẻ đảng viên nhưng " + ", ".join([_NAME_WORDS.get(f["name"], "họ tên khác"), *differ])


def _card_blocks(f: dict[str, str]) -> bool:
    """Two cards both present and not the same block a merge without an agreeing ID (CCCD or CMND),
    issue 15 — except a plainly different card when the party admission day agrees to the day (and
    the full birth date, or a birth year on one side with the rows on different rolls:
    :func:`_reissue_possible`):
    cards were re-issued in 2025 (DOMAIN MEM-8), so one member's two rolls often carry two numbers,
    and the admission day is a fact of the member's record namesakes almost never share (MEM-1); the
    uniqueness check of :func:`match` still applies. Measured: blocking those too raised the
    synthetic queue from 0.50 % to 1.22 % (seed 1) and 1.96 % to 5.38 % (seed 7) — class strong, pairs merged (precision 1.0) before.
    A card one typing slip apart always blocks (review, never merge)."""
    if f["national_id"] == "same" or f.get("cmnd") == "same":
        return False
    card = f["party_card_no"]
    return card == "near" or (card == "different" and not _reissue_possible(
        _admission_to_the_day(f), f["birth_date"], f.get("roll") != "same"))


def _reissue_possible(admission: bool, birth: str, other_rolls: bool) -> bool:
    """Two plainly different cards may be one member's old and 2025 card (DOMAIN MEM-8) when the party
    admission day agrees to the day as written (``admission``; MEM-1) and the full birth date agrees — or, issue 15, a birth date
    known to the year on one side when the two rows come from **different rolls**: one roll lists a
    member once with one card, so two cards in one roll are two members (independent rolls seed 13: two
    Vũ Văn Hưng of one commune admitted on one day, one born "1978", two cards, both rows in
    ``a-chinh.xlsx`` — merged when the birth year sufficed in any roll), while the old and the new card
    are on rolls of different dates (synthetic seed 7: 453 such pairs with the commune agreeing across
    rolls, every one a single person, reviewed when the full birth date was required — 2.43 % of the rows
    queued).  The
    uniqueness check of :func:`match` still applies (:func:`_ambiguous`)."""
    if not admission:
        return False
    return birth in ("same", "swapped") or (birth == "year" and other_rolls)


#: The words of a card conflict that blocks a merge (:func:`decide`).
CARD_CONFLICT = {"different": "khác số thẻ đảng viên", "near": "số thẻ đảng viên lệch một chữ số"}


def compare(a: Record, b: Record, sexless: frozenset[str] = frozenset(),
            profile: Profile = VIETNAMESE) -> Comparison:
    """Compare two records; ``sexless``: the files that record no sex at all."""
    if a.index > b.index:
        a, b = b, a
    f = compare_fields(a, b, sexless)
    decision, rule, reason = decide(f, profile)
    return Comparison(a.index, b.index, f, score(f), decision, rule, reason)


# ---------------------------------------------------------------- blocking


def block_keys(r: Record, profile: Profile = VIETNAMESE) -> list[tuple]:
    """The blocks of a record: national ID; card; folded given name + birth year; folded surname +
    middle name + birth year (the name itself when the birth year is unknown); and the full birth
    date + home-town commune, which finds swapped or partly replaced names the score rule can merge."""
    keys: list[tuple] = []
    if r.national_id:
        keys.append(("id", r.national_id))
    if r.cmnd:
        keys.append(("cmnd", r.cmnd))
    if r.party_card_no:
        keys.append(("card", r.party_card_no))
    if r.birth_precision == "day" and r.commune_key:
        keys.append(("bt", r.birth_date, r.commune_key))
    if r.birth_year is not None:
        keys.append(("gy", r.given_key, r.birth_year))
        keys.append(("smy", r.surname_key, r.middle_key, r.birth_year))
    else:
        keys.append(("n", r.name_key))
    if profile.extra_blocks:
        if r.birth_precision == "day":
            keys += [("sb", r.surname_key, r.birth_date), ("gb", r.given_key, r.birth_date)]
        if r.commune_key:
            keys += [("sc", r.surname_key, r.commune_key), ("gc", r.given_key, r.commune_key)]
    return keys


#: Blocks of these kinds (the profile's extra keys) are skipped, not split, when oversized.
_EXTRA_KINDS = ("sb", "gb", "sc", "gc")


def block_groups(records: Sequence[Record],
                 profile: Profile = VIETNAMESE) -> tuple[list[list[int]], dict[str, int]]:
    """The groups of record indexes to compare pairwise (the blocks of two or more records, an
    oversized name block split by the full birth date), and blocking statistics."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for r in records:
        for k in block_keys(r, profile):
            blocks[k].append(r.index)
    by_index = {r.index: r for r in records}
    out: list[list[int]] = []
    split = 0
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        if len(members) > MAX_BLOCK and key[0] in _EXTRA_KINDS:
            split += 1
            continue
        if len(members) > MAX_BLOCK and key[0] in ("gy", "smy", "n"):
            sub: dict[object, list[int]] = defaultdict(list)
            for i in members:
                sub[by_index[i].birth_date].append(i)
            out.extend(g for g in sub.values() if len(g) > 1)
            out.extend(_year_only_groups(members, by_index))
            split += 1
        else:
            out.append(members)
    return out, {"blocks": len(blocks), "split_blocks": split}


def _year_only_groups(members: Sequence[int], by_index: dict[int, Record]) -> list[list[int]]:
    """Issue 15: an oversized name block split by the full birth date loses every pair of a row whose
    birth date is known to the year only (or month/year) and a row of the same full name born on a
    day of that year — the same person on two rolls more often than not (measured: 71 of the 130
    true pairs neither merged nor queued on the independent 100 k rolls, seed 11).  For each such
    row, a pair with each row of the same folded full name known to the day: only those pairs, not
    every pair of namesakes born on other days (the year-only rows meet each other in the split)."""
    by_name: dict[str, tuple[list[int], list[int]]] = {}
    for i in members:
        r = by_index[i]
        years, days = by_name.setdefault(r.name_key, ([], []))
        (days if r.birth_precision == "day" else years).append(i)
    out: list[list[int]] = []
    for years, days in by_name.values():
        out.extend([d, y] for y in years for d in days)
    return out


def candidate_pairs(records: Sequence[Record],
                    profile: Profile = VIETNAMESE) -> tuple[set[tuple[int, int]], dict[str, int]]:
    """The pairs (i < j) that share a block, and blocking statistics."""
    groups, stats = block_groups(records, profile)
    pairs: set[tuple[int, int]] = set()
    for g in groups:
        for x in range(len(g)):
            gx = g[x]
            for y in range(x + 1, len(g)):
                gy = g[y]
                pairs.add((gx, gy) if gx < gy else (gy, gx))
    return pairs, stats


# ---------------------------------------------------------------- clusters


def _card_norm(card: str) -> str:
    """A card number with a letter O read as zero and leading zeros dropped (:func:`compare_cards`
    ``alike``: the same card)."""
    return card.replace("O", "0").lstrip("0") or "0"


def cards_may_join(a: Record, b: Record) -> bool:
    """Two rows carrying two different party cards may be one person only when a rule allows it
    (issue 15, DOMAIN MEM-8: cards were re-issued in 2025): the same CCCD or CMND, or a plainly
    different card (not one typing slip apart) with the same party admission day (MEM-1) and the same
    full birth date, or a birth year on one side and the two rows on different rolls
    (:func:`_reissue_possible`, as :func:`_card_blocks` asks of one pair)."""
    if not a.party_card_no or not b.party_card_no or _card_norm(a.party_card_no) == _card_norm(b.party_card_no):
        return True
    if (a.national_id and a.national_id == b.national_id) or (a.cmnd and a.cmnd == b.cmnd):
        return True
    return compare_cards(a.party_card_no, b.party_card_no) == "different" and _reissue_possible(
        a.admission_date == b.admission_date and compare_admissions(a, b) == "same",  # to the day, as written
        compare_births(a, b), a.file != b.file)


class _UnionFind:
    def __init__(self, records: Sequence[Record], cards: bool = True):
        self.parent = {r.index: r.index for r in records}
        self.ids = {r.index: {r.national_id} if r.national_id else set() for r in records}
        self.sexes = {r.index: {r.sex} if r.sex else set() for r in records}
        self.cmnds = {r.index: {r.cmnd} for r in records if r.cmnd}  # old CMND: one per person too
        # issue 15: the rows carrying a card, per cluster — two cards meet only when a rule allows it
        self.by_index = {r.index: r for r in records}
        self.carded = {r.index: [r.index] for r in records if r.party_card_no} if cards else {}
        # session 13: the rows carrying a home town, per cluster — see union(numberless=True)
        self.homed = {r.index: [r.index] for r in records if r.home_town and (r.commune_key or r.province_key)}
        self.refusal = ""

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, x: int, y: int, numberless: bool = False) -> bool | None:
        """Join; None when already joined, False when refused (two IDs, two sexes, or two cards no
        rule allows in one person would meet; :attr:`refusal` says which). ``numberless``: the pair
        agrees on no ID nor card (a name, birth and admission day or commune) — then two home towns
        in conflict (another province or commune) on the two sides refuse it too."""
        rx, ry = self.find(x), self.find(y)
        if rx == ry:
            return None
        ids, sexes = self.ids[rx] | self.ids[ry], self.sexes[rx] | self.sexes[ry]
        cmnds = self.cmnds.get(rx, set()) | self.cmnds.get(ry, set())
        if len(ids) > 1 or len(sexes) > 1 or len(cmnds) > 1:
            self.refusal = "ghép sẽ gộp hai số CCCD (hoặc hai giới tính) khác nhau vào một người"
            return False
        cx, cy = self.carded.get(rx, []), self.carded.get(ry, [])
        if cx and cy and not all(cards_may_join(self.by_index[i], self.by_index[j]) for i in cx for j in cy):
            self.refusal = "ghép sẽ gộp hai số thẻ đảng viên khác nhau vào một người"
            return False
        hx, hy = self.homed.get(rx, []), self.homed.get(ry, [])
        # the pair's own two rows the only ones with a home town: its comparison has judged them already
        if numberless and hx and hy and not (hx == [x] and hy == [y]) and any(
                compare_home_towns(self.by_index[i], self.by_index[j]) in ("different", "different_commune")
                for i in hx for j in hy):
            # Session 13, the harsh synthetic set at 1 M rows: two «Hà Văn Hùng» born and admitted on one
            # day, each on two rolls; the ID joined one's rows, the card the other's, and a row without ID
            # nor home town joined the two by the name, birth and admission day — one person would have had
            # two home communes. A pair without a number is checked against its clusters' home towns as it
            # is against its own (_birth_and_admission): a human decides.
            self.refusal = "ghép sẽ gộp hai quê quán khác nhau vào một người"
            return False
        if rx > ry:
            rx, ry = ry, rx
        self.parent[ry] = rx
        self.ids[rx], self.sexes[rx] = ids, sexes
        if cmnds:
            self.cmnds[rx] = cmnds
        if cx or cy:
            self.carded[rx] = cx + cy
            self.carded.pop(ry, None)
        if hx or hy:
            self.homed[rx] = hx + hy
            self.homed.pop(ry, None)
        return True


@dataclass
class MatchResult:
    clusters: list[list[int]]  # record indexes, each sorted; clusters ordered by their first record
    cluster_rule: dict[int, str]  # cluster position → the weakest rule that joined it ("single" alone)
    merged: list[Comparison]  # merge pairs applied
    review: list[Comparison]  # pairs for a human, in different clusters
    refused: list[Comparison] = field(default_factory=list)  # merge pairs refused by the transitivity guard
    #: pairs looked at: compared field by field (each pair once) plus pair checks cut short because
    #: the decision is already certain to be "apart" (different IDs or sexes; without an agreeing ID
    #: or card, other birth years, or other birth days and names) — a pair sharing two blocks is
    #: checked twice
    comparisons: int = 0
    stats: dict[str, int] = field(default_factory=dict)
    #: pairs kept apart whose only evidence is a shared name and birth year (WEAK), in different
    #: persons: (a, b, reason) — counted in the report, not queued
    weak: list[tuple[int, int, str]] = field(default_factory=list)


def _ambiguous(c: Comparison, by_index: dict[int, Record], groups: dict[tuple, list[int]]) -> bool:
    """A name+birth+hometown pair is ambiguous when another record of the same name and birth year
    could be the same person too (partial data, or an identical signature carrying another ID)."""
    a, b = by_index[c.a], by_index[c.b]
    ids = {x for x in (a.national_id, b.national_id) if x}
    others = dict.fromkeys([*groups.get((a.name_key, a.birth_year), ()), *groups.get((b.name_key, b.birth_year), ())])
    if c.rule == RULE_SCORE and identifying_agreement(c.fields) == "year+admission+town":
        # only the admission day tells them apart: any other of the name and year whose admission day
        # is not known to differ could be either (a third row of the same person too: review)
        day = a.admission_date
        return any(i not in (c.a, c.b) and not (by_index[i].admission_date and by_index[i].admission_date != day)
                   for i in others)
    same_day = c.fields.get("admission_date") == "same"
    for i in others:
        if i in (c.a, c.b):
            continue
        o = by_index[i]
        if o.sex and a.sex and o.sex != a.sex:
            continue
        if _same_member(o, a) or _same_member(o, b):
            continue  # issue 15: a third row of one of the two (the same ID, CMND or card) is no one else
        if same_day and compare_admissions(a, o) == "different":
            continue  # issue 15: admitted on another day than the two, who agree: someone else (MEM-1)
        if o.national_id and ids and o.national_id not in ids:
            if o.birth_date == a.birth_date and compare_home_towns(a, o) in ("same_commune", "missing",
                                                                            "same_province"):
                return True
            continue
        if o.birth_precision == "day" and o.birth_date != a.birth_date:
            continue
        town = compare_home_towns(a, o)
        if o.birth_precision == "day" and town == "same_commune":
            if o.national_id and ids and o.national_id not in ids:
                return True
            continue  # the same person a third time
        if town in ("different", "different_commune"):
            continue
        return True  # year-only or missing birth date, or home town unknown: could be either
    return False


#: Issue 15: records of one folded full name and birth year beyond which that name and year are "many
#: namesakes" — a merge on a birth year, the admission day and the commune alone (no ID, card or full
#: birth date) goes to review, and a thin review pair (the name and year, nothing else) is counted,
#: not queued.  Measured on 1 M rows (docs/PERFORMANCE.md, issue 15, session 12): every wrong
#: ``year+admission+town`` merge (7 on the independent rolls, 1 on the harsh synthetic set) had 21–417
#: such records; 20 catches them all for +575 / +686 review pairs, and the thin pairs it drops are
#: 0 of 799 / 95 of 5,367 one person.  Two namesakes agreeing on one admission day by chance is about
#: one in a few thousand per pair; a name and year held by hundreds of rows gives thousands of pairs.
NAMESAKES_MANY = 20


def _namesakes(c: Comparison, by_index: dict[int, Record], groups: dict[tuple, list[int]]) -> int:
    """Records of the folded full name and birth year of either row of ``c`` (the larger group)."""
    a, b = by_index[c.a], by_index[c.b]
    return max(len(groups.get((a.name_key, a.birth_year), ())), len(groups.get((b.name_key, b.birth_year), ())))


def _same_member(o: Record, a: Record) -> bool:
    """``o`` carries ``a``'s ID, old CMND or party card: a row of the same member, not another person
    who could be confused with ``a`` (:func:`_ambiguous`)."""
    return bool((o.national_id and o.national_id == a.national_id) or (o.cmnd and o.cmnd == a.cmnd)
                or (o.party_card_no and o.party_card_no == a.party_card_no))


def sexless_files(records: Sequence[Record]) -> frozenset[str]:
    """The files none of whose records has a sex: their sources record none (missing ≠ unknown)."""
    files = {r.file for r in records}
    return frozenset(files - {r.file for r in records if r.sex})


def _needs_uniqueness(c: Comparison) -> bool:
    """Merges resting on name + birth + home town (no ID or card agreeing) hold only when unique."""
    return c.rule == RULE_NAME or (c.rule == RULE_SCORE and identifying_agreement(c.fields) in (
        "birth+town", "birth+admission", "year+admission+town", None))


#: Work the matcher takes on, per record (with a floor for small runs): pairs to look at, and pairs
#: kept (merge or review).  Real rolls need ~6 and ~0.3 per record (1 M synthetic records); a roll
#: with one row pasted 20,000 times would need 200 million pairs, every one for review.
MAX_PAIRS_PER_RECORD, MIN_MAX_PAIRS = 40, 5_000_000
MAX_KEPT_PER_RECORD, MIN_MAX_KEPT = 2, 200_000


class MatchLimitError(ValueError):
    """Too much to compare — nearly always rows pasted over and over; the message is Vietnamese."""


def _limit_error(count: int, what: str, group: Sequence[int], by_index: dict[int, Record]) -> MatchLimitError:
    first = by_index[group[0]]
    born = f", sinh {_show_date(first.birth_date)}" if first.birth_date else ""
    refs = ", ".join(by_index[i].ref for i in group[:2])
    return MatchLimitError(
        f"Không so khớp được: {what} ({number(count)} cặp, vượt giới hạn) — {number(len(group))} dòng giống nhau "
        f"như «{first.full_name}»{born} (ví dụ {refs}); thường là dòng bị dán lặp lại — hãy kiểm tra tệp, xóa "
        "các dòng thừa rồi gộp lại.")


def _show_date(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if len(iso) == 10 else iso


#: Below this many candidate pairs :func:`match` compares in one process: a fork costs more than it saves
#: (200 k synthetic rows, ≈ 2.6 M pairs: the CLI was slower with it, 54.7 / 57.4 s against 33.7 / 50.5 s at
#: load ≈ 3, docs/PERFORMANCE.md issue 15 third round; the gain at 1 M rows is not measured yet).
PARALLEL_MIN_PAIRS = 5_000_000

#: (blocks, by_index, sexless, profile, max_kept) of the run, for the forked process to read.
_WORK: tuple | None = None


def _compare_part(lo: int, hi: int) -> tuple:
    """:func:`_compare_blocks` over ``_WORK``'s blocks ``lo:hi`` (in the forked process)."""
    assert _WORK is not None
    return _compare_blocks(*_WORK, lo, hi)


def _compare_all(work: tuple, pairs: int, workers: int, progress: Callable[[int, int], None] | None) -> tuple:
    """The pair loop of :func:`match` over every block: ``(results, weak, seen, vetoed, id_refused)``.

    ``workers`` > 1 and many pairs: the blocks are cut in two runs of about as many pairs; this process
    compares the first, a forked one the second.  The result is the one of a single run, exactly and in
    the same order: a single run compares each pair where it first meets it and skips it after, so the
    second run's pairs already met in the first are dropped (the same verdicts: :func:`compare_fields`
    and :func:`decide` depend on the two records alone), the vetoed checks add up (they are counted
    before the skip), the sets join.  When either run goes over the kept-pairs limit the work is done
    again in one run, which raises the same error at the same block."""
    global _WORK
    blocks = work[0]
    if workers < 2 or pairs < PARALLEL_MIN_PAIRS or "fork" not in mp.get_all_start_methods():
        return _compare_blocks(*work, 0, len(blocks), progress)
    half, cut = pairs // 2, len(blocks)
    acc = 0
    for n, g in enumerate(blocks):
        acc += len(g) * (len(g) - 1) // 2
        if acc >= half:
            cut = n + 1
            break
    _WORK = work
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork")) as pool:
            second = pool.submit(_compare_part, cut, len(blocks))
            try:
                first = _compare_blocks(*work, 0, cut, progress)
            except MatchLimitError:
                first = None
            try:
                theirs = second.result()
            except MatchLimitError:
                theirs = None
    finally:
        _WORK = None
    if first is None or theirs is None:
        return _compare_blocks(*work, 0, len(blocks), progress)
    results, weak, seen, vetoed, id_refused = first
    r2, w2, seen2, v2, id2 = theirs
    results += [c for c in r2 if (c.a, c.b) not in seen]
    weak += [w for w in w2 if (w[0], w[1]) not in seen]
    if len(results) > work[4]:
        return _compare_blocks(*work, 0, len(blocks), progress)
    return results, weak, seen | seen2, vetoed + v2, id_refused | id2


def _compare_blocks(blocks: list[list[int]], by_index: dict[int, Record], sexless: frozenset[str], profile: Profile,
                    max_kept: int, lo: int, hi: int, progress: Callable[[int, int], None] | None = None) -> tuple:
    """The pair loop of :func:`match` over ``blocks[lo:hi]``: ``(results, weak, seen, vetoed, id_refused)``."""
    results: list[Comparison] = []
    weak: list[tuple[int, int, str]] = []
    reasons: dict[str, str] = {}  # one copy of each reason text
    seen: set[tuple[int, int]] = set()
    vetoed = 0
    id_refused: set[tuple[int, int]] = set()
    total = len(blocks)
    step = max(1, total // 100)
    rules_only = profile.evidence is None
    for n, g in enumerate(itertools.islice(blocks, lo, hi), start=lo + 1):
        rs = [by_index[i] for i in g]
        for x, ra in enumerate(rs):
            ida, sxa, ia = ra.national_id, ra.sex, ra.index
            da, ya, day_a, ka, ca = ra.birth_date, ra.birth_year, ra.birth_precision == "day", ra.name_key, ra.party_card_no
            for rb in rs[x + 1:]:
                # The hard vetoes, checked before anything else: such a pair is apart whatever the
                # rest says (decide() would return APART), so it is not compared field by field.
                idb, sxb = rb.national_id, rb.sex
                if (sxa and sxb and sxa != sxb) or (ida and idb and ida != idb and not (
                        ka == rb.name_key and id_typo(ida, idb))):
                    # (IDs one typing slip apart on rows of the same name go on: _id_typo_review)
                    vetoed += 1
                    if ida and idb and ida != idb and ka == rb.name_key and da == rb.birth_date and (
                            not sxa or not sxb or sxa == sxb):
                        # the same name and birth date, kept apart by the IDs alone
                        id_refused.add((ia, rb.index) if ia < rb.index else (rb.index, ia))
                    continue
                if rules_only and not (ida and ida == idb) and not (ca and ca == rb.party_card_no):
                    # Without an agreeing ID or card the Vietnamese rules keep apart every pair whose
                    # birth years differ, and every pair born on other days (not swapped) whose folded
                    # names differ (see _review_or_apart, _score_merge): apart without comparing.
                    db = rb.birth_date
                    if da and db and da != db:
                        if ya != rb.birth_year:
                            vetoed += 1
                            continue
                        if day_a and rb.birth_precision == "day" and ka != rb.name_key and not (
                                da[5:7] == db[8:10] and da[8:10] == db[5:7]):
                            vetoed += 1
                            continue
                ib = rb.index
                key = (ia, ib) if ia < ib else (ib, ia)
                if key in seen:
                    continue
                seen.add(key)
                a, b = (ra, rb) if ia < ib else (rb, ra)
                f = compare_fields(a, b, sexless)
                decision, rule, reason = decide(f, profile)
                if decision == WEAK:
                    weak.append((a.index, b.index, reasons.setdefault(reason, reason)))
                elif decision != APART:
                    results.append(Comparison(a.index, b.index, f, score(f), decision, rule, reason))
                    if len(results) > max_kept:
                        raise _limit_error(len(results), "quá nhiều cặp phải gộp hoặc xem lại", g, by_index)
        if progress and n % step == 0:
            progress(n, total)
    return results, weak, seen, vetoed, id_refused


def match(records: Sequence[Record], progress: Callable[[int, int], None] | None = None,
          profile: Profile | str = VIETNAMESE, *, workers: int = 1) -> MatchResult:
    """Compare the candidate pairs of ``records`` and cluster them into persons (``profile``: see
    :class:`Profile`; the default is the Vietnamese one).  Raises :class:`MatchLimitError` before
    the work when the blocks hold more pairs than :data:`MAX_PAIRS_PER_RECORD` per record, or while
    comparing when more pairs than :data:`MAX_KEPT_PER_RECORD` per record would be kept."""
    if isinstance(profile, str):
        profile = PROFILES[profile]
    blocks, stats = block_groups(records, profile)
    by_index = {r.index: r for r in records}
    pairs = sum(len(g) * (len(g) - 1) // 2 for g in blocks)
    if pairs > max(MIN_MAX_PAIRS, MAX_PAIRS_PER_RECORD * len(records)):
        raise _limit_error(pairs, "quá nhiều cặp dòng phải so với nhau", max(blocks, key=len), by_index)
    max_kept = max(MIN_MAX_KEPT, MAX_KEPT_PER_RECORD * len(records))
    sexless = sexless_files(records)
    results, weak, seen, vetoed, id_refused = _compare_all(
        (blocks, by_index, sexless, profile, max_kept), pairs, workers, progress)
    total = len(blocks)
    if progress:
        progress(total, total)
    compared = len(seen)
    del seen
    groups: dict[tuple, list[int]] = defaultdict(list)
    for r in records:
        groups[(r.name_key, r.birth_year)].append(r.index)
    for c in results:
        if c.decision == MERGE and _needs_uniqueness(c) and _ambiguous(c, by_index, groups):
            c.decision, c.rule = REVIEW, None
            c.reason = "cùng họ tên, ngày sinh và quê quán nhưng có người khác cùng họ tên, năm sinh"
        elif (c.decision == MERGE and c.rule == RULE_SCORE and identifying_agreement(c.fields) == "year+admission+town"
              and (many := _namesakes(c, by_index, groups)) > NAMESAKES_MANY):
            c.decision, c.rule = REVIEW, None
            c.reason = (f"cùng họ tên, năm sinh, ngày vào Đảng và quê quán (xã) nhưng có "
                        f"{number(many)} dòng cùng họ tên và năm sinh")
    merges = sorted((c for c in results if c.decision == MERGE), key=lambda c: (RULE_ORDER[c.rule], -c.score, c.a, c.b))
    rules_only = profile.evidence is None
    uf = _UnionFind(records, cards=rules_only)  # the FEBRL profile has no card rule
    applied: list[Comparison] = []
    refused: list[Comparison] = []
    for c in merges:
        ok = uf.union(c.a, c.b, numberless=rules_only and c.rule in (RULE_NAME, RULE_SCORE)
                      and identifying_agreement(c.fields) not in ("national_id", "card"))
        if ok is False:
            c.decision, c.rule = REVIEW, None
            c.reason = uf.refusal
            refused.append(c)
        elif ok is None:
            applied.append(c)  # already joined through others: still evidence
        else:
            applied.append(c)
    members: dict[int, list[int]] = defaultdict(list)
    for r in records:
        members[uf.find(r.index)].append(r.index)
    clusters = sorted((sorted(m) for m in members.values()), key=lambda m: m[0])
    position = {}
    for p, m in enumerate(clusters):
        for i in m:
            position[i] = p
    rule: dict[int, str] = {p: "single" for p in range(len(clusters))}
    for c in applied:
        p = position[c.a]
        if rule[p] == "single" or RULE_ORDER[c.rule] > RULE_ORDER[rule[p]]:
            rule[p] = c.rule
    review = [c for c in results if c.decision == REVIEW and position[c.a] != position[c.b]]
    for c in review:
        c.kind = review_kind(c)
    # Issue 15 (1 M rows): a thin pair — a shared name and birth year, nothing else agreeing or
    # disagreeing — among many namesakes is not evidence of one person: counted, not queued.
    thin = [c for c in review if c.kind == "thin" and _namesakes(c, by_index, groups) > NAMESAKES_MANY]
    if thin:
        gone = {id(c) for c in thin}
        review = [c for c in review if id(c) not in gone]
        weak += [(c.a, c.b, c.reason + "; nhiều người cùng họ tên và năm sinh") for c in thin]
    rank = {k: i for i, k in enumerate(KINDS)}
    review.sort(key=lambda c: (rank[c.kind], -c.score, c.a, c.b))  # strongest first
    weak = [w for w in weak if position[w[0]] != position[w[1]]]
    stats = dict(stats, compared=compared, vetoed=vetoed, id_refused=len(id_refused))
    return MatchResult(clusters, rule, applied, review, refused, compared + vetoed, stats, weak)


__all__ = [
    "APART", "EVIDENCE", "EVIDENCE_MERGE", "FEBRL", "KINDS", "MERGE", "WEAK", "describe", "evidence", "review_kind", "PROFILES", "VIETNAMESE", "Profile", "REVIEW", "RULE_CARD", "RULE_ID", "RULE_NAME", "RULE_SCORE",
    "Comparison", "MatchLimitError", "MatchResult", "block_keys", "candidate_pairs", "compare", "compare_cards",
    "compare_fields", "decide",
    "ID_TYPO_REASONS", "cards_may_join", "evidence_score", "id_typo", "identifying_agreement", "match", "sexless_files",
]
