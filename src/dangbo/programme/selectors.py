"""Reads of the programme, scoped to the user's part of the tree (accounts.selectors).

`status` is the one computation of a target's figure for an organisation and a year: the CLI
(`dangbo programme status`), the dashboard, the yearly report and the Excel figures all read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from dangbo.accounts.selectors import scope_of
from dangbo.congress.models import Congress
from dangbo.core.rulesettings import configured
from dangbo.orgs.models import Organization
from dangbo.programme import measures, rules, viewcounts
from dangbo.programme.models import (
    ActionItem,
    Commitment,
    CongressPlan,
    Figure,
    ModelRecord,
    Programme,
    Target,
    TargetGoal,
)


def rule_settings() -> rules.ProgrammeRuleSettings:
    return configured(rules.ProgrammeRuleSettings)


# -- scope ------------------------------------------------------------------------------------------


def _tree_q(user, field_name: str = "org_path"):
    scope = scope_of(user)
    if not scope.sees_tree:
        return None
    return Q(**{f"{field_name}__startswith": scope.org_path})


def programme_list(*, user):
    """Programmes of the user's subtree and those of the organisations above it (a secretary sees the
    committee's programme their figures report to)."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return Programme.objects.none()
    above = _prefixes(scope.org_path)
    return Programme.objects.filter(Q(org_path__startswith=scope.org_path) | Q(org_path__in=above)) \
        .select_related("organization", "congress")


def programme_get(*, user, programme_id: int) -> Programme:
    p = programme_list(user=user).filter(pk=programme_id).first()
    if p is None:
        raise Http404("Không tìm thấy chương trình.")
    return p


def target_get(*, user, target_id: int) -> Target:
    t = Target.objects.filter(pk=target_id, programme__in=programme_list(user=user)).select_related(
        "programme", "programme__organization", "task", "parent").first()
    if t is None:
        raise Http404("Không tìm thấy chỉ tiêu.")
    return t


def figure_get(*, user, figure_id: int) -> Figure:
    q = _tree_q(user)
    f = Figure.objects.filter(q, pk=figure_id).select_related("target", "organization").first() if q else None
    if f is None:
        raise Http404("Không tìm thấy số liệu.")
    return f


def model_list(*, user, kind: str | None = None, year: int | None = None, org: Organization | None = None):
    q = _tree_q(user)
    if q is None:
        return ModelRecord.objects.none()
    return models_in(org.path if org else scope_of(user).org_path, kind=kind, year=year)


def models_in(path: str, *, kind: str | None = None, year: int | None = None):
    """Models registered in the subtree at `path`; with `year`, those kept up that year (MOD-1/2)."""
    qs = ModelRecord.objects.filter(org_path__startswith=path).select_related("organization")
    if kind:
        qs = qs.filter(kind=kind)
    if year is not None:
        qs = qs.filter(start_year__lte=year).filter(Q(end_year__isnull=True) | Q(end_year__gte=year))
    return qs


def model_get(*, user, model_id: int) -> ModelRecord:
    q = _tree_q(user)
    m = ModelRecord.objects.filter(q, pk=model_id).select_related("organization", "member").first() if q else None
    if m is None:
        raise Http404("Không tìm thấy mô hình.")
    return m


def item_get(*, user, item_id: int) -> ActionItem:
    i = ActionItem.objects.filter(pk=item_id, task__programme__in=programme_list(user=user)).select_related(
        "task", "task__programme").first()
    if i is None:
        raise Http404("Không tìm thấy việc.")
    return i


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[:i]) for i in range(1, len(parts) + 1)]


# -- which programme an organisation follows --------------------------------------------------------


def programme_for(org: Organization, year: int) -> Programme | None:
    """The programme `org` follows in `year`: its own, else the nearest one above it, whose term holds
    the year (TGT-1)."""
    candidates = Programme.objects.filter(org_path__in=_prefixes(org.path)).select_related("organization")
    best = None
    for p in candidates:
        try:
            first, last = rules.term_years(p.term)
        except ValueError:
            continue
        if first <= year <= last and (best is None or len(p.org_path) > len(best.org_path)):
            best = p
    return best


def shown_years(term: str, year: int) -> tuple[int, ...]:
    """The years of a dashboard's trend: the term's years up to the year shown (at least its first)."""
    first, last = rules.term_years(term)
    return tuple(y for y in range(first, last + 1) if y <= max(year, first))


# -- figures ----------------------------------------------------------------------------------------


