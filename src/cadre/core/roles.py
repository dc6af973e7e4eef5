"""Roles and what each may do. Pure: no database access, so the UI, API and CLI share it."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    RECRUITER = "recruiter"
    HIRING_MANAGER = "hiring_manager"
    COMPLIANCE_OFFICER = "compliance_officer"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


ROLE_CHOICES = [(r.value, r.label) for r in Role]

# Roles that see every client's data; a hiring manager sees only clients assigned to them.
UNSCOPED_ROLES = frozenset({Role.ADMIN, Role.RECRUITER, Role.COMPLIANCE_OFFICER})
# Roles that create and edit clients, requisitions, people and applications.
EDITOR_ROLES = frozenset({Role.ADMIN, Role.RECRUITER})
# Stages a hiring manager may move an application into (client-facing decisions only).
HIRING_MANAGER_STAGES = frozenset({"submitted", "client_interview", "offer", "rejected"})


def sees_all_clients(role: str) -> bool:
    return role in UNSCOPED_ROLES


def can_edit_records(role: str) -> bool:
    return role in EDITOR_ROLES


def can_move_to_stage(role: str, from_stage: str, to_stage: str) -> bool:
    """Recruiters and admins move freely; hiring managers decide only on submitted candidates."""
    if role in EDITOR_ROLES:
        return True
    if role == Role.HIRING_MANAGER:
        return from_stage in HIRING_MANAGER_STAGES and to_stage in HIRING_MANAGER_STAGES
    return False


def can_add_notes(role: str) -> bool:
    return role in {Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER, Role.COMPLIANCE_OFFICER}
