"""Organisations' names folded for searching without diacritics (issue 12: the programme pages'
organisation search), filled for the existing rows."""

from django.db import migrations, models

from dangbo.text.vietnamese import fold


def fill(apps, schema_editor):
    Organization = apps.get_model("orgs", "Organization")
    batch = []
    for org in Organization.objects.only("id", "name").iterator(chunk_size=2000):
        org.name_folded = fold(org.name)
        batch.append(org)
        if len(batch) >= 2000:
            Organization.objects.bulk_update(batch, ["name_folded"])
            batch = []
    Organization.objects.bulk_update(batch, ["name_folded"])


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0002_member_counters'),
    ]

    operations = [
        migrations.AddField(
            model_name='organization',
            name='name_folded',
            field=models.CharField(blank=True, default='', editable=False, max_length=255),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
