"""Arrival numbers («số đến») of incoming documents: a series per receiving organisation and year of
arrival (issue 14). Documents registered before get theirs in order of arrival (day received, then
the order they were written)."""

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Coalesce


def number_arrivals(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    last: dict = {}
    changed = []
    arrived = Coalesce("received_on", "date")  # the same order on SQLite and PostgreSQL (no NULLs to place)
    for doc in Document.objects.filter(direction="incoming", source="register").order_by(arrived, "id"):
        doc.arrival_year = (doc.received_on or doc.date).year
        key = (doc.organization_id, doc.arrival_year)
        last[key] = last.get(key, 0) + 1
        doc.arrival_number = last[key]
        changed.append(doc)
    Document.objects.bulk_update(changed, ["arrival_year", "arrival_number"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0003_register_scope'),
        ('orgs', '0002_member_counters'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='arrival_number',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='Số đến'),
        ),
        migrations.AddField(
            model_name='document',
            name='arrival_year',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='Năm đến'),
        ),
        migrations.RunPython(number_arrivals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='document',
            constraint=models.UniqueConstraint(condition=models.Q(('arrival_number__isnull', False)), fields=('organization', 'arrival_year', 'arrival_number'), name='document_arrival_series'),
        ),
    ]
