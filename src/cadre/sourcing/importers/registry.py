"""Which importer serves which `cadre import` source name (CLI, API and web use the same table)."""

from __future__ import annotations

from typing import Any

from cadre.sourcing.importers.academic import AcademicImporter
from cadre.sourcing.importers.ats_csv import MAPPINGS as CSV_MAPPINGS
from cadre.sourcing.importers.ats_csv import AtsCsvImporter
from cadre.sourcing.importers.base import Importer
from cadre.sourcing.importers.conference import ConferenceImporter
from cadre.sourcing.importers.credentials import CredentialImporter
from cadre.sourcing.importers.github import GithubImporter
from cadre.sourcing.importers.resume import ResumeImporter

NAMES: dict[str, str] = {
    "resume": "PDF, DOCX, TXT or JSON Resume files",
    "csv": "candidate export from another ATS (--mapping generic|bullhorn)",
    "credentials": "credential roster (CSV or JSON): IEEE grades, cloud ML certifications",
    "academic": "graduate-program roster (CSV or JSON)",
    "conference": "accepted-paper list (JSON or CSV) with --venue NAME --year YEAR",
    "github": "saved GitHub API bundles (JSON), or --user LOGIN to fetch one live",
}
IMPORTERS: dict[str, type[Importer]] = {
    "resume": ResumeImporter,
    "csv": AtsCsvImporter,
    "credentials": CredentialImporter,
    "academic": AcademicImporter,
    "conference": ConferenceImporter,
    "github": GithubImporter,
}

__all__ = ["CSV_MAPPINGS", "IMPORTERS", "NAMES", "importer_for"]


def importer_for(name: str, *, actor: Any = None, **options: Any) -> Importer:
    if name not in IMPORTERS:
        raise ValueError(f"unknown import source {name!r}; choose {', '.join(IMPORTERS)}")
    return IMPORTERS[name](actor=actor, **options)
