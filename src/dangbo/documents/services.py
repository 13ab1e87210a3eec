"""Writes to the documents register: register an incoming document, issue an outgoing number. Each
validates everything first, then writes the row, its file and an audit event in one transaction.

The outgoing series (DOC-1: per holder, type, issuer and term) is issued like the congress series
(CON-10, `congress.services.document_issue`): the holder's row is locked (SELECT … FOR UPDATE on
PostgreSQL; SQLite serialises writers), the next number is one more than the highest taken, and the
row is written in the same transaction — a number is used only if its document is committed, so the
series has no gap, and no two documents share one (also a unique constraint)."""

from __future__ import annotations

import os
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.core.rulesettings import configured
from dangbo.core.textcheck import clean_texts, model_limits
from dangbo.documents import rules
from dangbo.documents.models import Direction, Document, Source
from dangbo.ops.files import open_new_owner_only, owner_only_dir
from dangbo.orgs import rules as org_rules
from dangbo.orgs.models import Organization

TEXTS = ("sender", "signer", "subject", "recipients", "issuer")
EARLIEST = date(1930, 2, 3)


def rule_settings() -> rules.DocumentRuleSettings:
    return configured(rules.DocumentRuleSettings)


def org_rule_settings() -> org_rules.OrgRuleSettings:
    return configured(org_rules.OrgRuleSettings)


def files_root() -> Path:
    """var/documents/, owner-only (0700; files 0600): served only through the scoped download view."""
    return owner_only_dir(Path(settings.VAR_DIR) / "documents")


def _texts(data: dict) -> dict:
    """The texts checked (`core.textcheck`); the other recipients are one a line (blank lines and
    spaces around each dropped)."""
    out = clean_texts({k: data.get(k) or "" for k in TEXTS if k in data},
                      {k: v for k, v in model_limits(Document, TEXTS).items() if k in data},
                      multiline={"recipients"})
    if "recipients" in out:
        out["recipients"] = "\n".join(line.strip() for line in out["recipients"].splitlines() if line.strip())
    return out


def _check_upload(upload, errors: dict) -> None:
    if upload is None:
        return
    problem = rules.file_problem(upload.name, upload.size, settings=rule_settings())
    if problem:
        errors["file"] = problem


def _check_day(day, field: str, label: str, errors: dict, today: date) -> None:
    if day is None:
        errors.setdefault(field, f"Nhập «{label}».")
    elif not (EARLIEST <= day <= today):
        errors.setdefault(field, f"«{label}» phải từ {EARLIEST:%d/%m/%Y} đến hôm nay.")


def _store(upload) -> tuple[str, str, int]:
    """Write an uploaded file owner-only under var/documents/ with a random name (the user's name is
    kept only in the row): (name as uploaded, relative path, size)."""
    ext = os.path.splitext(upload.name)[1].lower()
    rel = f"{uuid.uuid4().hex}{ext}"
    fd = open_new_owner_only(files_root() / rel)
    with os.fdopen(fd, "wb") as f:
        for chunk in upload.chunks():
            f.write(chunk)
    return os.path.basename(upload.name)[:255], rel, upload.size


def file_path(doc: Document) -> Path | None:
    if not doc.file_path:
        return None
    return files_root() / doc.file_path


def _required(data: dict, errors: dict) -> None:
    if "subject" not in errors and not data.get("subject"):
        errors.setdefault("subject", "Nhập «Trích yếu».")


def _congress_terms(holder: Organization) -> list:
    from dangbo.congress.models import Congress

    return list(Congress.objects.filter(organization=holder).values_list("start_date", "term"))


def _check_recipients(holder: Organization, orgs, errors: dict) -> list[Organization]:
    """The organisations of the tree a document is sent to: in force and in the holder's tree (the
    form's picker offers the user's scope; a forged choice is refused here too)."""
    orgs = list(dict.fromkeys(orgs or ()))
    root = holder.path.split("/", 1)[0] + "/"
    for org in orgs:
        if org.valid_to is not None or not org.path.startswith(root):
            errors.setdefault("recipient_orgs", f"«Nơi nhận»: «{org.name}» không phải tổ chức đang hoạt động "
                                                f"trong hệ thống của {holder.name}.")
    return orgs


