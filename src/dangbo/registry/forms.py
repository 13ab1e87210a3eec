"""The review queue's decision form: which decision, on which pair (the pair is in the URL)."""

from django import forms

from dangbo.web.forms import vietnamese_errors


class DecisionForm(forms.Form):
    """Nothing to fill in: a decision is a button; the form carries the CSRF token and the status filter."""

    status = forms.ChoiceField(label="Danh sách", required=False,
                               choices=[("", "Tất cả"), ("open", "Chờ xem xét"), ("merged", "Đã hợp nhất"),
                                        ("kept_apart", "Giữ riêng")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)
