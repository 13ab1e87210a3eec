"""HTML forms of the programme pages; Vietnamese messages naming each field (core.forms)."""

from datetime import date

from django import forms

from dangbo.core.forms import DATE, FileBox, ScopedOrgField, vietnamese_errors
from dangbo.orgs.models import Organization
from dangbo.programme import measures, rules
from dangbo.programme.models import (
    ActionItem,
    Commitment,
    CongressPlan,
    Figure,
    ModelEvaluation,
    ModelRecord,
    Programme,
    Target,
)


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def _char(model, name, *, required=True, textarea=False, **kw):
    f = model._meta.get_field(name)
    widget = forms.Textarea(attrs={"rows": 3}) if textarea else None
    return forms.CharField(label=str(f.verbose_name), required=required, max_length=f.max_length, widget=widget,
                           **kw)


def _number(label, *, required=False, help_text=""):
    """A number typed with a decimal comma or point (UI.md: decimal comma); the service reads it."""
    return forms.CharField(label=label, required=required, max_length=20, help_text=help_text,
                           widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


def _year(label="Năm", required=True):
    return forms.IntegerField(label=label, required=required, min_value=1945, max_value=2100,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class OrgSearch(forms.Widget):
    """The organisation of a form chosen by searching, not from a select of every organisation (a
    50,000-option select: issue 12). Renders the chosen one as a checked radio, a search box and the
    matches (`orgsearch.find_orgs`, at most 20) as radios of the same name: htmx fills the matches
    while typing; without JavaScript the «Tìm» button posts the form back unsaved with the matches.
    The field stays a `ScopedOrgField`, so a value outside the user's scope is refused as before."""

    template_name = "programme/_org_choice.html"
    SEARCH = "tim-to-chuc-chon"  # the search text (GET for htmx, POST without JavaScript)
    BUTTON = "tim-to-chuc-nut"  # the «Tìm» button: post back to search, not to save
    LIMIT = 20

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.queryset, self.url, self.query, self.found, self.more = None, "", "", [], False

    def search(self, orgs, query: str, url: str) -> None:
        from dangbo.programme.orgsearch import find_orgs

        self.queryset, self.url, self.query = orgs, url, (query or "").strip()[:100]
        found = find_orgs(orgs, self.query, self.LIMIT) if self.query else []
        self.found, self.more = found[:self.LIMIT], len(found) > self.LIMIT

    def get_context(self, name, value, attrs):
        ctx = super().get_context(name, value, attrs)
        chosen = None
        if self.queryset is not None and str(value or "").isdigit():
            chosen = self.queryset.filter(pk=int(value)).only("id", "name", "path").first()
        ctx["widget"].update(chosen=chosen, url=self.url, query=self.query, found=self.found, more=self.more,
                             search_name=self.SEARCH, button_name=self.BUTTON)
        return ctx


def org_choice(label: str) -> ScopedOrgField:
    return ScopedOrgField(label=label, queryset=Organization.objects.none(), widget=OrgSearch())


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)


class ProgrammeForm(_Form):
    organization = org_choice("Tổ chức đảng")
    term = _char(Programme, "term", initial="2025–2030", help_text="Ví dụ 2025–2030.")
    title = _char(Programme, "title")
    document_number = _char(Programme, "document_number", required=False)
    congress = forms.ModelChoiceField(label="Đại hội thông qua", required=False, queryset=None)

    def __init__(self, *args, orgs=None, congresses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs if orgs is not None else Organization.objects.none()
        self.fields["congress"].queryset = congresses
        self.fields["congress"].label_from_instance = lambda c: f"{c.name} ({c.start_date:%d/%m/%Y})"


class TaskForm(_Form):
    code = forms.CharField(label="Mã nhiệm vụ", max_length=20)
    title = forms.CharField(label="Nhiệm vụ trọng tâm", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ItemForm(_Form):
    task = forms.ModelChoiceField(label="Thuộc nhiệm vụ", queryset=None)
    year = _year()
    title = _char(ActionItem, "title", textarea=True)
    owner = _char(ActionItem, "owner")
    deadline = forms.DateField(label="Thời hạn", widget=DATE)

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = programme.tasks.all()
        self.fields["task"].label_from_instance = lambda t: f"{t.code}. {t.title}"
        self.fields["year"].initial = date.today().year


class TargetForm(_Form):
    code = _char(Target, "code")
    title = _char(Target, "title", textarea=True)
    category = forms.ChoiceField(label="Nhóm", choices=Target.CATEGORY_CHOICES)
    task = forms.ModelChoiceField(label="Thuộc nhiệm vụ", required=False, queryset=None)
    parent = forms.ModelChoiceField(label="Cụ thể hoá chỉ tiêu của cấp trên", required=False, queryset=None)
    unit = _char(Target, "unit", initial="%")
    baseline = _number("Số liệu đầu nhiệm kỳ")
    term_goal = _number("Mục tiêu cả nhiệm kỳ")
    source = forms.ChoiceField(label="Cách có số liệu", choices=Target.SOURCE_CHOICES, initial=Target.REPORTED)
    measure = forms.ChoiceField(label="Cách tính (chỉ tiêu tính từ dữ liệu)", required=False)
    rollup = forms.ChoiceField(label="Cách tổng hợp (chỉ tiêu do tổ chức báo cáo)", choices=Target.ROLLUP_CHOICES)
    org_goal = _number("Mức mỗi tổ chức phải đạt", help_text="Dùng khi tổng hợp theo tỷ lệ tổ chức đạt; để "
                       "trống là 100.")
    how_measured = _char(Target, "how_measured", required=False, textarea=True)
    reporter = _char(Target, "reporter", required=False)
    demo_data = forms.BooleanField(label="Chỉ tiêu mẫu (không phải chỉ tiêu đã công bố)", required=False)

    def __init__(self, *args, programme=None, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = programme.tasks.all()
        self.fields["task"].label_from_instance = lambda t: f"{t.code}. {t.title}"
        self.fields["parent"].queryset = parents if parents is not None else Target.objects.none()
        self.fields["parent"].label_from_instance = lambda t: f"{t.code}. {t.title}"
        self.fields["measure"].choices = [("", "—")] + [(m.code, m.label) for m in measures.MEASURES.values()]
        first, last = rules.term_years(programme.term)
        self.years = list(range(first, last + 1))
        for y in self.years:
            self.fields[f"goal_{y}"] = _number(f"Mục tiêu năm {y}")
        vietnamese_errors(self)

    def goals(self) -> dict[int, str]:
        return {y: self.cleaned_data.get(f"goal_{y}") or "" for y in self.years}

    def goal_fields(self):
        return [self[f"goal_{y}"] for y in self.years]

    def main_fields(self):
        return [self[n] for n in self.fields if not n.startswith("goal_")]


class FigureForm(_Form):
    organization = org_choice("Tổ chức báo cáo")
    year = _year()
    value = _number("Số liệu", required=True)
    evidence_number = _char(Figure, "evidence_number", required=False)
    evidence_file = forms.FileField(widget=FileBox(), label="Tệp minh chứng", required=False,
                                    help_text="PDF, Word, Excel hoặc ảnh, tối đa 10 MB. Cần tệp hoặc số văn bản.")
    note = _char(Figure, "note", required=False, textarea=True)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs if orgs is not None else Organization.objects.none()
        self.fields["year"].initial = date.today().year


class ModelRecordForm(_Form):
    organization = org_choice("Tổ chức đăng ký")
    kind = forms.ChoiceField(label="Loại mô hình", choices=ModelRecord.KIND_CHOICES)
    title = _char(ModelRecord, "title")
    field = forms.ChoiceField(label="Lĩnh vực (mô hình «Dân vận khéo»)", required=False,
                              choices=[("", "—")] + ModelRecord.FIELD_CHOICES)
    form = forms.ChoiceField(label="Hình thức", choices=ModelRecord.FORM_CHOICES)
    start_year = _year("Năm bắt đầu")
    end_year = _year("Năm kết thúc", required=False)
    description = _char(ModelRecord, "description", required=False, textarea=True)
    evidence = _char(ModelRecord, "evidence", required=False)
    recognised_year = _year("Năm được công nhận", required=False)
    recognised_by = _char(ModelRecord, "recognised_by", required=False)
    recognised_number = _char(ModelRecord, "recognised_number", required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs if orgs is not None else Organization.objects.none()
        self.fields["start_year"].initial = date.today().year


class EvaluationForm(_Form):
    year = _year()
    result = forms.ChoiceField(label="Kết quả đánh giá", choices=ModelEvaluation.RESULT_CHOICES)
    note = forms.CharField(label="Nhận xét", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = date.today().year


class CommitmentForm(_Form):
    """MOD-1: the year's commitment and, at the year's end, its result."""

    year = forms.TypedChoiceField(label="Năm", coerce=int)
    text = _char(Commitment, "text", textarea=True)
    result = _char(Commitment, "result", required=False, textarea=True,
                   help_text="Ghi khi tự đánh giá cuối năm.")

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class PlanForm(_Form):
    organization = org_choice("Tổ chức đảng")
    term = _char(CongressPlan, "term", initial="2025–2030")
    planned_date = forms.DateField(label="Ngày dự kiến", widget=DATE)
    held_date = forms.DateField(label="Ngày tổ chức", required=False, widget=DATE)
    status = forms.ChoiceField(label="Tình trạng", choices=CongressPlan.STATUS_CHOICES)
    documents = _char(CongressPlan, "documents", required=False, textarea=True)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs if orgs is not None else Organization.objects.none()