def _create(*, actor, holder: Organization, upload, audit, recipient_orgs=(), **fields) -> Document:
    """Write the row and its file; `audit(doc)` records the service's own audit event. A failure
    removes the file again (a rollback of the row alone would leave it behind)."""
    stored = _store(upload) if upload is not None else ("", "", 0)
    try:
        doc = Document.objects.create(organization=holder, org_path=holder.path, file_name=stored[0], file_path=stored[1],
                                      file_size=stored[2], created_by=actor if getattr(actor, "pk", None) else None,
                                      **fields)
        doc.search_text = rules.search_key(doc.number_symbol, doc.subject, doc.signer, doc.sender, doc.recipients,
                                           doc.issuer, *(o.name for o in recipient_orgs))
        doc.save(update_fields=["search_text"])
        if recipient_orgs:
            doc.recipient_orgs.set(recipient_orgs)
        audit(doc)
    except BaseException:
        if stored[1]:
            (files_root() / stored[1]).unlink(missing_ok=True)
        raise
    return doc


def _after(doc: Document, recipient_orgs=()) -> dict:
    return {"number_symbol": doc.number_symbol, "date": doc.date, "subject": doc.subject, "signer": doc.signer,
            "file_name": doc.file_name, "recipient_orgs": [o.pk for o in recipient_orgs]}


@transaction.atomic
def document_register(*, actor, holder: Organization, number_symbol: str, day: date | None,
                      received_on: date | None = None, sender: str = "", signer: str = "", subject: str = "",
                      recipients: str = "", recipient_orgs=(), upload=None,
                      check_only: bool = False) -> Document | None:
    """Register an incoming document (văn bản đến) in `holder`'s register. The number-symbol is
    parsed and written in its canonical form (DOC-1, DOC-2: «10-qđ/tu» → «10-QĐ/TU»); the same
    document (number-symbol and date) is registered once."""
    today = date.today()
    errors: dict[str, str] = {}
    try:
        data = _texts({"sender": sender, "signer": signer, "subject": subject, "recipients": recipients})
    except InvalidInput as exc:
        errors.update(exc.errors)
        data = {}
    _required(data, errors)
    number = type_ = issuer = None
    try:
        number, type_, issuer = org_rules.parse_number_symbol(number_symbol, settings=org_rule_settings())
        symbol = org_rules.format_number_symbol(number, type_, issuer, settings=org_rule_settings())
    except ValueError as exc:
        errors["number_symbol"] = str(exc)
        symbol = ""
    _check_day(day, "date", "Ngày văn bản", errors, today)
    if received_on is not None:
        _check_day(received_on, "received_on", "Ngày đến", errors, today)
        if day is not None and received_on < day and "received_on" not in errors:
            errors["received_on"] = "«Ngày đến» không thể trước «Ngày văn bản»."
    _check_upload(upload, errors)
    recipient_orgs = _check_recipients(holder, recipient_orgs, errors)
    if symbol and day is not None and Document.objects.filter(
            organization=holder, direction=Direction.INCOMING, number_symbol=symbol, date=day).exists():
        errors["number_symbol"] = (f"Văn bản {symbol} ngày {day:%d/%m/%Y} đã có trong sổ văn bản đến của "
                                   f"{holder.name}.")
    if errors:
        raise InvalidInput(next(iter(errors.values())), field=next(iter(errors)), errors=errors)
    if check_only:
        return None
    def audit(doc):
        audit_record(actor=actor, action="documents.register", obj=doc, org_path=holder.path,
                     after={**_after(doc, recipient_orgs), "arrival_number": doc.arrival_number})

    received_on = received_on or today
    year = rules.arrival_year(received_on)
    return _create(actor=actor, holder=holder, upload=upload, audit=audit,
                   direction=Direction.INCOMING, source=Source.REGISTER, number=number, doc_type=type_,
                   issuer=issuer, number_symbol=symbol, term=rules.term_of(day, _congress_terms(holder)),
                   date=day, received_on=received_on, arrival_year=year, recipient_orgs=recipient_orgs,
                   arrival_number=arrival_next(holder=holder, year=year), **data)


