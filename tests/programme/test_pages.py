"""Programme pages through HTTP: the dashboard, entering a target, reporting a figure with evidence,
the models registry, the congress season, the downloads; refused writes leave nothing behind."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from dangbo.programme.models import CongressPlan, Figure, ModelRecord, Target
from tests.programme.conftest import model, report


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def office(prog):
    return login(prog.office)


@pytest.fixture
def secretary(prog):
    return login(prog.secretary)


def test_dashboard_office_sees_targets_colours_children_and_chart(prog, office):
    model(prog, prog.a1, "hcm_study", 2025)
    r = office.get("/chuong-trinh/?nam=2026")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Tổ chức có mô hình học tập và làm theo Bác" in html and "dữ liệu mẫu" in html
    assert "1/2 tổ chức" in html and "Chưa đạt" in html  # CT2a: A has one, B none → 50 % < 90 %
    assert "Đảng bộ cơ sở A" in html and "Chi bộ cơ sở B" in html  # the organisations under
    assert "<svg" in html and "Diễn biến" in html
    assert "CDS1" not in html  # the digital indicators have their own page
    r = office.get("/chuong-trinh/chuyen-doi-so/?nam=2026")
    assert "Đảng viên có số định danh 12 số" in r.content.decode()


def test_a_part_of_a_total_shows_its_figure_without_a_goal_not_no_data(prog, office):
    """A summed target's goal is the committee's alone (TGT-1): an organisation under it shows its own
    figure with «Không có chỉ tiêu riêng», never «Chưa có số liệu» beside a number."""
    from dangbo.programme import services

    t = services.target_save(actor=None, programme=prog.programme, data={
        "code": "CT6", "title": "Kết nạp đảng viên mới", "unit": "đảng viên", "term_goal": "300",
        "source": Target.REPORTED, "rollup": "sum"}, goals={2026: "60"})
    report(prog, t, prog.a, 2026, "7")
    html = office.get(f"/chuong-trinh/chi-tieu/{t.id}/?nam=2026").content.decode()
    assert "Không có chỉ tiêu riêng" in html
    assert "<dt>Đầu nhiệm kỳ</dt><dd>—</dd>" in html  # no baseline: no unit after the dash
    assert "<dt>Mục tiêu nhiệm kỳ</dt><dd>300 đảng viên</dd>" in html
    row = html[html.index("Đảng bộ cơ sở A"):]
    row = row[:row.index("</tr>")]
    assert ">7 đảng viên<" in row and "Không có chỉ tiêu riêng" in row and "Chưa có số liệu" not in row
    page = office.get("/chuong-trinh/?nam=2026").content.decode()
    assert "Không có chỉ tiêu riêng" in page


def test_dashboard_secretary_sees_their_subtree_only(prog, secretary):
    html = secretary.get("/chuong-trinh/?nam=2026").content.decode()
    assert "Chi bộ A1" in html and "Chi bộ cơ sở B" not in html
    assert "Thêm chỉ tiêu" not in html
    assert secretary.get(f"/chuong-trinh/?to-chuc={prog.b.id}").status_code == 404


def test_member_gets_the_explanation(prog):
    c = login(prog.member_user)
    r = c.get("/chuong-trinh/")
    assert r.status_code == 403 and "dành cho cán bộ" in r.content.decode()


def test_office_enters_a_target_with_goals_per_year(prog, office):
    p = prog.programme
    data = {"code": "CT6", "title": "Tỷ lệ chi bộ đạt trong sạch", "category": "target", "unit": "%",
            "baseline": "85,5", "term_goal": "100", "source": "reported", "rollup": "orgs_meeting", "org_goal": "",
            "how_measured": "Theo kết quả xếp loại", "reporter": "Bí thư chi bộ", "goal_2026": "90", "goal_2027": "92,5"}
    r = office.post(f"/chuong-trinh/{p.id}/chi-tieu/them/", data)
    assert r.status_code == 302
    t = Target.objects.get(programme=p, code="CT6")
    assert t.baseline == Decimal("85.5") and {g.year: g.goal for g in t.goals.all()} == {
        2026: Decimal("90.00"), 2027: Decimal("92.50")}
    html = office.get(r["Location"]).content.decode()
    assert "85,5" in html


def test_target_refused_all_problems_at_once_nothing_saved(prog, office):
    p = prog.programme
    n = Target.objects.count()
    r = office.post(f"/chuong-trinh/{p.id}/chi-tieu/them/", {
        "code": "CT1", "title": "Trùng mã", "category": "target", "unit": "%", "source": "computed", "measure": "",
        "rollup": "orgs_meeting", "term_goal": "nhiều", "goal_2026": "abc"})
    html = r.content.decode()
    assert r.status_code == 422
    assert "Mã chỉ tiêu «CT1» đã có." in html and "«Mục tiêu cả nhiệm kỳ» phải là số." in html
    assert "phải chọn một cách tính" in html and "«Mục tiêu năm 2026» phải là số." in html
    assert Target.objects.count() == n


def test_secretary_cannot_enter_targets(prog, secretary):
    r = secretary.post(f"/chuong-trinh/{prog.programme.id}/chi-tieu/them/", {"code": "Z"})
    assert r.status_code == 403
    assert not Target.objects.filter(code="Z").exists()


def test_secretary_reports_a_figure_with_a_file(prog, secretary, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    t = prog.t_plan
    f = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf")
    r = secretary.post(f"/chuong-trinh/chi-tieu/{t.id}/bao-cao/", {
        "organization": prog.a1.id, "year": "2026", "value": "97,5", "evidence_number": "", "evidence_file": f})
    assert r.status_code == 302
    fig = Figure.objects.get(target=t, organization=prog.a1, year=2026)
    assert fig.value == Decimal("97.50") and fig.evidence_name == "bao-cao.pdf" and fig.reported_by == "secretary"
    html = secretary.get(f"/chuong-trinh/chi-tieu/{t.id}/?nam=2026").content.decode()
    assert "97,5" in html and "bao-cao.pdf" in html
    got = secretary.get(f"/chuong-trinh/so-lieu/{fig.id}/minh-chung/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 minh chung"
    # the outsider's office cannot download it
    assert login(prog.outsider).get(f"/chuong-trinh/so-lieu/{fig.id}/minh-chung/").status_code == 404


def test_figure_without_evidence_or_outside_scope_refused_nothing_saved(prog, secretary):
    t = prog.t_plan
    r = secretary.post(f"/chuong-trinh/chi-tieu/{t.id}/bao-cao/", {
        "organization": prog.a1.id, "year": "2026", "value": "97,5", "evidence_number": ""})
    assert r.status_code == 422 and "Cần minh chứng" in r.content.decode()
    r = secretary.post(f"/chuong-trinh/chi-tieu/{t.id}/bao-cao/", {
        "organization": prog.b.id, "year": "2026", "value": "100", "evidence_number": "01-BC"})
    assert r.status_code == 422  # B is not in the secretary's choices
    r = secretary.post(f"/chuong-trinh/chi-tieu/{t.id}/bao-cao/", {
        "organization": prog.a1.id, "year": "2031", "value": "-1", "evidence_number": "01-BC"})
    html = r.content.decode()
    assert "không thuộc nhiệm kỳ" in html and "không được âm" in html
    r = secretary.post(f"/chuong-trinh/chi-tieu/{t.id}/bao-cao/", {
        "organization": prog.a1.id, "year": "2026", "value": "90", "evidence_number": "01\u202e-BC"})
    assert r.status_code == 422 and "ký tự không được phép" in r.content.decode()
    assert not Figure.objects.exists()
    # a computed target takes no figure
    assert secretary.get(f"/chuong-trinh/chi-tieu/{prog.t_models.id}/bao-cao/").status_code == 404


def test_reporting_again_replaces_the_figure(prog, secretary):
    t = prog.t_plan
    for value in ("90", "100"):
        secretary.post(f"/chuong-trinh/chi-tieu/{t.id}/bao-cao/", {
            "organization": prog.a.id, "year": "2026", "value": value, "evidence_number": "02-BC/ĐU"})
    assert list(Figure.objects.values_list("value", flat=True)) == [Decimal("100.00")]


def test_models_registry_pages(prog, secretary):
    r = secretary.post("/mo-hinh/them/", {"organization": prog.a2.id, "kind": "dan_van_kheo", "title": "Dân vận khéo",
                                          "field": "", "form": "collective", "start_year": "2025"})
    assert r.status_code == 422 and "bốn lĩnh vực" in r.content.decode()
    assert not ModelRecord.objects.exists()
    r = secretary.post("/mo-hinh/them/", {"organization": prog.a2.id, "kind": "dan_van_kheo",
                                          "title": "Chợ 4.0 không dùng tiền mặt", "field": "economy",
                                          "form": "collective", "start_year": "2025"})
    assert r.status_code == 302
    m = ModelRecord.objects.get()
    r = secretary.post(f"/mo-hinh/{m.id}/", {"year": "2026", "result": "effective", "note": "Nhân rộng"})
    assert r.status_code == 302 and m.evaluations.get().year == 2026
    html = secretary.get("/mo-hinh/?loai=dan_van_kheo&nam=2026").content.decode()
    assert "Chợ 4.0 không dùng tiền mặt" in html and "Kinh tế" in html and "Đã đăng ký" in html
    other = model(prog, prog.b, "hcm_study", 2025)
    assert other.title not in secretary.get("/mo-hinh/").content.decode()
    assert secretary.get(f"/mo-hinh/{other.id}/").status_code == 404
    r = secretary.post("/mo-hinh/them/", {"organization": prog.b.id, "kind": "hcm_study", "title": "X",
                                          "form": "collective", "start_year": "2025"})
    assert r.status_code == 422 and ModelRecord.objects.count() == 2


def test_congress_season_reads_congress_records_and_plans(prog, office):
    from dangbo.congress.services import congress_create

    congress_create(actor=None, organization=prog.a, kind="delegates", term="2025–2030", name="Đại hội Đảng bộ A",
                    start_date=date(2025, 6, 10))
    r = office.post("/chuong-trinh/dai-hoi/", {"organization": prog.b.id, "term": "2025–2030",
                                               "planned_date": "15/05/2025", "status": "preparing", "documents": ""})
    assert r.status_code == 302
    r = office.post("/chuong-trinh/dai-hoi/", {"organization": prog.a.id, "term": "2025–2030",
                                               "planned_date": "01/06/2025", "status": "planned"})
    html = office.get("/chuong-trinh/dai-hoi/?nhiem-ky=2025–2030").content.decode()
    assert "1/2 tổ chức đã tổ chức đại hội" in html and "10/06/2025" in html and "chậm so với kế hoạch" in html
    assert "Đang chuẩn bị" in html
    r = office.post("/chuong-trinh/dai-hoi/", {"organization": prog.b.id, "term": "2025–2030",
                                               "planned_date": "15/05/2025", "status": "held"})
    assert r.status_code == 422 and CongressPlan.objects.get(organization=prog.b).status == "preparing"


def test_programme_page_tasks_items_done(prog, office, secretary):
    p = prog.programme
    r = office.post(f"/chuong-trinh/{p.id}/", {"form": "item", "item-task": prog.task.id, "item-year": "2026",
                                               "item-title": "Tổng kết", "item-owner": "Văn phòng",
                                               "item-deadline": "30/11/2026"})
    assert r.status_code == 302
    item = prog.task.items.get(title="Tổng kết")
    assert office.post(f"/chuong-trinh/viec/{item.id}/xong/", {"done": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.done_on == date.today()
    assert secretary.post(f"/chuong-trinh/viec/{item.id}/xong/", {"done": "0"}).status_code == 403
    html = secretary.get(f"/chuong-trinh/{p.id}/").content.decode()
    assert "Tổng kết" in html and "Thêm nhiệm vụ" not in html


def test_word_report_and_formula_safe_excel(prog, office):
    report(prog, prog.t_plan, prog.a, 2026, "100")
    prog.a.name = "=HYPERLINK(\"http://x\")"
    prog.a.save()
    r = office.get("/chuong-trinh/bao-cao.docx?nam=2026")
    assert r.status_code == 200
    text = "\n".join(c.text for t in Document(BytesIO(r.content)).tables for row in t.rows for c in row.cells)
    assert "Cơ quan, đơn vị hoàn thành chỉ tiêu kế hoạch" in text
    r = office.get("/chuong-trinh/so-lieu.xlsx?nam=2026")
    wb = load_workbook(BytesIO(r.content))
    ws = wb["Tổ chức trực thuộc"]
    cell = ws.cell(row=2, column=1)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix
    first = wb.worksheets[0]
    assert [c.value for c in first[1]][:5] == ["Mã", "Chỉ tiêu", "Đơn vị", "Mục tiêu", "Thực hiện"]


def test_org_picker_is_a_search_box_not_a_select_of_every_org(prog, office):
    html = office.get("/chuong-trinh/?nam=2026").content.decode()
    assert 'name="tim-to-chuc"' in html and '<select name="to-chuc"' not in html
    assert "Chi bộ A1" not in html.split('id="org-found"')[1].split("</div>")[0]  # nothing listed before a search
    # without JavaScript: the «Xem» button shows the matches on the page, links keep the year
    html = office.get(f"/chuong-trinh/?nam=2026&to-chuc={prog.root.id}&tim-to-chuc=chi bộ a").content.decode()
    found = html.split('id="org-found"')[1].split("</div>")[0]
    assert f"to-chuc={prog.a1.id}" in found and "nam=2026" in found and "Chi bộ A2" in found
    assert "Chi bộ cơ sở X1" not in found  # another committee's: outside the scope
    # htmx while typing: the matches alone, not the page
    r = office.get("/mo-hinh/?tim-to-chuc=cơ sở b", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "<html" not in r.content.decode() and "Chi bộ cơ sở B" in r.content.decode()
    r = office.get("/chuong-trinh/?tim-to-chuc=không có", HTTP_HX_REQUEST="true")
    assert "Không tìm thấy tổ chức nào" in r.content.decode()


def test_org_picker_lists_at_most_twenty(prog, office, monkeypatch):
    from dangbo.programme import views

    monkeypatch.setattr(views, "PICKER_LIMIT", 2)
    r = office.get("/cam-ket/?tim-to-chuc=chi bộ", HTTP_HX_REQUEST="true").content.decode()
    assert r.count("<li>") == 2 and "hãy gõ tên cụ thể hơn" in r


def test_org_picker_matches_names_typed_without_diacritics(prog, office):
    """«dang bo co so a» finds «Đảng bộ cơ sở A», «CHI BO A» the cells A1 and A2 (folded as the member
    search folds: no diacritics, đ → d, any case); another committee's stays outside the scope."""
    def found(text):
        r = office.get("/chuong-trinh/", {"tim-to-chuc": text}, HTTP_HX_REQUEST="true")
        assert r.status_code == 200
        return r.content.decode()

    assert "Đảng bộ cơ sở A" in found("dang bo co so a")
    html = found("CHI BO A")
    assert "Chi bộ A1" in html and "Chi bộ A2" in html and "Chi bộ cơ sở B" not in html
    assert "Chi bộ cơ sở B" in found("co so b") and "Chi bộ cơ sở B" in found("Cơ Sở B")
    assert "Đảng bộ Khác" not in found("dang bo khac") and "Chi bộ cơ sở X1" not in found("x1")
    assert "Không tìm thấy tổ chức nào" in found("van phong")
    assert f"to-chuc={prog.a1.id}" in found("A1")  # by code too


