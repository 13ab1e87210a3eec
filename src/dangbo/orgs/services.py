"""Writes to the organisation tree. Each validates, writes and records an audit event atomically.

Decisions (ORG-3): every writer normalises a decision number-symbol it is given (DOC-1). Whether one
is *required* is `rules.requires_document(kind)` (a setting, default: every event), enforced when the
caller passes `require_decision=True`. The web forms and the API (where people record new events)
pass it; the demo builder and the test fixtures record history without decisions and do not. The
default stays False so those callers keep working.
"""

from datetime import date, timedelta

from django.db import transaction

from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.core.rulesettings import configured
from dangbo.core.textcheck import clean_texts, model_limits
from dangbo.orgs import rules
from dangbo.orgs.models import Organization, OrgEvent
from dangbo.text.vietnamese import fold

PARTY_FOUNDED = date(1930, 2, 3)  # no organisation of the Party, nor decision, before this day
NOTE_MAX = 2000  # OrgEvent.note is a TextField: a limit of our own
#: how far ahead an event may take effect (a decision of 26/6 effective 1/7): about a year
FUTURE_DAYS = 366


def _texts(**values) -> dict:
    """Check the texts a caller gives (code, name, decision number, note) with the models' own labels
    and limits: control, zero-width and bidi characters refused, every bad field at once."""
    limits = {**model_limits(Organization, ("code", "name")),
              **model_limits(OrgEvent, ("decision_number",)),
              "note": ("Ghi chú", NOTE_MAX)}
    return clean_texts({k: v or "" for k, v in values.items()}, {k: limits[k] for k in values},
                       multiline={"note"})


def _set_path(org: Organization) -> None:
    prefix = org.parent.path if org.parent_id else ""
    org.path = f"{prefix}{org.pk:06d}/"
    org.depth = org.path.count("/") - 1


def rule_settings() -> rules.OrgRuleSettings:
    """The med/low organisation rules as configured (settings.DANGBO_RULES), documented defaults otherwise."""
    return configured(rules.OrgRuleSettings)


def _check_decision(decision_number: str, *, event_kind: str = "", required: bool = False,
                    decision_date: date | None = None) -> str:
    """Normalise a decision number-symbol (DOC-1); with `required`, ORG-3 demands one (and its date)
    for the events `rules.requires_document` names."""
    decision_number = _texts(decision_number=decision_number)["decision_number"]
    if decision_date is not None and not (PARTY_FOUNDED <= decision_date <= date.today()):
        raise InvalidInput(f"Ngày quyết định phải từ {PARTY_FOUNDED:%d/%m/%Y} đến hôm nay.", field="decision_date")
    if required and rules.requires_document(event_kind, settings=rule_settings()):
        label = rules.EVENT_LABELS.get(event_kind, event_kind).lower()
        if not decision_number:
            raise InvalidInput(f"Nhập số, ký hiệu quyết định {label} (ví dụ: 10-QĐ/TU).", field="decision_number")
        if decision_date is None:
            raise InvalidInput(f"Nhập ngày của quyết định {label}.", field="decision_date")
    if not decision_number:
        return ""
    try:
        return rules.format_number_symbol(*rules.parse_number_symbol(decision_number, settings=rule_settings()),
                                          settings=rule_settings())
    except ValueError as exc:
        raise InvalidInput(str(exc), field="decision_number") from exc


def _check_date(on) -> None:
    if on is None:
        raise InvalidInput("Nhập ngày hiệu lực.", field="date")
    latest = date.today() + timedelta(days=FUTURE_DAYS)
    if not (PARTY_FOUNDED <= on <= latest):
        raise InvalidInput(f"Ngày hiệu lực phải từ {PARTY_FOUNDED:%d/%m/%Y} đến {latest:%d/%m/%Y}.", field="date")


def _check_active(org: Organization, field: str = "org") -> None:
    if org.valid_to is not None:
        raise InvalidInput(f"«{org.name}» đã hết hiệu lực từ {org.valid_to:%d/%m/%Y}.", field=field)


