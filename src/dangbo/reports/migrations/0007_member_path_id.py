"""An index of the members' ids by organisation path (issue 14): a past day of a province reads the
ids of the members now in its subtree from it alone (an index-only range scan: ≈ 0.1 M entries),
instead of one index probe and heap read per member of the window (`snapshots._window`: 33,000 members
took ≈ 1 s). On PostgreSQL the prefix range needs `varchar_pattern_ops`. IF NOT EXISTS lets an operator
build it beforehand with CREATE INDEX CONCURRENTLY on a large database (timed at 5.9 M in
docs/PERFORMANCE.md)."""

from django.db import migrations

INDEX = "reports_member_path_id_idx"


def build(apps, schema_editor):
    ops = " varchar_pattern_ops" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member (org_path{ops}, id)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_snapshot_days"), ("members", "0008_away_index")]
    operations = [migrations.RunPython(build, drop)]
