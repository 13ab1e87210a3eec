"""Form helpers every app's forms share: Vietnamese error messages naming the field, date inputs,
an organisation picker indented by depth."""

from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MESSAGES = {"required": "Trường «%(field)s» là bắt buộc.", "invalid": "Trường «%(field)s» không hợp lệ."}


def vietnamese_errors(form: forms.Form) -> None:
    """Give every field of `form` Vietnamese messages that name the field."""
    for name, field in form.fields.items():
        label = field.label or name
        field.error_messages = {
            **field.error_messages,
            "required": MESSAGES["required"] % {"field": label},
            "invalid": MESSAGES["invalid"] % {"field": label}
            + (" (ngày/tháng/năm)" if isinstance(field, forms.DateField) else ""),
            "invalid_choice": f"Trường «{label}»: lựa chọn không hợp lệ.",
        }


class ScopedOrgField(forms.ModelChoiceField):
    """An organisation choice (the view passes the scoped queryset), indented by tree depth."""

    def label_from_instance(self, obj):
        return ("— " * obj.depth) + obj.name
