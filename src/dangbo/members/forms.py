"""HTML forms for members; messages in Vietnamese, each naming its field."""

from django import forms

from dangbo.members import rules
from dangbo.members.models import SEX_CHOICES
from dangbo.orgs.models import Organization
from dangbo.web.forms import DATE, ScopedOrgField, vietnamese_errors


class MemberForm(forms.Form):
    organization = ScopedOrgField(label="Chi bộ sinh hoạt", queryset=Organization.objects.none())
    full_name = forms.CharField(label="Họ và tên", max_length=120)
    sex = forms.ChoiceField(label="Giới tính", choices=SEX_CHOICES)
    birth_date = forms.DateField(label="Ngày sinh", required=False, widget=DATE)
    place_of_birth = forms.CharField(label="Nơi sinh", required=False)
    home_town = forms.CharField(label="Quê quán", required=False)
    ethnicity = forms.CharField(label="Dân tộc", required=False, initial="Kinh")
    religion = forms.CharField(label="Tôn giáo", required=False, initial="Không")
    national_id = forms.CharField(label="Số định danh cá nhân", required=False, max_length=20,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    card_number = forms.CharField(label="Số thẻ đảng viên", required=False)
    admission_date = forms.DateField(label="Ngày vào Đảng", widget=DATE)
    official_date = forms.DateField(label="Ngày chính thức", required=False, widget=DATE)
    education = forms.CharField(label="Giáo dục phổ thông", required=False)
    professional_level = forms.CharField(label="Chuyên môn nghiệp vụ", required=False)
    political_theory_level = forms.CharField(label="Lý luận chính trị", required=False)
    position = forms.CharField(label="Chức vụ", required=False)
    workplace = forms.CharField(label="Đơn vị công tác", required=False)

    def __init__(self, *args, orgs=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["organization"].queryset = orgs
        if editing:  # organisation and Party dates change through events, not the form
            for name in ("organization", "admission_date", "official_date"):
                del self.fields[name]
        vietnamese_errors(self)


EVENT_FORM_KINDS = [k for k in rules.EVENT_KINDS if k not in ("admission", "transfer_in")]


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="Sự kiện", choices=[(k, rules.EVENT_LABELS[k]) for k in EVENT_FORM_KINDS])
    date = forms.DateField(label="Ngày", widget=DATE)
    to_org = ScopedOrgField(label="Tổ chức đảng nơi đến", queryset=Organization.objects.none(), required=False)
    place = forms.CharField(label="Nơi đến (ngoài hệ thống)", required=False)
    end_date = forms.DateField(label="Đến ngày (sinh hoạt tạm thời)", required=False, widget=DATE)
    level = forms.ChoiceField(label="Hình thức kỷ luật", required=False, choices=[("", "—")] + [
        (k, v) for k, v in rules.DISCIPLINE_LABELS.items()])
    tier = forms.TypedChoiceField(label="Huy hiệu (năm tuổi Đảng)", required=False, coerce=int, empty_value=None,
                                  choices=[("", "—")] + [(t, f"{t} năm") for t in rules.BADGE_TIERS])
    decision_number = forms.CharField(label="Số, ký hiệu quyết định", required=False, max_length=40)
    decision_date = forms.DateField(label="Ngày quyết định", required=False, widget=DATE)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, orgs=None, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["to_org"].queryset = orgs
        if kinds is not None:  # offer only what the transition table allows now
            self.fields["kind"].choices = [(k, rules.EVENT_LABELS[k]) for k in EVENT_FORM_KINDS if k in kinds]
        vietnamese_errors(self)

    def details(self) -> dict:
        d = {}
        if self.cleaned_data.get("level"):
            d["level"] = self.cleaned_data["level"]
        if self.cleaned_data.get("tier"):
            d["tier"] = self.cleaned_data["tier"]
        return d
