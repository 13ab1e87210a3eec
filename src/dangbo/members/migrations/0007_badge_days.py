"""MEM-3: the stored next-badge day (members.badgedays) and its index, filled for every member.

PostgreSQL: one set-based UPDATE (5.9 M members: see docs/PERFORMANCE.md, issue 14) and an index
on (org_path varchar_pattern_ops, badge_tier_on) — the prefix range of a subtree, then the day —
partial to the members who have a day. Other databases: chunks through the historical models.
"""

from django.db import migrations, models

INDEX = "member_badge_day_idx"
HELD = "member_badge_held_idx"  # the few with a discipline, computed exactly


def fill(apps, schema_editor):
    from dangbo.members import badgedays

    if schema_editor.connection.vendor == "postgresql":
        badgedays.badge_days_rebuild()
        schema_editor.execute(f"CREATE INDEX {INDEX} ON members_member (org_path varchar_pattern_ops, badge_tier_on) "
                              "WHERE badge_tier_on IS NOT NULL")
        schema_editor.execute(f"CREATE INDEX {HELD} ON members_member (org_path varchar_pattern_ops) WHERE badge_held")
        schema_editor.execute("ANALYZE members_member")
        return
    Member = apps.get_model("members", "Member")
    MemberEvent = apps.get_model("members", "MemberEvent")
    last = 0
    while True:
        rows = list(Member.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "state", "admission_date")[:20000])
        if not rows:
            break
        last = rows[-1][0]
        awarded, disciplined = {}, set()
        for mid, kind, details in MemberEvent.objects.filter(member_id__in=[r[0] for r in rows],
                                                             kind__in=("badge", "discipline")) \
                .values_list("member_id", "kind", "details"):
            details = details or {}
            if kind == "badge" and badgedays._tier(details.get("tier")):
                awarded.setdefault(mid, []).append(badgedays._tier(details["tier"]))
            elif kind == "discipline" and details.get("level"):
                disciplined.add(mid)
        batch = []
        for pk, state, admission in rows:
            want = badgedays.wanted(state, admission, awarded.get(pk, ()), pk in disciplined)
            if want != (None, None, False):
                batch.append(Member(pk=pk, **dict(zip(badgedays.FIELDS, want, strict=True))))
        Member.objects.bulk_update(batch, badgedays.FIELDS, batch_size=500)
    schema_editor.execute(f"CREATE INDEX {INDEX} ON members_member (org_path, badge_tier_on) "
                          "WHERE badge_tier_on IS NOT NULL")
    schema_editor.execute(f"CREATE INDEX {HELD} ON members_member (org_path) WHERE badge_held")


def unfill(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {HELD}")


class Migration(migrations.Migration):
    atomic = False  # PostgreSQL: the 5.9 M update is one statement; no need to hold it with the DDL
    dependencies = [("members", "0006_name_keys")]
    operations = [
        migrations.AddField("member", "badge_tier", models.PositiveSmallIntegerField(blank=True, editable=False, null=True)),
        migrations.AddField("member", "badge_tier_on", models.DateField(blank=True, editable=False, null=True)),
        migrations.AddField("member", "badge_held", models.BooleanField(default=False, editable=False)),
        migrations.RunPython(fill, unfill),
    ]
