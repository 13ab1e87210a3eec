"""HTML forms for members; messages in Vietnamese, each naming its field."""

from __future__ import annotations

from django import forms

from dangbo.core.forms import DATE, ScopedOrgField, vietnamese_errors
from dangbo.members import rules
from dangbo.members.models import SEX_CHOICES
from dangbo.orgs.models import Organization


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

_DECIDED = ("decision_number", "decision_date", "note")
#: The fields each event type needs, in the order shown ("kind" and "date" come first always).
#: What is needed and what is refused is the services' to say (they check every caller); these only
#: choose what the form shows and reads — a value posted for a field the type does not use is ignored.
EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    "recognition": _DECIDED,
    "transfer_out": ("place", *_DECIDED),
    "transfer_internal": ("to_org", *_DECIDED),
    "temp_transfer_out": ("to_org", "place", "end_date", "study", *_DECIDED),
    "temp_transfer_return": ("note",),
    "exemption": _DECIDED,
    "exemption_end": _DECIDED,
    "suspension": _DECIDED,
    "suspension_end": _DECIDED,
    "discipline": ("level", *_DECIDED),
    "badge": ("tier", *_DECIDED),
    "removal": _DECIDED,
    "leaving": _DECIDED,
    "death": ("note",),
}
#: What the date means for each type (the default: "Ngày").
DATE_LABELS = {
    "recognition": "Ngày công nhận chính thức (hết 12 tháng dự bị)",
    "transfer_out": "Ngày chuyển đi",
    "transfer_internal": "Ngày chuyển đến chi bộ mới",
    "temp_transfer_out": "Từ ngày",
    "temp_transfer_return": "Ngày trở về",
    "exemption": "Miễn sinh hoạt từ ngày",
    "exemption_end": "Thôi miễn sinh hoạt từ ngày",
    "suspension": "Đình chỉ từ ngày",
    "suspension_end": "Hết đình chỉ từ ngày",
    "discipline": "Ngày thi hành kỷ luật",
    "badge": "Ngày trao Huy hiệu",
    "removal": "Ngày xóa tên",
    "leaving": "Ngày ra khỏi Đảng",
    "death": "Ngày từ trần",
}
#: Fields a type cannot do without (marked * on the form; the services refuse the event without them).
EVENT_REQUIRED = {"transfer_out": {"place"}, "transfer_internal": {"to_org"}, "temp_transfer_out": {"end_date"},
                  "discipline": {"level"}, "badge": {"tier"}}
#: Per-type help under a field.
EVENT_HELP = {
    ("temp_transfer_out", "to_org"): "Chọn tổ chức trong hệ thống, hoặc ghi tên nơi đến ở ô dưới.",
    ("temp_transfer_out", "end_date"): "Từ 3 tháng đến dưới 12 tháng; đi học tập trong nước: đến 24 tháng.",
    ("discipline", "decision_date"): "Thời hạn lùi xét Huy hiệu Đảng tính từ ngày này.",
    ("recognition", "decision_date"): "Quyết định có thể ký sau ngày hết dự bị.",
}


class EventForm(forms.Form):
    """One event of a member's life; shows and reads only the fields its type needs (`EVENT_FIELDS`).

    The type comes from the posted data (or `kind=` for an empty form); the view re-renders the
    form when the type changes (htmx, or the «Chọn» button without JavaScript)."""

    kind = forms.ChoiceField(label="Sự kiện", choices=[(k, rules.EVENT_LABELS[k]) for k in EVENT_FORM_KINDS])
    date = forms.DateField(label="Ngày", widget=DATE)
    level = forms.ChoiceField(label="Hình thức kỷ luật", required=False, choices=[("", "— chọn —")] + [
        (k, v) for k, v in rules.DISCIPLINE_LABELS.items()])
    tier = forms.TypedChoiceField(label="Huy hiệu (năm tuổi Đảng)", required=False, coerce=int, empty_value=None,
                                  choices=[("", "— chọn —")] + [(t, f"{t} năm") for t in rules.BADGE_TIERS])
    to_org = ScopedOrgField(label="Tổ chức đảng nơi đến", queryset=Organization.objects.none(), required=False)
    place = forms.CharField(label="Nơi đến (ngoài hệ thống)", required=False)
    end_date = forms.DateField(label="Đến ngày", required=False, widget=DATE)
    study = forms.BooleanField(label="Đi học tập trong nước (được đến 24 tháng)", required=False)
    decision_number = forms.CharField(label="Số, ký hiệu quyết định", required=False, max_length=40)
    decision_date = forms.DateField(label="Ngày quyết định", required=False, widget=DATE)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, orgs=None, kinds=None, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["to_org"].queryset = orgs
        choices = [k for k in EVENT_FORM_KINDS if kinds is None or k in kinds]
        if kinds is not None:  # offer only what the transition table allows now
            self.fields["kind"].choices = [(k, rules.EVENT_LABELS[k]) for k in choices]
        wanted = (self.data.get("kind") if self.is_bound else None) or kind or self.initial.get("kind")
        self.event_kind = wanted if wanted in choices else (choices[0] if choices else None)
        if self.event_kind and not self.is_bound:
            self.initial["kind"] = self.event_kind
        keep = {"kind", "date", *EVENT_FIELDS.get(self.event_kind, ())}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["date"].label = DATE_LABELS.get(self.event_kind, "Ngày")
        for name in EVENT_REQUIRED.get(self.event_kind, ()):
            self.fields[name].widget.attrs["aria-required"] = "true"
        for (kind_, name), text in EVENT_HELP.items():
            if kind_ == self.event_kind and name in self.fields:
                self.fields[name].help_text = text
        vietnamese_errors(self)

    @property
    def required_names(self) -> set[str]:
        return {"kind", "date", *EVENT_REQUIRED.get(self.event_kind, ())}

    def live(self, url: str) -> EventForm:
        """Make the type's select ask the server (htmx) for the new type's fields when it changes."""
        self.fields["kind"].widget.attrs.update({
            "hx-post": url, "hx-trigger": "change", "hx-vals": '{"doi-loai": "1"}', "hx-target": "#event-fields",
            "hx-swap": "outerHTML"})
        return self

    def details(self) -> dict:
        c = getattr(self, "cleaned_data", {})
        d = {}
        if c.get("level"):
            d["level"] = c["level"]
        if c.get("tier"):
            d["tier"] = c["tier"]
        if c.get("study"):
            d["study"] = True
        return d

    def service_kwargs(self) -> dict:
        """The arguments of `services.member_event_record` from what was read (what could be)."""
        c = getattr(self, "cleaned_data", {})
        return {"kind": c.get("kind") or self.event_kind, "on": c.get("date"), "to_org": c.get("to_org"),
                "place": c.get("place") or "", "end_date": c.get("end_date"),
                "decision_number": c.get("decision_number") or "", "decision_date": c.get("decision_date"),
                "details": self.details(), "note": c.get("note") or ""}

    #: a service error on `details` belongs to this field of the form, by event type
    DETAIL_FIELD = {"discipline": "level", "badge": "tier", "temp_transfer_out": "study"}
