"""Versioned worker-classification rule sets (pure Python, no Django) and their registry."""

from __future__ import annotations

from cadre.compliance.rules import (
    abc_california,
    abc_illinois,
    abc_massachusetts,
    abc_new_jersey,
    flsa_2024,
    flsa_core_factors,
    irs_common_law,
)
from cadre.compliance.rules.base import Registry, RuleSet

REGISTRY = Registry()
for _module in (
    flsa_2024,
    flsa_core_factors,
    irs_common_law,
    abc_california,
    abc_massachusetts,
    abc_new_jersey,
    abc_illinois,
):
    REGISTRY.register(_module.RULE_SET)

FEDERAL_RULE_SETS = ("flsa_2024", "flsa_core_factors", "irs_common_law")


def get(rule_set_id: str) -> RuleSet:
    return REGISTRY.get(rule_set_id)


__all__ = ["FEDERAL_RULE_SETS", "REGISTRY", "Registry", "RuleSet", "get"]
