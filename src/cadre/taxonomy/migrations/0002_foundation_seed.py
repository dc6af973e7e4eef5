from django.db import migrations


def load(apps, schema_editor):
    from cadre.taxonomy.seed import load_seed

    load_seed(
        apps.get_model("taxonomy", "RoleFamily"),
        apps.get_model("taxonomy", "Platform"),
        apps.get_model("taxonomy", "Skill"),
    )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
