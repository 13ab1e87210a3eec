"""Writes for open votes (CON-4): each validates, writes and records an audit event in one transaction.

One vote per present delegate is enforced by the database (UNIQUE (vote, delegate)); `vote_cast`
inserts under a savepoint and, if another request got there first, answers with the row already
stored. A cast carries the form's one-time `token`: the same POST sent again (the phone never saw
the answer) gets the same acknowledgement; a new attempt after an acknowledged vote is refused.
The caller acknowledges only after the service returned, i.e. after the commit.

Closing must not miss a vote acknowledged just before it: on PostgreSQL a cast holds a FOR SHARE
lock on the vote row while it checks the status and inserts, and closing takes FOR UPDATE on it, so
closing waits for casts in flight and casts after it see "closed"; SQLite serialises writers
(`transaction_mode=IMMEDIATE`).
"""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dangbo.audit.services import audit_record
from dangbo.congress import selectors as congress_selectors
from dangbo.congress.models import ALTERNATE, OFFICIAL, Congress, Delegate
from dangbo.core import rulesettings
from dangbo.core.errors import InvalidInput
from dangbo.core.textcheck import clean_text, model_limits
from dangbo.votes import rules
from dangbo.votes.models import CLOSED, DRAFT, HANDS, OPEN, PHONES, OpenVote, VoteCast


class AlreadyVoted(InvalidInput):
    """A second attempt by a delegate whose vote is already stored; `cast` is the stored vote."""

    def __init__(self, cast: VoteCast):
        super().__init__(f"Đồng chí đã biểu quyết «{rules.CHOICE_LABELS[cast.choice]}» lúc "
                         f"{timezone.localtime(cast.at):%H:%M:%S}; mỗi đại biểu chỉ biểu quyết một lần.",
                         field="choice")
        self.cast = cast


def _settings() -> rules.VoteRuleSettings:
    return rulesettings.configured(rules.VoteRuleSettings)


def _congress_settings():
    from dangbo.congress.rules import CongressRuleSettings

    return rulesettings.configured(CongressRuleSettings)


def _path(vote: OpenVote) -> str:
    return vote.congress.organization.path


@transaction.atomic
def vote_create(*, actor, congress: Congress, subject: str, kind: str, mode: str = HANDS) -> OpenVote:
    """Put a motion on the congress's list of open votes (draft)."""
    label, max_length = model_limits(OpenVote, ("subject",))["subject"]
    subject = clean_text(subject, field="subject", label=label, max_length=max_length)
    if not subject:
        raise InvalidInput("Thiếu trường bắt buộc «Nội dung biểu quyết».", field="subject")
    try:
        allowed = rules.open_vote_allowed(kind)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="kind") from None
    if not allowed:
        raise InvalidInput(f"«{rules.SECRET_KINDS[kind]}» phải bầu bằng phiếu kín, không biểu quyết công khai "
                           "(Quy định 190-QĐ/TW Điều 3 — CON-4).", field="kind")
    if mode not in (HANDS, PHONES):
        raise InvalidInput("«Hình thức» phải là giơ tay hoặc bấm trên điện thoại.", field="mode")
    vote = OpenVote.objects.create(congress=congress, subject=subject, kind=kind, mode=mode)
    audit_record(actor=actor, action="vote.create", obj=vote, org_path=congress.organization.path,
                 after={"congress": congress.pk, "subject": subject, "kind": kind, "mode": mode})
    return vote


def _members_excluded(vote: OpenVote, summoned: int) -> int:
    """The sum of a resolution's exclusions, checked against the congress's categories (CON-4)."""
    from dangbo.elections import rules as election_rules

    try:
        return summoned - election_rules.members_base_of(vote.congress.kind, summoned=summoned,
                                                         excluded=vote.exclusions or {})
    except ValueError as exc:
        raise InvalidInput(str(exc), field="exclusions") from None


