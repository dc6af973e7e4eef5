"""Geometry of the calibration page's inline-SVG charts. Pure module, no Django: the functions return
coordinates and labels, templates only draw them.

- `alpha_chart`: Krippendorff's alpha per competency as a dot on a 0..1 axis (extended below 0 when an
  alpha is negative) over the interpretation bands: unreliable (< 0.667), tentative (0.667-0.800) and
  reliable (>= 0.800).
- `severity_chart`: each rater's mean deviation from their co-raters as a dot with a 95% error bar
  (mean +- 1.96 standard errors), a line at 0 and dashed lines at the severity threshold.
- `trend_chart`: each rater's mean deviation per period as a line over time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

CHART_VERSION = "calibration-charts-2026.11.1"
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7f3c8d", "#4d4d4d")
Z95 = 1.96
MAX_EXTENT = 3.0  # deviations are differences of 1-4 levels: never more than 3 points


def _r(x: float) -> float:
    return round(x, 1)


def _label_width(labels: Sequence[str], low: int = 110, high: int = 260) -> int:
    longest = max((len(label) for label in labels), default=10)
    return max(low, min(high, round(longest * 6.8)))  # about 6.8 px a character at 12 px


def _fmt(x: float) -> str:
    return f"{x:+.2f}" if x else "0"


# ------------------------------------------------------------------------------------------ alpha


@dataclass(frozen=True)
class AlphaBar:
    label: str
    alpha: float | None
    interpretation: str | None  # reliable / tentative / unreliable / None
    note: str  # the value as text, or why there is none


def alpha_chart(
    rows: Sequence[AlphaBar], *, reliable: float = 0.8, tentative: float = 0.667, plot_w: int = 360
) -> dict[str, Any]:
    """Dots of alpha per competency over the three interpretation bands."""
    row_h, pad_top, pad_bottom = 28, 26, 22
    label_w = _label_width([r.label for r in rows])
    lowest = min((r.alpha for r in rows if r.alpha is not None), default=0.0)
    lo = max(-1.0, math.floor(min(0.0, lowest) * 5) / 5)  # down to the next 0.2 below a negative alpha
    hi = 1.0
    x0 = label_w + 14

    def x(value: float) -> float:
        return _r(x0 + (min(max(value, lo), hi) - lo) / (hi - lo) * plot_w)

    height = pad_top + max(1, len(rows)) * row_h + pad_bottom
    bottom = height - pad_bottom
    bands = [
        {"kind": "unreliable", "x": x(lo), "w": _r(x(tentative) - x(lo)), "label": "unreliable"},
        {"kind": "tentative", "x": x(tentative), "w": _r(x(reliable) - x(tentative)), "label": "tentative"},
        {"kind": "reliable", "x": x(reliable), "w": _r(x(hi) - x(reliable)), "label": "reliable"},
    ]
    for band in bands:
        band["label_x"] = _r(float(band["x"]) + float(band["w"]) / 2)  # type: ignore[arg-type]
    ticks = sorted({lo, 0.0, tentative, reliable, hi})
    out_rows = []
    for i, row in enumerate(rows):
        y = pad_top + i * row_h + row_h / 2
        out_rows.append(
            {
                "label": row.label,
                "y": _r(y),
                "text_y": _r(y + 4),
                "has_value": row.alpha is not None,
                "x": x(row.alpha) if row.alpha is not None else None,
                "value_x": _r((x(row.alpha) if row.alpha is not None else x0) + 10),
                "kind": row.interpretation or "none",
                "note": row.note,
            }
        )
    return {
        "width": x0 + plot_w + 150,
        "height": height,
        "x0": x0,
        "x1": _r(x0 + plot_w),
        "top": pad_top - 6,
        "bottom": bottom,
        "band_h": bottom - (pad_top - 6),
        "label_x": label_w,
        "band_label_y": pad_top - 10,
        "tick_y": bottom + 14,
        "bands": bands,
        "ticks": [{"x": x(t), "label": f"{t:.3g}"} for t in ticks],
        "zero_x": x(0.0),
        "rows": out_rows,
    }


# ------------------------------------------------------------------------------------------ severity


@dataclass(frozen=True)
class SeverityDot:
    label: str
    mean: float | None
    se: float | None
    n: int
    direction: str  # lenient / severe / neutral
    flagged: bool


def _extent(values: Sequence[float]) -> float:
    """A symmetric axis half-width: at least 1 point, the largest |value| rounded up to 0.5, at most 3."""
    biggest = max((abs(v) for v in values if math.isfinite(v)), default=0.0)
    return min(MAX_EXTENT, max(1.0, math.ceil(biggest * 2) / 2))


def severity_chart(
    rows: Sequence[SeverityDot], *, threshold: float = 0.5, plot_w: int = 380
) -> dict[str, Any]:
    """A dot per rater at the mean deviation with a 95% error bar; 0 in the middle, severe to the left."""
    row_h, pad_top, pad_bottom = 28, 26, 24
    label_w = _label_width([r.label for r in rows], high=240)
    reach = [abs(r.mean) + Z95 * (r.se or 0.0) for r in rows if r.mean is not None]
    extent = _extent(reach)
    x0 = label_w + 14

    def x(value: float) -> float:
        return _r(x0 + (max(-extent, min(extent, value)) + extent) / (2 * extent) * plot_w)

    height = pad_top + max(1, len(rows)) * row_h + pad_bottom
    bottom = height - pad_bottom
    out_rows = []
    for i, row in enumerate(rows):
        y = pad_top + i * row_h + row_h / 2
        item: dict[str, Any] = {
            "label": row.label,
            "y": _r(y),
            "text_y": _r(y + 4),
            "has_value": row.mean is not None,
            "kind": ("flagged-" + row.direction) if row.flagged else row.direction,
            "n": row.n,
        }
        if row.mean is not None:
            item["x"] = x(row.mean)
            item["text"] = f"{_fmt(row.mean)} (n={row.n})"
            if row.se is not None:
                low, high = row.mean - Z95 * row.se, row.mean + Z95 * row.se
                item |= {
                    "has_bar": True,
                    "bar_x1": x(low),
                    "bar_x2": x(high),
                    "cap_y1": _r(y - 5),
                    "cap_y2": _r(y + 5),
                    "ci_text": f"95% interval {low:+.2f} to {high:+.2f}",
                }
            else:
                item |= {"has_bar": False, "ci_text": "one overlapping rating: no interval"}
        else:
            item["text"] = "no candidate rated by another interviewer too"
        out_rows.append(item)
    step = 0.5 if extent <= 1.5 else 1.0
    ticks = [k * step for k in range(-int(extent / step), int(extent / step) + 1)]
    return {
        "width": x0 + plot_w + 200,
        "height": height,
        "x0": x0,
        "x1": _r(x0 + plot_w),
        "label_x": label_w,
        "top": pad_top - 6,
        "bottom": bottom,
        "tick_y": bottom + 14,
        "zero_x": x(0.0),
        "threshold_lo_x": x(-threshold),
        "threshold_hi_x": x(threshold),
        "value_x": _r(x0 + plot_w + 10),
        "severe_label_x": x0,
        "lenient_label_x": _r(x0 + plot_w),
        "header_y": pad_top - 10,
        "ticks": [{"x": x(t), "label": _fmt(t)} for t in ticks],
        "rows": out_rows,
        "extent": extent,
    }


# ------------------------------------------------------------------------------------------ trend


@dataclass(frozen=True)
class TrendPoint:
    period: str  # "2025-03" or "2025-Q1"; sorts chronologically
    mean: float
    n: int


@dataclass(frozen=True)
class TrendSeries:
    label: str
    points: tuple[TrendPoint, ...]


def trend_chart(
    series: Sequence[TrendSeries], *, threshold: float = 0.5, plot_w: int = 560, plot_h: int = 220
) -> dict[str, Any]:
    """One line per rater of mean deviation per period; periods evenly spaced in time order."""
    pad_l, pad_t, pad_b = 52, 16, 44
    periods = sorted({p.period for s in series for p in s.points})
    extent = _extent([p.mean for s in series for p in s.points])
    index = {p: i for i, p in enumerate(periods)}
    span = max(1, len(periods) - 1)

    def x(period: str) -> float:
        if len(periods) == 1:
            return _r(pad_l + plot_w / 2)
        return _r(pad_l + index[period] / span * plot_w)

    def y(value: float) -> float:
        return _r(pad_t + (extent - max(-extent, min(extent, value))) / (2 * extent) * plot_h)

    lines = []
    for i, s in enumerate(series):
        pts = sorted(s.points, key=lambda p: index[p.period])
        coords = [
            {
                "x": x(p.period),
                "y": y(p.mean),
                "title": f"{s.label}, {p.period}: {_fmt(p.mean)} (n={p.n})",
            }
            for p in pts
        ]
        lines.append(
            {
                "label": s.label,
                "color": PALETTE[i % len(PALETTE)],
                "points": coords,
                "path": " ".join(f"{c['x']},{c['y']}" for c in coords),
            }
        )
    every = max(1, math.ceil(len(periods) / 10))  # at most about ten period labels
    ticks = [k * (0.5 if extent <= 1.5 else 1.0) for k in range(-6, 7)]
    return {
        "width": pad_l + plot_w + 24,
        "height": pad_t + plot_h + pad_b,
        "x0": pad_l,
        "x1": pad_l + plot_w,
        "top": pad_t,
        "bottom": pad_t + plot_h,
        "zero_y": y(0.0),
        "threshold_hi_y": y(threshold),
        "threshold_lo_y": y(-threshold),
        "y_ticks": [
            {"y": y(t), "text_y": _r(y(t) + 4), "label": _fmt(t)} for t in ticks if -extent <= t <= extent
        ],
        "y_label_x": pad_l - 6,
        "x_ticks": [
            {"x": x(p), "label": p} for i, p in enumerate(periods) if i % every == 0 or i == len(periods) - 1
        ],
        "x_label_y": pad_t + plot_h + 16,
        "lines": lines,
        "periods": periods,
        "extent": extent,
    }
