"""An organisation moved under another parent takes every copy of its path along (core/paths.py):
before, the old parent's staff kept seeing its holds, meetings, fees, models … and the new parent's
staff did not (scope by `org_path`)."""

from datetime import date

from django.apps import apps
from django.db import models

from dangbo.core.paths import followers
from dangbo.meetings.models import Meeting
from dangbo.orgs.services import org_move
from dangbo.procedures.selectors import holds_in_force
from dangbo.procedures.services import hold_record

#: path columns that are NOT rewritten on a move, and why (every other one must follow)
NOT_FOLLOWED = {
    ("orgs", "Organization", "path"): "the tree itself: org_move rewrites it",
    ("members", "Member", "org_path"): "org_move saves each member (search keys follow through Member.save)",
    ("members", "NameKey", "org_path"): "written by members.search.keys_sync on each member save",
    ("audit", "AuditEvent", "org_path"): "history: where the event happened, on that day",
    ("procedures", "TransferLetter", "committee_path"): "the number series' committee, not a scope",
    ("documents", "Document", "file_path"): "a file on disk, not a tree path",
}


def test_every_path_copy_follows_moves_or_says_why_not():
    seen = set()
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.CharField) and f.name.endswith("path") and model.__module__.startswith("dangbo."):
                seen.add((model._meta.app_label, model.__name__, f.name))
    followed = set(followers())
    assert seen - followed - set(NOT_FOLLOWED) == set()
    assert followed <= seen and not followed & set(NOT_FOLLOWED)


def test_a_moved_cell_takes_its_holds_and_meetings_to_the_new_tree(world):
    hold = hold_record(actor=None, member=world.hung, kind="inspection", decision="3-QĐ/UBKT",
                       start_date=date(2026, 1, 5))
    meeting = Meeting.objects.create(organization=world.a1, org_path=world.a1.path, body="cell",
                                     kind="ordinary", held_on=date(2026, 1, 6), topic="Sinh hoạt tháng 1")
    assert [h.pk for h in holds_in_force(user=world.office, today=date(2026, 2, 1))] == [hold.pk]
    assert not holds_in_force(user=world.outsider, today=date(2026, 2, 1))
    org_move(actor=None, org=world.a, parent=world.other, on=date(2026, 1, 10))  # A and its cells leave ROOT
    world.a1.refresh_from_db()
    assert world.a1.path.startswith(world.other.path)
    hold.refresh_from_db()
    meeting.refresh_from_db()
    assert hold.org_path == world.hung.__class__.objects.get(pk=world.hung.pk).org_path == world.a1.path
    assert meeting.org_path == world.a1.path
    assert not holds_in_force(user=world.office, today=date(2026, 2, 1))  # the old tree no longer sees it
    assert [h.pk for h in holds_in_force(user=world.outsider, today=date(2026, 2, 1))] == [hold.pk]
