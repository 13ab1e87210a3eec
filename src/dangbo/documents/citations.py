"""Documents already cited elsewhere appear in the register (issue 14): the decisions organisation
events cite (ORG-3) and the congress papers numbered in a congress's series (CON-10).

Why copies with a link rather than a query joining three tables each time: a register page must be
searched without diacritics, counted, paged and exported as one list, and one decision is often
cited by several events (a merge: every predecessor and the new organisation) — so each cited
document is one `Document` row (source «cited», its DOC-1 key) with a `Citation` per place it is
cited. Existing rows are copied by migration 0002 (`cite_all`); new ones by the `post_save` receivers
connected in `apps.py`, inside the transaction of the service that wrote the event or the paper
(organisation events and congress papers are written once and never edited). The functions take the
model classes so the migration can pass its historical ones.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dangbo.documents import rules
from dangbo.orgs import rules as org_rules

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def _terms(Congress, org_id: int) -> list:
    return list(Congress.objects.filter(organization_id=org_id).values_list("start_date", "term"))


def _document(Document, *, holder, direction: str, number_symbol: str, day, defaults: dict):
    doc = Document.objects.filter(organization_id=holder.pk, direction=direction, number_symbol=number_symbol,
                                  date=day).first()
    if doc is None:
        if hasattr(Document, "org_path"):  # migration 0002's historical model has no copy of the path yet
            defaults = {**defaults, "org_path": holder.path}
        doc = Document.objects.create(organization_id=holder.pk, direction=direction, number_symbol=number_symbol,
                                      date=day, source="cited", **defaults)
    return doc


def cite_org_event(event, *, Document, Citation, Congress, Organization) -> None:
    """Put the decision an organisation event cites into the register of the level that decided: the
    organisation's parent (an outgoing document of it); for a root organisation (decided outside the
    platform, e.g. 10-QĐ/TU), its own register as an incoming document."""
    if not event.decision_number or Citation.objects.filter(org_event_id=event.pk).exists():
        return
    org = Organization.objects.get(pk=event.organization_id)
    holder = Organization.objects.get(pk=org.parent_id) if org.parent_id else org
    direction = "outgoing" if org.parent_id else "incoming"
    try:
        number, type_, issuer = org_rules.parse_number_symbol(event.decision_number)
    except ValueError:  # an old free-text number: kept as written
        number, type_, issuer = None, "", ""
    day = event.decision_date or event.date
    subject = rules.cited_subject(org_rules.EVENT_LABELS.get(event.kind, event.kind), org.name)[:500]
    term = rules.term_of(day, _terms(Congress, holder.pk))
    doc = _document(Document, holder=holder, direction=direction, number_symbol=event.decision_number, day=day,
                    defaults={"number": number, "doc_type": type_, "issuer": issuer, "term": term,
                              "subject": subject,
                              "search_text": rules.search_key(event.decision_number, subject, issuer)})
    Citation.objects.create(document=doc, org_event_id=event.pk)


def cite_congress_document(paper, *, Document, Citation, Congress, Organization) -> None:
    """Put a congress paper (CON-10 number) into the register of the congress's organisation, as an
    outgoing document numbered as printed («02-BC/ĐH»)."""
    if Citation.objects.filter(congress_document_id=paper.pk).exists():
        return
    congress = Congress.objects.get(pk=paper.congress_id)
    holder = Organization.objects.get(pk=congress.organization_id)
    type_, symbol = rules.congress_symbol(paper.number, paper.kind)
    day = paper.issued_at.astimezone(LOCAL).date() if paper.issued_at.tzinfo else paper.issued_at.date()
    doc = _document(Document, holder=holder, direction="outgoing", number_symbol=symbol, day=day,
                    defaults={"number": paper.number, "doc_type": type_,
                              "issuer": rules.CONGRESS_ISSUER if type_ else "", "term": congress.term,
                              "subject": paper.title[:500], "signer": "",
                              "search_text": rules.search_key(symbol, paper.title, congress.name)})
    Citation.objects.create(document=doc, congress_document_id=paper.pk)


def cite_all(*, OrgEvent, CongressDocument, **models) -> int:
    """Copy every citation not yet in the register (migration 0002; `citations_check` compares).
    Returns how many places were added."""
    n = 0
    for event in OrgEvent.objects.exclude(decision_number="").order_by("id"):
        if not models["Citation"].objects.filter(org_event_id=event.pk).exists():
            cite_org_event(event, **models)
            n += 1
    for paper in CongressDocument.objects.order_by("id"):
        if not models["Citation"].objects.filter(congress_document_id=paper.pk).exists():
            cite_congress_document(paper, **models)
            n += 1
    return n


def runtime_models() -> dict:
    from dangbo.congress.models import Congress
    from dangbo.documents.models import Citation, Document
    from dangbo.orgs.models import Organization

    return {"Document": Document, "Citation": Citation, "Congress": Congress, "Organization": Organization}


def on_org_event_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        cite_org_event(instance, **runtime_models())


def on_congress_document_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        cite_congress_document(instance, **runtime_models())


def citations_missing() -> list[str]:
    """Places cited but absent from the register ("orgevent:12", "congressdocument:3"): empty when
    the receivers and the migration did their work."""
    from dangbo.congress.models import CongressDocument
    from dangbo.orgs.models import OrgEvent

    out = [f"orgevent:{pk}" for pk in OrgEvent.objects.exclude(decision_number="")
           .filter(citation__isnull=True).values_list("pk", flat=True)]
    out += [f"congressdocument:{pk}" for pk in CongressDocument.objects.filter(citation__isnull=True)
            .values_list("pk", flat=True)]
    return out
