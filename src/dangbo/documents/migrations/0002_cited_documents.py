"""Backfill: the decisions organisation events already cite and the congress papers already numbered
enter the register (documents/citations.py says why copies with links; new ones are added by the
post_save receivers in apps.py). Reversing removes only what this added (documents of source «cited»)."""

from django.db import migrations

from dangbo.documents.citations import cite_all


def forwards(apps, schema_editor):
    cite_all(OrgEvent=apps.get_model("orgs", "OrgEvent"), CongressDocument=apps.get_model("congress", "CongressDocument"),
             Document=apps.get_model("documents", "Document"), Citation=apps.get_model("documents", "Citation"),
             Congress=apps.get_model("congress", "Congress"), Organization=apps.get_model("orgs", "Organization"))


def backwards(apps, schema_editor):
    apps.get_model("documents", "Document").objects.filter(source="cited").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
