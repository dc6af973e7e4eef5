from django.db import migrations


def load(apps, schema_editor):
    from cadre.taxonomy.seed import load_ontology_rows, read_seed

    load_ontology_rows(
        read_seed("ontology.json"),
        role_family_model=apps.get_model("taxonomy", "RoleFamily"),
        platform_model=apps.get_model("taxonomy", "Platform"),
        skill_model=apps.get_model("taxonomy", "Skill"),
        competency_model=apps.get_model("taxonomy", "Competency"),
    )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0003_ontology_fields")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
