"""A review queue people can finish (issue 15), over HTTP: strongest first with the reason in words and
the differences marked; progress; a decision for a whole class with a preview and one undo that
restores every member exactly; pairs given to a cell's secretary, who sees only pairs whose two members
are in their subtree (masked sensitive data) and decides on a phone; the queue as Excel and the
decisions uploaded back (checked, all or nothing, errors naming the row)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from dangbo.audit.models import AuditEvent
from dangbo.members.models import Member
from dangbo.orgs.models import Organization
from dangbo.registry.models import BulkDecision, ReviewPair, SourceRecord
from dangbo.registry.services import member_snapshot
from tests.registry.test_import import run_import, write_csv

ROWS = [
    # two rows of one person each, no ID, one row with the birth year only and no home town: "some"
    # (name, year, admission day; with the commune on both rows they would merge: year+admission+town)
    ["Đinh Văn Tú", "12/03/1970", "Nam", "", "", "Xã Bảo Đức, Phú Thọ", "03/02/1995", "", "Chi bộ A1"],
    ["Đinh Văn Tú", "1970", "Nam", "", "", "", "03/02/1995", "", "Chi bộ A1"],
    ["Hà Thị Nga", "05/06/1980", "Nữ", "", "", "Xã Tiên Lữ, Vĩnh Phúc", "01/07/2005", "", "Chi bộ A2"],
    ["Hà Thị Nga", "1980", "Nữ", "", "", "", "01/07/2005", "", "Chi bộ A2"],
    ["Lò Văn Páo", "07/08/1985", "Nam", "", "", "Xã Kim Bôi, Hòa Bình", "02/09/2010", "", "Chi bộ cơ sở B"],
    ["Lò Văn Páo", "1985", "Nam", "", "", "", "02/09/2010", "", "Chi bộ cơ sở B"],
    # one row in A1, the other in B: no cell holds both
    ["Mai Văn Sơn", "09/10/1975", "Nam", "", "", "Xã Yên Lạc, Phú Thọ", "04/05/2000", "", "Chi bộ A1"],
    ["Mai Văn Sơn", "1975", "Nam", "", "", "", "04/05/2000", "", "Chi bộ cơ sở B"],
    # the same name, birth and admission day, IDs one digit apart: the strongest class
    ["Vi Văn Lâm", "11/11/1971", "Nam", "017071000111", "", "Xã Hợp Kim, Hòa Bình", "05/05/1999", "", "Chi bộ A1"],
    ["Vi Văn Lâm", "11/11/1971", "Nam", "017071000112", "", "Xã Hợp Kim, Hòa Bình", "05/05/1999", "", "Chi bộ A1"],
]


@pytest.fixture
def batch(world, tmp_path):
    return run_import([write_csv(tmp_path, "cu.csv", ROWS)])["batch"]


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def world_state():
    """Every member (fields and events, without ids) by name, which member each source row is on, the
    organisations' counters — what a decision and its undo must leave exactly as it was."""
    members = sorted((member_snapshot(m)["member"]["full_name"], repr(member_snapshot(m)))
                     for m in Member.objects.all())
    rows = sorted((r.ref, r.member.full_name, repr(member_snapshot(r.member))) for r in
                  SourceRecord.objects.select_related("member"))
    counts = list(Organization.objects.values_list("pk", "official_count", "probationary_count").order_by("pk"))
    return members, rows, counts


def test_the_queue_is_ordered_strongest_first_with_reasons_and_differences(world, batch):
    pairs = list(ReviewPair.objects.filter(batch_id=batch))
    assert {p.kind for p in pairs} == {"id_typo", "some"} and len(pairs) == 5
    body = client_for(world.office).get(f"/nhap-danh-sach/{batch}/").content.decode()
    first = body.index("cu.csv:10 ↔ cu.csv:11")  # the ID typo first
    assert all(first < body.index(f"cu.csv:{a} ↔ cu.csv:{a + 1}") for a in (2, 4, 6, 8))
    assert "cùng họ tên, ngày sinh và ngày vào Đảng; số CCCD lệch một chữ số" in body
    assert "cùng họ tên, năm sinh và ngày vào Đảng; thiếu số CCCD" in body
    card = body[first:body.index("</section>", first)]
    assert '<tr class="differs"><th scope="row">Số định danh</th><td>017071000111</td><td>017071000112</td>' in card
    assert "0 / 5</b> cặp đã xử lý" in body
    assert "Ngoài ra" not in body  # no pairs counted apart: no line about them
    assert "Giữ riêng tất cả…" in body and "Hợp nhất tất cả…" in body


