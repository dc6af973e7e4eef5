"""Demo facts that matching reads: people's work preferences and evidence of varied strength and age,
and requisitions' hard requirements. Deterministic for the demo seed."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from cadre.people.models import Person, SkillEvidence, WorkPreferences
from cadre.requisitions.models import Requisition
from cadre.taxonomy.models import Skill
from cadre.web.demo_plan import PlannedPerson

ENGAGEMENT_CHOICES: tuple[tuple[list[str], float], ...] = (
    ([], 0.5),
    (["contract", "contract_to_hire"], 0.2),
    (["direct_hire"], 0.15),
    (["contract"], 0.15),
)


def _weighted(rng: random.Random, choices: tuple[tuple[list[str], float], ...]) -> list[str]:
    return list(rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0])


def add_requirements(reqs: dict[int, Requisition], seed: int, today: date) -> None:
    """Some roles need a clearance, some sponsor visas, remote ones keep to US time zones."""
    rng = random.Random(seed * 7 + 1)
    for key in sorted(reqs):
        req = reqs[key]
        req.work_country = "US"
        req.sponsorship_available = rng.random() < 0.3
        req.clearance_required = "secret" if rng.random() < 0.1 else "none"
        if req.remote_policy == "remote" and rng.random() < 0.5:
            req.time_zone, req.max_tz_difference_hours = "America/New_York", 3
        req.start_date = today + timedelta(days=rng.randint(14, 60))
    Requisition.objects.bulk_update(
        list(reqs.values()),
        [
            "work_country",
            "sponsorship_available",
            "clearance_required",
            "time_zone",
            "max_tz_difference_hours",
            "start_date",
        ],
    )


def add_preferences_and_evidence(
    persons: dict[int, Person], planned: list[PlannedPerson], seed: int, today: date
) -> None:
    rng = random.Random(seed * 7 + 2)
    skills = {s.slug: s for s in Skill.objects.all()}
    prefs, evidence = [], []
    for p in planned:
        person = persons[p.key]
        needs_visa = rng.random() < 0.12
        cleared = rng.random()
        prefs.append(
            WorkPreferences(
                person=person,
                country="US",
                city=p.location.split(",")[0],
                willing_to_relocate=rng.random() < 0.25,
                remote_preference=rng.choices(
                    ["any", "remote", "hybrid", "onsite"], [0.45, 0.35, 0.12, 0.08]
                )[0],
                authorized_countries=[rng.choice(["IN", "CA", "GB"])] if needs_visa else ["US"],
                clearance_level="top_secret" if cleared < 0.02 else "secret" if cleared < 0.08 else "none",
                clearance_expires=today + timedelta(days=rng.randint(200, 1500)) if cleared < 0.08 else None,
                available_from=today + timedelta(days=rng.randint(0, 90)) if rng.random() < 0.6 else None,
                engagement_types=_weighted(rng, ENGAGEMENT_CHOICES),
                min_rate=Decimal(rng.randrange(55, 140)) if rng.random() < 0.5 else None,
            )
        )
        # Employment evidence dated within the current job for some skills, and for some people a
        # merged pull request last year: the strong, recent evidence matching rewards.
        for slug in p.skills:
            if slug in skills and rng.random() < 0.35:
                evidence.append(
                    SkillEvidence(
                        person=person,
                        skill=skills[slug],
                        kind=SkillEvidence.Kind.EMPLOYMENT,
                        detail=f"{p.job_title} at {p.employer}",
                        observed_on=today - timedelta(days=rng.randint(30, 365 * min(p.years, 4))),
                    )
                )
        known = [s for s in p.skills if s in skills]
        if known and rng.random() < 0.2:
            slug = rng.choice(known)
            evidence.append(
                SkillEvidence(
                    person=person,
                    skill=skills[slug],
                    kind=SkillEvidence.Kind.MERGED_PR,
                    detail=f"Merged pull request to an open-source {skills[slug].name} project",
                    observed_on=today - timedelta(days=rng.randint(20, 400)),
                )
            )
    WorkPreferences.objects.bulk_create(prefs, batch_size=500)
    SkillEvidence.objects.bulk_create(evidence, batch_size=500)
