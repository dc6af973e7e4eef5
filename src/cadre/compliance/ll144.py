"""NYC Local Law 144 bias audit of an automated employment decision tool (6 RCNY §§5-300–5-304).
Pure Python, no Django.

`ll144_audit` takes each assessed person's sex, race/ethnicity and outcome (selected, or a score) and
returns the audit as a JSON-ready dict:

    {"mode": "selection" | "scoring", "median": float | None,
     "tables": {"sex": [row...], "race_ethnicity": [row...], "intersectional": [row...]},
     "unknown": {"sex": n, "race_ethnicity": n, "intersectional": n},
     "excluded": [{"table", "category", "n", "share", "rate", "justification"}...],
     "config": {...every choice made, plus the audit metadata under "audit"...}}

with each row {"category", "sex", "race_ethnicity", "n", "selected_or_above", "rate", "impact_ratio",
"excluded"}. A "warnings" list is added only when part of the report is not meaningful (a table with
fewer than two comparable categories, nobody selected, values read as unknown under `strict=False`).

Rules (compliance.md §2c and §6):
- Categories are the EEO-1 ones named in §5-301(b)(3); blank or "Unknown" is unknown. Names match
  case-insensitively, and the EEO-1 spellings ("American Indian or Alaska Native", "... (Not Hispanic or
  Latino)") are read as the rule's names. Any other value is an error, unless `strict=False`, which counts
  it as unknown and records it in the config.
- The sex, race/ethnicity and intersectional tables are computed independently: a person with a known sex
  and an unknown race counts in the sex table. Unknowns are left out of a table's rates but counted.
- Scoring rate = share of a category strictly above the median score of the full sample (by default
  including people whose categories are unknown; `unknown_in_median=False` uses only fully-known people).
- Impact ratio = rate / the highest rate among the table's categories that are not excluded (exact
  fractions, reported as floats rounded to 6 places).
- A category under 2% of the data (by default of the whole audit sample) is excluded from impact ratios
  (§5-301(d)) but still reported with its count and rate, and the justification is listed.
- Only categories with at least one person get a row.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

SEX: tuple[str, ...] = ("Male", "Female")
RACE_ETHNICITY: tuple[str, ...] = (
    "Hispanic or Latino",
    "White",
    "Black or African American",
    "Native Hawaiian or Pacific Islander",
    "Asian",
    "Native American or Alaska Native",
    "Two or More Races",
)
TABLES = ("sex", "race_ethnicity", "intersectional")
TABLE_LABELS = {"sex": "Sex", "race_ethnicity": "Race/ethnicity", "intersectional": "Intersectional"}
UNKNOWN_VALUES = ("", "unknown")
DEFAULT_EXCLUSION = Fraction(2, 100)
FOUR_FIFTHS = Fraction(4, 5)
RULE = "6 RCNY §5-301"

Mode = Literal["selection", "scoring"]
ExclusionBase = Literal["sample", "dimension"]
Score = int | float | Decimal | Fraction | str

_NOT_HISPANIC = " (not hispanic or latino)"
_EEO1_SPELLINGS = {  # the EEO-1 Component 1 form's wording for the rule's names
    "Native Hawaiian or Pacific Islander": "Native Hawaiian or Other Pacific Islander",
    "Native American or Alaska Native": "American Indian or Alaska Native",
}


def _key(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip()).casefold()


def _aliases() -> dict[str, dict[str, str]]:
    race: dict[str, str] = {}
    for name in RACE_ETHNICITY:
        for spelling in (name, _EEO1_SPELLINGS.get(name, name)):
            race[_key(spelling)] = name
            if name != "Hispanic or Latino":
                race[_key(spelling) + _NOT_HISPANIC] = name
    return {"sex": {_key(s): s for s in SEX}, "race_ethnicity": race}


ALIASES = _aliases()


class CategoryError(ValueError):
    """Values that are neither an EEO-1 category nor blank/"Unknown", with the rows they are on."""

    def __init__(self, unknown: dict[str, dict[str, list[int]]]):
        self.unknown = unknown
        parts = []
        for dim, values in unknown.items():
            accepted = ", ".join(SEX if dim == "sex" else RACE_ETHNICITY)
            found = "; ".join(f"{v!r} ({_rows_text(rows)})" for v, rows in values.items())
            parts.append(
                f"unknown {dim} categor{'y' if len(values) == 1 else 'ies'}: {found}. "
                f"Use one of: {accepted}, or blank/Unknown"
            )
        super().__init__(" | ".join(parts))


def _rows_text(rows: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"


def normalize_category(dimension: str, value: str | None) -> str | None:
    """The canonical category name, None for blank/"Unknown"; KeyError for anything else."""
    if value is None or _key(value) in UNKNOWN_VALUES:
        return None
    return ALIASES[dimension][_key(value)]


@dataclass(frozen=True)
class AuditMetadata:
    """What a public summary must say besides the numbers (§5-303)."""

    tool: str = "Cadre"
    tool_version: str = ""
    audit_date: date | None = None  # None: today
    data_source: str = ""
    distribution_date: date | None = None  # when the tool was first distributed for use
    auditor: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "tool_version": self.tool_version,
            "audit_date": (self.audit_date or date.today()).isoformat(),
            "data_source": self.data_source,
            "distribution_date": self.distribution_date.isoformat() if self.distribution_date else None,
            "auditor": self.auditor,
        }


@dataclass(frozen=True)
class LL144Config:
    unknown_in_median: bool = True  # the median is taken over everyone assessed, unknowns included
    exclusion_threshold: Fraction = DEFAULT_EXCLUSION  # 0 turns the §5-301(d) exclusion off
    exclusion_base: ExclusionBase = "sample"  # share of the whole sample, or of the table's known people
    strict: bool = True  # unknown category names are an error; False counts them as unknown


@dataclass
class _Cell:
    n: int = 0
    hits: int = 0


@dataclass
class _Table:
    rows: list[dict[str, Any]] = field(default_factory=list)
    excluded: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown: int = 0


def ll144_audit(
    sex: Sequence[str | None],
    race_ethnicity: Sequence[str | None],
    *,
    selected: Sequence[bool] | None = None,
    scores: Sequence[Score] | None = None,
    config: LL144Config | None = None,
    metadata: AuditMetadata | None = None,
    rows: Sequence[int] | None = None,
) -> dict[str, Any]:
    """The bias audit of one tool. Give `selected` (selection mode) or `scores` (scoring mode).
    `rows` are the people's row numbers in the source, for error messages (default 1, 2, ...)."""
    config = config or LL144Config()
    metadata = metadata or AuditMetadata()
    if (selected is None) == (scores is None):
        raise ValueError("give exactly one of selected (selection mode) or scores (scoring mode)")
    outcome: Sequence[Any] = selected if selected is not None else scores  # type: ignore[assignment]
    n_total = len(sex)
    if len(race_ethnicity) != n_total or len(outcome) != n_total:
        raise ValueError("sex, race_ethnicity and the outcome must have one value per person")
    if n_total == 0:
        raise ValueError("no one to audit: the sample is empty")
    row_numbers = list(rows) if rows is not None else list(range(1, n_total + 1))
    if config.exclusion_threshold < 0 or config.exclusion_threshold >= 1:
        raise ValueError("the exclusion threshold must be at least 0 and below 1")

    sexes, races, remapped = _normalize(sex, race_ethnicity, row_numbers, strict=config.strict)
    mode: Mode = "selection" if selected is not None else "scoring"
    median: Fraction | None = None
    median_n: int | None = None
    if selected is not None:
        hits = [bool(v) for v in selected]
    else:
        values = [_fraction(v, r) for v, r in zip(outcome, row_numbers, strict=True)]
        pool = (
            values
            if config.unknown_in_median
            else [v for v, s, r in zip(values, sexes, races, strict=True) if s and r]
        )
        if not pool:
            raise ValueError("no one with a known sex and race/ethnicity to take the median score of")
        median, median_n = Fraction(statistics.median(pool)), len(pool)
        hits = [v > median for v in values]

    keys: dict[str, tuple[list[Hashable | None], list[Hashable]]] = {
        "sex": (list(sexes), list(SEX)),
        "race_ethnicity": (list(races), list(RACE_ETHNICITY)),
        "intersectional": (
            [(s, r) if s and r else None for s, r in zip(sexes, races, strict=True)],
            [(s, r) for r in RACE_ETHNICITY for s in SEX],
        ),
    }
    rate_name = "selection rate" if mode == "selection" else "scoring rate"
    tables: dict[str, list[dict[str, Any]]] = {}
    unknown: dict[str, int] = {}
    excluded: list[dict[str, Any]] = []
    warnings: list[str] = []
    for name in TABLES:
        people, order = keys[name]
        table = _table(name, people, hits, order, n_total, config, rate_name)
        tables[name] = table.rows
        unknown[name] = table.unknown
        excluded += table.excluded
        warnings += table.warnings
    for dim, odd in remapped.items():
        if odd:
            found = ", ".join(f"{v!r} ×{len(r)}" for v, r in odd.items())
            warnings.append(f"{dim}: values outside the EEO-1 categories were counted as unknown: {found}")

    report: dict[str, Any] = {
        "mode": mode,
        "median": None if median is None else float(median),
        "tables": tables,
        "unknown": unknown,
        "excluded": excluded,
        "config": _config(config, metadata, mode, median_n, n_total, remapped),
    }
    if warnings:
        report["warnings"] = warnings
    return report