def arrival_next(*, holder: Organization, year: int) -> int:
    """Lock the holder and read its arrival series of `year` (`rules.arrival_year`): the next
    «số đến». The same lock as the outgoing series (`series_next`): two documents received at once
    never share a number and none is skipped. Call inside the transaction that writes the document."""
    Organization.objects.select_for_update().filter(pk=holder.pk).first()
    last = Document.objects.filter(organization=holder, arrival_year=year).aggregate(m=Max("arrival_number"))["m"]
    return rules.next_number([last] if last else [])


def series_next(*, holder: Organization, doc_type: str, issuer: str, term: str) -> tuple[int, date | None]:
    """Lock the holder and read its series (DOC-1: per type, issuer and term): (next number, day of
    the last document). Call inside the transaction that writes the document."""
    Organization.objects.select_for_update().filter(pk=holder.pk).first()
    agg = Document.objects.filter(organization=holder, direction=Direction.OUTGOING, doc_type=doc_type,
                                  issuer=issuer, term=term).aggregate(m=Max("number"), d=Max("date"))
    return rules.next_number([agg["m"]] if agg["m"] else []), agg["d"]


@transaction.atomic
def document_issue(*, actor, holder: Organization, doc_type: str, issuer: str = "", day: date | None = None,
                   signer: str = "", subject: str = "", recipients: str = "", recipient_orgs=(), upload=None,
                   check_only: bool = False) -> Document | None:
    """Issue the next outgoing number (văn bản đi) of `holder`'s series for `doc_type` in the term of
    `day` (DOC-1, 36-HD/VPTW §II.1.3: «05-QĐ/ĐU»; numbers under 10 with a leading 0), and register
    the document. A day before the series' last document is refused (numbers follow dates)."""
    today = date.today()
    day = day or today
    errors: dict[str, str] = {}
    issuer = issuer or rules.default_issuer(holder.kind, settings=rule_settings())
    try:
        data = _texts({"signer": signer, "subject": subject, "recipients": recipients, "issuer": issuer})
    except InvalidInput as exc:
        errors.update(exc.errors)
        data = {}
    _required(data, errors)
    try:
        symbol = org_rules.format_number_symbol(1, doc_type, data.get("issuer", issuer),
                                                settings=org_rule_settings())
        _n, doc_type, issuer = org_rules.parse_number_symbol(symbol, settings=org_rule_settings())
    except ValueError as exc:
        errors["doc_type" if "Loại" in str(exc) else "issuer"] = str(exc)
    _check_day(day, "date", "Ngày văn bản", errors, today)
    _check_upload(upload, errors)
    recipient_orgs = _check_recipients(holder, recipient_orgs, errors)
    if errors:
        raise InvalidInput(next(iter(errors.values())), field=next(iter(errors)), errors=errors)
    term = rules.term_of(day, _congress_terms(holder))
    number, last_day = series_next(holder=holder, doc_type=doc_type, issuer=issuer, term=term)
    if last_day is not None and day < last_day:
        raise InvalidInput(f"Số {org_rules.format_number_symbol(number - 1, doc_type, issuer)} đã cấp ngày "
                           f"{last_day:%d/%m/%Y}: số tiếp theo không thể mang ngày trước đó.", field="date")
    if check_only:
        return None
    data.pop("issuer", None)
    def audit(doc):
        audit_record(actor=actor, action="documents.issue", obj=doc, org_path=holder.path,
                     after=_after(doc, recipient_orgs))

    return _create(actor=actor, holder=holder, upload=upload, audit=audit, recipient_orgs=recipient_orgs,
                   direction=Direction.OUTGOING, source=Source.ISSUED, number=number, doc_type=doc_type,
                   issuer=issuer, term=term, date=day,
                   number_symbol=org_rules.format_number_symbol(number, doc_type, issuer,
                                                                settings=org_rule_settings()), **data)


