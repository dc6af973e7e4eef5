"""Inter-rater reliability and rater severity for structured-interview ratings. Pure module, no Django.

- Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability") through the
  `krippendorff` package, on a raters x units matrix where `None` marks a missing rating. Alpha is
  undefined (None here) without at least one unit rated by two raters, or when every pairable value is
  the same (no expected disagreement).
- Intraclass correlation from the two-way ANOVA mean squares (Shrout & Fleiss 1979, "Intraclass
  correlations: uses in assessing rater reliability", Psychological Bulletin 86(2), 420-428), complete
  cases only.
- Per competency, the unit is a candidate and the raters are the interviewers who rated that competency;
  alpha is read as reliable (>= 0.800), tentative (0.667-0.800) or unreliable (below), Krippendorff's
  own thresholds for drawing conclusions from coded data.
- Rater severity: each rating minus the mean of the *other* raters' ratings of the same candidate on the
  same competency. A rater's mean deviation is positive when lenient and negative when severe; it is
  flagged only with enough overlapping ratings (`min_n`), a deviation of at least `threshold` scale
  points, and a deviation at least `z` standard errors from zero. Deviations of one rater share
  reference raters, so the standard error is a screening aid, not an exact test.

When a rater rated the same candidate on the same competency more than once, only the latest rating
counts (ties on `at` keep the higher score, so the result never depends on input order).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Literal

import krippendorff
import numpy as np

RELIABILITY_VERSION = "reliability-2026.11.1"

Level = Literal["nominal", "ordinal", "interval"]
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval")
IccKind = Literal["ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)"]
ICC_KINDS: tuple[str, ...] = ("ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)")

SCORE_MIN, SCORE_MAX = 1, 4  # rubric levels
RELIABLE = 0.800  # Krippendorff (2004, 2011): rely on data with alpha >= .800 ...
TENTATIVE = 0.667  # ... and draw only tentative conclusions down to .667
MIN_PAIRABLE_UNITS = 5  # candidates rated by two or more interviewers before alpha is reported
SEVERITY_THRESHOLD = 0.5  # scale points from the other raters' mean
SEVERITY_MIN_N = 5  # overlapping ratings before a rater can be flagged
SEVERITY_Z = 1.96

Period = Literal["month", "quarter"]


class ReliabilityInputError(ValueError):
    """Ratings or a ratings matrix that cannot be analysed; the message says what is wrong."""


@dataclass(frozen=True)
class Rating:
    """One interviewer's rubric level (1-4) for one candidate on one competency."""

    rater_id: str | int
    candidate_id: str | int
    competency: str
    score: int
    at: date  # a datetime is accepted too (it is a date)

    def __post_init__(self) -> None:
        if isinstance(self.score, bool) or not isinstance(self.score, int):
            raise ReliabilityInputError(f"rating score must be an int 1-4, not {self.score!r}")
        if not SCORE_MIN <= self.score <= SCORE_MAX:
            raise ReliabilityInputError(f"rating score must be between 1 and 4, not {self.score}")
        if not self.competency:
            raise ReliabilityInputError("rating competency must not be empty")
        if not isinstance(self.at, date):
            raise ReliabilityInputError(f"rating date must be a date, not {self.at!r}")


# --- matrices -----------------------------------------------------------------------------------------


def _matrix(ratings: Sequence[Sequence[float | None]]) -> np.ndarray[Any, np.dtype[np.float64]]:
    rows = [list(row) for row in ratings]
    if not rows or not rows[0]:
        raise ReliabilityInputError("the ratings matrix is empty (expected raters x units)")
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise ReliabilityInputError(f"rater row {i} has {len(row)} units, expected {width}")
    out = np.full((len(rows), width), np.nan)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ReliabilityInputError(f"rating [{i}][{j}] is not a number: {value!r}")
            if not math.isfinite(value):
                if math.isnan(value):
                    continue  # NaN is accepted as "missing", like the krippendorff package
                raise ReliabilityInputError(f"rating [{i}][{j}] is not finite: {value!r}")
            out[i, j] = float(value)
    return out


