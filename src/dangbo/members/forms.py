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
    admission_date = forms.DateField(label="Ngày quyết định kết nạp", widget=DATE,
                                     help_text="Tuổi Đảng và Huy hiệu Đảng tính từ ngày này.")
    ceremony_date = forms.DateField(label="Ngày tổ chức lễ kết nạp", required=False, widget=DATE,
                                    help_text="12 tháng dự bị tính từ ngày này. Để trống nếu chưa rõ: tạm lấy "
                                              "ngày quyết định và đánh dấu cần kiểm tra.")
    dates_checked = forms.BooleanField(label="Đã đối chiếu hai ngày kết nạp với hồ sơ đảng viên", required=False)
    official_date = forms.DateField(label="Ngày chính thức", required=False, widget=DATE)
    education = forms.CharField(label="Giáo dục phổ thông", required=False)
    professional_level = forms.CharField(label="Chuyên môn nghiệp vụ", required=False)
    political_theory_level = forms.CharField(label="Lý luận chính trị", required=False)
    position = forms.CharField(label="Chức vụ", required=False)
    workplace = forms.CharField(label="Đơn vị công tác", required=False)

    def __init__(self, *args, orgs=None, editing=False, member=None, masked=False, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["organization"].queryset = orgs
        if editing:  # organisation and the official date change through events, not the form
            for name in ("organization", "official_date"):
                del self.fields[name]
            self.fields["admission_date"].help_text = ""
            self.fields["ceremony_date"].help_text = "12 tháng dự bị tính từ ngày này."
            if member is None or not member.dates_to_check:
                del self.fields["dates_checked"]
        else:
            del self.fields["dates_checked"]
        if masked and member is not None:  # write-only for a secretary: the stored value is not shown
            from dangbo.members.selectors import masked_id

            self.fields["national_id"].help_text = (
                (f"Đang lưu: {masked_id(member.national_id)}. " if member.national_id else "Chưa có. ")
                + "Để trống nếu không đổi.")
            self.fields["birth_date"].help_text = (
                (f"Năm sinh đang lưu: {member.birth_date.year}. " if member.birth_date else "Chưa có. ")
                + "Để trống nếu không đổi.")
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
    decision_date = forms.DateField(label="Ngày quyết định", required=False, widget=DATE,
                                    help_text="Kỷ luật: thời hạn lùi xét Huy hiệu Đảng tính từ ngày này.")
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
