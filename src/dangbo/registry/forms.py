"""The registry pages' forms: the review queue's decision form and the web upload of rolls."""

from django import forms

from dangbo.core.forms import MultipleFileBox, ScopedOrgField, vietnamese_errors
from dangbo.registry.headers import FIELD_LABELS


class DecisionForm(forms.Form):
    """Nothing to fill in: a decision is a button; the form carries the CSRF token and the status filter."""

    status = forms.ChoiceField(label="Danh sách", required=False,
                               choices=[("", "Tất cả"), ("open", "Chờ xem xét"), ("merged", "Đã hợp nhất"),
                                        ("kept_apart", "Giữ riêng")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileBox(attrs={"accept": ".xlsx,.xls,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, (list, tuple)):
            return [one(d, initial) for d in data]
        return [one(data, initial)]


class UploadForm(forms.Form):
    """The web upload of member rolls: the receiving organisation, the files, an optional column map."""

    organization = ScopedOrgField(label="Tổ chức đảng nhận danh sách", queryset=None)
    files = MultipleFileField(label="Tệp danh sách (.xlsx, .xls, .csv — chọn được nhiều tệp)")
    mapping = forms.CharField(
        label="Chỉ định cột (không bắt buộc)", required=False, max_length=2000,
        help_text="Chỉ cần khi máy không nhận ra một cột. Viết «tiêu đề cột trong tệp=tên cột», cách nhau bằng "
                  "dấu phẩy; tiêu đề có thể là chữ cái của cột. Ví dụ «Đồng chí=Họ và tên, D=Số CCCD». Tên cột: "
                  + ", ".join(FIELD_LABELS.values()) + ".")

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs
        vietnamese_errors(self)

    def clean_mapping(self):
        from django.core.management import CommandError

        from dangbo.registry.management.commands.registry import parse_map

        text = self.cleaned_data.get("mapping") or ""
        try:
            return parse_map(text)
        except CommandError as exc:
            raise forms.ValidationError(f"Trường «Chỉ định cột»: {str(exc).removeprefix('--map: ')}") from None