def krippendorff_alpha(
    ratings: Sequence[Sequence[float | None]],
    level: Level = "ordinal",
    *,
    value_domain: Sequence[float] | None = None,
) -> float | None:
    """Krippendorff's alpha for a raters x units matrix (`None` = not rated).

    Returns None when alpha is undefined: no unit has two ratings, or all pairable ratings are equal.
    """
    if level not in LEVELS:
        raise ReliabilityInputError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    data = _matrix(ratings)
    counts = (~np.isnan(data)).sum(axis=0)
    pairable = data[:, counts >= 2]
    values = pairable[~np.isnan(pairable)]
    if values.size < 2 or np.unique(values).size < 2:
        return None
    kwargs: dict[str, Any] = {"level_of_measurement": level}
    if value_domain is not None:
        kwargs["value_domain"] = list(value_domain)
    return float(krippendorff.alpha(reliability_data=data, **kwargs))


@dataclass(frozen=True)
class IccAnova:
    """Two-way ANOVA of a complete units x raters table (Shrout & Fleiss 1979, Table 1)."""

    n_units: int
    n_raters: int
    dropped_units: int  # units left out because a rater had not rated them
    bms: float  # between-targets (units) mean square
    wms: float  # within-target mean square (one-way model)
    jms: float  # between-judges (raters) mean square
    ems: float  # residual mean square


def icc_anova(ratings: Sequence[Sequence[float | None]]) -> IccAnova | None:
    """Mean squares for a raters x units matrix, complete cases only; None under 2 units or 2 raters."""
    data = _matrix(ratings)
    complete = ~np.isnan(data).any(axis=0)
    table = data[:, complete].T  # units x raters, as Shrout & Fleiss lay it out
    n, k = table.shape
    if n < 2 or k < 2:
        return None
    grand = table.mean()
    ss_total = float(((table - grand) ** 2).sum())
    ss_between = float(k * ((table.mean(axis=1) - grand) ** 2).sum())
    ss_judges = float(n * ((table.mean(axis=0) - grand) ** 2).sum())
    ss_within = ss_total - ss_between
    ss_error = ss_total - ss_between - ss_judges
    return IccAnova(
        n_units=n,
        n_raters=k,
        dropped_units=int((~complete).sum()),
        bms=ss_between / (n - 1),
        wms=ss_within / (n * (k - 1)),
        jms=ss_judges / (k - 1),
        ems=ss_error / ((n - 1) * (k - 1)),
    )


def icc(ratings: Sequence[Sequence[float | None]], kind: IccKind = "ICC(2,1)") -> float | None:
    """Shrout & Fleiss (1979) intraclass correlation for a raters x units matrix, complete cases only.

    ICC(1,1) = (BMS - WMS) / (BMS + (k-1) WMS)                       one-way random, single rater
    ICC(2,1) = (BMS - EMS) / (BMS + (k-1) EMS + k (JMS - EMS) / n)   two-way random, absolute agreement
    ICC(3,1) = (BMS - EMS) / (BMS + (k-1) EMS)                       two-way mixed, consistency
    ICC(1,k) = (BMS - WMS) / BMS;  ICC(2,k) = (BMS - EMS) / (BMS + (JMS - EMS) / n);
    ICC(3,k) = (BMS - EMS) / BMS                                     the mean of k raters
    None when fewer than 2 complete units or 2 raters, or when the denominator is zero (no variance).
    """
    if kind not in ICC_KINDS:
        raise ReliabilityInputError(f"kind must be one of {', '.join(ICC_KINDS)}, not {kind!r}")
    anova = icc_anova(ratings)
    if anova is None:
        return None
    n, k = anova.n_units, anova.n_raters
    bms, wms, jms, ems = anova.bms, anova.wms, anova.jms, anova.ems
    numerator, denominator = {
        "ICC(1,1)": (bms - wms, bms + (k - 1) * wms),
        "ICC(2,1)": (bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n),
        "ICC(3,1)": (bms - ems, bms + (k - 1) * ems),
        "ICC(1,k)": (bms - wms, bms),
        "ICC(2,k)": (bms - ems, bms + (jms - ems) / n),
        "ICC(3,k)": (bms - ems, bms),
    }[kind]
    if abs(denominator) < 1e-12:
        return None
    return numerator / denominator


