"""The rule-settings page: every med/low rule's value, its source and how sure we are of it."""

from dataclasses import fields

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangbo.appraisal import rules as appraisal_rules
from dangbo.congress import rules as congress_rules
from dangbo.core.rulesettings import configured
from dangbo.members import rules as member_rules
from dangbo.orgs import rules as org_rules
from dangbo.votes import rules as vote_rules

#: every rule module with settings: (module, its settings class)
RULE_SETS = (
    (member_rules, member_rules.MemberRuleSettings),
    (org_rules, org_rules.OrgRuleSettings),
    (congress_rules, congress_rules.CongressRuleSettings),
    (appraisal_rules, appraisal_rules.AppraisalRuleSettings),
    (vote_rules, vote_rules.VoteRuleSettings),
)

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
    "decision_not_after_event": "Quyết định không được ký sau ngày sự kiện có hiệu lực (trừ công nhận chính thức)",
    "doc_types": "Loại văn bản được dùng trong số, ký hiệu",
    "number_min_digits": "Số văn bản: số chữ số tối thiểu",
    "events_requiring_document": "Sự kiện tổ chức phải có quyết định",
    "delegate_caps": "Số đại biểu tối đa theo cấp",
    "ex_officio_from_unit_share": "Đại biểu đương nhiên trừ vào phần của đơn vị",
    "surplus_max_pct": "Số dư tối đa (% số cần bầu)",
    "surplus_prepared_pct": "Số dư cấp ủy chuẩn bị (%)",
    "nominee_min_pct": "Người được đề cử thêm cần trên (% đại biểu có mặt)",
    "invalid_all_struck": "Phiếu gạch hết tên (danh sách có dư) không hợp lệ",
    "invalid_added_name": "Phiếu ghi thêm tên không hợp lệ",
    "invalid_mark": "Phiếu có dấu hiệu riêng không hợp lệ",
    "invalid_single_name_no_choice": "Danh sách một người: đánh dấu cả hai ô hoặc không ô nào là phiếu không hợp lệ",
    "admission_min_months": "Không đánh giá đảng viên mới kết nạp dưới (tháng)",
    "excellent_min_score": "Xuất sắc: điểm tối thiểu",
    "good_min_score": "Tốt: điểm tối thiểu",
    "completed_min_score": "Hoàn thành: điểm tối thiểu",
    "excellent_min_beyond_pct": "Xuất sắc: vượt yêu cầu tối thiểu (%)",
    "good_max_late_pct": "Tốt: chậm tiến độ tối đa (%)",
    "completed_max_late_pct": "Hoàn thành: chậm tiến độ tối đa (%)",
    "completed_requires_all_done": "Hoàn thành: phải hoàn thành 100% nhiệm vụ",
    "not_done_max_pct": "Không hoàn thành khi không làm được trên (%)",
    "low_confidence_max_pct": "Lãnh đạo: phiếu tín nhiệm thấp tối đa (%)",
    "unit_plan_min_pct": "Lãnh đạo: đơn vị đạt kế hoạch tối thiểu (%)",
    "quota_pct": "Tỷ lệ xuất sắc tối đa (% số đạt tốt)",
    "quota_exception_pct": "Tỷ lệ xuất sắc khi được cấp có thẩm quyền cho phép (%)",
    "quota_rounding": "Làm tròn số xuất sắc tối đa",
    "org_excellent_needs_no_failing_member": "Tổ chức xuất sắc: không có đảng viên không hoàn thành",
    "long_leave_min_months": "Nghỉ dài ngày: từ (tháng)",
    "new_regime_from_year": "Năm bắt đầu áp dụng Quy định 366-QĐ/TW",
    "surplus_cap_other_lists": "Áp dụng số dư tối đa cho cả danh sách bầu bí thư, phó bí thư, ủy ban kiểm tra, "
                               "đại biểu",
    "vote_base": "Biểu quyết thủ tục (các ban, chương trình, quy chế): cơ sở tính (present = số có mặt khi mở, "
                 "summoned = số triệu tập); nghị quyết luôn tính trên số thành viên",
    "vote_majority_pct": "Biểu quyết thủ tục: thông qua khi tán thành quá (% cơ sở tính)",
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
    rows = []
    for module, settings_class in RULE_SETS:
        rows += _rows(_values(configured(settings_class)), module.SETTING_INFO)
    return render(request, "web/settings.html", {"rows": rows})
