"""Adverse-impact statistics for selection decisions (UGESP, 29 CFR 1607.4(D)). Pure Python, no Django.

- Selection rate SR_g = selected_g / total_g, kept as an exact `Fraction`.
- Impact ratio IR_g = SR_g / max_h SR_h: the reference is the group with the **highest rate**, not the
  largest group. Ties for the highest rate are broken deterministically (largest total, then name); every
  tied group has IR = 1 either way.
- The four-fifths flag is exact: IR < Fraction(4, 5). 48/100 against 60/100 is exactly 0.8, not flagged.
- Each group is also compared with the reference group by a pooled two-proportion z-test (two-sided p from
  `math.erfc`) and by Fisher's exact test (two-sided, "method of small p-values" with R's relative
  tolerance of 1e-7, the convention of R's `fisher.test` and `scipy.stats.fisher_exact`).
- Small-sample warnings: a group under 30 people, an expected 2x2 cell under 5, and the UGESP Q&A
  "one-person flip" (if giving one reference-group selection to a member of the flagged group instead
  would make that group's rate the higher one, the four-fifths finding rests on one person).

`selection_table` returns rows; `adverse_impact_report` returns a JSON-ready dict (rates and ratios as
floats rounded to 6 places plus the exact fraction as a "num/den" string).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

FOUR_FIFTHS = Fraction(4, 5)
SMALL_GROUP = 30  # groups under this size get a warning
SMALL_EXPECTED = 5  # expected 2x2 cell counts under this favour Fisher's exact test over the z-test
FISHER_REL_TOL = 1e-7  # R's fisher.test: tables with probability <= P(observed) * (1 + 1e-7) count
_EXACT_FISHER_MAX_N = 5000  # up to this many people, Fisher uses exact integer binomials


@dataclass(frozen=True)
class GroupCounts:
    """How many of a group's `total` members were selected."""

    group: str
    selected: int
    total: int

    def __post_init__(self) -> None:
        for name in ("selected", "total"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"group {self.group!r}: {name} must be an int, not {value!r}")
        if self.total < 0 or self.selected < 0:
            raise ValueError(f"group {self.group!r}: counts must not be negative")
        if self.selected > self.total:
            raise ValueError(f"group {self.group!r}: {self.selected} selected out of only {self.total}")

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.selected, self.total) if self.total else None


@dataclass(frozen=True)
class SelectionRow:
    """One group's line of a selection table, compared with the reference (highest-rate) group."""

    group: str
    selected: int
    total: int
    rate: Fraction | None
    impact_ratio: Fraction | None  # None when undefined (empty group, or no one selected anywhere)
    is_reference: bool
    below_four_fifths: bool | None  # exact IR < 4/5; None when IR is undefined
    z: float | None  # pooled two-proportion z of this group against the reference (negative = lower)
    p_z: float | None  # two-sided p of z
    fisher_p: float | None  # two-sided Fisher exact p against the reference
    one_person_flip: bool | None  # moving one selection from the reference to this group reverses them
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "selected": self.selected,
            "total": self.total,
            "rate": as_float(self.rate),
            "rate_exact": as_exact(self.rate),
            "impact_ratio": as_float(self.impact_ratio),
            "impact_ratio_exact": as_exact(self.impact_ratio),
            "reference": self.is_reference,
            "below_four_fifths": self.below_four_fifths,
            "z": None if self.z is None else round(self.z, 6),
            "p_z": None if self.p_z is None else _round_p(self.p_z),
            "fisher_p": None if self.fisher_p is None else _round_p(self.fisher_p),
            "one_person_flip": self.one_person_flip,
            "warnings": list(self.warnings),
        }


def as_float(value: Fraction | None, places: int = 6) -> float | None:
    return None if value is None else round(float(value), places)


def as_exact(value: Fraction | None) -> str | None:
    """'num/den' (always with a denominator, '1/1' for one) or None."""
    return None if value is None else f"{value.numerator}/{value.denominator}"


def _round_p(p: float) -> float:
    """p-values keep 6 significant digits, so tiny ones do not round to 0."""
    return float(f"{p:.6g}")


