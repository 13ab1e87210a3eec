"""Reads of the documents register, scoped to the user's part of the tree: office staff and
secretaries see the registers of the organisations in their subtree (secretaries read only); a
member sees none."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max
from django.http import Http404

from dangbo.accounts.selectors import scope_of
from dangbo.documents import rules
from dangbo.documents.models import Citation, Document
from dangbo.orgs.models import Organization

PAGE_SIZE = 50


def document_list(*, user, q: str = "", direction: str = "", org: Organization | None = None):
    """The register in the user's scope, newest first; `q` an arrival number («số đến 12»), a
    number-symbol (exact, DOC-1 key parts) or words found with or without diacritics; `org` narrows to one organisation's subtree."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return Document.objects.none()
    # the holder's path copied on the row: a prefix on the row, no join (the join is for the 50 shown)
    qs = Document.objects.filter(org_path__startswith=scope.org_path).select_related("organization")
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    if direction in ("incoming", "outgoing"):
        qs = qs.filter(direction=direction)
    kind, value = rules.query_of(q)
    if kind == "arrival":  # «số đến 12», «đến 12/2025»
        number, year = value
        qs = qs.filter(direction="incoming", arrival_number=number)
        if year:
            qs = qs.filter(arrival_year=year)
    elif kind == "symbol":
        number, type_, issuer = value
        qs = qs.filter(number=number, doc_type=type_, issuer=issuer)
    else:
        for word in value:
            qs = qs.filter(search_text__contains=word)
    return qs.order_by("-date", "-id")


@dataclass
class Page:
    rows: list
    count: int
    number: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def document_page(qs, page: str | int | None) -> Page:
    """One page of 50 with the count («132 văn bản, trang 1/3»)."""
    count = qs.count()
    pages = max(1, -(-count // PAGE_SIZE))
    try:
        number = min(max(1, int(page or 1)), pages)
    except (TypeError, ValueError):
        number = 1
    rows = list(qs[(number - 1) * PAGE_SIZE: number * PAGE_SIZE])
    return Page(rows=rows, count=count, number=number, pages=pages)


def recipient_names(qs) -> dict[int, list[str]]:
    """The organisations each document of `qs` was sent to, by document id, in tree order: one query
    over the link table (an export of many rows, where a prefetch's list of ids would be too long)."""
    link = Document.recipient_orgs.through
    out: dict[int, list[str]] = {}
    for doc_id, name in (link.objects.filter(document_id__in=qs.order_by().values("pk"))
                         .order_by("document_id", "organization__path")
                         .values_list("document_id", "organization__name")):
        out.setdefault(doc_id, []).append(name)
    return out


def document_get(*, user, document_id: int) -> Document:
    doc = document_list(user=user).filter(pk=document_id).first()
    if doc is None:
        raise Http404("Không tìm thấy văn bản.")
    return doc


def citations_of(doc: Document) -> list[dict]:
    """Where the document is cited, each with a Vietnamese description and the page it links to:
    an organisation event (the organisation's page) or a congress paper (the congress's page)."""
    from dangbo.orgs import rules as org_rules

    out = []
    for c in Citation.objects.filter(document=doc).select_related(
            "org_event__organization", "congress_document__congress"):
        if c.org_event_id:
            ev = c.org_event
            out.append({"text": f"{org_rules.EVENT_LABELS.get(ev.kind, ev.kind)} {ev.organization.name} "
                                f"(hiệu lực {ev.date:%d/%m/%Y})",
                        "url_name": "org_detail", "arg": ev.organization_id, "path": ev.organization.path})
        elif c.congress_document_id:
            p = c.congress_document
            out.append({"text": f"{p.title} — {p.congress.name}", "url_name": "congress_detail",
                        "arg": p.congress_id, "path": ""})
    return out


def holders(*, user):
    """Organisations whose register the user may write (office staff: their subtree, in force)."""
    scope = scope_of(user)
    if not scope.is_office:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=scope.org_path, valid_to__isnull=True)


def series_last(*, user) -> list[dict]:
    """The last number of each outgoing series in the user's scope (the issue page shows them)."""
    scope = scope_of(user)
    if not scope.is_office:
        return []
    qs = (Document.objects.filter(org_path__startswith=scope.org_path, direction="outgoing",
                                  number__isnull=False)
          .exclude(issuer=rules.CONGRESS_ISSUER).exclude(doc_type="")
          .values("organization__name", "doc_type", "issuer", "term").order_by())
    return list(qs.annotate(last=Max("number")).order_by("organization__name", "doc_type")[:50])



def scope_root(*, user) -> Organization | None:
    """The organisation at the top of the user's scope (the export's header names it)."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return None
    return Organization.objects.filter(path=scope.org_path).first()
