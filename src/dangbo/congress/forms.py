"""HTML forms of the congress pages; messages in Vietnamese, each naming its field."""

from django import forms

from dangbo.web.forms import vietnamese_errors


class CheckInForm(forms.Form):
    """Check-in by the number on the delegate's card (typed, or scanned: a scanner types the code and
    Enter), or by the delegate picked from the name search (`delegate`)."""

    number = forms.CharField(label="Số thẻ đại biểu", required=False, max_length=40,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                           "autofocus": True}))
    delegate = forms.IntegerField(label="Đại biểu", required=False, widget=forms.HiddenInput)
    q = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)

    def clean(self):
        data = super().clean()
        if not data.get("number", "").strip() and not data.get("delegate"):
            self.add_error("number", "Nhập «Số thẻ đại biểu» hoặc chọn đại biểu trong danh sách tìm kiếm.")
        return data
