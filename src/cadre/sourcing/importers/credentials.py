"""`cadre import credentials FILE`: professional credentials (IEEE membership grades, cloud ML
certifications) -> a credential Fact, plus credential SkillEvidence for the skills it implies
(the catalogue is data: sourcing/data/credentials.json)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from cadre.people.models import Fact, Person, SkillEvidence, SourceRecord
from cadre.sourcing import services
from cadre.sourcing.importers.base import ItemError
from cadre.sourcing.importers.rows import RowImporter
from cadre.sourcing.resume_parse import parse_date

CATALOGUE_PATH = Path(__file__).resolve().parents[1] / "data" / "credentials.json"


@lru_cache(maxsize=1)
def catalogue() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))["credentials"]
    return entries


def identify_credential(issuer: str, name: str) -> dict[str, Any] | None:
    """The catalogue entry whose longest alias appears in 'issuer name' (so "IEEE" + "Senior Member"
    is a Senior Member, not a Member)."""
    text = " ".join(f"{issuer} {name}".lower().replace("–", "-").split())
    best: tuple[int, dict[str, Any]] | None = None
    for entry in catalogue():
        for alias in (entry["name"].lower(), *entry["aliases"]):
            if alias in text and (best is None or len(alias) > best[0]):
                best = (len(alias), entry)
    return best[1] if best else None


class CredentialImporter(RowImporter):
    source = SourceRecord.Source.CREDENTIALS
    mapping = {
        "full_name": ("name", "holder", "member name"),
        "first_name": ("first name",),
        "last_name": ("last name",),
        "email": ("e-mail",),
        "github": (),
        "orcid": (),
        "issuer": ("issued by", "organisation", "organization", "body"),
        "credential": ("certification", "certificate", "grade", "membership grade", "credential name"),
        "credential_id": ("id", "certificate id", "certification id", "member number", "validation number"),
        "issued_on": ("issued", "issue date", "date issued", "earned", "since"),
        "expires_on": ("expires", "expiry", "expiration date", "valid until"),
    }
    required = (("full_name", "credential"), ("first_name", "last_name", "credential"))

    def external_id(self, file_name: str, values: Mapping[str, str]) -> str:
        return f"{values.get('issuer', '')}:{values.get('credential_id', '')}".strip(":")

    def write_row(self, person: Person, record: SourceRecord, values: Mapping[str, str]) -> None:
        issued = parse_date(values.get("issued_on"))
        expires = parse_date(values.get("expires_on"), end=True)
        if values.get("issued_on") and issued is None:
            raise ItemError(f"cannot read the issue date {values['issued_on']!r} (use YYYY-MM-DD)")
        entry = identify_credential(values.get("issuer", ""), values["credential"])
        services.add_fact(
            person,
            record,
            kind=Fact.Kind.CREDENTIAL,
            title=entry["name"] if entry else values["credential"],
            organisation=values.get("issuer") or (entry["issuer"] if entry else ""),
            start_date=issued,
            end_date=expires,
            data={
                "credential_id": values.get("credential_id", ""),
                "catalogue_key": entry["key"] if entry else None,
                "as_written": values["credential"],
            },
            actor=self.actor,
        )
        if entry and entry["skills"]:
            services.add_skill_evidence(
                person,
                record,
                slugs=[(slug, entry["name"], issued) for slug in entry["skills"]],
                kind=SkillEvidence.Kind.CREDENTIAL,
                actor=self.actor,
            )
