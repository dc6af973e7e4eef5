from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "cadre.clients"
    label = "clients"
    verbose_name = "Clients"
