# Issue 12: the index viewcounts.live_heads reads alone (models measures: holders and their paths).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0006_name_keys'),
        ('orgs', '0003_name_folded'),
        ('programme', '0005_figure_path_cover'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='modelrecord',
            index=models.Index(fields=['kind', 'start_year', 'end_year', 'organization', 'org_path'], name='programme_model_path_cover'),
        ),
    ]
