"""Load the 34 provinces and 3,321 wards current since 1/7/2025 from the vietnam-provinces package."""

from django.db import migrations


def load(apps, schema_editor):
    from worktrace.registry.admin_units import iter_provinces, iter_wards

    Province = apps.get_model("registry", "Province")
    Ward = apps.get_model("registry", "Ward")
    known_provinces = set(Province.objects.values_list("code", flat=True))
    Province.objects.bulk_create(
        [Province(code=c, name=n, codename=cn) for c, n, cn in iter_provinces() if c not in known_provinces]
    )
    known_wards = set(Ward.objects.values_list("code", flat=True))
    Ward.objects.bulk_create(
        [Ward(code=c, name=n, province_id=p) for c, n, p in iter_wards() if c not in known_wards],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
