"""The organisation search (issue 12 item 2): folded names stored by the organisation writers, so a
search with no match folds no name in Python; rows written around the services still found."""

from datetime import date

from dangbo.orgs import services as orgs
from dangbo.orgs.models import Organization
from dangbo.programme import orgsearch


def test_the_writers_store_the_folded_name(world):
    w = world
    o = orgs.org_found(actor=None, code="VP", name="Phòng Văn hóa Đảng ủy", kind="cell", parent=w.a, on=date(2025, 7, 1))
    assert Organization.objects.get(pk=o.pk).name_folded == "phong van hoa dang uy"
    orgs.org_rename(actor=None, org=o, name="Văn phòng Đảng ủy", on=date(2026, 1, 1))
    assert Organization.objects.get(pk=o.pk).name_folded == "van phong dang uy"
    assert [x.code for x in orgsearch.find_orgs(Organization.objects.all(), "van phong", 20)] == ["VP"]


def test_a_search_with_no_match_folds_no_name(world, monkeypatch):
    w = world
    orgs.org_found(actor=None, code="PV", name="Phòng Văn hóa", kind="cell", parent=w.a, on=date(2025, 7, 1))
    folded = []

    def fold(text):
        folded.append(text)
        return real(text)
    real = orgsearch.fold
    monkeypatch.setattr(orgsearch, "fold", fold)
    assert orgsearch.find_orgs(Organization.objects.all(), "van phong", 20) == []
    assert folded == ["van phong"]  # the query only: «Phòng Văn hóa» passes the letters' narrowing


def test_a_row_written_without_its_folded_name_is_still_found(world):
    w = world
    Organization.objects.create(code="BULK", name="Chi bộ Văn phòng số 1", kind="cell", parent=w.a,
                                path=f"{w.a.path}999999/", depth=2)
    assert Organization.objects.get(code="BULK").name_folded == ""
    assert [x.code for x in orgsearch.find_orgs(Organization.objects.all(), "van phong", 20)] == ["BULK"]
    assert [x.code for x in orgsearch.find_orgs(Organization.objects.all(), "bulk", 20)] == ["BULK"]