# --- significance tests ------------------------------------------------------------------------------


def two_proportion_z(s1: int, n1: int, s2: int, n2: int) -> tuple[float | None, float | None]:
    """Pooled two-proportion z of group 1 against group 2 and its two-sided p.

    z = (p1 - p2) / sqrt(pbar (1 - pbar) (1/n1 + 1/n2)), pbar = (s1 + s2) / (n1 + n2);
    p = 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2). (None, None) when undefined: an empty group, or nobody
    (or everybody) selected in both groups, so the pooled variance is 0.
    """
    if n1 <= 0 or n2 <= 0:
        return None, None
    pooled = Fraction(s1 + s2, n1 + n2)
    variance = pooled * (1 - pooled) * (Fraction(1, n1) + Fraction(1, n2))
    if variance == 0:
        return None, None
    z = float(Fraction(s1, n1) - Fraction(s2, n2)) / math.sqrt(variance)
    return z, math.erfc(abs(z) / math.sqrt(2))


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher exact p for the 2x2 table [[a, b], [c, d]] (rows: the two groups; columns:
    selected, not selected), by the method of small p-values: the total probability of every table with
    the same margins that is no more likely than the observed one (relative tolerance 1e-7, as R)."""
    if min(a, b, c, d) < 0:
        raise ValueError("table cells must not be negative")
    m, n, k = a + b, c + d, a + c  # first row total, second row total, first column total
    lo, hi = max(0, k - n), min(k, m)
    if lo == hi:
        return 1.0
    if m + n <= _EXACT_FISHER_MAX_N:
        weights = [math.comb(m, x) * math.comb(n, k - x) for x in range(lo, hi + 1)]
        observed = weights[a - lo]
        scale = round(1 / FISHER_REL_TOL)  # w <= obs * (1 + tol)  <=>  w * scale <= obs * (scale + 1)
        tail = sum(w for w in weights if w * scale <= observed * (scale + 1))
        return min(1.0, float(Fraction(tail, sum(weights))))
    logs = [_log_comb(m, x) + _log_comb(n, k - x) for x in range(lo, hi + 1)]
    top = max(logs)
    dens = [math.exp(v - top) for v in logs]
    total = math.fsum(dens)
    limit = dens[a - lo] * (1 + FISHER_REL_TOL)
    return min(1.0, math.fsum(v for v in dens if v <= limit) / total)


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def min_expected_cell(s1: int, n1: int, s2: int, n2: int) -> float:
    """The smallest expected count of the 2x2 table under independence (0 if a margin is empty)."""
    total = n1 + n2
    if total == 0:
        return 0.0
    selected, rejected = s1 + s2, total - s1 - s2
    return min(n * col / total for n in (n1, n2) for col in (selected, rejected))


def one_person_flip(s1: int, n1: int, s2: int, n2: int) -> bool:
    """UGESP Q&A: would selecting one more member of group 1 instead of one member of group 2 give
    group 1 the strictly higher rate? If so, the disparity rests on a single decision."""
    if n1 == 0 or n2 == 0 or s1 >= n1 or s2 == 0:
        return False
    return Fraction(s1 + 1, n1) > Fraction(s2 - 1, n2)


# --- the table ---------------------------------------------------------------------------------------


def selection_table(
    counts: Mapping[str, tuple[int, int]], *, threshold: Fraction = FOUR_FIFTHS
) -> list[SelectionRow]:
    """One row per group (in the mapping's order): counts are (selected, total)."""
    groups = [GroupCounts(str(name), *pair) for name, pair in counts.items()]
    names = [g.group for g in groups]
    if len(set(names)) != len(names):
        raise ValueError("group names must be unique")
    ref = reference_group(groups)
    top = ref.rate if ref is not None else None
    rows = []
    for g in groups:
        rate = g.rate
        ratio = rate / top if rate is not None and top else None
        is_ref = ref is not None and g.group == ref.group
        warnings: list[str] = []
        z = p_z = fisher_p = None
        flip: bool | None = None
        if g.total == 0:
            warnings.append("nobody in this group: no rate")
        elif g.total < SMALL_GROUP:
            warnings.append(f"small group: {g.total} people (under {SMALL_GROUP})")
        if ref is not None and not is_ref and g.total:
            z, p_z = two_proportion_z(g.selected, g.total, ref.selected, ref.total)
            fisher_p = fisher_exact(g.selected, g.total - g.selected, ref.selected, ref.total - ref.selected)
            expected = min_expected_cell(g.selected, g.total, ref.selected, ref.total)
            if expected < SMALL_EXPECTED:
                warnings.append(
                    f"an expected cell against {ref.group} is {expected:.2f} (under {SMALL_EXPECTED}): "
                    "prefer Fisher's exact test to the z-test"
                )
            flip = one_person_flip(g.selected, g.total, ref.selected, ref.total)
        flagged = None if ratio is None else ratio < threshold
        if flagged and flip and ref is not None:
            warnings.append(
                f"one-person flip: selecting one more {g.group} instead of one {ref.group} would reverse "
                "the disparity, so this four-fifths finding rests on one decision"
            )
        rows.append(
            SelectionRow(
                group=g.group,
                selected=g.selected,
                total=g.total,
                rate=rate,
                impact_ratio=ratio,
                is_reference=is_ref,
                below_four_fifths=flagged,
                z=z,
                p_z=p_z,
                fisher_p=fisher_p,
                one_person_flip=flip,
                warnings=tuple(warnings),
            )
        )
    return rows


def reference_group(groups: Iterable[GroupCounts]) -> GroupCounts | None:
    """The group with the highest selection rate; ties go to the largest group, then the first name in
    sort order. None when no group has a positive rate (impact ratios are then undefined)."""
    rated = [g for g in groups if g.rate]
    if not rated:
        return None
    return min(rated, key=lambda g: (-(g.rate or 0), -g.total, g.group))


def table_warnings(rows: list[SelectionRow]) -> list[str]:
    """Warnings about the table as a whole (an empty list when impact ratios are meaningful)."""
    populated = [r for r in rows if r.total]
    if len(populated) < 2:
        only = f" ({populated[0].group})" if populated else ""
        return [f"only one group{only}: impact ratios are not meaningful, this is a partial report"]
    if not any(r.is_reference for r in rows):
        return ["nobody was selected in any group: impact ratios are undefined"]
    return []


def adverse_impact_report(
    counts: Mapping[str, tuple[int, int]], *, unknown: int = 0, threshold: Fraction = FOUR_FIFTHS
) -> dict[str, Any]:
    """The selection table as a JSON-ready dict, with table warnings and the configuration used."""
    rows = selection_table(counts, threshold=threshold)
    warnings = table_warnings(rows)
    reference = next((r.group for r in rows if r.is_reference), None)
    return {
        "reference": reference,
        "groups": [r.as_dict() for r in rows],
        "total": sum(r.total for r in rows),
        "unknown": unknown,
        "flagged": [r.group for r in rows if r.below_four_fifths],
        "warnings": warnings,
        "partial": bool(warnings),
        "config": {
            "reference": "highest selection rate (ties: largest group, then name)",
            "threshold": as_exact(threshold),
            "flag": "impact_ratio < threshold, exact rational arithmetic",
            "z_test": "pooled two-proportion z against the reference group, two-sided",
            "fisher": "two-sided Fisher exact against the reference group, method of small p-values "
            "(relative tolerance 1e-7)",
            "small_group": SMALL_GROUP,
            "small_expected_cell": SMALL_EXPECTED,
            "unknown": "blank or 'Unknown' group values are counted but left out of every rate",
        },
    }


def tally(pairs: Iterable[tuple[str | None, bool]]) -> tuple[dict[str, tuple[int, int]], int]:
    """Count (group, selected) pairs into {group: (selected, total)}, groups in first-seen order, and
    the number with an unknown (None) group."""
    counts: dict[str, list[int]] = {}
    unknown = 0
    for group, selected in pairs:
        if group is None:
            unknown += 1
            continue
        cell = counts.setdefault(group, [0, 0])
        cell[0] += int(bool(selected))
        cell[1] += 1
    return {g: (s, n) for g, (s, n) in counts.items()}, unknown
