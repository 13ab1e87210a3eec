"""Open-vote services (CON-4): create, open (frozen base), hands entry, phone casts, close."""

import threading
import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from dangbo.audit.models import AuditEvent
from dangbo.congress import services as congress_services
from dangbo.core.errors import InvalidInput
from dangbo.votes import selectors, services
from dangbo.votes.models import VoteCast


def tok():
    return uuid.uuid4().hex


def test_create_refuses_secret_ballot_subjects(world, congress):
    with pytest.raises(InvalidInput) as exc:
        services.vote_create(actor=world.office, congress=congress, subject="Bầu Bí thư", kind="secretary")
    assert exc.value.field == "kind" and "phiếu kín" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        services.vote_create(actor=world.office, congress=congress, subject="  ", kind="agenda")
    assert exc.value.field == "subject"
    v = services.vote_create(actor=world.office, congress=congress, subject="Chương trình", kind="agenda")
    assert v.status == "draft" and v.mode == "hands"
    assert AuditEvent.objects.filter(action="vote.create", object_id=str(v.pk)).exists()


def test_open_freezes_base_and_one_open_at_a_time(world, congress):
    v = services.vote_create(actor=world.office, congress=congress, subject="Chương trình", kind="agenda")
    v = services.vote_open(actor=world.office, vote=v)
    assert (v.status, v.present_at_open, v.summoned_at_open, v.base) == ("open", 3, 4, 3)
    congress_services.delegate_check_in(actor=None, congress=congress, delegate=world.mai_d)
    assert selectors.result(v).base == 3  # a later arrival does not move the base
    w = services.vote_create(actor=world.office, congress=congress, subject="Quy chế", kind="rules")
    with pytest.raises(InvalidInput, match="Đang biểu quyết"):
        services.vote_open(actor=world.office, vote=w)
    with pytest.raises(InvalidInput, match="đã được mở"):
        services.vote_open(actor=world.office, vote=v)


def test_hands_entry_and_close(world, congress):
    v = services.vote_create(actor=world.office, congress=congress, subject="Đoàn Chủ tịch", kind="presidium")
    with pytest.raises(InvalidInput, match="đang mở"):
        services.vote_hands_enter(actor=None, vote=v, votes_for=1, votes_against=0, votes_abstain=0)
    services.vote_open(actor=world.office, vote=v)
    with pytest.raises(InvalidInput, match="lớn hơn"):
        services.vote_hands_enter(actor=None, vote=v, votes_for=3, votes_against=1, votes_abstain=0)
    with pytest.raises(InvalidInput) as exc:
        services.vote_hands_enter(actor=None, vote=v, votes_for="x", votes_against=0, votes_abstain=0)
    assert exc.value.field == "votes_for"
    services.vote_hands_enter(actor=world.office, vote=v, votes_for="2", votes_against="1", votes_abstain="0")
    v = services.vote_close(actor=world.office, vote=v)
    assert (v.status, v.votes_for, v.passed) == ("closed", 2, True)
    with pytest.raises(InvalidInput):
        services.vote_hands_enter(actor=None, vote=v, votes_for=0, votes_against=0, votes_abstain=0)
    with pytest.raises(InvalidInput, match="không đang mở"):
        services.vote_close(actor=None, vote=v)
    assert AuditEvent.objects.filter(action__startswith="vote.").count() == 4


def test_phone_votes_once_per_present_delegate(world, congress):
    v = services.vote_create(actor=world.office, congress=congress, subject="Nghị quyết", kind="resolution",
                             mode="phones")
    with pytest.raises(InvalidInput, match="chưa mở"):
        services.vote_cast(actor=None, vote=v, delegate=world.hung_d, choice="for", token=tok())
    v = services.vote_open(actor=world.office, vote=v)
    with pytest.raises(InvalidInput) as exc:
        services.vote_cast(actor=None, vote=v, delegate=world.mai_d, choice="for", token=tok())
    assert exc.value.field == "delegate"  # not checked in
    t = tok()
    cast, new = services.vote_cast(actor=None, vote=v, delegate=world.hung_d, choice="for", token=t)
    assert new
    again, new2 = services.vote_cast(actor=None, vote=v, delegate=world.hung_d, choice="for", token=t)
    assert (again.pk, new2) == (cast.pk, False)  # a retried request: same acknowledgement
    with pytest.raises(services.AlreadyVoted) as exc:
        services.vote_cast(actor=None, vote=v, delegate=world.hung_d, choice="against", token=tok())
    assert exc.value.cast.pk == cast.pk and "Tán thành" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        services.vote_cast(actor=None, vote=v, delegate=world.lan_d, choice="maybe", token=tok())
    assert exc.value.field == "choice"
    services.vote_cast(actor=None, vote=v, delegate=world.lan_d, choice="abstain", token=tok())
    assert selectors.counts(v) == {"for": 1, "against": 0, "abstain": 1}
    assert not selectors.result(v).passed  # 1 of 4 members: not more than half
    services.vote_cast(actor=None, vote=v, delegate=world.nam_d, choice="for", token=tok())
    v = services.vote_close(actor=world.office, vote=v)
    # a resolution counts on the 4 members summoned (CON-4), not the 3 present: 2 is not more than half
    assert (v.base, v.votes_for, v.votes_against, v.votes_abstain, v.passed) == (4, 2, 0, 1, False)
    with pytest.raises(InvalidInput, match="kết thúc"):
        services.vote_cast(actor=None, vote=v, delegate=world.mai_d, choice="for", token=tok())
    # a retry of an acknowledged vote after closing still gets its acknowledgement
    assert services.vote_cast(actor=None, vote=v, delegate=world.hung_d, choice="for", token=t)[0].pk == cast.pk
    assert AuditEvent.objects.filter(action="vote.cast").count() == 3


