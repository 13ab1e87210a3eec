"""`dangbo programme status` and `dangbo models list`: the command-line contracts of issue 12."""

import json
import os
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dangbo.orgs.services import org_dissolve, org_merge
from tests.programme.conftest import model, report


def run(*args) -> tuple[object, str]:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue()), out.getvalue()


def status(org="ROOT", year="2026"):
    return run("programme", "status", "--org", org, "--year", year, "--json")[0]


def target(data, code):
    return next(t for t in data["targets"] if t["code"] == code)


def test_status_shape_exactly_as_the_issue_writes_it(prog):
    data = status()
    assert list(data) == ["org", "term", "year", "targets", "tasks"]
    assert data["org"] == "ROOT" and data["term"] == "2025–2030" and data["year"] == 2026
    t = target(data, "CT2")
    assert list(t) == ["code", "title", "unit", "goal", "actual", "met", "source", "organizations"]
    assert t["source"] == "computed" and t["unit"] == "%" and t["goal"] == 100.0
    assert t["organizations"] == {"counted": 2, "meeting": 0} and t["actual"] == 0.0 and t["met"] is False
    # counted over members: no «organizations»
    d = target(data, "CDS1")
    assert "organizations" not in d and d["source"] == "computed"
    # reported without any figure: counted over organisations, none meeting
    assert target(data, "CT1") | {} == target(data, "CT1")
    assert target(data, "CT1")["source"] == "reported"
    assert target(data, "CT1")["organizations"] == {"counted": 2, "meeting": 0}
    # reported mean without figures: no actual, no verdict
    assert target(data, "CDS2")["actual"] is None and target(data, "CDS2")["met"] is None
    assert data["tasks"] == [{"code": "NV1", "title": "Xây dựng Đảng trong sạch", "items": 2, "done": 1}]


def test_year_goal_wins_over_the_term_goal(prog):
    assert target(status(year="2025"), "CT2a")["goal"] == 80.0
    assert target(status(year="2026"), "CT2a")["goal"] == 90.0
    assert target(status(year="2027"), "CT2a")["goal"] == 100.0


def test_models_target_actual_equals_what_models_list_implies(prog):
    w = prog
    model(w, w.a1, "hcm_study", 2024)                                   # a cell's model counts for A
    model(w, w.a, "dan_van_kheo", 2025, field="economy")
    model(w, w.b, "hcm_study", 2020, end=2025)                          # ended before 2026
    model(w, w.x1, "hcm_study", 2025)                                   # another tree
    for year, hcm, both in (("2025", 100.0, 50.0), ("2026", 50.0, 50.0)):
        data = status(year=year)
        listed, _ = run("models", "list", "--org", "ROOT", "--year", year, "--json")
        orgs_with = {kind: {r["org"] for r in listed if r["kind"] == kind} for kind in ("hcm_study", "dan_van_kheo")}
        # the counted organisations are A and B; a listed model of A1 belongs to A
        holder = {"A1": "A", "A2": "A", "A": "A", "B": "B"}
        implied = {k: {holder[o] for o in v} for k, v in orgs_with.items()}
        assert target(data, "CT2a")["actual"] == 100.0 * len(implied["hcm_study"]) / 2 == hcm
        assert target(data, "CT2")["actual"] == 100.0 * len(implied["hcm_study"] & implied["dan_van_kheo"]) / 2 == both


def test_models_list_shape_filters_and_status(prog):
    w = prog
    m1 = model(w, w.a, "dan_van_kheo", 2025, field="culture_society", recognised_year=2026,
               recognised_by="Ban Dân vận Đảng ủy")
    model(w, w.x1, "hcm_study", 2025)
    rows, _ = run("models", "list", "--org", "A", "--json")
    assert rows == [{"id": m1.id, "org": "A", "kind": "dan_van_kheo", "title": m1.title, "field": "culture_society",
                     "start_year": 2025, "status": "recognised"}]
    assert run("models", "list", "--org", "A", "--year", "2025", "--json")[0][0]["status"] == "registered"
    assert run("models", "list", "--org", "A", "--year", "2024", "--json")[0] == []
    everything, _ = run("models", "list", "--json")
    assert {r["org"] for r in everything} == {"A", "X1"}


def test_dissolved_ignored_and_merged_counted_once(prog):
    w = prog
    from dangbo.orgs.services import org_found

    c = org_found(actor=None, code="C", name="Chi bộ cơ sở C", kind="grassroots_cell", parent=w.root,
                  on=date(2025, 7, 1))
    d = org_found(actor=None, code="D", name="Chi bộ cơ sở D", kind="grassroots_cell", parent=w.root,
                  on=date(2025, 7, 1))
    model(w, c, "hcm_study", 2025)
    model(w, d, "hcm_study", 2025)
    assert target(status(year="2025"), "CT2a")["organizations"] == {"counted": 4, "meeting": 2}
    org_dissolve(actor=None, org=c, on=date(2026, 3, 1), decision_number="12-QĐ/ĐU",
                 decision_date=date(2026, 2, 20))
    new = org_merge(actor=None, sources=[d, w.b], code="BD", name="Chi bộ cơ sở B-D", kind="grassroots_cell",
                    parent=w.root, on=date(2026, 4, 1), decision_number="13-QĐ/ĐU", decision_date=date(2026, 3, 20))
    t = target(status(year="2026"), "CT2a")
    # A (no model) and the merged B-D (D's model, counted once); C dissolved, B and D merged away
    assert t["organizations"] == {"counted": 2, "meeting": 1}
    assert new.valid_to is None
    # 2025 is unchanged: the tree as it stood at the end of that year
    assert target(status(year="2025"), "CT2a")["organizations"] == {"counted": 4, "meeting": 2}


