from django.db import migrations


def load(apps, schema_editor):
    from liangxin.registry.categories import load_categories

    load_categories(apps.get_model("registry", "EquipmentCategory"))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_lists"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
