"""The rule-settings page: every med/low rule's value, its source and how sure we are of it."""

from dataclasses import fields

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangbo.members import rules as member_rules
from dangbo.orgs import rules as org_rules

CONFIDENCE = {"high": "cao (văn bản gốc)", "med": "trung bình (nguồn thứ cấp)", "low": "thấp (thực tiễn, chưa kiểm chứng)"}
LABELS = {
    "probation_months": "Thời gian dự bị (tháng)",
    "recognition_working_days": "Hạn xét công nhận chính thức (ngày làm việc sau khi hết dự bị)",
    "discipline_delay_months": "Lùi xét Huy hiệu sau kỷ luật (tháng)",
    "early_award_max_months": "Trao Huy hiệu sớm tối đa khi ốm nặng (tháng, theo mốc)",
    "award_days": "Ngày trao Huy hiệu (tháng, ngày)",
    "exclude_gaps_from_party_age": "Trừ thời gian không sinh hoạt Đảng khỏi tuổi Đảng",
    "temp_transfer_min_months": "Sinh hoạt tạm thời: tối thiểu (tháng)",
    "temp_transfer_max_months": "Sinh hoạt tạm thời: dưới (tháng)",
    "temp_transfer_study_max_months": "Sinh hoạt tạm thời khi đi học trong nước: tối đa (tháng)",
    "permanent_transfer_working_days": "Chuyển sinh hoạt chính thức: hạn (ngày làm việc)",
    "transfer_letter_working_days": "Hạn nộp giấy giới thiệu (ngày làm việc)",
    "doc_types": "Loại văn bản được dùng trong số, ký hiệu",
    "number_min_digits": "Số văn bản: số chữ số tối thiểu",
    "events_requiring_document": "Sự kiện tổ chức phải có quyết định",
}


def _values(obj) -> dict:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _rows(values: dict, info: dict) -> list[dict]:
    out = []
    for name, (rule, source, confidence) in info.items():
        value = values[name]
        if isinstance(value, (set, frozenset, tuple, list)):
            value = ", ".join(str(v) for v in sorted(value, key=str)) if isinstance(value, (set, frozenset)) else \
                ", ".join(str(v) for v in value)
        elif hasattr(value, "items"):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, bool):
            value = "có" if value else "không"
        out.append({"name": name, "label": LABELS.get(name, name), "value": value, "rule": rule, "source": source,
                    "confidence": confidence, "confidence_label": CONFIDENCE[confidence]})
    return out


@login_required
def rule_settings(request):
    configured = getattr(settings, "DANGBO_RULES", {})
    members = _values(member_rules.MemberRuleSettings.from_mapping(configured))
    orgs = _values(org_rules.OrgRuleSettings.from_mapping(configured))
    rows = _rows(members, member_rules.SETTING_INFO) + _rows(orgs, org_rules.SETTING_INFO)
    return render(request, "web/settings.html", {"rows": rows})
