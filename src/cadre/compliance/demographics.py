"""Voluntary self-identification (EEO-1 sex and race/ethnicity): who may read it, recording it, importing it.

Demographic data comes only from what a candidate chose to say on a self-identification form or survey.
It is never inferred, it lives in its own table (compliance.SelfIdentification), and only this module and
compliance monitoring read it; matching and screening never do.

- Reading needs the admin or compliance-officer role, or the `compliance.view_demographics` permission
  granted explicitly. Recruiters and hiring managers do not have it.
- Recording (the candidate's own answers, typed in from a form or imported from a survey export) is for
  compliance officers and admins.
- The audit log says that a self-identification was recorded or changed, never the values: the general
  audit trail is readable by more people than the demographics are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cadre.compliance import ll144
from cadre.compliance.models import SelfIdentification
from cadre.core import audit
from cadre.core.exceptions import Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog
from cadre.core.roles import Role
from cadre.people.models import Person

PERMISSION = "compliance.view_demographics"
RECORDER_ROLES = frozenset({Role.ADMIN, Role.COMPLIANCE_OFFICER})
READER_ROLES = RECORDER_ROLES
COLLECTED_VIA = ("form", "survey", "import", "paper")
IMPORT_COLUMNS = ("person_id", "sex", "race_ethnicity")
MAX_IMPORT_ROWS = 100_000
DEMOGRAPHIC_FIELDS = ("sex", "race_ethnicity")


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def can_read_demographics(user: Any) -> bool:
    """Admins, compliance officers, and users granted `compliance.view_demographics`; nobody else."""
    if not _active(user):
        return False
    if getattr(user, "role", "") in READER_ROLES or user.is_superuser:
        return True
    return bool(user.has_perm(PERMISSION))


def can_record_demographics(user: Any) -> bool:
    """Compliance officers and admins type in or import the candidates' own answers."""
    return _active(user) and (getattr(user, "role", "") in RECORDER_ROLES or bool(user.is_superuser))


def require_demographics_reader(user: Any) -> Any:
    if not _active(user):
        raise Forbidden("authentication required")
    if not can_read_demographics(user):
        raise Forbidden(
            "self-identified demographic data is readable only by compliance officers, admins and users "
            "granted the view_demographics permission"
        )
    return user


def require_demographics_recorder(user: Any) -> Any:
    if not _active(user):
        raise Forbidden("authentication required")
    if not can_record_demographics(user):
        raise Forbidden("only compliance officers and admins record self-identification")
    return user


def clean_category(dimension: str, value: str | None) -> str:
    """The model's value for `value` ("" = declined / not given). Accepts the EEO-1 spellings (e.g.
    "White (Not Hispanic or Latino)", "American Indian or Alaska Native") and any letter case; anything
    else is a ValidationFailed naming the accepted values."""
    try:
        canonical = ll144.normalize_category(dimension, value)
    except KeyError:
        choices = SelfIdentification.Sex if dimension == "sex" else SelfIdentification.RaceEthnicity
        accepted = ", ".join(str(c.value) for c in choices if c.value)
        raise ValidationFailed(
            f"{str(value).strip()!r} is not a {dimension.replace('_', '/')} category; use one of: "
            f"{accepted}, or leave it blank (declined)",
            field=dimension,
        ) from None
    return canonical or ""


def _clean_meta(collected_via: str, form_version: str) -> tuple[str, str]:
    via = (collected_via or "").strip().lower()
    if not via or len(via) > 32:
        raise ValidationFailed(
            "collected_via must be 1 to 32 characters (form, survey...)", field="collected_via"
        )
    version = (form_version or "").strip()
    if len(version) > 32:
        raise ValidationFailed("form_version must be at most 32 characters", field="form_version")
    return via, version


