"""Each document carries its holder's path (`Document.org_path`): the register's scope filter is a
prefix on the row, no join (issue 14, the first page of a large register). The copy is written by
every writer and follows an organisation moved under another parent."""

from datetime import date

from django.db.models import F

from dangbo.documents import selectors, services
from dangbo.documents.models import Document
from dangbo.orgs.services import org_found, org_move


def test_every_writer_copies_the_holders_path(world):
    services.document_register(actor=world.office, holder=world.a1, number_symbol="57-NQ/TW",
                               day=date(2024, 12, 22), subject="Nghị quyết về chuyển đổi số")
    services.document_issue(actor=world.office, holder=world.a, doc_type="TB", day=date(2025, 8, 1),
                            subject="Thông báo lịch sinh hoạt")
    services.documents_load(actor=world.office, root=world.root, rows=[
        {"holder": world.b, "direction": "incoming", "day": date(2025, 8, 2), "number_symbol": "04-KH/TU",
         "subject": "Kế hoạch học tập"}])
    assert Document.objects.filter(source="cited").exists()  # the root's founding decision (10-QĐ/TU)
    assert Document.objects.count() >= 4
    assert not Document.objects.exclude(org_path=F("organization__path")).exists()


def test_a_moved_organisation_takes_its_documents_along(world):
    doc = services.document_register(actor=world.office, holder=world.a1, number_symbol="57-NQ/TW",
                                     day=date(2024, 12, 22), subject="Nghị quyết về chuyển đổi số")
    assert selectors.document_list(user=world.secretary).filter(pk=doc.pk).exists()  # a1 is under a
    c = org_found(actor=None, code="C", name="Đảng bộ cơ sở C", kind="grassroots_committee", parent=world.root,
                  on=date(2025, 7, 1))
    org_move(actor=world.office, org=world.a1, parent=c, on=date(2025, 9, 1))
    world.a1.refresh_from_db()
    doc.refresh_from_db()
    assert doc.org_path == world.a1.path and doc.org_path.startswith(c.path)
    assert not selectors.document_list(user=world.secretary).filter(pk=doc.pk).exists()  # a's secretary: gone
    assert selectors.document_list(user=world.office, org=c).filter(pk=doc.pk).exists()


def test_the_register_reads_the_copy_not_a_join(world):
    """The register's count is one query on the documents table alone (no organisation join)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    qs = selectors.document_list(user=world.office)
    with CaptureQueriesContext(connection) as ctx:
        qs.count()
    sql = ctx.captured_queries[-1]["sql"]
    assert "orgs_organization" not in sql and "org_path" in sql
