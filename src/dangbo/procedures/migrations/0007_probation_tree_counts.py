"""MEM-1 probation counts kept per organisation's whole subtree and start day (procedures.kept), filled
from the members and the tree; they replace the counts per organisation and month of 0006, which 0008
drops (apart, so that an older checkout can still read them beside this one on one database: the
benchmarks' peer). «Việc cần làm» reads a scope's totals and its children's from them (issue 14)."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    from dangbo.procedures.kept import grouped

    count = apps.get_model("procedures", "ProbationTreeCount")
    want = grouped(apps.get_model("members", "Member"), apps.get_model("orgs", "Organization"))
    count.objects.bulk_create([count(organization_id=o, day=d, n=n) for (o, d), n in sorted(want.items())],
                              batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0003_name_folded'),
        ('procedures', '0006_probation_counts'),
        ('members', '0008_away_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProbationTreeCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='Ngày bắt đầu dự bị')),
                ('n', models.IntegerField(default=0, verbose_name='Số đảng viên dự bị')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization', verbose_name='Tổ chức đảng')),
            ],
            options={
                'verbose_name': 'số đảng viên dự bị theo ngày (cả tổ chức cấp dưới)',
                'verbose_name_plural': 'số đảng viên dự bị theo ngày (cả tổ chức cấp dưới)',
            },
        ),
        migrations.AddConstraint(
            model_name='probationtreecount',
            constraint=models.UniqueConstraint(fields=('organization', 'day'), name='probation_tree_count_key'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
