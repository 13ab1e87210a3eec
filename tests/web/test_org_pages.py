"""The organisation writes through HTTP (ORG-1..3): the JSON API and the web forms, with scope checks,
Vietnamese errors naming the field, audit rows, and nothing half-saved on refusal."""

import json
from datetime import date

import pytest
from django.test import Client

from dangbo.audit.models import AuditEvent
from dangbo.members.models import Member
from dangbo.orgs.models import Organization, OrgEvent
from dangbo.orgs.services import org_found

DECISION = {"decision_number": "15-QĐ/ĐU", "decision_date": "2025-12-20"}


def _client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def office(world):
    return _client(world.office)


@pytest.fixture
def secretary(world):
    return _client(world.secretary)


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def _counts():
    return Organization.objects.count(), OrgEvent.objects.count(), AuditEvent.objects.count()


# --- API ---------------------------------------------------------------------------------------------


def test_openapi_lists_the_org_writes(db):
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/orgs/"] and "post" in paths["/api/orgs/{org_id}/events"]


def test_api_found_requires_a_decision_and_scope(world, office, secretary):
    body = {"code": "A3", "name": "Chi bộ A3", "kind": "cell", "parent_id": world.a.id, "date": "2026-01-01"}
    before = _counts()
    r = post(office, "/api/orgs/", body)
    assert r.status_code == 422 and "decision_number" in r.json()["errors"] and "quyết định" in r.json()["detail"]
    r = post(office, "/api/orgs/", {**body, "decision_number": "5-QĐ/ĐU"})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["decision_date"]
    r = post(office, "/api/orgs/", {**body, "parent_id": world.root.id, **DECISION})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["parent_id"] and "Chi bộ trực thuộc" in r.json()["detail"]
    r = post(office, "/api/orgs/", {**body, "kind": "branch", **DECISION})
    assert r.status_code == 422 and "kind" in r.json()["errors"]
    assert _counts() == before
    assert post(secretary, "/api/orgs/", {**body, "code": "B1", "parent_id": world.b.id, **DECISION}).status_code == 404
    r = post(secretary, "/api/orgs/", {**body, **DECISION})
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["parent_id"] == world.a.id and data["events"][0]["decision_number"] == "15-QĐ/ĐU"
    assert AuditEvent.objects.filter(action="org.found", actor=world.secretary, object_id=str(data["id"])).exists()


def test_api_rename_move_dissolve(world, office):
    url = f"/api/orgs/{world.b.id}/events"
    r = post(office, url, {"kind": "rename", "date": "2026-01-01", "name": "Chi bộ cơ sở B mới", **DECISION})
    assert r.status_code == 201 and r.json()["org"]["name"] == "Chi bộ cơ sở B mới" and r.json()["created"] == []
    r = post(office, url, {"kind": "rename", "date": "2026-01-01", "name": "", **DECISION})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["name"]
    r = post(office, f"/api/orgs/{world.a1.id}/events", {"kind": "move", "date": "2026-01-01", **DECISION})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["parent_id"]
    r = post(office, url, {"kind": "dissolve", "date": "2026-01-01", **DECISION})
    assert r.status_code == 422 and "đảng viên" in r.json()["detail"]
    r = post(office, url, {"kind": "explode", "date": "2026-01-01"})
    assert r.status_code == 422 and "kind" in r.json()["errors"]
    empty = org_found(actor=None, code="E", name="Chi bộ cơ sở E", kind="grassroots_cell", parent=world.root,
                      on=date(2025, 8, 1))
    r = post(office, f"/api/orgs/{empty.id}/events", {"kind": "dissolve", "date": "2026-01-01", **DECISION})
    assert r.status_code == 201 and r.json()["org"]["valid_to"] == "2026-01-01"
    assert AuditEvent.objects.filter(action="org.dissolve", actor=world.office).count() == 1


