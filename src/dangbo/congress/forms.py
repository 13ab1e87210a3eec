"""HTML forms of the congress pages; messages in Vietnamese, each naming its field."""

from django import forms

from dangbo.congress import rules
from dangbo.congress.models import BodyKind, CongressKind, DelegateKind, Obtained
from dangbo.orgs.models import Organization
from dangbo.web.forms import DATE, ScopedOrgField, vietnamese_errors


class CheckInForm(forms.Form):
    """Check-in by the number on the delegate's card (typed, or scanned: a scanner types the code and
    Enter), or by the delegate picked from the name search (`delegate`)."""

    number = forms.CharField(label="Số thẻ đại biểu", required=False, max_length=40,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                           "autofocus": True}))
    delegate = forms.IntegerField(label="Đại biểu", required=False, widget=forms.HiddenInput)
    q = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)

    def clean(self):
        data = super().clean()
        if not data.get("number", "").strip() and not data.get("delegate"):
            self.add_error("number", "Nhập «Số thẻ đại biểu» hoặc chọn đại biểu trong danh sách tìm kiếm.")
        return data


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)


class CongressForm(_Form):
    """Create (with the organisation) or edit (without it) a congress."""

    organization = ScopedOrgField(label="Tổ chức đảng", queryset=Organization.objects.none())
    kind = forms.ChoiceField(label="Hình thức", choices=CongressKind.choices)
    term = forms.CharField(label="Nhiệm kỳ", max_length=20, initial="2025–2030")
    name = forms.CharField(label="Tên đại hội", max_length=255)
    start_date = forms.DateField(label="Ngày khai mạc", widget=DATE)
    end_date = forms.DateField(label="Ngày bế mạc", required=False, widget=DATE,
                               help_text="Để trống: đại hội trong một ngày.")

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = orgs


class SessionForm(_Form):
    title = forms.CharField(label="Tên phiên", max_length=200)
    date = forms.DateField(label="Ngày", required=False, widget=DATE)


class AgendaItemForm(_Form):
    session = forms.IntegerField(label="Phiên", widget=forms.HiddenInput)
    title = forms.CharField(label="Nội dung", max_length=255)


class DelegateAddForm(_Form):
    member = forms.IntegerField(label="Đảng viên", widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="Loại đại biểu", choices=DelegateKind.choices)
    obtained = forms.ChoiceField(label="Hình thức có tư cách", choices=Obtained.choices)


class BodyMemberForm(_Form):
    body = forms.ChoiceField(label="Cơ quan", choices=BodyKind.choices)
    delegate = forms.IntegerField(label="Đại biểu")
    is_head = forms.BooleanField(label="Đứng đầu (Chủ tịch / Trưởng ban)", required=False)


class BodyVoteForm(_Form):
    body = forms.ChoiceField(label="Cơ quan", choices=BodyKind.choices)
    votes_for = forms.IntegerField(label="Tán thành", min_value=0)
    votes_against = forms.IntegerField(label="Không tán thành", min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label="Không biểu quyết", min_value=0, initial=0)


class AllocationForm(_Form):
    """Total, ex officio and base seats, and one bonus field per subordinate organisation."""

    seats = forms.IntegerField(label="Tổng số đại biểu", min_value=1)
    ex_officio = forms.IntegerField(label="Số đại biểu đương nhiên (cấp ủy triệu tập)", min_value=0, initial=0)
    base_per_org = forms.IntegerField(label="Số đại biểu cố định mỗi tổ chức", min_value=0, initial=0)

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        for org in orgs:
            self.fields[f"bonus_{org.pk}"] = forms.IntegerField(
                label=f"Cộng thêm — {org.name}", min_value=0, initial=0, required=False)
        vietnamese_errors(self)


class ReplaceForm(_Form):
    absent = forms.IntegerField(label="Đại biểu chính thức vắng mặt")
    alternate = forms.IntegerField(label="Đại biểu dự khuyết thay thế")


class CredentialForm(_Form):
    delegate = forms.IntegerField(label="Đại biểu", widget=forms.HiddenInput)
    decision = forms.ChoiceField(label="Kết luận", choices=[("accept", "Công nhận"), ("refuse", "Không công nhận")])
    ground = forms.ChoiceField(label="Căn cứ không công nhận (Điều lệ Đảng, Điều 11.5)", required=False,
                               choices=[("", "—")] + list(rules.REFUSAL_GROUNDS.items()))
    note = forms.CharField(label="Ghi chú", required=False, max_length=255)
