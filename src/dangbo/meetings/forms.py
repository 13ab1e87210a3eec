"""HTML forms of the meetings pages; messages in Vietnamese, each naming its field."""

from datetime import date

from django import forms

from dangbo.core.forms import DATE, DayInput, FileBox, ScopedOrgField, vietnamese_errors
from dangbo.meetings import rules
from dangbo.meetings.models import CommitteeSeat, Meeting
from dangbo.orgs.models import Organization


def _label(name: str) -> str:
    return str(Meeting._meta.get_field(name).verbose_name)


def _text(name: str, *, area: bool = False, rows: int = 3) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if area else forms.TextInput
    return forms.CharField(label=_label(name), required=False, widget=widget, strip=False)


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)


class MeetingForm(_Form):
    organization = ScopedOrgField(label="Tổ chức đảng", queryset=Organization.objects.none())
    body = forms.ChoiceField(label="Hình thức", choices=list(rules.BODY_LABELS.items()))
    kind = forms.ChoiceField(label="Loại sinh hoạt", choices=list(rules.KIND_LABELS.items()))
    theme = forms.ChoiceField(label="Chủ đề chuyên đề", required=False, choices=[("", "—"), *rules.THEMES.items()])
    held_on = forms.DateField(label="Ngày sinh hoạt", widget=DATE)
    topic = _text("topic")

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["organization"].queryset = orgs


class PlanForm(_Form):
    organization = ScopedOrgField(label="Tổ chức đảng", queryset=Organization.objects.none())
    body = forms.ChoiceField(label="Hình thức", choices=list(rules.BODY_LABELS.items()))
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100, initial=date.today().year)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["organization"].queryset = orgs


class PrepareForm(_Form):
    topic = _text("topic")
    place = _text("place")
    draft_content = _text("draft_content", area=True, rows=4)
    draft_resolution = _text("draft_resolution", area=True, rows=4)
    committee_met_on = forms.DateField(label=_label("committee_met_on"), required=False, widget=DATE)
    upper_member = _text("upper_member")
    theme_author = _text("theme_author")
    theme_approved = forms.BooleanField(label=_label("theme_approved"), required=False)
    invite = forms.BooleanField(label="Gửi giấy mời cho đảng viên và đồng chí cấp ủy cấp trên", required=False)


class RecordForm(_Form):
    minutes = forms.IntegerField(label=_label("minutes"), min_value=1, max_value=1440,
                                 widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    chair = _text("chair")
    secretary = _text("secretary")
    speakers = forms.CharField(label="Đảng viên phát biểu (mỗi dòng một người)", required=False, strip=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    proceedings = _text("proceedings", area=True, rows=4)
    resolution = _text("resolution", area=True, rows=4)
    votes_for = forms.IntegerField(label=_label("votes_for"), min_value=0, required=False,
                                   widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    votes_against = forms.IntegerField(label=_label("votes_against"), min_value=0, required=False,
                                       widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class BulletinForm(_Form):
    bulletin = forms.FileField(widget=FileBox(), label="Bản tin sinh hoạt chi bộ (PDF hoặc Word, tối đa 10 MB)")


class ReplyForm(_Form):
    will_attend = forms.ChoiceField(label="Trả lời", widget=forms.RadioSelect,
                                    choices=[("yes", "Tôi sẽ dự"), ("no", "Tôi không dự được")])
    reason = forms.CharField(label="Vì", required=False, max_length=255)


class YearForm(_Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100, required=False)
    org = ScopedOrgField(label="Tổ chức đảng", queryset=Organization.objects.none(), required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs


class SeatForm(forms.Form):
    """Seat a member on the organisation's committee (the services check the values)."""

    body = forms.ChoiceField(label="Cấp ủy")
    member = forms.ModelChoiceField(label="Đảng viên", queryset=None, empty_label="— Chọn đảng viên —")
    role = forms.ChoiceField(label="Chức danh", choices=CommitteeSeat.ROLE_CHOICES, initial="member")
    since = forms.DateField(label="Từ ngày", widget=DayInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    def __init__(self, *args, org, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(b, rules.BODY_LABELS[b]) for b in rules.bodies_for(org.kind)
                                       if b in rules.COMMITTEE_BODIES]
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.full_name}{f' ({m.birth_date.year})' if m.birth_date else ''} — {m.organization.name}")
        vietnamese_errors(self)