# --- per competency -----------------------------------------------------------------------------------


def interpret_alpha(alpha: float | None) -> str | None:
    """reliable (>= 0.800), tentative (0.667 to 0.800) or unreliable; None when alpha is undefined."""
    if alpha is None:
        return None
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "unreliable"


@dataclass(frozen=True)
class ReliabilityResult:
    competency: str
    alpha: float | None
    level: str  # level of measurement used
    n_units: int  # candidates rated on this competency
    n_raters: int  # interviewers who rated it
    n_pairable_units: int  # candidates rated by two or more interviewers
    n_pairable: int  # ratings in those candidates (Krippendorff's n)
    interpretation: str | None  # reliable / tentative / unreliable, None when alpha is None
    reason: str | None = None  # why alpha is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "competency": self.competency,
            "alpha": None if self.alpha is None else round(self.alpha, 6),
            "level": self.level,
            "n_units": self.n_units,
            "n_raters": self.n_raters,
            "n_pairable_units": self.n_pairable_units,
            "n_pairable": self.n_pairable,
            "interpretation": self.interpretation,
            "reason": self.reason,
        }


def _instant(at: date) -> datetime:
    """A comparable instant for dates, naive datetimes and aware datetimes (as UTC) alike."""
    if isinstance(at, datetime):
        return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at
    return datetime.combine(at, time.min)


def latest_ratings(ratings: Iterable[Rating]) -> list[Rating]:
    """One rating per (rater, candidate, competency): the latest, ties keeping the higher score."""
    best: dict[tuple[str, str, str], Rating] = {}
    for rating in ratings:
        if not isinstance(rating, Rating):
            raise ReliabilityInputError(f"expected Rating objects, got {type(rating).__name__}")
        key = (str(rating.rater_id), str(rating.candidate_id), rating.competency)
        current = best.get(key)
        if current is None or (_instant(rating.at), rating.score) > (_instant(current.at), current.score):
            best[key] = rating
    return [best[key] for key in sorted(best)]


def per_competency_reliability(
    ratings: Iterable[Rating],
    *,
    level: Level = "ordinal",
    min_units: int = MIN_PAIRABLE_UNITS,
) -> dict[str, ReliabilityResult]:
    """Krippendorff's alpha per competency (units = candidates, raters = interviewers), sorted by slug.

    Alpha is reported only with at least `min_units` candidates rated by two or more interviewers;
    otherwise it is None with a reason, as it is when every pairable rating is identical.
    """
    if min_units < 1:
        raise ReliabilityInputError("min_units must be at least 1")
    by_competency: dict[str, list[Rating]] = defaultdict(list)
    for rating in latest_ratings(ratings):
        by_competency[rating.competency].append(rating)
    results: dict[str, ReliabilityResult] = {}
    for competency in sorted(by_competency):
        rows = by_competency[competency]
        raters = sorted({str(r.rater_id) for r in rows})
        units = sorted({str(r.candidate_id) for r in rows})
        matrix: list[list[float | None]] = [[None] * len(units) for _ in raters]
        rater_index = {rater: i for i, rater in enumerate(raters)}
        unit_index = {unit: j for j, unit in enumerate(units)}
        per_unit: dict[str, int] = defaultdict(int)
        for r in rows:
            matrix[rater_index[str(r.rater_id)]][unit_index[str(r.candidate_id)]] = float(r.score)
            per_unit[str(r.candidate_id)] += 1
        pairable_units = sum(1 for count in per_unit.values() if count >= 2)
        n_pairable = sum(count for count in per_unit.values() if count >= 2)
        alpha: float | None = None
        reason: str | None = None
        if pairable_units < min_units:
            reason = (
                f"{pairable_units} candidate(s) rated by two or more interviewers; "
                f"at least {min_units} needed"
            )
        else:
            alpha = krippendorff_alpha(matrix, level, value_domain=[1.0, 2.0, 3.0, 4.0])
            if alpha is None:
                reason = "every pairable rating is the same level, so agreement beyond chance is undefined"
        results[competency] = ReliabilityResult(
            competency=competency,
            alpha=alpha,
            level=level,
            n_units=len(units),
            n_raters=len(raters),
            n_pairable_units=pairable_units,
            n_pairable=n_pairable,
            interpretation=interpret_alpha(alpha),
            reason=reason,
        )
    return results


