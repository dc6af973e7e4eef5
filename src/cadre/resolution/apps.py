from django.apps import AppConfig


class ResolutionConfig(AppConfig):
    name = "cadre.resolution"
    label = "resolution"
    verbose_name = "Identity resolution: one person across sources"