def _arrivals(docs: list[Document]) -> None:
    """Number the loaded incoming documents in each holder's arrival series, in order of arrival
    (`arrival_next` for each holder and year once, then one more per document)."""
    last: dict[tuple[int, int], int] = {}
    incoming = [d for d in docs if d.direction == Direction.INCOMING]
    for doc in sorted(incoming, key=lambda d: d.received_on or d.date):
        doc.arrival_year = rules.arrival_year(doc.received_on or doc.date)
        key = (doc.organization.pk, doc.arrival_year)
        if key not in last:
            last[key] = arrival_next(holder=doc.organization, year=doc.arrival_year) - 1
        last[key] += 1
        doc.arrival_number = last[key]


@transaction.atomic
def documents_load(*, actor, root: Organization, rows: list[dict]) -> int:
    """Write many documents at once (the demo's year of registers): each row's number-symbol parsed
    (DOC-1, DOC-2) and its texts checked like the forms', outgoing numbers continuing each series
    (holder, type, issuer, term) from its highest number in date order, the rows written with one
    bulk insert and one audit event. Rows: holder, direction, number_symbol (incoming) or doc_type
    and issuer (outgoing), day, received_on, sender, signer, subject, recipients."""
    docs, last, terms = [], {}, {}
    for i, row in enumerate(sorted(rows, key=lambda r: (r["day"], r.get("number_symbol", ""))), start=1):
        holder: Organization = row["holder"]
        if not holder.path.startswith(root.path):
            raise InvalidInput(f"Dòng {i}: «{holder.name}» không thuộc {root.name}.", field="holder")
        try:
            data = _texts({k: row.get(k, "") for k in ("sender", "signer", "subject", "recipients")})
        except InvalidInput as exc:
            raise InvalidInput(f"Dòng {i}: {exc.message}", field=exc.field, errors=exc.errors) from None
        if holder.pk not in terms:
            terms[holder.pk] = _congress_terms(holder)
        term = rules.term_of(row["day"], terms[holder.pk])
        if row["direction"] == Direction.OUTGOING:
            type_, issuer = row["doc_type"], row["issuer"]
            key = (holder.pk, type_, issuer, term)
            if key not in last:
                last[key] = series_next(holder=holder, doc_type=type_, issuer=issuer, term=term)[0] - 1
            last[key] += 1
            number, source = last[key], Source.ISSUED
            symbol = org_rules.format_number_symbol(number, type_, issuer, settings=org_rule_settings())
        else:
            try:
                number, type_, issuer = org_rules.parse_number_symbol(row["number_symbol"])
            except ValueError as exc:
                raise InvalidInput(f"Dòng {i}: {exc}", field="number_symbol") from None
            symbol, source = org_rules.format_number_symbol(number, type_, issuer), Source.REGISTER
        docs.append(Document(organization=holder, org_path=holder.path, direction=row["direction"], source=source, number=number,
                             doc_type=type_, issuer=issuer, number_symbol=symbol, term=term, date=row["day"],
                             received_on=row.get("received_on"), created_by=None,
                             search_text=rules.search_key(symbol, data["subject"], data["signer"], data["sender"],
                                                          data["recipients"], issuer), **data))
    _arrivals(docs)
    Document.objects.bulk_create(docs, batch_size=500)
    audit_record(actor=actor, action="documents.load", obj=root, org_path=root.path,
                 label=f"Sổ văn bản của {root.name}", after={"documents": len(docs)})
    return len(docs)
