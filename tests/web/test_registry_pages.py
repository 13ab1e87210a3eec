"""The review queue over HTTP: office staff merge, keep apart and un-merge (restoring both members
exactly); other roles are refused; every decision is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from dangbo.audit.models import AuditEvent
from dangbo.members.models import Member
from dangbo.orgs.models import Organization
from dangbo.registry.models import ReviewPair
from dangbo.registry.services import member_snapshot
from tests.registry.test_import import roll_files, run_import


@pytest.fixture
def queue(world, tmp_path):
    summary = run_import(roll_files(tmp_path))
    pair = ReviewPair.objects.get(batch_id=summary["batch"])
    return summary["batch"], pair


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def comparable(member):
    """A member's stored fields and events, without ids (a restored member gets a new id)."""
    snap = member_snapshot(member)
    return snap["member"], snap["events"]


def test_queue_lists_the_open_pair_side_by_side(world, queue):
    batch_id, pair = queue
    c = client_for(world.office)
    r = c.get("/nhap-danh-sach/")
    assert r.status_code == 200 and f"/nhap-danh-sach/{batch_id}/" in r.content.decode()
    body = c.get(f"/nhap-danh-sach/{batch_id}/").content.decode()
    assert "dv-tinh-a.xlsx:4 ↔ dv-tinh-b.csv:3" in body
    assert "Hợp nhất" in body and "Giữ riêng" in body and "cùng năm" in body and "20/10/1965" not in body
    assert "1965-10-20" in body  # the compared values, side by side


def test_merge_then_unmerge_restores_both_members_exactly(world, queue):
    batch_id, pair = queue
    a, b = pair.record_a.member, pair.record_b.member
    a_before, b_before = comparable(a), comparable(b)
    b_refs = sorted(b.source_records.values_list("ref", flat=True))
    counts_before = Organization.objects.values_list("pk", "official_count", "probationary_count").order_by("pk")
    counts_before = list(counts_before)
    c = client_for(world.office)

    r = c.post(f"/nhap-danh-sach/cap/{pair.id}/hop-nhat/", {"status": "open"})
    assert r.status_code == 302 and r["Location"] == f"/nhap-danh-sach/{batch_id}/?status=open"
    pair.refresh_from_db()
    assert pair.status == "merged" and pair.decided_by == world.office and pair.decided_at
    assert not Member.objects.filter(pk=b.pk).exists()
    a.refresh_from_db()
    assert sorted(a.source_records.values_list("ref", flat=True)) == sorted(
        ["dv-tinh-a.xlsx:4", "dv-tinh-b.csv:3"])
    assert AuditEvent.objects.filter(action="registry.merge", actor=world.office, object_id=str(pair.pk)).exists()
    assert AuditEvent.objects.filter(action="member.merged_away", object_id=str(b.pk)).exists()
    assert "Đã hợp nhất dv-tinh-b.csv:3 vào «Bùi Văn Nam»." in c.get(r["Location"]).content.decode()

    r = c.post(f"/nhap-danh-sach/cap/{pair.id}/hoan-tac/", {"status": "merged"})
    assert r.status_code == 302
    pair.refresh_from_db()
    assert pair.status == "open" and pair.undo == {}
    a.refresh_from_db()
    restored = pair.record_b.member
    assert restored.pk != a.pk
    assert comparable(a) == a_before and comparable(restored) == b_before  # field and event equality
    assert sorted(restored.source_records.values_list("ref", flat=True)) == b_refs
    assert list(Organization.objects.values_list("pk", "official_count", "probationary_count").order_by("pk")) \
        == counts_before
    assert AuditEvent.objects.filter(action="registry.unmerge", actor=world.office).count() == 1
    assert AuditEvent.objects.filter(action="member.restored", object_id=str(restored.pk)).count() == 1


def test_merge_fills_missing_identity_and_unmerge_takes_it_back(world, queue):
    batch_id, pair = queue
    a, b = pair.record_a.member, pair.record_b.member
    if a.card_number:  # make A the one without the card: merge B (with card) into it
        a, b = b, a
        pair.record_a, pair.record_b = pair.record_b, pair.record_a
        pair.save()
    a_before, b_before = comparable(a), comparable(b)
    c = client_for(world.office)
    c.post(f"/nhap-danh-sach/cap/{pair.id}/hop-nhat/")
    a.refresh_from_db()
    assert a.card_number == b.card_number == "22222222"
    c.post(f"/nhap-danh-sach/cap/{pair.id}/hoan-tac/")
    a.refresh_from_db()
    pair.refresh_from_db()
    assert comparable(a) == a_before and comparable(pair.record_b.member) == b_before


def test_keep_apart_and_reopen(world, queue):
    batch_id, pair = queue
    c = client_for(world.office)
    members = Member.objects.count()
    c.post(f"/nhap-danh-sach/cap/{pair.id}/giu-rieng/")
    pair.refresh_from_db()
    assert pair.status == "kept_apart" and Member.objects.count() == members
    assert AuditEvent.objects.filter(action="registry.keep_apart", actor=world.office).count() == 1
    assert "↔ dv-tinh-b.csv:3" not in c.get(f"/nhap-danh-sach/{batch_id}/").content.decode()  # open only
    assert "Hoàn tác" in c.get(f"/nhap-danh-sach/{batch_id}/?status=kept_apart").content.decode()
    r = c.post(f"/nhap-danh-sach/cap/{pair.id}/giu-rieng/")  # decided already: a message, no change
    assert r.status_code == 302
    c.post(f"/nhap-danh-sach/cap/{pair.id}/hoan-tac/")
    pair.refresh_from_db()
    assert pair.status == "open"
    assert AuditEvent.objects.filter(action="registry.reopen").count() == 1


@pytest.mark.parametrize("role", ["secretary", "member_user", "outsider"])
def test_other_roles_are_refused(world, queue, role):
    batch_id, pair = queue
    c = client_for(getattr(world, role))
    listing = c.get("/nhap-danh-sach/")
    if role == "outsider":  # office staff of another committee: their (empty) list, not ours
        assert listing.status_code == 200 and f"/nhap-danh-sach/{batch_id}/" not in listing.content.decode()
    else:
        assert listing.status_code == 403
    assert c.get(f"/nhap-danh-sach/{batch_id}/").status_code in (403, 404)
    for action in ("hop-nhat", "giu-rieng", "hoan-tac"):
        assert c.post(f"/nhap-danh-sach/cap/{pair.id}/{action}/").status_code in (403, 404)
    pair.refresh_from_db()
    assert pair.status == "open"
    assert not AuditEvent.objects.filter(action__startswith="registry.", actor=getattr(world, role)).exists()


def test_nav_link_only_for_office(world):
    assert "Nhập danh sách" in client_for(world.office).get("/").content.decode()
    assert "Nhập danh sách" not in client_for(world.secretary).get("/").content.decode()


def test_anonymous_is_sent_to_login(world, queue):
    batch_id, pair = queue
    r = Client().get(f"/nhap-danh-sach/{batch_id}/")
    assert r.status_code == 302 and "/dang-nhap/" in r["Location"]
