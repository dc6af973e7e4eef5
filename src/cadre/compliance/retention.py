"""Retention: apply the RetentionPolicy rows. Meant to run as a background task (`cadre retention run`
from cron or a systemd timer; see that command's help).

- decision_records: delete DecisionRecords older than keep_days. Never below the policy's minimum_days,
  nor below the legal floor kept here in code (4 years, California's rule for automated-decision data),
  even if the policy row was lowered behind the database constraint's back.
- audit_log: delete AuditLog rows older than keep_days.
- inactive_people: erase (compliance.privacy.erase_person, as the system) people with no application,
  activity, source record or update within keep_days.

A dry run counts what would go and changes nothing (last_run_at/last_run_result record real runs only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from cadre.compliance.models import RetentionPolicy
from cadre.compliance.privacy import ERASED_PREFIX, erase_person
from cadre.core import audit
from cadre.core.exceptions import CadreError
from cadre.core.models import AuditLog, DecisionRecord
from cadre.people.models import Person, SourceRecord
from cadre.pipeline.models import Activity, Application

Record = RetentionPolicy.Record
# Floors no policy row can lower (days): California keeps automated-decision data at least 4 years.
LEGAL_FLOORS: dict[str, int] = {Record.DECISION_RECORDS: 1461}
ERASE_REASON = "retention policy"
BATCH = 2000


def effective_keep_days(policy: RetentionPolicy) -> int:
    return max(policy.keep_days, policy.minimum_days, LEGAL_FLOORS.get(policy.record, 0))


def inactive_people(cutoff: dt.datetime) -> QuerySet[Person]:
    """Live, not yet erased people untouched since `cutoff`: no update to the person, and no application,
    activity or source record created or changed since then."""
    recent_applications = Application.objects.filter(
        Q(created_at__gte=cutoff) | Q(updated_at__gte=cutoff) | Q(stage_changed_at__gte=cutoff)
    ).values("person_id")
    recent_activities = Activity.objects.filter(at__gte=cutoff).values("person_id")
    recent_sources = SourceRecord.objects.filter(
        Q(fetched_at__gte=cutoff) | Q(created_at__gte=cutoff), person__isnull=False
    ).values("person_id")
    return (
        Person.objects.filter(merged_into__isnull=True, created_at__lt=cutoff, updated_at__lt=cutoff)
        .exclude(full_name__startswith=ERASED_PREFIX)
        .exclude(pk__in=recent_applications)
        .exclude(pk__in=recent_activities)
        .exclude(pk__in=recent_sources)
        .order_by("pk")
    )


def _delete_in_batches(qs: QuerySet[Any]) -> int:
    deleted = 0
    model: type[models.Model] = qs.model
    while True:
        pks = list(qs.values_list("pk", flat=True)[:BATCH])
        if not pks:
            return deleted
        deleted += model._default_manager.filter(pk__in=pks).delete()[1].get(model._meta.label, 0)


def _apply(policy: RetentionPolicy, now: dt.datetime, dry_run: bool) -> dict[str, Any]:
    days = effective_keep_days(policy)
    cutoff = now - dt.timedelta(days=days)
    out: dict[str, Any] = {
        "keep_days": days,
        "policy_keep_days": policy.keep_days,
        "minimum_days": max(policy.minimum_days, LEGAL_FLOORS.get(policy.record, 0)),
        "cutoff": cutoff.isoformat(),
    }
    if policy.record in (Record.DECISION_RECORDS, Record.AUDIT_LOG):
        model = DecisionRecord if policy.record == Record.DECISION_RECORDS else AuditLog
        qs = model.objects.filter(at__lt=cutoff)
        out["matched"] = qs.count()
        out["deleted"] = 0 if dry_run else _delete_in_batches(qs)
    elif policy.record == Record.INACTIVE_PEOPLE:
        pks = list(inactive_people(cutoff).values_list("pk", flat=True))
        out["matched"] = len(pks)
        out["erased"] = 0
        out["errors"] = []
        if not dry_run:
            for person in Person.objects.filter(pk__in=pks).order_by("pk"):
                try:
                    erase_person(None, person, reason=ERASE_REASON)
                except CadreError as exc:  # e.g. merged meanwhile: report it and go on with the rest
                    out["errors"].append({"person_id": person.pk, "error": exc.message})
                else:
                    out["erased"] += 1
    else:
        out["skipped"] = f"no retention rule for {policy.record!r}"
    return out


def run_retention(
    *, now: dt.datetime | None = None, dry_run: bool = False, actor: Any = None
) -> dict[str, Any]:
    """Apply every RetentionPolicy row; returns {"at", "dry_run", "policies": {record: counts}}.

    Real runs store each policy's result in last_run_at / last_run_result and audit it."""
    now = now or timezone.now()
    result: dict[str, Any] = {"at": now.isoformat(), "dry_run": dry_run, "policies": {}}
    for policy in RetentionPolicy.objects.order_by("record"):
        out = _apply(policy, now, dry_run)
        result["policies"][policy.record] = out
        if dry_run:
            continue
        RetentionPolicy.objects.filter(pk=policy.pk).update(last_run_at=now, last_run_result=out)
        audit.record(
            AuditLog.Action.UPDATE,
            policy,
            before={"last_run_at": policy.last_run_at.isoformat() if policy.last_run_at else None},
            after={"last_run_at": now.isoformat(), "last_run_result": out},
            actor=actor,
        )
    return result
