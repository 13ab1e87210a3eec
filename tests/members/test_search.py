"""Member search (issue 10, items 3–5): any contiguous run of name words, with or without diacritics,
paged and counted, namesakes told apart; the name index follows every change of name and place."""

from datetime import date

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from dangbo.members.models import Member, NameKey
from dangbo.members.search import keys_check, keys_rebuild, word_starts
from dangbo.members.selectors import SEARCH_COUNT_CAP, member_search, member_search_results
from dangbo.members.services import member_event_record, member_update
from dangbo.text.vietnamese import fold


def names(user, query, limit=50):
    return [m.full_name for m in member_search(user=user, query=query, limit=limit)]


@pytest.fixture
def khai(world):
    return world.add(world.a1, "Nguyễn Thị Minh Khai", sex="F")


@pytest.mark.parametrize("query", [
    "Văn Hùng", "van hung", "VĂN HÙNG", "văn hung", "Hùng", "hung", "Văn", "van", "Nguyễn Văn", "nguyen van",
    "Nguyễn Văn Hùng", "nguyen van hung", "  nguyen   van  hung ", "van hu", "nguyen v", "Nguyễn",
])
def test_any_contiguous_run_of_words_finds_the_person(world, query):
    assert "Nguyễn Văn Hùng" in names(world.office, query)


@pytest.mark.parametrize("query", ["thi minh", "Minh Khai", "minh", "Thị Minh Khai", "nguyen thi minh",
                                   "khai", "minh kh"])
def test_four_word_names_by_every_run(world, khai, query):
    assert "Nguyễn Thị Minh Khai" in names(world.office, query)


@pytest.mark.parametrize("query", ["nguyen hung", "an hung", "guyen", "ung", "thi khai", "hung van"])
def test_words_out_of_order_or_from_mid_word_do_not_match(world, khai, query):
    assert not ({"Nguyễn Văn Hùng", "Nguyễn Thị Minh Khai"} & set(names(world.office, query)))


def test_exact_ends_come_first_in_official_order(world):
    world.add(world.a1, "Hùng Văn An")  # surname Hùng: "hung ..." after every given name Hùng
    world.add(world.b, "Bùi Văn Hùng")
    found = names(world.office, "hung")
    assert found == ["Bùi Văn Hùng", "Nguyễn Văn Hùng", "Hùng Văn An"]


def test_search_keeps_the_scope(world):
    assert names(world.office, "van hung") == ["Nguyễn Văn Hùng"]  # Phạm Văn Hùng is in another tree
    assert names(world.outsider, "van hung") == ["Phạm Văn Hùng"]
    assert names(world.secretary, "thi") == ["Trần Thị Lan"]  # Lê Thị Hoà is outside grassroots A
    assert names(world.member_user, "thi") == ["Trần Thị Lan"]  # a member finds only themself
    assert names(world.member_user, "hung") == []


@given(st.lists(st.sampled_from(["nguyễn", "thị", "minh", "khai", "văn", "hùng", "hưng", "a", "đỗ", "anh"]),
                min_size=1, max_size=6))
def test_every_contiguous_run_starts_a_key(words):
    """Property: for every run of words i..j of a name, some key of the name starts with the run
    (so the index finds it), and each key is a run that ends the name."""
    folded = fold(" ".join(words))
    keys = word_starts(folded)
    parts = folded.split()
    for i in range(len(parts)):
        for j in range(i + 1, len(parts) + 1):
            run = " ".join(parts[i:j])
            assert any(k.startswith(run) for k in keys), (run, keys)
    assert all(folded.endswith(k) for k in keys) and folded in keys


def test_keys_follow_renames_transfers_moves_and_deletes(world):
    from dangbo.orgs.services import org_found, org_move

    member_update(actor=None, member=world.hung, profile={"full_name": "Nguyễn Văn Thịnh"})
    assert names(world.office, "van thinh") == ["Nguyễn Văn Thịnh"]
    assert names(world.office, "van hung") == []  # the old name's keys are gone
    member_event_record(actor=None, member=world.hung, kind="transfer_internal", on=date(2026, 1, 5), to_org=world.b)
    assert names(world.secretary, "thinh") == []  # left grassroots A: out of the secretary's scope
    assert set(NameKey.objects.filter(member=world.hung).values_list("org_path", flat=True)) == {world.b.path}
    c = org_found(actor=None, code="C", name="Đảng bộ cơ sở C", kind="grassroots_committee", parent=world.root,
                  on=date(2026, 1, 6))
    assert names(world.secretary, "lan") == ["Trần Thị Lan"]
    org_move(actor=None, org=world.a2, parent=c, on=date(2026, 1, 6))  # cell A2 and Trần Thị Lan move
    assert names(world.secretary, "lan") == []
    assert keys_check() == []
    world.lan.delete()
    assert not NameKey.objects.filter(member_id=world.lan.pk).exists() and keys_check() == []


def test_rebuild_restores_the_index(world, khai):
    NameKey.objects.filter(member=khai).delete()
    NameKey.objects.filter(member=world.hung).update(org_path="999999/")
    assert keys_check() == sorted([khai.pk, world.hung.pk])
    keys_rebuild()
    assert keys_check() == [] and names(world.office, "minh khai") == ["Nguyễn Thị Minh Khai"]


# ---------------------------------------------------------------------------------------- paging