def figure_targets(t: Target) -> list[int]:
    """The targets whose figures count for `t`: itself and those adopted under it (TGT-1)."""
    return [t.id, *Target.objects.filter(parent=t).values_list("id", flat=True)]


def figures_of(t: Target, years: list[int], ids: list[int] | None = None):
    """The target's reported figures of `years`, one per organisation and year: its own target's, or
    a target adopted under it (TGT-1: subordinate organisations' targets); when an organisation has
    several, the one of the lowest target id (the committee's own target is created before those
    under it). `ids`: `figure_targets(t)`, when already read."""
    ids = ids if ids is not None else figure_targets(t)
    qs = Figure.objects.filter(target_id__in=ids, year__in=years)
    if len(ids) > 1:
        qs = qs.exclude(Exists(Figure.objects.filter(
            target_id__in=ids, year=OuterRef("year"), organization=OuterRef("organization"),
            target_id__lt=OuterRef("target_id"))))
    return qs


@dataclass
class Context:
    """What one request computes once for a year: each measure's tallies, each reported target's
    roll-up.

    `root`: the organisation the page is about; the figures of it and the organisations directly under
    it (`rules.in_view`: the rows the page shows) are counted in SQL, grouped by those organisations
    (`viewcounts`: a few dozen rows whatever the tree's size). A figure asked for another organisation
    is computed over the whole tree in Python (`rules.org_tallies`, `rules.reported_by_path`: the
    same definitions, property-tested equal)."""

    year: int
    settings: rules.ProgrammeRuleSettings = field(default_factory=rule_settings)
    rows: list | None = None  # measures.org_rows(), read only when a figure outside the view is asked
    root: str | None = None
    _units: dict | None = None
    _tallies: dict = field(default_factory=dict)
    _reported: dict = field(default_factory=dict)
    _figures: dict = field(default_factory=dict)
    #: the years the page shows (its trend): counted together in SQL, see `_batch`
    years: tuple[int, ...] | None = None
    #: tallies of the measures that do not depend on the year, shared by the Contexts of a trend;
    #: "lengths": the path lengths of the counted organisations under the root (`viewcounts`)
    fixed: dict = field(default_factory=dict)

    @property
    def units(self) -> dict[int, rules.Unit]:
        if self._units is None:
            if self.rows is None:
                self.rows = self.fixed["rows"] = self.fixed.get("rows") or measures.org_rows()
            self._units = measures.units(self.year, self.rows)
        return self._units

    def _view(self, path: str | None) -> str | None:
        """The root of the roll-up that holds `path`: this Context's root when `path` is in its view,
        else None (every subtree)."""
        return self.root if path is not None and self.root is not None and rules.in_view(path, self.root) \
            else None

    def _lengths(self) -> list[int]:
        if "lengths" not in self.fixed:
            self.fixed["lengths"] = viewcounts.path_lengths(self.root, self.settings)
        return self.fixed["lengths"]

    def _years(self) -> list[int]:
        """The years a page's figures are counted for at once: those of its trend (`years`, shared
        with the trend's Contexts through `fixed`) when they include this one."""
        years = self.fixed.setdefault("years", tuple(sorted({self.year, *(self.years or ())})))
        return list(years) if self.year in years else [self.year]

    def _batch(self, key: tuple, compute):
        """`compute(years)` → {year: value} once for the page's years, shared by the trend's Contexts."""
        years = self._years()
        key = (*key, tuple(years))
        if key not in self.fixed:
            self.fixed[key] = compute(years)
        return self.fixed[key][self.year]

    def tallies(self, code: str, path: str | None = None) -> dict[str, rules.Tally]:
        """The measure's tallies by path; `path`: the organisation asked for (None: every path)."""
        key = (code, self._view(path))
        if key not in self._tallies:
            m = measures.MEASURES[code]
            if not m.yearly and key in self.fixed:
                self._tallies[key] = self.fixed[key]
            else:
                view = key[1]
                if view is not None and m.over == measures.ORGS:
                    got = self._orgs(view, code)[code][self.year]
                else:
                    got = measures.tallies(code, self.year, self.settings,
                                           self.units if m.over == measures.ORGS else None, root=view,
                                           shown=self.shown(view) if view is not None and m.by_view else None)
                self._tallies[key] = got
                if not m.yearly:
                    self.fixed[key] = got
        return self._tallies[key]

    def expect(self, targets) -> None:
        """Note the measures over organisations `targets` will ask for, so that the first figure of
        the page counts them all, and the counted organisations, in one scan (`_orgs`)."""
        self.fixed.setdefault("org_codes", set()).update(
            t.measure for t in targets if t.source == Target.COMPUTED and t.measure in measures.MEASURES
            and measures.MEASURES[t.measure].over == measures.ORGS)
        self.fixed.setdefault("reported_targets", {}).update({t.id: t for t in targets if t.source == Target.REPORTED})

    def _reported_many(self, view: str, years: list[int]) -> dict[int, list[tuple]]:
        """The figures' rows of every `expect`ed reported target reading its own figures alone, in one
        statement for the page's years (`viewcounts.reported_many`): {figure target id: rows}."""
        key = ("reported_many", view, tuple(years))
        if key not in self.fixed:
            goals = {}
            for t in self.fixed.get("reported_targets", {}).values():
                if ("ids", t.id) not in self.fixed:
                    self.fixed[("ids", t.id)] = figure_targets(t)
                ids = self.fixed[("ids", t.id)]
                if len(ids) == 1:
                    goals[ids[0]] = t.org_goal if t.org_goal is not None else Decimal(100)
            self.fixed[key] = viewcounts.reported_many(goals, years, view, self.settings)
        return self.fixed[key]

    def _orgs(self, view: str, code: str | None = None) -> dict[str, dict]:
        """The tallies of the measures over organisations at `view` for the page's years, {code: {year:
        tallies}}: on the first call, those `expect`ed (and `code`) and the counted organisations
        (`fixed[("counted", …)]`) in one scan; a measure not expected, in a scan of its own."""
        years = self._years()
        bkey = ("orgs", view, tuple(years))
        got = self.fixed.get(bkey)
        if got is None or (code is not None and code not in got):
            codes = ({code} if code else set()) | (set(self.fixed.get("org_codes", ())) if got is None else set())
            tallies, counts = measures.view_tallies_many(codes, years, self.settings, view, *(
                (self._lengths(), self._gone(years)) if codes else ()))
            self.fixed.setdefault(("counted", view, tuple(years)), counts)
            got = self.fixed.setdefault(bkey, {})
            got.update(tallies)
        return got

    def _gone(self, years: list[int]) -> dict[int, list[int]]:
        if "ended" not in self.fixed or not set(years) <= set(self.fixed["ended"]):
            self.fixed["ended"] = viewcounts.ended(years)
        return self.fixed["ended"]

    def shown(self, view: str) -> tuple[int | None, list[tuple[int, str]]]:
        """The organisation at `view` and (id, path) of those directly under it, any year: read once
        a page, for every reported target (its organisations' own figures, `viewcounts.figure_sums`'
        ranges)."""
        key = ("shown", view)
        if key not in self.fixed:
            top = Organization.objects.filter(path=view).values_list("id", flat=True).first()
            self.fixed[key] = (top, list(Organization.objects.filter(parent_id=top).order_by()
                                         .values_list("id", "path")))
        return self.fixed[key]

    def reported(self, t: Target, path: str | None = None) -> tuple[dict[str, rules.Reported], dict[int, Decimal]]:
        """The target's roll-up by path (`path`: the organisation asked for, as in `tallies`), and
        the organisations' own figures (in the view: those of the organisations it shows)."""
        view = self._view(path)
        key = (t.id, view)
        if key not in self._reported:
            if view is not None:
                if ("ids", t.id) not in self.fixed:  # once a page: the roll-up, the own figures, the trend
                    self.fixed[("ids", t.id)] = figure_targets(t)
                ids = self.fixed[("ids", t.id)]

                def rolled(years):
                    ckey = ("counted", view, tuple(years))
                    if ckey not in self.fixed:
                        self._orgs(view)  # with the expected measures' tallies, in one scan
                    if len(ids) == 1 and viewcounts.batch_reported():
                        many = self._reported_many(view, years)
                        if ids[0] in many:
                            return viewcounts.reported_from(many[ids[0]], self.fixed[ckey], view, t.rollup)
                    top, kids = self.shown(view)
                    return viewcounts.reported(figures_of(t, years, ids), self.fixed[ckey], view, t.rollup,
                                               t.org_goal, self.settings, target_ids=ids,
                                               kids=[p for _, p in kids] if top is not None else [])

                def own(years):
                    out = {y: {} for y in years}
                    top, kids = self.shown(view)
                    shown = [top, *(oid for oid, _ in kids)]
                    for oid, y, value in figures_of(t, years, ids).filter(organization_id__in=shown) \
                            .order_by().values_list("organization_id", "year", "value"):
                        out[y][oid] = value
                    return out

                self._reported[key] = self._batch(("reported", *key), rolled)
                self._figures[key] = self._batch(("own", *key), own)
            else:
                figures = dict(figures_of(t, [self.year]).order_by().values_list("organization_id", "value"))
                self._reported[key] = rules.reported_by_path(self.units.values(), figures, t.rollup, t.org_goal,
                                                             self.settings)
                self._figures[key] = figures
        return self._reported[key], self._figures[key]


