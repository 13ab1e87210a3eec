"""Forms of the admission file: opening a file and each step; messages in Vietnamese naming the field."""

from django import forms

from dangbo.core.forms import DATE, FileBox, ScopedOrgField, vietnamese_errors
from dangbo.orgs.models import Organization
from dangbo.procedures.models import HOLD_KINDS, TRANSFER_KINDS, Applicant
from dangbo.procedures.rules import INTRODUCER_KINDS


def _label(name: str) -> str:
    return str(Applicant._meta.get_field(name).verbose_name)


def _day(name: str) -> forms.DateField:
    return forms.DateField(label=_label(name), widget=DATE)


def _count(name: str) -> forms.IntegerField:
    return forms.IntegerField(label=_label(name), min_value=0, max_value=1000,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)


class ApplicantForm(_Form):
    organization = ScopedOrgField(label="Chi bộ", queryset=Organization.objects.none())
    full_name = forms.CharField(label=_label("full_name"), max_length=120)
    sex = forms.ChoiceField(label=_label("sex"), choices=[("M", "Nam"), ("F", "Nữ")])
    birth_date = _day("birth_date")
    over_limit_consent = forms.BooleanField(label=_label("over_limit_consent"), required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["organization"].queryset = orgs


class CourseForm(_Form):
    course_date = _day("course_date")
    course_number = forms.CharField(label=_label("course_number"), max_length=40, required=False)


class ApplicationForm(_Form):
    application_date = _day("application_date")


class BackgroundForm(_Form):
    background_date = _day("background_date")
    verified_date = _day("verified_date")


KIND_CHOICES = [("", "— chọn —"), *INTRODUCER_KINDS.items()]


class IntroducersForm(_Form):
    introduced_date = _day("introduced_date")
    kind_1 = forms.ChoiceField(label="Người giới thiệu thứ nhất", choices=KIND_CHOICES)
    member_1 = forms.ModelChoiceField(label="Đảng viên giới thiệu thứ nhất", queryset=None, required=False)
    months_1 = forms.IntegerField(label="Số tháng công tác cùng (người thứ nhất)", min_value=0, max_value=1200,
                                  required=False)
    kind_2 = forms.ChoiceField(label="Người giới thiệu thứ hai", choices=KIND_CHOICES)
    member_2 = forms.ModelChoiceField(label="Đảng viên giới thiệu thứ hai", queryset=None, required=False)
    months_2 = forms.IntegerField(label="Số tháng công tác cùng (người thứ hai)", min_value=0, max_value=1200,
                                  required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        for i in (1, 2):
            self.fields[f"member_{i}"].queryset = members
            self.fields[f"member_{i}"].label_from_instance = lambda m: (
                f"{m.full_name} ({m.birth_date:%Y})" if m.birth_date else m.full_name)

    def introducers(self) -> list[dict]:
        c = self.cleaned_data
        out = []
        for i in (1, 2):
            item = {"kind": c[f"kind_{i}"]}
            if item["kind"] == "member":
                item["member_id"] = c[f"member_{i}"].id if c[f"member_{i}"] else None
                item["months"] = c[f"months_{i}"]
            out.append(item)
        return out


class CellForm(_Form):
    resolution_date = forms.DateField(label=_label("cell_resolution_date"), widget=DATE)
    official_count = _count("cell_official_count")
    votes_for = _count("cell_votes_for")


class CommitteeForm(_Form):
    resolution_date = forms.DateField(label=_label("committee_resolution_date"), widget=DATE)
    member_count = _count("committee_member_count")
    votes_for = _count("committee_votes_for")


class DecisionForm(_Form):
    decision_number = forms.CharField(label=_label("decision_number"), max_length=40)
    decision_date = _day("decision_date")
    received_date = forms.DateField(label=_label("decision_received_date"), widget=DATE)


class CeremonyForm(_Form):
    ceremony_date = _day("ceremony_date")


STEP_FORMS = {"course": CourseForm, "application": ApplicationForm, "background": BackgroundForm,
              "introducers": IntroducersForm, "cell": CellForm, "committee": CommitteeForm,
              "decision": DecisionForm, "ceremony": CeremonyForm}


class TransferExportForm(_Form):
    member = forms.ModelChoiceField(label="Đảng viên chuyển đi", queryset=None, empty_label="— Chọn đảng viên —")
    letter_number = forms.CharField(label="Số giấy giới thiệu", max_length=40)
    destination = forms.CharField(label="Nơi chuyển đến", max_length=255)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.full_name} ({m.birth_date:%Y})" if m.birth_date else m.full_name)


class TransferImportForm(_Form):
    file = forms.FileField(widget=FileBox(), label="Tệp chuyển sinh hoạt đảng nhận được")
    organization = ScopedOrgField(label="Chi bộ tiếp nhận", queryset=Organization.objects.none())

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["organization"].queryset = orgs


class LetterForm(_Form):
    """MEM-5: the introduction letter of a transfer to a cell of the committee."""

    member = forms.ModelChoiceField(label="Đảng viên", queryset=None, empty_label="— Chọn đảng viên —")
    kind = forms.ChoiceField(label="Hình thức", choices=TRANSFER_KINDS)
    to_org = ScopedOrgField(label="Chi bộ nơi đến", queryset=Organization.objects.none())
    letter_date = forms.DateField(label="Ngày giới thiệu", widget=DATE)
    end_date = forms.DateField(label="Sinh hoạt tạm thời đến ngày (chỉ khi chuyển tạm thời)", widget=DATE,
                               required=False)
    study = forms.BooleanField(label="Đi học tập trung trong nước (tạm thời đến 24 tháng)", required=False)

    def __init__(self, *args, members=None, cells=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.full_name} ({m.birth_date:%Y})" if m.birth_date else m.full_name)
        self.fields["to_org"].queryset = cells


class HoldForm(_Form):
    """MEM-5: the member is under inspection or a complaint of theirs is being handled."""

    hold_member = forms.ModelChoiceField(label="Đảng viên", queryset=None, empty_label="— Chọn đảng viên —")
    hold_kind = forms.ChoiceField(label="Lý do", choices=HOLD_KINDS)
    decision = forms.CharField(label="Quyết định, văn bản (số, ngày)", max_length=120)
    start_date = forms.DateField(label="Từ ngày", widget=DATE)
    end_date = forms.DateField(label="Đến ngày (bỏ trống khi chưa kết thúc)", widget=DATE, required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hold_member"].queryset = members
        self.fields["hold_member"].label_from_instance = lambda m: (
            f"{m.full_name} ({m.birth_date:%Y})" if m.birth_date else m.full_name)


class ConfirmForm(_Form):
    received_date = forms.DateField(label="Ngày chi bộ nơi đến nhận", widget=DATE)


class WithdrawForm(_Form):
    withdrawn_date = forms.DateField(label="Ngày thu hồi", widget=DATE)
    withdraw_reason = forms.CharField(label="Lý do thu hồi", max_length=255)


class HoldEndForm(_Form):
    hold_end_date = forms.DateField(label="Ngày kết thúc", widget=DATE)


class EarlyBadgeForm(_Form):
    """MEM-3: the cell's proposal of an early badge award for serious illness."""

    member = forms.ModelChoiceField(label="Đảng viên", queryset=None, empty_label="— Chọn đảng viên —")
    months = forms.IntegerField(label="Số tháng xét sớm", min_value=1, max_value=24,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    reason = forms.CharField(label="Tình trạng bệnh hiểm nghèo", max_length=255)
    cell_resolution = forms.CharField(label="Đề nghị của chi bộ (số, ngày)", max_length=120)
    proposed_date = forms.DateField(label="Ngày chi bộ đề nghị", widget=DATE)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.full_name} ({m.birth_date:%Y})" if m.birth_date else m.full_name)
