"""Writes for paper-ballot elections; each validates, writes and records an audit event in one
transaction (the congress's number series, CON-10, comes from `congress.services.document_issue`).

Double entry (CON-9, computer counting under the committee's supervision): each paper ballot is
entered by two tellers independently (`ballot_enter`, teller 1 and 2). When both readings agree the
ballot is accepted and appended to the hash chain (`elections.chain.entry_hash`, its place `seq`, the
previous hash and its own); when they differ it is a mismatch, which blocks the tally until the
committee re-reads the paper (`ballot_resolve`, with who and why). A ballot a teller marks as
contested waits for the committee's ruling valid / invalid with a reason (`ballot_rule`, CON-6).
Appending to the chain locks the election row, so two accepted ballots never share a place.

The chain entry is `elections.chain`'s (ballot number, kept numbers, flags), so `dangbo election
verify` reads the export unchanged. On an agree / disagree ballot "kept" is the names marked agree;
the disagree / both / neither marks are stored on the ballot and counted in the minutes but are not
in the chain, so verify's re-tally (striking rules) matches the elected and the agree votes, while
its valid / invalid split can differ on a one-name list ticked in both boxes or neither (CON-6 low).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from dangbo.audit.services import audit_record
from dangbo.congress.models import ALTERNATE, KIND_DELEGATES, OFFICIAL, Congress
from dangbo.congress.selectors import counting_committee_member_ids, seated, teller_member_ids
from dangbo.congress.services import document_issue
from dangbo.core.errors import InvalidInput
from dangbo.core.rulesettings import configured
from dangbo.core.textcheck import clean_text, model_limits
from dangbo.elections import chain, rules
from dangbo.elections.models import (
    ACCEPTED,
    AGREE_FORM,
    CLOSED,
    CONTESTED,
    COUNTING,
    DRAFT,
    MISMATCH,
    PENDING,
    STRIKE,
    VOTING,
    Ballot,
    BallotEntry,
    Body,
    Candidate,
    Decision,
    Election,
    Form,
)
from dangbo.members.models import Member

#: CON-7 categories excluded from the base, by kind of congress: (key, label) — `elections.rules`'s.
BASE_CATEGORIES: dict[str, list[tuple[str, str]]] = rules.BASE_EXCLUSIONS

MINUTES_KIND, BALLOT_PAPER_KIND = "counting_minutes", "ballot_paper"


def rule_settings() -> rules.CongressRuleSettings:
    return configured(rules.CongressRuleSettings)


def _path(election: Election) -> str:
    return election.congress.organization.path


def _audit(actor, action: str, election: Election, obj=None, **after) -> None:
    audit_record(actor=actor, action=f"election.{action}", obj=obj or election, org_path=_path(election),
                 after={"election": election.pk, **after})


def _lock(election: Election) -> Election:
    """Re-read the election with its row locked (PostgreSQL FOR UPDATE; SQLite serialises writers)."""
    return Election.objects.select_for_update().select_related("congress__organization").get(pk=election.pk)


def account_member_id(user) -> int | None:
    """The member record linked to a login account (`accounts.models.Account.member`), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.account.member_id
    except Exception:  # no account (RelatedObjectDoesNotExist)
        return None


def teller_problem(election: Election, actor) -> str | None:
    """Why `actor` may not enter or decide ballots of `election` (Vietnamese), or None.

    CON-9 (med, 190-QĐ/TW Điều 8): the counting committee counts the votes and rules on ballots. Every
    reading is therefore the act of one of its members, identified by their own login: the account's
    member record (`Account.member`) must sit on the congress's counting committee, and that committee
    must have been approved by the congress (`congress.selectors.teller_member_ids`). Office staff
    supervise the pages read-only; they cannot enter for a teller."""
    member_id = account_member_id(actor)
    if member_id is None:
        return ("Chỉ thành viên Ban Kiểm phiếu, đăng nhập bằng tài khoản gắn với hồ sơ đảng viên của chính mình, "
                "mới được nhập phiếu và quyết định về phiếu (CON-9).")
    body = election.congress.bodies.filter(kind="counting").first()
    if body is None or not body.members.filter(delegate__member_id=member_id).exists():
        return "Đồng chí không phải thành viên Ban Kiểm phiếu của đại hội này: không được nhập phiếu (CON-9)."
    if member_id not in teller_member_ids(election.congress):
        return "Ban Kiểm phiếu chưa được đại hội biểu quyết thông qua: chưa được nhập phiếu (CON-4, CON-9)."
    return None


