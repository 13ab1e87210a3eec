"""Reads of the member procedures, always scoped (see accounts.selectors): office staff and
secretaries see the admission files of their subtree; "what is due" lists the deadlines of the
user's part of the tree, sorted by date."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from dangbo.accounts.selectors import scope_of
from dangbo.core.rulesettings import configured
from dangbo.members import rules as mr
from dangbo.members.models import Member, MemberEvent
from dangbo.procedures import rules
from dangbo.procedures.models import Applicant

#: how far ahead "what is due" looks
HORIZON_DAYS = 90

#: Other apps' deadlines in "what is due": name → fn(org_path, today, until) returning
#: (date, what, who, organisation name, link) tuples for the members under `org_path` due up to
#: `until`. The fees app registers "fee_reliefs" (exemptions and reductions ending) at `ready()`, so
#: procedures never imports fees.
DUE_SOURCES: dict[str, Callable[[str, date, date], Iterable[tuple[date, str, str, str, str]]]] = {}


#: the heading of each source's kind on «Việc cần làm»
DUE_LABELS: dict[str, str] = {}


def due_register(name: str, fn: Callable[[str, date, date], Iterable[tuple[date, str, str, str, str]]], *,
                 label: str = "Việc khác đến hạn") -> None:
    DUE_SOURCES[name] = fn
    DUE_LABELS[name] = label


def applicant_list(*, user, include_done: bool = False):
    scope = scope_of(user)
    if not scope.sees_tree:
        return Applicant.objects.none()
    qs = Applicant.objects.filter(org_path__startswith=scope.org_path).select_related("organization")
    return qs if include_done else qs.filter(member__isnull=True)


def applicant_get(*, user, applicant_id: int) -> Applicant:
    a = applicant_list(user=user, include_done=True).filter(pk=applicant_id).first()
    if a is None:
        raise Http404("Không tìm thấy hồ sơ kết nạp.")
    return a


def introducer_choices(*, user):
    """Official members of the user's subtree who may introduce (ADM-2), by name."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return Member.objects.none()
    return Member.objects.filter(org_path__startswith=scope.org_path, state__in=list(mr.OFFICIAL_STATES)) \
        .order_by("name_sort").only("id", "full_name", "birth_date")


@dataclass(frozen=True)
class Due:
    on: date
    kind: str  # label of the procedure
    who: str
    org: str
    url: str
    late: bool = False
    path: str = field(default="", compare=False)  # the organisation's path, for «Việc cần làm»'s breakdown by sub-organisation ("": not known)


def _url_maker(name: str):
    """`reverse(name, args=[id])` for many ids: one reverse, then the id put in (reverse is slow at
    hundreds of calls, and "what is due" is on the home page)."""
    mark = 987654321
    pattern = reverse(name, args=[mark])
    return lambda pk: pattern.replace(str(mark), str(pk))


#: items of "what is due" on the staff home page
DIGEST_ITEMS = 5


def due_digest(*, user) -> dict:
    """The first items of `due_list` and how many more, for the staff home page (without building
    the rest: `due.head`)."""
    from dangbo.procedures import due

    s = due_summary(user=user)
    if s is None:
        return {"items": [], "more": 0}
    return {"items": due.head(s, DIGEST_ITEMS), "more": max(0, s.total - DIGEST_ITEMS)}


def due_summary(*, user, today: date | None = None, horizon_days: int = HORIZON_DAYS, org=None):
    """«Việc cần làm» of the user's scope by kind (`due.Summary`) — of `org` in it when given — or None
    for a user who sees no tree."""
    from dangbo.procedures import due

    scope = scope_of(user)
    if not scope.sees_tree:
        return None
    path = scope.org_path
    if org is not None:
        if not scope.covers_path(org.path):
            raise PermissionDenied("Tổ chức đảng này không thuộc phạm vi của bạn.")
        path = org.path
    ctx = due.context(path, today or date.today(), horizon_days)
    return due.summary(ctx, _built_kinds(ctx))


def due_list(*, user, today: date | None = None, horizon_days: int = HORIZON_DAYS) -> list[Due]:
    """What is due in the user's scope up to `horizon_days` ahead (late items first: their date is past):
    ceremonies to hold (ADM-5), admission files waiting, probation ending and recognition overdue
    (MEM-1), badges to award at the coming occasions (MEM-3), transfer letters to present (MEM-5),
    and what other apps register
    (`due_register`: fee exemptions and reductions ending). Every item of every kind of `due_summary`:
    for a small scope (a province's office reads `due_summary` and one page of a kind)."""
    from dangbo.procedures import due

    s = due_summary(user=user, today=today, horizon_days=horizon_days)
    return [] if s is None else due.all_rows(s)