def test_org_search_folds_and_stops_at_the_limit(prog):
    from dangbo.orgs.models import Organization
    from dangbo.programme.orgsearch import find_orgs, folded_query

    assert folded_query(" Văn  Phòng\u200b Đảng ủy ") == "van phong dang uy"
    under_root = Organization.objects.filter(path__startswith=prog.root.path)
    assert [o.code for o in find_orgs(under_root, "chi bo", 1)] == ["A1", "A2"]  # limit + 1, tree order
    assert [o.code for o in find_orgs(under_root, "ĐẢNG BỘ", 5)] == ["ROOT", "A"]
    assert find_orgs(under_root, "\u200b", 5) == []
    assert [o.code for o in find_orgs(under_root, "Ả", 5)] == ["ROOT", "A", "A1", "A2"]  # only vowels: not B


FORM_PAGES = ["/chuong-trinh/them/", "/chuong-trinh/dai-hoi/", "/mo-hinh/them/"]


@pytest.mark.parametrize("url", FORM_PAGES)
def test_form_organisation_is_searched_not_a_select_of_every_org(prog, office, url):
    """Issue 12 at 50,000 organisations: a form's organisation is a search box whose matches are radios
    of the field (htmx while typing), never a select listing every organisation."""
    html = office.get(url).content.decode()
    assert '<select name="organization"' not in html and 'name="tim-to-chuc-chon"' in html
    assert "Chi bộ A1" not in html  # nothing listed before a search
    r = office.get(url, {"tim-to-chuc-chon": "chi bo a"}, HTTP_HX_REQUEST="true")
    frag = r.content.decode()
    assert r.status_code == 200 and "<html" not in frag
    assert f'name="organization" value="{prog.a1.id}"' in frag and "Chi bộ A2" in frag
    assert "Chi bộ cơ sở X1" not in office.get(url, {"tim-to-chuc-chon": "x1"}, HTTP_HX_REQUEST="true").content.decode()