def _require_teller(election: Election, actor) -> None:
    problem = teller_problem(election, actor)
    if problem:
        raise InvalidInput(problem, field="teller")


def _require(election: Election, *statuses: str, doing: str) -> None:
    if election.status not in statuses:
        raise InvalidInput(f"Không thể {doing}: cuộc bầu «{election.title}» đang ở trạng thái "
                           f"«{election.get_status_display()}».", field="status")


# --------------------------------------------------------------------------------------------------
# The election and its list
# --------------------------------------------------------------------------------------------------


def _text(model, name: str, value, *, multiline: bool = False) -> str:
    """One text field checked against its model's limit (`core.textcheck`): control, zero-width and
    bidi characters and over-long values refused, with a Vietnamese message naming the field."""
    label, max_length = model_limits(model, (name,))[name]
    return clean_text(value, field=name, label=label, max_length=max_length, multiline=multiline)


def _clean_names(names: Iterable) -> list[tuple[str, Member | None]]:
    """The list's names, each checked (`core.textcheck`, the candidate's name field) before its
    spaces are tidied — a control character is refused, not silently turned into a space."""
    label, max_length = model_limits(Candidate, ("full_name",))["full_name"]
    out, seen = [], set()
    for line, item in enumerate(names, start=1):
        name, member = (item if isinstance(item, tuple) else (item, None))
        try:
            name = clean_text(name if isinstance(name, str) or name is None else str(name), field="candidates",
                              label=label, max_length=max_length)
        except InvalidInput as exc:
            raise InvalidInput(f"Danh sách bầu cử, dòng {line}: {exc.message}", field="candidates") from None
        name = " ".join(name.split())
        if not name:
            continue
        if name.casefold() in seen:
            raise InvalidInput(f"«{name}» có hai lần trong danh sách bầu cử.", field="candidates")
        seen.add(name.casefold())
        out.append((name, member))
    return out


def _set_candidates(election: Election, names: list[tuple[str, Member | None]]) -> None:
    """Write the list. A name typed without a member is linked to the congress's delegate of exactly
    that name when there is one; CON-9: nobody on the counting committee may be on a list."""
    root = _path(election)
    by_name: dict[str, list[Member]] = {}
    for d in election.congress.delegates.select_related("member"):
        by_name.setdefault(d.member.full_name, []).append(d.member)
    counting = counting_committee_member_ids(election.congress)
    linked = []
    for name, member in names:
        if member is None and len(by_name.get(name, [])) == 1:
            member = by_name[name][0]
        if member is not None and not member.org_path.startswith(root):
            raise InvalidInput(f"Đảng viên {member.full_name} không thuộc tổ chức của đại hội.", field="candidates")
        if member is not None and member.pk in counting:
            raise InvalidInput(f"{member.full_name} là thành viên Ban Kiểm phiếu nên không thể có tên trong danh "
                               "sách bầu cử (CON-9).", field="candidates")
        linked.append((name, member))
    names = linked
    election.candidates.all().delete()
    Candidate.objects.bulk_create([Candidate(election=election, no=i, full_name=name, member=member)
                                   for i, (name, member) in enumerate(names, start=1)])


@transaction.atomic
def election_create(*, actor, congress: Congress, body: str, seats: int, candidates: Iterable = (),
                    previous: Election | None = None, is_runoff: bool = False) -> Election:
    """A new round (draft): what is elected, the seats and the list in official order (names, or
    (name, member) pairs)."""
    if body not in Body.values:
        raise InvalidInput("«Bầu» không hợp lệ.", field="body")
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise InvalidInput("«Số lượng cần bầu» phải là số nguyên dương.", field="seats")
    names = _clean_names(candidates)
    round_no = previous.round_no + 1 if previous is not None else 1
    election = Election.objects.create(congress=congress, body=body, seats=seats, previous=previous,
                                       round_no=round_no, is_runoff=is_runoff)
    if previous is not None and previous.base is not None:
        election.base, election.base_parts = previous.base, previous.base_parts
        election.save(update_fields=["base", "base_parts"])
    _set_candidates(election, names)
    _audit(actor, "create", election, body=body, seats=seats, round_no=round_no, is_runoff=is_runoff,
           previous=previous.pk if previous else None, candidates=[n for n, _ in names])
    return election


