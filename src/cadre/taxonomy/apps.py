from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "cadre.taxonomy"
    label = "taxonomy"
    verbose_name = "Taxonomy: AI roles, skills, platforms"
