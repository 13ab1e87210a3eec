"""An index of the members away on a temporary transfer, by organisation path (issue 14).

«Việc cần làm» lists the temporary transfers ending in a scope; it starts from the scope's away
members (`procedures.selectors`). Without this index PostgreSQL read every member row of a province
(94,927 at 5.9 M, 1.5 s) to find the few away. Partial: only the away members are in it. On
PostgreSQL the prefix range ("starts with") needs `varchar_pattern_ops`. IF NOT EXISTS lets an
operator build it beforehand with CREATE INDEX CONCURRENTLY on a large database.
"""

from django.db import migrations

INDEX = "member_away_idx"


def build(apps, schema_editor):
    ops = " varchar_pattern_ops" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member (org_path{ops}) WHERE away")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0007_badge_days")]
    operations = [migrations.RunPython(build, drop)]