# --- rater severity -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deviation:
    """One rating compared with the mean of the other raters of the same candidate and competency."""

    rater_id: str | int
    candidate_id: str | int
    competency: str
    at: date
    score: int
    others_mean: float
    deviation: float  # score - others_mean: positive = lenient, negative = severe


def deviations(ratings: Iterable[Rating], *, competency: str | None = None) -> list[Deviation]:
    """Every rating that has at least one other rater on the same candidate x competency."""
    groups: dict[tuple[str, str], list[Rating]] = defaultdict(list)
    for rating in latest_ratings(ratings):
        if competency is None or rating.competency == competency:
            groups[(str(rating.candidate_id), rating.competency)].append(rating)
    out: list[Deviation] = []
    for key in sorted(groups):
        group = groups[key]
        if len(group) < 2:
            continue
        total = sum(r.score for r in group)
        for r in group:
            others_mean = (total - r.score) / (len(group) - 1)
            out.append(
                Deviation(
                    r.rater_id,
                    r.candidate_id,
                    r.competency,
                    r.at,
                    r.score,
                    others_mean,
                    r.score - others_mean,
                )
            )
    return out


@dataclass(frozen=True)
class _Summary:
    n: int
    mean: float | None
    se: float | None
    direction: str
    flagged: bool


def _summarise(values: Sequence[float], threshold: float, min_n: int, z: float) -> _Summary:
    n = len(values)
    if n == 0:
        return _Summary(0, None, None, "neutral", False)
    mean = math.fsum(values) / n
    se: float | None = None
    if n >= 2:
        variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
        se = math.sqrt(variance / n)
    if mean >= threshold:
        direction = "lenient"
    elif mean <= -threshold:
        direction = "severe"
    else:
        direction = "neutral"
    flagged = n >= min_n and direction != "neutral" and se is not None and abs(mean) >= z * se
    return _Summary(n, mean, se, direction, flagged)


def _check_severity_params(threshold: float, min_n: int, z: float) -> None:
    if not threshold > 0:
        raise ReliabilityInputError("threshold must be positive (scale points)")
    if min_n < 2:
        raise ReliabilityInputError("min_n must be at least 2 (a standard error needs two ratings)")
    if z < 0:
        raise ReliabilityInputError("z must not be negative")


@dataclass(frozen=True)
class RaterSeverity:
    rater_id: str | int
    n: int  # ratings that had at least one other rater to compare with
    mean_deviation: float | None  # positive = lenient, negative = severe; None when n == 0
    se: float | None  # standard error of the mean deviation; None under two ratings
    direction: str  # lenient / severe / neutral (|mean| below the threshold)
    flagged: bool  # n >= min_n, |mean| >= threshold and |mean| >= z * se
    n_ratings: int  # all of the rater's ratings (latest per candidate x competency)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "rater_id": self.rater_id,
            "n": self.n,
            "n_ratings": self.n_ratings,
            "mean_deviation": None if self.mean_deviation is None else round(self.mean_deviation, 6),
            "se": None if self.se is None else round(self.se, 6),
            "direction": self.direction,
            "flagged": self.flagged,
            "note": self.note,
        }