def _active_members(org: Organization):
    from dangbo.members.rules import ACTIVE_STATES

    return org.members.filter(state__in=ACTIVE_STATES)


def _check_no_active_children(org: Organization, field: str = "org") -> None:
    names = [c.name for c in org.children.filter(valid_to__isnull=True)]
    if names:
        raise InvalidInput(f"«{org.name}» còn tổ chức trực thuộc đang hoạt động ({', '.join(names)}); "
                           "hãy điều chỉnh trực thuộc hoặc giải thể các tổ chức đó trước.", field=field)


def _event(org, kind, *, on, decision_number, decision_date, related=(), details=None, note=""):
    ev = OrgEvent.objects.create(
        organization=org, kind=kind, date=on, decision_number=decision_number,
        decision_date=decision_date, details=details or {}, note=note,
    )
    if related:
        ev.related.set(related)
    return ev


@transaction.atomic
def org_found(*, actor, code: str, name: str, kind: str, parent: Organization | None, on: date,
              decision_number: str = "", decision_date: date | None = None,
              predecessors: list[Organization] = (), note: str = "", require_decision: bool = False) -> Organization:
    """Found an organisation (ORG-1 kinds, ORG-3 decision), optionally from predecessors."""
    texts = _texts(code=code, name=name, note=note)
    code, name, note = texts["code"], texts["name"], texts["note"]
    if not code:
        raise InvalidInput("Mã tổ chức không được để trống.", field="code")
    if not name:
        raise InvalidInput("Tên tổ chức không được để trống.", field="name")
    if kind not in rules.KINDS:
        raise InvalidInput(f"Loại tổ chức đảng không hợp lệ: «{kind}».", field="kind")
    _check_date(on)
    if Organization.objects.filter(code=code).exists():
        raise InvalidInput(f"Mã tổ chức «{code}» đã được dùng.", field="code")
    try:
        rules.check_parent(kind, parent.kind if parent else None)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="parent") from exc
    if parent is not None:
        _check_active(parent, field="parent")
    decision_number = _check_decision(decision_number, event_kind="found", required=require_decision,
                                      decision_date=decision_date)
    org = Organization.objects.create(code=code, name=name, name_folded=fold(name), kind=kind, parent=parent,
                                      valid_from=on)
    _set_path(org)
    org.save(update_fields=["path", "depth"])
    _event(org, "found", on=on, decision_number=decision_number, decision_date=decision_date,
           related=list(predecessors), note=note)
    audit_record(actor=actor, action="org.found", obj=org, org_path=org.path,
                 after={"code": org.code, "name": org.name, "kind": kind, "parent": parent.pk if parent else None,
                        "valid_from": on, "decision_number": decision_number,
                        "predecessors": [p.pk for p in predecessors]})
    return org


@transaction.atomic
def org_rename(*, actor, org: Organization, name: str, on: date, decision_number: str = "",
               decision_date: date | None = None, note: str = "", require_decision: bool = False) -> Organization:
    texts = _texts(name=name, note=note)
    name, note = texts["name"], texts["note"]
    if not name:
        raise InvalidInput("Tên mới không được để trống.", field="name")
    _check_active(org)
    _check_date(on)
    if name == org.name:
        raise InvalidInput("Tên mới trùng với tên hiện tại.", field="name")
    decision_number = _check_decision(decision_number, event_kind="rename", required=require_decision,
                                      decision_date=decision_date)
    old = org.name
    org.name, org.name_folded = name, fold(name)
    org.save(update_fields=["name", "name_folded"])
    _event(org, "rename", on=on, decision_number=decision_number, decision_date=decision_date,
           details={"old_name": old, "new_name": org.name}, note=note)
    audit_record(actor=actor, action="org.rename", obj=org, org_path=org.path,
                 before={"name": old}, after={"name": org.name, "decision_number": decision_number})
    return org