def test_hands_vote_takes_no_phone_casts(world, congress):
    v = services.vote_create(actor=world.office, congress=congress, subject="Chương trình", kind="agenda")
    services.vote_open(actor=world.office, vote=v)
    with pytest.raises(InvalidInput) as exc:
        services.vote_cast(actor=None, vote=v, delegate=world.hung_d, choice="for", token=tok())
    assert exc.value.field == "mode"


def test_alternate_not_replacing_cannot_vote(world, congress):
    alt = congress_services.delegate_add(actor=None, congress=congress, member=world.add(world.b, "Hồ Văn Tư"),
                                         kind="alternate")
    congress_services.delegate_check_in(actor=None, congress=congress, delegate=alt)
    v = services.vote_create(actor=None, congress=congress, subject="NQ", kind="resolution", mode="phones")
    v = services.vote_open(actor=None, vote=v)
    assert (v.base, v.present_at_open) == (4, 3)  # a resolution: the 4 members, not the 3 seated present
    with pytest.raises(InvalidInput):
        services.vote_cast(actor=None, vote=v, delegate=alt, choice="for", token=tok())


def test_database_refuses_a_second_row(world, congress):
    v = services.vote_create(actor=None, congress=congress, subject="NQ", kind="resolution", mode="phones")
    services.vote_open(actor=None, vote=v)
    services.vote_cast(actor=None, vote=v, delegate=world.hung_d, choice="for", token=tok())
    with pytest.raises(IntegrityError), transaction.atomic():
        VoteCast.objects.create(vote=v, delegate=world.hung_d, choice="against", token="x", at=v.opened_at)


def test_open_needs_someone_present(world):
    c = congress_services.congress_create(actor=None, organization=world.a, kind="members", term="t", name="n",
                                          start_date=congress_services.date(2025, 6, 1))
    v = services.vote_create(actor=None, congress=c, subject="NQ", kind="resolution")
    with pytest.raises(InvalidInput, match="Chưa có đại biểu"):
        services.vote_open(actor=None, vote=v)


def _real_db():
    return not (connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"))


@pytest.mark.django_db(transaction=True)
def test_concurrent_casts_of_one_delegate_store_one(world, congress):
    """Eight threads vote for the same delegate at once: one row; the same token gets the same
    acknowledgement, other tokens are refused."""
    if not _real_db():
        pytest.skip("in-memory SQLite is one connection")
    v = services.vote_create(actor=None, congress=congress, subject="NQ", kind="resolution", mode="phones")
    services.vote_open(actor=None, vote=v)
    results, barrier, same = [], threading.Barrier(8), tok()

    def cast(i):
        from django.db import connection as conn
        barrier.wait()
        try:
            token = same if i < 4 else tok()
            c, new = services.vote_cast(actor=None, vote=v, delegate=world.hung_d, choice="for", token=token)
            results.append(("ok", c.pk, new, token))
        except services.AlreadyVoted as exc:
            results.append(("refused", exc.cast.pk, False, None))
        finally:
            conn.close()

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    assert VoteCast.objects.filter(vote=v).count() == 1
    stored = VoteCast.objects.get(vote=v)
    assert {r[1] for r in results} == {stored.pk}
    assert sum(1 for r in results if r[2]) == 1
    assert all(r[0] == "ok" for r in results if r[3] == stored.token)
    assert AuditEvent.objects.filter(action="vote.cast").count() == 1


@pytest.mark.django_db(transaction=True)
def test_close_never_loses_an_acknowledged_cast(world, congress):
    """Casts racing the close: every acknowledged cast is in the frozen result."""
    if not _real_db():
        pytest.skip("in-memory SQLite is one connection")
    v = services.vote_create(actor=None, congress=congress, subject="NQ", kind="resolution", mode="phones")
    services.vote_open(actor=None, vote=v)
    acked, barrier = [], threading.Barrier(4)

    def cast(d):
        from django.db import connection as conn
        barrier.wait()
        try:
            acked.append(services.vote_cast(actor=None, vote=v, delegate=d, choice="for", token=tok())[0].pk)
        except InvalidInput:
            pass
        finally:
            conn.close()

    def close():
        from django.db import connection as conn
        barrier.wait()
        try:
            services.vote_close(actor=None, vote=v)
        finally:
            conn.close()

    threads = [threading.Thread(target=cast, args=(d,)) for d in (world.hung_d, world.lan_d, world.nam_d)]
    threads.append(threading.Thread(target=close))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    v.refresh_from_db()
    assert v.status == "closed" and v.votes_for == len(acked) == VoteCast.objects.filter(vote=v).count()
