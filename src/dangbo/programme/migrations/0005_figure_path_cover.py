# Issue 12: the index viewcounts.figure_sums reads alone on SQLite (a range of figure paths per child).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0003_name_folded'),
        ('programme', '0004_member_id_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='figure',
            index=models.Index(fields=['target', 'year', 'org_path', 'organization', 'value'], name='programme_figure_path_cover'),
        ),
    ]