def test_form_search_without_javascript_posts_back_unsaved_with_the_matches(prog, secretary):
    t = prog.t_plan
    url = f"/chuong-trinh/chi-tieu/{t.id}/bao-cao/"
    html = secretary.get(url).content.decode()
    assert f'value="{prog.a.id}" checked' in html  # the secretary's own organisation chosen at first
    r = secretary.post(url, {"organization": prog.a.id, "year": "2026", "value": "97,5", "evidence_number": "05-BC",
                             "tim-to-chuc-chon": "chi bo a2", "tim-to-chuc-nut": "1"})
    html = r.content.decode()
    assert r.status_code == 200 and not Figure.objects.exists()  # a search, not a save
    assert f'name="organization" value="{prog.a2.id}"' in html and 'value="97,5"' in html and "05-BC" in html
    assert 'role="alert"' not in html  # no errors shown for a search
    r = secretary.post(url, {"organization": prog.a2.id, "year": "2026", "value": "97,5", "evidence_number": "05-BC"})
    assert r.status_code == 302 and Figure.objects.get().organization_id == prog.a2.id


@pytest.mark.parametrize("url, data", [
    ("/chuong-trinh/dai-hoi/", {"term": "2025–2030", "planned_date": "15/05/2025", "status": "preparing"}),
    ("/mo-hinh/them/", {"kind": "hcm_study", "title": "Mô hình X", "form": "collective", "start_year": "2025"}),
])
def test_form_refuses_an_organisation_outside_scope_nothing_saved(prog, secretary, url, data):
    """The search box sets the organisation, but the field still checks it against the user's scope."""
    for outside in (prog.b, prog.x1, prog.root):
        r = secretary.post(url, {**data, "organization": outside.id})
        assert r.status_code == 422, outside.code
        assert "Lựa chọn không hợp lệ" in r.content.decode() or "không hợp lệ" in r.content.decode()
    assert not CongressPlan.objects.exists() and not ModelRecord.objects.exists()
