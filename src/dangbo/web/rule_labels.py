"""The rules page in words: a Vietnamese name for every setting of the med/low rules and its value
shown the way a clerk reads it (choices by their label, dates dd/mm, numbers 2.755 / 81,0) — never a
setting's code name or a Python value. `tests/web/test_shell.py` checks every setting has both."""

from collections.abc import Callable, Mapping
from typing import Any

from dangbo.core.numbers import vn_number
from dangbo.members.rules import DISCIPLINE_LABELS
from dangbo.orgs.rules import EVENT_KINDS as ORG_EVENT_KINDS
from dangbo.orgs.rules import EVENT_LABELS as ORG_EVENT_LABELS
from dangbo.orgs.rules import KIND_LABELS

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
    "vote_base": "Biểu quyết thủ tục (các ban, chương trình, quy chế): cơ sở tính; nghị quyết luôn tính trên số "
                 "thành viên của đại hội",
    "temporary_without_host_comments": "Đảng viên sinh hoạt tạm thời chưa có nhận xét của nơi sinh hoạt tạm thời",
    "old_regime_good_max_late_pct": "Các năm theo Quy định 124-QĐ/TW — Tốt: chậm tiến độ tối đa (%)",
    "vote_majority_pct": "Biểu quyết thủ tục: thông qua khi tán thành quá (% cơ sở tính)",
    # documents app (issue 14)
    "term_anchor_year": "Sổ văn bản: năm bắt đầu nhiệm kỳ khi tổ chức chưa có đại hội trên nền tảng",
    "term_years": "Sổ văn bản: số năm một nhiệm kỳ (số văn bản đi đánh lại từ 01 mỗi nhiệm kỳ)",
    "max_file_bytes": "Sổ văn bản: dung lượng tối đa của tệp đính kèm",
    "file_extensions": "Sổ văn bản: loại tệp đính kèm được nhận",
    "issuer_by_kind": "Sổ văn bản: ký hiệu cơ quan ban hành theo loại tổ chức",
    # procedures app (issue 13)
    "admission_min_age_years": "Kết nạp: tuổi tối thiểu (đủ, tính theo tháng)",
    "admission_max_age_years": "Kết nạp: tuổi tối đa (đủ, tính theo tháng)",
    "course_valid_months": "Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng có giá trị (tháng)",
    "introducer_months": "Người giới thiệu công tác cùng tối thiểu (tháng)",
    "ceremony_working_days": "Hạn tổ chức lễ kết nạp (ngày làm việc sau khi nhận quyết định)",
    # meetings (issue 11, MTG-1..8)
    "thematic_per_quarter": "Số buổi sinh hoạt chuyên đề tối thiểu mỗi quý",
    "plenary_per_year": "Số lần đảng bộ cơ sở họp toàn thể mỗi năm",
    "meeting_day": "Ngày sinh hoạt chi bộ trong tháng",
    "bulletin_day_before": "Ngày phát hành bản tin sinh hoạt chi bộ (tháng trước)",
    "min_attendance_pct": "Tỷ lệ dự họp phải trên (%)",
    "max_excused_in_row": "Vắng có lý do liên tiếp tối đa (lần)",
    "min_minutes": "Thời gian sinh hoạt tối thiểu (phút)",
    "min_minutes_thematic": "Thời gian sinh hoạt có chuyên đề tối thiểu (phút)",
    "min_speakers": "Số ý kiến phát biểu tối thiểu (0: không xét)",
    "resolution_quorum_pct": "Số đảng viên có mặt tối thiểu để thông qua nghị quyết (% cơ sở; 0: không xét)",
    "warning_months": "Cảnh báo xoá tên khi vắng hoặc không đóng đảng phí (số tháng trong năm)",
    "warning_grounds_add_up": "Cộng tháng vắng sinh hoạt và tháng không đóng đảng phí khi cảnh báo",
    # programme app (issue 12)
    "counted_kinds": "Chỉ tiêu tính trên các tổ chức đảng: loại tổ chức được tính",
    "amber_from_pct": "Bảng theo dõi: màu vàng (gần đạt) khi thực hiện đạt từ (% mục tiêu)",
    "id_digits": "Số định danh cá nhân hợp lệ có số chữ số",
    # fees app (issue 11)
    "new_regime_from": "Tháng bắt đầu tính đảng phí theo Quy định 01-QĐ/TW",
    "insured_permille_01": "Từ 02/2026 — tiền lương đóng bảo hiểm xã hội tháng trước: tỷ lệ đóng",
    "benefit_permille_01": "Từ 02/2026 — trợ cấp ốm đau, thai sản: tỷ lệ đóng",
    "pension_permille_01": "Từ 02/2026 — lương hưu (không đóng bảo hiểm bắt buộc): tỷ lệ đóng",
    "student_sum_01": "Từ 02/2026 — học sinh, sinh viên: mức đóng (đồng/tháng)",
    "other_sum_01": "Từ 02/2026 — không có lương, không có lương hưu: mức đóng (đồng/tháng)",
    "insured_permille_342": "Đến 01/2026 — tiền lương: tỷ lệ đóng",
    "benefit_permille_342": "Đến 01/2026 — trợ cấp bảo hiểm xã hội: tỷ lệ đóng",
    "pension_permille_342": "Đến 01/2026 — lương hưu: tỷ lệ đóng",
    "student_sum_342": "Đến 01/2026 — học sinh, sinh viên: mức đóng (đồng/tháng)",
    "other_sum_342": "Đến 01/2026 — đối tượng khác: mức đóng (đồng/tháng)",
    "exempt_party_age_years": "Miễn đóng đảng phí khi tuổi đảng từ (năm)",
    "reduction_max_months": "Miễn, giảm theo đơn: tối đa mỗi quyết định (tháng)",
    "retained_pct": "Tỷ lệ đảng phí trích giữ lại theo cấp",
    "rounding_unit": "Làm tròn số đảng phí đến (đồng)",
}

