"""A paper-ballot election in a real browser (issue text): check a delegate in on the congress's
check-in page → two members of the counting committee, each logged in as themselves, enter the
ballots at desk 1 and desk 2 → the mismatch shows → the committee's head re-reads and resolves it →
office staff tally → download the counting minutes, whose .docx carries the chain's fingerprint.
Then the entry desk and the projector on a phone-sized screen."""

import io
import re
from datetime import date

import pytest
from docx import Document
from playwright.sync_api import expect

from dangbo.accounts.services import account_create
from dangbo.congress.services import (
    body_member_add,
    body_vote_record,
    congress_create,
    delegate_add,
    delegate_check_in,
)
from dangbo.elections import chain, services
from dangbo.elections.models import Election
from tests.browser.shell import menu
from tests.browser.test_journey import _overflow, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

NAMES = ["Ứng Viên Một", "Ứng Viên Hai", "Ứng Viên Ba"]


def _setup(world):
    congress = congress_create(actor=None, organization=world.a, kind="members", term="2025–2030",
                               name="Đại hội Đảng bộ cơ sở A", start_date=date(2025, 6, 20))
    people = [world.hung, world.lan] + [world.add(world.a1, f"Đảng Viên Thử {chr(65 + i)}") for i in range(3)]
    delegates = [delegate_add(actor=None, congress=congress, member=m, obtained="elected") for m in people]
    for d in delegates[1:]:
        delegate_check_in(actor=None, congress=congress, delegate=d)
    world.tellers = []  # the counting committee (CON-9): Thử A, B, C, each with their own login
    for i, d in enumerate(delegates[2:]):
        body_member_add(actor=None, congress=congress, kind="counting", delegate=d, is_head=i == 0)
        world.tellers.append(account_create(actor=None, username=f"kiemphieu{i + 1}", password=PASSWORD,
                                            role="member", member=d.member))
    body_vote_record(actor=None, congress=congress, kind="counting", votes_for=4, votes_against=0, votes_abstain=0)
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


def test_check_in_double_entry_mismatch_tally_minutes(transactional_db, world, page, page_factory, tmp_path):
    congress, late, e = _setup(world)
    log_in(page)
    page.goto(f"/dai-hoi/{congress.id}/diem-danh/")
    page.locator("#id_number").fill(str(late.number))
    page.locator("#id_number").press("Enter")
    expect(page.locator("#checkin-result")).to_contain_text("Đã điểm danh Nguyễn Văn Hùng")

    menu(page, "Bầu cử").click()
    page.get_by_role("link", name=e.title).click()
    expect(page).to_have_url(re.compile(rf"/bau-cu/{e.id}/$"))
    page.get_by_role("link", name="Nhập phiếu — tổ viên 1").click()
    expect(page.locator("#not-teller")).to_contain_text("Chỉ thành viên Ban Kiểm phiếu")  # staff only watch
    expect(page.locator("form.entry")).to_have_count(0)

    desk1 = page_factory(viewport={"width": 1280, "height": 900})
    log_in(desk1, "kiemphieu1")
    desk1.get_by_role("link", name="Biểu quyết", exact=True).click()  # a member's menu
    desk1.get_by_role("link", name="Kiểm phiếu — bàn nhập phiếu").click()  # the rounds they count
    desk1.get_by_role("link", name="Tổ viên 1").click()
    _enter(desk1, 1, 1, typed="1 2")
    expect(desk1.get_by_role("status")).to_contain_text("Phiếu số 1: đã lưu, chờ tổ viên kia nhập")
    _enter(desk1, 1, 2, ticked=(1, 2))
    _enter(desk1, 1, 3, typed="1, 3")
    desk1.goto(f"/bau-cu/{e.id}/nhap-phieu-2/")  # the same person cannot give the second reading
    desk1.locator("form.entry input[name=kept_text]").fill("1 2")
    desk1.locator("form.entry input[name=ballot_no]").fill("1")
    desk1.locator("form.entry input[name=kept_text]").press("Enter")
    expect(desk1.get_by_role("alert").first).to_contain_text("hai thành viên khác nhau")  # the form again, 422

    desk2 = page_factory(viewport={"width": 1280, "height": 900})
    log_in(desk2, "kiemphieu2")
    desk2.goto(f"/bau-cu/{e.id}/nhap-phieu-2/")
    _enter(desk2, 2, 1, typed="1 2")
    expect(desk2.get_by_role("status")).to_contain_text("Phiếu số 1: hai lần nhập khớp, đã tính")
    _enter(desk2, 2, 2, typed="1 3")  # teller 2 misreads ballot 2
    expect(desk2.get_by_role("status")).to_contain_text("Phiếu số 2: HAI LẦN NHẬP KHÔNG KHỚP")
    _enter(desk2, 2, 3, ticked=(1, 3))

    page.goto(f"/bau-cu/{e.id}/")
    expect(page.locator("#mismatch")).to_have_text("1")
    expect(page.get_by_role("button", name="Kiểm phiếu, công bố kết quả")).to_be_disabled()
    desk1.goto(f"/bau-cu/{e.id}/ban-kiem-phieu/")
    problem = desk1.locator("#ballot-2")
    expect(problem.locator("tbody tr")).to_have_count(2)
    expect(problem).to_contain_text("1 3")
    expect(problem).to_contain_text("1 2")
    problem.locator("input[name=kept][value='1']").check()
    problem.locator("input[name=kept][value='2']").check()
    problem.locator("input[name=reason]").fill("Đọc lại phiếu giấy: giữ tên số 1 và số 2")
    problem.get_by_role("button", name="Ghi kết quả đọc lại").click()
    expect(desk1.get_by_role("status")).to_contain_text("Phiếu số 2: đã ghi quyết định")
    assert desk1.problems == [] and desk2.problems == []

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
    log_in(page, "kiemphieu1")
    page.goto(f"/bau-cu/{e.id}/nhap-phieu-1/")
    expect(page.locator("form.entry")).to_be_visible()
    o = _overflow(page)
    assert o["scrollWidth"] <= o["innerWidth"], f"the entry desk overflows horizontally: {o}"
    page.context.clear_cookies()
    log_in(page)
    for path in (f"/bau-cu/{e.id}/nhap-phieu-1/", f"/bau-cu/{e.id}/", f"/bau-cu/{e.id}/trinh-chieu/"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        o = _overflow(page)
        # a mobile browser widens the layout to the content: the width must stay the phone's own
        assert o["scrollWidth"] <= o["innerWidth"] == 390, f"{path} overflows horizontally: {o}"
    # the projector polls: a ballot entered elsewhere shows up without a reload
    services.ballot_enter(actor=world.tellers[0], election=e, teller=1, ballot_no=1, kept=[1])
    services.ballot_enter(actor=world.tellers[1], election=e, teller=2, ballot_no=1, kept=[1])
    expect(page.locator(".projector .big strong")).to_have_text("1", timeout=8000)
    assert page.problems == []
