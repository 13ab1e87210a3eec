"""A paper-ballot election in a real browser (issue text): check a delegate in on the congress's
check-in page → enter the ballots as teller 1 and as teller 2 → the mismatch shows → the counting
committee re-reads and resolves it → tally → download the counting minutes, whose .docx carries the
chain's fingerprint. Then the entry desk and the projector on a phone-sized screen."""

import io
import re
from datetime import date

import pytest
from docx import Document
from playwright.sync_api import expect

from dangbo.congress import chain
from dangbo.congress.services import congress_create, delegate_add, delegate_check_in
from dangbo.elections import services
from dangbo.elections.models import Election
from tests.browser.test_journey import _overflow, log_in

pytestmark = pytest.mark.browser

NAMES = ["Ứng Viên Một", "Ứng Viên Hai", "Ứng Viên Ba"]


def _setup(world):
    congress = congress_create(actor=None, organization=world.a, kind="members", term="2025–2030",
                               name="Đại hội Đảng bộ cơ sở A", start_date=date(2025, 6, 20))
    people = [world.hung, world.lan] + [world.add(world.a1, f"Đảng Viên Thử {chr(65 + i)}") for i in range(3)]
    delegates = [delegate_add(actor=None, congress=congress, member=m, obtained="elected") for m in people]
    for d in delegates[1:]:
        delegate_check_in(actor=None, congress=congress, delegate=d)
    e = services.election_create(actor=None, congress=congress, body="executive_committee", seats=2,
                                 candidates=NAMES)
    services.election_base_set(actor=None, election=e, excluded={})
    services.election_open(actor=None, election=e)
    services.election_count_start(actor=None, election=e, issued=3, returned=3)
    return congress, delegates[0], e


def _enter(page, teller, ballot_no, *, typed="", ticked=()):
    form = page.locator("form.entry")
    expect(form.locator("input[name=ballot_no]")).to_have_value(str(ballot_no))  # the next number comes up
    if typed:
        form.locator("input[name=kept_text]").fill(typed)
    for no in ticked:
        form.locator(f"input[name=kept][value='{no}']").check()
    form.locator("input[name=kept_text]").press("Enter")  # keyboard: Enter saves


def test_check_in_double_entry_mismatch_tally_minutes(transactional_db, world, page, tmp_path):
    congress, late, e = _setup(world)
    log_in(page)
    page.goto(f"/dai-hoi/{congress.id}/diem-danh/")
    page.locator("#id_number").fill(str(late.number))
    page.locator("#id_number").press("Enter")
    expect(page.locator("#checkin-result")).to_contain_text("Đã điểm danh Nguyễn Văn Hùng")

    page.get_by_role("link", name="Bầu cử", exact=True).click()
    page.get_by_role("link", name=e.title).click()
    expect(page).to_have_url(re.compile(rf"/bau-cu/{e.id}/$"))
    page.get_by_role("link", name="Nhập phiếu — tổ viên 1").click()
    _enter(page, 1, 1, typed="1 2")
    expect(page.get_by_role("status")).to_contain_text("Phiếu số 1: đã lưu, chờ tổ viên kia nhập")
    _enter(page, 1, 2, ticked=(1, 2))
    _enter(page, 1, 3, typed="1, 3")

    page.goto(f"/bau-cu/{e.id}/")
    page.get_by_role("link", name="Nhập phiếu — tổ viên 2").click()
    _enter(page, 2, 1, typed="1 2")
    expect(page.get_by_role("status")).to_contain_text("Phiếu số 1: hai lần nhập khớp, đã tính")
    _enter(page, 2, 2, typed="1 3")  # teller 2 misreads ballot 2
    expect(page.get_by_role("status")).to_contain_text("Phiếu số 2: HAI LẦN NHẬP KHÔNG KHỚP")
    _enter(page, 2, 3, ticked=(1, 3))

    page.goto(f"/bau-cu/{e.id}/")
    expect(page.locator("#mismatch")).to_have_text("1")
    expect(page.get_by_role("button", name="Kiểm phiếu, công bố kết quả")).to_be_disabled()
    page.get_by_role("link", name=re.compile("Ban Kiểm phiếu: phiếu cần xử lý")).click()
    problem = page.locator("#ballot-2")
    expect(problem.locator("tbody tr")).to_have_count(2)
    expect(problem).to_contain_text("1 3")
    expect(problem).to_contain_text("1 2")
    problem.locator("input[name=kept][value='1']").check()
    problem.locator("input[name=kept][value='2']").check()
    problem.locator("input[name=reason]").fill("Đọc lại phiếu giấy: giữ tên số 1 và số 2")
    problem.get_by_role("button", name="Ghi kết quả đọc lại").click()
    expect(page.get_by_role("status")).to_contain_text("Phiếu số 2: đã ghi quyết định")

    page.goto(f"/bau-cu/{e.id}/")
    page.get_by_role("button", name="Kiểm phiếu, công bố kết quả").click()
    expect(page.get_by_role("status")).to_have_text("Đã kiểm phiếu xong.")
    rows = page.locator("table.result tbody tr")
    expect(rows.nth(0)).to_contain_text("Trúng cử (1)")  # 3 votes of base 5: threshold 3
    expect(rows.nth(1)).not_to_contain_text("Trúng cử")  # 2 votes
    e = Election.objects.get(pk=e.pk)
    assert e.result["threshold"] == 3 and e.result["valid"] == 3 and e.result["elected"] == [1]
    fp = chain.format_fingerprint(e.fingerprint)
    expect(page.locator("#fingerprint")).to_have_text(fp)

    with page.expect_download() as dl:
        page.get_by_role("link", name="Biên bản kiểm phiếu (Word)").click()
    path = tmp_path / "bien-ban.docx"
    dl.value.save_as(path)
    text = "\n".join(p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert fp in text and "BIÊN BẢN KIỂM PHIẾU" in text and "Phiếu số 2: đọc lại" in text
    assert page.problems == []


def test_entry_desk_and_projector_fit_a_phone(transactional_db, world, page_factory):
    _congress, _late, e = _setup(world)
    page = page_factory(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
                        has_touch=True)
    log_in(page)
    for path in (f"/bau-cu/{e.id}/nhap-phieu-1/", f"/bau-cu/{e.id}/", f"/bau-cu/{e.id}/trinh-chieu/"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        o = _overflow(page)
        assert o["scrollWidth"] <= o["innerWidth"], f"{path} overflows horizontally: {o}"
    # the projector polls: a ballot entered elsewhere shows up without a reload
    services.ballot_enter(actor=None, election=e, teller=1, ballot_no=1, kept=[1])
    services.ballot_enter(actor=None, election=e, teller=2, ballot_no=1, kept=[1])
    expect(page.locator(".projector .big strong")).to_have_text("1", timeout=8000)
    assert page.problems == []
