"""An index of the members' ids and admission dates by organisation path (issue 14): a past day of a
province finds the window's members now in its subtree, and those admitted in the window, from it alone
(an index-only range scan, ≈ 0.1 M entries, against the window's events hashed) instead of one index
probe and heap read per member of the window (`snapshots._window`: 33,000 members took ≈ 1 s) and a
bitmap of the admission and path indexes (≈ 65 ms). On PostgreSQL the prefix range needs
`varchar_pattern_ops` and the date is an INCLUDE column; SQLite has no INCLUDE: a third column. IF NOT EXISTS lets an operator
build it beforehand with CREATE INDEX CONCURRENTLY on a large database (timed at 5.9 M in
docs/PERFORMANCE.md)."""

from django.db import migrations

INDEX = "reports_member_path_id_idx"


def build(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        columns = "(org_path varchar_pattern_ops, id) INCLUDE (admission_date)"
    else:
        columns = "(org_path, id, admission_date)"
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member {columns}")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_snapshot_days"), ("members", "0008_away_index")]
    operations = [migrations.RunPython(build, drop)]
