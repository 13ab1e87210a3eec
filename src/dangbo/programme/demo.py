"""The demo's term programme: the committee's 1st congress (28–29/7/2025) resolution with five key
tasks and six targets — the three published (TGT-3) and three invented, marked as demo data — the
digital transformation indicators (TGT-5), models in most but not all grassroots organisations
(MOD-1/2), 2025 and 2026 figures with their evidence, one organisation behind, and the grassroots
congresses of the season.

Deterministic from `rng`; idempotent (a programme of `root` for the term is returned as it is). The
few programme rows go through the services; models, evaluations, figures and congress plans (thousands
on the full demo) through `services.demo_load`, one audit event.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from dangbo.congress.models import Congress
from dangbo.orgs.models import Organization
from dangbo.orgs.rules import GRASSROOTS_KINDS
from dangbo.programme import rules, services
from dangbo.programme.models import CongressPlan, Figure, ModelEvaluation, ModelRecord, Programme, Target

TERM = "2025–2030"
YEARS = (2025, 2026)
TASKS = (
    ("NV1", "Nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức đảng và chất lượng đảng viên"),
    ("NV2", "Lãnh đạo các cơ quan, đơn vị hoàn thành nhiệm vụ chính trị, chuyên môn được giao"),
    ("NV3", "Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; công tác dân vận"),
    ("NV4", "Đẩy mạnh chuyển đổi số trong hoạt động của cấp uỷ và cơ quan, đơn vị"),
    ("NV5", "Tăng cường công tác kiểm tra, giám sát và phòng, chống tham nhũng, lãng phí, tiêu cực"),
)
ITEMS = ("Ban hành kế hoạch thực hiện năm {y}", "Sơ kết 6 tháng năm {y}", "Tổng kết, báo cáo kết quả năm {y}")
OWNERS = ("Văn phòng Đảng ủy", "Ban Tổ chức Đảng ủy", "Ban Tuyên giáo và Dân vận Đảng ủy", "Ủy ban Kiểm tra Đảng ủy")
HCM_TITLES = ("Mỗi tuần một việc làm theo Bác", "Cải cách hành chính vì nhân dân phục vụ",
              "Cán bộ, đảng viên gương mẫu, nói đi đôi với làm", "Tiết kiệm vì ngày mai")
DVK_TITLES = {"economy": "Hỗ trợ hộ nghèo phát triển sinh kế", "culture_society": "Khu dân cư văn hoá, xanh – sạch – đẹp",
              "defence_security": "Tổ tự quản an ninh trật tự", "political_system": "Tiếp công dân thân thiện"}
DIGITAL = (
    ("CDS1", "Tỷ lệ đảng viên có số định danh cá nhân 12 số trong hồ sơ", Target.COMPUTED, "members_id12", "mean"),
    ("CDS2", "Tỷ lệ đảng viên sử dụng Sổ tay đảng viên điện tử", Target.REPORTED, "", "mean"),
    ("CDS3", "Tỷ lệ văn bản của cấp uỷ được ký số", Target.REPORTED, "", "mean"),
)


def build_programme_demo(*, root: Organization, today: date, rng: random.Random) -> Programme:
    existing = Programme.objects.filter(organization=root, term=TERM).first()
    if existing is not None:
        return existing
    congress = Congress.objects.filter(organization=root, term=TERM).order_by("start_date").first()
    p = services.programme_create(actor=None, organization=root, term=TERM, congress=congress,
                                  title=f"Nghị quyết Đại hội đại biểu {root.name} lần thứ I, nhiệm kỳ {TERM}",
                                  document_number="01-NQ/ĐH")
    tasks = {}
    for code, title in TASKS:
        task = tasks[code] = services.task_add(actor=None, programme=p, code=code, title=title)
        for year in YEARS:
            for k, item in enumerate(ITEMS):
                deadline = date(year, (3, 7, 12)[k], (31, 15, 20)[k])
                it = services.item_add(actor=None, task=task, year=year, title=item.format(y=year),
                                       owner=OWNERS[(len(tasks) + k) % len(OWNERS)], deadline=deadline)
                if deadline < today and rng.random() < 0.85:
                    services.item_done(actor=None, item=it, done_on=deadline - timedelta(days=rng.randint(0, 10)))
    targets = _targets(p, tasks)
    grassroots = list(Organization.objects.filter(path__startswith=root.path, valid_to__isnull=True,
                                                  kind__in=GRASSROOTS_KINDS).order_by("path"))
    behind = grassroots[len(grassroots) // 2] if grassroots else None  # one organisation behind
    models, evaluations = _models(grassroots, behind, rng)
    figures = _figures(targets, grassroots, behind, rng)
    plans = _plans(grassroots, rng)
    services.demo_load(actor=None, programme=p, models=models, evaluations=evaluations, figures=figures,
                       plans=plans)
    return p


def _targets(p: Programme, tasks: dict) -> dict[str, Target]:
    specs = [
        # published (TGT-3)
        dict(code="CT1", title="Hằng năm 100% cơ quan, đơn vị có tổ chức đảng hoàn thành các chỉ tiêu kế hoạch "
             "chuyên môn", source=Target.REPORTED, rollup="orgs_meeting", org_goal="100", task=tasks["NV2"],
             how_measured="Mỗi tổ chức cơ sở đảng báo cáo tỷ lệ chỉ tiêu kế hoạch chuyên môn của cơ quan, đơn vị "
             "đã hoàn thành; đạt khi hoàn thành 100%.", reporter="Bí thư tổ chức cơ sở đảng"),
        dict(code="CT2", title="100% cấp uỷ, tổ chức đảng xây dựng và duy trì ít nhất một mô hình học tập và làm "
             "theo Bác và một mô hình «Dân vận khéo»", source=Target.COMPUTED, measure="models_both",
             task=tasks["NV3"], how_measured="Tính từ sổ mô hình: tổ chức có cả hai loại mô hình duy trì trong năm.",
             reporter="Ban Tuyên giáo và Dân vận Đảng ủy"),
        dict(code="CT3", title="100% tổ chức đảng, cơ quan, đơn vị ứng dụng chuyển đổi số trong thực hiện nhiệm vụ "
             "chuyên môn (Nghị quyết 57-NQ/TW)", source=Target.REPORTED, rollup="orgs_meeting", org_goal="100",
             task=tasks["NV4"], how_measured="Mỗi tổ chức báo cáo tỷ lệ thủ tục, quy trình chuyên môn đã thực hiện "
             "trên môi trường số; đạt khi 100%.", reporter="Bí thư tổ chức cơ sở đảng"),
        # invented for the demo
        dict(code="CT4", title="Hằng năm trên 90% tổ chức cơ sở đảng được xếp loại «Hoàn thành tốt nhiệm vụ» trở "
             "lên", source=Target.COMPUTED, measure="org_grade_good", term_goal="90", task=tasks["NV1"],
             demo_data=True, reporter="Ban Tổ chức Đảng ủy"),
        dict(code="CT5", title="100% hồ sơ đảng viên có số định danh cá nhân 12 số", source=Target.COMPUTED,
             measure="members_id12", task=tasks["NV1"], demo_data=True, reporter="Ban Tổ chức Đảng ủy"),
        dict(code="CT6", title="Mỗi năm kết nạp ít nhất 60 đảng viên mới", unit="đảng viên", term_goal="300",
             source=Target.REPORTED, rollup="sum", task=tasks["NV1"], demo_data=True,
             reporter="Bí thư tổ chức cơ sở đảng"),
    ]
    out = {}
    for spec in specs:
        spec.setdefault("unit", "%")
        spec.setdefault("term_goal", "100")
        goals = {2025: "60", 2026: "60", 2027: "60", 2028: "60", 2029: "60"} if spec["code"] == "CT6" else None
        out[spec["code"]] = services.target_save(actor=None, programme=p, data=spec, goals=goals)
    for code, title, source, measure, rollup in DIGITAL:
        out[code] = services.target_save(actor=None, programme=p, goals={2025: "70", 2026: "80"}, data=dict(
            code=code, title=title, unit="%", term_goal="100", category=Target.DIGITAL, source=source,
            measure=measure, rollup=rollup, reporter="Văn phòng Đảng ủy", demo_data=code != "CDS1"))
    return out


def _models(grassroots, behind, rng):
    models, evaluations = [], []
    for i, org in enumerate(grassroots):
        if org == behind:
            continue
        kinds = []
        if rng.random() < 0.9:
            kinds.append(rules.ModelKind.HCM_STUDY.value)
        if rng.random() < 0.8:
            kinds.append(rules.ModelKind.DAN_VAN_KHEO.value)
        for kind in kinds:
            start = rng.choice((2023, 2024, 2025, 2025, 2026))
            field = rng.choice(tuple(rules.DVK_FIELDS)) if kind == "dan_van_kheo" else ""
            title = DVK_TITLES[field] if field else HCM_TITLES[i % len(HCM_TITLES)]
            recognised = start + 1 if start <= 2025 and rng.random() < 0.4 else None
            m = ModelRecord(organization=org, org_path=org.path, kind=kind, title=f"{title} — {org.name}"[:500],
                            field=field, form="individual" if rng.random() < 0.15 else "collective",
                            start_year=start, description="Mô hình đăng ký theo kế hoạch của Đảng ủy.",
                            evidence=f"{rng.randint(1, 90):02d}-KH/ĐU", recognised_year=recognised,
                            recognised_by="Ban Thường vụ Đảng ủy" if recognised else "",
                            recognised_number=f"{rng.randint(100, 400)}-QĐ/ĐU" if recognised else "")
            models.append(m)
            for year in YEARS:
                if year >= start:
                    evaluations.append(ModelEvaluation(model=m, year=year, result=rng.choice(
                        ("effective", "effective", "fair", "weak")), note=""))
    return models, evaluations


def _figures(targets, grassroots, behind, rng):
    figures = []
    for year in YEARS:
        for org in grassroots:
            late = org == behind
            values = {
                "CT1": Decimal(85 if late and year == 2026 else (100 if rng.random() < 0.92 else rng.randint(88, 99))),
                "CT3": Decimal(rng.randint(60, 90) if late else (100 if rng.random() < 0.85 else rng.randint(80, 99))),
                "CT6": Decimal(rng.randint(0, 4)),
                "CDS2": Decimal(rng.randint(40, 70) if late else rng.randint(70, 100)),
                "CDS3": Decimal(rng.randint(30, 60) if late else rng.randint(60, 100)),
            }
            for code, value in values.items():
                figures.append(Figure(target=targets[code], organization=org, org_path=org.path, year=year,
                                      value=value, evidence_number=f"{rng.randint(1, 60):02d}-BC/{_short(org)}",
                                      reported_by="bithu", note=""))
    return figures


def _short(org) -> str:
    return "ĐU" if org.kind == "grassroots_committee" else "CB"


def _plans(grassroots, rng):
    plans = []
    for org in grassroots:
        planned = date(2025, 4, 1) + timedelta(days=rng.randint(0, 75))
        held = planned + timedelta(days=rng.choice((0, 0, 0, 1, 2, 9)))
        plans.append(CongressPlan(organization=org, org_path=org.path, term=TERM, planned_date=planned,
                                  held_date=held, status=CongressPlan.HELD,
                                  documents="Báo cáo chính trị; Báo cáo kiểm điểm của cấp uỷ; Nghị quyết đại hội; "
                                  "Biên bản kiểm phiếu"))
    return plans
