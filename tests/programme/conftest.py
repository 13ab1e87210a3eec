"""A programme on the shared `world` (tests/conftest.py): the committee's 2025–2030 programme with a
computed model target, a computed grade target, a reported target and two digital indicators."""

from datetime import date
from decimal import Decimal

import pytest

from dangbo.programme import services
from dangbo.programme.models import Target


@pytest.fixture
def prog(world):
    w = world
    p = services.programme_create(actor=None, organization=w.root, term="2025–2030",
                                  title="Nghị quyết Đại hội lần thứ I", document_number="01-NQ/ĐH")
    task = services.task_add(actor=None, programme=p, code="NV1", title="Xây dựng Đảng trong sạch")
    services.item_add(actor=None, task=task, year=2026, title="Học tập nghị quyết", owner="Ban Tuyên giáo",
                      deadline=date(2026, 3, 31))
    done = services.item_add(actor=None, task=task, year=2026, title="Sơ kết quý", owner="Văn phòng",
                             deadline=date(2026, 6, 30))
    services.item_done(actor=None, item=done, done_on=date(2026, 6, 20))
    services.item_add(actor=None, task=task, year=2025, title="Việc năm trước", owner="Văn phòng",
                      deadline=date(2025, 12, 1))
    w.programme, w.task = p, task
    w.t_models = services.target_save(actor=None, programme=p, data={
        "code": "CT2", "title": "Tổ chức có mô hình học tập và làm theo Bác và mô hình Dân vận khéo", "unit": "%",
        "term_goal": "100", "source": Target.COMPUTED, "measure": "models_both", "task": task})
    w.t_hcm = services.target_save(actor=None, programme=p, data={
        "code": "CT2a", "title": "Tổ chức có mô hình học tập và làm theo Bác", "unit": "%", "term_goal": "100",
        "source": Target.COMPUTED, "measure": "models_hcm"}, goals={2025: "80", 2026: "90"})
    w.t_grade = services.target_save(actor=None, programme=p, data={
        "code": "CT4", "title": "Tổ chức hoàn thành tốt nhiệm vụ trở lên", "unit": "%", "term_goal": "90",
        "source": Target.COMPUTED, "measure": "org_grade_good", "demo_data": True})
    w.t_plan = services.target_save(actor=None, programme=p, data={
        "code": "CT1", "title": "Cơ quan, đơn vị hoàn thành chỉ tiêu kế hoạch", "unit": "%", "term_goal": "100",
        "source": Target.REPORTED, "rollup": "orgs_meeting", "org_goal": "100", "reporter": "Bí thư chi bộ"})
    w.d_id = services.target_save(actor=None, programme=p, data={
        "code": "CDS1", "title": "Đảng viên có số định danh 12 số", "unit": "%", "term_goal": "100",
        "source": Target.COMPUTED, "measure": "members_id12", "category": Target.DIGITAL})
    w.d_sign = services.target_save(actor=None, programme=p, data={
        "code": "CDS2", "title": "Văn bản ký số", "unit": "%", "term_goal": "80",
        "source": Target.REPORTED, "rollup": "mean", "category": Target.DIGITAL})
    return w


def model(w, org, kind="hcm_study", start=2025, end=None, field="", **kw):
    return services.model_save(actor=None, organization=org, data={
        "kind": kind, "title": f"Mô hình {kind} {org.code} {start}", "field": field, "start_year": start,
        "end_year": end, **kw})


def report(w, target, org, year, value, number="05-BC/ĐU"):
    return services.figure_report(actor=None, target=target, organization=org, year=year, value=Decimal(value),
                                  evidence_number=number)
