"""Congress set-up services: bodies and their approval vote (CON-4, CON-9), allocation (CON-2),
alternates replacing absent delegates (quorum CON-1), credentials (CON-3) and the report."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.audit.models import AuditEvent
from dangbo.congress import selectors, services
from dangbo.congress.models import ALTERNATE, APPOINTED, EX_OFFICIO
from dangbo.core.errors import InvalidInput


@pytest.fixture
def cong(world):
    c = services.congress_create(actor=world.office, organization=world.root, kind="delegates", term="2025–2030",
                                 name="Đại hội đại biểu lần thứ I", start_date=date(2025, 7, 28),
                                 end_date=date(2025, 7, 29))
    world.hung_d = services.delegate_add(actor=None, congress=c, member=world.hung, obtained=APPOINTED)
    world.lan_d = services.delegate_add(actor=None, congress=c, member=world.lan, obtained=EX_OFFICIO)
    world.nam = world.add(world.b, "Đỗ Văn Nam", ethnicity="Tày")
    world.nam_d = services.delegate_add(actor=None, congress=c, member=world.nam, obtained=APPOINTED)
    world.tam = world.add(world.a1, "Vũ Văn Tâm")
    world.tam_d = services.delegate_add(actor=None, congress=c, member=world.tam, kind=ALTERNATE)
    return c


def test_body_vote_counts_against_those_present(world, cong):
    services.body_member_add(actor=None, congress=cong, kind="presidium", delegate=world.hung_d, is_head=True)
    services.body_member_add(actor=None, congress=cong, kind="presidium", delegate=world.lan_d, is_head=True)
    body = services.body_of(cong, "presidium")
    assert list(body.members.filter(is_head=True).values_list("delegate", flat=True)) == [world.lan_d.id]
    for n in (1, 2, 3):
        services.delegate_check_in(actor=None, congress=cong, number=n)
    # 3 present: 2 of 3 is more than half; 1 of 3 is not; 4 hands cannot be raised by 3 people
    with pytest.raises(InvalidInput, match="lớn hơn số đại biểu có mặt"):
        services.body_vote_record(actor=None, congress=cong, kind="presidium", votes_for=3, votes_against=1,
                                  votes_abstain=0)
    body = services.body_vote_record(actor=world.office, congress=cong, kind="presidium", votes_for=1,
                                     votes_against=1, votes_abstain=1)
    assert (body.approved, body.vote_base, body.vote_present) == (False, 3, 3)
    services.body_vote_clear(actor=None, congress=cong, kind="presidium")
    body = services.body_vote_record(actor=world.office, congress=cong, kind="presidium", votes_for=2,
                                     votes_against=0, votes_abstain=0)
    assert body.approved is True
    assert AuditEvent.objects.filter(action="congress.body_vote").count() == 2
    with pytest.raises(InvalidInput, match="đã được biểu quyết"):
        services.body_member_remove(actor=None, congress=cong, kind="presidium", delegate=world.hung_d)


def test_con9_counting_committee_official_and_not_on_a_list(world, cong):
    with pytest.raises(InvalidInput, match="Ban Kiểm phiếu gồm đại biểu chính thức"):
        services.body_member_add(actor=None, congress=cong, kind="counting", delegate=world.tam_d)
    from dangbo.elections.models import Candidate, Election

    election = Election.objects.create(congress=cong, body=Election._meta.get_field("body").choices[0][0], seats=1)
    Candidate.objects.create(election=election, no=1, full_name=world.hung.full_name, member=world.hung)
    with pytest.raises(InvalidInput, match="danh sách bầu cử"):
        services.body_member_add(actor=None, congress=cong, kind="counting", delegate=world.hung_d)
    services.body_member_add(actor=None, congress=cong, kind="counting", delegate=world.nam_d)
    assert selectors.counting_committee_member_ids(cong) == {world.nam.id}
    # an alternate replacing an official delegate sits as an official one
    services.alternate_replace(actor=None, congress=cong, absent=world.hung_d, alternate=world.tam_d)
    services.body_member_add(actor=None, congress=cong, kind="counting", delegate=world.tam_d)


def test_alternate_replacing_counts_in_quorum_once(world, cong):
    with pytest.raises(InvalidInput, match="cùng đoàn"):
        services.alternate_replace(actor=None, congress=cong, absent=world.nam_d, alternate=world.tam_d)
    services.delegate_check_in(actor=None, congress=cong, number=2)
    with pytest.raises(InvalidInput, match="đã điểm danh"):
        services.alternate_replace(actor=None, congress=cong, absent=world.lan_d, alternate=world.tam_d)
    with pytest.raises(InvalidInput, match="không phải đại biểu dự khuyết"):
        services.alternate_replace(actor=None, congress=cong, absent=world.hung_d, alternate=world.lan_d)
    services.alternate_replace(actor=world.office, congress=cong, absent=world.hung_d, alternate=world.tam_d)
    assert AuditEvent.objects.filter(action="congress.alternate_replace").count() == 1
    with pytest.raises(InvalidInput, match="đã có đại biểu dự khuyết"):
        services.alternate_replace(actor=None, congress=cong, absent=world.hung_d, alternate=world.tam_d)
    q = selectors.quorum(cong)
    assert (q.summoned, q.present) == (3, 1)  # summoned unchanged: official delegates
    services.delegate_check_in(actor=None, congress=cong, number=world.tam_d.number)
    with pytest.raises(InvalidInput, match="huỷ thay thế"):  # came late: his seat is Tâm's until undone
        services.delegate_check_in(actor=None, congress=cong, number=world.hung_d.number)
    q = selectors.quorum(cong)
    assert (q.present, q.orgs_present) == (2, 1)
    services.alternate_replace_undo(actor=None, congress=cong, absent=world.hung_d)
    assert selectors.quorum(cong).present == 1  # Tâm sits for nobody now
    services.delegate_check_in(actor=None, congress=cong, number=world.hung_d.number)
    assert selectors.quorum(cong).present == 2  # Hùng himself instead of Tâm


def test_allocation_save_sums_and_reports_by_name(world, cong):
    rows = [(world.a, 7, 0), (world.b, 3, 2)]
    saved = services.allocation_save(actor=world.office, congress=cong, rows=rows, seats=20, ex_officio=2,
                                     base_per_org=3)
    assert sum(r.seats for r in saved) == 18
    # 18 − 6 fixed − 2 bonus = 10 by members 7:3 → 7, 3
    assert {r.organization_id: r.seats for r in saved} == {world.a.id: 10, world.b.id: 8}
    cong.refresh_from_db()
    assert (cong.seats, cong.ex_officio, cong.base_per_org) == (20, 2, 3)
    with pytest.raises(InvalidInput, match="không quá 300") as exc:
        services.allocation_save(actor=None, congress=cong, rows=rows, seats=301)
    assert exc.value.field == "seats"
    with pytest.raises(InvalidInput, match="cố định") as exc:
        services.allocation_save(actor=None, congress=cong, rows=rows, seats=5, base_per_org=3)
    assert exc.value.field == "base_per_org"
    with pytest.raises(InvalidInput, match="không trực thuộc"):
        services.allocation_save(actor=None, congress=cong, rows=[(world.x1, 3, 0)], seats=5)
    assert cong.allocation.count() == 2  # nothing half-saved


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=st.integers(0, 500), b=st.integers(0, 500), seats=st.integers(1, 300), ex=st.integers(0, 20),
       base=st.integers(0, 5), bonus=st.integers(0, 5))
def test_allocation_property_sums_or_refuses(world, cong, a, b, seats, ex, base, bonus):
    rows = [(world.a, a, 0), (world.b, b, bonus)]
    try:
        shares = services.allocation_compute(congress=cong, rows=rows, seats=seats, ex_officio=ex, base_per_org=base)
    except InvalidInput:
        assert ex > seats or 2 * base + bonus > seats - ex or (a + b == 0 and seats - ex - 2 * base - bonus > 0)
        return
    assert sum(shares.values()) == seats - ex
    assert shares[world.a.id] >= base and shares[world.b.id] >= base + bonus


def test_credentials_decide_and_report(world, cong):
    with pytest.raises(InvalidInput, match="không phải căn cứ") as exc:
        services.credential_decide(actor=world.office, congress=cong, delegate=world.nam_d, accept=False,
                                   ground="absent_often")
    assert exc.value.field == "ground"
    services.credential_decide(actor=world.office, congress=cong, delegate=world.nam_d, accept=False,
                               ground="detained", note="Quyết định tạm giam số 1")
    assert services.credentials_accept_pending(actor=world.office, congress=cong) == 3
    report = selectors.credentials_report(cong)
    assert report["status"] == {"total": 4, "accepted": 3, "refused": 1, "pending": 0, "official": 3, "alternate": 1,
                                "replaced": 0}
    sections = dict(report["sections"])
    assert ("Nữ", 1, 33.33) in sections["Giới tính"] and ("Nam", 2, 66.67) in sections["Giới tính"]
    assert sections["Dân tộc"] == [("Dân tộc Kinh", 3, 100.0), ("Dân tộc thiểu số", 0, 0.0)]
    assert sections["Hình thức có tư cách"][:3] == [("Bầu cử", 1, 33.33), ("Chỉ định", 1, 33.33),
                                                    ("Đương nhiên", 1, 33.33)]
    # born 5/5/1975 → 50 on 28/7/2025; admitted 2/3/2000 → party age 25
    assert sections["Độ tuổi"][2] == ("Từ 50 đến dưới 60 tuổi", 3, 100.0)
    assert ("Từ 20 đến dưới 30 năm", 3, 100.0) in sections["Tuổi đảng"]
    assert sections["Trình độ chuyên môn"] == [("Chưa có dữ liệu", 3, 100.0)]  # not filled in the registry
    assert report["refused"] == [world.nam_d] or [d.pk for d in report["refused"]] == [world.nam_d.pk]
    assert AuditEvent.objects.filter(action="congress.credential").count() == 1


def test_accept_pending_leaves_registry_suspended_delegates_to_the_committee(world, cong):
    from dangbo.members.services import member_event_record

    member_event_record(actor=None, member=world.nam, kind="suspension", on=date(2025, 7, 1),
                        decision_number="5-QĐ/ĐU")
    assert services.credentials_accept_pending(actor=None, congress=cong) == 3
    world.nam_d.refresh_from_db()
    assert world.nam_d.credential == "pending"
    services.credential_decide(actor=None, congress=cong, delegate=world.nam_d, accept=False,
                               ground="suspended_party")
    assert selectors.credentials_report(cong)["status"]["refused"] == 1


def test_delegate_remove_only_when_nothing_hangs_on_them(world, cong):
    services.alternate_replace(actor=None, congress=cong, absent=world.hung_d, alternate=world.tam_d)
    with pytest.raises(InvalidInput, match="thay thế"):
        services.delegate_remove(actor=None, congress=cong, delegate=world.tam_d)
    services.delegate_check_in(actor=None, congress=cong, number=world.lan_d.number)
    with pytest.raises(InvalidInput, match="đã điểm danh"):
        services.delegate_remove(actor=None, congress=cong, delegate=world.lan_d)
    services.body_member_add(actor=None, congress=cong, kind="secretariat", delegate=world.nam_d)
    with pytest.raises(InvalidInput, match="cơ quan"):
        services.delegate_remove(actor=None, congress=cong, delegate=world.nam_d)
    services.body_member_remove(actor=None, congress=cong, kind="secretariat", delegate=world.nam_d)
    services.delegate_remove(actor=world.office, congress=cong, delegate=world.nam_d)
    assert not cong.delegates.filter(member=world.nam).exists()
    assert AuditEvent.objects.filter(action="congress.delegate_remove").count() == 1
    assert services.delegate_add(actor=None, congress=cong, member=world.nam).number == 5  # numbers not reused


def test_allocation_cap_of_a_grassroots_committee(world):
    c = services.congress_create(actor=None, organization=world.a, kind="delegates", term="2025–2030",
                                 name="Đại hội Đảng bộ cơ sở A", start_date=date(2025, 5, 10))
    rows = [(world.a1, 40, 0), (world.a2, 60, 0)]
    assert services.allocation_compute(congress=c, rows=rows, seats=250) == {world.a1.id: 100, world.a2.id: 150}
    with pytest.raises(InvalidInput, match="không quá 250"):
        services.allocation_compute(congress=c, rows=rows, seats=251)