def test_api_merge_moves_members(world, secretary):
    r = post(secretary, f"/api/orgs/{world.a1.id}/events",
             {"kind": "merge", "date": "2026-01-01", "sources": [world.a2.id], **DECISION,
              "result": {"code": "A12", "name": "Chi bộ A1-A2", "kind": "cell"}})
    assert r.status_code == 201, r.content
    new = r.json()["created"][0]
    assert new["parent_id"] == world.a.id and r.json()["org"]["valid_to"] == "2026-01-01"
    assert set(Member.objects.filter(organization_id=new["id"]).values_list("full_name", flat=True)) == {
        "Nguyễn Văn Hùng", "Trần Thị Lan"}
    tree = {o["code"]: o for o in secretary.get("/api/orgs/").json()}
    assert (tree["A12"]["official"], tree["A1"]["official"], tree["A"]["official"]) == (2, 0, 2)
    events = secretary.get(f"/api/orgs/{world.a2.id}").json()["events"]
    assert events[-1]["kind"] == "merge" and events[-1]["related"] == [new["id"]]


def test_api_merge_refusals(world, office, secretary):
    url = f"/api/orgs/{world.a1.id}/events"
    body = {"kind": "merge", "date": "2026-01-01", **DECISION, "result": {"code": "Q", "name": "Q", "kind": "cell"}}
    before = _counts()
    r = post(office, url, {**body, "sources": []})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["sources"]
    r = post(office, url, {**body, "sources": [world.a2.id], "result": {"code": "B", "name": "Q", "kind": "cell"}})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["result.code"] and "«B»" in r.json()["detail"]
    # a source outside the secretary's scope is not found; the stranger's cell is invisible to both
    assert post(secretary, url, {**body, "sources": [world.b.id]}).status_code == 404
    assert post(office, url, {**body, "sources": [world.x1.id]}).status_code == 404
    assert _counts() == before


def test_api_split(world, office):
    empty = post(office, "/api/orgs/", {"code": "S", "name": "Chi bộ S", "kind": "cell", "parent_id": world.a.id,
                                         "date": "2025-08-01", **DECISION}).json()
    parts = [{"code": "S1", "name": "Chi bộ S1", "kind": "cell"}, {"code": "S2", "name": "Chi bộ S2", "kind": "cell"}]
    r = post(office, f"/api/orgs/{empty['id']}/events", {"kind": "split", "date": "2026-01-01", "parts": parts, **DECISION})
    assert r.status_code == 201, r.content
    assert [o["code"] for o in r.json()["created"]] == ["S1", "S2"]
    assert all(o["parent_id"] == world.a.id for o in r.json()["created"])
    r = post(office, f"/api/orgs/{world.a1.id}/events", {"kind": "split", "date": "2026-01-01",
                                                          "parts": [{**p, "code": p["code"] + "x"} for p in parts],
                                                          **DECISION})
    assert r.status_code == 422 and "chuyển sinh hoạt" in r.json()["detail"]


def test_api_writes_need_a_managing_role(world):
    member = _client(world.member_user)
    r = post(member, f"/api/orgs/{world.a2.id}/events", {"kind": "rename", "date": "2026-01-01", "name": "X", **DECISION})
    assert r.status_code == 404
    outsider = _client(world.outsider)
    r = post(outsider, f"/api/orgs/{world.a2.id}/events", {"kind": "rename", "date": "2026-01-01", "name": "X", **DECISION})
    assert r.status_code == 404
    r = post(Client(), "/api/orgs/", {"code": "Z", "name": "Z", "kind": "cell", "parent_id": world.a.id,
                                      "date": "2026-01-01", **DECISION})
    assert r.status_code == 401
    # the office at the root cannot split the root into new trees outside its scope
    r = post(_client(world.office), f"/api/orgs/{world.root.id}/events",
             {"kind": "split", "date": "2026-01-01", **DECISION,
              "parts": [{"code": "R1", "name": "R1", "kind": "committee"}, {"code": "R2", "name": "R2", "kind": "committee"}]})
    assert r.status_code == 403


# --- web forms -------------------------------------------------------------------------------------


