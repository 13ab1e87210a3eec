"""Member forms (issue 10, items 13–15): dates typed dd/mm/yyyy, the event form's fields per type,
a decision dated after its effect, and every error — the form's and the service's — at once."""

import re
from datetime import date

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from dangbo.audit.models import AuditEvent
from dangbo.core.forms import DATE, normalise_day
from dangbo.members import rules
from dangbo.members.forms import EVENT_FIELDS, EVENT_FORM_KINDS, EventForm
from dangbo.members.models import Member, MemberEvent
from dangbo.members.services import member_event_record


@pytest.fixture
def office(world):
    c = Client()
    c.force_login(world.office)
    return c


def fields_of(html: str) -> set[str]:
    """Names of the inputs in the event form of a page (or the fields block htmx swaps in)."""
    block = html[html.find('id="event-fields"'):]
    block = block[:block.find("</div>")]
    return set(re.findall(r'name="([a-z_]+)"', block))


def snapshot(member):
    m = Member.objects.get(pk=member.pk)
    return ({f.attname: getattr(m, f.attname) for f in Member._meta.concrete_fields},
            MemberEvent.objects.filter(member=m).count(), AuditEvent.objects.count())


# ------------------------------------------------------------------------------ dates (item 14)


@pytest.mark.parametrize("typed, shown", [
    ("05/03/2026", "05/03/2026"), ("5/3/2026", "05/03/2026"), ("5.3.2026", "05/03/2026"),
    ("05-03-2026", "05/03/2026"), ("05032026", "05/03/2026"), (" 05 / 03 / 2026 ", "05/03/2026"),
    ("2026-03-05", "2026-03-05"), ("31/02/2026", "31/02/2026"), ("abc", "abc"), ("", ""),
])
def test_typed_dates_are_read_day_first(typed, shown):
    assert normalise_day(typed) == shown


def test_the_date_box_is_a_text_box_in_day_month_year():
    html = DATE.render("d", date(2026, 3, 5))
    assert 'type="text"' in html and 'value="05/03/2026"' in html and 'inputmode="numeric"' in html
    assert 'placeholder="ngày/tháng/năm"' in html and "pattern=" in html and 'type="date"' not in html


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_every_day_round_trips_through_the_box(day):
    from django import forms

    field = forms.DateField(widget=DATE)
    shown = DATE.format_value(day)
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", shown)
    assert field.clean(DATE.value_from_datadict({"d": shown}, {}, "d")) == day
    assert field.clean(DATE.value_from_datadict({"d": shown.replace("/", "")}, {}, "d")) == day


def test_member_form_reads_and_shows_day_first(world, office):
    r = office.post("/dang-vien/them/", {"organization": world.b.id, "full_name": "Đỗ Văn Tâm", "sex": "M",
                                          "birth_date": "05/03/1980", "admission_date": "04/03/2010",
                                          "official_date": "04.03.2011"})
    assert r.status_code == 302
    m = Member.objects.get(full_name="Đỗ Văn Tâm")
    assert (m.birth_date, m.admission_date, m.official_date) == (date(1980, 3, 5), date(2010, 3, 4), date(2011, 3, 4))
    html = office.get(f"/dang-vien/{m.id}/sua/").content.decode()
    assert 'value="05/03/1980"' in html and 'value="04/03/2010"' in html and "1980-03-05" not in html


# ------------------------------------------------------------------- event fields per type (13)


@pytest.mark.parametrize("kind, shown, absent", [
    ("death", {"kind", "date", "note"}, {"level", "tier", "to_org", "end_date", "decision_date", "place"}),
    ("discipline", {"level", "decision_number", "decision_date", "note"}, {"tier", "to_org", "end_date", "study"}),
    ("temp_transfer_out", {"to_org", "place", "end_date", "study", "decision_date"}, {"level", "tier"}),
    ("badge", {"tier", "decision_date"}, {"level", "end_date"}),
    ("transfer_internal", {"to_org"}, {"place", "end_date", "level"}),
])
def test_the_event_form_shows_only_what_the_type_needs(world, office, kind, shown, absent):
    html = office.get(f"/dang-vien/{world.hung.id}/", {"su-kien": kind}).content.decode()
    names = fields_of(html) | {"kind"}
    assert shown <= names and not absent & names
    assert f'<option value="{kind}" selected>' in html


def test_every_type_has_its_fields_and_the_date_says_what_it_is():
    assert set(EVENT_FIELDS) == set(EVENT_FORM_KINDS)
    assert EventForm(kind="death").fields["date"].label == "Ngày từ trần"
    assert list(EventForm(kind="discipline").fields) == ["kind", "date", "level", "decision_number",
                                                          "decision_date", "note"]


def test_changing_the_type_swaps_the_fields_and_keeps_what_was_typed(world, office):
    url = f"/dang-vien/{world.hung.id}/su-kien/"
    before = snapshot(world.hung)
    data = {"kind": "discipline", "date": "05032026", "note": "ghi chú", "end_date": "01/01/2027", "doi-loai": "1"}
    part = office.post(url, data, HTTP_HX_REQUEST="true")
    html = part.content.decode()
    assert part.status_code == 200 and "<html" not in html and html.lstrip().startswith('<div id="event-fields"')
    assert fields_of(html) == {"date", "level", "decision_number", "decision_date", "note"}
    assert 'value="05/03/2026"' in html and "ghi chú" in html
    page = office.post(url, {**data, "kind": "temp_transfer_out"})  # no JavaScript: the «Chọn» button
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert {"to_org", "end_date", "study"} <= fields_of(page.content.decode())
    assert snapshot(world.hung) == before  # choosing a type saves nothing