@transaction.atomic
def org_dissolve(*, actor, org: Organization, on: date, decision_number: str = "",
                 decision_date: date | None = None, kind: str = "dissolve",
                 successor: Organization | None = None, successors: list[Organization] = (),
                 note: str = "", require_decision: bool = False) -> Organization:
    """Dissolve (or, with kind="merge" and a successor, merge away; with kind="split" and successors,
    split up) an organisation; it stays in the tree with valid_to set, so its history is kept."""
    note = _texts(note=note)["note"]
    if org.valid_to is not None:
        raise InvalidInput(f"«{org.name}» đã giải thể từ {org.valid_to:%d/%m/%Y}.", field="org")
    _check_date(on)
    if _active_members(org).exists():
        raise InvalidInput(f"«{org.name}» còn đảng viên đang sinh hoạt; hãy chuyển sinh hoạt trước.", field="org")
    decision_number = _check_decision(decision_number, event_kind=kind, required=require_decision,
                                      decision_date=decision_date)
    related = ([successor] if successor else []) + list(successors)
    org.valid_to = on
    org.save(update_fields=["valid_to"])
    _event(org, kind, on=on, decision_number=decision_number, decision_date=decision_date, related=related,
           note=note)
    audit_record(actor=actor, action=f"org.{kind}", obj=org, org_path=org.path,
                 after={"valid_to": on, "decision_number": decision_number,
                        "successor": successor.pk if successor else None,
                        **({"successors": [o.pk for o in successors]} if successors else {})})
    return org


@transaction.atomic
def org_move(*, actor, org: Organization, parent: Organization, on: date, decision_number: str = "",
             decision_date: date | None = None, note: str = "", require_decision: bool = False) -> Organization:
    """Place an organisation under another parent; the whole subtree's paths follow."""
    from dangbo.core.paths import rewrite_moved, subtree_moved
    from dangbo.members.models import Member
    from dangbo.reports.tallies import tallies_flush, tally_move

    note = _texts(note=note)["note"]
    if parent is None:
        raise InvalidInput("Chọn tổ chức cấp trên mới.", field="parent")
    _check_active(org)
    _check_date(on)
    _check_active(parent, field="parent")
    if parent.path.startswith(org.path):
        raise InvalidInput("Không thể đặt một tổ chức vào chính nó hoặc tổ chức cấp dưới của nó.", field="parent")
    if parent.pk == org.parent_id:
        raise InvalidInput(f"«{org.name}» đang trực thuộc «{parent.name}».", field="parent")
    try:
        rules.check_parent(org.kind, parent.kind)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="parent") from exc
    decision_number = _check_decision(decision_number, event_kind="move", required=require_decision,
                                      decision_date=decision_date)
    tallies_flush()  # reports.tallies: a bulk write's pending members counted at their old paths
    old_parent, old_path = org.parent_id, org.path
    org.parent = parent
    _set_path(org)
    org.save(update_fields=["parent", "path", "depth"])
    for sub in Organization.objects.filter(path__startswith=old_path).exclude(pk=org.pk):
        sub.path = org.path + sub.path[len(old_path):]
        sub.depth = sub.path.count("/") - 1
        sub.save(update_fields=["path", "depth"])
    for m in Member.objects.filter(org_path__startswith=old_path).select_related("organization"):
        m.org_path = m.organization.path
        m.save(update_fields=["org_path"])
    tally_move(org.pk, old_path, org.path)  # reports.tallies: the subtree's counts change ancestors
    rewrite_moved(old_path, org.path)  # core/paths.py: other apps' copies of the paths follow
    subtree_moved(org.pk, old_path, org.path)  # core/paths.py: counts kept per ancestor (procedures.kept)
    _event(org, "move", on=on, decision_number=decision_number, decision_date=decision_date,
           related=[parent], details={"old_parent": old_parent}, note=note)
    audit_record(actor=actor, action="org.move", obj=org, org_path=org.path,
                 before={"parent": old_parent}, after={"parent": parent.pk, "decision_number": decision_number})
    return org


