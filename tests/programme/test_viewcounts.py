"""The dashboard's figures counted in SQL (`viewcounts`, issue 12) equal the pure roll-up
(`rules.org_tallies_each`, `rules.reported_by_path`, themselves property-tested against the
per-subtree definition `rules.org_share` / `rules.reported_rollup`) read at the page's organisation
and those directly under it — on random trees with dissolved, not-yet-founded and merged
organisations and paths of any width. Runs on SQLite and PostgreSQL (the SQL differs)."""

from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.members import rules as member_rules
from dangbo.members.models import Member
from dangbo.orgs.models import Organization, OrgEvent
from dangbo.programme import measures, rules, selectors, viewcounts
from dangbo.programme.models import Figure, ModelRecord, Programme, Target
from dangbo.reports.tallies import tallies_rebuild

KINDS = ["committee", "grassroots_committee", "grassroots_cell", "cell"]
YEAR = 2026
ON, ENDED, LATER = None, date(2026, 5, 1), date(2027, 1, 1)  # valid_to: in force / ended / (valid_from) later

node = st.tuples(st.integers(0, 30), st.sampled_from(KINDS), st.sampled_from(["on", "on", "ended", "later"]),
                 st.integers(1, 9), st.integers(0, 30).map(lambda n: 2 * n + 1))  # parent pick, kind, state, path width, merge target


def build(nodes, root_code="T0"):
    """A tree under a fresh root from the drawn nodes: paths of varying widths, some organisations
    dissolved (ended), some merged into another (ended + a merge event), some founded after the year."""
    root = Organization.objects.create(code=root_code, name="Gốc", kind="committee", path="77/", depth=0)
    orgs = [root]
    for i, (pick, kind, state, width, _) in enumerate(nodes):
        parent = orgs[pick % len(orgs)]
        path = f"{parent.path}{i + 1:0{width}d}/"
        orgs.append(Organization.objects.create(
            code=f"{root_code}-{i}", name=f"Tổ chức {i}", kind=kind, parent=parent, path=path,
            depth=path.count("/") - 1, valid_from=LATER if state == "later" else None,
            valid_to=ENDED if state == "ended" else None))
    for org, (_, _, state, _, target) in zip(orgs[1:], nodes, strict=True):
        if state == "ended" and target % 4 != 3:  # most ended ones merged into another organisation
            e = OrgEvent.objects.create(organization=org, kind="merge", date=ENDED)
            e.related.add(orgs[target % len(orgs)])
    return orgs


COUNTED = member_rules.COUNTED_STATES
YEARS = [2025, 2026, 2027]  # ENDED organisations in force in 2025 only; LATER ones from 2027


def units_now(year: int = YEAR) -> dict[int, rules.Unit]:
    return measures.units(year, measures.org_rows())


def in_view(full: dict, root: str) -> dict:
    return {p: t for p, t in full.items() if rules.in_view(p, root)}


def ids_qs(ids):
    return Organization.objects.filter(id__in=ids).values_list("id", flat=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nodes=st.lists(node, min_size=1, max_size=18), data=st.data())
def test_org_tallies_in_sql_equal_the_pure_roll_up(db, nodes, data):
    with transaction.atomic():
        orgs = build(nodes)
        ids = [o.id for o in orgs]
        sets = data.draw(st.lists(st.sets(st.sampled_from(ids)), min_size=1, max_size=2), label="holders")
        within = data.draw(st.booleans(), label="within")
        root = data.draw(st.sampled_from(orgs), label="root").path
        s = selectors.rule_settings()
        every = viewcounts.org_tallies({y: [ids_qs(h) for h in sets] for y in YEARS}, root, within=within, settings=s)
        for year in YEARS:  # the years of a trend counted in one query
            got, units = every[year], units_now(year)
            want = in_view(rules.org_tallies_each(units.values(), sets, within=within, settings=s), root)
            assert got == {p: t for p, t in want.items() if t.counted}
            for path, t in got.items():  # and the per-subtree definition itself, for one holder set
                if len(sets) == 1:
                    assert t == rules.org_share(units.values(), sets[0], path, within=within, settings=s)
        transaction.set_rollback(True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nodes=st.lists(node, min_size=1, max_size=18), data=st.data())