def _normalize(
    sex: Sequence[str | None], race: Sequence[str | None], rows: list[int], *, strict: bool
) -> tuple[list[str | None], list[str | None], dict[str, dict[str, list[int]]]]:
    out: dict[str, list[str | None]] = {"sex": [], "race_ethnicity": []}
    bad: dict[str, dict[str, list[int]]] = {"sex": {}, "race_ethnicity": {}}
    for values, dim in ((sex, "sex"), (race, "race_ethnicity")):
        for value, row in zip(values, rows, strict=True):
            try:
                out[dim].append(normalize_category(dim, value))
            except KeyError:
                bad[dim].setdefault(str(value).strip(), []).append(row)
                out[dim].append(None)
    if strict and any(bad.values()):
        raise CategoryError({dim: values for dim, values in bad.items() if values})
    return out["sex"], out["race_ethnicity"], bad


def _fraction(value: Score, row: int) -> Fraction:
    try:
        if isinstance(value, bool):
            raise TypeError
        result = Fraction(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        raise ValueError(f"row {row}: score {value!r} is not a finite number") from None
    return result


def _table(
    name: str,
    people: list[Hashable | None],
    hits: list[bool],
    order: list[Hashable],
    n_total: int,
    config: LL144Config,
    rate_name: str,
) -> _Table:
    out = _Table()
    cells: dict[Hashable, _Cell] = {key: _Cell() for key in order}
    for key, hit in zip(people, hits, strict=True):
        if key is None:
            out.unknown += 1
            continue
        cells[key].n += 1
        cells[key].hits += hit
    present = [(key, cell) for key, cell in cells.items() if cell.n]
    denominator = n_total if config.exclusion_base == "sample" else n_total - out.unknown
    threshold = config.exclusion_threshold

    def is_excluded(cell: _Cell) -> bool:
        return bool(threshold) and Fraction(cell.n, denominator) < threshold

    eligible = [cell for _, cell in present if not is_excluded(cell)]
    top = max((Fraction(c.hits, c.n) for c in eligible), default=Fraction(0))
    label = TABLE_LABELS[name]
    meaningful = len(eligible) >= 2 and top > 0
    if not present:
        out.warnings.append(f"{label}: no one has a known category, so there is no table")
    elif len(eligible) < 2:
        which = ", ".join(_category(k) for k, c in present if not is_excluded(c)) or "none"
        out.warnings.append(
            f"{label}: only one category to compare ({which}): impact ratios are not meaningful, "
            "this part of the report is partial"
        )
    elif top == 0:
        out.warnings.append(
            f"{label}: no one in any category was "
            + ("selected" if rate_name == "selection rate" else "scored above the median")
            + ": impact ratios are undefined"
        )
    for key, cell in present:
        rate = Fraction(cell.hits, cell.n)
        excluded = is_excluded(cell)
        ratio = rate / top if meaningful and not excluded else None
        sex, race = _parts(key)
        category = _category(key)
        out.rows.append(
            {
                "category": category,
                "sex": sex,
                "race_ethnicity": race,
                "n": cell.n,
                "selected_or_above": cell.hits,
                "rate": round(float(rate), 6),
                "impact_ratio": None if ratio is None else round(float(ratio), 6),
                "excluded": excluded,
            }
        )
        if excluded:
            share = Fraction(cell.n, denominator)
            base = (
                "audit sample"
                if config.exclusion_base == "sample"
                else f"people with a known {label.lower()}"
            )
            out.excluded.append(
                {
                    "table": name,
                    "category": category,
                    "n": cell.n,
                    "share": round(float(share), 6),
                    "rate": round(float(rate), 6),
                    "justification": (
                        f"{category} is {cell.n} of the {denominator} people in the {base} "
                        f"({float(share):.2%}), under the {_percent(threshold)} threshold of {RULE}(d); "
                        f"a rate from so few people is too unstable to compare, so no impact ratio is "
                        f"computed for it, and its count and {rate_name} are reported here instead."
                    ),
                }
            )
    return out


def _parts(key: Hashable) -> tuple[str | None, str | None]:
    if isinstance(key, tuple):
        return key[0], key[1]
    assert isinstance(key, str)
    return (key, None) if key in SEX else (None, key)


def _category(key: Hashable) -> str:
    sex, race = _parts(key)
    return f"{race} / {sex}" if sex and race else str(sex or race)


def _percent(value: Fraction) -> str:
    return f"{float(value) * 100:g}%"


def _config(
    config: LL144Config,
    metadata: AuditMetadata,
    mode: Mode,
    median_n: int | None,
    n_total: int,
    remapped: dict[str, dict[str, list[int]]],
) -> dict[str, Any]:
    threshold = config.exclusion_threshold
    return {
        "rule": f"NYC Local Law 144; {RULE}(b) selection / (c) scoring",
        "mode": mode,
        "rate": "selected / n"
        if mode == "selection"
        else "people scoring strictly above the median / n (a score equal to the median is not above)",
        "sample_size": n_total,
        "median_sample": None
        if mode == "selection"
        else (
            "everyone assessed, unknown categories included"
            if config.unknown_in_median
            else "only people with a known sex and race/ethnicity"
        ),
        "unknown_in_median": config.unknown_in_median,
        "median_n": median_n,
        "categories": {"sex": list(SEX), "race_ethnicity": list(RACE_ETHNICITY)},
        "unknown_values": ["(blank)", "Unknown"],
        "strict_categories": config.strict,
        "read_as_unknown": {dim: {v: len(r) for v, r in values.items()} for dim, values in remapped.items()},
        "tables": "sex, race/ethnicity and intersectional computed independently; people with an unknown "
        "category are left out of that table's rates and counted under 'unknown'",
        "impact_ratio": "rate / the highest rate among the table's categories that are not excluded",
        "exclusion_threshold": float(threshold),
        "exclusion_threshold_exact": f"{threshold.numerator}/{threshold.denominator}",
        "exclusion_base": config.exclusion_base,
        "exclusion_rule": "off"
        if not threshold
        else f"categories under {_percent(threshold)} of the "
        + (
            "whole audit sample"
            if config.exclusion_base == "sample"
            else "table's people with a known category"
        )
        + f" get no impact ratio ({RULE}(d)) but are still reported with their count and rate",
        "threshold_note": "LL144 sets no pass/fail threshold; 0.8 is marked only as the UGESP four-fifths "
        "convention",
        "audit": metadata.as_dict(),
    }
