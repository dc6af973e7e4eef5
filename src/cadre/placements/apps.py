from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "cadre.placements"
    label = "placements"
    verbose_name = "Placements: offers, rate cards, economics, fees, onboarding, timesheets, invoices"
