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


class FileBox(forms.ClearableFileInput):
    """A file box that speaks Vietnamese: Chromium writes its own button («Choose File», «No file chosen»)
    in the browser's language whatever the page's, and no attribute changes it, so the template
    (web/widgets/filebox.html) lays «Chọn tệp…» under a transparent real input."""

    template_name = "web/widgets/filebox.html"


class MultipleFileBox(FileBox):
    allow_multiple_selected = True


class ScopedOrgField(forms.ModelChoiceField):
    """An organisation choice (the view passes the scoped queryset), indented by tree depth; nothing
    chosen reads «— Chọn tổ chức —», not Django's bare dashes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "— Chọn tổ chức —")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return ("— " * obj.depth) + obj.name


def count_field(label: str, *, minimum: int = 0, required: bool = True, **kw) -> forms.IntegerField:
    """A whole number of people or ballots (a numeric keypad on a phone), with a message naming the
    field when it is below `minimum` or not a number."""
    words = "số nguyên dương" if minimum == 1 else "số nguyên không âm"
    message = f"«{label}» phải là {words}."
    return forms.IntegerField(label=label, min_value=minimum, required=required,
                              error_messages={"min_value": message, "invalid": message},
                              widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": minimum}), **kw)


class CheckedForm(forms.Form):
    """A form whose every field has Vietnamese messages naming it (`vietnamese_errors`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._messages()

    def _messages(self) -> None:
        """Vietnamese messages naming each field; a form adding fields later calls it again."""
        vietnamese_errors(self)
        for field in self.fields.values():  # a number box says what it wants, not just «không hợp lệ»
            if "min_value" in field.error_messages and "«" in field.error_messages["min_value"]:
                field.error_messages["invalid"] = field.error_messages["min_value"]


class CountsForm(CheckedForm):
    """One optional count box per (key, label) category, e.g. the exclusions from a vote's base (CON-4,
    CON-7); `counts()` gives 0 for an empty box."""

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in categories:
            self.fields[key] = count_field(label, required=False)
        self._messages()

    def counts(self) -> dict[str, int]:
        return {k: v or 0 for k, v in self.cleaned_data.items()}
