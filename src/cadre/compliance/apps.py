from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "cadre.compliance"
    label = "compliance"
    verbose_name = "Compliance: classification, gates, bias audits, privacy"

    def ready(self) -> None:
        from cadre.compliance.gate_services import placement_guard
        from cadre.pipeline.services import register_stage_guard

        # Placement gates: no move to "placed" until every required gate passed or was overridden.
        register_stage_guard(placement_guard)
