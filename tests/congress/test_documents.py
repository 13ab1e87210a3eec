"""CON-10: every document of one congress shares one number series from 01."""

import threading
from datetime import date

import pytest
from django.db import connection

from dangbo.audit.models import AuditEvent
from dangbo.congress import services
from dangbo.congress.models import CongressDocument
from dangbo.core.errors import InvalidInput


def _congress(org, name="Đại hội"):
    return services.congress_create(actor=None, organization=org, kind="delegates", term="2025–2030",
                                    name=name, start_date=date(2025, 7, 28))


@pytest.mark.django_db
def test_one_series_per_congress_from_01(world):
    c, other = _congress(world.root), _congress(world.a, "Đại hội A")
    a = services.document_issue(actor=world.office, congress=c, kind="resolution", title="Nghị quyết đại hội")
    b = services.document_issue(actor=None, congress=c, kind="minutes", title="Biên bản kiểm phiếu", ref="election:1")
    x = services.document_issue(actor=None, congress=other, kind="minutes", title="Biên bản")
    assert (a.number, b.number, x.number) == (1, 2, 1)
    assert (a.label, b.label) == ("01", "02")
    # the same document printed again keeps its number
    again = services.document_issue(actor=None, congress=c, kind="minutes", title="Biên bản kiểm phiếu",
                                    ref="election:1")
    assert again.pk == b.pk and CongressDocument.objects.filter(congress=c).count() == 2
    assert AuditEvent.objects.filter(action="congress.document_issue").count() == 3


@pytest.mark.django_db
def test_document_needs_kind_and_title(world):
    c = _congress(world.root)
    with pytest.raises(InvalidInput) as exc:
        services.document_issue(actor=None, congress=c, kind="minutes", title="  ")
    assert exc.value.field == "title"


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_never_share_a_number(world):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("in-memory SQLite has one connection; the PostgreSQL pass runs this")
    c = _congress(world.root)
    errors = []

    def issue(i):
        try:
            services.document_issue(actor=None, congress=c, kind="report", title=f"Báo cáo {i}")
        except Exception as e:  # noqa: BLE001 — any failure is the test's failure
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(CongressDocument.objects.filter(congress=c).values_list("number", flat=True)) == list(range(1, 9))