def _built_kinds(ctx) -> dict[str, tuple[str, list[Due]]]:
    """The kinds of «Việc cần làm» that follow few records, as rows: key → (label, rows). Plain values
    (no model instances), each link from one `reverse` (docs/PERFORMANCE.md)."""
    from dangbo.procedures import due
    from dangbo.procedures.models import TransferLetter

    today, until = ctx.today, ctx.until
    kinds = {key: (due.LABELS[key], []) for key in (due.CEREMONY, due.FILES, due.TEMP, due.BADGES, due.LETTERS)}
    applicant_url = _url_maker("procedure_applicant")
    for a in Applicant.objects.filter(org_path__startswith=ctx.org_path, member__isnull=True) \
            .select_related("organization"):
        url = applicant_url(a.id)
        if a.step == "ceremony":
            last = rules.ceremony_deadline(a.decision_received_date, ctx.off, ctx.worked, settings=ctx.adm)
            kinds[due.CEREMONY][1].append(Due(last, "Tổ chức lễ kết nạp (hạn chót)", a.full_name, a.organization.name,
                                              url, late=last < today, path=a.org_path))
        else:
            kinds[due.FILES][1].append(Due(today, f"Hồ sơ kết nạp, bước tiếp theo: {a.step_label}", a.full_name,
                                           a.organization.name, url, path=a.org_path))
    member_url = _url_maker("member_detail")
    latest: dict[int, tuple] = {}  # MEM-5: temporary transfers ending (the latest temporary transfer out)
    # the away members first, as a list: given as a subquery, PostgreSQL scans every event at 5.9 M (2 s)
    away = list(Member.objects.filter(org_path__startswith=ctx.org_path, away=True).order_by()
                .values_list("pk", flat=True))
    for mid, on, eid, end in MemberEvent.objects.filter(
            member_id__in=away, kind="temp_transfer_out", end_date__isnull=False) \
            .values_list("member_id", "date", "id", "end_date"):
        if mid not in latest or (on, eid) > latest[mid][:2]:
            latest[mid] = (on, eid, end)
    ending = {mid: v[2] for mid, v in latest.items() if v[2] <= until}
    for pk, name, org, path in Member.objects.filter(pk__in=list(ending)).values_list(
            "id", "full_name", "organization__name", "org_path"):
        end = ending[pk]
        kinds[due.TEMP][1].append(Due(end, "Hết thời hạn sinh hoạt đảng tạm thời", name, org, member_url(pk),
                                      late=end < today, path=path))
    occasion = mr.next_award_day(today, settings=ctx.cfg)
    if occasion <= until:
        n = _badges_due(ctx.org_path, occasion, today, ctx.cfg, count=True)
        if n:
            kinds[due.BADGES][1].append(Due(occasion, f"Trao Huy hiệu Đảng ngày {occasion:%d/%m/%Y}: lập danh sách "
                                                      "đề nghị", f"{n} đảng viên", "", reverse("procedure_badges")))
    letters_url = reverse("procedure_letters")  # MEM-5: letters still to present to the receiving cell
    for year, number, present_by, complete_by, name, to_org, path in TransferLetter.objects.filter(
            org_path__startswith=ctx.org_path, confirmed_date__isnull=True, withdrawn_date__isnull=True).values_list(
            "year", "number", "present_by", "complete_by", "member__full_name", "to_org__name", "org_path"):
        kinds[due.LETTERS][1].append(Due(present_by, f"Nộp giấy giới thiệu chuyển sinh hoạt số {number}/{year}/GGT "
                                                     f"(hoàn thành trước {complete_by:%d/%m/%Y})", name, to_org,
                                         letters_url, late=present_by < today, path=path))
    for name, source in DUE_SOURCES.items():
        rows = [Due(on, what, who, org, url, late=on < today) for on, what, who, org, url in
                source(ctx.org_path, today, until)]
        kinds[f"khac-{name}"] = (DUE_LABELS.get(name, "Việc khác đến hạn"), rows)
    return kinds


@dataclass(frozen=True)
class BadgeRow:
    member: Member
    tier: int
    reached: date
    held_until: date | None  # MEM-3: the discipline delay, when it holds this award back
    early: tuple[int, str] | None = None  # MEM-3: (months early, the cell's proposal) for serious illness


def _award_day_before(occasion: date, cfg) -> date | None:
    """The badge award day just before `occasion` (MEM-3: 3/2, 19/5, 2/9, 7/11 by default)."""
    days = [date(y, m, d) for y in (occasion.year - 1, occasion.year) for m, d in cfg.award_days]
    return max((d for d in days if d < occasion), default=None)