def test_a_bulk_decision_has_a_preview_and_one_undo_that_restores_every_member(world, batch):
    c = client_for(world.office)
    before = world_state()
    preview = c.get(f"/nhap-danh-sach/{batch}/hang-loat/?loai=some&lam=merge")
    text = preview.content.decode()
    assert preview.status_code == 200 and "<b>4</b> cặp đang chờ" in text and "Hợp nhất tất cả (4 cặp)" in text
    assert world_state() == before  # a preview writes nothing
    r = c.post(f"/nhap-danh-sach/{batch}/hang-loat/", {"loai": "some", "lam": "merge"})
    assert r.status_code == 302
    assert ReviewPair.objects.filter(batch_id=batch, kind="some", status="merged").count() == 4
    assert Member.objects.filter(full_name="Đinh Văn Tú").count() == 1
    bulk = BulkDecision.objects.get()
    assert (bulk.count, bulk.action, bulk.kind) == (4, "merge", "some")
    page = c.get(r["Location"]).content.decode()
    assert "Hợp nhất tất cả: 4 cặp" in page and "4 / 5</b> cặp đã xử lý" in page
    assert "Hoàn tác quyết định hàng loạt" in page
    r = c.post(f"/nhap-danh-sach/{batch}/hang-loat/hoan-tac/")
    assert r.status_code == 302 and "4 cặp trở lại chờ xem xét" in c.get(r["Location"]).content.decode()
    assert world_state() == before
    assert ReviewPair.objects.filter(batch_id=batch, status="open").count() == 5
    assert AuditEvent.objects.filter(action="registry.bulk_decide").count() == 1
    assert AuditEvent.objects.filter(action="registry.bulk_undo").count() == 1
    # keep apart in bulk, undone likewise
    c.post(f"/nhap-danh-sach/{batch}/hang-loat/", {"loai": "id_typo", "lam": "keep_apart"})
    assert ReviewPair.objects.get(batch_id=batch, kind="id_typo").status == "kept_apart"
    c.post(f"/nhap-danh-sach/{batch}/hang-loat/hoan-tac/")
    assert world_state() == before and ReviewPair.objects.filter(status="open").count() == 5


def test_other_roles_cannot_decide_in_bulk(world, batch):
    before = world_state()
    for user in (world.secretary, world.member_user, world.outsider):
        c = client_for(user)
        assert c.get(f"/nhap-danh-sach/{batch}/hang-loat/?loai=some&lam=merge").status_code in (403, 404)
        assert c.post(f"/nhap-danh-sach/{batch}/hang-loat/", {"loai": "some", "lam": "merge"}).status_code in (403, 404)
        assert c.post(f"/nhap-danh-sach/{batch}/giao/", {"organization": world.a1.pk}).status_code in (403, 404)
    assert world_state() == before and not BulkDecision.objects.exists()


def test_a_cells_pairs_go_to_its_secretary_who_decides_on_a_phone(world, batch):
    office, sec = client_for(world.office), client_for(world.secretary)
    assert "Không còn cặp nào chờ" in sec.get("/xem-xet/").content.decode()  # nothing given yet
    page = office.get(f"/nhap-danh-sach/{batch}/").content.decode()
    assert "Chi bộ A1: 2 cặp chờ" in page and "Chi bộ A2: 1 cặp chờ" in page and "Chi bộ cơ sở B: 1 cặp chờ" in page
    office.post(f"/nhap-danh-sach/{batch}/giao/", {"organization": world.a1.pk})
    office.post(f"/nhap-danh-sach/{batch}/giao/", {"organization": world.b.pk})  # not the secretary's subtree
    assert ReviewPair.objects.filter(assigned_org=world.a1).count() == 2
    body = sec.get("/xem-xet/").content.decode()
    assert "Đinh Văn Tú" in body and "Vi Văn Lâm" in body
    assert "Lò Văn Páo" not in body and "Hà Thị Nga" not in body and "Mai Văn Sơn" not in body
    # the secretary sees the birth year and the ID's last three digits only
    assert "12/03/1970" not in body and "017071000111" not in body and "•••••••••111" in body
    assert "0 / 2</b> cặp đã xử lý" in body
    pair = ReviewPair.objects.get(batch_id=batch, kind="some", assigned_org=world.a1)
    r = sec.post(f"/nhap-danh-sach/cap/{pair.pk}/hop-nhat/", {"next": "/xem-xet/"})
    assert r.status_code == 302 and r["Location"] == "/xem-xet/"
    pair.refresh_from_db()
    assert pair.status == "merged" and pair.decided_by == world.secretary
    assert "1 / 2</b> cặp đã xử lý" in sec.get("/xem-xet/").content.decode()
    # pairs not given to them, or outside their subtree, stay closed to the secretary
    other = ReviewPair.objects.get(batch_id=batch, record_a__ref="cu.csv:4")
    for action in ("hop-nhat", "giu-rieng", "hoan-tac"):
        assert sec.post(f"/nhap-danh-sach/cap/{other.pk}/{action}/").status_code == 404
    pao = ReviewPair.objects.get(batch_id=batch, record_a__ref="cu.csv:6")
    assert pao.assigned_org == world.b and sec.post(f"/nhap-danh-sach/cap/{pao.pk}/hop-nhat/").status_code == 404
    other.refresh_from_db()
    pao.refresh_from_db()
    assert other.status == pao.status == "open"
    assert client_for(world.member_user).get("/xem-xet/").status_code == 403
    assert client_for(world.office).get("/xem-xet/").status_code == 302


