"""Matching fixtures: a fresh index per test and a requisition asking for PyTorch and Kubernetes."""

from __future__ import annotations

import pytest

from cadre.matching.loader import forget_index
from cadre.requisitions.models import Requisition
from cadre.requisitions.services import create_requisition
from cadre.taxonomy.models import RoleFamily, Skill


@pytest.fixture(autouse=True)
def _fresh_index():
    forget_index()
    yield
    forget_index()


@pytest.fixture
def req(recruiter, tenant_a) -> Requisition:
    return create_requisition(
        recruiter,
        client=tenant_a.client,
        title="Senior ML engineer, LLM serving",
        role_family=RoleFamily.objects.get(slug="ml-engineer"),
        seniority="senior",
        remote_policy="remote",
        skills=[
            (Skill.objects.get(slug="pytorch"), "must"),
            (Skill.objects.get(slug="kubernetes"), "must"),
            (Skill.objects.get(slug="mlflow"), "nice"),
        ],
    )
