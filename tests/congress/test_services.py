"""Congress services and selectors: delegates (MEM-2, ORG-2), check-in, quorum (CON-1)."""

import random
import threading
from datetime import date

import pytest
from django.db import connection

from dangbo.audit.models import AuditEvent
from dangbo.congress import selectors, services
from dangbo.congress.demo import build_congress_demo
from dangbo.congress.models import ALTERNATE, APPOINTED, Congress, Delegate
from dangbo.core.errors import InvalidInput
from dangbo.orgs.services import org_found


@pytest.fixture
def congress(world):
    c = services.congress_create(actor=world.office, organization=world.root, kind="delegates",
                                 term="2025–2030", name="Đại hội đại biểu lần thứ I",
                                 start_date=date(2025, 7, 28), end_date=date(2025, 7, 29))
    world.hung_d = services.delegate_add(actor=world.office, congress=c, member=world.hung, obtained=APPOINTED)
    world.lan_d = services.delegate_add(actor=world.office, congress=c, member=world.lan, obtained=APPOINTED)
    return c


def test_congress_create_validates_and_audits(world):
    with pytest.raises(InvalidInput) as exc:
        services.congress_create(actor=None, organization=world.root, kind="delegates", term="2025–2030",
                                 name="X", start_date=date(2025, 7, 29), end_date=date(2025, 7, 28))
    assert exc.value.field == "end_date" and "Ngày bế mạc" in exc.value.message
    c = services.congress_create(actor=world.office, organization=world.a, kind="members", term="2025–2030",
                                 name="Đại hội Đảng bộ A", start_date=date(2025, 6, 1))
    assert c.end_date == c.start_date
    assert AuditEvent.objects.filter(action="congress.create", object_id=str(c.pk)).exists()


def test_delegate_add_derives_delegation_and_number(world, congress):
    assert world.hung_d.from_org == world.a and world.lan_d.from_org == world.a  # cells A1, A2 → A
    assert (world.hung_d.number, world.lan_d.number) == (1, 2)
    assert world.hung_d.obtained == "appointed"
    assert AuditEvent.objects.filter(action="congress.delegate_add").count() == 2


def test_probationary_member_refused_mem2(world, congress):
    for kind in ("official", "alternate"):
        with pytest.raises(InvalidInput) as exc:
            services.delegate_add(actor=None, congress=congress, member=world.hoa, kind=kind)
        assert exc.value.field == "member" and "dự bị" in exc.value.message


def test_duplicates_and_foreign_members_refused(world, congress):
    with pytest.raises(InvalidInput) as exc:
        services.delegate_add(actor=None, congress=congress, member=world.hung)
    assert exc.value.field == "member" and "đã có" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        services.delegate_add(actor=None, congress=congress, member=world.stranger)
    assert exc.value.field == "member"
    other = world.add(world.b, "Đỗ Văn Nam")
    with pytest.raises(InvalidInput) as exc:
        services.delegate_add(actor=None, congress=congress, member=other, number=1)
    assert exc.value.field == "number" and "Số thẻ đại biểu" in exc.value.message


def test_double_check_in_counted_once(world, congress):
    d, changed = services.delegate_check_in(actor=world.office, congress=congress, number="1")
    assert changed and d == world.hung_d and d.checked_in_at is not None
    first = d.checked_in_at
    d2, changed2 = services.delegate_check_in(actor=world.office, congress=congress, number="DB-001")
    assert not changed2 and d2.checked_in_at == first
    assert AuditEvent.objects.filter(action="congress.check_in").count() == 1
    assert selectors.quorum(congress).present == 1


def test_check_in_unknown_number(world, congress):
    with pytest.raises(InvalidInput) as exc:
        services.delegate_check_in(actor=None, congress=congress, number="77")
    assert exc.value.field == "number" and "77" in exc.value.message
    with pytest.raises(InvalidInput):
        services.delegate_check_in(actor=None, congress=congress, number="abc")


def test_undo(world, congress):
    services.delegate_check_in(actor=None, congress=congress, delegate=world.lan_d)
    assert selectors.quorum(congress).present == 1
    d, changed = services.delegate_check_in_undo(actor=world.office, congress=congress, delegate=world.lan_d)
    assert changed and d.checked_in_at is None
    assert not services.delegate_check_in_undo(actor=None, congress=congress, number=2)[1]
    assert selectors.quorum(congress).present == 0
    assert AuditEvent.objects.filter(action="congress.check_in_undo").count() == 1


def test_alternate_replacing_takes_the_seat(world, congress):
    alt_member = world.add(world.b, "Đỗ Văn Nam")
    alt = services.delegate_add(actor=None, congress=congress, member=alt_member, kind=ALTERNATE)
    services.delegate_check_in(actor=None, congress=congress, delegate=alt)
    q = selectors.quorum(congress)
    assert (q.summoned, q.present) == (2, 0)  # an alternate not replacing anyone does not count
    Delegate.objects.filter(pk=world.lan_d.pk).update(replaced_by=alt)
    q = selectors.quorum(congress)
    assert (q.summoned, q.present, q.orgs_total, q.orgs_present) == (2, 1, 2, 1)  # A and B in the tree (CON-1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_count_once(world):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("in-memory SQLite is one connection")
    c = services.congress_create(actor=None, organization=world.root, kind="delegates", term="t", name="n",
                                 start_date=date(2025, 7, 28))
    services.delegate_add(actor=None, congress=c, member=world.hung)
    results, barrier = [], threading.Barrier(4)

    def scan():
        from django.db import connection as conn
        barrier.wait()
        try:
            results.append(services.delegate_check_in(actor=None, congress=c, number="1")[1])
        finally:
            conn.close()

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1 and len(results) == 4
    assert AuditEvent.objects.filter(action="congress.check_in").count() == 1


