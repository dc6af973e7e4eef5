"""`cadre import csv FILE --mapping generic|bullhorn`: candidate exports from other ATSs."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import timezone

from cadre.people.models import Fact, Person, SkillEvidence, SourceRecord
from cadre.sourcing import services
from cadre.sourcing.importers.rows import RowImporter
from cadre.taxonomy.extraction import extract_skills

# canonical field -> header names the export uses (compared case-, space- and underscore-blind).
MAPPINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "generic": {
        "external_id": ("id", "candidate id", "candidate_id"),
        "full_name": ("name", "full name", "candidate name"),
        "first_name": ("first name", "given name", "firstname"),
        "last_name": ("last name", "surname", "family name", "lastname"),
        "email": ("e-mail", "email address"),
        "phone": ("phone number", "mobile", "telephone"),
        "github": ("github url", "github login", "github username"),
        "linkedin": ("linkedin url", "linkedin profile"),
        "headline": ("title", "job title", "current title", "headline"),
        "organisation": ("company", "current company", "employer"),
        "location": ("city", "location"),
        "skills": ("skills", "skill set", "keywords"),
    },
    # Bullhorn candidate list export (UI "Export to CSV" headers, and the REST field names).
    "bullhorn": {
        "external_id": ("ID", "Candidate ID", "id"),
        "first_name": ("First Name", "firstName"),
        "last_name": ("Last Name", "lastName"),
        "full_name": ("Name",),
        "email": ("Email", "email"),
        "phone": ("Mobile Phone", "mobile", "Phone", "Home Phone"),
        "headline": ("Occupation", "occupation", "Title"),
        "organisation": ("Current Company", "companyName", "Company Name"),
        "location": ("City", "address.city"),
        "skills": ("Skills", "skillSet", "Skill Set"),
        "linkedin": ("LinkedIn", "LinkedIn URL"),
    },
}


class AtsCsvImporter(RowImporter):
    source = SourceRecord.Source.ATS_CSV

    def __init__(self, *, mapping: str = "generic", **kw: object) -> None:
        super().__init__(**kw)
        if mapping not in MAPPINGS:
            raise ValueError(f"unknown mapping {mapping!r}; choose {', '.join(MAPPINGS)}")
        self.mapping = MAPPINGS[mapping]
        self.mapping_name = mapping

    def external_id(self, file_name: str, values: Mapping[str, str]) -> str:
        if values.get("external_id"):
            return f"{self.mapping_name}:{values['external_id']}"
        return values.get("email", "")

    def write_row(self, person: Person, record: SourceRecord, values: Mapping[str, str]) -> None:
        if values.get("headline") or values.get("organisation"):
            services.add_fact(
                person,
                record,
                kind=Fact.Kind.EMPLOYMENT,
                title=values.get("headline") or "Employee",
                organisation=values.get("organisation", ""),
                data={"current": True},
                actor=self.actor,
            )
        if text := values.get("skills"):
            today = timezone.now().date()
            # The export lists skills one after another; commas make them read as a list to the extractor.
            text = text.replace(";", ",").replace("|", ",")
            services.add_skill_evidence(
                person,
                record,
                slugs=[(m.skill_id, "listed in ATS export", today) for m in extract_skills(text)],
                kind=SkillEvidence.Kind.SELF_REPORTED,
                actor=self.actor,
            )