def test_reported_roll_up_in_sql_equals_the_pure_roll_up(db, nodes, data):
    with transaction.atomic():
        orgs = build(nodes)
        p = Programme.objects.create(organization=orgs[0], org_path=orgs[0].path, term="2025–2030", title="NQ")
        rollup = data.draw(st.sampled_from([rules.ORGS_MEETING, rules.MEAN, rules.SUM]), label="rollup")
        t = Target.objects.create(programme=p, code="CT1", title="Chỉ tiêu", rollup=rollup, org_goal=Decimal(80))
        values = data.draw(st.dictionaries(st.sampled_from([o.id for o in orgs]),
                                           st.decimals(1, 99, places=2)), label="figures")
        other = Target.objects.create(programme=p, code="CT2", title="Chỉ tiêu khác", rollup=rollup, org_goal=None)
        values2 = data.draw(st.dictionaries(st.sampled_from([o.id for o in orgs]),
                                            st.decimals(1, 199, places=2)), label="other figures")
        paths = {o.id: o.path for o in orgs}
        for year in YEARS:
            for target, vals in ((t, values), (other, values2)):
                for oid, v in vals.items():
                    Figure.objects.create(target=target, organization_id=oid, org_path=paths[oid], year=year,
                                          value=v + year - YEAR)
        root = data.draw(st.sampled_from(orgs), label="root").path
        s = selectors.rule_settings()
        counts = viewcounts.counted_by_key(root, YEARS, s)
        every = viewcounts.reported(selectors.figures_of(t, YEARS), counts, root, rollup, t.org_goal, s)
        # the page's way: one target, so on SQLite its figures read by ranges of their paths
        ranged = viewcounts.reported(selectors.figures_of(t, YEARS), counts, root, rollup, t.org_goal, s,
                                     target_ids=selectors.figure_targets(t))
        for year in YEARS:
            figures = {oid: v + year - YEAR for oid, v in values.items()}
            want = rules.reported_by_path(units_now(year).values(), figures, rollup, t.org_goal, s, root=root)
            assert every[year] == want, year
            assert ranged[year] == want, year
        # PostgreSQL's page: both targets in one statement, each with its own goal (none: 100)
        many = viewcounts.reported_many({t.id: t.org_goal, other.id: Decimal(100)}, YEARS, root, s)
        for target, vals in ((t, values), (other, values2)):
            got = viewcounts.reported_from(many[target.id], counts, root, rollup)
            for year in YEARS:
                figures = {oid: v + year - YEAR for oid, v in vals.items()}
                assert got[year] == rules.reported_by_path(units_now(year).values(), figures, rollup,
                                                           target.org_goal, s, root=root), (target.code, year)
        if connection.vendor == "sqlite":  # the ranges are what was read
            assert viewcounts.figure_sums(t.id, YEARS, root, t.org_goal, s) is not None
        transaction.set_rollback(True)


def test_reported_by_ranges_keeps_siblings_with_a_common_start_apart(db):
    """«77/1/» and «77/10/» side by side: each child's range of figure paths ends right after its own
    paths; the page's own figure is its own row; a cell (not counted) and a dissolved organisation's
    figures count for nobody; sums are the grouped query's decimals."""
    orgs = build([(0, "grassroots_cell", "on", 1, 1)] * 10 + [(1, "grassroots_cell", "on", 2, 1),
                                                               (1, "cell", "on", 2, 1), (0, "grassroots_cell", "ended", 2, 3)])
    Organization.objects.filter(pk=orgs[0].pk).update(kind="grassroots_committee")  # the page counted too
    p = Programme.objects.create(organization=orgs[0], org_path=orgs[0].path, term="2025–2030", title="NQ")
    t = Target.objects.create(programme=p, code="CT1", title="Chỉ tiêu", rollup=rules.SUM, org_goal=Decimal(80))
    for org, v in [(orgs[0], "1.25"), (orgs[1], "80"), (orgs[10], "79.99"), (orgs[11], "0.5"), (orgs[12], "7"),
                   (orgs[13], "9")]:
        Figure.objects.create(target=t, organization=org, org_path=org.path, year=YEAR, value=Decimal(v))
    assert (orgs[1].path, orgs[10].path, orgs[11].path) == ("77/1/", "77/10/", "77/1/11/")
    s = selectors.rule_settings()
    counts = viewcounts.counted_by_key("77/", [YEAR], s)
    got = viewcounts.reported(selectors.figures_of(t, [YEAR]), counts, "77/", rules.SUM, t.org_goal, s,
                              target_ids=[t.id])[YEAR]
    grouped = viewcounts.reported(selectors.figures_of(t, [YEAR]), counts, "77/", rules.SUM, t.org_goal, s)[YEAR]
    assert {k: str(r.actual) for k, r in got.items()} == {k: str(r.actual) for k, r in grouped.items()}
    assert {k: r.actual for k, r in got.items()} == {
        "77/": Decimal("161.74"), "77/1/": Decimal("80.50"), "77/10/": Decimal("79.99"),
        **{f"77/{i}/": None for i in range(2, 10)}}
    if connection.vendor == "sqlite":
        rows = viewcounts.figure_sums(t.id, [YEAR], "77/", t.org_goal, s)
        assert sorted(rows) == [(YEAR, "77/", 1, Decimal("1.25"), 0), (YEAR, "77/1/", 2, Decimal("80.50"), 1),
                                (YEAR, "77/10/", 1, Decimal("79.99"), 0)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nodes=st.lists(node, min_size=1, max_size=18), data=st.data())
