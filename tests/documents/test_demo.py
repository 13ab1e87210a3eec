"""The demo's year of documents: deterministic, idempotent, every outgoing series 1 … n."""

import random
from datetime import date

from dangbo.audit.models import AuditEvent
from dangbo.documents.demo import build_documents_demo
from dangbo.documents.models import Document


def test_a_year_of_documents_once_with_whole_series(world):
    today = date(2026, 11, 30)
    n = build_documents_demo(root=world.root, today=today, rng=random.Random("2025:documents"))
    assert n == 120 + 100 + 10  # the committee's incoming and outgoing, grassroots committee A's outgoing
    assert build_documents_demo(root=world.root, today=today, rng=random.Random("2025:documents")) == 0
    assert Document.objects.filter(source__in=("register", "issued")).count() == n
    assert AuditEvent.objects.filter(action="documents.load").count() == 1
    series = {}
    for d in Document.objects.filter(source="issued").order_by("date", "number"):
        series.setdefault((d.organization_id, d.doc_type, d.issuer, d.term), []).append(d.number)
    for numbers in series.values():
        assert numbers == list(range(1, len(numbers) + 1))
    dates = [d.date for d in Document.objects.filter(source__in=("register", "issued"))]
    assert min(dates) >= date(2025, 11, 28) and max(dates) <= today  # a weekend day moved to the Friday
    assert all(d.received_on >= d.date for d in Document.objects.filter(direction="incoming", source="register"))