@transaction.atomic
def vote_exclusions_set(*, actor, vote: OpenVote, excluded) -> OpenVote:
    """The secretariat enters who is taken out of a resolution's base before it opens (CON-4;
    24-QĐ/TW 9.3.1 / 9.3.2, med): counts by category of `elections.rules.BASE_EXCLUSIONS`."""
    from dangbo.elections import rules as election_rules

    vote = OpenVote.objects.select_for_update().select_related("congress__organization").get(pk=vote.pk)
    if vote.kind not in rules.MEMBER_BASE_KINDS:
        raise InvalidInput("Chỉ nghị quyết mới tính trên số thành viên; biểu quyết thủ tục không có loại trừ.",
                           field="exclusions")
    if vote.status != DRAFT:
        raise InvalidInput("Biểu quyết đã mở: cơ sở tính đã chốt, không sửa loại trừ được nữa.", field="exclusions")
    kind = vote.congress.kind if vote.congress.kind in election_rules.BASE_EXCLUSIONS else "members"
    labels = dict(election_rules.BASE_EXCLUSIONS[kind])
    unknown = sorted(set(excluded) - set(labels))
    if unknown:
        raise InvalidInput(f"Loại trừ không hợp lệ: {', '.join(unknown)}.", field="exclusions")
    counts = {}
    for key, label in labels.items():
        counts[key] = _count(excluded.get(key, 0) or 0, label, key)
    summoned = congress_selectors.quorum(vote.congress).summoned
    try:
        election_rules.members_base_of(kind, summoned=summoned, excluded=counts)
    except ValueError as exc:
        raise InvalidInput(str(exc), field=max(counts, key=counts.get)) from None
    before = dict(vote.exclusions or {})
    vote.exclusions = counts
    vote.save(update_fields=["exclusions"])
    audit_record(actor=actor, action="vote.exclusions_set", obj=vote, org_path=_path(vote), before=before,
                 after=counts)
    return vote


@transaction.atomic
def vote_open(*, actor, vote: OpenVote, at: datetime | None = None) -> OpenVote:
    """Open a draft vote: freeze the delegates present and summoned and the base (CON-4) — for a
    resolution the congress's members (summoned minus the exclusions entered), otherwise those present
    (setting `vote_base`).

    One open vote per congress at a time (the delegates' phones show "the" open vote); the congress
    row is locked so two votes cannot be opened at once."""
    Congress.objects.select_for_update().filter(pk=vote.congress_id).first()
    vote = OpenVote.objects.select_for_update().select_related("congress__organization").get(pk=vote.pk)
    if vote.status != DRAFT:
        raise InvalidInput(f"Biểu quyết «{vote.subject}» đã được mở trước đó.", field="status")
    other = OpenVote.objects.filter(congress_id=vote.congress_id, status=OPEN).exclude(pk=vote.pk).first()
    if other is not None:
        raise InvalidInput(f"Đang biểu quyết «{other.subject}»: kết thúc biểu quyết đó trước khi mở biểu quyết mới.",
                           field="status")
    at = at or timezone.now()
    congress = vote.congress
    present = congress_selectors.seated(congress).filter(checked_in_at__isnull=False, checked_in_at__lte=at).count()
    summoned = congress_selectors.quorum(congress).summoned
    settings = _settings()
    method = rules.base_method(vote.kind, settings)
    excluded = _members_excluded(vote, summoned) if method == rules.BASE_MEMBERS else 0
    try:
        base = rules.vote_base(present=present, summoned=summoned, excluded=excluded, kind=vote.kind,
                               settings=settings)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="status") from None
    if present == 0:
        raise InvalidInput("Chưa có đại biểu nào điểm danh: không thể mở biểu quyết.", field="status")
    vote.status, vote.opened_at = OPEN, at
    vote.present_at_open, vote.summoned_at_open, vote.base = present, summoned, base
    vote.base_method = method
    vote.excluded_at_open = excluded if method == rules.BASE_MEMBERS else None
    vote.save(update_fields=["status", "opened_at", "present_at_open", "summoned_at_open", "base", "base_method",
                             "excluded_at_open"])
    audit_record(actor=actor, action="vote.open", obj=vote, org_path=congress.organization.path,
                 after={"opened_at": at, "present": present, "summoned": summoned, "base": base,
                        "base_method": method, "exclusions": vote.exclusions if excluded else {}})
    return vote


def result_of(vote: OpenVote, *, votes_for: int, votes_against: int, votes_abstain: int) -> rules.VoteResult:
    return rules.vote_result(votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain,
                             base=vote.base or 0, kind=vote.kind, present=vote.present_at_open,
                             settings=_settings(), congress_settings=_congress_settings())


