"""The review queue over HTTP: office staff merge, keep apart and un-merge (restoring both members
exactly); other roles are refused; every decision is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from dangbo.audit.models import AuditEvent
from dangbo.members.models import Member
from dangbo.orgs.models import Organization
from dangbo.registry.models import ReviewPair
from dangbo.registry.services import member_snapshot
from tests.registry.test_import import roll_files, run_import


@pytest.fixture
def queue(world, tmp_path):
    summary = run_import(roll_files(tmp_path))
    pair = ReviewPair.objects.get(batch_id=summary["batch"])
    return summary["batch"], pair


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def comparable(member):
    """A member's stored fields and events, without ids (a restored member gets a new id)."""
    snap = member_snapshot(member)
    return snap["member"], snap["events"]


def test_queue_lists_the_open_pair_side_by_side(world, queue):
    batch_id, pair = queue
    c = client_for(world.office)
    r = c.get("/nhap-danh-sach/")
    assert r.status_code == 200 and f"/nhap-danh-sach/{batch_id}/" in r.content.decode()
    body = c.get(f"/nhap-danh-sach/{batch_id}/").content.decode()
    assert "dv-tinh-a.xlsx:4 ↔ dv-tinh-b.csv:3" in body
    assert "Hợp nhất" in body and "Giữ riêng" in body and "cùng năm" in body and "1965-10-20" not in body
    assert "20/10/1965" in body  # the compared values, side by side, dates as dd/mm/yyyy


def test_merge_then_unmerge_restores_both_members_exactly(world, queue):
    batch_id, pair = queue
    a, b = pair.record_a.member, pair.record_b.member
    a_before, b_before = comparable(a), comparable(b)
    b_refs = sorted(b.source_records.values_list("ref", flat=True))
    counts_before = Organization.objects.values_list("pk", "official_count", "probationary_count").order_by("pk")
    counts_before = list(counts_before)
    c = client_for(world.office)

    r = c.post(f"/nhap-danh-sach/cap/{pair.id}/hop-nhat/", {"status": "open"})
    assert r.status_code == 302 and r["Location"] == f"/nhap-danh-sach/{batch_id}/?status=open#cap"
    pair.refresh_from_db()
    assert pair.status == "merged" and pair.decided_by == world.office and pair.decided_at
    assert not Member.objects.filter(pk=b.pk).exists()
    a.refresh_from_db()
    assert sorted(a.source_records.values_list("ref", flat=True)) == sorted(
        ["dv-tinh-a.xlsx:4", "dv-tinh-b.csv:3"])
    assert AuditEvent.objects.filter(action="registry.merge", actor=world.office, object_id=str(pair.pk)).exists()
    assert AuditEvent.objects.filter(action="member.merged_away", object_id=str(b.pk)).exists()
    assert "Đã hợp nhất dv-tinh-b.csv:3 vào «Bùi Văn Nam»." in c.get(r["Location"]).content.decode()

    r = c.post(f"/nhap-danh-sach/cap/{pair.id}/hoan-tac/", {"status": "merged"})
    assert r.status_code == 302
    pair.refresh_from_db()
    assert pair.status == "open" and pair.undo == {}
    a.refresh_from_db()
    restored = pair.record_b.member
    assert restored.pk != a.pk
    assert comparable(a) == a_before and comparable(restored) == b_before  # field and event equality
    assert sorted(restored.source_records.values_list("ref", flat=True)) == b_refs
    assert list(Organization.objects.values_list("pk", "official_count", "probationary_count").order_by("pk")) \
        == counts_before
    assert AuditEvent.objects.filter(action="registry.unmerge", actor=world.office).count() == 1
    assert AuditEvent.objects.filter(action="member.restored", object_id=str(restored.pk)).count() == 1


def test_merge_fills_missing_identity_and_unmerge_takes_it_back(world, queue):
    batch_id, pair = queue
    a, b = pair.record_a.member, pair.record_b.member
    if a.card_number:  # make A the one without the card: merge B (with card) into it
        a, b = b, a
        pair.record_a, pair.record_b = pair.record_b, pair.record_a
        pair.save()
    a_before, b_before = comparable(a), comparable(b)
    c = client_for(world.office)
    c.post(f"/nhap-danh-sach/cap/{pair.id}/hop-nhat/")
    a.refresh_from_db()
    assert a.card_number == b.card_number == "22222222"
    c.post(f"/nhap-danh-sach/cap/{pair.id}/hoan-tac/")
    a.refresh_from_db()
    pair.refresh_from_db()
    assert comparable(a) == a_before and comparable(pair.record_b.member) == b_before