def test_several_measures_in_one_scan_equal_each_alone(db, nodes, data):
    """`org_tallies_many`: the measures of a page and the counted organisations in one grouped
    scan give what each measure's own query (`org_tallies`) and `counted_by_key` give."""
    with transaction.atomic():
        orgs = build(nodes)
        ids = [o.id for o in orgs]
        drawn = data.draw(st.lists(st.tuples(st.lists(st.sets(st.sampled_from(ids)), min_size=1, max_size=2),
                                             st.booleans()), max_size=3), label="measures")
        root = data.draw(st.sampled_from(orgs), label="root").path
        s = selectors.rule_settings()
        holders = {f"m{i}": {y: [ids_qs(h) for h in sets] for y in YEARS} for i, (sets, _) in enumerate(drawn)}
        within = {f"m{i}": w for i, (_, w) in enumerate(drawn)}
        got, counts = viewcounts.org_tallies_many(holders, within, root, settings=s, years=YEARS)
        assert counts == viewcounts.counted_by_key(root, YEARS, s)
        for code, by_year in holders.items():
            assert got[code] == viewcounts.org_tallies(by_year, root, within=within[code], settings=s), code
        transaction.set_rollback(True)


model_rec = st.tuples(st.integers(0, 30), st.sampled_from(["hcm_study", "dan_van_kheo"]), st.sampled_from(YEARS),
                      st.sampled_from([None, 2025, 2026]))  # holder pick, kind, start year, end year


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nodes=st.lists(node, min_size=1, max_size=18), recs=st.lists(model_rec, max_size=20), data=st.data())
def test_the_models_measures_at_a_page_equal_the_pure_roll_up(db, nodes, recs, data):
    """The models measures (TGT-3) counted in SQL at a page — the holders' paths read from the model
    records' own copy, in force meaning «not among the ended organisations» (`viewcounts.live_heads`)
    — equal the pure roll-up over the whole tree, and the organisations-table way (`GONE_LIST_MAX`
    exceeded): models held anywhere (dissolved, merged, not yet founded holders; ended models)."""
    with transaction.atomic():
        orgs = build(nodes)
        ModelRecord.objects.bulk_create([
            ModelRecord(organization=orgs[pick % len(orgs)], org_path=orgs[pick % len(orgs)].path, kind=kind,
                        title=f"Mô hình {i}", start_year=start, end_year=end)
            for i, (pick, kind, start, end) in enumerate(recs)])
        root = data.draw(st.sampled_from(orgs), label="root").path
        s = selectors.rule_settings()
        for code in ("models_hcm", "models_dvk", "models_both"):
            got = measures.view_tallies(code, YEARS, s, root)
            old_max = viewcounts.GONE_LIST_MAX
            viewcounts.GONE_LIST_MAX = -1  # every holder looked up in the organisations table
            try:
                by_orgs = measures.view_tallies(code, YEARS, s, root)
            finally:
                viewcounts.GONE_LIST_MAX = old_max
            for year in YEARS:
                want = measures.tallies(code, year, s, units_now(year), root=root)
                want = {p: t for p, t in in_view(want, root).items() if t.counted}
                assert got[year] == want, (code, year)
                assert by_orgs[year] == want, (code, year)
        transaction.set_rollback(True)


