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