@pytest.fixture
def big(world):
    """A committee of 12 organisations and 184 appointed delegates (16 × 8 + 14 × 4)."""
    root = org_found(actor=None, code="BIG", name="Đảng bộ Lớn", kind="committee", parent=None, on=date(2025, 7, 1))
    c = services.congress_create(actor=None, organization=root, kind="delegates", term="2025–2030",
                                 name="Đại hội Lớn", start_date=date(2025, 7, 28))
    orgs = []
    for i in range(12):
        org = org_found(actor=None, code=f"G{i:02d}", name=f"Chi bộ cơ sở {i + 1}", kind="grassroots_cell",
                        parent=root, on=date(2025, 7, 1))
        orgs.append(org)
        for k in range(16 if i < 8 else 14):
            m = world.add(org, f"Đảng Viên {chr(65 + i)}{k:02d}")
            services.delegate_add(actor=None, congress=c, member=m, obtained=APPOINTED)
    c.orgs = orgs
    return c


def test_quorum_worked_case_184_12(big):
    q = selectors.quorum(big)
    assert (q.summoned, q.orgs_total, q.need_delegates, q.need_orgs) == (184, 12, 123, 8)
    assert not q.valid
    firsts8 = big.delegates.filter(from_org__in=big.orgs[:8]).order_by("number")[:123]
    for d in firsts8:
        services.delegate_check_in(actor=None, congress=big, delegate=d)
    q = selectors.quorum(big)
    assert (q.present, q.orgs_present, q.valid) == (123, 8, True)
    services.delegate_check_in_undo(actor=None, congress=big, delegate=firsts8[0])
    q = selectors.quorum(big)
    assert (q.present, q.delegates_ok, q.orgs_ok, q.valid) == (122, False, True, False)
    assert "Còn thiếu 1 đại biểu" in selectors.quorum_missing(q)[0]


def test_quorum_orgs_condition_alone_fails(big):
    """123+ delegates present but from only 7 organisations: not valid (2/3 AND 2/3)."""
    for d in big.delegates.filter(from_org__in=big.orgs[:7]):  # 112 delegates
        services.delegate_check_in(actor=None, congress=big, delegate=d)
    q = selectors.quorum(big)
    assert (q.present, q.orgs_present, q.valid) == (112, 7, False)
    missing = selectors.quorum_missing(q)
    assert len(missing) == 2 and "1 tổ chức" in missing[1]


def test_demo_is_idempotent_and_valid(world):
    for i in range(3):
        world.add(world.b, f"Đỗ Văn Nam{'a' * i}")
        world.add(world.a1, f"Vũ Văn Tâm{'a' * i}")
    rng = random.Random(1)
    c = build_congress_demo(root=world.root, today=date(2025, 9, 1), rng=rng, seats=4, absent=1)
    assert c.delegates.filter(kind="official").count() == 4
    assert set(c.delegates.values_list("obtained", flat=True)) == {"appointed"}
    assert set(c.delegates.values_list("from_org", flat=True)) == {world.a.pk, world.b.pk}
    # two alternates, one of them in the absent delegate's seat and checked in
    assert c.delegates.filter(kind="alternate").count() == 2
    replaced = c.delegates.get(replaced_by__isnull=False)
    assert replaced.checked_in_at is None and replaced.replaced_by.checked_in_at is not None
    assert replaced.replaced_by.from_org_id == replaced.from_org_id
    q = selectors.quorum(c)
    assert (q.summoned, q.present) == (4, 4) and q.valid
    assert [s.title for s in c.sessions.all()][0] == "Phiên trù bị" and c.sessions.first().items.count() == 3
    assert not c.delegates.exclude(credential="accepted").exists()
    assert c.documents.get().kind == "credentials_report"
    presidium = c.bodies.get(kind="presidium")
    assert presidium.approved and presidium.members.filter(is_head=True).count() == 1
    before = (c.delegates.count(), c.sessions.count(), c.documents.count())
    assert build_congress_demo(root=world.root, today=date(2025, 9, 1), rng=rng) == c
    assert Congress.objects.count() == 1
    assert (c.delegates.count(), c.sessions.count(), c.documents.count()) == before


def test_demo_makes_a_member_with_a_login_a_delegate_present(world):
    """The demo member (`dangvien`) sees something on the phone page: members with a login of their own
    are delegates of their organisation and checked in, whatever the draw (world.member_user is Lan's)."""
    for i in range(3):
        world.add(world.b, f"Đỗ Văn Nam{'a' * i}")
        world.add(world.a1, f"Vũ Văn Tâm{'a' * i}")
    for seed in range(6):
        c = build_congress_demo(root=world.root, today=date(2025, 9, 1), rng=random.Random(seed), seats=4, absent=2)
        lan = c.delegates.get(member=world.lan)
        assert lan.kind == "official" and lan.checked_in_at is not None and lan.replaced_by_id is None, seed
        assert c.delegates.filter(kind="official", checked_in_at__isnull=True).count() == 2  # still 2 away
        c.delete()