def test_live_heads_reads_the_model_records_alone():
    """The models measures' holders are read from the model records' path copy; holders given as
    organisations (or too many ended organisations) are left to the organisations table."""
    qs = measures.active_models("hcm_study", YEAR)
    assert "org_path" in str(viewcounts.live_heads(qs, 3, [1, 2]).query)
    assert viewcounts.live_heads(Organization.objects.values_list("id", flat=True), 3, []) is None
    assert viewcounts.live_heads(qs, 3, list(range(viewcounts.GONE_LIST_MAX + 1))) is None


def test_a_page_scans_the_organisations_once(prog):
    """The page's measures over organisations and its counted organisations (for the reported
    targets) are counted in one grouped scan of the organisations, not one scan each."""
    from django.test.utils import CaptureQueriesContext

    from tests.programme.conftest import model, report

    w = prog
    model(w, w.a1, "hcm_study"), model(w, w.b, "dan_van_kheo", field="economy")
    report(w, w.t_plan, w.a, 2026, "100")
    want = selectors.programme_status(w.root, 2026, ctx=selectors.Context(2026))["targets"]
    page = selectors.Context(2026, root=w.root.path, years=(2025, 2026))
    with CaptureQueriesContext(connection) as seen:
        data = selectors.programme_status(w.root, 2026, ctx=page)
    assert data["targets"] == want
    assert any(t.source == Target.COMPUTED and measures.MEASURES[t.measure].over == measures.ORGS
               for t in w.programme.targets.all())
    scans = [q["sql"] for q in seen.captured_queries
             if "GROUP BY" in q["sql"] and q["sql"].rsplit(" FROM ", 1)[1].startswith('"orgs_organization"')]  # the outer FROM
    assert len(scans) == 1, scans
    kids = [q["sql"] for q in seen.captured_queries if q["sql"].startswith('SELECT "orgs_organization"."id" AS "id"')
            and '"orgs_organization"."parent_id" =' in q["sql"]]
    assert len(kids) == 1, kids  # the organisations shown read once for every reported target


def test_a_page_never_reads_the_whole_tree(prog, monkeypatch):
    """The committee's page (and the trend's other year) counts in SQL: the whole tree is never read
    into Python (`measures.org_rows`, 50,000 rows at a province's size)."""
    from tests.programme.conftest import model, report

    w = prog
    model(w, w.a1, "hcm_study"), model(w, w.b, "dan_van_kheo", field="economy")
    report(w, w.t_plan, w.a, 2026, "100"), report(w, w.d_sign, w.b, 2026, "90")
    full = {y: selectors.programme_status(w.root, y, ctx=selectors.Context(y)) for y in (2025, 2026)}

    def whole_tree():
        raise AssertionError("the whole tree was read")
    monkeypatch.setattr(measures, "org_rows", whole_tree)
    page = selectors.Context(2026, root=w.root.path)
    data = selectors.programme_status(w.root, 2026, ctx=page)
    targets = list(w.programme.targets.all())
    trend = selectors.trend(targets, w.root, [2025, 2026], selectors.goals_of(targets), known=page)
    assert data["targets"] == full[2026]["targets"]
    for t in targets:
        assert [r["actual"] for r in trend[t.id]] == [row["actual"] for y in (2025, 2026)
                                                     for row in full[y]["targets"] if row["code"] == t.code]
    kids = selectors.children_of(w.root, page)
    assert [k.code for k in kids] == ["A", "B"]


def test_a_merged_holder_counts_for_its_successor_and_a_dissolved_one_for_nobody(db):
    """Worked case: cells C1 (merged into grassroots G2 in 2026) and C3 (dissolved) hold; G1's
    subtree keeps no holder in force, G2 holds through the merge, G3 holds nothing."""
    orgs = build([(0, "grassroots_committee", "on", 6, 1), (0, "grassroots_committee", "on", 6, 1),
                  (0, "grassroots_committee", "on", 6, 1), (1, "cell", "on", 6, 1), (3, "cell", "on", 6, 1)])
    root, g1, g2, g3, c1, c3 = orgs
    Organization.objects.filter(pk__in=[c1.pk, c3.pk]).update(valid_to=ENDED)
    OrgEvent.objects.create(organization=c1, kind="merge", date=ENDED).related.add(g2)
    s = selectors.rule_settings()
    got = viewcounts.org_tallies({YEAR: [ids_qs([c1.id, c3.id])]}, root.path, within=True, settings=s)[YEAR]
    assert got == {root.path: rules.Tally(3, 1), g1.path: rules.Tally(1, 0), g2.path: rules.Tally(1, 1),
                   g3.path: rules.Tally(1, 0)}
    assert got == in_view(rules.org_tallies(units_now().values(), {c1.id, c3.id}, settings=s), root.path)