def _count(value, label: str, field: str) -> int:
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()):  # "²".isdigit() is True, int("²") is not
        raise InvalidInput(f"«{label}» phải là số nguyên không âm.", field=field)
    return int(text)


@transaction.atomic
def vote_hands_enter(*, actor, vote: OpenVote, votes_for, votes_against, votes_abstain) -> OpenVote:
    """The secretariat enters the counts of a show of hands (hands mode, while the vote is open)."""
    vote = OpenVote.objects.select_for_update().select_related("congress__organization").get(pk=vote.pk)
    if vote.mode != HANDS:
        raise InvalidInput("Biểu quyết này bấm trên điện thoại: số phiếu do hệ thống đếm.", field="mode")
    if vote.status != OPEN:
        raise InvalidInput("Chỉ nhập số khi biểu quyết đang mở.", field="status")
    counts = (_count(votes_for, "Tán thành", "votes_for"), _count(votes_against, "Không tán thành", "votes_against"),
              _count(votes_abstain, "Không biểu quyết", "votes_abstain"))
    try:
        result_of(vote, votes_for=counts[0], votes_against=counts[1], votes_abstain=counts[2])
    except ValueError as exc:
        raise InvalidInput(str(exc), field="votes_for") from None
    before = {"votes_for": vote.votes_for, "votes_against": vote.votes_against, "votes_abstain": vote.votes_abstain}
    vote.votes_for, vote.votes_against, vote.votes_abstain = counts
    vote.save(update_fields=["votes_for", "votes_against", "votes_abstain"])
    audit_record(actor=actor, action="vote.hands_enter", obj=vote, org_path=_path(vote), before=before,
                 after={"votes_for": counts[0], "votes_against": counts[1], "votes_abstain": counts[2]})
    return vote


def phone_counts(vote: OpenVote) -> dict[str, int]:
    """Votes cast from phones, by choice."""
    counts = dict.fromkeys(rules.CHOICES, 0)
    for choice, n in _grouped(vote):
        counts[choice] = n
    return counts


def _grouped(vote):
    from django.db.models import Count

    return VoteCast.objects.filter(vote_id=vote.pk).values_list("choice").annotate(n=Count("id")).order_by()


@transaction.atomic
def vote_close(*, actor, vote: OpenVote, at: datetime | None = None) -> OpenVote:
    """Close an open vote and freeze its result (CON-4). Locks the vote row first (see module doc)."""
    vote = OpenVote.objects.select_for_update().select_related("congress__organization").get(pk=vote.pk)
    if vote.status != OPEN:
        raise InvalidInput(f"Biểu quyết «{vote.subject}» không đang mở.", field="status")
    if vote.mode == PHONES:
        c = phone_counts(vote)
        vote.votes_for, vote.votes_against, vote.votes_abstain = c[rules.FOR], c[rules.AGAINST], c[rules.ABSTAIN]
    result = result_of(vote, votes_for=vote.votes_for, votes_against=vote.votes_against,
                       votes_abstain=vote.votes_abstain)
    vote.status, vote.closed_at, vote.passed = CLOSED, at or timezone.now(), result.passed
    vote.save(update_fields=["status", "closed_at", "passed", "votes_for", "votes_against", "votes_abstain"])
    audit_record(actor=actor, action="vote.close", obj=vote, org_path=_path(vote),
                 after={"closed_at": vote.closed_at, "base": result.base, "need": result.need,
                        "votes_for": result.votes_for, "votes_against": result.votes_against,
                        "votes_abstain": result.votes_abstain, "passed": result.passed})
    return vote


