"""MEM-1 probation counts kept per organisation and month (procedures.kept), filled from the members;
and the index «Việc cần làm» pages the probationary members on (the start of probation, latest first;
the organisation and both dates follow, so counting a month's members by organisation reads the index
alone on PostgreSQL — VACUUM permitting).

The index is on members_member but written here (raw SQL, no model state): it serves only this app's
page, and the members app's migrations stay as they are. An expression and partial index, which
PostgreSQL and SQLite both build; its expression is the one `procedures.due._probationary` filters
and orders on, so the planner matches it.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = ("CREATE INDEX member_probation_start_idx ON members_member ((COALESCE(ceremony_date, admission_date)) DESC, "
         "full_name, id, organization_id, ceremony_date, admission_date) WHERE state = 'probationary'")


def backfill(apps, schema_editor):
    from dangbo.procedures.kept import grouped

    count = apps.get_model("procedures", "ProbationCount")
    count.objects.bulk_create([count(organization_id=o, month=m, n=n)
                               for (o, m), n in sorted(grouped(apps.get_model("members", "Member")).items())],
                              batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0003_name_folded'),
        ('procedures', '0005_letter_withdraw'),
        ('members', '0008_away_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProbationCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='Tháng bắt đầu dự bị')),
                ('n', models.IntegerField(default=0, verbose_name='Số đảng viên dự bị')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization', verbose_name='Chi bộ')),
            ],
            options={
                'verbose_name': 'số đảng viên dự bị theo tháng',
                'verbose_name_plural': 'số đảng viên dự bị theo tháng',
                'constraints': [models.UniqueConstraint(fields=('organization', 'month'), name='probation_count_key')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunSQL(INDEX, "DROP INDEX member_probation_start_idx"),
    ]
