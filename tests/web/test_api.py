"""The JSON API through HTTP: listing, search, detail, writes, Vietnamese errors, OpenAPI."""

import json

import pytest
from django.test import Client

from dangbo.audit.models import AuditEvent
from dangbo.members.models import Member


@pytest.fixture
def office(world):
    c = Client()
    c.force_login(world.office)
    return c


def post(client, url, data, method="post"):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def test_openapi_covers_orgs_members_events_search(db):
    spec = Client().get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/orgs/", "/api/orgs/{org_id}", "/api/members/", "/api/members/search",
            "/api/members/{member_id}", "/api/members/{member_id}/events"} <= paths


def test_docs_page_is_served_locally(db):
    html = Client().get("/api/docs").content.decode()
    assert "cdn" not in html.lower() and "/static/" in html


def test_requires_login(db):
    assert Client().get("/api/members/").status_code == 401


def test_tree_counts(world, office):
    rows = {r["code"]: r for r in office.get("/api/orgs/").json()}
    assert set(rows) == {"ROOT", "A", "A1", "A2", "B"}
    assert (rows["ROOT"]["official"], rows["ROOT"]["probationary"]) == (2, 1)
    assert (rows["A"]["official"], rows["B"]["probationary"]) == (2, 1)


def test_search_without_diacritics(world, office):
    names = [m["full_name"] for m in office.get("/api/members/search", {"q": "nguyen van hung"}).json()]
    assert names == ["Nguyễn Văn Hùng"]  # Phạm Văn Hùng is in another committee
    names = [m["full_name"] for m in office.get("/api/members/search", {"q": "Hùng"}).json()]
    assert names == ["Nguyễn Văn Hùng"]
    names = [m["full_name"] for m in office.get("/api/members/search", {"q": "hoa"}).json()]
    assert names == ["Lê Thị Hoà"]


def test_detail_hides_birth_date_and_id(world, office):
    data = office.get(f"/api/members/{world.hung.id}").json()
    assert data["birth_year"] == 1975 and "birth_date" not in data and "national_id" not in data


def test_create_member_and_error_names_field(world, office):
    ok = post(office, "/api/members/", {"organization_id": world.b.id, "full_name": "đỗ thị mai", "sex": "F",
                                         "admission_date": "2026-01-10"})
    assert ok.status_code == 201 and ok.json()["full_name"] == "Đỗ Thị Mai" and ok.json()["state"] == "probationary"
    bad = post(office, "/api/members/", {"organization_id": world.b.id, "full_name": "Đỗ Văn Nam", "sex": "M",
                                          "admission_date": "10/01/2026"})
    assert bad.status_code == 422
    assert "admission_date" in bad.json()["errors"] and "ngày" in bad.json()["detail"]
    dup = post(office, "/api/members/", {"organization_id": world.b.id, "full_name": "Đỗ Văn Nam", "sex": "M",
                                          "admission_date": "2020-01-10", "national_id": "025075000123"})
    assert dup.status_code == 422 and dup.json()["errors"] == {"national_id": dup.json()["detail"]}
    assert not Member.objects.filter(full_name="Đỗ Văn Nam").exists()


def test_record_event_and_refuse_impossible_one(world, office):
    r = post(office, f"/api/members/{world.hung.id}/events",
             {"kind": "temp_transfer_out", "date": "2026-01-05", "to_org_id": world.b.id, "end_date": "2026-08-05"})
    assert r.status_code == 201, r.content
    assert AuditEvent.objects.filter(action="member.temp_transfer_out", actor=world.office).count() == 1
    r = post(office, f"/api/members/{world.hoa.id}/events", {"kind": "badge", "date": "2026-02-03",
                                                              "details": {"tier": 30}})
    assert r.status_code == 422 and "Không thể ghi sự kiện" in r.json()["detail"]
    assert r.json()["errors"] == {"kind": r.json()["detail"]}


def test_member_role_cannot_write(world):
    c = Client()
    c.force_login(world.member_user)
    r = post(c, f"/api/members/{world.lan.id}", {"position": "Bí thư"}, method="patch")
    assert r.status_code == 403
    assert c.get(f"/api/members/{world.lan.id}").status_code == 200


def test_secretary_cannot_move_member_outside_scope(world):
    c = Client()
    c.force_login(world.secretary)
    r = post(c, f"/api/members/{world.hung.id}/events", {"kind": "transfer_internal", "date": "2026-01-05",
                                                          "to_org_id": world.b.id})
    assert r.status_code == 404
    Member.objects.get(pk=world.hung.pk, organization=world.a1)


# -- bad input is a Vietnamese 422 naming the field, never a 500, and nothing is stored -----------


def _unchanged(member):
    m = Member.objects.get(pk=member.pk)
    return (m.full_name, m.sex, m.position, m.birth_date, m.home_town)


