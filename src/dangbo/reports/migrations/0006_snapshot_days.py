# The monthly snapshots gain their day-exact birth / admission counts (`SnapshotDayTally`,
# `reports.snapshots.kept_months`): the members born (admitted) in the months where an age (party-age)
# band starts on a day of the snapshot's month or of the next, so a past day near a snapshot splits those
# months without reading member rows. Filled here for the snapshots already there (each one's kept
# months' members replayed on its day; timed at 5.9 M in docs/PERFORMANCE.md); none: nothing to do.

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from dangbo.reports.snapshots import snapshots_fill_days

    snapshots_fill_days(schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0003_name_folded'),
        ('reports', '0005_national_id_digits'),
    ]

    operations = [
        migrations.CreateModel(
            name='SnapshotDayTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dim', models.CharField(max_length=24)),
                ('value', models.CharField(max_length=10)),
                ('n', models.IntegerField(default=0)),
                ('organization', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ('snapshot', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reports.snapshot')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('snapshot', 'organization', 'dim', 'value'), name='reports_snapshotday_tally_key')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
