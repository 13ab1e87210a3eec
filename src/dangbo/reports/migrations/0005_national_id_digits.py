# The tallies gain a dimension, `national_id_digits` (reports.tallies.TODAY_ONLY: today's tallies only):
# how many characters each counted member's ID number has, summed over each organisation's subtree like
# the others, so the programme's 12-digit ID measure (TGT-5) reads a page's few rows, not its members.
# Written from the member rows already there; a database migrated through 0002 with this code has them
# already, and they are written again the same.

from django.db import migrations


def fill(apps, schema_editor):
    from dangbo.reports.tallies import rebuild_dim_with

    with schema_editor.connection.cursor() as cur:
        rebuild_dim_with(cur, schema_editor.connection.vendor, "national_id_digits")


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0004_memberevent_date_cover"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
