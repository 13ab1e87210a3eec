"""The audit log page through HTTP: every action the services record has a Vietnamese label; fields,
values and times are shown in words; filters by action, who, about whom, organisation and dates;
paging with the count; never a name from outside the reader's scope."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client

from dangbo.audit.models import AuditEvent
from dangbo.audit.services import audit_record
from dangbo.members.services import member_event_record, member_update

SRC = Path(__file__).resolve().parents[2] / "src" / "dangbo"


def _recorded_actions() -> set[str]:
    """Every action string the code passes to audit_record, f-strings expanded over their values."""
    from dangbo.members.rules import EVENT_KINDS as MEMBER_KINDS
    from dangbo.orgs.rules import EVENT_KINDS as ORG_KINDS

    expand = {
        'f"member.{kind}"': {f"member.{k}" for k in MEMBER_KINDS},
        'f"org.{kind}"': {f"org.{k}" for k in ORG_KINDS},
    }
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        if path == SRC / "audit" / "services.py":  # the definition itself
            continue
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"^[ \t]*(?:return |[\w.]+ = )?audit_record\(", text, re.M):
            m = re.search(r"\baction=(f?\"[^\"]+\")", text[call.end():call.end() + 400])
            assert m, f"{path.name}: an audit_record call without a literal action= near its start"
            literal = m.group(1)
            if literal.startswith('f"election.'):  # elections/services.py `_audit(actor, "<what>", …)`
                found |= {f"election.{w}" for w in re.findall(r'\b_audit\(\s*actor,\s*"(\w+)"', text)}
            elif literal.startswith("f"):
                assert literal in expand, f"{path.name}: teach this test the values of {literal}"
                found |= expand[literal]
            else:
                found.add(literal.strip('"'))
    return found


def test_every_action_the_services_record_has_a_label():
    from dangbo.audit.labels import ACTIONS

    actions = _recorded_actions()
    assert len(actions) > 60 and "appraisal.org_decide" in actions and "election.tally" in actions
    missing = sorted(actions - set(ACTIONS))
    assert not missing, f"actions without a Vietnamese label in audit/labels.py: {missing}"
    assert all(re.search(r"[À-ỹ]", label) for label in ACTIONS.values())  # words, not codes


@pytest.fixture
def office(world):
    c = Client()
    c.force_login(world.office)
    return c


def _rows_text(html: str) -> str:
    """What the reader sees in the table (no attributes, no markup)."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\b[a-z]+\.[a-z_]+\b|\b(True|False|None)\b|[{}\[\]']|\d{4}-\d{2}-\d{2}")


def test_the_log_speaks_vietnamese(world, office):
    member_update(actor=world.office, member=world.hung, profile={"position": "Chuyên viên", "national_id": "025075000999"})
    member_event_record(actor=world.office, member=world.hung, kind="temp_transfer_out", on=date(2026, 1, 5),
                        to_org=world.b, end_date=date(2026, 7, 5))
    html = office.get("/nhat-ky/").content.decode()
    text = _rows_text(html)
    assert not CODE.findall(text), CODE.findall(text)
    assert "Thêm đảng viên" in text and "Sửa hồ sơ đảng viên" in text and "Chuyển sinh hoạt tạm thời" in text
    assert "Chức vụ: — → Chuyên viên" in text  # the field's label, old → new
    assert "Số định danh cá nhân: ••• → •••" in text and "025075000999" not in html  # masked stays masked
    assert "Ngày sinh: •••" in text and "05/05/1975" not in text
    assert "Đến tổ chức: Chi bộ cơ sở B" in text and "Đến ngày: 05/07/2026" in text  # a reference by name, dd/mm
    assert "Giới tính: Nam" in text and "Trạng thái: Chính thức" in text  # choices by label
    assert "Tạo tài khoản" in text and "Vai trò: Cán bộ Văn phòng Đảng ủy" in text
    # the action's label links to the same filter (the code stays in the address, not on the screen)
    assert 'href="?action=member.temp_transfer_out"' in html


def test_a_programme_target_reads_in_words_and_vietnamese_numbers(world, office):
    """The 390 px walk found «Cách tính: models_both» and «Mục tiêu cả nhiệm kỳ: 100.00» in the log."""
    from dangbo.programme import services
    from dangbo.programme.measures import MEASURES
    from dangbo.programme.models import Target

    p = services.programme_create(actor=world.office, organization=world.root, term="2025–2030",
                                  title="Nghị quyết Đại hội lần thứ I")
    services.target_save(actor=world.office, programme=p, data={
        "code": "CT2", "title": "Tổ chức có cả hai mô hình", "unit": "%", "term_goal": "100",
        "org_goal": "87.50", "source": Target.COMPUTED, "measure": "models_both"})
    text = _rows_text(office.get("/nhat-ky/").content.decode())
    assert not CODE.findall(text), CODE.findall(text)
    assert f"Cách tính: {MEASURES['models_both'].label}" in text
    assert "Mục tiêu cả nhiệm kỳ: 100" in text and "100.00" not in text and "87,5" in text


