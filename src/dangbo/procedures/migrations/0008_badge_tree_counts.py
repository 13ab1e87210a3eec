"""MEM-3 badge counts kept per organisation (its members below it) and award day (procedures.badgekept),
filled from the members' stored next-badge days; «Việc cần làm»'s badge count reads them (issue 14)."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    from dangbo.procedures.badgekept import grouped

    count = apps.get_model("procedures", "BadgeTreeCount")
    want = grouped(apps.get_model("members", "Member"), apps.get_model("orgs", "Organization"))
    count.objects.bulk_create([count(organization_id=o, award_day=d, n=n) for (o, d), n in sorted(want.items())],
                              batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0003_name_folded'),
        ('members', '0008_away_index'),
        ('procedures', '0007_probation_tree_counts'),
    ]

    operations = [
        migrations.CreateModel(
            name='BadgeTreeCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('award_day', models.DateField(verbose_name='Đợt trao Huy hiệu')),
                ('n', models.IntegerField(default=0, verbose_name='Số đảng viên')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization', verbose_name='Tổ chức đảng')),
            ],
            options={
                'verbose_name': 'số đảng viên đến mốc Huy hiệu theo đợt (tổ chức cấp dưới)',
                'verbose_name_plural': 'số đảng viên đến mốc Huy hiệu theo đợt (tổ chức cấp dưới)',
                'constraints': [models.UniqueConstraint(fields=('organization', 'award_day'), name='badge_tree_count_key')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