def _lock_shared(vote: OpenVote):
    """(status, opened_at) of the vote, holding a share lock on PostgreSQL until commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"SELECT status, opened_at FROM {OpenVote._meta.db_table} WHERE id = %s FOR SHARE",
                        [vote.pk])
            return cur.fetchone()
    return OpenVote.objects.filter(pk=vote.pk).values_list("status", "opened_at").first()


def _repeat(existing: VoteCast, token: str) -> tuple[VoteCast, bool]:
    if existing.token == token:
        return existing, False  # the same request again: same acknowledgement
    raise AlreadyVoted(existing)


def cast_problem(vote: OpenVote, delegate: Delegate, opened_at=None) -> str | None:
    """Why `delegate` may not vote on `vote` (Vietnamese, said to them on their phone), or None.

    A delegate votes when seated (official not replaced, or an alternate replacing one — as
    `congress.selectors.seated`) and checked in when the vote opened: the delegates making up its
    base (CON-4). Reads the delegate's row afresh (one query; one more for an alternate, or to name
    the alternate sitting for a replaced delegate). `opened_at` defaults to the vote's."""
    opened_at = opened_at or vote.opened_at
    row = Delegate.objects.filter(pk=delegate.pk).values_list("congress_id", "kind", "replaced_by_id",
                                                              "checked_in_at").first()
    if row is None or row[0] != vote.congress_id:
        return "Đồng chí không có tên trong danh sách đại biểu của đại hội này nên không biểu quyết."
    _congress, kind, replaced_by, checked_in_at = row
    if kind == OFFICIAL and replaced_by is not None:
        alt = Delegate.objects.select_related("member").get(pk=replaced_by)
        return (f"Đồng chí đã được đại biểu dự khuyết {alt.member.full_name} (thẻ số {alt.card_label}) thay thế: "
                f"đồng chí {alt.member.full_name} biểu quyết ở ghế này.")
    if kind == ALTERNATE and not Delegate.objects.filter(replaced_by_id=delegate.pk).exists():
        return ("Đồng chí là đại biểu dự khuyết, chưa thay thế đại biểu chính thức nào nên không biểu quyết. "
                "Khi được thay thế một đại biểu vắng mặt, Đoàn Thư ký ghi ở trang đại biểu.")
    if checked_in_at is None:
        return "Đồng chí chưa điểm danh nên không biểu quyết được lần này. Liên hệ bàn điểm danh."
    if opened_at is None or checked_in_at > opened_at:
        when = f" ({timezone.localtime(opened_at):%H:%M})" if opened_at else ""
        return (f"Đồng chí điểm danh lúc {timezone.localtime(checked_in_at):%H:%M}, sau khi biểu quyết được mở"
                f"{when}: số có mặt đã chốt khi mở nên lần này đồng chí không biểu quyết.")
    return None


def delegate_may_vote(vote: OpenVote, delegate: Delegate, opened_at) -> bool:
    """Whether `delegate` may vote on `vote` (`cast_problem` finds nothing)."""
    return cast_problem(vote, delegate, opened_at) is None


def vote_cast(*, actor, vote: OpenVote, delegate: Delegate, choice: str, token: str,
              at: datetime | None = None) -> tuple[VoteCast, bool]:
    """Record a delegate's vote from their phone. Returns (cast, True) for a new vote, (cast, False)
    for a repeat of the same request (same token); raises AlreadyVoted for a new attempt after a
    stored vote, InvalidInput when the vote is not open or the delegate may not vote."""
    if choice not in rules.CHOICES:
        raise InvalidInput("Chọn «Tán thành», «Không tán thành» hoặc «Không biểu quyết».", field="choice")
    token = (token or "").strip()
    if not token or len(token) > 64:
        raise InvalidInput("Phiếu biểu quyết không hợp lệ: tải lại trang và bấm lại.", field="token")
    with transaction.atomic():
        existing = VoteCast.objects.filter(vote_id=vote.pk, delegate_id=delegate.pk).first()
        if existing is not None:
            return _repeat(existing, token)
        row = _lock_shared(vote)
        if row is None or row[0] != OPEN:
            raise InvalidInput("Biểu quyết đã kết thúc." if row and row[0] == CLOSED else "Biểu quyết chưa mở.",
                               field="status")
        if vote.mode != PHONES:
            raise InvalidInput("Biểu quyết này bằng giơ tay, không bấm trên điện thoại.", field="mode")
        problem = cast_problem(vote, delegate, row[1])
        if problem:
            raise InvalidInput(problem, field="delegate")
        try:
            with transaction.atomic():
                cast = VoteCast.objects.create(vote=vote, delegate=delegate, choice=choice, token=token,
                                               at=at or timezone.now())
        except IntegrityError:
            existing = VoteCast.objects.filter(vote_id=vote.pk, delegate_id=delegate.pk).first()
            if existing is None:
                raise
            return _repeat(existing, token)
        audit_record(actor=actor, action="vote.cast", obj=cast, org_path=_path(vote),
                     after={"vote": vote.pk, "delegate": delegate.pk, "number": delegate.number, "choice": choice})
    return cast, True