def test_tree_links_to_the_forms_for_managers_only(world, office):
    html = office.get("/to-chuc/").content.decode()
    assert "Thành lập tổ chức" in html and "/to-chuc/them/" in html and "/to-chuc/hop-nhat/" in html
    member = _client(world.member_user)
    assert "/to-chuc/them/" not in member.get("/to-chuc/").content.decode()
    assert member.get("/to-chuc/them/").status_code == 403
    assert member.get("/to-chuc/hop-nhat/").status_code == 403


def test_found_form(world, office):
    r = office.get(f"/to-chuc/them/?parent={world.a.id}")
    html = r.content.decode()
    assert r.status_code == 200 and 'placeholder="ngày/tháng/năm"' in html and "Số, ký hiệu quyết định" in html
    assert "Đảng bộ Khác" not in html
    form = {"parent": world.a.id, "kind": "cell", "code": "A3", "name": "Chi bộ A3", "date": "2026-01-01"}
    before = _counts()
    r = office.post("/to-chuc/them/", {**form, "date": "31/02/2026"})
    assert r.status_code == 422 and "Trường «Ngày thành lập» không hợp lệ" in r.content.decode()
    r = office.post("/to-chuc/them/", form)
    assert r.status_code == 422 and "Trường «Số, ký hiệu quyết định» là bắt buộc." in r.content.decode()
    r = office.post("/to-chuc/them/", {**form, "parent": world.root.id, **DECISION})
    assert r.status_code == 422 and "không thể trực thuộc" in r.content.decode()
    r = office.post("/to-chuc/them/", {**form, "parent": world.x1.id, **DECISION})
    assert r.status_code == 422 and "Trường «Trực thuộc»: lựa chọn không hợp lệ." in r.content.decode()
    assert _counts() == before
    r = office.post("/to-chuc/them/", {**form, **DECISION})
    org = Organization.objects.get(code="A3")
    assert r.status_code == 302 and r["Location"] == f"/to-chuc/{org.id}/"
    assert AuditEvent.objects.filter(action="org.found", actor=world.office, object_id=str(org.id)).exists()


def test_merge_form(world, office):
    html = office.get("/to-chuc/hop-nhat/").content.decode()
    assert 'type="checkbox"' in html and "Chi bộ A1" in html and "Chi bộ cơ sở X1" not in html
    form = {"sources": [world.a1.id, world.a2.id], "parent": world.a.id, "kind": "cell", "code": "A12",
            "name": "Chi bộ A1-A2", "date": "2026-01-01", **DECISION}
    before = _counts()
    r = office.post("/to-chuc/hop-nhat/", {**form, "sources": [world.a1.id]})
    assert r.status_code == 422 and "chọn ít nhất hai tổ chức" in r.content.decode()
    r = office.post("/to-chuc/hop-nhat/", {**form, "kind": "grassroots_committee", "parent": world.root.id,
                                           "sources": [world.a1.id, world.b.id]})
    assert r.status_code == 422 and "chuyển sinh hoạt" in r.content.decode()
    assert _counts() == before
    r = office.post("/to-chuc/hop-nhat/", form)
    new = Organization.objects.get(code="A12")
    assert r.status_code == 302 and r["Location"] == f"/to-chuc/{new.id}/"
    world.hung.refresh_from_db()
    assert world.hung.organization == new
    detail = office.get(f"/to-chuc/{world.a1.id}/").content.decode()
    assert "Hợp nhất" in detail and "Chi bộ A1-A2" in detail and "Ghi sự kiện tổ chức" not in detail  # ended
    tree = office.get("/to-chuc/").content.decode()
    assert "hết hiệu lực 01/01/2026" in tree
    assert AuditEvent.objects.filter(action="org.merge", actor=world.office).count() == 2


