"""The audit log for a reader: each event's action, and what changed field by field, in Vietnamese.

Field labels come from the event object's model (verbose names) or `labels.KEYS`; values are shown
the way the pages show them — dates dd/mm/yyyy, times in Asia/Ho_Chi_Minh, choices by their label,
booleans Có / Không, numbers 2.755, masked values stay masked — and a reference to an organisation,
a member, a congress … by its name when it lies in the reader's scope (never a name outside it).
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.db import models

from dangbo.appraisal.rules import GRADE_LABELS
from dangbo.audit import labels
from dangbo.audit.services import MASK
from dangbo.core.dates import vn_date, vn_datetime
from dangbo.core.numbers import vn_number
from dangbo.elections.rules import BASE_EXCLUSIONS

EMPTY = "—"
OUTSIDE = "(ngoài phạm vi)"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
RULE_IDS = re.compile(r"\s*\((?:[A-Z]{2,4}-\d+[a-z]?(?:,\s*)?)+\)")

#: keys that name another record: key → (app_label.Model, the lookup of its organisation path)
REFS = {
    **{k: ("orgs.Organization", "path") for k in (
        "organization", "parent", "successor", "successors", "predecessors", "to_org", "from_org", "unit",
        "decider")},
    **{k: ("members.Member", "org_path") for k in ("member", "held_by", "merged_into", "a", "b", "restored")},
    "congress": ("congress.Congress", "organization__path"),
    **{k: ("congress.Delegate", "congress__organization__path") for k in ("delegate", "absent", "alternate")},
    **{k: ("elections.Election", "congress__organization__path") for k in ("election", "previous")},
    "vote": ("votes.OpenVote", "congress__organization__path"),
}
#: models whose str() reads a related row
NAMED_BY = {"congress.Delegate": ("member",)}
#: the same key meaning something else in one action: (action, key) → (label, ref or None)
ACTION_KEYS = {
    ("registry.unmerge", "kept"): ("Hồ sơ giữ lại", ("members.Member", "org_path")),
}
#: labels that say it better than the model's verbose name
OVERRIDES = {"reasons": "Căn cứ", "election": "Cuộc bầu", "note": "Ghi chú"}
#: numbers that are names (a year, a card or ballot number): no thousands dot
PLAIN_NUMBERS = frozenset({"year", "number", "ballot_no", "round_no", "teller", "order", "batch", "tier"})
#: codes shown by their label, for keys that are no field of the event's object
CODES = {
    "grade": GRADE_LABELS, "proposed_grade": GRADE_LABELS, "decided_grade": GRADE_LABELS,
    "where": {"profile": "Trang hồ sơ", "edit_form": "Biểu mẫu sửa hồ sơ", "api": "Giao diện lập trình (API)"},
    "base_method": {"members": "Số thành viên của đại hội", "present": "Số đại biểu có mặt khi mở biểu quyết",
                    "summoned": "Số đại biểu được triệu tập"},
}
#: the same for one action's key
ACTION_CODES = {
    ("congress.document_issue", "kind"): {"credentials_report": "Báo cáo thẩm tra tư cách đại biểu",
                                          "counting_minutes": "Biên bản kiểm phiếu", "ballot_paper": "Phiếu bầu"},
}
#: keys inside a nested value (an election's base breakdown, an event's details)
NESTED_KEYS = {k: label for rows in BASE_EXCLUSIONS.values() for k, label in rows}
NESTED_CODES = {**GRADE_LABELS, "members": "Đại hội đảng viên", "delegates": "Đại hội đại biểu"}


def _models_by_name() -> dict[str, type[models.Model]]:
    return {m._meta.model_name: m for m in apps.get_models()}


def _field(model, key: str):
    if model is None:
        return None
    try:
        f = model._meta.get_field(key)
    except Exception:  # FieldDoesNotExist, or a reverse relation without a verbose name
        return None
    return f if getattr(f, "verbose_name", None) else None


def _real_label(f) -> str:
    """A field's verbose name when someone wrote one (Django's default is the name with spaces)."""
    name = RULE_IDS.sub("", str(f.verbose_name))  # "Cơ sở tính kết quả (CON-7)": the id is for us
    return "" if name == f.name.replace("_", " ") else name[:1].upper() + name[1:]


def key_label(model, action: str, key: str) -> str:
    if (action, key) in ACTION_KEYS:
        return ACTION_KEYS[(action, key)][0]
    if key in OVERRIDES:
        return OVERRIDES[key]
    f = _field(model, key)
    return (f and _real_label(f)) or labels.KEYS.get(key) or labels.UNKNOWN_KEY


def _ref_of(action: str, key: str):
    if (action, key) in ACTION_KEYS:
        return ACTION_KEYS[(action, key)][1]
    return REFS.get(key)


class References:
    """Names of the records a page of events points at, fetched once per model; a record outside
    the reader's scope (or gone) is never named."""

    def __init__(self, events, scope_path: str):
        self.scope_path = scope_path
        wanted: dict[tuple[str, str], set[int]] = {}
        for e in events:
            for values in (e.before or {}, e.after or {}):
                for key, value in values.items():
                    ref = _ref_of(e.action, key)
                    if ref:
                        ids = value if isinstance(value, list) else [value]
                        wanted.setdefault(ref, set()).update(i for i in ids if isinstance(i, int))
        self.names: dict[tuple[str, str], dict[int, str]] = {}
        for (model_name, path_lookup), ids in wanted.items():
            if not ids:
                continue
            model = apps.get_model(model_name)
            rows = model.objects.filter(pk__in=ids, **{f"{path_lookup}__startswith": scope_path})
            if model_name in NAMED_BY:  # str() reads a related row: fetch it in the same query
                rows = rows.select_related(*NAMED_BY[model_name])
            self.names[(model_name, path_lookup)] = {obj.pk: str(obj) for obj in rows}
        self._paths: dict[str, str] = {}

    def name(self, ref, pk) -> str:
        if not isinstance(pk, int):
            return _value(pk)
        return self.names.get(ref, {}).get(pk, OUTSIDE)

    def org_at(self, path: str) -> str:
        if not path.startswith(self.scope_path):
            return OUTSIDE
        if path not in self._paths:
            org = apps.get_model("orgs.Organization").objects.filter(path=path).first()
            self._paths[path] = org.name if org else EMPTY
        return self._paths[path]


