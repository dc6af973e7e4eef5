"""Adverse-impact monitoring of Cadre's own pipeline and automated tools, from self-identification only.

`stage_funnel_counts`: for each step of the pipeline (sourced → screening → ... → placed), the
applications that reached the stage among those that reached the one before, by sex, race/ethnicity and
their intersection, as `adverse_impact.adverse_impact_report` tables (exact impact ratios against the
highest-rate group, z and Fisher tests, small-sample warnings).

- "Reached" uses the StageEvent history: an application's furthest stage is the latest stage in board
  order that any of its events moved it into (or its current stage). A move that skips a stage counts
  as passing it, and a later move back (or to rejected/withdrawn) does not undo it. Every application
  counts as sourced.
- The unit is the application (a person on two requisitions is two selection decisions).
- Demographics come only from voluntary self-identification; no record, or a declined answer, is
  "unknown": counted (`unknown`, `unknown_selected`) but left out of every rate.

`matching_ll144_audit`: the NYC Local Law 144 scoring-mode audit of Cadre matching, from the
DecisionRecords it wrote (kind "match_ranking", subject a requisition): one score per person and
requisition (the latest record), the median of the full sample, scoring rates and impact ratios.
`assessment_ll144_audit` is the same audit of screening assessments, from the sitting scores they wrote
(kind "assessment_score", subject the requisition); both are `scoring_ll144_audit` with a `kind`.

Both need `demographics.can_read_demographics` (Forbidden otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Any

from django.db.models import Min, QuerySet
from django.utils import timezone

from cadre.clients.models import Client
from cadre.clients.selectors import clients_visible_to
from cadre.compliance import adverse_impact, demographics, ll144
from cadre.core.exceptions import NotFound, ValidationFailed
from cadre.core.models import DecisionRecord
from cadre.core.selectors import is_client_scoped
from cadre.pipeline.models import Application, StageEvent
from cadre.pipeline.stages import BOARD_ORDER, STAGE_LABELS, Stage
from cadre.requisitions.models import Requisition
from cadre.requisitions.selectors import requisitions_visible_to

# The forward path of the board: rejected and withdrawn end an application, they are not a step.
FUNNEL: tuple[Stage, ...] = tuple(s for s in BOARD_ORDER if s not in (Stage.REJECTED, Stage.WITHDRAWN))
_RANK = {s.value: i for i, s in enumerate(FUNNEL)}
DIMENSIONS = ("sex", "race_ethnicity", "intersectional")
DIMENSION_LABELS = ll144.TABLE_LABELS
MATCH_KIND = "match_ranking"
MATCH_SUBJECT = "requisitions.requisition"
MATCHING_TOOL = "Cadre matching"
MATCHING_DATA_SOURCE = "Cadre DecisionRecords (historical data)"
ASSESSMENT_KIND = "assessment_score"
ASSESSMENT_TOOL = "Cadre screening assessments"
# Per audited kind: the tool's name in the report and what its scores are called in messages.
SCORED_TOOLS = {MATCH_KIND: (MATCHING_TOOL, "matching"), ASSESSMENT_KIND: (ASSESSMENT_TOOL, "assessment")}

_ORDER: dict[str, list[Hashable]] = {
    "sex": list(ll144.SEX),
    "race_ethnicity": list(ll144.RACE_ETHNICITY),
    "intersectional": [(s, r) for r in ll144.RACE_ETHNICITY for s in ll144.SEX],
}


def group_label(key: Hashable) -> str:
    """'Female', 'Asian', or 'Asian / Female' for the intersection (the LL144 report's naming)."""
    if isinstance(key, tuple):
        sex, race = key
        return f"{race} / {sex}"
    return str(key)


def _category(dimension: str, value: str) -> str | None:
    try:
        return ll144.normalize_category(dimension, value)
    except KeyError:  # a value outside the EEO-1 categories (only possible via raw database edits)
        return None


def _keys(sex_race: tuple[str, str] | None) -> dict[str, Hashable | None]:
    sex = _category("sex", sex_race[0]) if sex_race else None
    race = _category("race_ethnicity", sex_race[1]) if sex_race else None
    return {"sex": sex, "race_ethnicity": race, "intersectional": (sex, race) if sex and race else None}


def _pk(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(getattr(value, "pk", value))


def _scope(
    user: Any, requisition: Requisition | int | None, client: Client | int | None
) -> tuple[QuerySet[Requisition], dict[str, Any]]:
    """The requisitions in scope (visible to the user), and a description of the scope."""
    qs = requisitions_visible_to(user)
    req_id, client_id = _pk(requisition), _pk(client)
    scope: dict[str, Any] = {"kind": "overall", "requisition_id": req_id, "client_id": client_id}
    label = "All requisitions"
    if client_id is not None:
        found = clients_visible_to(user).filter(pk=client_id).first()
        if found is None:
            raise NotFound(f"client {client_id} not found")
        qs = qs.filter(client_id=client_id)
        scope["kind"] = "client"
        label = f"Client: {found.name}"
    if req_id is not None:
        row = qs.filter(pk=req_id).select_related("client").first()
        if row is None:
            raise NotFound(f"requisition {req_id} not found")
        qs = qs.filter(pk=req_id)
        scope["kind"] = "requisition"
        label = f"Requisition: {row.title} ({row.client.name})"
    scope["label"] = label
    return qs, scope


def _report(pairs: list[tuple[Hashable | None, bool]], dimension: str) -> dict[str, Any]:
    cells: dict[Hashable, list[int]] = {key: [0, 0] for key in _ORDER[dimension]}
    unknown = unknown_selected = 0
    for key, selected in pairs:
        if key is None or key not in cells:
            unknown += 1
            unknown_selected += int(selected)
            continue
        cells[key][0] += int(selected)
        cells[key][1] += 1
    counts = {group_label(k): (s, n) for k, (s, n) in cells.items() if n}
    report = adverse_impact.adverse_impact_report(counts, unknown=unknown)
    report["unknown_selected"] = unknown_selected
    report["dimension"] = dimension
    report["label"] = DIMENSION_LABELS[dimension]
    return report


def stage_funnel_counts(
    user: Any, *, requisition: Requisition | int | None = None, client: Client | int | None = None
) -> dict[str, Any]:
    """Per pipeline step, the adverse-impact report of each dimension (see the module docstring).

    {"scope": {...}, "applications": n, "self_identified": n,
     "stages": [{"stage", "label", "from_stage", "from_label", "considered", "reached",
                 "dimensions": {"sex": report, "race_ethnicity": report, "intersectional": report}}]}
    """
    demographics.require_demographics_reader(user)
    requisitions, scope = _scope(user, requisition, client)
    applications = Application.objects.filter(requisition__in=requisitions)
    furthest: dict[int, int] = {}
    person_of: dict[int, int] = {}
    current: dict[int, str] = {}
    for app_id, person_id, stage in applications.values_list("id", "person_id", "stage"):
        furthest[app_id] = _RANK.get(stage, 0)
        person_of[app_id] = person_id
        current[app_id] = stage
    events = StageEvent.objects.filter(application__in=applications).values_list("application_id", "to_stage")
    for app_id, to_stage in events.iterator(chunk_size=5000):
        rank = _RANK.get(to_stage)
        if rank is not None and app_id in furthest and rank > furthest[app_id]:
            furthest[app_id] = rank
    answers = demographics.categories_for(user, applications.values("person_id"))
    keys = {app_id: _keys(answers.get(pid)) for app_id, pid in person_of.items()}

    stages = []
    for i in range(1, len(FUNNEL)):
        # A step's outcome is known when the application went further (selected) or was rejected
        # there (not selected). Applications still waiting at the step, and candidates who withdrew,
        # made no selection decision and are left out.
        considered = [
            a for a, rank in furthest.items() if rank >= i or (rank == i - 1 and current[a] == Stage.REJECTED)
        ]
        dims = {
            dim: _report([(keys[a][dim], furthest[a] >= i) for a in considered], dim) for dim in DIMENSIONS
        }
        stages.append(
            {
                "stage": FUNNEL[i].value,
                "label": STAGE_LABELS[FUNNEL[i]],
                "from_stage": FUNNEL[i - 1].value,
                "from_label": STAGE_LABELS[FUNNEL[i - 1]],
                "considered": len(considered),
                "reached": sum(1 for a in considered if furthest[a] >= i),
                "dimensions": dims,
            }
        )
    return {
        "scope": scope,
        "applications": len(furthest),
        "self_identified": sum(1 for pid in person_of.values() if pid in answers),
        "stages": stages,
        "method": {
            "unit": "application (person x requisition)",
            "reached": "an application reached a stage if its StageEvent history (or current stage) took it "
            "there or further along "
            + " → ".join(s.value for s in FUNNEL)
            + "; a step counts applications that went further (selected) or were rejected there (not "
            "selected): those still waiting at the step and withdrawals are left out",
            "demographics": "voluntary self-identification only; none recorded or declined = unknown, "
            "counted but left out of rates",
            "intersectional": "race/ethnicity × sex, for people who gave both",
        },
    }


def _since(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


def matching_scores(
    user: Any, *, since: dt.date | dt.datetime | None = None, requisition: Requisition | int | None = None
) -> list[dict[str, Any]]:
    """The latest match_ranking score of each (person, requisition) pair in scope, oldest pair first."""
    return decision_scores(user, kind=MATCH_KIND, since=since, requisition=requisition)


def decision_scores(
    user: Any,
    *,
    kind: str,
    since: dt.date | dt.datetime | None = None,
    requisition: Requisition | int | None = None,
) -> list[dict[str, Any]]:
    """The latest score of `kind` (subject a requisition) of each (person, requisition) pair in scope,
    oldest pair first."""
    records = DecisionRecord.objects.filter(
        kind=kind, subject_type=MATCH_SUBJECT, person_id__isnull=False, score__isnull=False
    )
    req_id = _pk(requisition)
    if req_id is not None:
        if not requisitions_visible_to(user).filter(pk=req_id).exists():
            raise NotFound(f"requisition {req_id} not found")
        records = records.filter(subject_id=str(req_id))
    elif is_client_scoped(user):
        visible = [str(pk) for pk in requisitions_visible_to(user).values_list("pk", flat=True)]
        records = records.filter(subject_id__in=visible)
    start = _since(since)
    if start is not None:
        records = records.filter(at__gte=start)
    latest: dict[tuple[int, str], dict[str, Any]] = {}
    rows = records.order_by("at", "id").values_list("person_id", "subject_id", "score", "version", "at")
    for person_id, subject_id, score, version, at in rows.iterator(chunk_size=5000):
        assert person_id is not None  # filtered above
        key = (person_id, str(subject_id))
        latest.pop(key, None)  # re-insert so the order is that of each pair's latest record
        latest[key] = {
            "person_id": person_id,
            "requisition_id": str(subject_id),
            "score": score,
            "version": version,
            "at": at,
        }
    return list(latest.values())


def matching_ll144_audit(
    user: Any,
    *,
    since: dt.date | dt.datetime | None = None,
    requisition: Requisition | int | None = None,
    config: ll144.LL144Config | None = None,
) -> dict[str, Any]:
    """The LL144 scoring-mode bias audit of Cadre matching (the dict of `ll144.ll144_audit`, plus
    "scope"). ValidationFailed when there is no score to audit."""
    return scoring_ll144_audit(user, kind=MATCH_KIND, since=since, requisition=requisition, config=config)


def assessment_ll144_audit(
    user: Any,
    *,
    since: dt.date | dt.datetime | None = None,
    requisition: Requisition | int | None = None,
    config: ll144.LL144Config | None = None,
) -> dict[str, Any]:
    """The LL144 scoring-mode bias audit of screening assessments: one sitting score per person and
    requisition (the latest assessment_score DecisionRecord). ValidationFailed when there is none."""
    return scoring_ll144_audit(
        user, kind=ASSESSMENT_KIND, since=since, requisition=requisition, config=config
    )


def scoring_ll144_audit(
    user: Any,
    *,
    kind: str,
    since: dt.date | dt.datetime | None = None,
    requisition: Requisition | int | None = None,
    config: ll144.LL144Config | None = None,
) -> dict[str, Any]:
    """The LL144 scoring-mode bias audit of the automated tool that wrote DecisionRecords of `kind`
    (one of SCORED_TOOLS) about requisitions."""
    demographics.require_demographics_reader(user)
    tool, noun = SCORED_TOOLS[kind]
    scores = decision_scores(user, kind=kind, since=since, requisition=requisition)
    if not scores:
        raise ValidationFailed(f"no {noun} scores to audit: no {kind} decision records in scope")
    answers = demographics.categories_for(user, [s["person_id"] for s in scores])
    sexes: list[str | None] = []
    races: list[str | None] = []
    for s in scores:
        sex, race = answers.get(s["person_id"], ("", ""))
        sexes.append(_category("sex", sex))
        races.append(_category("race_ethnicity", race))
    versions = sorted({str(s["version"]).split("+", 1)[0] for s in scores})
    first = DecisionRecord.objects.filter(kind=kind, subject_type=MATCH_SUBJECT).aggregate(first=Min("at"))
    first_at = first["first"]
    metadata = ll144.AuditMetadata(
        tool=tool,
        tool_version=", ".join(versions),
        audit_date=timezone.localdate(),
        data_source=MATCHING_DATA_SOURCE,
        distribution_date=timezone.localdate(first_at) if first_at else None,
        auditor="",
    )
    report = ll144.ll144_audit(
        sexes, races, scores=[s["score"] for s in scores], config=config, metadata=metadata
    )
    start = _since(since)
    report["scope"] = {
        "requisition_id": _pk(requisition),
        "since": start.isoformat() if start else None,
        "assessments": len(scores),
        "people": len({s["person_id"] for s in scores}),
        "requisitions": len({s["requisition_id"] for s in scores}),
        "unit": f"one score per person and requisition: the latest {kind} DecisionRecord of the pair",
    }
    return report
