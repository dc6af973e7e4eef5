"""Merging two people and undoing it exactly.

A merge re-points every row that hangs off the merged person (identities, source records, skill
evidence, facts, attachments, applications, activities, and whatever later apps add) at the
survivor, and marks the merged person `merged_into`. Nothing is deleted. The MergeRecord keeps the
primary keys of the rows it moved, so `unmerge` moves exactly those rows back.

Unique rows: when both people have a row that must be unique per person (Application is unique per
person x requisition: both applied to the same requisition), the merged person's row is kept back
on the merged person, together with rows that point at it (its activities), and listed in
`kept_back`. An automatic merge refuses such a pair (it goes to the review queue instead); a
reviewer's merge goes ahead and the kept-back application stays visible through the merge record.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from cadre.core import audit
from cadre.core.exceptions import Conflict, ValidationFailed
from cadre.core.models import AuditLog, DecisionRecord
from cadre.core.services import require_editor
from cadre.people.models import Person
from cadre.resolution.models import MatchCandidate, MergeRecord

# Survivor fields a merge may fill in from the merged person when the survivor has none.
FILLABLE = ("headline", "location", "time_zone", "summary")


def person_relations() -> list[tuple[type[models.Model], Any]]:
    """(model, field) for every row type pointing at a Person, from the model graph, so rows that
    later apps add (placements, screening...) move too. Resolution's own bookkeeping is excluded."""
    found: list[tuple[type[models.Model], Any]] = []
    for rel in Person._meta.related_objects:
        model = rel.related_model
        if not isinstance(model, type) or model is Person or model._meta.app_label == "resolution":
            continue
        if rel.one_to_many or rel.one_to_one:
            found.append((model, rel.field))
    return sorted(found, key=lambda mf: (mf[0]._meta.label_lower, mf[1].name))


def _unique_sets(model: type[models.Model], field: Any) -> list[tuple[str, ...]]:
    """The other fields that, with `field`, must be unique (empty tuple: one row per person)."""
    sets: list[tuple[str, ...]] = []
    if field.unique:
        sets.append(())
    groups = [
        tuple(c.fields)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None
    ]
    groups += [tuple(g) for g in model._meta.unique_together]
    for group in groups:
        if field.name in group:
            sets.append(tuple(model._meta.get_field(n).attname for n in group if n != field.name))  # type: ignore[union-attr]
    return sets


def plan_merge(
    survivor: Person, merged: Person
) -> tuple[dict[str, dict[str, list[int]]], dict[str, dict[str, list[int]]]]:
    """(moved, kept_back): per model label and person field, the primary keys of the merged
    person's rows that will move, and those that must stay because the survivor has their twin."""
    moved: dict[str, dict[str, list[int]]] = defaultdict(dict)
    kept: dict[str, dict[str, list[int]]] = defaultdict(dict)
    kept_pks: dict[type[models.Model], set[Any]] = defaultdict(set)
    relations = person_relations()
    for model, field in relations:
        rows = model._default_manager.filter(**{field.attname: merged.pk})
        survivor_rows = model._default_manager.filter(**{field.attname: survivor.pk})
        for others in _unique_sets(model, field):
            if not others:  # one row per person (one-to-one): the survivor's wins if it has one
                if survivor_rows.exists():
                    kept_pks[model].update(rows.values_list("pk", flat=True))
                continue
            theirs = set(survivor_rows.values_list(*others))
            for row in rows.values("pk", *others):
                if tuple(row[o] for o in others) in theirs:
                    kept_pks[model].add(row["pk"])
    # Rows that point at a kept-back row stay with it (an application's activities).
    for model, field in relations:
        for dep in model._meta.concrete_fields:
            target = getattr(dep, "related_model", None)
            if dep is not field and target in kept_pks and target is not Person:
                kept_pks[model].update(
                    model._default_manager.filter(
                        **{field.attname: merged.pk, f"{dep.attname}__in": list(kept_pks[target])}
                    ).values_list("pk", flat=True)
                )
    for model, field in relations:
        pks = sorted(model._default_manager.filter(**{field.attname: merged.pk}).values_list("pk", flat=True))
        label = model._meta.label_lower
        held = sorted(p for p in pks if p in kept_pks[model])
        if held:
            kept[label][field.name] = held
        if rest := [p for p in pks if p not in kept_pks[model]]:
            moved[label][field.name] = rest
    return dict(moved), dict(kept)


def _relation(label: str, field_name: str) -> tuple[type[models.Model], str]:
    for model, field in person_relations():
        if model._meta.label_lower == label and field.name == field_name:
            return model, field.attname
    raise ValidationFailed(f"{label}.{field_name} no longer points at people")


def _live(pk: int) -> Person:
    person = Person.objects.select_for_update().filter(pk=pk).first()
    if person is None:
        raise ValidationFailed(f"person {pk} does not exist")
    if person.merged_into_id is not None:
        raise Conflict(f"person {pk} was already merged into person {person.merged_into_id}")
    return person


