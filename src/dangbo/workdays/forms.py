"""Forms of the holiday calendar page; messages in Vietnamese, each naming its field."""

from datetime import date

from django import forms

from dangbo.core.forms import DATE, vietnamese_errors
from dangbo.workdays.models import CalendarDay
from dangbo.workdays.rules import KIND_LABELS


class YearForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=1900, max_value=2200, initial=date.today().year)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)


class DayForm(forms.Form):
    day = forms.DateField(label="Ngày", widget=DATE)
    kind = forms.ChoiceField(label="Loại ngày", choices=list(KIND_LABELS.items()))
    name = forms.CharField(label=CalendarDay._meta.get_field("name").verbose_name, required=True,
                           max_length=CalendarDay._meta.get_field("name").max_length,
                           help_text="Ví dụ: Nghỉ bù Quốc khánh theo Thông báo của Bộ Nội vụ.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)
        self.fields["name"].error_messages["max_length"] = (
            f"Trường «{self.fields['name'].label}» dài quá {self.fields['name'].max_length} ký tự.")
