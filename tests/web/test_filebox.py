"""No file box shows the browser's English («Choose File», «No file chosen»): every file field of every
form is a core.forms.FileBox, and every file input written by hand in a template sits in the same
`.filebox` frame. Issue 10: no English in the UI."""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from django import forms

import dangbo
from dangbo.core.forms import FileBox

SRC = Path(dangbo.__file__).parent


def _form_classes():
    for info in pkgutil.walk_packages(dangbo.__path__, "dangbo."):
        if info.name.endswith(".forms") or ".forms." in info.name:
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_file_field_is_a_vietnamese_file_box():
    seen = 0
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.FileField):
                seen += 1
                assert isinstance(field.widget, FileBox), f"{cls.__module__}.{cls.__name__}.{name}"
    assert seen >= 5  # registry upload, bulletin, evidence, transfer file, document


def test_a_file_box_renders_the_vietnamese_button_over_the_real_input():
    html = forms.FileField(widget=FileBox(), label="Tệp").widget.render("tep", None, attrs={"id": "id_tep"})
    assert re.search(r'<span class="filebox"><input type="file" name="tep"[^>]*id="id_tep"', html)
    assert "Chọn tệp…" in html and 'class="filebox-names"' in html


def test_hand_written_file_inputs_sit_in_a_file_box():
    for path in SRC.rglob("templates/**/*.html"):
        text = path.read_text()
        for match in re.finditer(r'<input type="file"', text):
            before = text[max(0, match.start() - 40):match.start()]
            assert 'class="filebox">' in before or "widget" in path.name, f"{path}: a bare file input"