@transaction.atomic
def merge_people(
    actor: Any,
    *,
    survivor_id: int,
    merged_id: int,
    automatic: bool = False,
    probability: float | None = None,
    model_version: str = "",
    decision: DecisionRecord | None = None,
) -> MergeRecord:
    """Merge `merged_id` into `survivor_id`. A person merges only while neither is merged already.

    `automatic` merges (dedup runs) need no user but refuse pairs with kept-back rows."""
    user = None if automatic and actor is None else require_editor(actor)
    if survivor_id == merged_id:
        raise ValidationFailed("a person cannot be merged into themselves")
    survivor, merged = _live(survivor_id), _live(merged_id)
    moved, kept = plan_merge(survivor, merged)
    if automatic and kept:
        what = ", ".join(f"{len(sum(f.values(), []))} {label}" for label, f in sorted(kept.items()))
        raise Conflict(f"both people hold rows that must stay unique ({what}); a reviewer must decide")
    for label, fields in moved.items():
        for field_name, pks in fields.items():
            model, attname = _relation(label, field_name)
            model._default_manager.filter(pk__in=pks).update(**{attname: survivor.pk})
    filled = {f: getattr(survivor, f) for f in FILLABLE if not getattr(survivor, f) and getattr(merged, f)}
    if filled:
        Person.objects.filter(pk=survivor.pk).update(
            **{f: getattr(merged, f) for f in filled}, version=F("version") + 1, updated_at=timezone.now()
        )
    # update() leaves updated_at and version alone, so unmerge restores the merged person exactly.
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor.pk)
    record = MergeRecord.objects.create(
        survivor=survivor,
        merged=merged,
        moved=moved,
        kept_back=kept,
        survivor_before=filled,
        automatic=automatic,
        probability=probability,
        model_version=model_version,
        decision=decision,
        actor=user,
    )
    audit.record(AuditLog.Action.CREATE, record, after=audit.snapshot(record), actor=user)
    audit.record(
        AuditLog.Action.MERGE,
        merged,
        before={"merged_into_id": None},
        after={"merged_into_id": survivor.pk, "merge_id": record.pk},
        actor=user,
    )
    a, b = sorted((survivor.pk, merged.pk))
    MatchCandidate.objects.filter(left_id=a, right_id=b).update(
        status=MatchCandidate.Status.MERGED, merge=record, reviewer=user, reviewed_at=timezone.now()
    )
    return record


@transaction.atomic
def unmerge(actor: Any, merge_id: int) -> MergeRecord:
    """Move back exactly the rows the merge moved, restore the survivor's filled-in fields, and
    clear `merged_into`. The pair's candidate becomes 'not the same person' so runs leave it be."""
    user = require_editor(actor)
    record = MergeRecord.objects.select_for_update().filter(pk=merge_id).first()
    if record is None:
        raise ValidationFailed(f"merge {merge_id} does not exist")
    if record.unmerged_at is not None:
        raise Conflict(f"merge {merge_id} was already undone on {record.unmerged_at:%Y-%m-%d %H:%M}")
    survivor = Person.objects.select_for_update().get(pk=record.survivor_id)
    merged = Person.objects.select_for_update().get(pk=record.merged_id)
    if survivor.merged_into_id is not None:
        later = MergeRecord.objects.filter(merged=survivor, unmerged_at__isnull=True).first()
        raise Conflict(
            f"person {survivor.pk} was since merged into person {survivor.merged_into_id}; "
            f"undo merge {later.pk if later else '?'} first"
        )
    for label, fields in record.moved.items():
        for field_name, pks in fields.items():
            model, attname = _relation(label, field_name)
            model._default_manager.filter(pk__in=pks, **{attname: survivor.pk}).update(**{attname: merged.pk})
    restore = {
        f: old for f, old in record.survivor_before.items() if getattr(survivor, f) == getattr(merged, f)
    }
    if restore:
        Person.objects.filter(pk=survivor.pk).update(
            **restore, version=F("version") + 1, updated_at=timezone.now()
        )
    Person.objects.filter(pk=merged.pk).update(merged_into=None)
    record.unmerged_at = timezone.now()
    record.unmerged_by = user
    record.save(update_fields=["unmerged_at", "unmerged_by"])
    audit.record(
        AuditLog.Action.MERGE,
        merged,
        before={"merged_into_id": survivor.pk, "merge_id": record.pk},
        after={"merged_into_id": None, "unmerged": True},
        actor=user,
    )
    a, b = sorted((survivor.pk, merged.pk))
    MatchCandidate.objects.update_or_create(
        left_id=a,
        right_id=b,
        defaults={
            "status": MatchCandidate.Status.REJECTED,
            "reviewer": user,
            "reviewed_at": record.unmerged_at,
            "reason": f"merge {record.pk} undone",
        },
        create_defaults={
            "probability": record.probability or 0.0,
            "model_version": record.model_version,
            "status": MatchCandidate.Status.REJECTED,
            "reviewer": user,
            "reviewed_at": record.unmerged_at,
            "reason": f"merge {record.pk} undone",
        },
    )
    return record