def _badge_range(org_path: str, occasion: date, today: date, cfg):
    """Members under `org_path` without a discipline whose next badge is due on `occasion`, from the
    stored next-badge day (members.badgedays), or None when `occasion` is no award day.

    MEM-3: without a discipline or an early award, `next_badge` awards on
    `next_award_day(max(day, on_date))` (`rules.badge_floor`), which is `occasion` exactly when that
    maximum lies after the award day before it and not after it — one range of the stored day: the
    index (org_path, badge_tier_on) answers it."""
    if mr.next_award_day(occasion, settings=cfg) != occasion:
        return None
    qs = Member.objects.filter(org_path__startswith=org_path, badge_tier_on__lte=occasion)
    before = _award_day_before(occasion, cfg)
    if before is not None and min(today, occasion) <= before:
        qs = qs.filter(badge_tier_on__gt=before)
    return qs


def _early_proposals(org_path: str) -> dict[int, tuple]:
    from dangbo.procedures.models import EarlyBadge

    early = {}
    for mid, tier, months, proposal in EarlyBadge.objects.filter(org_path__startswith=org_path) \
            .order_by("proposed_date", "id").values_list("member_id", "tier", "months", "cell_resolution"):
        early[mid] = (tier, months, proposal)  # the latest proposal wins
    return early


def _badges_exact(ids, early: dict[int, tuple], occasion: date, today: date, cfg) -> dict[int, tuple]:
    """Member id → (tier, reached, held until, early) for those of `ids` (official members with a
    discipline, or an early award proposed) whose next badge is due on `occasion`: `next_badge` with
    their badge and discipline events and the cell's latest proposal (MEM-3)."""
    earliest = mr.add_years(occasion, -mr.BADGE_TIERS[0])
    members = dict(Member.objects.filter(
        pk__in=list(ids), state__in=list(mr.OFFICIAL_STATES), admission_date__isnull=False,
        admission_date__lte=mr.add_months(earliest, max(cfg.early_award_max_months.values())))
        .values_list("id", "admission_date"))
    awarded: dict[int, list] = {}
    disciplines: dict[int, list] = {}
    for mid, kind, details, decided, on in MemberEvent.objects.filter(
            member_id__in=list(members), kind__in=("badge", "discipline")) \
            .values_list("member_id", "kind", "details", "decision_date", "date"):
        details = details or {}
        if kind == "badge" and details.get("tier"):
            awarded.setdefault(mid, []).append(details["tier"])
        elif kind == "discipline" and details.get("level"):
            disciplines.setdefault(mid, []).append((decided or on, details["level"]))
    out = {}
    on_date = min(today, occasion)
    for mid, admitted in members.items():
        held = disciplines.get(mid, ())
        due = mr.next_badge(admitted, awarded_tiers=awarded.get(mid, ()), on_date=on_date, disciplines=held,
                            settings=cfg)
        proposal = None
        if mid in early and due is not None and due.tier == early[mid][0]:
            tier, months, text = early[mid]
            try:
                sooner = mr.next_badge(admitted, awarded_tiers=awarded.get(mid, ()), on_date=on_date,
                                       disciplines=held, early_months=months, settings=cfg)
            except ValueError:  # a setting lowered since the proposal: the award keeps its own date
                sooner = None
            if sooner is not None and sooner.tier == tier:
                due, proposal = sooner, (months, text)
        if due is None or due.award_date != occasion:
            continue
        hold = mr.discipline_hold(held, settings=cfg)
        reached = mr.badge_reached_date(admitted, due.tier, settings=cfg)
        if proposal is None and admitted > earliest:
            continue
        out[mid] = (due.tier, reached, hold if hold and hold > reached else None, proposal)
    return out


def _range_row(admitted: date, lowest: int, on_date: date, cfg) -> tuple:
    """(tier, reached, None, None) of a member found by `_badge_range`: the highest tier already
    reached on `on_date`, else the lowest still ahead (`next_badge`, no discipline, no early award)."""
    tier = lowest
    for t in mr.BADGE_TIERS:
        if t >= lowest and mr.add_years(admitted, t) <= on_date:
            tier = t
    return (tier, mr.badge_reached_date(admitted, tier, settings=cfg), None, None)


