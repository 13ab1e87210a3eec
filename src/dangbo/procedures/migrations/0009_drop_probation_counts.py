"""The counts per organisation and month of 0006 (`ProbationCount`): nothing reads or writes them since
0007's counts per subtree and day."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('procedures', '0008_badge_tree_counts'),
    ]

    operations = [
        migrations.DeleteModel(
            name='ProbationCount',
        ),
    ]