def test_status_of_a_subordinate_uses_the_committees_programme_over_its_subtree(prog):
    w = prog
    model(w, w.a2, "hcm_study", 2025)
    data = status(org="A")
    assert data["org"] == "A" and target(data, "CT2a")["organizations"] == {"counted": 1, "meeting": 1}
    report(w, w.t_plan, w.b, 2026, "100")
    report(w, w.t_plan, w.a, 2026, "95")
    assert target(status(), "CT1")["organizations"] == {"counted": 2, "meeting": 1}
    assert target(status(), "CT1")["actual"] == 50.0
    assert target(status(org="B"), "CT1")["actual"] == 100.0 and target(status(org="B"), "CT1")["met"] is True


def test_grade_and_id_measures(prog):
    w = prog
    from dangbo.appraisal.models import DECIDED, OrgReview
    from dangbo.appraisal.services import campaign_open

    campaign_open(actor=None, organization=w.root, year=2026)
    OrgReview.objects.filter(organization=w.a).update(status=DECIDED, decided_grade="good")
    OrgReview.objects.filter(organization=w.b).update(status=DECIDED, decided_grade="completed")
    assert target(status(), "CT4")["organizations"] == {"counted": 2, "meeting": 1}
    # members: Hùng has a 12-digit ID, Lan and Hoà none
    assert target(status(), "CDS1")["actual"] == pytest.approx(33.3)
    assert target(status(org="A1"), "CDS1")["actual"] == 100.0


def test_text_output_in_vietnamese(prog):
    out = StringIO()
    call_command("programme", "status", "--org", "ROOT", "--year", "2026", stdout=out)
    text = out.getvalue()
    assert "nhiệm kỳ 2025–2030, năm 2026" in text and "1/2 việc đã xong" in text
    out = StringIO()
    call_command("models", "list", stdout=out)
    assert "0 mô hình" in out.getvalue()


@pytest.mark.parametrize("args, message", [
    (("programme", "status", "--org", "NOPE", "--year", "2026"), "Không có tổ chức đảng mã «NOPE»"),
    (("programme", "status", "--year", "2026"), "Thiếu --org"),
    (("programme", "status", "--org", "ROOT"), "--year phải là năm bốn chữ số"),
    (("programme", "status", "--org", "ROOT", "--year", "26"), "--year phải là năm bốn chữ số"),
    (("programme", "status", "--org", "ROOT", "--year", "2031"), "chưa có chương trình toàn khoá"),
    (("programme", "status", "--org", "X", "--year", "2026"), "chưa có chương trình toàn khoá"),
    (("models", "list", "--org", "NOPE"), "Không có tổ chức đảng mã «NOPE»"),
    (("models", "list", "--year", "abcd"), "--year phải là năm"),
])
def test_bad_input_in_vietnamese_nothing_on_stdout(prog, args, message):
    out = StringIO()
    with pytest.raises(CommandError, match=message):
        call_command(*args, "--json", stdout=out, stderr=StringIO())
    assert out.getvalue() == ""


def test_console_script_exit_status_and_streams(tmp_path):
    """The console script: a bad option is refused before the database is read, status 1, stderr only."""
    env = {**os.environ, "DANGBO_VAR": str(tmp_path / "var")}
    bad = subprocess.run([sys.executable, "-m", "dangbo.cli", "programme", "status", "--org", "ROOT", "--year",
                          "26", "--json"], capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and bad.stdout == "" and "--year phải là năm bốn chữ số" in bad.stderr


def test_a_cell_without_its_own_figure_has_no_figure_and_a_totals_goal_is_the_committees(prog):
    w = prog
    from dangbo.programme import selectors, services

    a1 = status(org="A1")
    assert target(a1, "CT1")["actual"] is None and target(a1, "CT1")["met"] is None
    total = services.target_save(actor=None, programme=w.programme, data={
        "code": "CT6", "title": "Kết nạp đảng viên mới", "unit": "đảng viên", "term_goal": "10",
        "source": "reported", "rollup": "sum"})
    report(w, total, w.a, 2026, "4")
    report(w, total, w.b, 2026, "7")
    root = target(status(), "CT6")
    assert root["actual"] == 11.0 and root["goal"] == 10.0 and root["met"] is True
    part = selectors.status(total, w.a, selectors.Context(2026))
    assert part["actual"] == 4 and part["goal"] is None and part["colour"] == "none"