def rater_severity(
    ratings: Iterable[Rating],
    *,
    competency: str | None = None,
    threshold: float = SEVERITY_THRESHOLD,
    min_n: int = SEVERITY_MIN_N,
    z: float = SEVERITY_Z,
) -> list[RaterSeverity]:
    """Each rater's mean deviation from their co-raters (all competencies, or one), sorted by rater id."""
    _check_severity_params(threshold, min_n, z)
    kept = [r for r in latest_ratings(ratings) if competency is None or r.competency == competency]
    by_rater: dict[str, list[float]] = defaultdict(list)
    for d in deviations(kept):
        by_rater[str(d.rater_id)].append(d.deviation)
    ids: dict[str, str | int] = {}
    totals: dict[str, int] = defaultdict(int)
    for r in kept:
        ids.setdefault(str(r.rater_id), r.rater_id)
        totals[str(r.rater_id)] += 1
    out: list[RaterSeverity] = []
    for key in sorted(ids):
        s = _summarise(by_rater.get(key, []), threshold, min_n, z)
        if s.n == 0:
            note = "no candidate rated by another interviewer too"
        elif s.n < min_n:
            note = f"only {s.n} overlapping rating(s); {min_n} needed before flagging"
        elif s.direction != "neutral" and not s.flagged:
            note = "deviation within noise (under z standard errors)"
        else:
            note = ""
        out.append(
            RaterSeverity(
                rater_id=ids[key],
                n=s.n,
                mean_deviation=s.mean,
                se=s.se,
                direction=s.direction,
                flagged=s.flagged,
                n_ratings=totals[key],
                note=note,
            )
        )
    return out


def period_of(at: date, period: Period) -> tuple[str, date]:
    """("2025-03", 2025-03-01) for a month, ("2025-Q1", 2025-01-01) for a quarter."""
    day = at.date() if isinstance(at, datetime) else at
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}", date(day.year, day.month, 1)
    if period == "quarter":
        quarter = (day.month - 1) // 3 + 1
        return f"{day.year:04d}-Q{quarter}", date(day.year, 3 * quarter - 2, 1)
    raise ReliabilityInputError(f"period must be 'month' or 'quarter', not {period!r}")


@dataclass(frozen=True)
class SeverityPoint:
    rater_id: str | int
    period: str  # "2025-03" or "2025-Q1"
    period_start: date
    n: int
    mean_deviation: float
    se: float | None
    direction: str
    flagged: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "rater_id": self.rater_id,
            "period": self.period,
            "period_start": self.period_start.isoformat(),
            "n": self.n,
            "mean_deviation": round(self.mean_deviation, 6),
            "se": None if self.se is None else round(self.se, 6),
            "direction": self.direction,
            "flagged": self.flagged,
        }


def severity_over_time(
    ratings: Iterable[Rating],
    *,
    period: Period = "month",
    competency: str | None = None,
    threshold: float = SEVERITY_THRESHOLD,
    min_n: int = SEVERITY_MIN_N,
    z: float = SEVERITY_Z,
) -> list[SeverityPoint]:
    """Mean deviation per rater per month or quarter (of the rater's own rating date), for a trend chart.

    The comparison is with all co-raters regardless of when they rated; only periods with at least one
    comparable rating appear. Sorted by rater id, then period.
    """
    _check_severity_params(threshold, min_n, z)
    period_of(date(2000, 1, 1), period)  # validates `period` even when there are no ratings
    buckets: dict[tuple[str, date], list[float]] = defaultdict(list)
    labels: dict[date, str] = {}
    ids: dict[str, str | int] = {}
    for d in deviations(ratings, competency=competency):
        label, start = period_of(d.at, period)
        labels[start] = label
        ids.setdefault(str(d.rater_id), d.rater_id)
        buckets[(str(d.rater_id), start)].append(d.deviation)
    out: list[SeverityPoint] = []
    for rater, start in sorted(buckets):
        s = _summarise(buckets[(rater, start)], threshold, min_n, z)
        assert s.mean is not None  # buckets are never empty
        out.append(
            SeverityPoint(
                rater_id=ids[rater],
                period=labels[start],
                period_start=start,
                n=s.n,
                mean_deviation=s.mean,
                se=s.se,
                direction=s.direction,
                flagged=s.flagged,
            )
        )
    return out
