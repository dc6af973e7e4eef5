"""Geometry of the small inline-SVG charts on the placement pages (templates only draw). Pure: no Django.

- `hour_chart`: where each billed hour goes — pay, employer burden, gross profit — as one stacked bar
  (a loss is drawn past the bill in the danger colour);
- `mix_chart`: placements by engagement type as horizontal bars.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

BAR_W = 520
BAR_H = 26


def hour_chart(bill: Decimal, pay: Decimal, burden: Decimal) -> dict[str, Any] | None:
    """Segments of one billed hour. Widths are scaled to max(bill, pay + burden) so a loss shows."""
    total = max(bill, pay + burden)
    if total <= 0:
        return None
    scale = Decimal(BAR_W) / total
    profit = bill - pay - burden
    parts = [("pay", "Pay", pay), ("burden", "Burden", burden)]
    if profit >= 0:
        parts.append(("profit", "Gross profit", profit))
    segments = []
    x = Decimal(0)
    for kind, label, amount in parts:
        width = amount * scale
        if width > 0:
            segments.append(
                {
                    "kind": kind,
                    "label": label,
                    "x": round(float(x), 1),
                    "width": round(float(width), 1),
                    "text": f"{label} {amount:.2f}",
                    "share": f"{(amount / bill * 100):.1f}%" if bill else "",
                    "mid": round(float(x + width / 2), 1),
                    "wide": width >= 70,
                }
            )
        x += width
    return {
        "width": BAR_W,
        "height": BAR_H + 22,
        "bar_h": BAR_H,
        "segments": segments,
        "bill_x": round(float(bill * scale), 1),
        "loss": profit < 0,
        "loss_text": f"Loss {(-profit):.2f} per hour" if profit < 0 else "",
    }


def mix_chart(rows: list[tuple[str, int]]) -> dict[str, Any] | None:
    """Horizontal bars of counts (label, n), scaled to the largest."""
    top = max((n for _, n in rows), default=0)
    if top == 0:
        return None
    label_w, bar_w, row_h = 130, 260, 24
    bars = []
    for i, (label, n) in enumerate(rows):
        width = round(bar_w * n / top, 1)
        y = 6 + i * row_h
        bars.append(
            {"label": label, "n": n, "y": y, "text_y": y + 14, "width": width, "value_x": label_w + width + 6}
        )
    return {"width": label_w + bar_w + 50, "height": 12 + len(rows) * row_h, "x0": label_w, "bars": bars}
