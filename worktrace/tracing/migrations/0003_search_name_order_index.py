"""A btree on (name_folded, id) for search on PostgreSQL (SQLite's name_folded index already holds the rowid).

people_search reads the first page of a common name fragment ("thi huong": ~3% of people) by walking the names
in order, `WHERE name_folded LIKE '% thi huong%' ORDER BY name_folded, id LIMIT 50`: with the id in the index this
is an index-only scan that stops after the page, instead of fetching every match from the heap to rank them.
"""

from django.db import migrations

NAME = "registry_person_name_folded_id"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON registry_person (name_folded, id)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("tracing", "0002_search_trigram_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
