"""Form helpers every app's forms share: Vietnamese error messages naming the field, the date input
(dd/mm/yyyy typed by hand), an organisation picker indented by depth."""

import re

from django import forms

#: What a date box accepts besides dd/mm/yyyy (normalised to it before Django parses the value with
#: settings.DATE_INPUT_FORMATS): d/m/yyyy with "." or "-" between, or the eight digits alone
#: ("05032026"), since a phone's numeric keypad often has no "/".
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_EIGHT_DIGITS = re.compile(r"(\d{2})(\d{2})(\d{4})")
DATE_PATTERN = r"\s*(\d{1,2}\s*[\/.\-]\s*\d{1,2}\s*[\/.\-]\s*\d{4}|\d{8}|\d{4}-\d{2}-\d{2})\s*"


def normalise_day(value):
    """"5.3.2026", "05-03-2026", "05032026" → "05/03/2026"; anything else is returned unchanged (an
    ISO "2026-03-05" too, which DATE_INPUT_FORMATS also reads; a wrong value gets the field's error)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    m = _DAY_MONTH_YEAR.fullmatch(text) or _EIGHT_DIGITS.fullmatch(text)
    if m:
        return f"{int(m[1]):02d}/{int(m[2]):02d}/{m[3]}"
    return text


class DayInput(forms.DateInput):
    """A date typed as dd/mm/yyyy in a plain text box.

    Not `<input type="date">`: Chromium shows that one in the browser's locale (mm/dd/yyyy on an
    English system), so a clerk reads 05/03 as the 3rd of May. The box shows and reads dd/mm/yyyy
    everywhere; the numeric keypad comes up on a phone."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {"placeholder": "ngày/tháng/năm", "inputmode": "numeric", "autocomplete": "off",
                "pattern": DATE_PATTERN, "maxlength": "14",
                "title": "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/03/2026."}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")

    def value_from_datadict(self, data, files, name):
        return normalise_day(super().value_from_datadict(data, files, name))


DATE = DayInput()
MESSAGES = {"required": "Trường «%(field)s» là bắt buộc.", "invalid": "Trường «%(field)s» không hợp lệ."}


def vietnamese_errors(form: forms.Form) -> None:
    """Give every field of `form` Vietnamese messages that name the field."""
    for name, field in form.fields.items():
        label = field.label or name
        field.error_messages = {
            **field.error_messages,
            "required": MESSAGES["required"] % {"field": label},
            "invalid": MESSAGES["invalid"] % {"field": label}
            + (" (ngày/tháng/năm, ví dụ 05/03/2026)" if isinstance(field, forms.DateField) else ""),
            "invalid_choice": f"Trường «{label}»: lựa chọn không hợp lệ.",
        }


class ScopedOrgField(forms.ModelChoiceField):
    """An organisation choice (the view passes the scoped queryset), indented by tree depth."""

    def label_from_instance(self, obj):
        return ("— " * obj.depth) + obj.name
