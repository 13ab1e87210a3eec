# The member rows' indexes `reports.tallies.report_tallied` reads the band-boundary years through
# (on the members' table, made here so the members app's models stay as they are: index-only scans
# of (date, state, org_path)), the events' date index `selectors.last_event_day` reads (MAX(date):
# one index probe instead of a scan of every event), then the tallies from the members already there.

from django.db import migrations

INDEXES = (("reports_member_birth_idx", "birth_date"), ("reports_member_admission_idx", "admission_date"))


def rebuild(apps, schema_editor):
    from dangbo.reports.tallies import rebuild_with

    with schema_editor.connection.cursor() as cur:
        rebuild_with(cur, schema_editor.connection.vendor)


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0001_tally"),
        ("members", "0006_name_keys"),
    ]

    operations = [
        *(migrations.RunSQL(f"CREATE INDEX {name} ON members_member ({column}, state, org_path)",
                            f"DROP INDEX {name}") for name, column in INDEXES),
        migrations.RunSQL("CREATE INDEX reports_memberevent_date_idx ON members_memberevent (date)",
                          "DROP INDEX reports_memberevent_date_idx"),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
