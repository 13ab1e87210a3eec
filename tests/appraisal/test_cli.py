"""The `dangbo appraisal grade` command-line contract (issue 5): JSON output, table, input errors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

HEADER = ("id,peer_group,role,score,tasks_done_pct,tasks_late_pct,tasks_beyond_pct,shortcomings_fixed,"
          "discipline,degradation,admitted,exempt,suspended")
ROWS = [
    "m1,chuyen-vien,member,92,100,0,40,yes,none,no,2010-05-19,no,no",  # excellent
    "m2,chuyen-vien,member,92,100,10,40,yes,none,no,2010-05-19,no,no",  # 10% late → completed (APR-2: on time)
    "m3,chuyen-vien,member,75,100,0,0,yes,reprimand,no,2012-01-01,no,no",  # APR-3
    "m4,chuyen-vien,member,,,,,no,none,no,2025-08-31,no,no",  # admitted 4 months before → APR-1
    "m5,chuyen-vien,member,80,100,0,0,yes,none,no,,no,no",  # good
    "l1,lanh-dao,leader,95,100,0,50,yes,none,no,2001-02-03,no,no",  # excellent, no good in group
    "cb,chi-bo,collective,45,100,0,0,yes,none,no,,no,no",  # not completed by score
]


def write(tmp_path, lines, name="in.csv", encoding="utf-8", prefix=b""):
    p = tmp_path / name
    p.write_bytes(prefix + ("\n".join(lines) + "\n").encode(encoding))
    return p


def run(path, *extra, year="2025"):
    out, err = StringIO(), StringIO()
    call_command("appraisal", "grade", "--input", str(path), "--year", year, *extra, stdout=out, stderr=err)
    return out.getvalue()


def run_json(path, *extra, year="2025"):
    return json.loads(run(path, "--json", *extra, year=year))


def test_grade_json_exact(tmp_path):
    data = run_json(write(tmp_path, [HEADER, *ROWS]))
    assert data == {
        "results": [
            {"id": "m1", "grade": "excellent", "reasons": ["APR-2"]},
            {"id": "m2", "grade": "completed", "reasons": ["APR-2"]},
            {"id": "m3", "grade": "not_completed", "reasons": ["APR-3"]},
            {"id": "m4", "grade": "not_reviewed", "reasons": ["APR-1"]},
            {"id": "m5", "grade": "good", "reasons": ["APR-2"]},
            {"id": "l1", "grade": "excellent", "reasons": ["APR-2"]},
            {"id": "cb", "grade": "not_completed", "reasons": ["APR-2"]},
        ],
        "quota": [
            {"peer_group": "chuyen-vien", "good": 1, "excellent": 1, "max_excellent": 0, "exceeded": True},
            {"peer_group": "lanh-dao", "good": 0, "excellent": 1, "max_excellent": 0, "exceeded": True},
            {"peer_group": "chi-bo", "good": 0, "excellent": 0, "max_excellent": 0, "exceeded": False},
        ],
    }


def test_quota_ten_good_three_excellent(tmp_path):
    good = [f"g{i},cv,member,80,100,0,0,yes,none,no,2000-01-01,no,no" for i in range(10)]
    exc = [f"e{i},cv,member,9{i},100,0,30,yes,none,no,2000-01-01,no,no" for i in range(3)]
    p = write(tmp_path, [HEADER, *good, *exc])
    quota = {"peer_group": "cv", "good": 10, "excellent": 3, "max_excellent": 2, "exceeded": True}
    assert run_json(p)["quota"] == [quota]
    assert run_json(p, "--exception", "cv")["quota"] == [quota]  # 25% of 10 = 2.5 → 2
    # nobody is downgraded by the command
    assert [r["grade"] for r in run_json(p)["results"]].count("excellent") == 3


def test_year_2024_uses_the_old_regime(tmp_path):
    rows = [HEADER, "a,cv,member,,100,0,40,yes,none,no,2000-01-01,no,no",
            "b,cv,member,10,100,5,0,yes,none,no,2000-01-01,no,no",
            "c,cv,member,99,100,0,40,yes,warning,no,2000-01-01,no,no"]
    data = run_json(write(tmp_path, rows), year="2024")
    assert data["results"] == [
        {"id": "a", "grade": "excellent", "reasons": ["APR-7"]},
        {"id": "b", "grade": "good", "reasons": ["APR-7"]},
        {"id": "c", "grade": "not_completed", "reasons": ["APR-3", "APR-7"]},
    ]


def test_review_date_option(tmp_path):
    p = write(tmp_path, [HEADER, "n,cv,member,92,100,0,40,yes,none,no,2025-08-31,no,no"])
    assert run_json(p)["results"][0]["grade"] == "not_reviewed"
    assert run_json(p, "--review-date", "2026-03-01")["results"][0]["grade"] == "excellent"
    with pytest.raises(CommandError, match="--review-date"):
        run(p, "--review-date", "01/03/2026")


def test_bom_semicolon_and_decimal_comma_accepted(tmp_path):
    lines = [HEADER.replace(",", ";"), *(r.replace(",", ";") for r in ROWS)]
    lines[2] = "m2;chuyen-vien;member;91,5;100;10;40;Yes;none;no;2010-05-19;no;no"
    p = write(tmp_path, lines, prefix="\ufeff".encode())
    expected = run_json(write(tmp_path, [HEADER, *ROWS], name="plain.csv"))
    assert run_json(p) == expected


def test_blank_rows_and_extra_columns(tmp_path):
    lines = [HEADER + ",ghi_chu", ROWS[0] + ",x", "", ",,,,,,,,,,,,,", ROWS[1] + ",y"]
    assert [r["id"] for r in run_json(write(tmp_path, lines))["results"]] == ["m1", "m2"]


def test_table_in_vietnamese(tmp_path):
    text = run(write(tmp_path, [HEADER, *ROWS]))
    assert "366-QĐ/TW" in text and "Hoàn thành xuất sắc nhiệm vụ" in text and "Không đánh giá, xếp loại" in text
    assert "VƯỢT TỶ LỆ" in text and not text.lstrip().startswith("{")


@pytest.mark.parametrize(("row", "where", "what"), [
    ("x,cv,member,abc,100,0,0,yes,none,no,,no,no", "dòng 2, cột «score»", "không phải là số"),
    ("x,cv,member,101,100,0,0,yes,none,no,,no,no", "dòng 2, cột «score»", "0–100"),
    ("x,cv,member,-1,100,0,0,yes,none,no,,no,no", "dòng 2, cột «score»", "0–100"),
    ("x,cv,member,,100,0,0,yes,none,no,,no,no", "dòng 2, cột «score»", "bỏ trống"),
    ("x,cv,boss,80,100,0,0,yes,none,no,,no,no", "dòng 2, cột «role»", "leader, member, collective"),
    ("x,cv,member,80,100,0,0,yes,fine,no,,no,no", "dòng 2, cột «discipline»", "reprimand"),
    ("x,cv,member,80,100,0,0,maybe,none,no,,no,no", "dòng 2, cột «shortcomings_fixed»", "yes"),
    ("x,cv,member,80,100,0,0,yes,none,no,31/12/2020,no,no", "dòng 2, cột «admitted»", "yyyy-mm-dd"),
    ("x,cv,member,80,100,0,0,yes,none,no,2020-02-30,no,no", "dòng 2, cột «admitted»", "yyyy-mm-dd"),
    ("x,cv,member,80,100,0,200,yes,none,no,,no,no", "dòng 2, cột «tasks_beyond_pct»", "0–100"),
    (",cv,member,80,100,0,0,yes,none,no,,no,no", "dòng 2, cột «id»", "thiếu mã"),
])
def test_bad_rows(tmp_path, row, where, what):
    p = write(tmp_path, [HEADER, row])
    out = StringIO()
    with pytest.raises(CommandError) as e:
        call_command("appraisal", "grade", "--input", str(p), "--year", "2025", "--json", stdout=out)
    msg = str(e.value)
    assert str(p) in msg and where in msg and what in msg
    assert out.getvalue() == ""


def test_error_row_number_counts_the_header_and_blank_rows(tmp_path):
    p = write(tmp_path, [HEADER, ROWS[0], "", ROWS[1].replace(",92,", ",9x,")])
    with pytest.raises(CommandError, match="dòng 4, cột «score»"):
        run(p, "--json")


def test_missing_column_duplicate_id_missing_file(tmp_path):
    p = write(tmp_path, [HEADER.replace(",discipline", ""), ROWS[0]])
    with pytest.raises(CommandError, match=r"dòng 1: thiếu cột «discipline»"):
        run(p)
    p = write(tmp_path, [HEADER, ROWS[0], ROWS[1], ROWS[0]])
    with pytest.raises(CommandError, match=r"dòng 4, cột «id»: mã «m1» trùng với dòng 2"):
        run(p)
    missing = tmp_path / "khong-co.csv"
    with pytest.raises(CommandError, match="Không tìm thấy tệp") as e:
        run(missing)
    assert str(missing) in str(e.value)
    with pytest.raises(CommandError, match="trống"):
        run(write(tmp_path, [""], name="empty.csv"))
    with pytest.raises(CommandError, match="UTF-8"):
        run(write(tmp_path, [HEADER, "m,cv,member,80,100,0,0,yes,none,no,,không,no"], encoding="cp1258"))


def test_argument_errors():
    with pytest.raises(CommandError):
        call_command("appraisal", "grade", "--year", "2025")
    with pytest.raises(CommandError):
        call_command("appraisal", "grade", "--input", "x.csv", "--year", "năm")
    with pytest.raises(CommandError):
        call_command("appraisal")


def test_configured_rules_are_used(tmp_path, settings):
    good = [f"g{i},cv,member,80,100,0,0,yes,none,no,2000-01-01,no,no" for i in range(10)]
    exc = [f"e{i},cv,member,95,100,0,30,yes,none,no,2000-01-01,no,no" for i in range(3)]
    p = write(tmp_path, [HEADER, *good, *exc])
    settings.DANGBO_RULES = {"quota_rounding": "ceil", "quota_exception_pct": 30}
    assert run_json(p, "--exception", "cv")["quota"][0] == {
        "peer_group": "cv", "good": 10, "excellent": 3, "max_excellent": 3, "exceeded": False}
