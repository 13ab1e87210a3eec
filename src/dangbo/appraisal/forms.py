"""HTML forms of the appraisal; messages in Vietnamese, each naming its field."""

from datetime import date

from django import forms

from dangbo.appraisal import rules
from dangbo.appraisal.models import Review
from dangbo.orgs.models import Organization
from dangbo.web.forms import DATE, ScopedOrgField, vietnamese_errors


def _pct(label: str, required: bool = True) -> forms.FloatField:
    return forms.FloatField(label=label, required=required, min_value=0, max_value=100,
                            widget=forms.NumberInput(attrs={"step": "0.5", "min": 0, "max": 100}))


class CampaignForm(forms.Form):
    year = forms.IntegerField(label="Năm đánh giá", min_value=2000, max_value=2100, initial=date.today().year)
    organization = ScopedOrgField(label="Tổ chức đảng", queryset=Organization.objects.none())
    review_date = forms.DateField(label="Ngày đánh giá", required=False, widget=DATE,
                                  help_text="Để trống: 31/12 của năm đánh giá.")
    deadline = forms.DateField(label="Hạn hoàn thành", required=False, widget=DATE)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["organization"].queryset = orgs
        vietnamese_errors(self)


class SelfAssessmentForm(forms.Form):
    score = _pct(Review._meta.get_field("score").verbose_name)
    tasks_done_pct = _pct(Review._meta.get_field("tasks_done_pct").verbose_name)
    tasks_late_pct = _pct(Review._meta.get_field("tasks_late_pct").verbose_name)
    tasks_beyond_pct = _pct(Review._meta.get_field("tasks_beyond_pct").verbose_name)
    shortcomings_fixed = forms.BooleanField(label=Review._meta.get_field("shortcomings_fixed").verbose_name,
                                            required=False)
    discipline = forms.ChoiceField(label=Review._meta.get_field("discipline").verbose_name,
                                   choices=list(rules.DISCIPLINE_CHOICE_LABELS.items()))
    degradation = forms.BooleanField(label=Review._meta.get_field("degradation").verbose_name, required=False)
    self_comment = forms.CharField(label="Tự nhận xét", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    # APR-6: long sick leave or maternity; with the counts the percentages are computed on the work
    # actually expected (rules.leave_task_shares)
    leave_months = forms.FloatField(label=Review._meta.get_field("leave_months").verbose_name, required=False,
                                    min_value=0, max_value=12, widget=forms.NumberInput(attrs={"step": "0.5"}))
    maternity = forms.BooleanField(label=Review._meta.get_field("maternity").verbose_name, required=False)
    tasks_assigned = forms.IntegerField(label=Review._meta.get_field("tasks_assigned").verbose_name, required=False,
                                        min_value=0, help_text="Nhập số nhiệm vụ để tính tỷ lệ theo thời gian công "
                                        "tác thực tế (nghỉ ốm dài ngày, thai sản — APR-6).")
    tasks_done_n = forms.IntegerField(label=Review._meta.get_field("tasks_done_n").verbose_name, required=False,
                                      min_value=0)
    tasks_late_n = forms.IntegerField(label=Review._meta.get_field("tasks_late_n").verbose_name, required=False,
                                      min_value=0)
    tasks_beyond_n = forms.IntegerField(label=Review._meta.get_field("tasks_beyond_n").verbose_name, required=False,
                                        min_value=0)

    def __init__(self, *args, uses_score=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not uses_score:  # APR-7: no 100-point scale under 124-QĐ/TW
            del self.fields["score"]
        for name in ("tasks_done_pct", "tasks_late_pct", "tasks_beyond_pct"):
            self.fields[name].required = False  # the service requires them unless the counts are given
        vietnamese_errors(self)
        for field in self.fields.values():  # each field's own bounds (leave: 0–12 months, counts: ≥ 0)
            if isinstance(field, forms.FloatField):
                msg = f"Trường «{field.label}» phải là một số từ {field.min_value:g} đến {field.max_value:g}."
                field.error_messages.update(min_value=msg, max_value=msg, invalid=msg)
            elif isinstance(field, forms.IntegerField):
                msg = f"Trường «{field.label}» phải là một số nguyên không âm."
                field.error_messages.update(min_value=msg, invalid=msg)


class OrgSelfAssessmentForm(SelfAssessmentForm):
    """The collective's self-assessment of a party organisation (APR-5, the inputs of rules.org_grade)."""

    unit_plan_pct = _pct("Tỷ lệ hoàn thành kế hoạch của đơn vị (%)", required=False)

    def __init__(self, *args, uses_score=True, **kwargs):
        super().__init__(*args, uses_score=uses_score, **kwargs)
        for name in ("leave_months", "maternity", "tasks_assigned", "tasks_done_n", "tasks_late_n", "tasks_beyond_n"):
            del self.fields[name]
        labels = {"score": "Điểm tự chấm của tập thể (thang 100)",
                  "discipline": "Kỷ luật của thành viên tập thể lãnh đạo",
                  "degradation": "Tập thể lãnh đạo có thành viên bị kết luận suy thoái",
                  "self_comment": "Tự nhận xét của tập thể"}
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].label = label


class HostCommentsForm(forms.Form):
    host_comments = forms.CharField(label="Nhận xét của nơi sinh hoạt tạm thời", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)
