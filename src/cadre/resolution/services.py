"""Identity-resolution writes: full and incremental dedup runs, and the reviewer's decisions.

A run scores pairs of live people (exact shared identifiers first, then the splink model), then
decides per pair: probability >= AUTO_MERGE_THRESHOLD merges automatically (logged as a
DecisionRecord), [REVIEW_THRESHOLD, AUTO_MERGE_THRESHOLD) goes to the review queue, anything lower is
dropped. A pair a reviewer rejected (or whose merge was undone) is never merged again by a run.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from contextlib import nullcontext
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.core import audit
from cadre.core.console import ProgressReport
from cadre.core.exceptions import Conflict
from cadre.core.models import AuditLog, DecisionRecord
from cadre.core.services import require_editor
from cadre.people.models import Identity, Person
from cadre.resolution import linkage, selectors
from cadre.resolution.merging import merge_people, unmerge
from cadre.resolution.models import LinkageModel, MatchCandidate, MergeRecord
from cadre.resolution.records import exact_key_pairs, split_full_name

__all__ = ["merge_candidate", "reject_candidate", "resolve_new_people", "run_dedup", "unmerge"]
DECISION_KIND = "identity_resolution"


def _noop(_step: str, _done: int, _total: int) -> None:
    return None


def _save_model(result: linkage.LinkageResult, records: int) -> LinkageModel:
    model, _ = LinkageModel.objects.get_or_create(
        version=result.version,
        defaults={"model": result.model, "trained": result.trained, "records": records},
    )
    return model


def _all_pairs(records: list[dict[str, Any]], result: linkage.LinkageResult) -> list[linkage.ScoredPair]:
    """Exact-key links (probability 1) plus model-scored pairs, strongest first."""
    exact = {
        (a, b): linkage.ScoredPair(
            a, b, 1.0, 99.0, [{"comparison": "exact key", "level": key, "weight": None}], key
        )
        for a, b, key in exact_key_pairs(records)
    }
    scored = {(p.left, p.right): p for p in result.pairs if (p.left, p.right) not in exact}
    pairs = [*exact.values(), *scored.values()]
    return sorted(pairs, key=lambda p: (-p.probability, p.left, p.right))


def _digest(*records: dict[str, Any] | None) -> str:
    return hashlib.sha256(json.dumps(records, sort_keys=True, default=str).encode()).hexdigest()


class _Resolver:
    """Applies the thresholds to scored pairs, following earlier merges of this run."""

    def __init__(self, records: list[dict[str, Any]], version: str, actor: Any) -> None:
        self.by_id = {r["unique_id"]: r for r in records}
        self.version = version
        self.actor = actor
        self.summary = {"merged": 0, "review": 0, "skipped_rejected": 0}
        # Who was merged into whom, kept in memory and updated as this run merges (one query per
        # pair made deciding slow); merge_people re-checks under a row lock, so a merge made by
        # someone else meanwhile becomes a Conflict and the pair goes to review.
        self.merged_into: dict[int, int] = dict(
            Person.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id")
        )
        # Pairs a reviewer rejected or that were merged (and maybe unmerged) are never proposed again.
        self.closed_pairs: dict[tuple[int, int], str] = {
            (left, right): status
            for left, right, status in MatchCandidate.objects.exclude(
                status=MatchCandidate.Status.PENDING
            ).values_list("left_id", "right_id", "status")
        }

    def _live(self, pk: int) -> int:
        seen = set()
        while pk in self.merged_into and pk not in seen:
            seen.add(pk)
            pk = self.merged_into[pk]
        return pk

    def _decision(self, pair: linkage.ScoredPair, subject: int, outcome: str) -> DecisionRecord:
        return DecisionRecord.objects.create(
            kind=DECISION_KIND,
            version=self.version,
            subject_type="people.person",
            subject_id=str(subject),
            person_id=subject,
            inputs_digest=_digest(self.by_id.get(pair.left), self.by_id.get(pair.right)),
            score=Decimal(str(round(pair.probability, 6))),
            explanation={
                "pair": [pair.left, pair.right],
                "outcome": outcome,
                "exact_key": pair.exact_key,
                "match_weight": round(pair.match_weight, 3),
                "comparisons": pair.explanation,
                "thresholds": {
                    "auto_merge": linkage.AUTO_MERGE_THRESHOLD,
                    "review": linkage.REVIEW_THRESHOLD,
                },
            },
            actor=self.actor if getattr(self.actor, "is_authenticated", False) else None,
        )

    def _queue(self, a: int, b: int, pair: linkage.ScoredPair, reason: str) -> None:
        values = {
            "probability": pair.probability,
            "match_weight": pair.match_weight,
            "explanation": pair.explanation,
            "exact_key": pair.exact_key,
            "reason": reason,
            "model_version": self.version,
        }
        candidate, created = MatchCandidate.objects.get_or_create(left_id=a, right_id=b, defaults=values)
        if not created and candidate.status == MatchCandidate.Status.PENDING:
            MatchCandidate.objects.filter(pk=candidate.pk).update(**values, updated_at=timezone.now())
        self._decision(pair, b, "review" + (f": {reason}" if reason else ""))
        self.summary["review"] += 1

    def apply(self, pair: linkage.ScoredPair) -> None:
        if pair.probability < linkage.REVIEW_THRESHOLD:
            return
        a, b = sorted((self._live(pair.left), self._live(pair.right)))
        if a == b:
            return
        status = self.closed_pairs.get((a, b))
        if status in (MatchCandidate.Status.REJECTED, MatchCandidate.Status.MERGED):
            self.summary["skipped_rejected"] += status == MatchCandidate.Status.REJECTED
            return
        if pair.probability < linkage.AUTO_MERGE_THRESHOLD:
            with transaction.atomic():
                self._queue(a, b, pair, "")
            return
        try:
            with transaction.atomic():
                decision = self._decision(pair, b, "merged")
                record = merge_people(
                    None,
                    survivor_id=a,  # the older profile survives, so links to it stay valid
                    merged_id=b,
                    automatic=True,
                    probability=pair.probability,
                    model_version=self.version,
                    decision=decision,
                )
                MatchCandidate.objects.update_or_create(
                    left_id=a,
                    right_id=b,
                    defaults={"status": MatchCandidate.Status.MERGED, "merge": record},
                    create_defaults={
                        "probability": pair.probability,
                        "match_weight": pair.match_weight,
                        "explanation": pair.explanation,
                        "exact_key": pair.exact_key,
                        "model_version": self.version,
                        "status": MatchCandidate.Status.MERGED,
                        "merge": record,
                    },
                )
            self.merged_into[b] = a  # only once the merge has committed
            self.closed_pairs[(a, b)] = MatchCandidate.Status.MERGED
            self.summary["merged"] += 1
        except Conflict as exc:
            with transaction.atomic():
                self._queue(a, b, pair, exc.message)


DECIDE_CHUNK = 500


def _resolve(
    records: list[dict[str, Any]],
    *,
    backend: str,
    model: dict[str, Any] | None,
    only_ids: set[int] | None,
    actor: Any,
    report: ProgressReport,
) -> dict[str, Any]:
    started = time.perf_counter()
    report("scoring", 0, 1)
    train = None if model is None else False
    result = linkage.score(records, backend=backend, model=model, train=train, only_ids=only_ids)
    saved = _save_model(result, len(records))
    report("scoring", 1, 1)
    pairs = _all_pairs(records, result)
    if only_ids is not None:
        pairs = [p for p in pairs if p.left in only_ids or p.right in only_ids]
    resolver = _Resolver(records, saved.version, actor)
    with audit.acting_as(actor, "system") if actor is not None else nullcontext():
        # One transaction per chunk (each pair keeps its own savepoint inside `apply`): committing
        # every pair separately made deciding 28k conference pairs take most of two minutes.
        for start in range(0, len(pairs), DECIDE_CHUNK):
            with transaction.atomic():
                for pair in pairs[start : start + DECIDE_CHUNK]:
                    resolver.apply(pair)
            report("deciding", min(start + DECIDE_CHUNK, len(pairs)), len(pairs))
    return {
        "people": len(records),
        "pairs_scored": len(result.pairs),
        "exact_links": sum(1 for p in pairs if p.exact_key),
        **resolver.summary,
        "model_version": saved.version,
        "trained": saved.trained,
        "backend": backend,
        "seconds": round(time.perf_counter() - started, 3),
    }


def run_dedup(
    *, backend: str = "duckdb", actor: Any = None, report: ProgressReport = _noop
) -> dict[str, Any]:
    """Resolve every live person against every other (blocking keeps the pair count down)."""
    report("reading people", 0, 1)
    records = selectors.person_records()
    report("reading people", 1, 1)
    return _resolve(records, backend=backend, model=None, only_ids=None, actor=actor, report=report)


def _name_keys(full_name: str) -> set[str]:
    first, last = split_full_name(full_name)
    keys = set()
    if first and last:
        keys = {f"l:{last}:{first[0]}", f"f:{first}:{last[0]}"}
    return keys


def resolve_new_people(person_ids: Iterable[int], *, actor: Any = None) -> dict[str, Any]:
    """Compare newly imported people with everyone else, after an import.

    Existing people are pre-selected by the model's name blocking keys (and by identifiers the new
    people's sources mention), so only a small neighbourhood is scored. Links that only a full run
    can find (e.g. an old payload mentioning a new person's e-mail) wait for `cadre dedup run`."""
    new_ids = set(
        Person.objects.filter(pk__in=list(person_ids), merged_into__isnull=True).values_list("pk", flat=True)
    )
    if not new_ids:
        return {"people": 0, "pairs_scored": 0, "exact_links": 0, "merged": 0, "review": 0}
    names = dict(Person.objects.filter(merged_into__isnull=True).values_list("pk", "full_name"))
    wanted = set().union(*(_name_keys(names[pk]) for pk in new_ids))
    neighbours = {pk for pk, name in names.items() if pk not in new_ids and _name_keys(name) & wanted}
    new_records = selectors.person_records(new_ids)
    keys = {tuple(k.split(":", 1)) for r in new_records for k in r["exact_keys"]}
    for kind in {k for k, _ in keys}:
        values = [v for k, v in keys if k == kind]
        neighbours.update(
            Identity.objects.filter(kind=kind, value__in=values).values_list("person_id", flat=True)
        )
    records = new_records + selectors.person_records(neighbours - new_ids)
    saved = selectors.latest_model()
    # Term frequencies computed on a neighbourhood would be skewed, so they are left out here.
    model = linkage.without_term_frequencies(saved.model) if saved is not None else None
    return _resolve(records, backend="duckdb", model=model, only_ids=new_ids, actor=actor, report=_noop)


def merge_candidate(actor: Any, candidate: MatchCandidate) -> MergeRecord:
    """A reviewer says 'same person': merge (the older profile survives)."""
    user = require_editor(actor)
    if candidate.status != MatchCandidate.Status.PENDING:
        raise Conflict(f"this pair was already reviewed ({candidate.get_status_display().lower()})")
    record = merge_people(
        user,
        survivor_id=candidate.left_id,
        merged_id=candidate.right_id,
        probability=candidate.probability,
        model_version=candidate.model_version,
    )
    candidate.refresh_from_db()
    return record


@transaction.atomic
def reject_candidate(actor: Any, candidate: MatchCandidate) -> MatchCandidate:
    """A reviewer says 'not the same person': runs will not propose or merge the pair again."""
    user = require_editor(actor)
    if candidate.status != MatchCandidate.Status.PENDING:
        raise Conflict(f"this pair was already reviewed ({candidate.get_status_display().lower()})")
    before = audit.snapshot(candidate)
    candidate.status = MatchCandidate.Status.REJECTED
    candidate.reviewer = user
    candidate.reviewed_at = timezone.now()
    candidate.save(update_fields=["status", "reviewer", "reviewed_at", "updated_at"])
    audit.record(
        AuditLog.Action.UPDATE, candidate, before=before, after=audit.snapshot(candidate), actor=user
    )
    return candidate
