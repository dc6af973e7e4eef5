from django.apps import AppConfig


class SourcingConfig(AppConfig):
    name = "cadre.sourcing"
    label = "sourcing"
    verbose_name = "Sourcing: importers with provenance"
