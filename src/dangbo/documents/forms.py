"""HTML forms of the documents register; messages in Vietnamese, each beside its field. The services
check everything again (and the texts through `core.textcheck`)."""

from django import forms

from dangbo.core.forms import DATE, FileBox, ScopedOrgField, vietnamese_errors
from dangbo.documents.models import Document
from dangbo.orgs.forms import ScopedOrgsField
from dangbo.orgs.models import Organization
from dangbo.orgs.rules import DOC_TYPE_LABELS


def _label(name: str) -> str:
    return str(Document._meta.get_field(name).verbose_name)


def _text(name: str, *, required: bool = False, rows: int = 0, help_text: str = "",
          label: str = "") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label or _label(name), required=required, widget=widget, help_text=help_text,
                           strip=False)


class _Form(forms.Form):
    holder = ScopedOrgField(label="Sổ văn bản của", queryset=Organization.objects.none())
    file = forms.FileField(widget=FileBox(), label="Tệp đính kèm", required=False,
                           help_text="PDF, Word, Excel hoặc ảnh; tối đa 20 MB.")

    recipient_orgs = ScopedOrgsField(label="Nơi nhận trong hệ thống", required=False,
                                     queryset=Organization.objects.none(),
                                     widget=forms.CheckboxSelectMultiple(attrs={"class": "pick"}),
                                     help_text="Đánh dấu các tổ chức nhận văn bản.")

    def __init__(self, *args, holders=None, **kwargs):
        super().__init__(*args, **kwargs)
        if holders is not None:
            self.fields["holder"].queryset = holders
            self.fields["recipient_orgs"].queryset = holders.order_by("path")
            if not self.is_bound and holders.exists():
                self.fields["holder"].initial = holders.order_by("path").first().pk
        vietnamese_errors(self)


class IncomingForm(_Form):
    number_symbol = forms.CharField(label="Số, ký hiệu", help_text="Ví dụ: 10-QĐ/TU", strip=False)
    date = forms.DateField(label="Ngày văn bản", widget=DATE)
    received_on = forms.DateField(label="Ngày đến", required=False, widget=DATE, help_text="Để trống: hôm nay.")
    sender = _text("sender", help_text="Ví dụ: Tỉnh ủy, Ban Tổ chức Tỉnh ủy")
    subject = _text("subject", required=True, rows=3)
    signer = _text("signer")
    recipients = _text("recipients", rows=2, label="Nơi nhận khác", help_text="Những nơi khác văn bản gửi đến hoặc được chuyển cho; "
                                                        "mỗi dòng một nơi.")
    field_order = ["holder", "number_symbol", "date", "received_on", "sender", "subject", "signer",
                   "recipient_orgs", "recipients", "file"]


TYPE_CHOICES = [(t, f"{t} — {label}") for t, label in DOC_TYPE_LABELS.items()]


class OutgoingForm(_Form):
    doc_type = forms.ChoiceField(label="Loại văn bản", choices=TYPE_CHOICES)
    issuer = forms.CharField(label="Ký hiệu cơ quan ban hành", required=False, max_length=40, strip=False,
                             help_text="Để trống: ĐU với đảng bộ, CB với chi bộ.")
    date = forms.DateField(label="Ngày văn bản", required=False, widget=DATE, help_text="Để trống: hôm nay.")
    subject = _text("subject", required=True, rows=3)
    signer = _text("signer")
    recipients = _text("recipients", rows=2, label="Nơi nhận khác", help_text="Những nơi khác (ngoài hệ thống); mỗi dòng một nơi.")
    field_order = ["holder", "doc_type", "issuer", "date", "subject", "signer", "recipient_orgs", "recipients",
                   "file"]


class SearchForm(forms.Form):
    q = forms.CharField(label="Tìm văn bản", required=False, max_length=200)
    chieu = forms.ChoiceField(label="Sổ", required=False,
                              choices=[("", "Cả văn bản đến và đi"), ("incoming", "Văn bản đến"),
                                       ("outgoing", "Văn bản đi")])
