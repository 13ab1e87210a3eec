"""Services of the documents register: incoming documents, the outgoing series, attachments, and the
documents cited by organisation events and congress papers (DOC-1, DOC-2, ORG-3, CON-10)."""

import stat
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput
from dangbo.documents import services
from dangbo.documents.citations import citations_missing, cite_all, runtime_models
from dangbo.documents.models import Citation, Document
from dangbo.orgs.services import org_found

TODAY = date.today()


def _incoming(w, **kw):
    args = dict(actor=w.office, holder=w.root, number_symbol="57-nq/tw", day=date(2024, 12, 22),
                sender="Ban Chấp hành Trung ương", signer="Tổng Bí thư", subject="Nghị quyết về chuyển đổi số",
                recipients="Các tỉnh ủy, thành ủy")
    args.update(kw)
    return services.document_register(**args)


def test_incoming_is_written_in_canonical_form_and_audited(world):
    doc = _incoming(world)
    assert (doc.number_symbol, doc.number, doc.doc_type, doc.issuer) == ("57-NQ/TW", 57, "NQ", "TW")
    assert doc.direction == "incoming" and doc.received_on == TODAY and doc.term == "2020–2025"
    assert "chuyen doi so" in doc.search_text
    assert AuditEvent.objects.filter(action="documents.register", object_id=str(doc.pk)).exists()


def test_the_same_incoming_document_is_registered_once(world):
    _incoming(world)
    before = list(Document.objects.values_list("pk", "subject"))
    with pytest.raises(InvalidInput) as exc:
        _incoming(world, number_symbol="57 - NQ/TW", subject="lần hai")
    assert exc.value.field == "number_symbol" and "đã có trong sổ" in exc.value.message
    assert list(Document.objects.values_list("pk", "subject")) == before


def test_every_bad_field_at_once_and_nothing_written(world):
    before = Document.objects.count()
    with pytest.raises(InvalidInput) as exc:
        _incoming(world, number_symbol="57/TW", day=TODAY + timedelta(days=3), subject="", signer="Ng\u200buyễn",
                  received_on=date(2020, 1, 1))
    assert set(exc.value.errors) >= {"number_symbol", "date", "subject", "signer"}
    assert "10-QĐ/TU" in exc.value.errors["number_symbol"]  # the example of the right form
    assert Document.objects.count() == before


def test_received_before_dated_is_refused(world):
    with pytest.raises(InvalidInput) as exc:
        _incoming(world, received_on=date(2024, 12, 1))
    assert exc.value.field == "received_on"


def test_unknown_type_is_refused_with_a_guess(world):
    with pytest.raises(InvalidInput) as exc:
        _incoming(world, number_symbol="10-QD/TU")
    assert "Có phải «QĐ»?" in exc.value.errors["number_symbol"]


def _issue(w, **kw):
    args = dict(actor=w.office, holder=w.root, doc_type="QĐ", day=TODAY, signer="Bí thư",
                subject="Quyết định chuẩn y", recipients="Các chi bộ")
    args.update(kw)
    return services.document_issue(**args)


def test_outgoing_series_runs_from_01_per_type_with_a_leading_zero(world):
    symbols = [_issue(world).number_symbol for _ in range(3)]
    assert symbols == ["01-QĐ/ĐU", "02-QĐ/ĐU", "03-QĐ/ĐU"]
    assert _issue(world, doc_type="KH").number_symbol == "01-KH/ĐU"  # its own series
    assert _issue(world, holder=world.b, doc_type="QĐ").number_symbol == "01-QĐ/CB"  # another holder
    assert _issue(world, doc_type="qđ").number_symbol == "04-QĐ/ĐU"


def test_outgoing_series_restarts_in_a_new_term(world):
    """DOC-1: numbering restarts per type in each committee term."""
    old = _issue(world, day=date(2024, 5, 1))
    new = _issue(world, day=date(2025, 5, 1))
    assert (old.term, old.number) == ("2020–2025", 1)
    assert (new.term, new.number) == ("2025–2030", 1)


def test_a_day_before_the_last_number_is_refused(world):
    _issue(world, day=TODAY)
    n = Document.objects.count()
    with pytest.raises(InvalidInput) as exc:
        _issue(world, day=TODAY - timedelta(days=1))
    assert exc.value.field == "date" and "01-QĐ/ĐU" in exc.value.message
    assert Document.objects.count() == n
    assert _issue(world).number == 2  # no number was used up by the refusal