@transaction.atomic
def org_merge(*, actor, sources: list[Organization], code: str, name: str, kind: str,
              parent: Organization | None, on: date, decision_number: str = "",
              decision_date: date | None = None, note: str = "", require_decision: bool = False) -> Organization:
    """Merge organisations into a new one (ORG-1, ORG-2, ORG-3).

    Founds the new organisation citing the sources as predecessors; the sources' active sub-organisations
    move under it; their active members transfer to it ("transfer_internal", MEM-5) — only when it is a
    cell and can hold members; then each source ends (valid_to = on) with a "merge" event relating the
    result. All or nothing.
    """
    from dangbo.members.services import member_event_record

    texts = _texts(code=code, name=name, note=note)  # checked before anything is written
    code, name, note = texts["code"], texts["name"], texts["note"]
    sources = list(dict.fromkeys(sources))  # distinct, order kept
    if len(sources) < 2:
        raise InvalidInput("Chọn ít nhất hai tổ chức để hợp nhất.", field="sources")
    for src in sources:
        _check_active(src, field="sources")
        if parent is not None and parent.path.startswith(src.path):
            raise InvalidInput(f"Tổ chức cấp trên không thể là «{src.name}» hoặc tổ chức trực thuộc nó, "
                               f"vì «{src.name}» sẽ hết hiệu lực khi hợp nhất.", field="parent")
    _check_date(on)
    decision_number = _check_decision(decision_number, event_kind="merge", required=require_decision,
                                      decision_date=decision_date)
    members = [m for src in sources for m in _active_members(src).order_by("pk")]
    if members and not rules.is_cell(kind):
        where = ", ".join(f"«{s.name}» ({_active_members(s).count()})" for s in sources if _active_members(s).exists())
        raise InvalidInput(
            f"Các tổ chức còn đảng viên đang sinh hoạt: {where}. «{rules.KIND_LABELS.get(kind, kind)}» không trực "
            "tiếp có đảng viên: chọn loại chi bộ, hoặc chuyển sinh hoạt các đảng viên trước khi hợp nhất.",
            field="kind")
    children = [c for src in sources for c in src.children.filter(valid_to__isnull=True)]
    for child in children:
        try:
            rules.check_parent(child.kind, kind)
        except ValueError as exc:
            raise InvalidInput(f"Tổ chức trực thuộc «{child.name}» không thể chuyển sang tổ chức hợp nhất: {exc}",
                               field="kind") from exc
    new = org_found(actor=actor, code=code, name=name, kind=kind, parent=parent, on=on,
                    decision_number=decision_number, decision_date=decision_date, predecessors=sources, note=note)
    for child in children:
        org_move(actor=actor, org=child, parent=new, on=on, decision_number=decision_number,
                 decision_date=decision_date)
    for m in members:
        try:
            member_event_record(actor=actor, member=m, kind="transfer_internal", on=on, to_org=new,
                                decision_number=decision_number, decision_date=decision_date)
        except InvalidInput as exc:
            raise InvalidInput(f"Không chuyển được sinh hoạt của đảng viên {m.full_name}: {exc.message}",
                               field="date" if exc.field == "date" else "sources") from exc
    for src in sources:
        src.refresh_from_db()
        org_dissolve(actor=actor, org=src, on=on, decision_number=decision_number, decision_date=decision_date,
                     kind="merge", successor=new)
    new.refresh_from_db()
    return new


