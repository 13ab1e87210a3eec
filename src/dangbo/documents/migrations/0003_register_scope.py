"""Each document carries a copy of its holder's path (the register's scope filter without a join) and
the register's date indexes (issue 14: the first page of a 20,000-document register)."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_paths(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Organization = apps.get_model("orgs", "Organization")
    Document.objects.update(org_path=Subquery(
        Organization.objects.filter(pk=OuterRef("organization_id")).values("path")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0002_cited_documents'),
        ('orgs', '0002_member_counters'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='org_path',
            field=models.CharField(default='', editable=False, max_length=255),
        ),
        migrations.RunPython(copy_paths, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['-date', '-id'], name='document_date_idx'),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['org_path', '-date', '-id'], name='document_scope_date_idx'),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['number', 'doc_type', 'issuer'], name='document_symbol_idx'),
        ),
    ]
