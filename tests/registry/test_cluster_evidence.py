"""Issue 15, item 3: different cards (or IDs) never join through a third row.

A–B merged (same CCCD, B without a card) and B–C merged (same name, birth day and commune, C with
another card): before, one person held two party cards although A and C, compared directly, are a
review pair at best. The union keeps the strongest pairs and sends the joining pair to review,
unless a rule allows the two cards in one person (DOMAIN MEM-8: the same CCCD / CMND, or a plainly
different card with the same admission day — the 2025 re-issue)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.registry.matching import REVIEW, cards_may_join, compare, match
from dangbo.registry.readers import Row
from dangbo.registry.records import make_record

HOME = "Xã Bảo Đức, huyện Lương Sơn, tỉnh Hòa Bình"
ID = "025075000123"


def rec(index, name="Nguyễn Văn Hùng", birth="05/05/1975", nid=None, card=None, sex="Nam", home=HOME,
        admission=None, file=None):
    values = {"full_name": name, "birth_date": birth, "national_id": nid, "party_card_no": card, "sex": sex,
              "home_town": home, "admission_date": admission}
    file = file or f"f{index}.csv"
    r = make_record(Row(f"{file}:{index + 2}", index + 2, values), index, file)
    assert not isinstance(r, str)
    return r


def test_two_cards_do_not_join_through_a_row_without_a_card():
    a = rec(0, nid=ID, card="11111111", admission="02/03/2000")
    b = rec(1, nid=ID)
    c = rec(2, card="22222222")
    assert compare(a, c).decision == REVIEW  # directly: two cards, nothing allowing them
    m = match([a, b, c])
    assert m.clusters == [[0, 1], [2]]  # the strongest pair (same CCCD) kept
    assert [(x.a, x.b, x.kind) for x in m.review if x.reason.startswith("ghép sẽ gộp hai số thẻ")] == [(1, 2, "refused")]
    assert len(m.refused) == 1


def test_the_2025_re_issue_still_joins_with_the_same_admission_day():
    a = rec(0, nid=ID, card="11111111", admission="02/03/2000")
    b = rec(1, nid=ID)
    c = rec(2, card="22222222", admission="02/03/2000")
    assert cards_may_join(a, c)
    assert match([a, b, c]).clusters == [[0, 1, 2]]


def test_a_card_read_without_its_leading_zero_is_the_same_card():
    a, c = rec(0, card="01234567"), rec(2, card="1234567")
    assert cards_may_join(a, c)
    assert not cards_may_join(rec(0, card="01234567"), rec(2, card="01234568"))  # a slip: review
    assert cards_may_join(rec(0, card="01234567", nid=ID), rec(2, card="01234568", nid=ID))  # same CCCD


# ---------------------------------------------------------------- property

NAMES = ["Nguyễn Văn Hùng", "NGUYEN VAN HUNG", "Nguyễn Văn Hưng"]
row = st.fixed_dictionaries({
    "name": st.sampled_from(NAMES),
    "birth": st.sampled_from(["05/05/1975", "1975", "06/05/1975"]),
    "nid": st.sampled_from([None, ID, "025075000124", "046081234567"]),
    "card": st.sampled_from([None, "11111111", "011111111", "22222222", "11111112"]),
    "sex": st.sampled_from(["Nam", None]),
    "home": st.sampled_from([HOME, None, "Xã Yên Lạc, tỉnh Vĩnh Phúc"]),
    "admission": st.sampled_from([None, "02/03/2000", "2000", "03/04/2001"]),
})


@settings(max_examples=300, deadline=None)
@given(st.lists(row, min_size=2, max_size=7))
def test_property_no_person_holds_two_ids_or_two_cards_no_rule_allows(rows):
    records = [rec(i, **r) for i, r in enumerate(rows)]
    m = match(records)
    for cluster in m.clusters:
        members = [records[i] for i in cluster]
        assert len({r.national_id for r in members if r.national_id}) <= 1
        assert len({r.cmnd for r in members if r.cmnd}) <= 1
        assert len({r.sex for r in members if r.sex}) <= 1
        for x in members:
            for y in members:
                assert cards_may_join(x, y), (x.ref, x.party_card_no, y.ref, y.party_card_no)
    # no pair is both merged and queued
    place = {i: p for p, c in enumerate(m.clusters) for i in c}
    assert all(place[c.a] != place[c.b] for c in m.review)