@pytest.fixture
def many_hung(world):
    """120 more "Hùng" in grassroots A (121 with Nguyễn Văn Hùng), one of them a namesake of his."""
    given_names = ["Hùng", "Hưng"]
    out = []
    for i in range(120):
        name = "Nguyễn Văn Hùng" if i == 0 else f"{['Lê', 'Trần', 'Phạm', 'Vũ'][i % 4]} Văn {given_names[i % 2]}"
        out.append(world.add(world.a2 if i % 3 else world.a1, name, card_number=f"TH-{i:06d}",
                             birth_date=date(1950 + i % 30, 1, 2)))
    return out


def test_results_are_counted_and_paged_not_cut(world, many_hung):
    results = member_search_results(user=world.office, query="hung")
    assert results.count() == 121 and not results.capped
    every = [m.pk for m in results[0:121]]
    assert len(every) == len(set(every)) == 121
    office = Client()
    office.force_login(world.office)
    html = office.get("/dang-vien/", {"q": "hung"}).content.decode()
    assert "121 kết quả cho «hung», trang 1/3" in html
    assert html.count('href="/dang-vien/') >= 50 and "?q=hung&amp;page=2" in html
    last = office.get("/dang-vien/", {"q": "hung", "page": 3}).content.decode()
    assert "trang 3/3" in last and "Trước" in last and "Sau ›" not in last
    shown = {int(pk) for page in (1, 2, 3) for pk in __import__("re").findall(
        r'href="/dang-vien/(\d+)/"', office.get("/dang-vien/", {"q": "hung", "page": page}).content.decode())}
    assert shown == {m.pk for m in many_hung} | {world.hung.pk}


def test_live_search_replaces_the_count_rows_and_pager(world, many_hung):
    office = Client()
    office.force_login(world.office)
    full = office.get("/dang-vien/").content.decode()
    assert "đảng viên, trang 1/3" in full and 'id="results"' in full  # 124 members in scope
    part = office.get("/dang-vien/", {"q": "van hung"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in part and 'id="results"' not in part  # the inside of the block it replaces
    assert "121 kết quả cho «van hung», trang 1/3" in part and "page=2" in part and "q=van+hung" in part
    one = office.get("/dang-vien/", {"q": "tran thi lan"}, HTTP_HX_REQUEST="true").content.decode()
    assert "1 kết quả cho «tran thi lan»" in one and 'class="pages"' not in one  # no stale pager


def test_count_stops_at_the_cap_and_says_so(world, monkeypatch, many_hung):
    from dangbo.members import selectors

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 100)
    results = selectors.SearchResults(user=world.office, query="hung", cap=100)
    assert results.count() == 100 and results.capped
    office = Client()
    office.force_login(world.office)
    html = office.get("/dang-vien/", {"q": "hung"}).content.decode()
    assert "Hơn 100 kết quả cho «hung» — gõ thêm để thu hẹp, trang 1/2" in html
    assert SEARCH_COUNT_CAP == 1000


def test_thousands_are_written_the_vietnamese_way():
    from dangbo.members.templatetags.members_display import so

    assert (so(2755), so(1000000), so(12), so("x")) == ("2.755", "1.000.000", "12", "x")


def test_api_search_pages_and_counts(world, many_hung):
    api = Client()
    api.force_login(world.office)
    first = api.get("/api/members/search", {"q": "van hung"}).json()
    assert len(first) == 50 and first[0]["full_name"].endswith("Hùng") or first[0]["full_name"].endswith("Hưng")
    rest = api.get("/api/members/search", {"q": "van hung", "offset": 50, "limit": 200}).json()
    assert len(rest) == 71 and not {r["id"] for r in rest} & {r["id"] for r in first}
    page = api.get("/api/members/search/page", {"q": "Văn Hùng", "page": 3}).json()
    assert (page["count"], page["more"], page["page"], page["pages"], len(page["results"])) == (121, False, 3, 3, 21)
    assert {"card_tail", "birth_year", "organization", "suspended"} <= set(page["results"][0])


# ------------------------------------------------------------------------------------- namesakes


def test_namesakes_are_told_apart_in_lists(world):
    twins = [world.add(world.a1, "Nguyễn Văn Hùng", card_number=f"01.02{n}.345", birth_date=date(1970 + n, 3, 3))
             for n in (1, 2)]
    office = Client()
    office.force_login(world.office)
    html = office.get("/dang-vien/", {"q": "nguyen van hung"}).content.decode()
    assert "3 kết quả" in html
    for year, tail in (("1971", "1345"), ("1972", "2345"), ("1975", "—")):
        assert f'data-label="Sinh năm">{year}</td>' in html
        assert f">…{tail}<" in html or tail == "—"
    assert html.count(">Chi bộ A1<") == 3 and html.count(">Chính thức<") == 3
    org = office.get(f"/to-chuc/{world.a1.id}/").content.decode()
    assert org.count('data-label="Sinh năm"') == 3 and "…1345" in org and "…2345" in org
    api = office.get("/api/members/search", {"q": "nguyen van hung"}).json()
    assert sorted(r["card_tail"] for r in api) == ["", "1345", "2345"]
    assert {m.pk for m in twins} <= {r["id"] for r in api}


def test_member_card_tail_ignores_separators(world):
    m = Member(card_number="ab 012.34-5")
    assert m.card_tail == "2345" and Member(card_number="").card_tail == ""
    assert SEARCH_COUNT_CAP >= 1000
