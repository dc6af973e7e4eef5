"""`cadre import academic FILE`: graduate-program rosters and cohorts -> people with an education
fact tied to a Program (university + program + degree) whose accreditations users keep up to date."""

from __future__ import annotations

from collections.abc import Mapping

from cadre.core import audit
from cadre.core.models import AuditLog
from cadre.people.models import Fact, Person, SourceRecord
from cadre.sourcing import services
from cadre.sourcing.importers.base import ItemError
from cadre.sourcing.importers.rows import RowImporter
from cadre.sourcing.models import Program
from cadre.sourcing.resume_parse import parse_date


def split_accreditations(text: str) -> list[str]:
    return sorted({a.strip() for a in text.replace("|", ";").replace(",", ";").split(";") if a.strip()})


class AcademicImporter(RowImporter):
    source = SourceRecord.Source.ACADEMIC
    mapping = {
        "full_name": ("name", "student", "student name"),
        "first_name": ("first name",),
        "last_name": ("last name",),
        "email": ("e-mail", "university email"),
        "github": (),
        "orcid": (),
        "external_id": ("student id",),
        "university": ("institution", "school"),
        "program": ("programme", "program name", "department", "major"),
        "degree": ("degree type", "award"),
        "cohort": ("entry year", "start year", "cohort year"),
        "expected_graduation": ("graduation", "expected graduation date", "grad date", "graduation date"),
        "advisor": ("adviser", "supervisor"),
        "thesis_topic": ("thesis", "dissertation", "research topic", "thesis title"),
        "accreditation": ("accreditations", "accredited by"),
    }
    required = (("full_name", "university", "program"), ("first_name", "last_name", "university", "program"))

    def external_id(self, file_name: str, values: Mapping[str, str]) -> str:
        sid = values.get("external_id")
        return f"{values.get('university', '')}:{sid}" if sid else values.get("email", "")

    def program_for(self, values: Mapping[str, str]) -> Program:
        """Create the program on first sight (with the roster's accreditations); afterwards the
        Program row is the user's to maintain and rosters never overwrite it."""
        university, name = values.get("university", ""), values.get("program", "")
        if not university or not name:
            raise ItemError("the row has no university or program")
        program, created = Program.objects.get_or_create(
            university=university[:200],
            name=name[:200],
            degree=values.get("degree", "")[:64],
            defaults={"accreditations": split_accreditations(values.get("accreditation", ""))},
        )
        if created:
            audit.record(AuditLog.Action.CREATE, program, after=audit.snapshot(program), actor=self.actor)
        return program

    def write_row(self, person: Person, record: SourceRecord, values: Mapping[str, str]) -> None:
        program = self.program_for(values)
        graduation = parse_date(values.get("expected_graduation"), end=True)
        if values.get("expected_graduation") and graduation is None:
            raise ItemError(f"cannot read the graduation date {values['expected_graduation']!r}")
        cohort = parse_date(values.get("cohort"))
        services.add_fact(
            person,
            record,
            kind=Fact.Kind.EDUCATION,
            title=f"{program.degree} {program.name}".strip(),
            organisation=program.university,
            start_date=cohort,
            end_date=graduation,
            data={
                "program_id": program.pk,
                "advisor": values.get("advisor", ""),
                "thesis_topic": values.get("thesis_topic", ""),
                "status": "expected" if graduation else "",
            },
            actor=self.actor,
        )