def _value(value, *, codes: dict | None = None) -> str:
    """A JSON value as text (no reference resolution)."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if value == MASK:
        return MASK
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, (int, float)):
        return vn_number(value)
    if isinstance(value, str):
        if codes and value in codes:
            return str(codes[value])
        if ISO_DATE.match(value):
            try:
                return vn_date(date.fromisoformat(value))
            except ValueError:
                return value
        if ISO_DATETIME.match(value):
            try:
                return vn_datetime(datetime.fromisoformat(value))
            except ValueError:
                return value
        return value
    if isinstance(value, list):
        return ", ".join(_value(v, codes=codes) for v in value)
    if isinstance(value, dict):
        return _mapping(value)
    return str(value)


def _decimal_text(value: str) -> str:
    """A decimal field as JSON keeps its places ("100.00"): shown with the digits that matter, the
    Vietnamese way ("100", "81,5")."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    return vn_number(number, decimals=max(0, -number.normalize().as_tuple().exponent))


def _mapping(value: dict) -> str:
    """A nested mapping: grade counts, per-organisation grades, quota rows, event details."""
    if value and all(str(k).isdigit() for k in value):  # {org id: grade}: counted by value
        counts: dict[str, int] = {}
        for v in value.values():
            counts[str(v)] = counts.get(str(v), 0) + 1
        value = counts
    parts = []
    for k, v in value.items():
        label = GRADE_LABELS.get(k) or NESTED_KEYS.get(k) or labels.KEYS.get(k) or labels.UNKNOWN_KEY
        parts.append(f"{label}: {_value(v, codes=NESTED_CODES)}")
    return "; ".join(parts)


def _codes_for(model, action: str, key: str) -> dict | None:
    if (action, key) in ACTION_CODES:
        return ACTION_CODES[(action, key)]
    f = _field(model, key)
    if f is not None and f.choices:
        return {str(k): v for k, v in f.choices}
    own = getattr(model, "audit_codes", None)  # a model whose codes live in a registry (programme.Target.measure)
    return (own(key) if own else None) or CODES.get(key)


def value_text(model, action: str, key: str, value, refs: References) -> str:
    if value == MASK:
        return MASK
    ref = _ref_of(action, key)
    if ref and value not in (None, "", []):
        if isinstance(value, list):
            return ", ".join(refs.name(ref, v) for v in value)
        if isinstance(value, int) and not isinstance(value, bool):
            return refs.name(ref, value)
    if key == "written_at" and isinstance(value, str):
        return refs.org_at(value)
    if key in ("field", "fields", "reverted"):  # names of the member's fields
        member = apps.get_model("members.Member")
        names = value if isinstance(value, list) else [value]
        return ", ".join(key_label(member, action, n) for n in names)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return " | ".join(_mapping(v) for v in value)
    if key in PLAIN_NUMBERS and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(_field(model, key), models.DecimalField) and isinstance(value, str):
        return _decimal_text(value)
    return _value(value, codes=_codes_for(model, action, key))


def changes(event, refs: References, model=None) -> list[dict]:
    """What the event recorded, field by field: [{label, before, after}] — a changed field with its
    old and new value, a field given for the first time only when it holds something, a field only in
    `before` as it was (context, e.g. the proposal an override replaced)."""
    before, after = event.before or {}, event.after or {}
    rows = []
    for key in list(after) + [k for k in before if k not in after]:
        if key in labels.HIDDEN_KEYS:
            continue
        old, new = before.get(key), after.get(key)
        if key in after:
            if key in before and old == new and old != MASK:  # two masks: a masked value was changed
                continue
            if key not in before and new in (None, "", [], {}) or (not before and new is False
                                                                    and event.action.endswith(".create")):
                continue
        rows.append({
            "label": key_label(model, event.action, key),
            "before": value_text(model, event.action, key, old, refs) if key in before and key in after else "",
            "after": value_text(model, event.action, key, new if key in after else old, refs),
        })
    return rows


def describe(events, *, scope_path: str) -> list[dict]:
    """Rows for the audit page: {event, action_label, changes}."""
    events = list(events)
    refs = References(events, scope_path)
    by_name = _models_by_name()
    return [{"event": e, "action_label": labels.action_label(e.action),
             "changes": changes(e, refs, by_name.get(e.object_type))} for e in events]