#: the words for a setting's coded choices
CHOICES: dict[str, dict[str, str]] = {
    "quota_rounding": {"floor": "làm tròn xuống", "round": "làm tròn (từ 0,5 trở lên thì lên)", "ceil": "làm tròn lên"},
    "temporary_without_host_comments": {"block": "chờ có nhận xét mới đề xuất xếp loại",
                                        "flag": "vẫn đề xuất, đánh dấu là chưa có nhận xét"},
    "vote_base": {"present": "số đại biểu có mặt khi mở biểu quyết", "summoned": "số đại biểu chính thức được triệu tập",
                  "members": "số thành viên của đại hội"},
}


def _number(value) -> str:
    return vn_number(value, 0 if float(value).is_integer() else None)


def _months_by_tier(value: Mapping) -> str:
    """{30: 12, 40: 12, …, 70: 24} → "Huy hiệu 30, 40 năm: 12 tháng; 70 năm: 24 tháng"."""
    groups: dict[Any, list] = {}
    for tier, months in sorted(value.items()):
        groups.setdefault(months, []).append(tier)
    return "; ".join(f"Huy hiệu {', '.join(str(t) for t in tiers)} năm: {_number(m)} tháng" for m, tiers in groups.items())


FORMATS: dict[str, Callable[[Any], str]] = {
    "discipline_delay_months": lambda v: "; ".join(
        f"{DISCIPLINE_LABELS.get(k, k)}: {_number(n)} tháng" for k, n in v.items()),
    "early_award_max_months": _months_by_tier,
    "award_days": lambda v: ", ".join(f"{d:02d}/{m:02d}" for m, d in v),
    "events_requiring_document": lambda v: ", ".join(ORG_EVENT_LABELS[k] for k in ORG_EVENT_KINDS if k in v),
    "delegate_caps": lambda v: "; ".join(f"{KIND_LABELS.get(k, k)}: {_number(n)} đại biểu" for k, n in v.items()),
    "surplus_prepared_pct": lambda v: " – ".join(_number(x) for x in v) + "\u00a0%",
    "doc_types": lambda v: ", ".join(v),
    "new_regime_from_year": str,  # a year: no thousands dot
    # documents app (issue 14)
    "term_anchor_year": str,
    "max_file_bytes": lambda v: f"{_number(v / (1024 * 1024))} MB",
    "file_extensions": lambda v: ", ".join("." + e for e in v),
    "issuer_by_kind": lambda v: "; ".join(f"{KIND_LABELS.get(k, k)}: {i}" for k, i in v),
    "counted_kinds": lambda v: ", ".join(KIND_LABELS.get(k, k) for k in v),  # programme app (issue 12)
    # fees app (issue 11): per-mille rates as %, the regime's first month as mm/yyyy, shares per level
    **{f"{k}_permille_{r}": (lambda v: vn_number(v / 10, 1) + "\u00a0%")
       for k in ("insured", "benefit", "pension") for r in ("01", "342")},
    "new_regime_from": lambda v: f"{v[5:]}/{v[:4]}",
    "retained_pct": lambda v: "; ".join(f"{KIND_LABELS.get(k, k)}: {_number(n)}\u00a0%" for k, n in v),
}


def value_text(name: str, value) -> str:
    """A setting's value for the page."""
    if name in FORMATS:
        return FORMATS[name](value)
    if name in CHOICES:
        text = CHOICES[name].get(value, "giá trị khác")
        return text[:1].upper() + text[1:]
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, (int, float)):
        return _number(value)
    return str(value)


def source_text(name: str, source: str) -> str:
    """A setting's source as written in its rule module, a coded choice quoted there («flag») said in
    words."""
    for code, label in CHOICES.get(name, {}).items():
        source = source.replace(f"«{code}»", f"«{label}»")
    return source