def test_times_are_in_ho_chi_minh_city(world, office):
    AuditEvent.objects.update(at=datetime(2025, 7, 28, 1, 30, tzinfo=UTC))
    text = _rows_text(office.get("/nhat-ky/").content.decode())
    assert "28/07/2025 08:30" in text and "01:30" not in text


def test_a_reference_outside_the_readers_scope_is_never_named(world, office):
    audit_record(actor=world.office, action="member.transfer_out", obj=world.hung, org_path=world.hung.org_path,
                 after={"to_org": world.x1.pk, "organization": world.a1.pk})
    text = _rows_text(office.get("/nhat-ky/", {"action": "member.transfer_out"}).content.decode())
    assert "Đến tổ chức: (ngoài phạm vi)" in text and "Chi bộ cơ sở X1" not in text
    assert "Chi bộ A1" in text


def _at(event, when: datetime):
    AuditEvent.objects.filter(pk=event.pk).update(at=when)


def test_filters_by_action_actor_subject_org_and_dates(world, office):
    AuditEvent.objects.all().delete()
    tz7 = datetime(2026, 3, 1, tzinfo=UTC) - timedelta(hours=7)  # local midnight of 01/03/2026
    e1 = audit_record(actor=world.office, action="member.update", obj=world.hung, org_path=world.hung.org_path,
                      after={"position": "A"})
    e2 = audit_record(actor=world.secretary, action="member.update", obj=world.lan, org_path=world.lan.org_path,
                      after={"position": "B"})
    e3 = audit_record(actor=None, action="member.export", obj=world.hoa, org_path=world.hoa.org_path,
                      after={"rows": 3})
    _at(e1, tz7 - timedelta(minutes=1))  # 28/02/2026 23:59 local
    _at(e2, tz7)  # 01/03/2026 00:00 local
    _at(e3, tz7 + timedelta(days=2))  # 03/03/2026

    def shown(**query) -> set[str]:
        r = office.get("/nhat-ky/", query)
        assert r.status_code == 200
        html = r.content.decode()
        return {name for name in ("Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Thị Hoà") if name in _rows_text(html)}

    assert shown() == {"Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Thị Hoà"}
    assert shown(action="member.update") == {"Nguyễn Văn Hùng", "Trần Thị Lan"}
    assert shown(action="member.") == {"Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Thị Hoà"}
    assert shown(actor="secret") == {"Trần Thị Lan"}
    assert shown(actor="hệ thống") == {"Lê Thị Hoà"}
    assert shown(about="Hùng") == {"Nguyễn Văn Hùng"}
    assert shown(org=world.a.id) == {"Nguyễn Văn Hùng", "Trần Thị Lan"}  # the subtree of A
    assert shown(org=world.a2.id) == {"Trần Thị Lan"}
    assert shown(since="01/03/2026") == {"Trần Thị Lan", "Lê Thị Hoà"}
    assert shown(until="28/02/2026") == {"Nguyễn Văn Hùng"}
    assert shown(since="01/03/2026", until="02/03/2026") == {"Trần Thị Lan"}


def test_bad_filters_are_said_and_leave_the_rest_applied(world, office):
    r = office.get("/nhat-ky/", {"since": "31/02/2026", "action": "member.create"})
    html = r.content.decode()
    assert r.status_code == 200 and "Ngày không hợp lệ" in html and "Nguyễn Văn Hùng" in _rows_text(html)
    assert "Tạo tài khoản" not in _rows_text(html)  # the action filter still applies
    r = office.get("/nhat-ky/", {"org": world.x1.id})  # another tree's organisation
    html = r.content.decode()
    assert r.status_code == 200 and "không thuộc phạm vi" in html and "Chi bộ cơ sở X1" not in html
    r = office.get("/nhat-ky/", {"since": "05/03/2026", "until": "01/03/2026"})
    assert "«Đến ngày» phải từ «Từ ngày» trở đi" in r.content.decode()
    r = office.get("/nhat-ky/", {"actor": "a\x00b", "about": "\x00"})
    assert r.status_code == 200


def test_paged_with_the_count(world, office):
    AuditEvent.objects.all().delete()
    for i in range(62):
        audit_record(actor=world.office, action="member.update", obj=world.hung, org_path=world.hung.org_path,
                     after={"position": f"Chức vụ {i}"})
    html = office.get("/nhat-ky/", {"action": "member.update"}).content.decode()
    assert "62 mục, trang 1/2" in html
    assert 'href="?action=member.update&amp;page=2"' in html
    page2 = office.get("/nhat-ky/", {"action": "member.update", "page": 2}).content.decode()
    assert "Chức vụ 0" in _rows_text(page2) and "Chức vụ 61" not in _rows_text(page2)


def test_only_office_staff_read_it(world):
    for user in (world.secretary, world.member_user):
        c = Client()
        c.force_login(user)
        assert c.get("/nhat-ky/").status_code == 403
