"""HTML forms of the open-vote pages: every field read and checked here (Vietnamese messages naming the
field, all at once); the services check the rules again for the other callers, and their refusals are
put beside the field they name (`dangbo.core.formerrors.add_errors`)."""

from django import forms

from dangbo.votes import rules
from dangbo.votes.models import Mode, OpenVote
from dangbo.web.forms import vietnamese_errors


def _count(label: str, *, required: bool = True) -> forms.IntegerField:
    """A whole number of delegates (0 or more), with a message naming the field."""
    message = f"«{label}» phải là số nguyên không âm."
    return forms.IntegerField(label=label, min_value=0, required=required,
                              error_messages={"min_value": message, "invalid": message},
                              widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}))


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._messages()

    def _messages(self) -> None:
        vietnamese_errors(self)
        for field in self.fields.values():  # a number box says what it wants
            if "min_value" in field.error_messages and "«" in field.error_messages["min_value"]:
                field.error_messages["invalid"] = field.error_messages["min_value"]


class VoteForm(_Form):
    """A motion put to the congress (draft): what, which kind (CON-4), hands or phones."""

    subject = forms.CharField(label="Nội dung biểu quyết", max_length=255)
    kind = forms.ChoiceField(label="Loại", choices=OpenVote.KIND_CHOICES + list(rules.SECRET_KINDS.items()),
                             initial="agenda")
    mode = forms.ChoiceField(label="Hình thức", choices=Mode.choices, initial=Mode.HANDS)


class ExclusionsForm(_Form):
    """A resolution's exclusions from its base, one box per category (CON-4, 24-QĐ/TW 9.3)."""

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in categories:
            self.fields[key] = _count(label, required=False)
        self._messages()

    def excluded(self) -> dict[str, int]:
        return {k: v or 0 for k, v in self.cleaned_data.items()}


class HandsForm(_Form):
    """The counts of a show of hands, entered by the secretariat."""

    votes_for = _count("Tán thành")
    votes_against = _count("Không tán thành")
    votes_abstain = _count("Không biểu quyết")


class CastForm(_Form):
    """A delegate's press on the phone: the choice and the form's one-time token."""

    choice = forms.ChoiceField(label="Lựa chọn", choices=list(rules.CHOICE_LABELS.items()))
    token = forms.CharField(max_length=64)

    def _messages(self) -> None:
        super()._messages()
        self.fields["choice"].error_messages["required"] = self.fields["choice"].error_messages["invalid_choice"] = (
            "Chọn «Tán thành», «Không tán thành» hoặc «Không biểu quyết».")
        self.fields["token"].error_messages["required"] = self.fields["token"].error_messages["max_length"] = (
            "Phiếu biểu quyết không hợp lệ: tải lại trang và bấm lại.")