def test_event_form_on_the_detail_page(world, office, secretary):
    html = office.get(f"/to-chuc/{world.b.id}/").content.decode()
    assert "Ghi sự kiện tổ chức" in html and 'placeholder="ngày/tháng/năm"' in html and f"/to-chuc/{world.b.id}/su-kien/" in html
    assert "Thành lập tổ chức trực thuộc" not in html  # a grassroots cell has no organisations under it
    assert "Thành lập tổ chức trực thuộc" in office.get(f"/to-chuc/{world.a.id}/").content.decode()
    url = f"/to-chuc/{world.b.id}/su-kien/"
    before = _counts()
    r = office.post(url, {"kind": "rename", "date": "2026-01-01", **DECISION})
    assert r.status_code == 422 and "Trường «Tên mới»: nhập tên mới" in r.content.decode()
    r = office.post(url, {"kind": "rename", "date": "2026-01-01", "name": "Chi bộ cơ sở B mới"})
    assert r.status_code == 422 and "Trường «Số, ký hiệu quyết định» là bắt buộc." in r.content.decode()
    r = office.post(url, {"kind": "dissolve", "date": "2026-01-01", **DECISION})
    assert r.status_code == 422 and "còn đảng viên đang sinh hoạt" in r.content.decode()
    r = office.post(url, {"kind": "move", "date": "2026-01-01", "parent": world.a.id, **DECISION})
    assert r.status_code == 422 and "không thể trực thuộc" in r.content.decode()
    assert _counts() == before
    r = office.post(url, {"kind": "rename", "date": "2026-01-01", "name": "Chi bộ cơ sở B mới", **DECISION})
    assert r.status_code == 302 and r["Location"] == f"/to-chuc/{world.b.id}/"
    html = office.get(f"/to-chuc/{world.b.id}/").content.decode()
    assert "Đổi tên" in html and "tên cũ: Chi bộ cơ sở B" in html and "15-QĐ/ĐU" in html
    assert AuditEvent.objects.filter(action="org.rename", actor=world.office).count() == 1


def test_event_form_scope(world, secretary):
    assert secretary.get(f"/to-chuc/{world.a1.id}/su-kien/").status_code == 405
    r = secretary.post(f"/to-chuc/{world.b.id}/su-kien/", {"kind": "rename", "date": "2026-01-01", "name": "X",
                                                            **DECISION})
    assert r.status_code == 404
    html = secretary.get(f"/to-chuc/{world.a1.id}/").content.decode()
    assert "Ghi sự kiện tổ chức" in html and "Chi bộ cơ sở B" not in html
    r = secretary.post(f"/to-chuc/{world.a1.id}/su-kien/", {"kind": "move", "date": "2026-01-01",
                                                             "parent": world.b.id, **DECISION})
    assert r.status_code == 422 and "lựa chọn không hợp lệ" in r.content.decode()
    assert _client(world.member_user).post(f"/to-chuc/{world.a2.id}/su-kien/", {}).status_code == 404


def test_decision_optional_when_the_setting_says_so(world, office, settings):
    """ORG-3 is **med**: the events requiring a decision are a setting; without it the form accepts none."""
    settings.DANGBO_RULES = {**settings.DANGBO_RULES, "events_requiring_document": []}
    html = office.get("/to-chuc/them/").content.decode()
    assert "Số, ký hiệu quyết định *" not in html
    r = office.post("/to-chuc/them/", {"parent": world.a.id, "kind": "cell", "code": "A3", "name": "Chi bộ A3",
                                       "date": "2026-01-01"})
    assert r.status_code == 302 and Organization.objects.get(code="A3").events.get().decision_number == ""


def test_found_form_shows_every_bad_text_beside_its_field(world):
    from django.test import Client

    from dangbo.orgs.models import Organization

    c = Client()
    c.force_login(world.office)
    n = Organization.objects.count()
    r = c.post("/to-chuc/them/", {"parent": world.a.id, "kind": "cell", "code": "N\u200b1", "name": "Chi bộ\u202e N",
                                  "date": "2026-01-05", "decision_number": "11-QĐ/ĐU", "decision_date": "2026-01-02"})
    html = r.content.decode()
    assert r.status_code == 422 and "«Mã»" in html and "«Tên»" in html
    assert Organization.objects.count() == n