def _audit_view(instance: SelfIdentification, marks: dict[str, str]) -> dict[str, Any]:
    """What the audit log keeps: who, when, how collected, and only whether each value was recorded or
    changed (never the value)."""
    return {
        "person_id": instance.person_id,
        **marks,
        "collected_at": instance.collected_at.isoformat(),
        "collected_via": instance.collected_via,
        "form_version": instance.form_version,
        "recorded_by_id": instance.recorded_by_id,
    }


def _upsert(
    actor: Any,
    person: Person,
    *,
    sex: str,
    race_ethnicity: str,
    collected_via: str,
    form_version: str,
    existing: SelfIdentification | None,
) -> tuple[SelfIdentification, bool]:
    now = timezone.now()
    if existing is None:
        instance = SelfIdentification.objects.create(
            person=person,
            sex=sex,
            race_ethnicity=race_ethnicity,
            collected_at=now,
            collected_via=collected_via,
            form_version=form_version,
            recorded_by=actor,
        )
        marks = {f: "recorded" for f in DEMOGRAPHIC_FIELDS}
        audit.record(AuditLog.Action.CREATE, instance, after=_audit_view(instance, marks), actor=actor)
        return instance, True
    before = _audit_view(existing, {f: "recorded" for f in DEMOGRAPHIC_FIELDS})
    marks = {
        f: "changed" if getattr(existing, f) != new else "unchanged"
        for f, new in (("sex", sex), ("race_ethnicity", race_ethnicity))
    }
    existing.sex = sex
    existing.race_ethnicity = race_ethnicity
    existing.collected_at = now
    existing.collected_via = collected_via
    existing.form_version = form_version
    existing.recorded_by = actor
    existing.save()
    audit.record(
        AuditLog.Action.UPDATE, existing, before=before, after=_audit_view(existing, marks), actor=actor
    )
    return existing, False


def record_self_identification(
    actor: Any,
    person: Person,
    *,
    sex: str | None,
    race_ethnicity: str | None,
    collected_via: str = "form",
    form_version: str = "",
) -> SelfIdentification:
    """Record (or replace) a person's own answers to a self-identification form. Blank = declined."""
    user = require_demographics_recorder(actor)
    if person.merged_into_id is not None:
        raise ValidationFailed(
            f"person {person.pk} was merged into {person.merged_into_id}", field="person_id"
        )
    clean_sex = clean_category("sex", sex)
    clean_race = clean_category("race_ethnicity", race_ethnicity)
    via, version = _clean_meta(collected_via, form_version)
    with transaction.atomic():
        existing = SelfIdentification.objects.select_for_update().filter(person=person).first()
        instance, _ = _upsert(
            user,
            person,
            sex=clean_sex,
            race_ethnicity=clean_race,
            collected_via=via,
            form_version=version,
            existing=existing,
        )
    return instance