def _badges_due(org_path: str, occasion: date, today: date, cfg, *, count: bool = False):
    """The official members under `org_path` whose next badge is due on `occasion` (MEM-3), an early
    award the cell proposed for serious illness counted for the tier it was proposed for (`EarlyBadge`,
    the latest proposal): member id → (tier, reached, held until, early), or their number (`count`).

    Members without a discipline or a proposal come from the stored next-badge day (one indexed
    range, `_badge_range`) — their number from the counts kept per ancestor and award day
    (`procedures.badgekept`) —; the few with one are computed by `next_badge` (`_badges_exact`)."""
    qs = _badge_range(org_path, occasion, today, cfg)
    if qs is None:
        return 0 if count else {}
    early = _early_proposals(org_path)
    held = Member.objects.filter(org_path__startswith=org_path, badge_held=True).values_list("pk", flat=True)
    out = _badges_exact({*held, *early}, early, occasion, today, cfg)
    plain = qs.exclude(pk__in=list(early)) if early else qs
    if count:
        from dangbo.core.paths import ancestor_ids
        from dangbo.procedures import badgekept

        before = _award_day_before(occasion, cfg)
        kept = badgekept.count(ancestor_ids(org_path)[-1], org_path, occasion, cfg=cfg,
                               whole_past=before is None or min(today, occasion) > before)
        if kept is None:  # other award days configured than the counts are kept by
            return plain.count() + len(out)
        return kept - (qs.filter(pk__in=list(early)).count() if early else 0) + len(out)
    on_date = min(today, occasion)
    for pk, admitted, lowest in plain.values_list("pk", "admission_date", "badge_tier"):
        out[pk] = _range_row(admitted, lowest, on_date, cfg)
    return out


def badge_count(*, user, occasion: date, today: date | None = None) -> int:
    """How many members of the user's scope `badge_list` holds (one indexed count)."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return 0
    return _badges_due(scope.org_path, occasion, today or date.today(), configured(mr.MemberRuleSettings),
                       count=True)


def badge_list(*, user, occasion: date, today: date | None = None) -> list[BadgeRow]:
    """MEM-3 (med): official members of the user's scope whose next badge is due on `occasion`
    (tiers already awarded skipped, discipline delays from the discipline decision counted)."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return []
    due = _badges_due(scope.org_path, occasion, today or date.today(), configured(mr.MemberRuleSettings))
    members = Member.objects.filter(pk__in=list(due)).select_related("organization").order_by("name_sort") \
        .only("id", "full_name", "admission_date", "organization__name")
    return [BadgeRow(m, *due[m.id]) for m in members]


def transfer_members(*, user):
    """Members of the user's scope who may be transferred (probationary or official, not away)."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return Member.objects.none()
    return Member.objects.filter(org_path__startswith=scope.org_path,
                                 state__in=[mr.PROBATIONARY, *mr.OFFICIAL_STATES]).order_by("name_sort")


def transfer_imports(*, user):
    from dangbo.procedures.models import TransferImport

    scope = scope_of(user)
    if not scope.sees_tree:
        return TransferImport.objects.none()
    return TransferImport.objects.filter(org_path__startswith=scope.org_path).select_related("member") \
        .order_by("-imported_at")[:50]


def letter_list(*, user):
    """MEM-5: the introduction letters the user's scope sent or receives (newest first)."""
    from django.db.models import Q

    from dangbo.procedures.models import TransferLetter

    scope = scope_of(user)
    if not scope.sees_tree:
        return TransferLetter.objects.none()
    return TransferLetter.objects.filter(Q(org_path__startswith=scope.org_path)
                                         | Q(to_org__path__startswith=scope.org_path)) \
        .select_related("member", "from_org", "to_org")


def letter_get(*, user, letter_id: int):
    letter = letter_list(user=user).filter(pk=letter_id).first()
    if letter is None:
        raise Http404("Không tìm thấy giấy giới thiệu.")
    return letter


def hold_get(*, user, hold_id: int):
    """An inspection or complaint of a member of the user's scope (404 outside it)."""
    from dangbo.procedures.models import MemberHold

    scope = scope_of(user)
    hold = MemberHold.objects.filter(pk=hold_id, org_path__startswith=scope.org_path).select_related("member") \
        .first() if scope.sees_tree else None
    if hold is None:
        raise Http404("Không tìm thấy thời gian đang bị kiểm tra / giải quyết khiếu nại.")
    return hold


def holds_in_force(*, user, today: date | None = None):
    """MEM-5: inspections and complaints going on for members of the user's scope."""
    from django.db.models import Q

    from dangbo.procedures.models import MemberHold

    scope = scope_of(user)
    if not scope.sees_tree:
        return MemberHold.objects.none()
    today = today or date.today()
    return MemberHold.objects.filter(org_path__startswith=scope.org_path, start_date__lte=today) \
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).select_related("member")


def transfer_cells(*, user):
    """Cells in force of the user's part of the tree: where a transfer letter may send a member (a
    secretary sends within their subtree; the office, anywhere in the committee)."""
    from dangbo.orgs.models import Organization
    from dangbo.orgs.rules import CELL_KINDS

    scope = scope_of(user)
    if not scope.sees_tree:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=scope.org_path, kind__in=list(CELL_KINDS), valid_to=None) \
        .order_by("path")
