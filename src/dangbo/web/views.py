"""The rule-settings page: every med/low rule's value, its source and how sure we are of it, in words
(`web/rule_labels.py`), grouped by area."""

from dataclasses import fields

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangbo.appraisal import rules as appraisal_rules
from dangbo.congress import rules as congress_rules
from dangbo.core.rulesettings import configured
from dangbo.documents import rules as document_rules
from dangbo.fees import rules as fee_rules
from dangbo.meetings import rules as meeting_rules
from dangbo.members import rules as member_rules
from dangbo.orgs import rules as org_rules
from dangbo.procedures import rules as procedure_rules
from dangbo.programme import rules as programme_rules
from dangbo.votes import rules as vote_rules
from dangbo.web.rule_labels import CONFIDENCE, LABELS, source_text, value_text

#: every rule module with settings: (area, module, its settings class)
RULE_SETS = (
    ("Đảng viên", member_rules, member_rules.MemberRuleSettings),
    ("Tổ chức đảng và văn bản", org_rules, org_rules.OrgRuleSettings),
    ("Đại hội và bầu cử", congress_rules, congress_rules.CongressRuleSettings),
    ("Đánh giá, xếp loại chất lượng", appraisal_rules, appraisal_rules.AppraisalRuleSettings),
    ("Biểu quyết tại đại hội", vote_rules, vote_rules.VoteRuleSettings),
    ("Sổ văn bản", document_rules, document_rules.DocumentRuleSettings),
    ("Kết nạp đảng viên", procedure_rules, procedure_rules.AdmissionRuleSettings),
    ("Sinh hoạt chi bộ", meeting_rules, meeting_rules.MeetingRuleSettings),
    ("Chương trình toàn khoá", programme_rules, programme_rules.ProgrammeRuleSettings),
    ("Đảng phí", fee_rules, fee_rules.FeeRuleSettings),
)


def _values(obj) -> dict:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _rows(values: dict, info: dict) -> list[dict]:
    return [{"name": name, "label": LABELS.get(name, "Tham số khác"), "value": value_text(name, values[name]),
             "rule": rule, "source": source_text(name, source), "confidence": confidence, "confidence_label": CONFIDENCE[confidence]}
            for name, (rule, source, confidence) in info.items()]


@login_required
def rule_settings(request):
    areas = [{"title": title, "rows": _rows(_values(configured(settings_class)), module.SETTING_INFO)}
             for title, module, settings_class in RULE_SETS]
    return render(request, "web/settings.html", {"areas": areas})
