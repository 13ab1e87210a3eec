"""Member search by any contiguous run of name words: the `NameKey` index (one row per word start of
the folded name), filled from the members, then indexed. It replaces the two covering indexes of
0002, which only served "given name" and "full name starts with". PostgreSQL compares the key
columns byte by byte (COLLATE "C", as 0003 did for the member columns), so a "starts with" range and
the index order are exact on both databases."""

import django.db.models.deletion
from django.db import migrations, models

from dangbo.members.search import word_starts

C_COLUMNS = {"key": 120, "name_sort": 255}


def to_c(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column, length in C_COLUMNS.items():
            schema_editor.execute(
                f'ALTER TABLE members_namekey ALTER COLUMN {column} TYPE varchar({length}) COLLATE "C"')


def fill(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    NameKey = apps.get_model("members", "NameKey")
    rows = []
    members = Member.objects.order_by("pk").values_list("pk", "name_folded", "name_sort", "org_path")
    for pk, folded, sort, path in members.iterator(chunk_size=5000):
        rows += [NameKey(member_id=pk, key=k, name_sort=sort, org_path=path) for k in word_starts(folded)]
        if len(rows) >= 5000:
            NameKey.objects.bulk_create(rows)
            rows = []
    NameKey.objects.bulk_create(rows)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0005_admission_ceremony_card_key'),
    ]

    operations = [
        migrations.CreateModel(
            name='NameKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=120)),
                ('name_sort', models.CharField(max_length=255)),
                ('org_path', models.CharField(max_length=255)),
            ],
        ),
        migrations.AddField(
            model_name='namekey',
            name='member',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='name_keys', to='members.member'),
        ),
        migrations.RunPython(to_c, migrations.RunPython.noop),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='namekey',
            index=models.Index(fields=['key', 'name_sort', 'member', 'org_path'], name='member_namekey_idx'),
        ),
        migrations.RemoveIndex(
            model_name='member',
            name='member_given_sort_idx',
        ),
        migrations.RemoveIndex(
            model_name='member',
            name='member_name_sort_idx',
        ),
    ]