def test_keep_apart_and_reopen(world, queue):
    batch_id, pair = queue
    c = client_for(world.office)
    members = Member.objects.count()
    c.post(f"/nhap-danh-sach/cap/{pair.id}/giu-rieng/")
    pair.refresh_from_db()
    assert pair.status == "kept_apart" and Member.objects.count() == members
    assert AuditEvent.objects.filter(action="registry.keep_apart", actor=world.office).count() == 1
    assert "↔ dv-tinh-b.csv:3" not in c.get(f"/nhap-danh-sach/{batch_id}/").content.decode()  # open only
    assert "Hoàn tác" in c.get(f"/nhap-danh-sach/{batch_id}/?status=kept_apart").content.decode()
    r = c.post(f"/nhap-danh-sach/cap/{pair.id}/giu-rieng/")  # decided already: a message, no change
    assert r.status_code == 302
    c.post(f"/nhap-danh-sach/cap/{pair.id}/hoan-tac/")
    pair.refresh_from_db()
    assert pair.status == "open"
    assert AuditEvent.objects.filter(action="registry.reopen").count() == 1


@pytest.mark.parametrize("role", ["secretary", "member_user", "outsider"])
def test_other_roles_are_refused(world, queue, role):
    batch_id, pair = queue
    c = client_for(getattr(world, role))
    listing = c.get("/nhap-danh-sach/")
    if role == "outsider":  # office staff of another committee: their (empty) list, not ours
        assert listing.status_code == 200 and f"/nhap-danh-sach/{batch_id}/" not in listing.content.decode()
    else:
        assert listing.status_code == 403
    assert c.get(f"/nhap-danh-sach/{batch_id}/").status_code in (403, 404)
    for action in ("hop-nhat", "giu-rieng", "hoan-tac"):
        assert c.post(f"/nhap-danh-sach/cap/{pair.id}/{action}/").status_code in (403, 404)
    pair.refresh_from_db()
    assert pair.status == "open"
    assert not AuditEvent.objects.filter(action__startswith="registry.", actor=getattr(world, role)).exists()


def test_nav_link_only_for_office(world):
    assert "Nhập danh sách" in client_for(world.office).get("/").content.decode()
    assert "Nhập danh sách" not in client_for(world.secretary).get("/").content.decode()


def test_anonymous_is_sent_to_login(world, queue):
    batch_id, pair = queue
    r = Client().get(f"/nhap-danh-sach/{batch_id}/")
    assert r.status_code == 302 and "/dang-nhap/" in r["Location"]


# ---------------------------------------------------------------- the web upload


@pytest.fixture
def worker(settings, tmp_path):
    """Does the queued jobs as `dangbo worker` does, in this process (its one-iteration function; the
    test database is one transaction). Returns a function that runs them all."""
    from dangbo.jobs.worker import Worker

    settings.VAR_DIR = tmp_path / "var"
    w = Worker(heartbeat=3600)

    def drain():
        while w.run_once():
            pass
    return drain


def _in(tmp_path):
    d = tmp_path / "in"
    d.mkdir(exist_ok=True)
    return d


def _upload(c, paths, org):
    handles = [open(p, "rb") for p in paths]
    try:
        return c.post("/nhap-danh-sach/tai-len/", {"organization": org.pk, "files": handles, "mapping": ""})
    finally:
        for h in handles:
            h.close()


def test_upload_imports_like_the_command_and_shows_the_batch(world, worker, tmp_path):
    from dangbo.registry.models import ImportBatch, SourceRecord

    c = client_for(world.office)
    page = c.get("/nhap-danh-sach/tai-len/").content.decode()
    assert "Tổ chức đảng nhận danh sách" in page and 'multiple' in page and "Đảng bộ Khác" not in page
    assert 'href="/nhap-danh-sach/tai-len/"' in c.get("/nhap-danh-sach/").content.decode()
    members = Member.objects.count()
    r = _upload(c, roll_files(_in(tmp_path)), world.root)
    batch = ImportBatch.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/nhap-danh-sach/{batch.pk}/"
    assert batch.status == "running" and batch.progress["stage"] == "queued" and batch.job.status == "queued"
    assert "Đang chờ bộ xử lý nền" in c.get(r["Location"]).content.decode()
    worker()
    batch.refresh_from_db()
    assert batch.status == "done" and batch.error == "" and batch.created_by == world.office
    assert batch.files == ["dv-tinh-a.xlsx", "dv-tinh-b.csv"]
    p = batch.progress
    assert (p["stage"], p["percent"], p["files_read"], p["rows_read"], p["records_matched"]) == ("done", 100, 2, 5, 5)
    assert p["members_imported"] == p["persons"] == batch.members_created == 4
    assert Member.objects.count() == members + 4 and SourceRecord.objects.filter(batch=batch).count() == 5
    assert ReviewPair.objects.filter(batch=batch).count() == 1
    assert AuditEvent.objects.filter(action="registry.upload", object_id=str(batch.pk)).exists()
    assert AuditEvent.objects.filter(action="registry.import", object_id=str(batch.pk)).exists()
    body = c.get(r["Location"]).content.decode()
    assert "dv-tinh-a.xlsx:4 ↔ dv-tinh-b.csv:3" in body
    frag = c.get(f"/nhap-danh-sach/{batch.pk}/tien-do/", HTTP_HX_REQUEST="true")
    assert frag["HX-Refresh"] == "true" and "100%" in frag.content.decode()
    assert batch.job.status == "done"
    assert not any((tmp_path / "var" / "uploads").iterdir())  # the uploaded copies are gone


