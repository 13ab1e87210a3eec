"""The 12-digit ID measure at a page reads the membership tallies kept per subtree (issue 12,
`viewcounts.member_id_kept`, reports migration 0005), no longer the members' rows: the SQLite-only
index of migration 0004 is dropped (it cost every member write its upkeep); made again on the way back.
"""

from django.db import migrations

NAME = "programme_member_id_idx"


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "members_member" '
                              '("org_path", "state", "national_id")')


class Migration(migrations.Migration):

    dependencies = [
        ("programme", "0006_model_path_cover"),
        ("reports", "0005_national_id_digits"),
    ]

    operations = [migrations.RunPython(drop, create)]