def goals_of(targets) -> dict[int, dict[int, Decimal]]:
    out: dict[int, dict[int, Decimal]] = {}
    for g in TargetGoal.objects.filter(target__in=targets):
        out.setdefault(g.target_id, {})[g.year] = g.goal
    return out


def page_goals(ctx: Context, targets) -> dict[int, dict[int, Decimal]]:
    """`goals_of(targets)` read once a page (its rows, the organisations under it, the trend)."""
    key = ("goals", tuple(t.id for t in targets))
    if key not in ctx.fixed:
        ctx.fixed[key] = goals_of(targets)
    return ctx.fixed[key]


def how_obtained(t: Target) -> str:
    if t.source == Target.COMPUTED:
        m = measures.MEASURES.get(t.measure)
        return f"Tính từ dữ liệu của hệ thống: {m.label.lower() if m else t.measure}."
    return f"Tổng hợp từ số liệu các tổ chức báo cáo ({rules.ROLLUP_LABELS[t.rollup].lower()})."


def status(t: Target, org: Organization, ctx: Context, goals: dict[int, Decimal] | None = None) -> dict:
    """A target's figure for `org`'s subtree in `ctx.year`: goal, actual, met, colour, how obtained."""
    goal = rules.goal_for(ctx.year, goals if goals is not None else goals_of([t]).get(t.id, {}), t.term_goal)
    tally_out, reporting = None, None
    if t.source == Target.COMPUTED and t.measure in measures.MEASURES:
        tally = ctx.tallies(t.measure, org.path).get(org.path, rules.Tally())
        actual = tally.pct
        if measures.MEASURES[t.measure].over == measures.ORGS:
            tally_out = tally
    else:
        by_path, figures = ctx.reported(t, org.path)
        rep = by_path.get(org.path)
        if rep is None or (rep.tally is not None and rep.tally.counted == 0):
            # no counted organisation in the subtree (a cell): its own figure, if it reported one
            rep = rules.reported_rollup(t.rollup, figures, [org.id], t.org_goal) if org.id in figures \
                else rules.Reported(None)
        if t.rollup == rules.SUM and org.id != t.programme.organization_id:
            goal = None  # a total's goal is the programme organisation's, not each part's
        actual, tally_out, reporting = rep.actual, rep.tally, rep.reporting
    m = rules.met(actual, goal)
    return {"target": t, "code": t.code, "title": t.title, "unit": t.unit, "goal": goal, "actual": actual,
            "met": m, "source": t.source, "colour": rules.colour(actual, goal, ctx.settings),
            "colour_label": rules.colour_label(actual, goal, ctx.settings),
            "organizations": tally_out, "reporting": reporting, "how": how_obtained(t)}