member = st.tuples(st.integers(0, 30), st.sampled_from(member_rules.STATES),
                   st.sampled_from([None, "12", "123456789", "012345678901", "987654321012"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nodes=st.lists(node, min_size=0, max_size=14), people=st.lists(member, max_size=25), data=st.data())
def test_the_id_measure_read_at_a_page_equals_the_full_roll_up(db, nodes, people, data):
    """TGT-5 at a page: read from the membership tallies kept per subtree (`viewcounts.member_id_kept`,
    `reports.tallies`) — equal to every member's own count rolled up and read at the page's rows;
    members of any state, at any organisation (the page's own included), with or without a 12-digit
    ID number. The members are inserted in bulk, so the tallies are rebuilt as after a bulk load; that
    the writers keep them exact is `tests/reports`' property."""
    with transaction.atomic():
        orgs = build(nodes)
        Member.objects.bulk_create([
            Member(organization=orgs[pick % len(orgs)], org_path=orgs[pick % len(orgs)].path, full_name=f"Người {i}",
                   sex="M", state=state, national_id=(nid[:-2] + f"{i:02d}") if nid else nid)
            for i, (pick, state, nid) in enumerate(people)])
        tallies_rebuild()
        root = data.draw(st.sampled_from(orgs), label="root").path
        s = selectors.rule_settings()
        got = measures.tallies("members_id12", YEAR, s, root=root)
        own = measures.MEASURES["members_id12"].compute(YEAR, s, None)  # every organisation's own members
        assert got == rules.roll_up(own, root)
        kept = viewcounts.member_id_kept(root, 12)  # what was read
        assert rules.roll_up({p: rules.Tally(*t) for p, t in kept.items()}, root) == got
        transaction.set_rollback(True)


def test_the_id_measure_keeps_siblings_with_a_common_start_apart(db):
    """«77/1/» and «77/10/» sit side by side: each child's range ends right after its own paths."""
    orgs = build([(0, "grassroots_cell", "on", 1, 1)] * 10 + [(1, "cell", "on", 2, 1)])  # 77/1/ … 77/10/, 77/1/11/
    for i, (org, nid) in enumerate([(orgs[1], "012345678901"), (orgs[10], None), (orgs[11], "987654321012"),
                                    (orgs[0], "111111111111")]):
        Member.objects.create(organization=org, org_path=org.path, full_name=f"Người {i}", sex="M",
                              state="official", national_id=nid)
    tallies_rebuild()
    got = measures.tallies("members_id12", YEAR, selectors.rule_settings(), root="77/")
    assert (orgs[1].path, orgs[10].path) == ("77/1/", "77/10/")
    assert got == {"77/": rules.Tally(4, 3), "77/1/": rules.Tally(2, 2), "77/10/": rules.Tally(1, 0)}


def test_reported_targets_in_one_statement_keep_each_its_own_goal(db):
    """`reported_many` (PostgreSQL's page): a figure of 90 reaches one target's goal (80), not the
    other's (none given: 100), though both are summed in the same statement."""
    orgs = build([(0, "grassroots_cell", "on", 1, 1), (0, "grassroots_cell", "on", 1, 1)])
    p = Programme.objects.create(organization=orgs[0], org_path=orgs[0].path, term="2025–2030", title="NQ")
    low = Target.objects.create(programme=p, code="CT1", title="Một", rollup=rules.ORGS_MEETING, org_goal=Decimal(80))
    high = Target.objects.create(programme=p, code="CT2", title="Hai", rollup=rules.ORGS_MEETING, org_goal=None)
    for t in (low, high):
        for org, v in ((orgs[1], "90"), (orgs[2], "120")):
            Figure.objects.create(target=t, organization=org, org_path=org.path, year=YEAR, value=Decimal(v))
    s = selectors.rule_settings()
    counts = viewcounts.counted_by_key(orgs[0].path, [YEAR], s)
    many = viewcounts.reported_many({low.id: Decimal(80), high.id: Decimal(100)}, [YEAR], orgs[0].path, s)
    got = {t.code: viewcounts.reported_from(many[t.id], counts, orgs[0].path, t.rollup)[YEAR][orgs[0].path].tally
           for t in (low, high)}
    assert got == {"CT1": rules.Tally(2, 2), "CT2": rules.Tally(2, 1)}
