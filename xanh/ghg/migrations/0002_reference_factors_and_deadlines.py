"""Seed the official grid factors and the deadline rules from xanh/ghg/data (only rows that are missing)."""

from django.db import migrations

from xanh.ghg.reference import seed_reference


def seed(apps, schema_editor):
    seed_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("ghg", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
