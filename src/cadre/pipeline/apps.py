from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "cadre.pipeline"
    label = "pipeline"
    verbose_name = "Pipeline: applications and stages"
