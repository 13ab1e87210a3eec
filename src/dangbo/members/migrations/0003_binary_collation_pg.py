"""PostgreSQL only: compare the folded-name and sort-key columns byte by byte (a no-op on SQLite).

These columns hold ASCII folds and digit keys made to sort by plain byte order. Under a
language collation (en_US.UTF-8 …) PostgreSQL would compare them linguistically, and neither a
range "starts with" nor an index-ordered walk would be exact. With COLLATE "C" the same covering
indexes as on SQLite (0002) serve both the prefix range and the ORDER BY; the indexes on these
columns are rebuilt by the ALTER.
"""

from django.db import migrations

COLUMNS = {"name_folded": 120, "given_folded": 40, "name_sort": 255}


def to_c(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column, length in COLUMNS.items():
            schema_editor.execute(
                f'ALTER TABLE members_member ALTER COLUMN {column} TYPE varchar({length}) COLLATE "C"')


def to_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column, length in COLUMNS.items():
            schema_editor.execute(
                f'ALTER TABLE members_member ALTER COLUMN {column} TYPE varchar({length}) COLLATE "default"')


class Migration(migrations.Migration):
    dependencies = [("members", "0002_search_indexes")]
    operations = [migrations.RunPython(to_c, to_default)]