@pytest.mark.parametrize("body, field", [
    ({"full_name": None}, "full_name"),
    ({"sex": None}, "sex"),
    ({"home_town": None}, "home_town"),
    ({"position": "x" * 121}, "position"),
    ({"full_name": "Nguyễn\x00 Văn Hùng"}, "full_name"),
    ({"birth_date": "0001-01-01"}, "birth_date"),
    ({"birth_date": "9999-12-31"}, "birth_date"),
    ({"birth_date": "1990-01-01"}, "birth_date"),  # after admission 2/3/2000 - 18 years
    ({"unknown": 1}, "unknown"),
    ({"admission_date": None}, "admission_date"),
])
def test_patch_bad_values_are_422_naming_the_field(world, office, body, field):
    before = _unchanged(world.hung)
    r = post(office, f"/api/members/{world.hung.id}", body, method="patch")
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"] and r.json()["detail"]
    assert _unchanged(world.hung) == before


@pytest.mark.parametrize("query", ["offset=-1", "offset=99999999999999999999", "limit=0", "limit=-5",
                                   "limit=100000", "state=%00", "state=unknown", "org_id=99999999999999999999",
                                   "org_id=0"])
def test_list_parameters_out_of_range_are_422(world, office, query):
    r = office.get(f"/api/members/?{query}")
    assert r.status_code == 422, (query, r.content)
    assert r.json()["errors"]


@pytest.mark.parametrize("url", ["/api/members/99999999999999999999", "/api/members/0/events",
                                 "/api/orgs/99999999999999999999"])
def test_ids_out_of_range_are_422_not_500(world, office, url):
    assert office.get(url).status_code == 422


def test_search_with_nul_or_bidi_is_answered(world, office):
    r = office.get("/api/members/search", {"q": "hung\x00\u202e"})
    assert r.status_code == 200 and [m["full_name"] for m in r.json()] == ["Nguyễn Văn Hùng"]
    assert office.get("/api/members/search", {"q": "x" * 121}).status_code == 422


def test_internal_transfer_to_a_committee_is_refused(world, office):
    r = post(office, f"/api/members/{world.hung.id}/events",
             {"kind": "transfer_internal", "date": "2026-01-05", "to_org_id": world.a.id})
    assert r.status_code == 422 and "to_org" in r.json()["errors"] and "chi bộ" in r.json()["detail"]
    assert Member.objects.get(pk=world.hung.pk).organization == world.a1


def test_member_in_a_committee_is_refused(world, office):
    r = post(office, "/api/members/", {"organization_id": world.a.id, "full_name": "Đỗ Văn Nam", "sex": "M",
                                       "admission_date": "2020-01-10"})
    assert r.status_code == 422 and "organization" in r.json()["errors"]


@pytest.mark.parametrize("body, field", [
    ({"kind": "nope", "date": "2026-01-05"}, "kind"),
    ({"kind": "exemption", "date": "0001-01-01"}, "date"),
    ({"kind": "exemption", "date": "2026-01-05", "decision_date": "9999-01-01"}, "decision_date"),
    ({"kind": "exemption", "date": "2026-01-05", "note": "\x00"}, "note"),
    ({"kind": "exemption", "date": "2026-01-05", "details": {"a": {"b": 1}}}, "details.a"),
    ({"kind": "exemption", "date": "2026-01-05", "place": "x" * 256}, "place"),
])
def test_event_bad_values_are_422(world, office, body, field):
    n = world.hung.events.count()
    r = post(office, f"/api/members/{world.hung.id}/events", body)
    assert r.status_code == 422, r.content
    assert any(k.startswith(field) for k in r.json()["errors"]), r.json()
    assert world.hung.events.count() == n


def test_create_with_birth_after_admission_is_refused(world, office):
    r = post(office, "/api/members/", {"organization_id": world.b.id, "full_name": "Đỗ Văn Nam", "sex": "M",
                                       "birth_date": "2021-01-01", "admission_date": "2020-01-10"})
    assert r.status_code == 422 and "admission_date" in r.json()["errors"]


def test_org_api_refuses_bad_texts_and_dates(world, office):
    r = post(office, "/api/orgs/", {"code": "N\x00", "name": "Chi bộ\u200b N", "kind": "cell", "parent_id": world.a.id,
                                    "date": "2026-01-05", "decision_number": "11-QĐ/ĐU", "decision_date": "2026-01-02"})
    assert r.status_code == 422 and {"code", "name"} <= set(r.json()["errors"])
    r = post(office, "/api/orgs/", {"code": "N1", "name": "Chi bộ N", "kind": "cell", "parent_id": world.a.id,
                                    "date": "0001-01-01"})
    assert r.status_code == 422 and "date" in r.json()["errors"]
    r = post(office, f"/api/orgs/{world.a1.id}/events", {"kind": "merge", "date": "2026-01-05",
                                                          "sources": [99999999999999999999]})
    assert r.status_code == 422


def test_openapi_declares_the_error_responses_of_every_operation(db):
    spec = Client().get("/api/openapi.json").json()
    assert "ErrorOut" in spec["components"]["schemas"]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for status in ("401", "403", "404", "422"):
                assert status in op["responses"], (method, path, status)
    patch = spec["components"]["schemas"]["MemberPatch"]["properties"]
    assert patch["position"]["maxLength"] == 120 and "default" not in patch["full_name"]
