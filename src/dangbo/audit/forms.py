"""The audit log's filters: action, who did it, whom or what it was about, organisation, date range.
A filter typed in the address bar may hold anything: characters no stored text holds (NUL breaks
PostgreSQL) are dropped, a bad date is said beside its box and that filter alone is left out."""

from django import forms

from dangbo.audit.labels import action_groups


def _printable(value: str, limit: int) -> str:
    return "".join(ch for ch in (value or "")[:limit] if ch.isprintable()).strip()


class OrgChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return ("— " * obj.depth) + obj.name + ("" if obj.is_active else " (đã giải thể)")


DATE = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "ngày/tháng/năm", "inputmode": "numeric",
                                                 "autocomplete": "off"})
DATE_ERRORS = {"invalid": "Ngày không hợp lệ: hãy gõ ngày/tháng/năm, ví dụ 05/03/2026."}


class AuditFilter(forms.Form):
    action = forms.CharField(label="Thao tác", required=False)
    actor = forms.CharField(label="Người thực hiện", required=False,
                            widget=forms.TextInput(attrs={"placeholder": "tên đăng nhập, ví dụ vanphong"}))
    about = forms.CharField(label="Về ai, về việc gì", required=False,
                            widget=forms.TextInput(attrs={"placeholder": "tên đảng viên, tổ chức, đại hội…"}))
    org = OrgChoice(label="Tổ chức đảng", queryset=None, required=False, empty_label="Toàn bộ phạm vi",
                    error_messages={"invalid_choice": "Tổ chức này không thuộc phạm vi của đồng chí."})
    since = forms.DateField(label="Từ ngày", required=False, widget=DATE, error_messages=DATE_ERRORS)
    until = forms.DateField(label="Đến ngày", required=False, widget=DATE, error_messages=DATE_ERRORS)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["action"].widget = forms.Select(choices=[("", "Mọi thao tác"), *action_groups()])

    def clean_action(self):
        return _printable(self.cleaned_data["action"], 60)

    def clean_actor(self):
        return _printable(self.cleaned_data["actor"], 150)

    def clean_about(self):
        return _printable(self.cleaned_data["about"], 255)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "«Đến ngày» phải từ «Từ ngày» trở đi.")
        return data