def programme_status(org: Organization, year: int, *, category: str | None = None,
                     ctx: Context | None = None) -> dict | None:
    """Everything `dangbo programme status` prints, plus what the pages need."""
    p = programme_for(org, year)
    if p is None:
        return None
    ctx = ctx or Context(year, root=org.path)
    targets = list(p.targets.all() if category is None else p.targets.filter(category=category))
    goals = page_goals(ctx, targets)
    ctx.expect(targets)
    rows = [status(t, org, ctx, goals.get(t.id, {})) for t in targets]
    tasks = []
    key_tasks = list(p.tasks.all())
    done: dict[int, list[bool]] = {task.id: [] for task in key_tasks}
    for task_id, done_on in ActionItem.objects.filter(task__in=key_tasks, year=year).order_by() \
            .values_list("task_id", "done_on"):  # every task's items in one statement
        done[task_id].append(done_on is not None)
    for task in key_tasks:
        progress = rules.task_progress(done[task.id])
        tasks.append({"task": task, "code": task.code, "title": task.title, "items": progress.items,
                      "done": progress.done})
    return {"programme": p, "org": org, "term": p.term, "year": year, "targets": rows, "tasks": tasks}


def trend(targets: list[Target], org: Organization, years: list[int], goals: dict,
          known: Context | None = None) -> dict[int, list[dict]]:
    """Each target's figure for each year (for the chart): {target id: [status | year, …]}; `known`:
    the page's Context of its own year, reused."""
    settings = known.settings if known is not None else rule_settings()
    fixed = known.fixed if known is not None and known.root == org.path else {"years": tuple(years)}
    out: dict[int, list[dict]] = {t.id: [] for t in targets}
    for y in years:
        ctx = known if known is not None and known.year == y else Context(y, settings, root=org.path, fixed=fixed)
        for t in targets:
            out[t.id].append(status(t, org, ctx, goals.get(t.id, {})) | {"year": y})
    return out


