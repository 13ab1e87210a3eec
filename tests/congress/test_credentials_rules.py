"""CON-3 rules added for the credentials: the allowed refusal grounds and the report's breakdowns."""

from hypothesis import given
from hypothesis import strategies as st

from dangbo.congress import rules


def test_con3_refusal_only_on_the_statute_grounds():
    # Điều lệ Đảng, Điều 11.5: suspended from party or committee activity, prosecuted, indicted, detained
    assert set(rules.REFUSAL_GROUNDS) == {"suspended_party", "suspended_committee", "prosecuted", "indicted",
                                          "detained"}
    for ground in rules.REFUSAL_GROUNDS:
        assert rules.refusal_problem(ground) is None
    assert "phải nêu một căn cứ" in rules.refusal_problem("")
    assert "phải nêu một căn cứ" in rules.refusal_problem(None)
    problem = rules.refusal_problem("disciplined")  # a reprimand is not a ground
    assert "không phải căn cứ" in problem and "Đang bị tạm giam" in problem


@given(st.text(max_size=30))
def test_con3_any_other_text_is_refused(ground):
    assert (rules.refusal_problem(ground) is None) == (ground in rules.REFUSAL_GROUNDS)


def test_bands_worked_cases():
    assert rules.band_of(39, rules.AGE_BANDS) == "Dưới 40 tuổi"
    assert rules.band_of(40, rules.AGE_BANDS) == "Từ 40 đến dưới 50 tuổi"
    assert rules.band_of(70, rules.AGE_BANDS) == "Từ 70 tuổi trở lên"
    assert rules.band_of(None, rules.AGE_BANDS) == rules.NO_DATA
    assert rules.band_of(9, rules.PARTY_AGE_BANDS) == "Dưới 10 năm"
    assert rules.band_of(45, rules.PARTY_AGE_BANDS) == "Từ 40 năm trở lên"


@given(st.integers(0, 120))
def test_band_is_the_last_lower_bound_not_above(years):
    label = rules.band_of(years, rules.AGE_BANDS)
    lows = [low for low, name in rules.AGE_BANDS if name == label]
    assert lows and lows[0] <= years
    assert all(low > years for low, _ in rules.AGE_BANDS if low > lows[0])


def test_breakdown_order_zero_rows_and_no_data_last():
    rows = rules.breakdown(["Nữ", "Nam", None, "Nam", ""], ["Nam", "Nữ"])
    assert rows == [("Nam", 2, 40.0), ("Nữ", 1, 20.0), (rules.NO_DATA, 2, 40.0)]
    assert rules.breakdown(["Cao cấp"], ["Cử nhân", "Cao cấp"]) == [("Cử nhân", 0, 0.0), ("Cao cấp", 1, 100.0)]
    assert rules.breakdown([]) == []


@given(st.lists(st.one_of(st.none(), st.sampled_from(["", "Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân"]))),
       st.lists(st.sampled_from(["Cử nhân", "Cao cấp", "Trung cấp"]), unique=True))
def test_breakdown_counts_every_value_once(values, order):
    rows = rules.breakdown(values, order)
    assert sum(n for _, n, _ in rows) == len(values)
    labels = [label for label, _, _ in rows]
    assert len(labels) == len(set(labels))
    assert labels[:len(order)] == order
    if rules.NO_DATA in labels:
        assert labels[-1] == rules.NO_DATA
    if values:
        assert abs(sum(p for _, _, p in rows) - 100) <= 0.01 * len(rows)
