from django.apps import AppConfig


class RequisitionsConfig(AppConfig):
    name = "cadre.requisitions"
    label = "requisitions"
    verbose_name = "Requisitions"
