"""Writes of the annual appraisal. Each validates, writes and records an audit event atomically.

The grades come from the pure rules (`appraisal.rules`): APR-1 at `campaign_open`, APR-2/3/7 at
`review_propose`, APR-4 (and APR-3's written-reason override) at `campaign_decide`. Permission checks
(who may call what) live in the views, through `appraisal.selectors`.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

from django.db import connection, transaction

from dangbo.appraisal import kept, rules
from dangbo.appraisal.models import DECIDED, DRAFT, PROPOSED, SELF_ASSESSED, Campaign, OrgReview, Review
from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.core.rulesettings import configured
from dangbo.core.textcheck import clean_text
from dangbo.members import rules as member_rules
from dangbo.members.models import Member, MemberEvent
from dangbo.orgs.models import Organization
from dangbo.orgs.rules import OrgKind
from dangbo.text.vietnamese import fold

GRASSROOTS_KINDS = (OrgKind.GRASSROOTS_COMMITTEE.value, OrgKind.GRASSROOTS_CELL.value)
SELF_FIELDS = ("score", "tasks_done_pct", "tasks_late_pct", "tasks_beyond_pct", "shortcomings_fixed",
               "discipline", "degradation", "self_comment")
PCT_FIELDS = ("score", "tasks_done_pct", "tasks_late_pct", "tasks_beyond_pct")
_LEADING_WORDS = ("truong ", "pho ", "giam doc", "chanh ", "tong ", "bi thu", "chu tich", "hieu truong")
PEER_GROUP_LABELS = {"leader": "Cán bộ lãnh đạo, quản lý", "member": "Đảng viên không giữ chức vụ lãnh đạo"}


#: longest free text a form of the appraisal takes (self-comment, host comments, a written reason)
TEXT_MAX = 4000


def bulk_save(objs: list, fields: list[str]) -> None:
    """Write `fields` of many rows in one executemany (Django's bulk_update builds a CASE per row and
    field, which dominated the demo's time): each value prepared by its model field, so JSON and
    dates go in as `save()` would write them. Call inside the service's transaction."""
    if not objs:
        return
    meta = type(objs[0])._meta
    cols = [meta.get_field(f) for f in fields]
    qn = connection.ops.quote_name
    sql = (f"UPDATE {qn(meta.db_table)} SET " + ", ".join(f"{qn(c.column)} = %s" for c in cols)
           + f" WHERE {qn(meta.pk.column)} = %s")
    params = [[c.get_db_prep_save(getattr(o, c.attname), connection) for c in cols] + [o.pk] for o in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def rule_settings() -> rules.AppraisalRuleSettings:
    """The med/low appraisal rules as configured (settings.DANGBO_RULES), documented defaults otherwise."""
    return configured(rules.AppraisalRuleSettings)


def role_of(position: str) -> str:
    """"leader" for a leading or managing position (Trưởng/Phó …, Giám đốc, Chánh …), else "member"."""
    p = fold(position or "").lower() + " "
    return rules.Role.LEADER.value if any(p.startswith(w) or f" {w}" in p for w in _LEADING_WORDS) \
        else rules.Role.MEMBER.value


def _label(field: str) -> str:
    return str(Review._meta.get_field(field).verbose_name)


def _units(org: Organization) -> dict[str, Organization]:
    """Organisations of the subtree and its ancestors by path, to find each cell's grassroots unit."""
    ancestors = [p for p in _prefixes(org.path)]
    qs = Organization.objects.filter(path__startswith=org.path) | Organization.objects.filter(path__in=ancestors)
    return {o.path: o for o in qs}


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{x}/" for x in parts[: i + 1]) for i in range(len(parts))]


def grassroots_unit(org: Organization, by_path: dict[str, Organization]) -> Organization:
    """The grassroots organisation (đảng bộ cơ sở / chi bộ cơ sở) `org` belongs to — where its
    members' grades are decided and the APR-4 quota is counted; `org` itself when there is none."""
    for prefix in reversed(_prefixes(org.path)):
        o = by_path.get(prefix)
        if o is not None and o.kind in GRASSROOTS_KINDS:
            return o
    return org


def _heaviest_disciplines(member_ids, year: int) -> dict[int, str]:
    out: dict[int, str] = {}
    order = rules.DISCIPLINES
    for mid, details in MemberEvent.objects.filter(member_id__in=member_ids, kind="discipline",
                                                   date__year=year).values_list("member_id", "details"):
        level = (details or {}).get("level")
        if level in order and order.index(level) > order.index(out.get(mid, "none")):
            out[mid] = level
    return out


@transaction.atomic
def campaign_open(*, actor, organization: Organization, year: int, review_date: date | None = None,
                  deadline: date | None = None, note: str = "") -> Campaign:
    """Open the appraisal of `year` for `organization`'s subtree: a review for every current member.

    APR-1 — members exempt from activities, members suspended from party activities (the registry's
    `suspended` flag, from suspension events) and members admitted less than 6 months before the
    review date are created decided, grade not_reviewed, with the reason; people admitted after the
    review date get no review. APR-6 — a member on temporary transfer is reviewed at the permanent
    cell, the host recorded for its written comments. APR-5 — an organisation review for every
    organisation of the subtree below `organization`, with the level that decides it. APR-7 — the
    regulation comes from the year. Disciplines recorded in the year are pre-filled (APR-3).
    Reviews are bulk-created.
    """
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput("Năm đánh giá không hợp lệ.", field="year")
    if organization.valid_to is not None:
        raise InvalidInput(f"«{organization.name}» đã giải thể.", field="organization")
    if Campaign.objects.filter(year=year, organization=organization).exists():
        raise InvalidInput(f"Đã có đợt đánh giá năm {year} của «{organization.name}».", field="year")
    cfg = rule_settings()
    review_date = review_date or rules.default_review_date(year)
    deadline = deadline or review_date
    if deadline < date(year, 1, 1):
        raise InvalidInput("Hạn hoàn thành phải trong hoặc sau năm đánh giá.", field="deadline")
    regulation = rules.regulation_for_year(year, settings=cfg)
    note = clean_text(note, field="note", label="Ghi chú", max_length=Campaign._meta.get_field("note").max_length)
    campaign = Campaign.objects.create(year=year, organization=organization, org_path=organization.path,
                                       review_date=review_date, deadline=deadline, regulation=regulation,
                                       note=note)
    by_path = _units(organization)
    members = [m for m in Member.objects.filter(org_path__startswith=organization.path,
                                                state__in=member_rules.COUNTED_STATES)
               .select_related("organization", "temp_host")
               if m.admission_date is None or m.admission_date <= review_date]
    disciplines = _heaviest_disciplines([m.pk for m in members], year)
    old = regulation == rules.REGULATION_124
    rows, excluded = [], 0
    for m in members:
        role = role_of(m.position)
        r = Review(campaign=campaign, member=m, organization=m.organization,
                   unit=grassroots_unit(m.organization, by_path), org_path=m.org_path,
                   peer_group=PEER_GROUP_LABELS[role], role=role, regulation=regulation,
                   discipline=disciplines.get(m.pk, "none"), temporary=m.away, temp_host=m.temp_host,
                   host_name=m.temp_host_name if m.away else "",
                   host_path=m.temp_host.path if m.away and m.temp_host else "")
        why = rules.not_reviewed_reason(exempt=m.state == member_rules.EXEMPT, suspended=m.suspended,
                                        admitted=m.admission_date, review_date=review_date, settings=cfg)
        if why:
            excluded += 1
            r.status, r.proposed_grade, r.decided_grade, r.note = DECIDED, rules.NOT_REVIEWED, rules.NOT_REVIEWED, why
            r.reasons = ["APR-1", "APR-7"] if old else ["APR-1"]
        rows.append(r)
    Review.objects.bulk_create(rows, batch_size=1000)
    kept.after(kept.before([]), rows)  # APR-1's not reviewed count nowhere; kept for any later rule
    org_rows = _org_reviews(campaign, organization, by_path, regulation)
    OrgReview.objects.bulk_create(org_rows, batch_size=1000)
    audit_record(actor=actor, action="appraisal.open", obj=campaign, org_path=campaign.org_path,
                 after={"year": year, "organization": organization.pk, "review_date": review_date,
                        "deadline": deadline, "regulation": regulation, "reviews": len(rows),
                        "not_reviewed": excluded, "org_reviews": len(org_rows)})
    return campaign


def decider_of(org: Organization, by_path: dict[str, Organization]) -> tuple[str, Organization | None]:
    """APR-5 (rules.deciding_level): the level that decides `org`'s grade and the organisation whose
    committee it is — the grassroots committee above a cell or sub-committee, else the parent."""
    prefixes = _prefixes(org.path)
    parent = by_path.get(prefixes[-2]) if len(prefixes) > 1 else None
    level = rules.deciding_level(org.kind, parent.kind if parent else None)
    if level == rules.DECIDER_GRASSROOTS_COMMITTEE:
        unit = grassroots_unit(parent, by_path) if parent else None
        return level, unit if unit is not None and unit.kind == OrgKind.GRASSROOTS_COMMITTEE else None
    return level, parent


def _org_reviews(campaign: Campaign, root: Organization, by_path, regulation: str) -> list[OrgReview]:
    out = []
    for path, org in sorted(by_path.items()):
        if not path.startswith(root.path) or path == root.path or org.valid_to is not None:
            continue
        try:
            level, decider = decider_of(org, by_path)
        except ValueError:
            continue
        if decider is None or not decider.path.startswith(root.path):
            continue
        out.append(OrgReview(campaign=campaign, organization=org, org_path=org.path, decider=decider,
                             decider_level=level, peer_group=rules.org_peer_group(org.kind), regulation=regulation))
    return out


class _Errors(dict):
    """Every problem of a form's data by field, so the clerk sees them all at once (UI.md)."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, message)

    def raise_any(self) -> None:
        if self:
            raise InvalidInput(" ".join(self.values()), field=next(iter(self)), errors=dict(self))


def _number(value, *, integer: bool = False):
    """A float (or int) from a form value, None when empty, ValueError when not a number."""
    if value in (None, ""):
        return None
    number = int(value) if integer else float(value)
    if not integer and math.isnan(number):
        raise ValueError
    return number


def _clean_self(data: dict, *, uses_score: bool, errors: _Errors | None = None) -> dict:
    """The self-assessment's inputs, checked; every problem reported at once (InvalidInput.errors)."""
    own = errors is None
    errors = _Errors() if own else errors
    out = {f: data[f] for f in SELF_FIELDS if f in data}
    for f in PCT_FIELDS:
        try:
            value = _number(out.get(f))
        except (TypeError, ValueError):
            errors.add(f, f"Trường «{_label(f)}» phải là một số.")
            continue
        if value is None:
            if f == "score" and not uses_score:
                out[f] = None
            else:
                errors.add(f, f"Trường «{_label(f)}» là bắt buộc.")
            continue
        if not 0 <= value <= 100:
            errors.add(f, f"Trường «{_label(f)}» phải là một số từ 0 đến 100.")
            continue
        out[f] = value
    for f in ("tasks_late_pct", "tasks_beyond_pct"):
        if isinstance(out.get(f), float) and isinstance(out.get("tasks_done_pct"), float) \
                and f not in errors and out[f] > out["tasks_done_pct"]:
            errors.add(f, f"Trường «{_label(f)}» không được lớn hơn «{_label('tasks_done_pct')}» "
                          "(chỉ tính trong số nhiệm vụ đã hoàn thành).")
    if out.get("discipline", "none") not in rules.DISCIPLINES:
        errors.add("discipline", f"Trường «{_label('discipline')}»: lựa chọn không hợp lệ.")
    for f in ("shortcomings_fixed", "degradation"):
        if f in out:
            out[f] = bool(out[f])
    if "self_comment" in out:
        try:
            out["self_comment"] = clean_text(out["self_comment"], field="self_comment", label=_label("self_comment"),
                                             max_length=TEXT_MAX, multiline=True)
        except InvalidInput as exc:
            errors.add("self_comment", exc.message)
    if own:
        errors.raise_any()
    return out


LEAVE_FIELDS = ("leave_months", "maternity", "tasks_assigned", "tasks_done_n", "tasks_late_n", "tasks_beyond_n")
COUNT_FIELDS = ("tasks_assigned", "tasks_done_n", "tasks_late_n", "tasks_beyond_n")


def _clean_leave(data: dict, cfg, errors: _Errors | None = None) -> tuple[dict, dict]:
    """APR-6 (HD 43-HD/BTCTW §7.5): the leave and the task counts of a self-assessment. When the
    counts are given, the three task percentages are computed from them by `rules.leave_task_shares`
    (on the work actually expected during long sick or maternity leave) and replace those typed.
    Returns (leave fields, percentages computed or {}); every problem reported at once."""
    own = errors is None
    errors = _Errors() if own else errors
    out: dict = {"maternity": bool(data.get("maternity"))}
    try:
        months = _number(data.get("leave_months")) or 0.0
    except (TypeError, ValueError):
        months = -1.0
    if not 0 <= months <= 12:
        errors.add("leave_months", f"Trường «{_label('leave_months')}» phải là một số từ 0 đến 12 (tháng trong năm).")
    out["leave_months"] = months
    for f in COUNT_FIELDS:
        try:
            value = _number(data.get(f), integer=True)
        except (TypeError, ValueError):
            value = -1
        if value is not None and value < 0:
            errors.add(f, f"Trường «{_label(f)}» phải là một số nguyên không âm.")
        out[f] = value
    shares: dict = {}
    counts_ok = not any(f in errors for f in COUNT_FIELDS)
    if out["tasks_assigned"] is None:
        if any(out[f] is not None for f in COUNT_FIELDS[1:]):
            errors.add("tasks_assigned", f"Nhập «{_label('tasks_assigned')}» để tính tỷ lệ từ số nhiệm vụ.")
    elif counts_ok:
        assigned, (done, late, beyond) = out["tasks_assigned"], (out[f] or 0 for f in COUNT_FIELDS[1:])
        if done > assigned:
            errors.add("tasks_done_n", f"Trường «{_label('tasks_done_n')}» ({done}) không được lớn hơn "
                                       f"«{_label('tasks_assigned')}» ({assigned}).")
        for f, n in (("tasks_late_n", late), ("tasks_beyond_n", beyond)):
            if n > done:
                errors.add(f, f"Trường «{_label(f)}» ({n}) không được lớn hơn «{_label('tasks_done_n')}» ({done}).")
        if not errors:
            try:
                s = rules.leave_task_shares(assigned=assigned, done=done, late=late, beyond=beyond,
                                            months_on_leave=months, maternity=out["maternity"], settings=cfg)
            except ValueError as exc:
                errors.add("leave_months", str(exc))
            else:
                shares = {"tasks_done_pct": s.done_pct, "tasks_late_pct": s.late_pct, "tasks_beyond_pct": s.beyond_pct}
    if own:
        errors.raise_any()
    return out, shares


def self_assessment_errors(data: dict, *, uses_score: bool) -> dict[str, str]:
    """Every problem of a member's self-assessment by field ({} when it can be saved): the checks of
    `review_self_assess`, for a form that also shows its own errors."""
    errors = _Errors()
    _, shares = _clean_leave(data, rule_settings(), errors)
    _clean_self({**data, **shares}, uses_score=uses_score, errors=errors)
    return dict(errors)


def on_long_leave(review: Review, cfg) -> bool:
    """APR-6: maternity, or sick leave of at least `long_leave_min_months` in the year."""
    return review.maternity or review.leave_months >= cfg.long_leave_min_months


def _inputs(review: Review) -> dict:
    return {f: getattr(review, f) for f in (*SELF_FIELDS, *LEAVE_FIELDS)}


@transaction.atomic
def review_self_assess(*, actor, review: Review, data: dict) -> Review:
    """The member's self-assessment: the inputs of `rules.grade_member` (Vietnamese messages name the
    field). Allowed while the cell has not proposed a grade."""
    review = Review.objects.select_for_update().select_related("campaign").get(pk=review.pk)
    if review.status not in (DRAFT, SELF_ASSESSED):
        raise InvalidInput("Chi bộ đã đề xuất xếp loại; phiếu tự đánh giá không sửa được nữa.")
    before = _inputs(review)
    counted = kept.before([review])
    errors = _Errors()
    leave, shares = _clean_leave(data, rule_settings(), errors)
    cleaned = {**_clean_self({**data, **shares}, uses_score=review.campaign.uses_score, errors=errors), **leave}
    errors.raise_any()
    if "discipline" in cleaned:
        # APR-3: a member may report a discipline the registry does not have yet, never a lighter one
        # than the registry records for the year
        recorded = _heaviest_disciplines([review.member_id], review.campaign.year).get(review.member_id, "none")
        order = rules.DISCIPLINES
        if order.index(cleaned["discipline"]) < order.index(recorded):
            cleaned["discipline"] = recorded
    for key, value in cleaned.items():
        setattr(review, key, value)
    review.status = SELF_ASSESSED
    review.save()
    kept.after(counted, [review])
    after = _inputs(review)
    audit_record(actor=actor, action="appraisal.self_assess", obj=review, org_path=review.org_path,
                 before={k: before[k] for k in after if after[k] != before[k]},
                 after={**{k: after[k] for k in after if after[k] != before[k]}, "status": review.status})
    return review


def _grade(review: Review, campaign: Campaign, cfg) -> rules.Grading:
    try:
        return rules.grade_member(
            role=review.role, score=review.score, tasks_done_pct=review.tasks_done_pct,
            tasks_late_pct=review.tasks_late_pct, tasks_beyond_pct=review.tasks_beyond_pct,
            shortcomings_fixed=review.shortcomings_fixed, discipline=review.discipline,
            degradation=review.degradation, year=campaign.year, review_date=campaign.review_date, settings=cfg)
    except ValueError as exc:
        raise InvalidInput(f"{review.member.full_name}: {exc}") from exc


def _set_proposal(review: Review, g: rules.Grading) -> None:
    note, reasons = g.note, list(g.reasons)
    if review.temporary and g.grade != rules.NOT_REVIEWED:  # APR-6: the host's comments go with the grade
        if review.host_comments.strip():
            host_note = rules.temporary_member_note(host_org_name=review.host_name or "nơi sinh hoạt tạm thời",
                                                    host_comments=review.host_comments)
        else:  # only reached with temporary_without_host_comments = "flag"
            host_note = "Chưa có nhận xét bằng văn bản của nơi sinh hoạt tạm thời (APR-6)."
        note = f"{note} {host_note}".strip()
        reasons = list(dict.fromkeys((*reasons, "APR-6")))
    if g.grade != rules.NOT_REVIEWED and on_long_leave(review, rule_settings()):
        what = "nghỉ thai sản" if review.maternity else f"nghỉ ốm {review.leave_months:g} tháng"
        basis = " (tỷ lệ tính từ số nhiệm vụ)" if review.tasks_assigned is not None else ""
        note = f"{note} Xếp loại trên công việc thực tế trong thời gian công tác, {what}{basis} (APR-6).".strip()
        reasons = list(dict.fromkeys((*reasons, "APR-6")))
    review.proposed_grade, review.reasons, review.note, review.regulation = g.grade, reasons, note, g.regulation
    review.status = PROPOSED


def _host_block(review: Review, cfg) -> str | None:
    return rules.host_comments_missing(temporary=review.temporary, host_comments=review.host_comments,
                                       host_org_name=review.host_name, settings=cfg)


@transaction.atomic
def review_propose(*, actor, review: Review) -> Review:
    """The cell's proposal: the grade `rules.grade_member` gives the self-assessment (APR-2/3/7)."""
    review = Review.objects.select_for_update().select_related("campaign", "member").get(pk=review.pk)
    if review.status not in (SELF_ASSESSED, PROPOSED):
        raise InvalidInput("Chỉ đề xuất được phiếu đã tự đánh giá và chưa có quyết định.")
    cfg = rule_settings()
    blocked = _host_block(review, cfg)
    if blocked:
        raise InvalidInput(f"{review.member.full_name}: {blocked}", field="host_comments")
    counted = kept.before([review])
    _set_proposal(review, _grade(review, review.campaign, cfg))
    review.save()
    kept.after(counted, [review])
    audit_record(actor=actor, action="appraisal.propose", obj=review, org_path=review.org_path,
                 after={"proposed_grade": review.proposed_grade, "reasons": review.reasons, "note": review.note})
    return review


@transaction.atomic
def cell_propose(*, actor, campaign: Campaign, organization: Organization) -> int:
    """Propose the grade of every self-assessed review of one cell (bulk; one audit row). Members on
    temporary transfer still waiting for the host's written comments are left self-assessed (APR-6,
    see `cell_waiting_for_host`)."""
    cfg = rule_settings()
    reviews = [r for r in campaign.reviews.select_for_update().select_related("member")
               .filter(organization=organization, status=SELF_ASSESSED) if not _host_block(r, cfg)]
    counted = kept.before(reviews)
    for r in reviews:
        _set_proposal(r, _grade(r, campaign, cfg))
    bulk_save(reviews, ["proposed_grade", "reasons", "note", "regulation", "status"])
    kept.after(counted, reviews)
    audit_record(actor=actor, action="appraisal.propose_cell", obj=campaign, org_path=organization.path,
                 after={"organization": organization.pk,
                        "proposed": dict(Counter(r.proposed_grade for r in reviews))})
    return len(reviews)


def cell_waiting_for_host(campaign: Campaign, organization: Organization) -> int:
    """Self-assessed reviews of a cell that `cell_propose` leaves for the host's comments (APR-6)."""
    cfg = rule_settings()
    return sum(1 for r in campaign.reviews.filter(organization=organization, status=SELF_ASSESSED, temporary=True)
               if _host_block(r, cfg))


@transaction.atomic
def review_host_comments(*, actor, review: Review, text: str, on: date | None = None) -> Review:
    """Record the host organisation's written comments on a member on temporary transfer (APR-6 —
    HD 43-HD/BTCTW §7.6): entered by the host's committee, or transcribed from the host's letter by the
    permanent cell. Allowed until the grade is decided; a proposal already made is re-made."""
    review = Review.objects.select_for_update().select_related("campaign", "member").get(pk=review.pk)
    if not review.temporary:
        raise InvalidInput("Đảng viên này không sinh hoạt tạm thời nơi khác khi mở đợt đánh giá.", field="host_comments")
    if review.status == DECIDED:
        raise InvalidInput("Phiếu đã có quyết định xếp loại; không sửa nhận xét được nữa.", field="host_comments")
    text = clean_text(text, field="host_comments", label="Nhận xét của nơi sinh hoạt tạm thời", max_length=TEXT_MAX,
                      multiline=True)
    if not text:
        raise InvalidInput("Trường «Nhận xét của nơi sinh hoạt tạm thời» là bắt buộc.", field="host_comments")
    before = {"host_comments": review.host_comments}
    counted = kept.before([review])
    review.host_comments = text
    review.host_commented_by = actor.get_username() if getattr(actor, "is_authenticated", False) else "hệ thống"
    review.host_commented_on = on or date.today()
    if review.status == PROPOSED:
        _set_proposal(review, _grade(review, review.campaign, rule_settings()))
    review.save()
    kept.after(counted, [review])
    audit_record(actor=actor, action="appraisal.host_comments", obj=review, org_path=review.org_path,
                 before=before, after={"host_comments": text, "host": review.host_name,
                                       "on": review.host_commented_on})
    return review


def quota_rows(campaign: Campaign, unit: Organization, grades: dict[int, str], peer_groups: dict[int, str], *,
               exceptions=()) -> list[rules.PeerQuota]:
    """APR-4 per peer group of one grassroots unit (not_reviewed never counts)."""
    counted = {k: g for k, g in grades.items() if g and g != rules.NOT_REVIEWED}
    return rules.apply_quota(counted, {k: peer_groups[k] for k in counted}, exceptions=exceptions,
                             settings=rule_settings())


def quota_message(rows: list[rules.PeerQuota]) -> str:
    cfg = rule_settings()
    parts = [f"nhóm «{q.peer_group}» có {q.excellent} «{rules.GRADE_LABELS[rules.EXCELLENT]}», tối đa "
             f"{q.max_excellent} ({cfg.quota_pct:g}% của {q.good} «{rules.GRADE_LABELS[rules.GOOD]}»)"
             for q in rows if q.exceeded]
    return ("Vượt tỷ lệ xuất sắc (APR-4): " + "; ".join(parts) + ". Xếp loại khác (ghi rõ lý do) để đưa về "
            "trong tỷ lệ trước khi lưu quyết định.")


def _with_overrides(pending, overrides: dict, name_of) -> tuple[dict[int, rules.Grading], set[int]]:
    """The deciding level's grades for pending reviews (a member's or an organisation's): the
    proposal, or — APR-3 — another grade with its written reason (rules.override). Returns the
    gradings by id and the ids graded otherwise; a missing reason names the review's subject."""
    decided: dict[int, rules.Grading] = {}
    overridden: set[int] = set()
    for r in pending:
        g = rules.Grading(r.proposed_grade, tuple(r.reasons), r.regulation, r.note)
        if r.pk in overrides:
            new_grade, reason = overrides[r.pk]
            reason = clean_text(reason, field=f"reason_{r.pk}", label=f"Lý do xếp loại khác ({name_of(r)})",
                                max_length=TEXT_MAX, multiline=True)
            if (new_grade and new_grade != r.proposed_grade) or (reason or "").strip():
                try:
                    g = rules.override(g, new_grade or r.proposed_grade, reason)
                except ValueError as exc:
                    raise InvalidInput(f"{name_of(r)}: {exc}", field=f"reason_{r.pk}") from exc
                overridden.add(r.pk)
        decided[r.pk] = g
    return decided, overridden


@transaction.atomic
def campaign_decide(*, actor, campaign: Campaign, unit: Organization, overrides: dict | None = None,
                    exceptions=(), exception_basis: str = "") -> int:
    """The deciding level decides the proposed grades of one grassroots unit.

    `overrides` maps a review id to (grade, written reason): APR-3 — the deciding level may grade
    otherwise, always with a reason (rules.override). APR-4 — the excellent quota is checked per peer
    group over every decided review of the unit (those decided before and these); the decision is
    refused while a group exceeds it. Returns the number of reviews decided.
    """
    overrides = overrides or {}
    exceptions = sorted(set(exceptions))
    exception_basis = clean_text(exception_basis, field="exception_basis", label="Văn bản cho phép", max_length=255)
    if exceptions and not exception_basis:
        # APR-4: 25 % only "where the competent level allows" — the permission is cited, never assumed
        raise InvalidInput("Áp dụng tỷ lệ 25% phải ghi văn bản cho phép của cấp có thẩm quyền (APR-4).",
                           field="exception_basis")
    unit_reviews = list(campaign.reviews.select_for_update().filter(unit=unit).select_related("member"))
    pending = [r for r in unit_reviews if r.status == PROPOSED]
    if not pending:
        raise InvalidInput(f"«{unit.name}» chưa có phiếu nào được chi bộ đề xuất để quyết định.")
    unknown = set(overrides) - {r.pk for r in pending}
    if unknown:
        raise InvalidInput("Chỉ xếp loại khác được các phiếu đang chờ quyết định.", field="overrides")
    decided, overridden = _with_overrides(pending, overrides, lambda r: r.member.full_name)
    grades = {r.pk: r.decided_grade for r in unit_reviews if r.status == DECIDED}
    grades.update({k: g.grade for k, g in decided.items()})
    rows = quota_rows(campaign, unit, grades, {r.pk: r.peer_group for r in unit_reviews}, exceptions=exceptions)
    if any(q.exceeded for q in rows):
        raise InvalidInput(quota_message(rows), field="quota")
    counted = kept.before(pending)
    for r in pending:
        g = decided[r.pk]
        r.decided_grade, r.reasons, r.status = g.grade, list(g.reasons), DECIDED
        r.override_reason = g.note if r.pk in overridden else ""
    bulk_save(pending, ["decided_grade", "reasons", "status", "override_reason"])
    kept.after(counted, pending)
    for r in pending:
        if r.override_reason:
            audit_record(actor=actor, action="appraisal.override", obj=r, org_path=r.org_path,
                         before={"proposed_grade": r.proposed_grade},
                         after={"decided_grade": r.decided_grade, "override_reason": r.override_reason})
    audit_record(actor=actor, action="appraisal.decide", obj=campaign, org_path=unit.path,
                 after={"unit": unit.pk, "decided": len(pending),
                        "grades": dict(Counter(g.grade for g in decided.values())),
                        "quota": [q._asdict() for q in rows],
                        "exceptions": exceptions, "exception_basis": exception_basis})
    return len(pending)


# --------------------------------------------------------------------------------------------------
# Organisation grades (APR-5)
# --------------------------------------------------------------------------------------------------

ORG_SELF_FIELDS = ("score", "tasks_done_pct", "tasks_late_pct", "tasks_beyond_pct", "shortcomings_fixed",
                   "discipline", "degradation", "unit_plan_pct", "self_comment")


def _org_label(field: str) -> str:
    return str(OrgReview._meta.get_field(field).verbose_name)


def _org_inputs(o: OrgReview) -> dict:
    return {f: getattr(o, f) for f in ORG_SELF_FIELDS}


@transaction.atomic
def org_self_assess(*, actor, org_review: OrgReview, data: dict) -> OrgReview:
    """The collective's self-assessment of an organisation (the inputs of `rules.org_grade`); allowed
    until the grade is decided, a proposal made before is withdrawn (status back to self-assessed)."""
    o = OrgReview.objects.select_for_update().select_related("campaign", "organization").get(pk=org_review.pk)
    if o.status == DECIDED:
        raise InvalidInput("Đã có quyết định xếp loại tổ chức; không sửa được nữa.")
    cleaned = _clean_self({k: v for k, v in data.items() if k != "unit_plan_pct"}, uses_score=o.campaign.uses_score)
    plan = data.get("unit_plan_pct")
    if plan in (None, ""):
        cleaned["unit_plan_pct"] = None
    else:
        try:
            plan = float(plan)
        except (TypeError, ValueError):
            plan = -1
        if math.isnan(plan) or not 0 <= plan <= 100:
            raise InvalidInput(f"Trường «{_org_label('unit_plan_pct')}» phải là một số từ 0 đến 100.",
                               field="unit_plan_pct")
        cleaned["unit_plan_pct"] = plan
    before = _org_inputs(o)
    for k, v in cleaned.items():
        setattr(o, k, v)
    o.status, o.proposed_grade, o.reasons, o.note, o.member_grades = SELF_ASSESSED, "", [], "", {}
    o.save()
    after = _org_inputs(o)
    audit_record(actor=actor, action="appraisal.org_self_assess", obj=o, org_path=o.org_path,
                 before={k: before[k] for k in after if after[k] != before[k]},
                 after={**{k: after[k] for k in after if after[k] != before[k]}, "status": o.status})
    return o


def member_grades_of(campaign: Campaign, org: Organization) -> tuple[list[str], int]:
    """The decided grades of the members of `org`'s subtree in the campaign (not_reviewed left out),
    and how many of its reviews are not decided yet."""
    rows = list(campaign.reviews.filter(org_path__startswith=org.path).values_list("status", "decided_grade"))
    grades = [g for st, g in rows if st == DECIDED and g != rules.NOT_REVIEWED]
    return grades, sum(1 for st, _ in rows if st != DECIDED)


def _org_grading(o: OrgReview, cfg) -> rules.Grading:
    grades, undecided = member_grades_of(o.campaign, o.organization)
    if undecided:
        raise InvalidInput(f"«{o.organization.name}» còn {undecided} đảng viên chưa có quyết định xếp loại: "
                           "xếp loại tổ chức căn cứ kết quả xếp loại đảng viên (APR-5).", field="members")
    try:
        g = rules.org_grade(grades, o.score, year=o.campaign.year, tasks_done_pct=o.tasks_done_pct,
                            tasks_late_pct=o.tasks_late_pct, tasks_beyond_pct=o.tasks_beyond_pct,
                            shortcomings_fixed=o.shortcomings_fixed, discipline=o.discipline,
                            degradation=o.degradation, unit_plan_pct=o.unit_plan_pct, settings=cfg)
    except ValueError as exc:
        raise InvalidInput(f"{o.organization.name}: {exc}") from exc
    o.member_grades = {k: v["count"] for k, v in rules.grade_counts(grades).items() if v["count"]}
    return g


@transaction.atomic
def org_propose(*, actor, org_review: OrgReview) -> OrgReview:
    """The grade the rules give an organisation (APR-5: `rules.org_grade` on the collective's
    self-assessment and its members' decided grades). Refused while a member's grade is undecided."""
    o = OrgReview.objects.select_for_update().select_related("campaign", "organization").get(pk=org_review.pk)
    if o.status not in (SELF_ASSESSED, PROPOSED):
        raise InvalidInput(f"«{o.organization.name}»: chỉ đề xuất được khi tập thể đã tự đánh giá và chưa có quyết định.")
    g = _org_grading(o, rule_settings())
    o.proposed_grade, o.reasons, o.note, o.regulation, o.status = g.grade, list(g.reasons), g.note, g.regulation, \
        PROPOSED
    o.save()
    audit_record(actor=actor, action="appraisal.org_propose", obj=o, org_path=o.org_path,
                 after={"proposed_grade": o.proposed_grade, "reasons": o.reasons, "note": o.note,
                        "member_grades": o.member_grades})
    return o


def org_quota_rows(grades: dict[int, str], peer_groups: dict[int, str], *, exceptions=()) -> list[rules.PeerQuota]:
    """APR-4 over organisations of one deciding level, per peer group of organisations."""
    counted = {k: g for k, g in grades.items() if g}
    return rules.apply_quota(counted, {k: peer_groups[k] for k in counted}, exceptions=exceptions,
                             settings=rule_settings())


@transaction.atomic
def org_decide(*, actor, campaign: Campaign, decider: Organization, overrides: dict | None = None,
               exceptions=(), on: date | None = None) -> int:
    """The deciding level (APR-5) decides the proposed grades of the organisations it grades — for
    this committee its standing committee, the 12 grassroots organisations.

    `overrides` maps an OrgReview id to (grade, written reason) (APR-3, rules.override). Refused, with
    nothing saved, when a decided grade contradicts the members' grades (rules.org_grade_problems,
    APR-5) or the organisations' excellent quota is exceeded in a peer group (APR-4).
    """
    overrides = overrides or {}
    cfg = rule_settings()
    rows = list(campaign.org_reviews.select_for_update().filter(decider=decider).select_related("organization"))
    pending = [o for o in rows if o.status == PROPOSED]
    if not pending:
        raise InvalidInput(f"Không có tổ chức nào chờ «{decider.name}» quyết định xếp loại.")
    if set(overrides) - {o.pk for o in pending}:
        raise InvalidInput("Chỉ xếp loại khác được các tổ chức đang chờ quyết định.", field="overrides")
    decided, overridden = _with_overrides(pending, overrides, lambda o: o.organization.name)
    problems = []
    for o in pending:
        members = [g2 for g2, n in o.member_grades.items() for _ in range(int(n))]
        problems += [f"{o.organization.name}: {p}"
                     for p in rules.org_grade_problems(decided[o.pk].grade, members, settings=cfg)]
    if problems:
        raise InvalidInput(" ".join(problems), field="consistency")
    grades = {o.pk: o.decided_grade for o in rows if o.status == DECIDED}
    grades.update({k: g.grade for k, g in decided.items()})
    quota = org_quota_rows(grades, {o.pk: o.peer_group for o in rows}, exceptions=exceptions)
    if any(q.exceeded for q in quota):
        raise InvalidInput(quota_message(quota).replace("Vượt tỷ lệ xuất sắc (APR-4)",
                                                        "Vượt tỷ lệ tổ chức xuất sắc (APR-4)"), field="quota")
    who = actor.get_username() if getattr(actor, "is_authenticated", False) else "hệ thống"
    for o in pending:
        g = decided[o.pk]
        o.decided_grade, o.reasons, o.status = g.grade, list(g.reasons), DECIDED
        o.override_reason = g.note if o.pk in overridden else ""
        o.decided_by, o.decided_on = who, on or date.today()
    bulk_save(pending, ["decided_grade", "reasons", "status", "override_reason", "decided_by", "decided_on"])
    for o in pending:
        if o.override_reason:
            audit_record(actor=actor, action="appraisal.org_override", obj=o, org_path=o.org_path,
                         before={"proposed_grade": o.proposed_grade},
                         after={"decided_grade": o.decided_grade, "override_reason": o.override_reason})
    audit_record(actor=actor, action="appraisal.org_decide", obj=campaign, org_path=decider.path,
                 after={"decider": decider.pk, "decided": len(pending),
                        "grades": {o.organization_id: decided[o.pk].grade for o in pending},
                        "quota": [q._asdict() for q in quota]})
    return len(pending)