@transaction.atomic
def org_split(*, actor, source: Organization, parts: list[dict], parent: Organization | None, on: date,
              decision_number: str = "", decision_date: date | None = None, note: str = "",
              require_decision: bool = False) -> list[Organization]:
    """Split an organisation into new ones (ORG-1, ORG-3).

    Each part ({"code", "name", "kind"}) is founded under `parent` citing the source; the source then
    ends with a "split" event relating the parts. Refused while the source still has active members or
    active sub-organisations: they are transferred first, so that each goes where the decision says.
    """
    note = _texts(note=note)["note"]
    _check_active(source, field="source")
    _check_date(on)
    n = _active_members(source).count()
    if n:
        raise InvalidInput(f"«{source.name}» còn {n} đảng viên đang sinh hoạt; hãy chuyển sinh hoạt các đảng viên "
                           "(sang các tổ chức mới hoặc tổ chức khác) trước khi chia tách.", field="source")
    _check_no_active_children(source, field="source")
    if parent is not None and parent.path.startswith(source.path):
        raise InvalidInput(f"Tổ chức cấp trên không thể là «{source.name}» hoặc tổ chức trực thuộc nó.",
                           field="parent")
    parts = list(parts or [])
    if len(parts) < 2:
        raise InvalidInput("Chia tách cần ít nhất hai tổ chức mới.", field="parts")
    codes = [(p.get("code") or "").strip() for p in parts]
    if len(set(codes)) != len(codes):
        raise InvalidInput("Mã các tổ chức mới phải khác nhau.", field="parts")
    decision_number = _check_decision(decision_number, event_kind="split", required=require_decision,
                                      decision_date=decision_date)
    created = []
    for i, p in enumerate(parts):
        try:
            created.append(org_found(actor=actor, code=p.get("code") or "", name=p.get("name") or "",
                                     kind=p.get("kind") or "", parent=parent, on=on, decision_number=decision_number,
                                     decision_date=decision_date, predecessors=[source], note=note))
        except InvalidInput as exc:
            raise InvalidInput(f"Tổ chức mới thứ {i + 1}: {exc.message}",
                               field=f"parts.{i}.{exc.field}" if exc.field else "parts") from exc
    org_dissolve(actor=actor, org=source, on=on, decision_number=decision_number, decision_date=decision_date,
                 kind="split", successors=created, note=note)
    return created


#: The events a user records on an existing organisation (web form and API).
RECORDABLE_EVENTS = ("rename", "dissolve", "move", "merge", "split")


@transaction.atomic
def org_event_record(*, actor, org: Organization, kind: str, on: date, decision_number: str = "",
                     decision_date: date | None = None, note: str = "", name: str = "",
                     parent: Organization | None = None, sources: list[Organization] = (),
                     result: dict | None = None, parts: list[dict] = (),
                     require_decision: bool = True) -> tuple[Organization, list[Organization]]:
    """Record one event of `org`: the one entry point of the web form and the API.

    rename (`name`), dissolve, move (`parent`), merge (`org` with `sources` into `result` =
    {"code", "name", "kind"} under `parent`), split (`org` into `parts` under `parent`).
    Requires a decision by default (ORG-3), and refuses to dissolve an organisation that still has
    active sub-organisations. Returns (the organisation as it is now, the organisations created).
    """
    common = {"actor": actor, "on": on, "decision_number": decision_number, "decision_date": decision_date,
              "note": note, "require_decision": require_decision}
    if kind == "rename":
        return org_rename(org=org, name=name, **common), []
    if kind == "dissolve":
        _check_active(org)
        _check_no_active_children(org)
        return org_dissolve(org=org, **common), []
    if kind == "move":
        return org_move(org=org, parent=parent, **common), []
    if kind == "merge":
        result = result or {}
        try:
            new = org_merge(sources=[org, *sources], code=result.get("code") or "", name=result.get("name") or "",
                            kind=result.get("kind") or "", parent=parent, **common)
        except InvalidInput as exc:  # name the field as the caller sent it
            if exc.field not in ("code", "name", "kind"):
                raise
            raise InvalidInput(exc.message, field=f"result.{exc.field}") from exc
        org.refresh_from_db()
        return org, [new]
    if kind == "split":
        created = org_split(source=org, parts=list(parts), parent=parent, **common)
        org.refresh_from_db()
        return org, created
    raise InvalidInput(f"Loại sự kiện không hợp lệ: «{kind}».", field="kind")