def test_running_batch_page_polls_its_progress(world):
    from dangbo.registry.models import ImportBatch

    batch = ImportBatch.objects.create(organization=world.root, org_path=world.root.path, files=["a.csv"],
                                       status="running", progress={"stage": "compare", "percent": 55, "files": 1,
                                                                   "files_read": 1, "rows_read": 1200})
    c = client_for(world.office)
    body = c.get(f"/nhap-danh-sach/{batch.pk}/").content.decode()
    assert f'hx-get="/nhap-danh-sach/{batch.pk}/tien-do/"' in body and 'hx-trigger="load delay:1s"' in body
    assert 'value="55"' in body and "Đã đọc 1/1 tệp, 1.200 dòng" in body and "Đang so khớp" in body
    frag = c.get(f"/nhap-danh-sach/{batch.pk}/tien-do/", HTTP_HX_REQUEST="true")
    assert frag.status_code == 200 and "HX-Refresh" not in frag and "55%" in frag.content.decode()
    assert client_for(world.outsider).get(f"/nhap-danh-sach/{batch.pk}/tien-do/").status_code == 404


def test_failed_upload_saves_nothing_and_names_file_and_row(world, worker, tmp_path):
    from dangbo.registry.models import ImportBatch, SourceRecord
    from tests.registry.test_import import ROWS_B

    bad = ROWS_B + [["Lý Văn Tám", "1980", "Nam", "", "", "", "", "", "Chi bộ A1"]]  # no admission date
    members = Member.objects.count()
    c = client_for(world.office)
    r = _upload(c, roll_files(_in(tmp_path), bad), world.root)
    worker()
    batch = ImportBatch.objects.get()
    assert r.status_code == 302 and batch.status == "failed"
    assert "dv-tinh-b.csv:4" in batch.error and "thiếu ngày vào Đảng" in batch.error
    assert Member.objects.count() == members and not SourceRecord.objects.exists() and not ReviewPair.objects.exists()
    assert batch.members_created == 0
    body = c.get(r["Location"]).content.decode()
    assert "Không nhập được — chưa lưu gì." in body and "dv-tinh-b.csv:4" in body
    assert AuditEvent.objects.filter(action="registry.upload_failed", object_id=str(batch.pk)).exists()


def test_unreadable_file_names_the_file(world, worker, tmp_path):
    from dangbo.registry.models import ImportBatch
    from tests.registry import make_files as M

    files = roll_files(_in(tmp_path)) + [M.header_only_xlsx(_in(tmp_path))]
    r = _upload(client_for(world.office), files, world.root)
    worker()
    batch = ImportBatch.objects.get()
    assert r.status_code == 302 and batch.status == "failed" and "chi-tieu-de.xlsx" in batch.error


def test_upload_refuses_wrong_files_and_roles(world, worker, tmp_path):
    from dangbo.registry.models import ImportBatch

    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    c = client_for(world.office)
    r = _upload(c, [tmp_path / "notes.txt"], world.root)
    assert r.status_code == 422 and "Tệp «notes.txt»: chỉ nhận tệp .xlsx, .xls hoặc .csv." in r.content.decode()
    r = c.post("/nhap-danh-sach/tai-len/", {"organization": world.root.pk})
    assert r.status_code == 422 and "Chưa chọn tệp danh sách nào." in r.content.decode()
    r = _upload(c, roll_files(_in(tmp_path)), world.other)  # outside the office's tree: not a choice
    assert r.status_code == 422
    for user in (world.secretary, world.member_user):
        assert client_for(user).get("/nhap-danh-sach/tai-len/").status_code == 403
    assert not ImportBatch.objects.exists()


def test_the_page_says_when_no_worker_runs_or_it_stopped(world, worker, tmp_path):
    """Queued for longer than `queue_warn_seconds` with no worker busy: "the server is not running its
    background worker — tell the administrator"; running with a dead heartbeat: "it stopped half-way"."""
    import datetime as dt

    from django.utils import timezone

    from dangbo.jobs.models import Job
    from dangbo.registry.models import ImportBatch

    c = client_for(world.office)
    _upload(c, roll_files(_in(tmp_path)), world.root)
    batch = ImportBatch.objects.get()
    frag = c.get(f"/nhap-danh-sach/{batch.pk}/tien-do/", HTTP_HX_REQUEST="true").content.decode()
    assert "Đang chờ bộ xử lý nền" in frag and "báo quản trị" not in frag
    Job.objects.filter(pk=batch.job_id).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    for url in (f"/nhap-danh-sach/{batch.pk}/", f"/nhap-danh-sach/{batch.pk}/tien-do/"):
        body = c.get(url).content.decode()
        assert "máy chủ chưa chạy bộ xử lý nền" in body and "Hãy báo quản trị hệ thống" in body
        assert "dangbo" not in body.split("<main", 1)[-1]  # no command on screen, words a clerk understands
    Job.objects.filter(pk=batch.job_id).update(status="running", worker="h:1:x",
                                               heartbeat_at=timezone.now() - dt.timedelta(minutes=5))
    body = c.get(f"/nhap-danh-sach/{batch.pk}/tien-do/").content.decode()
    assert "Bộ xử lý nền đã ngừng giữa chừng" in body and "HX-Refresh" not in body
