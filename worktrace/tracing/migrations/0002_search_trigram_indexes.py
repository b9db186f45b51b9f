"""Trigram indexes for search on PostgreSQL (pg_trgm); SQLite searches the folded name column directly.

`name_folded LIKE '%nguyen thi%'`, `national_id LIKE '%1234'` and `phone LIKE '%5678'` use these GIN indexes;
a worker code is matched on UPPER(worker_code).
"""

from django.db import migrations

INDEXES = [
    ("registry_person_name_folded_trgm", "registry_person USING gin (name_folded gin_trgm_ops)"),
    ("registry_person_national_id_trgm", "registry_person USING gin (national_id gin_trgm_ops)"),
    ("registry_person_phone_trgm", "registry_person USING gin (phone gin_trgm_ops)"),
    ("registry_employment_worker_code_upper", "registry_employment (UPPER(worker_code::text))"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, target in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("tracing", "0001_initial"),
        ("registry", "0002_load_admin_units"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