def test_fields_of_another_type_are_ignored(world, office):
    r = office.post(f"/dang-vien/{world.hung.id}/su-kien/", {
        "kind": "death", "date": "05/01/2026", "level": "expulsion", "tier": "30", "end_date": "05/07/2026",
        "place": "Hà Nội", "decision_date": "06/01/2026"})
    assert r.status_code == 302
    event = MemberEvent.objects.get(member=world.hung, kind="death")
    assert event.details == {} and event.end_date is None and event.place == "" and event.decision_date is None


def test_study_in_the_country_allows_up_to_24_months(world, office):
    url = f"/dang-vien/{world.hung.id}/su-kien/"
    data = {"kind": "temp_transfer_out", "date": "05/01/2026", "place": "Học viện Chính trị quốc gia",
            "end_date": "05/01/2027"}
    r = office.post(url, data)
    assert r.status_code == 422 and "dưới 12 tháng" in r.content.decode()
    assert office.post(url, {**data, "study": "on"}).status_code == 302
    assert MemberEvent.objects.get(member=world.hung, kind="temp_transfer_out").details == {"study": True}


# ---------------------------------------------------------------- decision after its effect (15)


@given(st.sampled_from([k for k in rules.EVENT_KINDS]), st.dates(min_value=date(1931, 1, 1), max_value=date(2100, 1, 1)),
       st.integers(min_value=-400, max_value=400))
def test_a_decision_comes_before_what_it_decides(kind, on, shift):
    from datetime import timedelta

    decided = on + timedelta(days=shift)
    problem = rules.decision_date_problem(kind, on, decided)
    assert (problem is not None) == (shift > 0 and kind != "recognition")
    off = rules.MemberRuleSettings(decision_not_after_event=False)
    assert rules.decision_date_problem(kind, on, decided, settings=off) is None


def test_discipline_decided_after_it_took_effect_is_refused(world, office):
    before = snapshot(world.hung)
    r = office.post(f"/dang-vien/{world.hung.id}/su-kien/", {
        "kind": "discipline", "level": "reprimand", "date": "05/01/2026", "decision_date": "10/01/2026"})
    html = r.content.decode()
    assert r.status_code == 422 and "Ngày quyết định (10/01/2026) không thể sau ngày của sự kiện (05/01/2026)" in html
    assert snapshot(world.hung) == before
    assert office.post(f"/dang-vien/{world.hung.id}/su-kien/", {
        "kind": "discipline", "level": "reprimand", "date": "10/01/2026", "decision_date": "10/01/2026"}
    ).status_code == 302


def test_recognition_may_be_decided_after_probation_ends(world):
    event = member_event_record(actor=None, member=world.hoa, kind="recognition", on=date(2026, 9, 1),
                                decision_date=date(2026, 9, 20), today=date(2026, 10, 1))
    assert event.decision_date == date(2026, 9, 20)


# ------------------------------------------------------------------------ all errors at once (15)


def test_event_form_errors_and_service_errors_come_together(world, office):
    before = snapshot(world.hung)
    r = office.post(f"/dang-vien/{world.hung.id}/su-kien/", {
        "kind": "temp_transfer_out", "date": "05/01/2026", "end_date": "31/02/2026", "to_org": world.a1.id,
        "decision_date": "06/01/2026"})
    html = r.content.decode()
    assert r.status_code == 422
    assert "Trường «Đến ngày» không hợp lệ" in html  # the form's
    assert "trùng với nơi sinh hoạt chính thức" in html  # the service's: A1 is his own cell
    assert "không thể sau ngày của sự kiện" in html  # and the rule's
    assert snapshot(world.hung) == before


def test_a_refused_transition_and_a_bad_date_show_together(world, office):
    r = office.post(f"/dang-vien/{world.hung.id}/su-kien/", {"kind": "exemption_end", "date": "32/01/2026"})
    html = r.content.decode()
    assert r.status_code == 422 and "Trường «Thôi miễn sinh hoạt từ ngày» không hợp lệ" in html
    assert "Không thể ghi sự kiện «Thôi miễn sinh hoạt» khi đảng viên đang ở trạng thái «Chính thức»" in html


def test_create_form_shows_its_errors_and_the_duplicate_together(world, office):
    world.hung.card_number = "AB-123456"
    world.hung.card_key = "AB123456"
    world.hung.save()
    count = Member.objects.count()
    r = office.post("/dang-vien/them/", {"organization": world.b.id, "full_name": "Hà Văn Tú", "sex": "M",
                                          "admission_date": "31/02/2020", "card_number": "ab 123456",
                                          "national_id": "025075000123"})
    html = r.content.decode()
    assert r.status_code == 422
    assert "Trường «Ngày quyết định kết nạp» không hợp lệ" in html
    assert "«Số thẻ đảng viên» này đã có trong danh sách đảng viên (Nguyễn Văn Hùng" in html
    assert "«Số định danh cá nhân» này đã có" in html
    assert Member.objects.count() == count
    assert not AuditEvent.objects.filter(action="member.conflict").exists()  # nothing routed on a check


def test_edit_form_shows_its_errors_and_the_service_errors_together(world, office):
    before = snapshot(world.lan)
    r = office.post(f"/dang-vien/{world.lan.id}/sua/", {
        "full_name": "Trần", "sex": "F", "birth_date": "1/13/1980", "admission_date": "02/03/2000",
        "national_id": "12"})
    html = r.content.decode()
    assert r.status_code == 422
    assert "Trường «Ngày sinh» không hợp lệ" in html
    assert "Họ và tên phải có ít nhất họ và tên" in html and "12 chữ số" in html
    assert snapshot(world.lan) == before
