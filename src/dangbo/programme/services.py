"""Writes of the programme and the models registry: each checks, writes and records an audit event
in one transaction (TGT-1/2, MOD-1/2). Who may call what is checked in the views (selectors)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from dangbo.audit.services import audit_record as _audit_record
from dangbo.core.errors import InvalidInput
from dangbo.core.textcheck import clean_texts, model_limits
from dangbo.orgs.models import Organization
from dangbo.programme import measures, rules
from dangbo.programme.models import (
    ActionItem,
    Commitment,
    CongressPlan,
    Figure,
    KeyTask,
    ModelEvaluation,
    ModelRecord,
    Programme,
    Target,
    TargetGoal,
)

#: evidence files: at most this size, of these kinds (documents, scans, spreadsheets)
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".odt", ".ods")
GOAL_LIMIT = Decimal("9999999999.99")


def _plain(values):
    if values is None:
        return None
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()}


def audit_record(*, before=None, after=None, **kw):
    """The audit event, decimals written as text (the audit log keeps JSON)."""
    return _audit_record(before=_plain(before), after=_plain(after), **kw)


def _texts(model, data: dict, multiline=()) -> dict:
    names = [k for k in data if isinstance(data[k], str) or data[k] is None]
    return clean_texts(data, model_limits(model, names), multiline=set(multiline))


def _number(value, *, field: str, label: str, required: bool = False) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise InvalidInput(f"Chưa nhập «{label}».", field=field)
        return None
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(f"«{label}» phải là số.", field=field) from None
    if not d.is_finite() or abs(d) > GOAL_LIMIT:
        raise InvalidInput(f"«{label}» nằm ngoài khoảng cho phép.", field=field)
    return d.quantize(Decimal("0.01"))


def _years(programme: Programme) -> tuple[int, int]:
    try:
        return rules.term_years(programme.term)
    except ValueError as e:
        raise InvalidInput(str(e), field="term") from None


def _check_year(programme: Programme, year: int, field: str = "year") -> None:
    first, last = _years(programme)
    if not first <= int(year) <= last:
        raise InvalidInput(f"Năm {year} không thuộc nhiệm kỳ {programme.term}.", field=field)


def _required(data: dict, names: dict[str, str]) -> None:
    missing = {k: f"Chưa nhập «{label}»." for k, label in names.items() if not data.get(k)}
    if missing:
        raise InvalidInput(" ".join(missing.values()), field=next(iter(missing)), errors=missing)


# -- programme, tasks, items ------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, actor, organization: Organization, term: str, title: str, congress=None,
                     document_number: str = "") -> Programme:
    """TGT-1: the programme a congress adopted for its term."""
    data = _texts(Programme, {"term": term, "title": title, "document_number": document_number})
    _required(data, {"term": "Nhiệm kỳ", "title": "Tên nghị quyết, chương trình"})
    try:
        rules.term_years(data["term"])
    except ValueError as e:
        raise InvalidInput(str(e), field="term") from None
    if congress is not None and congress.organization_id != organization.id:
        raise InvalidInput("Đại hội đã chọn không phải của tổ chức này.", field="congress")
    if Programme.objects.filter(organization=organization, term=data["term"]).exists():
        raise InvalidInput(f"«{organization.name}» đã có chương trình nhiệm kỳ {data['term']}.", field="term")
    p = Programme.objects.create(organization=organization, org_path=organization.path, congress=congress, **data)
    audit_record(actor=actor, action="programme.create", obj=p, org_path=p.org_path, after=data)
    return p


@transaction.atomic
def task_add(*, actor, programme: Programme, code: str, title: str) -> KeyTask:
    data = _texts(KeyTask, {"code": code, "title": title})
    _required(data, {"code": "Mã", "title": "Nhiệm vụ trọng tâm"})
    if programme.tasks.filter(code=data["code"]).exists():
        raise InvalidInput(f"Mã nhiệm vụ «{data['code']}» đã có.", field="code")
    task = KeyTask.objects.create(programme=programme, **data)
    audit_record(actor=actor, action="programme.task_add", obj=task, org_path=programme.org_path, after=data)
    return task


@transaction.atomic
def item_add(*, actor, task: KeyTask, year: int, title: str, owner: str, deadline: date) -> ActionItem:
    """TGT-2: one item of the yearly action programme under a key task, with its owner and deadline."""
    data = _texts(ActionItem, {"title": title, "owner": owner})
    _required(data, {"title": "Nội dung", "owner": "Đơn vị, người chủ trì"})
    _check_year(task.programme, year)
    if deadline is None:
        raise InvalidInput("Chưa nhập «Thời hạn».", field="deadline")
    item = ActionItem.objects.create(task=task, year=year, deadline=deadline, **data)
    audit_record(actor=actor, action="programme.item_add", obj=item, org_path=task.programme.org_path,
                 after={**data, "year": year, "deadline": deadline}, label=item.title[:255])
    return item


@transaction.atomic
def item_done(*, actor, item: ActionItem, done_on: date | None) -> ActionItem:
    before = {"done_on": item.done_on}
    item.done_on = done_on
    item.save(update_fields=["done_on"])
    audit_record(actor=actor, action="programme.item_done", obj=item, org_path=item.task.programme.org_path,
                 before=before, after={"done_on": done_on}, label=item.title[:255])
    return item


# -- targets ----------------------------------------------------------------------------------------

TARGET_TEXTS = ("code", "title", "unit", "how_measured", "reporter")


@transaction.atomic
def target_save(*, actor, programme: Programme, data: dict, goals: dict[int, object] | None = None,
                target: Target | None = None) -> Target:
    """Create (or, with `target`, change) a target with its goal per year (TGT-1). A computed target
    names a measure of `programme.measures`; a reported one how its figures roll up."""
    texts = _texts(Target, {k: data.get(k, "") for k in TARGET_TEXTS}, multiline=("how_measured",))
    _required(texts, {"code": "Mã", "title": "Chỉ tiêu", "unit": "Đơn vị tính"})
    errors = {}
    values = {}
    for name, label in (("baseline", "Số liệu đầu nhiệm kỳ"), ("term_goal", "Mục tiêu cả nhiệm kỳ"),
                        ("org_goal", "Mức mỗi tổ chức phải đạt")):
        try:
            values[name] = _number(data.get(name), field=name, label=label)
        except InvalidInput as e:
            errors[name] = e.message
    source = data.get("source") or Target.REPORTED
    category = data.get("category") or Target.TARGET
    measure = data.get("measure") or ""
    rollup = data.get("rollup") or rules.ORGS_MEETING
    if source not in dict(Target.SOURCE_CHOICES):
        errors["source"] = "Cách có số liệu không hợp lệ."
    elif source == Target.COMPUTED and measure not in measures.MEASURES:
        errors["measure"] = "Chỉ tiêu tính từ dữ liệu phải chọn một cách tính."
    if source == Target.REPORTED:
        measure = ""
    if rollup not in rules.ROLLUP_LABELS:
        errors["rollup"] = "Cách tổng hợp không hợp lệ."
    if category not in dict(Target.CATEGORY_CHOICES):
        errors["category"] = "Nhóm không hợp lệ."
    parent = data.get("parent")
    if parent is not None and not programme.org_path.startswith(parent.programme.org_path) \
            or parent is not None and parent.programme_id == programme.id:
        errors["parent"] = "Chỉ tiêu cấp trên phải thuộc chương trình của tổ chức cấp trên."
    task = data.get("task")
    if task is not None and task.programme_id != programme.id:
        errors["task"] = "Nhiệm vụ không thuộc chương trình này."
    clash = programme.targets.filter(code=texts["code"])
    if target is not None:
        clash = clash.exclude(pk=target.pk)
    if clash.exists():
        errors["code"] = f"Mã chỉ tiêu «{texts['code']}» đã có."
    first, last = _years(programme)
    year_goals = {}
    for year, raw in (goals or {}).items():
        if not first <= int(year) <= last:
            errors[f"goal_{year}"] = f"Năm {year} không thuộc nhiệm kỳ {programme.term}."
            continue
        try:
            g = _number(raw, field=f"goal_{year}", label=f"Mục tiêu năm {year}")
        except InvalidInput as e:
            errors[f"goal_{year}"] = e.message
            continue
        if g is not None:
            year_goals[int(year)] = g
    if errors:
        raise InvalidInput(" ".join(errors.values()), field=next(iter(errors)), errors=errors)
    fields = {**texts, **values, "source": source, "measure": measure, "rollup": rollup, "category": category,
              "parent": parent, "task": task, "demo_data": bool(data.get("demo_data", False))}
    before = None
    if target is None:
        target = Target.objects.create(programme=programme, **fields)
    else:
        before = {k: getattr(target, k) for k in fields if k not in ("parent", "task")}
        for k, v in fields.items():
            setattr(target, k, v)
        target.save()
    if goals is not None:
        target.goals.all().delete()
        TargetGoal.objects.bulk_create([TargetGoal(target=target, year=y, goal=g) for y, g in year_goals.items()])
    after = {k: v for k, v in fields.items() if k not in ("parent", "task")}
    after["goals"] = {str(y): str(g) for y, g in sorted(year_goals.items())}
    audit_record(actor=actor, action="programme.target_save", obj=target, org_path=programme.org_path,
                 before=before, after=after, label=target.title[:255])
    return target


@transaction.atomic
def figure_report(*, actor, target: Target, organization: Organization, year: int, value, evidence_number: str = "",
                  evidence_file=None, note: str = "", reported_by: str = "") -> Figure:
    """TGT-1: an organisation's figure for a reported target and a year, with its evidence (a file or
    a document number). Reporting again replaces the figure (the audit keeps the earlier one)."""
    texts = _texts(Figure, {"evidence_number": evidence_number, "note": note}, multiline=("note",))
    errors = {}
    if target.source != Target.REPORTED:
        errors["target"] = "Chỉ tiêu này do hệ thống tự tính, không nhập số liệu."
    if not organization.path.startswith(target.programme.org_path):
        errors["organization"] = "Tổ chức không thuộc phạm vi của chương trình này."
    elif organization.valid_to is not None and organization.valid_to <= date(int(year), 1, 1):
        errors["organization"] = f"«{organization.name}» đã giải thể, không báo cáo năm {year}."
    try:
        _check_year(target.programme, year)
    except InvalidInput as e:
        errors["year"] = e.message
    try:
        number = _number(value, field="value", label="Số liệu", required=True)
        if number is not None and number < 0:
            errors["value"] = "«Số liệu» không được âm."
    except InvalidInput as e:
        errors["value"] = e.message
    name = ""
    if evidence_file is not None:
        name = _texts(Figure, {"evidence_name": evidence_file.name[-255:]})["evidence_name"]
        if evidence_file.size > EVIDENCE_MAX_BYTES:
            errors["evidence_file"] = "Tệp minh chứng lớn hơn 10 MB."
        elif not name.lower().endswith(EVIDENCE_SUFFIXES):
            errors["evidence_file"] = "Tệp minh chứng phải là PDF, Word, Excel, ODF hoặc ảnh (JPG, PNG)."
    if not texts["evidence_number"] and evidence_file is None:
        existing = Figure.objects.filter(target=target, organization=organization, year=year) \
            .exclude(evidence_file="").exists()
        if not existing:
            errors["evidence_number"] = "Cần minh chứng: số, ký hiệu văn bản hoặc tệp đính kèm."
    if errors:
        raise InvalidInput(" ".join(errors.values()), field=next(iter(errors)), errors=errors)
    fig = Figure.objects.filter(target=target, organization=organization, year=year).first()
    before = {"value": fig.value, "evidence_number": fig.evidence_number, "evidence_name": fig.evidence_name} \
        if fig else None
    if fig is None:
        fig = Figure(target=target, organization=organization, org_path=organization.path, year=year)
    fig.value = number
    fig.evidence_number = texts["evidence_number"]
    fig.note = texts["note"]
    fig.reported_by = reported_by[:150]
    if evidence_file is not None:
        fig.evidence_file.save(evidence_file.name.rsplit("/", 1)[-1][-100:], evidence_file, save=False)
        fig.evidence_name = name
    fig.save()
    audit_record(actor=actor, action="programme.figure_report", obj=fig, org_path=organization.path,
                 before=before, after={"target": target.code, "year": year, "value": number,
                                       "evidence_number": fig.evidence_number, "evidence_name": fig.evidence_name},
                 label=f"{target.code} {year} — {organization.name}"[:255])
    return fig


# -- models registry --------------------------------------------------------------------------------

MODEL_TEXTS = ("title", "description", "evidence", "recognised_by", "recognised_number")


@transaction.atomic
def model_save(*, actor, organization: Organization, data: dict, model: ModelRecord | None = None) -> ModelRecord:
    """MOD-1/MOD-2: register (or correct) a model of an organisation."""
    texts = _texts(ModelRecord, {k: data.get(k) or "" for k in MODEL_TEXTS}, multiline=("description",))
    _required(texts, {"title": "Tên mô hình"})
    kind, field_, form = data.get("kind") or "", data.get("field") or "", data.get("form") or "collective"
    start, end = data.get("start_year"), data.get("end_year")
    recognised = data.get("recognised_year")
    if start is None:
        raise InvalidInput("Chưa nhập «Năm bắt đầu».", field="start_year")
    problem = rules.model_problem(kind=kind, field_=field_, form=form, start_year=int(start),
                                  end_year=int(end) if end is not None else None)
    if problem:
        raise InvalidInput(problem[1], field=problem[0])
    if recognised is not None and int(recognised) < int(start):
        raise InvalidInput("Năm được công nhận không được trước năm bắt đầu.", field="recognised_year")
    if recognised is not None and not texts["recognised_by"]:
        raise InvalidInput("Chưa nhập «Cấp công nhận».", field="recognised_by")
    member = data.get("member")
    if member is not None and not member.org_path.startswith(organization.path):
        raise InvalidInput("Đảng viên không thuộc tổ chức đăng ký mô hình.", field="member")
    if organization.valid_to is not None:
        raise InvalidInput(f"«{organization.name}» đã giải thể.", field="organization")
    fields = {**texts, "kind": kind, "field": field_, "form": form, "start_year": start, "end_year": end,
              "recognised_year": recognised, "member": member}
    before = None
    if model is None:
        model = ModelRecord.objects.create(organization=organization, org_path=organization.path, **fields)
    else:
        before = {k: getattr(model, k) for k in fields if k != "member"}
        for k, v in fields.items():
            setattr(model, k, v)
        model.save()
    after = {k: v for k, v in fields.items() if k != "member"}
    if before is None:
        audit_record(actor=actor, action="programme.model_register", obj=model, org_path=organization.path,
                     after=after, label=model.title[:255])
    else:
        audit_record(actor=actor, action="programme.model_update", obj=model, org_path=organization.path,
                     before=before, after=after, label=model.title[:255])
    return model


@transaction.atomic
def model_evaluate(*, actor, model: ModelRecord, year: int, result: str, note: str = "") -> ModelEvaluation:
    """MOD-1/2: the yearly evaluation of a model (one per year; a new one replaces it)."""
    texts = _texts(ModelEvaluation, {"note": note}, multiline=("note",))
    if result not in dict(ModelEvaluation.RESULT_CHOICES):
        raise InvalidInput("Chưa chọn «Kết quả đánh giá».", field="result")
    if not model.start_year <= int(year) <= (model.end_year or 2100):
        raise InvalidInput(f"Năm {year} mô hình chưa bắt đầu hoặc đã kết thúc.", field="year")
    ev, _ = ModelEvaluation.objects.update_or_create(model=model, year=year,
                                                     defaults={"result": result, "note": texts["note"]})
    audit_record(actor=actor, action="programme.model_evaluate", obj=model, org_path=model.org_path,
                 after={"year": year, "result": result, "note": texts["note"]}, label=model.title[:255])
    return ev


#: MOD-1: the years a commitment may be written for (a year back for a late result, one ahead).
COMMITMENT_YEARS_BACK, COMMITMENT_YEARS_AHEAD = 1, 1


@transaction.atomic
def commitment_save(*, actor, member, year: int, text: str, result: str = "",
                    today: date | None = None) -> Commitment:
    """MOD-1 (low, An Giang guidance under Chỉ thị 05-CT/TW): a member's commitment for the year in the
    yearly emulation registration, and its result at the year's end (counted in the appraisal).
    Written by the member or by the secretary for the cell (the caller checks who); audited with
    what it replaced."""
    today = today or date.today()
    if not today.year - COMMITMENT_YEARS_BACK <= int(year) <= today.year + COMMITMENT_YEARS_AHEAD:
        raise InvalidInput(f"Năm cam kết phải từ {today.year - COMMITMENT_YEARS_BACK} đến "
                           f"{today.year + COMMITMENT_YEARS_AHEAD}.", field="year")
    texts = _texts(Commitment, {"text": text, "result": result}, multiline=("text", "result"))
    _required(texts, {"text": "Nội dung đăng ký làm theo"})
    old = Commitment.objects.filter(member=member, year=year).first()
    before = {"year": year, "text": old.text, "result": old.result} if old else None
    c, _ = Commitment.objects.update_or_create(member=member, year=year, defaults={
        "text": texts["text"], "result": texts["result"], "org_path": member.org_path})
    audit_record(actor=actor, action="programme.commitment_save", obj=member, org_path=member.org_path,
                 before=before, after={"year": year, "text": texts["text"], "result": texts["result"]})
    return c


# -- congress season --------------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, actor, organization: Organization, term: str, planned_date: date, held_date: date | None = None,
              status: str = CongressPlan.PLANNED, documents: str = "") -> CongressPlan:
    """A subordinate organisation's congress in the season: planned date, held date, documents."""
    texts = _texts(CongressPlan, {"term": term, "documents": documents}, multiline=("documents",))
    _required(texts, {"term": "Nhiệm kỳ"})
    if planned_date is None:
        raise InvalidInput("Chưa nhập «Ngày dự kiến».", field="planned_date")
    if status not in dict(CongressPlan.STATUS_CHOICES):
        raise InvalidInput("Tình trạng không hợp lệ.", field="status")
    if held_date is not None:
        status = CongressPlan.HELD
    elif status == CongressPlan.HELD:
        raise InvalidInput("Đã tổ chức thì phải nhập «Ngày tổ chức».", field="held_date")
    plan, created = CongressPlan.objects.update_or_create(
        organization=organization, term=texts["term"],
        defaults={"org_path": organization.path, "planned_date": planned_date, "held_date": held_date,
                  "status": status, "documents": texts["documents"]})
    audit_record(actor=actor, action="programme.plan_save", obj=plan, org_path=organization.path,
                 after={"term": texts["term"], "planned_date": planned_date, "held_date": held_date,
                        "status": status}, label=f"Đại hội {organization.name} {texts['term']}"[:255])
    return plan


# -- demo -------------------------------------------------------------------------------------------


@transaction.atomic
def demo_load(*, actor, programme: Programme, models: list[ModelRecord], evaluations: list[ModelEvaluation],
              figures: list[Figure], plans: list[CongressPlan]) -> None:
    """The demo's rows in bulk (thousands of models and figures), recorded as one audit event."""
    ModelRecord.objects.bulk_create(models, batch_size=500)
    for ev in evaluations:
        ev.model_id = ev.model.id
    ModelEvaluation.objects.bulk_create(evaluations, batch_size=500)
    Figure.objects.bulk_create(figures, batch_size=500)
    CongressPlan.objects.bulk_create(plans, batch_size=500)
    audit_record(actor=actor, action="programme.demo_load", obj=programme, org_path=programme.org_path,
                 after={"models": len(models), "evaluations": len(evaluations), "figures": len(figures),
                        "plans": len(plans)})
