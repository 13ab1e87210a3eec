"""The statistics page's choices: organisation, the day, and optionally an earlier day to compare."""

from django import forms

from dangbo.core.forms import DATE, ScopedOrgField, vietnamese_errors


class ReportForm(forms.Form):
    org = ScopedOrgField(label="Tổ chức đảng", queryset=None, required=False, empty_label=None)
    ngay = forms.DateField(label="Tính đến ngày", widget=DATE, required=False)
    so_sanh = forms.DateField(label="So sánh với ngày", widget=DATE, required=False)

    def __init__(self, data, *, orgs):
        super().__init__(data)
        self.fields["org"].queryset = orgs
        vietnamese_errors(self)

    def clean(self):
        c = super().clean()
        if c.get("ngay") and c.get("so_sanh") and c["so_sanh"] >= c["ngay"]:
            self.add_error("so_sanh", "Ngày so sánh phải trước ngày «Tính đến ngày».")
        return c