def test_refused_issue_uses_no_number(world):
    with pytest.raises(InvalidInput):
        _issue(world, subject="\u202etrích yếu")  # bidi override refused
    assert _issue(world).number == 1


def test_bad_type_and_issuer_named(world):
    with pytest.raises(InvalidInput) as exc:
        _issue(world, doc_type="XYZ", issuer="Đ U!")
    assert "doc_type" in exc.value.errors


def test_attachment_stored_owner_only_and_refused_when_too_big(world, settings):
    upload = SimpleUploadedFile("Quyết định.pdf", b"%PDF-1.4 noi dung", content_type="application/pdf")
    doc = _issue(world, upload=upload)
    path = services.file_path(doc)
    assert path.read_bytes() == b"%PDF-1.4 noi dung" and doc.file_name == "Quyết định.pdf"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.parent == settings.VAR_DIR / "documents" and path.name != doc.file_name
    n, files = Document.objects.count(), sorted(path.parent.iterdir())
    big = SimpleUploadedFile("lon.pdf", b"x" * (20 * 1024 * 1024 + 1))
    with pytest.raises(InvalidInput) as exc:
        _issue(world, upload=big)
    assert exc.value.field == "file"
    assert Document.objects.count() == n and sorted(path.parent.iterdir()) == files


def test_decisions_cited_by_organisation_events_are_in_the_register(world):
    """ORG-3: the root was founded by 10-QĐ/TU — an incoming document of its register; a cell founded
    by the grassroots committee's decision is an outgoing document of that committee, and one
    decision cited by two events is one document with two citations."""
    root_doc = Document.objects.get(number_symbol="10-QĐ/TU")
    assert (root_doc.organization, root_doc.direction, root_doc.source) == (world.root, "incoming", "cited")
    assert root_doc.date == date(2025, 6, 26) and "thanh lap dang bo thu nghiem" in root_doc.search_text
    d = date(2025, 8, 1)
    c3 = org_found(actor=None, code="A3", name="Chi bộ A3", kind="cell", parent=world.a, on=d,
                   decision_number="12-qđ/đu", decision_date=d)
    c4 = org_found(actor=None, code="A4", name="Chi bộ A4", kind="cell", parent=world.a, on=d,
                   decision_number="12-QĐ/ĐU", decision_date=d)
    doc = Document.objects.get(number_symbol="12-QĐ/ĐU")
    assert (doc.organization, doc.direction) == (world.a, "outgoing")
    assert {c.org_event.organization for c in doc.citations.all()} == {c3, c4}
    assert citations_missing() == []


def test_an_issued_number_follows_a_cited_one_of_the_same_series(world):
    d = date.today()
    org_found(actor=None, code="A3", name="Chi bộ A3", kind="cell", parent=world.a, on=d,
              decision_number="07-QĐ/ĐU", decision_date=d)
    assert _issue(world, holder=world.a).number_symbol == "08-QĐ/ĐU"


def test_congress_papers_are_in_the_register(world):
    from dangbo.congress.services import congress_create, document_issue

    congress = congress_create(actor=None, organization=world.a, kind="delegates", term="2025–2030",
                               name="Đại hội Đảng bộ cơ sở A", start_date=date(2025, 7, 10))
    paper = document_issue(actor=None, congress=congress, kind="credentials_report",
                           title="Báo cáo thẩm tra tư cách đại biểu", ref="congress:1")
    doc = Citation.objects.get(congress_document=paper).document
    assert (doc.number_symbol, doc.organization, doc.direction, doc.term) == ("01-BC/ĐH", world.a, "outgoing",
                                                                           "2025–2030")


def test_backfill_adds_what_was_cited_before_the_register(world):
    """Migration 0002 runs `cite_all`: places cited before the app existed enter the register once."""
    Document.objects.filter(source="cited").delete()
    assert citations_missing() == ["orgevent:" + str(world.root.events.get().pk)]
    from dangbo.congress.models import CongressDocument
    from dangbo.orgs.models import OrgEvent

    assert cite_all(OrgEvent=OrgEvent, CongressDocument=CongressDocument, **runtime_models()) == 1
    assert cite_all(OrgEvent=OrgEvent, CongressDocument=CongressDocument, **runtime_models()) == 0
    assert citations_missing() == [] and Document.objects.filter(number_symbol="10-QĐ/TU").count() == 1
