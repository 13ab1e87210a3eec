"""Recipients as a list: the organisations of the tree a document was sent to (issue 14)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0004_arrival_numbers'),
        ('orgs', '0002_member_counters'),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='recipient_orgs',
            field=models.ManyToManyField(blank=True, related_name='received_documents', to='orgs.organization', verbose_name='Nơi nhận trong hệ thống'),
        ),
    ]
