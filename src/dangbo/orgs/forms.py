"""HTML forms for the organisation tree (ORG-1..3); messages in Vietnamese, each naming its field.

The forms parse (and mark the decision fields required when the ORG-3 setting
`events_requiring_document` requires them); the services check the tree rules and, called with
`require_decision=True`, again that the decision is cited.
"""

from django import forms

from dangbo.orgs import rules
from dangbo.orgs.models import Organization
from dangbo.orgs.services import rule_settings
from dangbo.web.forms import DATE, ScopedOrgField, vietnamese_errors

KIND_CHOICES = [(k, rules.KIND_LABELS[k]) for k in rules.KINDS]
#: The events recorded on an organisation's own page (merge and split have their own forms / the API).
PAGE_EVENTS = ("rename", "move", "dissolve")
CHECKBOX = {"style": "display: inline; width: auto; margin-right: .4rem"}


class ScopedOrgsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return ("— " * obj.depth) + obj.name


def _decision_fields():
    return {
        "decision_number": forms.CharField(label="Số, ký hiệu quyết định", max_length=40, required=False,
                                           widget=forms.TextInput(attrs={"placeholder": "ví dụ: 10-QĐ/TU"})),
        "decision_date": forms.DateField(label="Ngày quyết định", required=False, widget=DATE),
    }


class _OrgForm(forms.Form):
    #: the events this form records; the decision fields are required when ORG-3 requires them all
    events: tuple[str, ...] = ()

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        required = bool(self.events) and all(
            rules.requires_document(k, settings=rule_settings()) for k in self.events)
        for name, field in _decision_fields().items():
            field.required = required
            self.fields.setdefault(name, field)
        self.fields.setdefault("note", forms.CharField(label="Ghi chú", required=False,
                                                       widget=forms.Textarea(attrs={"rows": 2})))
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and orgs is not None:
                field.queryset = orgs
        vietnamese_errors(self)


class OrgFoundForm(_OrgForm):
    """Thành lập tổ chức đảng."""

    events = ("found",)

    parent = ScopedOrgField(label="Trực thuộc", queryset=Organization.objects.none())
    kind = forms.ChoiceField(label="Loại tổ chức", choices=KIND_CHOICES)
    code = forms.CharField(label="Mã tổ chức", max_length=40)
    name = forms.CharField(label="Tên tổ chức", max_length=255)
    date = forms.DateField(label="Ngày thành lập", widget=DATE)


class OrgMergeForm(_OrgForm):
    """Hợp nhất tổ chức đảng: several sources into a new organisation."""

    events = ("merge",)

    sources = ScopedOrgsField(label="Các tổ chức hợp nhất", queryset=Organization.objects.none(),
                              widget=forms.CheckboxSelectMultiple(attrs=CHECKBOX))
    parent = ScopedOrgField(label="Tổ chức mới trực thuộc", queryset=Organization.objects.none())
    kind = forms.ChoiceField(label="Loại tổ chức mới", choices=KIND_CHOICES)
    code = forms.CharField(label="Mã tổ chức mới", max_length=40)
    name = forms.CharField(label="Tên tổ chức mới", max_length=255)
    date = forms.DateField(label="Ngày hợp nhất", widget=DATE)

    def clean_sources(self):
        sources = self.cleaned_data["sources"]
        if len(sources) < 2:
            raise forms.ValidationError("Trường «Các tổ chức hợp nhất»: chọn ít nhất hai tổ chức.")
        return sources


class OrgEventForm(_OrgForm):
    """Ghi sự kiện tổ chức: đổi tên, điều chỉnh trực thuộc, giải thể."""

    events = PAGE_EVENTS

    kind = forms.ChoiceField(label="Sự kiện", choices=[(k, rules.EVENT_LABELS[k]) for k in PAGE_EVENTS])
    date = forms.DateField(label="Ngày hiệu lực", widget=DATE)
    name = forms.CharField(label="Tên mới (khi đổi tên)", max_length=255, required=False)
    parent = ScopedOrgField(label="Trực thuộc tổ chức (khi điều chỉnh trực thuộc)",
                            queryset=Organization.objects.none(), required=False)

    def clean(self):
        c = super().clean()
        if c.get("kind") == "rename" and not (c.get("name") or "").strip():
            self.add_error("name", "Trường «Tên mới»: nhập tên mới của tổ chức.")
        if c.get("kind") == "move" and not c.get("parent"):
            self.add_error("parent", "Trường «Trực thuộc tổ chức»: chọn tổ chức cấp trên mới.")
        return c
