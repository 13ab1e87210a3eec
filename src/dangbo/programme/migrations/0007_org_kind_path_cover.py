"""The index the dashboard's reads of the organisations use alone on SQLite (issue 12, session 9):
organisations' (kind, path, valid_from, valid_to).

`viewcounts.path_lengths` and the one organisations scan (`org_tallies_many`) ask for the counted
kinds under a path: with this index SQLite reads the counted organisations' entries alone instead of
every organisation under the page by path and each one's row for its kind and dates; `ended` scans
this narrower index instead of the table. At 50,000 organisations: the path lengths 17 → 5 ms CPU,
the scan with its two companions 156 → 136 ms (docs/PERFORMANCE.md, issue 12, session 9).

It lives here, not in `orgs.models`, for the reason of 0004: only the programme's dashboard reads it,
measured on SQLite only; created on SQLite only, dropped on the way back, `IF NOT EXISTS` harmless if
the orgs app ever declares the same one.
"""

from django.db import migrations

NAME = "programme_org_kind_path_cover"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "orgs_organization" '
                              '("kind", "path", "valid_from", "valid_to")')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0003_name_folded"),
        ("programme", "0006_model_path_cover"),
    ]

    operations = [migrations.RunPython(create, drop)]