def test_the_queue_goes_to_excel_and_the_decisions_come_back(world, batch):
    c = client_for(world.office)
    r = c.get(f"/nhap-danh-sach/{batch}/cap-can-xem-xet.xlsx")
    assert r.status_code == 200 and AuditEvent.objects.filter(action="registry.queue_export").exists()
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "Mã cặp")
    header = rows[header_at]
    decision, reason = header.index("Quyết định"), header.index("Lý do")
    data = rows[header_at + 1:]
    assert len(data) == 5 and "số CCCD lệch một chữ số" in data[0][reason]
    assert ws.freeze_panes == f"A{header_at + 2}"

    def upload(fill):
        for n, value in fill.items():
            ws.cell(row=header_at + 2 + n, column=decision + 1, value=value)
        buf = io.BytesIO()
        wb.save(buf)
        buf.seek(0)
        buf.name = "quyet-dinh.xlsx"
        return c.post(f"/nhap-danh-sach/{batch}/nhap-quyet-dinh/", {"file": buf})

    before = world_state()
    r = upload({0: "Giữ riêng", 1: "hop nhat", 2: "Có lẽ"})
    body = c.get(r["Location"]).content.decode()
    assert f"Dòng {header_at + 4}: «Quyết định» phải là «Hợp nhất», «Giữ riêng» hoặc để trống" in body
    assert world_state() == before and not ReviewPair.objects.exclude(status="open").exists()  # nothing written
    r = upload({2: ""})
    assert "1 cặp hợp nhất, 1 cặp giữ riêng" in c.get(r["Location"]).content.decode()
    statuses = list(ReviewPair.objects.filter(batch_id=batch).order_by("rank", "-score", "id")
                    .values_list("status", flat=True))
    assert statuses[:3] == ["kept_apart", "merged", "open"]
    r = upload({})  # the same file again: nothing to change
    assert "0 cặp hợp nhất, 0 cặp giữ riêng (2 cặp đã như vậy)" in c.get(r["Location"]).content.decode()


def test_namesakes_with_something_disagreeing_are_counted_not_queued(world, tmp_path):
    """Issue 15: a shared name and birth year with another birth day, admission day and commune, nothing else
    agreeing — two people: counted in report.json and on the batch page, not queued."""
    rows = [["Nông Văn Hải", "01/01/1960", "Nam", "", "", "Xã Bảo Đức, Phú Thọ", "03/02/1990", "", "Chi bộ A1"],
            ["Nông Văn Hải", "02/02/1960", "Nam", "", "", "Xã Kim Bôi, Hòa Bình", "19/05/1995", "", "Chi bộ A2"]]
    batch = run_import([write_csv(tmp_path, "ten.csv", rows)])["batch"]
    assert not ReviewPair.objects.filter(batch_id=batch).exists()
    body = client_for(world.office).get(f"/nhap-danh-sach/{batch}/").content.decode()
    assert "Ngoài ra 1 cặp chỉ trùng họ tên và năm sinh" in body
    assert "«cùng họ tên và năm sinh; khác ngày sinh, khác ngày vào Đảng, khác quê quán, thiếu số CCCD» (1)" in body
    from dangbo.registry.models import ImportBatch
    totals = ImportBatch.objects.get(pk=batch).report["totals"]
    assert totals["weak_pairs"] == 1 and totals["review_pairs"] == 0
