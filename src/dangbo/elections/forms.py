"""HTML forms of the election pages: every field read and checked here (Vietnamese messages naming the
field, all at once); the services check the rules again for the other callers, and their refusals are
put beside the field they name (`dangbo.core.formerrors.add_errors`)."""

from django import forms

from dangbo.elections import rules
from dangbo.elections.models import AGREE_FORM, Body
from dangbo.web.forms import vietnamese_errors

#: CON-6 flags a teller can tick, in words
FLAG_LABELS = [(rules.FLAG_UNSTAMPED, "Không có dấu của Ban Kiểm phiếu"),
               (rules.FLAG_ADDED_NAME, "Ghi thêm tên ngoài danh sách"),
               (rules.FLAG_MARK, "Có dấu hiệu riêng / ghi thêm nội dung")]
#: CON-6 marks on an agree / disagree ballot, in words
MARK_LABELS = [(rules.AGREE, "Đồng ý"), (rules.DISAGREE, "Không đồng ý"), (rules.BOTH, "Cả hai ô"),
               (rules.NEITHER, "Không đánh dấu")]


def _count(label: str, *, minimum: int = 0, required: bool = True, **kw) -> forms.IntegerField:
    """A whole number of people or ballots, with a message naming the field when it is below `minimum`."""
    words = "số nguyên dương" if minimum == 1 else "số nguyên không âm"
    return forms.IntegerField(label=label, min_value=minimum, required=required,
                              error_messages={"min_value": f"«{label}» phải là {words}.",
                                              "invalid": f"«{label}» phải là {words}."},
                              widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": minimum}), **kw)


def lines(text: str) -> list[str]:
    """The list typed one name a line. Split on line breaks only (not `splitlines`, which also splits on
    control characters such as U+001E): such a character stays in its name and the service refuses it."""
    return [line for line in str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._messages()

    def _messages(self) -> None:
        """Vietnamese messages naming each field; a form adding fields later calls it again."""
        vietnamese_errors(self)
        for field in self.fields.values():  # a number box says what it wants, not just «không hợp lệ»
            if "min_value" in field.error_messages and "«" in field.error_messages["min_value"]:
                field.error_messages["invalid"] = field.error_messages["min_value"]


class ListForm(_Form):
    """The seats and the list of a round in preparation (one name a line, in ballot order)."""

    seats = _count("Số lượng cần bầu", minimum=1)
    candidates = forms.CharField(label="Danh sách bầu cử (mỗi dòng một người, theo thứ tự trên phiếu)",
                                 required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def names(self) -> list[str]:
        return lines(self.cleaned_data.get("candidates", ""))


class RoundForm(ListForm):
    """A new round: what is elected, the seats and the list."""

    body = forms.ChoiceField(label="Bầu", choices=Body.choices)
    field_order = ["body", "seats", "candidates"]


class BaseForm(_Form):
    """CON-7: how many of each category leave the base (one box per category of the congress's kind)."""

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in categories:
            self.fields[key] = _count(label, required=False)
        self._messages()

    def excluded(self) -> dict[str, int]:
        return {k: v or 0 for k, v in self.cleaned_data.items()}


class BoxForm(_Form):
    """The sealed box: ballots issued and returned (CON-9)."""

    issued = _count("Số phiếu phát ra")
    returned = _count("Số phiếu thu vào")


class ComplaintsForm(_Form):
    complaints = forms.CharField(label="Khiếu nại, kiến nghị", required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))


class ReadingForm(_Form):
    """What a teller (or the committee re-reading the paper) read on one ballot: on a striking ballot
    the numbers of the names kept, typed («1 3 4», «1.3.4») and/or ticked; on an agree / disagree
    ballot one mark per name; the CON-6 flags; whether the committee must rule on it."""

    kept_text = forms.CharField(label="Số thứ tự các tên giữ lại", required=False, max_length=400)
    kept = forms.MultipleChoiceField(label="Đánh dấu các tên giữ lại", required=False,
                                     widget=forms.CheckboxSelectMultiple)
    flags = forms.MultipleChoiceField(label="Ghi chú về phiếu", required=False, choices=FLAG_LABELS,
                                      widget=forms.CheckboxSelectMultiple)
    contested = forms.BooleanField(label="Phiếu cần Ban Kiểm phiếu xem xét", required=False)

    def __init__(self, *args, election, candidates, **kwargs):
        self.election, self.candidates = election, list(candidates)
        super().__init__(*args, **kwargs)
        self.fields["kept"].choices = [(str(c.no), f"{c.no}. {c.full_name}") for c in self.candidates]
        if election.form == AGREE_FORM:
            del self.fields["kept_text"], self.fields["kept"]
            for c in self.candidates:
                self.fields[f"mark_{c.no}"] = forms.ChoiceField(
                    label=f"{c.no}. {c.full_name}", choices=MARK_LABELS, initial=rules.NEITHER, required=False,
                    widget=forms.RadioSelect)
        self._messages()

    def clean_kept_text(self) -> list[int]:
        out = []
        text = self.cleaned_data.get("kept_text", "")
        for part in str(text or "").replace(",", " ").replace(";", " ").replace(".", " ").split():
            if not (part.isascii() and part.isdigit()):
                raise forms.ValidationError(f"«{part}» không phải số thứ tự của một tên trong danh sách.")
            out.append(int(part))
        return out

    def reading(self) -> dict:
        """The reading for `services.ballot_enter` / `ballot_resolve`."""
        c = self.cleaned_data
        if self.election.form == AGREE_FORM:
            marks = {str(cand.no): c.get(f"mark_{cand.no}") or rules.NEITHER for cand in self.candidates}
            kept = []
        else:
            marks = None
            kept = sorted(set(c.get("kept_text") or []) | {int(n) for n in c.get("kept") or []})
        return {"kept": kept, "marks": marks, "flags": list(c.get("flags") or []),
                "contested": bool(c.get("contested"))}

    def mark_fields(self):
        return [self[f"mark_{c.no}"] for c in self.candidates if f"mark_{c.no}" in self.fields]


class EntryForm(ReadingForm):
    """A teller's desk: the ballot number and the reading."""

    ballot_no = _count("Số phiếu", minimum=1)
    field_order = ["ballot_no"]


class ResolveForm(ReadingForm):
    """The committee re-reads a mismatched ballot (CON-9): the reading and why."""

    ballot = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Lý do", max_length=2000)


class RuleForm(_Form):
    """The committee's ruling on a contested ballot (CON-6): valid or invalid, the ground, why."""

    ballot = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label="Kết luận", choices=[("valid", "Hợp lệ"), ("invalid", "Không hợp lệ")],
                                widget=forms.RadioSelect)
    invalid_flag = forms.ChoiceField(label="Căn cứ (khi không hợp lệ)", required=False,
                                     choices=[("", "—")] + FLAG_LABELS)
    reason = forms.CharField(label="Lý do", max_length=2000)

    def _messages(self) -> None:
        super()._messages()
        self.fields["verdict"].error_messages["required"] = "Chọn «Hợp lệ» hoặc «Không hợp lệ»."
