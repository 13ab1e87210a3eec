"""HTML forms of the party fees; messages in Vietnamese, each naming its field. Months are typed as
the office writes them, «03/2026» («3/2026» and «2026-03» also read)."""

import re

from django import forms

from dangbo.core.forms import DayInput, vietnamese_errors
from dangbo.fees import rules
from dangbo.fees.models import CATEGORY_CHOICES, METHOD_CHOICES, RELIEF_CHOICES

_MONTH = re.compile(r"\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*")
_MONEY = re.compile(r"\d{1,3}(\.\d{3})+|\d+")


def parse_month(text: str) -> int | None:
    """«03/2026», «3/2026», «2026-03» → month index; None when unreadable."""
    text = (text or "").strip()
    m = _MONTH.fullmatch(text)
    try:
        y, mo = (int(m.group(2)), int(m.group(1))) if m else rules.parse_month(text)
        if not (1930 <= y <= 2200 and 1 <= mo <= 12):
            return None
    except ValueError:
        return None
    return rules.month_index(y, mo)


def parse_money(text: str) -> int | None:
    """«80.000», «80000», «80 000 đ» → 80000; None when unreadable."""
    t = (text or "").replace("đ", "").replace(" ", "").replace("\u00a0", "").strip()
    return int(t.replace(".", "")) if _MONEY.fullmatch(t) else None


class MonthField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "mm/yyyy",
                                                           "size": 8}))
        super().__init__(max_length=10, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        index = parse_month(value)
        if index is None:
            raise forms.ValidationError(f"«{value}» không phải tháng hợp lệ; ghi dạng tháng/năm, ví dụ 03/2026.")
        return index


class MoneyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "size": 12}))
        super().__init__(max_length=20, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        amount = parse_money(value)
        if amount is None:
            raise forms.ValidationError(f"«{value}» không phải số đồng (ví dụ 5.000.000).")
        return amount


class DeclarationForm(forms.Form):
    category = forms.ChoiceField(label="Đối tượng", choices=CATEGORY_CHOICES)
    base = MoneyField(label="Căn cứ đóng (đồng/tháng)", required=False,
                      help_text="Tiền lương đóng bảo hiểm xã hội tháng trước, trợ cấp hoặc lương hưu. "
                                "Để trống với học sinh, sinh viên và đối tượng khác.")
    from_month = MonthField(label="Áp dụng từ tháng")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)

    def clean(self):
        c = super().clean()
        if c.get("category") in rules.BASED and c.get("base") is None and "base" not in self.errors:
            self.add_error("base", "Ghi số tiền làm căn cứ đóng đảng phí.")
        return c


class ReliefForm(forms.Form):
    kind = forms.ChoiceField(label="Miễn hoặc giảm", choices=RELIEF_CHOICES)
    pct = forms.TypedChoiceField(label="Mức giảm", coerce=int, required=False, empty_value=0,
                                 choices=[("", "—"), (30, "30 %"), (50, "50 %"), (70, "70 %")])
    start_month = MonthField(label="Từ tháng")
    end_month = MonthField(label="Đến tháng", help_text="Không quá 12 tháng mỗi quyết định.")
    decision = forms.CharField(label="Quyết định (số, ký hiệu, ngày)", max_length=120,
                               widget=forms.TextInput(attrs={"placeholder": "05-QĐ/ĐU ngày 10/02/2026"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)


class RemittanceForm(forms.Form):
    """A transfer of fees up the tree; the service checks the values (`services.remittance_record`)."""

    period = MonthField(label="Đảng phí tháng")
    amount = MoneyField(label="Số tiền đã nộp lên (đồng)")
    transferred_on = forms.DateField(label="Ngày nộp", widget=DayInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    reference = forms.CharField(label="Số chứng từ", max_length=120,
                                widget=forms.TextInput(attrs={"placeholder": "Mã chuyển khoản hoặc số phiếu thu"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)


METHODS = METHOD_CHOICES
