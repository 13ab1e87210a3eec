"""The check-in desk (issue 10): a delegate whose seat an alternate took is refused, naming who holds
the seat, with nothing written; times are said in Asia/Ho_Chi_Minh; card numbers as printed on the card."""

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from dangbo.audit.models import AuditEvent
from dangbo.congress import selectors, services
from dangbo.congress.models import ALTERNATE, APPOINTED, Delegate
from dangbo.core.errors import InvalidInput


@pytest.fixture
def desk(world):
    c = services.congress_create(actor=None, organization=world.root, kind="delegates", term="2025–2030",
                                 name="Đại hội đại biểu lần thứ I", start_date=date(2025, 7, 28))
    world.hung_d = services.delegate_add(actor=None, congress=c, member=world.hung, obtained=APPOINTED)
    world.lan_d = services.delegate_add(actor=None, congress=c, member=world.lan, obtained=APPOINTED)
    world.tam = world.add(world.a1, "Vũ Văn Tâm")  # same delegation as Hùng (grassroots A)
    world.tam_d = services.delegate_add(actor=None, congress=c, member=world.tam, kind=ALTERNATE,
                                        obtained=APPOINTED, from_org=world.hung_d.from_org)
    services.alternate_replace(actor=None, congress=c, absent=world.hung_d, alternate=world.tam_d)
    return c


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_replaced_delegate_is_refused_naming_who_holds_the_seat(world, desk):
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.delegate_check_in(actor=None, congress=desk, number=world.hung_d.number)
    assert "Vũ Văn Tâm" in exc.value.message and world.tam_d.card_label in exc.value.message
    assert "huỷ thay thế" in exc.value.message  # what to do if he came after all
    with pytest.raises(InvalidInput):  # picked from the name search: the same
        services.delegate_check_in(actor=None, congress=desk, delegate=world.hung_d)
    assert Delegate.objects.get(pk=world.hung_d.pk).checked_in_at is None
    assert AuditEvent.objects.count() == events
    # the alternate holding the seat checks in and counts; the quorum never counts the replaced one
    services.delegate_check_in(actor=None, congress=desk, delegate=world.tam_d)
    assert selectors.quorum(desk).present == 1


def test_desk_shows_the_refusal_and_keeps_the_record(world, desk):
    c = login(world.office)
    r = c.post(f"/dai-hoi/{desk.id}/diem-danh/", {"number": str(world.hung_d.number)}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and 'role="alert"' in body and "Vũ Văn Tâm" in body
    assert "Đã điểm danh" not in body
    r = c.post(f"/dai-hoi/{desk.id}/diem-danh/", {"delegate": world.hung_d.id})
    assert r.status_code == 422 and "Vũ Văn Tâm" in r.content.decode()
    assert Delegate.objects.get(pk=world.hung_d.pk).checked_in_at is None
    # the desk's search row of a replaced delegate offers no check-in button
    rows = c.get(f"/dai-hoi/{desk.id}/diem-danh/?q=hung", HTTP_HX_REQUEST="true").content.decode()
    assert "Nguyễn Văn Hùng" in rows and "thay bởi Vũ Văn Tâm" in rows and "Điểm danh</button>" not in rows


def test_already_checked_in_says_the_local_time(world, desk):
    # 01:30 UTC is 08:30 in Hà Nội
    services.delegate_check_in(actor=None, congress=desk, delegate=world.lan_d,
                               at=datetime(2025, 7, 28, 1, 30, tzinfo=UTC))
    c = login(world.office)
    r = c.post(f"/dai-hoi/{desk.id}/diem-danh/", {"number": str(world.lan_d.number)}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert "đã điểm danh lúc 08:30" in body and "01:30" not in body
    rows = c.get(f"/dai-hoi/{desk.id}/diem-danh/?q=lan", HTTP_HX_REQUEST="true").content.decode()
    assert "08:30" in rows and "01:30" not in rows


def test_card_number_as_printed_on_the_card(world, desk):
    """One card-number format everywhere: the three digits printed on the card ("002", never "2")."""
    c = login(world.office)
    r = c.post(f"/dai-hoi/{desk.id}/diem-danh/", {"number": "2"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert "thẻ số 002" in body and "thẻ số 2," not in body
    cards = c.get(f"/dai-hoi/{desk.id}/the-dai-bieu/").content.decode()
    assert "Số 002" in cards
    assert world.lan_d.card_label == "002"


def test_list_heading_says_what_each_number_counts(world, desk):
    """«Danh sách đại biểu (3)» beside «có mặt …/2» read as a contradiction: the heading says the official
    delegates (those summoned, the quorum's base) and the alternates apart."""
    c = login(world.office)
    for url in (f"/dai-hoi/{desk.id}/", f"/dai-hoi/{desk.id}/dai-bieu/"):
        body = c.get(url).content.decode()
        assert "Danh sách đại biểu: 2 chính thức (được triệu tập), 1 dự khuyết — 3 người" in body, url
        assert "Danh sách đại biểu (3)" not in body


def test_dropdowns_group_by_delegation_instead_of_long_option_texts(world, desk):
    """At 390 px «033 Chu Hồng Sơn — Đảng bộ Văn phòng Tỉnh ủy» was cut off in its box: the delegation
    is the group's label, an option is the card number and the name."""
    c = login(world.office)
    services.alternate_replace_undo(actor=None, congress=desk, absent=world.hung_d)
    body = c.get(f"/dai-hoi/{desk.id}/dai-bieu/").content.decode()
    assert f'<optgroup label="Đoàn {world.hung_d.from_org.name}">' in body
    assert f">{world.hung_d.card_label} Nguyễn Văn Hùng</option>" in body
    assert " — Đảng bộ" not in body.split('id="replace-form"')[1].split("</form>")[0]
    bodies = c.get(f"/dai-hoi/{desk.id}/cac-ban/").content.decode()
    assert "<optgroup label=\"Đoàn" in bodies and f">{world.lan_d.card_label} Trần Thị Lan</option>" in bodies
