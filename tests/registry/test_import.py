"""`dangbo registry import` through call_command into the `world` fixture: members through the member
services, provenance, card history, the review queue, audit — and all-or-nothing on every error."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dangbo.audit.models import AuditEvent
from dangbo.members.models import Member, MemberEvent
from dangbo.registry.models import ImportBatch, ReviewPair, SourceRecord

from . import make_files as M

HEAD = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số thẻ đảng viên", "Quê quán", "Ngày vào Đảng",
        "Ngày chính thức", "Chi bộ"]
ROWS_A = [
    ["Đỗ Văn Minh", "12/04/1970", "Nam", "001070000111", "11.111.111", "Xã Bảo Đức, Hòa Bình", "03/02/1995",
     "03/02/1996", "Chi bộ A1"],
    ["Vũ Thị Hạnh", 1982, "Nữ", None, None, "Phú Thọ", "2010", None, "Chi bộ A2"],
    ["Bùi Văn Nam", "20/10/1965", "Nam", None, "22.222.222", "Xã Tiên Lữ, Vĩnh Phúc", "01/06/1990", "01/06/1991",
     "Chi bộ cơ sở B"],
]
ROWS_B = [
    # the same person as A:2 (same ID), card re-issued in 2025
    ["ĐỖ VĂN MINH", "12/04/1970", "Nam", "001070000111", "33.333.333", "Xã Bảo Đức, Phú Thọ", "03/02/1995",
     "03/02/1996", "Chi bộ A1"],
    # same name and birth year as A:4, no ID: a pair for review, never a merge
    ["Bùi Văn Nam", "1965", "Nam", "", "", "Vĩnh Phúc", "01/06/1990", "", "CHI BO CO SO B"],
]


def write_csv(directory, name, rows):
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows([HEAD, *rows])
    (directory / name).write_text(buf.getvalue(), encoding="utf-8")
    return directory / name


def roll_files(directory, rows_b=ROWS_B):
    """Two rolls: an xlsx (built with make_files.custom_xlsx) and a `;` CSV."""
    return [M.custom_xlsx(directory, "dv-tinh-a.xlsx", [HEAD, *ROWS_A]), write_csv(directory, "dv-tinh-b.csv", rows_b)]


def run_import(files, org="ROOT"):
    out = io.StringIO()
    call_command("registry", "import", *map(str, files), "--org", org, "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def counts():
    return (Member.objects.count(), MemberEvent.objects.count(), ImportBatch.objects.count(),
            SourceRecord.objects.count(), ReviewPair.objects.count(), AuditEvent.objects.count())


def test_import_creates_members_with_provenance_and_review_queue(world, tmp_path):
    before = Member.objects.count()
    summary = run_import(roll_files(tmp_path))
    assert summary == {"batch": summary["batch"], "members_created": 4, "source_rows": 5, "review_pairs": 1}
    assert Member.objects.count() == before + 4
    batch = ImportBatch.objects.get(pk=summary["batch"])
    assert batch.files == ["dv-tinh-a.xlsx", "dv-tinh-b.csv"] and batch.organization == world.root
    assert batch.report["totals"]["persons"] == 4

    minh = Member.objects.get(national_id="001070000111")
    assert minh.full_name == "Đỗ Văn Minh" and minh.organization == world.a1 and minh.state == "official"
    assert minh.card_number == "33333333" and minh.birth_date == date(1970, 4, 12)
    assert [(e.kind, e.date) for e in minh.events.all()] == [("admission", date(1995, 2, 3)),
                                                              ("recognition", date(1996, 2, 3))]
    refs = sorted(minh.source_records.values_list("ref", flat=True))
    assert refs == ["dv-tinh-a.xlsx:2", "dv-tinh-b.csv:2"]
    rec = minh.source_records.get(ref="dv-tinh-b.csv:2")
    assert rec.data["card_history"] == ["11111111", "33333333"]  # the card history is kept
    assert rec.raw["full_name"] == "ĐỖ VĂN MINH" and rec.data["full_name"] == "Đỗ Văn Minh"

    hanh = Member.objects.get(full_name="Vũ Thị Hạnh")
    assert hanh.organization == world.a2 and hanh.state == "probationary"
    assert hanh.admission_date == date(2010, 1, 1) and hanh.birth_date == date(1982, 1, 1)  # year only → 1 Jan
    hrec = hanh.source_records.get()
    assert (hrec.data["admission_precision"], hrec.data["birth_precision"]) == ("year", "year")

    pair = ReviewPair.objects.get(batch=batch)
    assert pair.status == "open" and {pair.record_a.ref, pair.record_b.ref} == {"dv-tinh-a.xlsx:4", "dv-tinh-b.csv:3"}
    assert pair.record_a.member != pair.record_b.member
    assert {pair.record_a.member.organization, pair.record_b.member.organization} == {world.b}  # folded name
    assert pair.comparison["name"] == {"a": "Bùi Văn Nam", "b": "Bùi Văn Nam", "cmp": "exact"}
    assert pair.score > 0
    assert AuditEvent.objects.filter(action="registry.import", object_id=str(batch.pk)).count() == 1
    assert AuditEvent.objects.filter(action="member.create").count() >= 4
    assert every_row_once(batch)


def every_row_once(batch):
    refs = list(SourceRecord.objects.filter(batch=batch).values_list("ref", flat=True))
    return len(refs) == len(set(refs)) == batch.report["totals"]["rows_accepted"]


def test_unmatched_organisation_falls_back_to_a_cell_target(world, tmp_path):
    rows = [["Lý Văn Tám", "01/01/1980", "Nam", "", "", "Hà Nội", "01/01/2005", "01/01/2006", "Chi bộ Lạ"]]
    summary = run_import([write_csv(tmp_path, "le.csv", rows)], org="A1")
    assert summary["members_created"] == 1
    assert Member.objects.get(full_name="Lý Văn Tám").organization == world.a1


@pytest.mark.parametrize("case", ["unknown_org", "no_admission", "duplicate_id", "bad_file", "unknown_code"])
def test_any_error_saves_nothing(world, tmp_path, case):
    files = roll_files(tmp_path)
    org = "ROOT"
    if case == "unknown_org":
        files = roll_files(tmp_path, ROWS_B + [["Lý Văn Tám", "1980", "Nam", "", "", "", "2005", "", "Chi bộ Lạ"]])
        expect = ["dv-tinh-b.csv:4", "Chi bộ Lạ"]
    elif case == "no_admission":
        files = roll_files(tmp_path, ROWS_B + [["Lý Văn Tám", "1980", "Nam", "", "", "", "", "", "Chi bộ A1"]])
        expect = ["dv-tinh-b.csv:4", "thiếu ngày vào Đảng"]
    elif case == "duplicate_id":  # fails late, after other members were created: all rolled back
        files = roll_files(tmp_path, ROWS_B + [["Lý Văn Tám", "1975", "Nam", "025075000123", "", "", "2005", "",
                                                "Chi bộ A1"]])
        expect = ["dv-tinh-b.csv:4", "định danh"]
    elif case == "bad_file":
        files = files + [M.header_only_xlsx(tmp_path)]
        expect = ["chi-tieu-de.xlsx"]
    else:
        org, expect = "NOPE", ["NOPE"]
    before = counts()
    with pytest.raises(CommandError) as err:
        run_import(files, org=org)
    for text in expect:
        assert text in str(err.value)
    assert counts() == before


def test_cli_exit_status_and_message(world, tmp_path, capsys):
    rows = ROWS_B + [["Lý Văn Tám", "1980", "Nam", "", "", "", "2005", "", "Chi bộ Lạ"]]
    with pytest.raises(SystemExit) as exc:
        from django.core.management import ManagementUtility

        ManagementUtility(["dangbo", "registry", "import", *map(str, roll_files(tmp_path, rows)), "--org", "ROOT"]
                          ).execute()
    assert exc.value.code != 0
    assert "không tìm thấy chi bộ" in capsys.readouterr().err


def test_qualified_cell_name_resolves_a_shared_name(world):
    """Two cells named alike: "Chi bộ X - <parent name>" picks the right one."""
    from datetime import date

    from dangbo.orgs.services import org_found
    from dangbo.registry.services import _org_index, _person_org

    d = date(2025, 7, 1)
    one = org_found(actor=None, code="A9", name="Chi bộ Văn phòng", kind="cell", parent=world.a, on=d)
    other_parent = org_found(actor=None, code="C", name="Đảng bộ cơ sở C", kind="grassroots_committee",
                             parent=world.root, on=d)
    two = org_found(actor=None, code="C9", name="Chi bộ Văn phòng", kind="cell", parent=other_parent, on=d)
    index = _org_index(world.root)
    org, problem = _person_org({"organization": "Chi bộ Văn phòng"}, world.root, index, "r.csv:2")
    assert org is None and "trùng với 2" in problem
    assert _person_org({"organization": "Chi bộ Văn phòng - Đảng bộ cơ sở C"}, world.root, index, "x")[0] == two
    assert _person_org({"organization": "Chi bộ Văn phòng (Đảng bộ cơ sở A)"}, world.root, index, "x")[0] == one


# ---------------------------------------------------------------- short transactions, taken back on failure


@pytest.fixture
def one_per_chunk(settings):
    """One member per write transaction, no pause: the chunking shows with a four-person roll."""
    settings.DANGBO_IMPORT = {"chunk_members": 1, "pause_seconds": 0}


def _counts_right():
    from dangbo.orgs.counts import counts_rebuild

    return counts_rebuild(dry_run=True) == []


def test_a_late_failure_takes_back_the_members_already_written(world, tmp_path, one_per_chunk):
    """The fourth person is refused by the member rules (under 18 when admitted) after three members
    were committed in their own transactions: they are removed again, counters included."""
    rows = ROWS_B + [["Lý Văn Tám", "01/01/2000", "Nam", "", "", "", "01/01/2010", "", "Chi bộ A1"]]
    before = counts()[:5]
    with pytest.raises(CommandError) as err:
        run_import(roll_files(tmp_path, rows))
    assert "dv-tinh-b.csv:4" in str(err.value) and "18 tuổi" in str(err.value)
    assert counts()[:5] == before and _counts_right()
    assert AuditEvent.objects.filter(action="member.create").count() > 4  # the members did exist …
    assert AuditEvent.objects.filter(action="registry.import_removed").exists()  # … and were taken back


class Killed(BaseException):
    """The importing process dies here (nothing after it runs, not even its clean-up)."""


def _die_at_cleanup(monkeypatch):
    from dangbo.registry import services

    def die(*a, **k):
        raise Killed()
    monkeypatch.setattr(services, "_remove_written", die)


def test_a_killed_command_line_import_is_cleaned_up_by_the_recovery(world, tmp_path, one_per_chunk, monkeypatch):
    from dangbo.jobs.services import conf
    from dangbo.registry import services

    before = Member.objects.count()
    calls = []

    def progress(stage, done, total):
        if stage == "import":
            calls.append(done)
            if done == 2:
                raise Killed()
    _die_at_cleanup(monkeypatch)
    with pytest.raises(Killed):
        services.import_files(roll_files(tmp_path), organization=world.root, progress=progress)
    monkeypatch.undo()
    batch = ImportBatch.objects.get()
    # the first chunk committed, the second died inside its transaction: half imported, process gone
    assert batch.status == "running" and Member.objects.count() == before + 1 and calls == [1, 2]
    assert services.batches_recover() == []  # its heartbeat is fresh: maybe still running
    old = batch.heartbeat_at - timezone.timedelta(seconds=conf("stale_seconds") + 1)
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=old)
    assert services.batches_recover() == [batch.pk]
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.error == services.IMPORT_DIED
    assert Member.objects.count() == before and not SourceRecord.objects.exists() and _counts_right()


def test_a_web_import_whose_worker_died_is_failed_and_its_files_deleted(world, tmp_path, one_per_chunk,
                                                                         monkeypatch, settings):
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangbo.jobs import services as jobs
    from dangbo.jobs.worker import Worker
    from dangbo.registry import uploads

    settings.VAR_DIR = tmp_path / "var"
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in roll_files(tmp_path)]
    before = Member.objects.count()
    batch = uploads.upload_start(actor=world.office, organization=world.root, files=files)
    job = jobs.job_claim(worker="other-host:1:x")

    def check():
        if Member.objects.count() >= before + 2:
            raise Killed()
    _die_at_cleanup(monkeypatch)
    with pytest.raises(Killed):
        uploads.upload_run(job, type("Ctx", (), {"check": staticmethod(check)})())
    monkeypatch.undo()
    assert Member.objects.count() == before + 1 and os.path.isdir(job.upload_dir)  # one chunk committed
    jobs.Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timezone.timedelta(hours=1))
    assert Worker().recover() == [job.pk]
    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.status == "failed" and batch.status == "failed" and batch.error == jobs.DIED
    assert Member.objects.count() == before and not SourceRecord.objects.exists() and _counts_right()
    assert not os.path.exists(job.upload_dir)
    assert AuditEvent.objects.filter(action="registry.upload_failed", object_id=str(batch.pk)).exists()