@dataclass
class SelfIdImport:
    """The outcome of a CSV import: all rows saved, or (with errors) none."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "saved": self.created + self.updated,
            "errors": self.errors,
        }


def import_self_identification(
    actor: Any, csv_text: str, *, collected_via: str = "import", form_version: str = ""
) -> SelfIdImport:
    """Import self-identification answers from CSV (columns person_id, sex, race_ethnicity; a
    form_version column is optional). Every row is checked first; if any row is wrong nothing is saved
    and the result lists each bad row (numbered as file lines, the header is line 1)."""
    user = require_demographics_recorder(actor)
    via, default_version = _clean_meta(collected_via, form_version)
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        raise ValidationFailed(
            f"the CSV needs the columns {', '.join(IMPORT_COLUMNS)}; missing: {', '.join(missing)}"
        )
    reader.fieldnames = header
    result = SelfIdImport()
    parsed: list[tuple[int, int, str, str, str]] = []
    seen: dict[int, int] = {}
    for line, row in enumerate(reader, start=2):
        if result.rows >= MAX_IMPORT_ROWS:
            raise ValidationFailed(f"at most {MAX_IMPORT_ROWS} rows per import")
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # a blank line
        result.rows += 1
        raw_id = (row.get("person_id") or "").strip()
        problems: list[str] = []
        if not raw_id.isdigit():
            problems.append(f"person_id {raw_id!r} is not a number")
        sex = race = ""
        try:
            sex = clean_category("sex", row.get("sex"))
        except ValidationFailed as exc:
            problems.append(exc.message)
        try:
            race = clean_category("race_ethnicity", row.get("race_ethnicity"))
        except ValidationFailed as exc:
            problems.append(exc.message)
        version = (row.get("form_version") or "").strip() or default_version
        if len(version) > 32:
            problems.append("form_version must be at most 32 characters")
        if raw_id.isdigit():
            pid = int(raw_id)
            if pid in seen:
                problems.append(f"person {pid} is also on line {seen[pid]}")
            else:
                seen[pid] = line
        if problems:
            result.errors.append({"row": line, "person_id": raw_id, "errors": problems})
            continue
        parsed.append((line, int(raw_id), sex, race, version))

    people = Person.objects.in_bulk([pid for _, pid, *_ in parsed])
    for line, pid, *_ in parsed:
        person = people.get(pid)
        if person is None:
            result.errors.append({"row": line, "person_id": str(pid), "errors": [f"person {pid} not found"]})
        elif person.merged_into_id is not None:
            result.errors.append(
                {
                    "row": line,
                    "person_id": str(pid),
                    "errors": [f"person {pid} was merged into {person.merged_into_id}; use that id"],
                }
            )
    if result.errors:
        result.errors.sort(key=lambda e: e["row"])
        return result
    with transaction.atomic():
        existing = {
            s.person_id: s
            for s in SelfIdentification.objects.select_for_update().filter(
                person_id__in=[p[1] for p in parsed]
            )
        }
        for _, pid, sex, race, version in parsed:
            _, created = _upsert(
                user,
                people[pid],
                sex=sex,
                race_ethnicity=race,
                collected_via=via,
                form_version=version,
                existing=existing.get(pid),
            )
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result


def _as_dict(s: SelfIdentification) -> dict[str, Any]:
    return {
        "person_id": s.person_id,
        "sex": s.sex,
        "race_ethnicity": s.race_ethnicity,
        "collected_at": s.collected_at.isoformat(),
        "collected_via": s.collected_via,
        "form_version": s.form_version,
    }


def demographics_for(user: Any, person_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """{person_id: {"sex", "race_ethnicity", "collected_at", "collected_via", "form_version"}} for the
    people who have a self-identification ("" = declined). Forbidden unless the user may read it."""
    require_demographics_reader(user)
    ids = sorted({int(p) for p in person_ids})
    if not ids:
        return {}
    return {s.person_id: _as_dict(s) for s in SelfIdentification.objects.filter(person_id__in=ids)}


def categories_for(user: Any, people: Iterable[int] | QuerySet[Any]) -> dict[int, tuple[str, str]]:
    """{person_id: (sex, race_ethnicity)} ("" = declined) for monitoring. `people` is ids or a
    queryset of `person_id` values (run as a subquery, so a whole pipeline costs one query)."""
    require_demographics_reader(user)
    rows = SelfIdentification.objects.all()
    if isinstance(people, QuerySet):
        rows = rows.filter(person_id__in=people)
    else:
        ids = sorted({int(p) for p in people})
        out: dict[int, tuple[str, str]] = {}
        for start in range(0, len(ids), 500):
            chunk = rows.filter(person_id__in=ids[start : start + 500])
            out |= {
                pid: (sex, race) for pid, sex, race in chunk.values_list("person_id", "sex", "race_ethnicity")
            }
        return out
    return {pid: (sex, race) for pid, sex, race in rows.values_list("person_id", "sex", "race_ethnicity")}


def self_identification_of(user: Any, person_id: int) -> dict[str, Any] | None:
    """One person's self-identification (None if never recorded); Forbidden unless the user may read."""
    if not Person.objects.filter(pk=person_id).exists():
        require_demographics_reader(user)
        raise NotFound(f"person {person_id} not found")
    return demographics_for(user, [person_id]).get(person_id)