@transaction.atomic
def candidates_set(*, actor, election: Election, candidates: Iterable, seats: int | None = None) -> Election:
    """Replace the list (and optionally the seats) of a round still in preparation."""
    election = _lock(election)
    _require(election, DRAFT, doing="sửa danh sách")
    if election.is_runoff:
        raise InvalidInput("Danh sách bầu lại gồm đúng những người bằng phiếu, không sửa được (CON-8).",
                           field="candidates")
    before = [c.full_name for c in election.candidates.all()]
    if seats is not None:
        if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
            raise InvalidInput("«Số lượng cần bầu» phải là số nguyên dương.", field="seats")
        election.seats = seats
        election.save(update_fields=["seats"])
    names = _clean_names(candidates)
    _set_candidates(election, names)
    audit_record(actor=actor, action="election.candidates_set", obj=election, org_path=_path(election),
                 before={"candidates": before}, after={"candidates": [n for n, _ in names], "seats": election.seats})
    return election


def base_breakdown(congress: Congress, excluded: Mapping[str, int]) -> dict:
    """CON-7: the base of an election at `congress` with the categories `excluded` (counts), from the
    official delegates summoned (or the official members summoned, members' congress)."""
    kind = congress.kind if congress.kind in BASE_CATEGORIES else "members"
    keys = [k for k, _ in BASE_CATEGORIES[kind]]
    unknown = set(excluded) - set(keys)
    if unknown:
        raise InvalidInput(f"Loại trừ không hợp lệ: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    counts = {}
    for k in keys:
        v = excluded.get(k, 0) or 0
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise InvalidInput("Số loại trừ phải là số nguyên không âm.", field=k)
        counts[k] = v
    summoned = congress.delegates.filter(kind=OFFICIAL).count()
    present = seated(congress).filter(checked_in_at__isnull=False).count()
    alternates = congress.delegates.filter(kind=ALTERNATE, replaces__isnull=False).count()
    try:
        if kind == KIND_DELEGATES:
            base = rules.election_base_delegates(summoned_official=summoned, **counts)
        else:
            base = rules.election_base_members(official_summoned=summoned, **counts)
    except ValueError as exc:
        raise InvalidInput(str(exc), field=keys[-1]) from None
    return {"kind": kind, "summoned": summoned, "present": present, "alternates_seated": alternates,
            "excluded": counts, "base": base}


@transaction.atomic
def election_base_set(*, actor, election: Election, excluded: Mapping[str, int]) -> Election:
    """Compute and store the base (CON-7) with its breakdown; allowed until the round is closed."""
    election = _lock(election)
    _require(election, DRAFT, VOTING, COUNTING, doing="tính cơ sở")
    parts = base_breakdown(election.congress, excluded)
    if parts["base"] < 1:
        raise InvalidInput("Cơ sở tính kết quả phải lớn hơn 0.", field="base")
    before = {"base": election.base, "base_parts": election.base_parts}
    election.base, election.base_parts = parts["base"], parts
    election.save(update_fields=["base", "base_parts"])
    audit_record(actor=actor, action="election.base_set", obj=election, org_path=_path(election),
                 before=before, after={"base": election.base, "base_parts": parts})
    return election


def list_problem(election: Election, n: int | None = None) -> str | None:
    """CON-5 on the list, by what is elected (`elections.rules.list_problem`): None when it can be voted.
    Executive and standing committee lists must have a surplus within the cap; secretary, deputies and
    single-seat lists may have none (agree / disagree form); a runoff is among the tied only (CON-8)."""
    n = election.candidates.count() if n is None else n
    return rules.list_problem(election.body, n, election.seats, runoff=election.is_runoff, settings=rule_settings())


def draft_form_label(election: Election) -> str:
    """The ballot a draft's list will take when opened (CON-5), in words; until the list can be voted
    on, that it is not decided yet (a draft's stored form is only the default)."""
    n = election.candidates.count()
    if list_problem(election, n):
        return "Mẫu phiếu: chưa xác định (danh sách chưa hợp lệ)"
    form = rules.ballot_form(election.body, n, election.seats, runoff=election.is_runoff)
    return (Form.AGREE if form == rules.AGREE_FORM else Form.STRIKE).label


@transaction.atomic
def election_open(*, actor, election: Election) -> Election:
    """Fix the list and start voting: the CON-5 check by what is elected (a committee list without
    surplus or over the cap is refused; secretary, deputies and single-seat lists without surplus take
    the agree / disagree form); the base must be set; the ballot paper gets its CON-10 number."""
    election = _lock(election)
    _require(election, DRAFT, doing="bắt đầu bỏ phiếu")
    problem = list_problem(election)
    if problem:
        raise InvalidInput(problem, field="candidates")
    if election.base is None:
        raise InvalidInput("Chưa tính «Cơ sở tính kết quả» (CON-7).", field="base")
    n = election.candidates.count()
    election.form = (AGREE_FORM if rules.ballot_form(election.body, n, election.seats, runoff=election.is_runoff)
                     == rules.AGREE_FORM else STRIKE)
    election.status = VOTING
    election.save(update_fields=["form", "status"])
    document_issue(actor=actor, congress=election.congress, kind=BALLOT_PAPER_KIND,
                   title=f"Phiếu bầu — {election.title}", ref=election.ref)
    _audit(actor, "open", election, form=election.form, candidates=n)
    return election


@transaction.atomic
def election_count_start(*, actor, election: Election, issued: int, returned: int) -> Election:
    """Close the box: ballots issued and returned (CON-9); double entry may begin."""
    election = _lock(election)
    _require(election, VOTING, COUNTING, doing="bắt đầu kiểm phiếu")
    for name, v in (("issued", issued), ("returned", returned)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise InvalidInput("Số phiếu phải là số nguyên không âm.", field=name)
    if returned > issued:
        raise InvalidInput(f"Số phiếu thu vào ({returned}) nhiều hơn số phát ra ({issued}).", field="returned")
    if election.base is not None and issued > election.base_parts.get("summoned", issued):
        raise InvalidInput(f"Số phiếu phát ra ({issued}) nhiều hơn số được triệu tập.", field="issued")
    top = election.ballots.aggregate(m=Max("ballot_no"))["m"] or 0
    if returned < top:
        raise InvalidInput(f"Đã nhập phiếu số {top}, số phiếu thu vào không thể nhỏ hơn.", field="returned")
    election.issued, election.returned, election.status = issued, returned, COUNTING
    election.save(update_fields=["issued", "returned", "status"])
    _audit(actor, "count_start", election, issued=issued, returned=returned)
    return election


# --------------------------------------------------------------------------------------------------
# Double entry
# --------------------------------------------------------------------------------------------------


def _reading(election: Election, kept, marks, flags) -> tuple[list[int], dict[str, str], list[str]]:
    """Check one reading of a ballot against the list; returns (kept, marks, flags) normalised."""
    numbers = set(election.candidates.values_list("no", flat=True))
    flags = sorted(set(flags or ()))
    bad = [f for f in flags if f not in rules.FLAGS]
    if bad:
        raise InvalidInput(f"Ghi chú phiếu không hợp lệ: {', '.join(bad)}.", field="flags")
    if election.form == AGREE_FORM:
        out = {}
        for no, mark in (marks or {}).items():
            try:
                no = int(no)
            except (TypeError, ValueError):
                raise InvalidInput(f"Số thứ tự «{no}» không hợp lệ.", field="marks") from None
            if no not in numbers:
                raise InvalidInput(f"Không có ứng cử viên số {no} trong danh sách.", field="marks")
            if mark not in rules.MARKS:
                raise InvalidInput(f"Đánh dấu «{mark}» không hợp lệ.", field="marks")
            if mark != rules.NEITHER:
                out[str(no)] = mark
        kept = sorted(int(no) for no, m in out.items() if m == rules.AGREE)
        return kept, out, flags
    kept_list = []
    for no in kept or ():
        try:
            kept_list.append(int(no))
        except (TypeError, ValueError):
            raise InvalidInput(f"Số thứ tự «{no}» không hợp lệ.", field="kept") from None
    if len(set(kept_list)) != len(kept_list):
        raise InvalidInput("Một ứng cử viên được ghi hai lần.", field="kept")
    unknown = sorted(set(kept_list) - numbers)
    if unknown:
        raise InvalidInput(f"Không có ứng cử viên số {', '.join(map(str, unknown))} trong danh sách.", field="kept")
    return sorted(kept_list), {}, flags


def _append(election: Election, ballot: Ballot) -> None:
    """Accept `ballot` (election row already locked): its place in the chain, prev and hash."""
    last = election.ballots.filter(seq__isnull=False).order_by("-seq").values("seq", "hash").first()
    ballot.seq = (last["seq"] + 1) if last else 1
    ballot.prev = last["hash"] if last else chain.GENESIS
    ballot.hash = chain.entry_hash(ballot.ballot_no, ballot.kept, ballot.flags, ballot.prev)
    ballot.status = ACCEPTED


@transaction.atomic
def ballot_enter(*, actor, election: Election, teller: int, ballot_no: int, kept: Sequence = (),
                 marks: Mapping | None = None, flags: Iterable[str] = (), contested: bool = False,
                 note: str = "") -> Ballot:
    """One teller's reading of one paper ballot. The second reading decides: both agree → accepted
    and chained (or held for the committee's ruling if contested); they differ → mismatch.

    Only a member of the approved counting committee, logged in as themselves (`teller_problem`);
    the two readings of a ballot come from two different people (one person, one desk per round)."""
    election = _lock(election)
    _require(election, COUNTING, doing="nhập phiếu")
    if teller not in (1, 2):
        raise InvalidInput("«Người nhập» phải là tổ viên 1 hoặc 2.", field="teller")
    if isinstance(ballot_no, bool) or not isinstance(ballot_no, int) or ballot_no < 1:
        raise InvalidInput("«Số phiếu» phải là số nguyên dương.", field="ballot_no")
    if election.returned is not None and ballot_no > election.returned:
        raise InvalidInput(f"«Số phiếu» {ballot_no} lớn hơn số phiếu thu vào ({election.returned}).",
                           field="ballot_no")
    _require_teller(election, actor)
    kept, marks, flags = _reading(election, kept, marks, flags)
    note = _text(BallotEntry, "note", note)
    # two readings from two different people: one person keeps one desk (teller 1 or 2) per round
    other = BallotEntry.objects.filter(ballot__election=election, entered_by=actor).exclude(teller=teller)
    first = other.order_by("id").values_list("ballot__ballot_no", "teller").first()
    if first is not None:
        raise InvalidInput(f"Đồng chí đã nhập phiếu ở vị trí tổ viên {first[1]} của lần bầu này (phiếu số {first[0]}): "
                           "hai lần nhập mỗi phiếu phải do hai thành viên khác nhau của Ban Kiểm phiếu.", field="teller")
    ballot, _ = Ballot.objects.get_or_create(election=election, ballot_no=ballot_no)
    if ballot.entries.filter(teller=teller).exists():
        raise InvalidInput(f"Phiếu số {ballot_no} đã được tổ viên {teller} nhập.", field="ballot_no")
    entry = BallotEntry.objects.create(ballot=ballot, teller=teller, kept=kept, marks=marks, flags=flags,
                                       contested=bool(contested), note=note, entered_by=actor)
    entries = list(ballot.entries.all())
    if len(entries) == 2:
        a, b = entries
        if a.reading() != b.reading():
            ballot.status, ballot.was_mismatch = MISMATCH, True
        else:
            ballot.kept, ballot.marks, ballot.flags = kept, marks, flags
            if contested:
                ballot.status, ballot.was_contested = CONTESTED, True
            else:
                _append(election, ballot)
        ballot.save()
    _audit(actor, "ballot_enter", election, obj=ballot, ballot_no=ballot_no, teller=teller,
           status=ballot.status, entry=entry.pk)
    return ballot


def _ballot_locked(ballot: Ballot) -> tuple[Election, Ballot]:
    election = _lock(ballot.election)
    ballot = Ballot.objects.get(pk=ballot.pk)
    return election, ballot


@transaction.atomic
def ballot_resolve(*, actor, ballot: Ballot, kept: Sequence = (), marks: Mapping | None = None,
                   flags: Iterable[str] = (), contested: bool = False, reason: str = "") -> Ballot:
    """The committee re-read a mismatched ballot: its reading replaces both entries' (recorded with
    who and why); the ballot is accepted, or held for a ruling if contested."""
    election, ballot = _ballot_locked(ballot)
    _require(election, COUNTING, doing="xử lý phiếu")
    _require_teller(election, actor)
    if ballot.status != MISMATCH:
        raise InvalidInput(f"Phiếu số {ballot.ballot_no} không ở trạng thái không khớp.", field="ballot_no")
    reason = _text(Ballot, "decision_reason", reason, multiline=True)
    if not reason:
        raise InvalidInput("Ghi rõ «Lý do» (Ban Kiểm phiếu đọc lại phiếu giấy).", field="reason")
    kept, marks, flags = _reading(election, kept, marks, flags)
    ballot.kept, ballot.marks, ballot.flags = kept, marks, flags
    ballot.decision, ballot.decision_reason = Decision.RESOLVED, reason
    ballot.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    ballot.decided_at = timezone.now()
    if contested:
        ballot.status, ballot.was_contested = CONTESTED, True
    else:
        _append(election, ballot)
    ballot.save()
    _audit(actor, "ballot_resolve", election, obj=ballot, ballot_no=ballot.ballot_no, kept=kept, marks=marks,
           flags=flags, reason=reason, status=ballot.status)
    return ballot


def _valid(election: Election, kept, marks, flags) -> tuple[bool, str | None]:
    n = election.candidates.count()
    s = rule_settings()
    if election.form == AGREE_FORM:
        return rules.agree_ballot_validity({int(k): v for k, v in marks.items()}, flags, list_size=n,
                                           seats=election.seats, settings=s)
    return rules.ballot_validity(kept, flags, list_size=n, seats=election.seats, has_surplus=n > election.seats,
                                 settings=s)


@transaction.atomic
def ballot_rule(*, actor, ballot: Ballot, valid: bool, reason: str, invalid_flag: str = "") -> Ballot:
    """The committee's ruling on a contested ballot (CON-6): valid or invalid, with the reason.

    The ruling becomes part of the ballot's reading, so the chain and a re-tally carry it: ruled
    invalid on a ground the reading does not already show → that ground's flag is added
    (`invalid_flag`: unstamped, added_name or mark); ruled valid → those flags are removed (a ballot
    keeping more names than seats cannot be ruled valid)."""
    election, ballot = _ballot_locked(ballot)
    _require(election, COUNTING, doing="quyết định về phiếu")
    _require_teller(election, actor)
    if ballot.status != CONTESTED:
        raise InvalidInput(f"Phiếu số {ballot.ballot_no} không phải phiếu chờ quyết định.", field="ballot_no")
    reason = _text(Ballot, "decision_reason", reason, multiline=True)
    if not reason:
        raise InvalidInput("Ghi rõ «Lý do» của Ban Kiểm phiếu.", field="reason")
    flags = list(ballot.flags)
    if valid:
        flags = []
        ok, why = _valid(election, ballot.kept, ballot.marks, flags)
        if not ok:
            raise InvalidInput(f"Phiếu số {ballot.ballot_no} không thể hợp lệ: "
                               f"{rules.REASON_LABELS.get(why, why)}.", field="valid")
    else:
        ok, _ = _valid(election, ballot.kept, ballot.marks, flags)
        if ok:
            if invalid_flag not in rules.FLAGS:
                raise InvalidInput("Chọn căn cứ phiếu không hợp lệ (không có dấu, ghi thêm tên, có dấu hiệu riêng).",
                                   field="invalid_flag")
            flags = sorted(set(flags) | {invalid_flag})
    ballot.flags = flags
    ballot.decision, ballot.decision_reason = (Decision.VALID if valid else Decision.INVALID), reason
    ballot.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    ballot.decided_at = timezone.now()
    _append(election, ballot)
    ballot.save()
    _audit(actor, "ballot_rule", election, obj=ballot, ballot_no=ballot.ballot_no, valid=valid, flags=flags,
           reason=reason)
    return ballot


# --------------------------------------------------------------------------------------------------
# Tally and further rounds
# --------------------------------------------------------------------------------------------------


def chained_ballots(election: Election) -> list[tuple[int, list[int], list[str], dict]]:
    """The accepted ballots in chain order: (ballot_no, kept, flags, marks)."""
    return [(b, k, f, m) for b, k, f, m in election.ballots.filter(status=ACCEPTED).order_by("seq")
            .values_list("ballot_no", "kept", "flags", "marks")]


def compute(election: Election, ballots=None) -> rules.TallyResult:
    """The round's result on the stored base (CON-7) through the election rules: striking ballots
    (`tally`), a runoff among the tied (`tally_runoff`, CON-8) or agree / disagree (`tally_agree`)."""
    cands = list(election.candidates.values_list("no", "full_name"))
    ballots = chained_ballots(election) if ballots is None else ballots
    s = rule_settings()
    if election.form == AGREE_FORM:
        return rules.tally_agree(cands, [(b, {int(k): v for k, v in m.items()}, f) for b, _k, f, m in ballots],
                                 seats=election.seats, base=election.base, settings=s)
    plain = [(b, set(k), set(f)) for b, k, f, _m in ballots]
    if election.is_runoff:
        return rules.tally_runoff(cands, plain, seats=election.seats, base=election.base, settings=s)
    return rules.tally(cands, plain, seats=election.seats, base=election.base, settings=s)


def blockers(election: Election) -> list[str]:
    """Why the round cannot be tallied yet (empty when it can)."""
    out = []
    if election.status != COUNTING:
        out.append(f"Cuộc bầu đang ở trạng thái «{election.get_status_display()}».")
        return out
    by = dict.fromkeys((PENDING, MISMATCH, CONTESTED, ACCEPTED), 0)
    by.update(election.ballots.values("status").annotate(n=Count("id")).values_list("status", "n"))
    if by[MISMATCH]:
        out.append(f"{by[MISMATCH]} phiếu hai lần nhập không khớp, Ban Kiểm phiếu cần đọc lại.")
    if by[CONTESTED]:
        out.append(f"{by[CONTESTED]} phiếu chờ Ban Kiểm phiếu quyết định.")
    if by[PENDING]:
        out.append(f"{by[PENDING]} phiếu mới nhập một lần.")
    if by[ACCEPTED] != election.returned:
        out.append(f"Đã tính {by[ACCEPTED]}/{election.returned} phiếu thu vào.")
    return out


@transaction.atomic
def election_tally(*, actor, election: Election) -> Election:
    """Count the round (only accepted ballots, each once) and close it; the counting minutes get
    their CON-10 number and the chain's fingerprint."""
    election = _lock(election)
    problems = blockers(election)
    if problems:
        raise InvalidInput(" ".join(problems), field="status")
    ballots = chained_ballots(election)
    try:
        result = compute(election, ballots)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="status") from None
    data = result.as_dict()
    data.update(seats=result.seats, ballots=result.ballots,
                disagree={str(c.no): c.disagree for c in result.candidates})
    election.result = data
    election.fingerprint = chain.fingerprint([(b, k, f) for b, k, f, _m in ballots])
    election.status = CLOSED
    election.save(update_fields=["result", "fingerprint", "status"])
    document_issue(actor=actor, congress=election.congress, kind=MINUTES_KIND,
                   title=f"Biên bản kiểm phiếu — {election.title}", ref=election.ref)
    _audit(actor, "tally", election, elected=data["elected"], runoff=data["runoff"], unfilled=data["unfilled"],
           fingerprint=election.fingerprint)
    return election


@transaction.atomic
def election_complaints_set(*, actor, election: Election, text: str) -> Election:
    """The complaints and the committee's answers, for the minutes (CON-9)."""
    text = _text(Election, "complaints", text, multiline=True)
    election = _lock(election)
    before = election.complaints
    election.complaints = text
    election.save(update_fields=["complaints"])
    audit_record(actor=actor, action="election.complaints_set", obj=election, org_path=_path(election),
                 before={"complaints": before}, after={"complaints": election.complaints})
    return election


@transaction.atomic
def election_next_round(*, actor, election: Election) -> Election:
    """After a closed round: a runoff among those tied at the cut-off for the seats left (CON-8), or,
    when seats stay unfilled without a tie, a further round (draft) listing those not elected — the
    congress may change that list before voting (CON-8, med)."""
    election = _lock(election)
    _require(election, CLOSED, doing="tạo lần bầu tiếp")
    if election.next_rounds.exists():
        raise InvalidInput("Lần bầu tiếp theo đã được tạo.", field="status")
    res = election.result
    if not res.get("unfilled"):
        raise InvalidInput("Đã bầu đủ số lượng, không cần bầu thêm.", field="status")
    cands = list(election.candidates.all())
    if res.get("runoff"):
        tied = set(res["runoff"])
        names = [(c.full_name, c.member) for c in cands if c.no in tied]
        new = election_create(actor=actor, congress=election.congress, body=election.body,
                              seats=res["unfilled"], candidates=names, previous=election, is_runoff=True)
    else:
        elected = set(res.get("elected", []))
        names = [(c.full_name, c.member) for c in cands if c.no not in elected]
        new = election_create(actor=actor, congress=election.congress, body=election.body,
                              seats=res["unfilled"], candidates=names, previous=election)
    return new


def elected_names(election: Election) -> list[str]:
    names = dict(election.candidates.values_list("no", "full_name"))
    return [names[no] for no in election.result.get("elected", [])]
