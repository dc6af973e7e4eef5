from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "cadre.compliance"
    label = "compliance"
    verbose_name = "Compliance: classification, gates, bias audits, privacy"
