"""Issue 15 at 1 M rows: evidence that is enough among a few namesakes is not among hundreds.

On 1 M rows every wrong merge of the rule «the same name, a birth year on one side, the same admission
day and commune» (7 on the independent rolls, seed 11; 1 on the harsh synthetic set) joined two people
of a name and year held by 21–417 rows: two namesakes admitted on one day by chance. Above
``NAMESAKES_MANY`` records of one folded name and birth year, that merge goes to review (class
ambiguous), and a thin pair (the name and year, nothing else to compare) is counted, not queued.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.registry.matching import MERGE, NAMESAKES_MANY, compare, match
from dangbo.registry.readers import Row
from dangbo.registry.records import make_record

HOME = "xã Lợi Thịnh, huyện Bình Lục, tỉnh Ninh Bình"


def rec(index, name="Nguyễn Văn Nam", birth="13/03/1978", nid=None, home=HOME, admission="19/01/2008", file="a.csv"):
    values = {"full_name": name, "birth_date": birth, "national_id": nid, "sex": "Nam", "home_town": home,
              "admission_date": admission}
    r = make_record(Row(f"{file}:{index + 2}", index + 2, values), index, file)
    assert not isinstance(r, str)
    return r


def namesakes(start: int, k: int, **kw) -> list:
    """``k`` other people of the same name born in 1978 (other days, other communes, other admission days,
    each with an ID): none of them could be either of the pair."""
    return [rec(start + i, birth=f"{1 + i % 28:02d}/{1 + (i // 28) % 12:02d}/1978" if i % 28 != 12 else "02/05/1978",
                nid=f"035078{100000 + i:06d}", home=f"xã Yên Bình {i}, huyện Ý Yên, tỉnh Nam Định",
                admission=f"{1 + i % 28:02d}/06/{1995 + i % 20}", **kw) for i in range(k)]


def pair():
    """One member on two rolls: born "1978" on one, no ID; the same admission day and commune."""
    return rec(0, birth="1978", file="a.csv"), rec(1, nid="035078874889", file="b.csv")


@settings(max_examples=12, deadline=None)
@given(st.integers(min_value=0, max_value=NAMESAKES_MANY + 6))
def test_year_admission_town_merges_only_among_few_namesakes(k):
    a, b = pair()
    assert compare(a, b).decision == MERGE  # the pair alone: the rule merges it
    m = match([a, b, *namesakes(2, k, file="c.csv")])
    joined = [0, 1] in m.clusters
    queued = [(c.a, c.b) for c in m.review if {c.a, c.b} == {0, 1}]
    assert joined == (k + 2 <= NAMESAKES_MANY)
    assert bool(queued) == (not joined)  # never both merged and queued, never silently apart
    if queued:
        c = next(c for c in m.review if {c.a, c.b} == {0, 1})
        assert c.kind == "ambiguous" and c.reason.endswith(f"{k + 2} dòng cùng họ tên và năm sinh")


@settings(max_examples=12, deadline=None)
@given(st.integers(min_value=0, max_value=NAMESAKES_MANY + 6))
def test_a_thin_pair_is_queued_among_few_namesakes_and_counted_among_many(k):
    # the name and a birth year, nothing else to compare (no admission day, no home town on one row)
    a = rec(0, birth="1978", home=None, admission=None, file="a.csv")
    b = rec(1, nid="035078874889", home=None, admission=None, file="b.csv")
    m = match([a, b, *namesakes(2, k, file="c.csv")])
    queued = [c for c in m.review if {c.a, c.b} == {0, 1}]
    counted = [w for w in m.weak if {w[0], w[1]} == {0, 1}]
    assert [0, 1] not in m.clusters
    if k + 2 <= NAMESAKES_MANY:
        assert len(queued) == 1 and queued[0].kind == "thin" and not counted
    else:
        assert not queued and len(counted) == 1 and counted[0][2].endswith("nhiều người cùng họ tên và năm sinh")
        assert not any(c.kind == "thin" for c in m.review)
