"""The statistics page's choices: the day, and optionally an earlier day to compare (the organisation
is in the address; the page links its parent and its subordinates, never a list of the whole tree,
which has 60 k entries at the nation's scale)."""

from django import forms

from dangbo.core.forms import DATE, vietnamese_errors


class ReportForm(forms.Form):
    ngay = forms.DateField(label="Tính đến ngày", widget=DATE, required=False)
    so_sanh = forms.DateField(label="So sánh với ngày", widget=DATE, required=False)

    def __init__(self, data):
        super().__init__(data)
        vietnamese_errors(self)

    def clean(self):
        c = super().clean()
        if c.get("ngay") and c.get("so_sanh") and c["so_sanh"] >= c["ngay"]:
            self.add_error("so_sanh", "Ngày so sánh phải trước ngày «Tính đến ngày».")
        return c
