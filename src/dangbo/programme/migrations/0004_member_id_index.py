"""The index the dashboard's 12-digit ID measure reads alone on SQLite (issue 12,
`viewcounts.member_id_tallies`): members' (org_path, state, national_id).

It lives here, not in `members.models`, because only the programme's dashboard reads it and only on
SQLite (PostgreSQL keeps the grouped query, see the function): created on SQLite only, dropped on
the way back. `IF NOT EXISTS` keeps it harmless if the members app ever declares the same one.
"""

from django.db import migrations

NAME = "programme_member_id_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "members_member" '
                              '("org_path", "state", "national_id")')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0006_name_keys"),
        ("programme", "0003_covering_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