def children_of(org: Organization, ctx: Context) -> list[Organization]:
    """The organisations directly under `org` in force at the end of the year."""
    return list(Organization.objects.filter(viewcounts.in_force(ctx.year), parent=org).order_by("path"))


def own_figures(*, user, t: Target, year: int | None = None):
    q = _tree_q(user)
    if q is None:
        return Figure.objects.none()
    qs = Figure.objects.filter(q, target__in=[t, *t.children.all()]).select_related("organization")
    return qs.filter(year=year) if year else qs


# -- congress season --------------------------------------------------------------------------------


def congress_season(*, user, term: str) -> list[dict]:
    """Subordinate organisations' congresses of `term` in the user's subtree: the plan where one was
    entered, the congress app's record where one exists (its dates win over the plan's held date)."""
    q = _tree_q(user)
    if q is None:
        return []
    scope = scope_of(user)
    plans = {p.organization_id: p for p in CongressPlan.objects.filter(q, term=term)}
    held = {}
    for c in Congress.objects.filter(organization__path__startswith=scope.org_path, term=term) \
            .select_related("organization").order_by("start_date"):
        held.setdefault(c.organization_id, c)
    ids = set(plans) | set(held)
    orgs = Organization.objects.filter(pk__in=ids).exclude(path=scope.org_path)
    rows = []
    for o in orgs:
        p, c = plans.get(o.id), held.get(o.id)
        held_date = c.start_date if c else (p.held_date if p else None)
        status_label = "Đã tổ chức" if held_date else (p.get_status_display() if p else "")
        rows.append({"org": o, "plan": p, "congress": c, "planned": p.planned_date if p else None,
                     "held": held_date, "status": status_label, "documents": p.documents if p else "",
                     "late": bool(p and held_date and held_date > p.planned_date)})
    rows.sort(key=lambda r: (r["planned"] or r["held"], r["org"].path))
    return rows


def plan_get(*, user, plan_id: int) -> CongressPlan:
    q = _tree_q(user)
    p = CongressPlan.objects.filter(q, pk=plan_id).select_related("organization").first() if q else None
    if p is None:
        raise Http404("Không tìm thấy kế hoạch đại hội.")
    return p



# -- members' yearly commitments (MOD-1) ------------------------------------------------------------


def commitment_member(*, user, member_id: int):
    """The member whose commitments the user may read: themselves (a member), or a member of their
    subtree (staff); 404 otherwise (members.selectors.member_get)."""
    from dangbo.members.selectors import member_get

    return member_get(user=user, member_id=member_id)


def can_write_commitment(user, member) -> bool:
    """MOD-1: the member records their own commitment; the secretary (or the office) for the cell."""
    scope = scope_of(user)
    return scope.member_id == member.id or scope.covers_path(member.org_path)


def commitments_of(member) -> list[Commitment]:
    return list(Commitment.objects.filter(member=member).order_by("-year"))


def commitment_rows(*, user, org: Organization, year: int):
    """Counted members of `org`'s subtree (inside the user's scope) with their commitment of `year`
    (None when not yet registered), in name-list order."""
    from dangbo.members.models import Member
    from dangbo.members.rules import COUNTED_STATES

    scope = scope_of(user)
    if not scope.sees_tree or not org.path.startswith(scope.org_path):
        return Member.objects.none()
    return (Member.objects.filter(org_path__startswith=org.path, state__in=COUNTED_STATES)
            .select_related("organization").order_by("org_path", "name_sort", "id"))


def commitments_by_member(ids, year: int) -> dict[int, Commitment]:
    return {c.member_id: c for c in Commitment.objects.filter(member_id__in=list(ids), year=year)}
