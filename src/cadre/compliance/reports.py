"""The LL144 bias-audit report (a dict from `ll144.ll144_audit`) as CSV, HTML and PDF.

Each carries what a public summary needs (6 RCNY §5-303): audit date, tool and distribution date, the
source of the data, counts, selection or scoring rates and impact ratios for every category, the number
of people in unknown categories, and the justification of any §5-301(d) exclusion.

The 0.8 line and the highlighting of ratios below it follow the UGESP four-fifths convention; LL144
itself has no pass/fail threshold. Ratios are compared with 4/5 exactly, on the reported 6-place value.
"""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cadre.compliance.ll144 import FOUR_FIFTHS, TABLE_LABELS, TABLES
from cadre.core.csvsafe import safe_cell

CSV_FIELDS = (
    "audit_date",
    "tool",
    "tool_version",
    "distribution_date",
    "data_source",
    "auditor",
    "mode",
    "median",
    "sample_size",
    "table",
    "category",
    "sex",
    "race_ethnicity",
    "n",
    "selected_or_above",
    "rate",
    "impact_ratio",
    "excluded",
    "note",
)
UNKNOWN_NOTE = "unknown category: counted, left out of rates and impact ratios (6 RCNY §5-301(b)(5))"
MODE_LABELS = {"selection": "Selection rate", "scoring": "Scoring rate"}
INDIGO, AMBER, GREY, RED = (colors.HexColor(c) for c in ("#4450d6", "#b45309", "#98a2b3", "#c0362c"))


def below_four_fifths(ratio: float | None) -> bool:
    return ratio is not None and Fraction(str(ratio)) < FOUR_FIFTHS


def _audit(report: dict[str, Any]) -> dict[str, Any]:
    return dict(report.get("config", {}).get("audit", {}))


def _justifications(report: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {(e["table"], e["category"]): e["justification"] for e in report.get("excluded", [])}


# --- CSV -----------------------------------------------------------------------------------------------


def _write(writer: csv.DictWriter[str], row: dict[str, Any]) -> None:
    """Text cells (categories, auditor, data source, notes) escaped against spreadsheet formulas; numbers
    (counts, rates, ratios) left numeric (core.csvsafe)."""
    writer.writerow({k: safe_cell(v) for k, v in row.items()})


def ll144_csv(report: dict[str, Any]) -> str:
    """One row per category of each table, then one "Unknown" row per table; every row repeats the
    audit metadata so the file stands on its own."""
    audit = _audit(report)
    head = {
        "audit_date": audit.get("audit_date") or "",
        "tool": audit.get("tool") or "",
        "tool_version": audit.get("tool_version") or "",
        "distribution_date": audit.get("distribution_date") or "",
        "data_source": audit.get("data_source") or "",
        "auditor": audit.get("auditor") or "",
        "mode": report["mode"],
        "median": "" if report.get("median") is None else report["median"],
        "sample_size": report.get("config", {}).get("sample_size", ""),
    }
    notes = _justifications(report)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for table in TABLES:
        for row in report["tables"][table]:
            _write(
                writer,
                head
                | {
                    "table": table,
                    "category": row["category"],
                    "sex": row["sex"] or "",
                    "race_ethnicity": row["race_ethnicity"] or "",
                    "n": row["n"],
                    "selected_or_above": row["selected_or_above"],
                    "rate": row["rate"],
                    "impact_ratio": "" if row["impact_ratio"] is None else row["impact_ratio"],
                    "excluded": "yes" if row["excluded"] else "no",
                    "note": notes.get((table, row["category"]), ""),
                },
            )
        _write(
            writer,
            head
            | {
                "table": table,
                "category": "Unknown",
                "n": report["unknown"][table],
                "excluded": "yes",
                "note": UNKNOWN_NOTE,
            },
        )
    return out.getvalue()


# --- HTML ------------------------------------------------------------------------------------------------

_CHART = {"label_w": 250, "bar_w": 330, "row_h": 26, "bar_h": 16, "pad_top": 22, "pad_bottom": 8}


def ratio_chart(bars_in: list[tuple[str, float | None, str, str]]) -> dict[str, Any]:
    """Geometry of a horizontal bar chart of impact ratios (0 to 1) with a line at 0.8, as SVG
    coordinates (templates only draw). Each bar: (label, ratio or None, kind, text)."""
    c = dict(_CHART)
    longest = max((len(label) for label, *_rest in bars_in), default=10)
    c["label_w"] = max(120, min(360, round(longest * 6.6)))  # about 6.6 px a character at 12 px
    x0 = c["label_w"] + 10
    bars = []
    for i, (label, ratio, kind, text) in enumerate(bars_in):
        y = c["pad_top"] + i * c["row_h"]
        width = round(c["bar_w"] * min(ratio, 1.0), 1) if ratio is not None else 0
        bars.append(
            {
                "label": label,
                "y": y,
                "text_y": y + c["bar_h"] - 3,
                "width": width,
                "value_x": x0 + width + 6,
                "text": text,
                "kind": kind,
            }
        )
    height = c["pad_top"] + len(bars_in) * c["row_h"] + c["pad_bottom"]
    return {
        "width": x0 + c["bar_w"] + 90,
        "height": height,
        "x0": x0,
        "label_x": c["label_w"],
        "bar_h": c["bar_h"],
        "line_x": x0 + round(c["bar_w"] * 0.8, 1),
        "one_x": x0 + c["bar_w"],
        "axis_bottom": height - c["pad_bottom"],
        "bars": bars,
    }


def _chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    bars: list[tuple[str, float | None, str, str]] = []
    for row in rows:
        ratio = row["impact_ratio"]
        if row["excluded"]:
            bars.append((row["category"], ratio, "excluded", "excluded (small category)"))
        elif ratio is None:
            bars.append((row["category"], None, "none", "n/a"))
        else:
            bars.append((row["category"], ratio, "low" if below_four_fifths(ratio) else "ok", f"{ratio:.3f}"))
    return ratio_chart(bars)


def html_context(report: dict[str, Any]) -> dict[str, Any]:
    """Everything the template shows, precomputed (the template does no arithmetic)."""
    notes = _justifications(report)
    tables = []
    for key in TABLES:
        rows = [
            row
            | {
                "low": below_four_fifths(row["impact_ratio"]) and not row["excluded"],
                "note": notes.get((key, row["category"]), ""),
            }
            for row in report["tables"][key]
        ]
        tables.append(
            {
                "key": key,
                "label": TABLE_LABELS[key],
                "rows": rows,
                "unknown": report["unknown"][key],
                "chart": _chart(rows) if rows else None,
            }
        )
    config = report.get("config", {})
    return {
        "report": report,
        "audit": _audit(report),
        "mode_label": MODE_LABELS[report["mode"]],
        "tables": tables,
        "excluded": report.get("excluded", []),
        "warnings": report.get("warnings", []),
        "sample_size": config.get("sample_size"),
        "config_items": [
            (k.replace("_", " "), _plain(v)) for k, v in config.items() if k not in ("audit", "categories")
        ],
    }


def _plain(value: Any) -> Any:
    """Nested config values as readable text."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items()) or "none"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    return value


def ll144_html(report: dict[str, Any], *, full_page: bool = False) -> str:
    """The report as an HTML fragment (or, with full_page, a standalone document)."""
    from django.template.loader import render_to_string

    fragment = render_to_string("compliance/ll144_report.html", html_context(report))
    if not full_page:
        return fragment
    tool = escape(str(_audit(report).get("tool") or "AEDT"))
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Bias audit: {tool}</title>\n</head>\n"
        '<body style="margin:0;background:#f5f6f8">\n'
        f"{fragment}\n</body>\n</html>\n"
    )


# --- PDF ---------------------------------------------------------------------------------------------------


def ll144_pdf(report: dict[str, Any]) -> bytes:
    """The report as a PDF (reportlab): metadata, one table and bar chart per dimension, exclusions,
    unknowns, warnings and the configuration."""
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5)

    def p(text: Any, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape("" if text is None else str(text)), style)

    audit = _audit(report)
    mode_label = MODE_LABELS[report["mode"]]
    tool = " ".join(str(x) for x in (audit.get("tool") or "AEDT", audit.get("tool_version")) if x)
    story: list[Any] = [
        Paragraph(f"Bias audit: {escape(tool)}", styles["Title"]),
        p("NYC Local Law 144 (6 RCNY §§5-300–5-304): summary of results", styles["Italic"]),
        Spacer(1, 4 * mm),
    ]
    meta = [
        ("Audit date", audit.get("audit_date")),
        ("Tool", tool),
        ("Distribution date", audit.get("distribution_date") or "not given"),
        ("Data source", audit.get("data_source") or "not given"),
        ("Auditor", audit.get("auditor") or "not given"),
        ("Mode", f"{report['mode']} ({mode_label.lower()})"),
        ("Sample size", report.get("config", {}).get("sample_size")),
    ]
    if report.get("median") is not None:
        meta.append(("Median score (full sample)", report["median"]))
    meta_table = Table([[p(k, cell), p(v, cell)] for k, v in meta], colWidths=[45 * mm, 125 * mm])
    meta_table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f4f7")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#cfd4dc")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [meta_table, Spacer(1, 5 * mm)]
    for w in report.get("warnings", []):
        story.append(p(f"Warning: {w}", ParagraphStyle("warn", parent=body, textColor=AMBER)))

    for key in TABLES:
        rows = report["tables"][key]
        header = [
            "Category",
            "Applicants",
            "Selected" if report["mode"] == "selection" else "Above median",
            mode_label,
            "Impact ratio",
            "Excluded",
        ]
        data: list[list[Any]] = [[p(h, cell) for h in header]]
        low_rows = []
        for i, row in enumerate(rows, start=1):
            ratio = row["impact_ratio"]
            data.append(
                [
                    p(row["category"], cell),
                    row["n"],
                    row["selected_or_above"],
                    f"{row['rate']:.4f}",
                    "—" if ratio is None else f"{ratio:.4f}",
                    "yes" if row["excluded"] else "",
                ]
            )
            if below_four_fifths(ratio) and not row["excluded"]:
                low_rows.append(i)
        data.append([p("Unknown (not in rates)", cell), report["unknown"][key], "", "", "", ""])
        table = Table(data, colWidths=[60 * mm, 21 * mm, 24 * mm, 23 * mm, 22 * mm, 19 * mm], repeatRows=1)
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceefe")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#cfd4dc")),
            ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TEXTCOLOR", (0, len(data) - 1), (-1, len(data) - 1), colors.HexColor("#667085")),
        ]
        style += [("TEXTCOLOR", (4, i), (4, i), AMBER) for i in low_rows]
        table.setStyle(TableStyle(style))
        heading = Paragraph(escape(TABLE_LABELS[key]), styles["Heading2"])
        story += [KeepTogether([heading, table]), Spacer(1, 3 * mm)]
        if rows:
            story += [_pdf_chart(rows), Spacer(1, 4 * mm)]

    if report.get("excluded"):
        story.append(Paragraph("Excluded categories (6 RCNY §5-301(d))", styles["Heading2"]))
        for e in report["excluded"]:
            story.append(p(f"{TABLE_LABELS[e['table']]}: {e['justification']}", small))
    story.append(Paragraph("Configuration", styles["Heading2"]))
    for k, v in report.get("config", {}).items():
        if k not in ("audit", "categories"):
            story.append(p(f"{k.replace('_', ' ')}: {_plain(v)}", small))

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Bias audit: {audit.get('tool') or 'AEDT'}",
        author=str(audit.get("auditor") or "Cadre"),
        subject="NYC Local Law 144 bias audit",
    )
    doc.build(story)
    return buf.getvalue()


def _pdf_chart(rows: list[dict[str, Any]]) -> Drawing:
    label_w, bar_w, row_h, bar_h = 170, 250, 16, 10
    height = len(rows) * row_h + 16
    d = Drawing(label_w + bar_w + 70, height)
    x0 = label_w + 6
    for i, row in enumerate(rows):
        y = height - 14 - (i + 1) * row_h + 4
        ratio = row["impact_ratio"]
        d.add(String(label_w, y + 2, row["category"][:46], fontSize=7, textAnchor="end"))
        if row["excluded"] or ratio is None:
            d.add(String(x0 + 4, y + 2, "excluded" if row["excluded"] else "n/a", fontSize=7, fillColor=GREY))
            continue
        color = AMBER if below_four_fifths(ratio) else INDIGO
        width = bar_w * min(ratio, 1.0)
        d.add(Rect(x0, y, width, bar_h, fillColor=color, strokeColor=None))
        d.add(String(x0 + width + 4, y + 2, f"{ratio:.3f}", fontSize=7))
    line_x = x0 + bar_w * 0.8
    d.add(Line(line_x, 0, line_x, height - 10, strokeColor=RED, strokeDashArray=[3, 2]))
    d.add(String(line_x, height - 8, "0.8", fontSize=7, textAnchor="middle", fillColor=RED))
    d.add(Line(x0, 0, x0, height - 10, strokeColor=GREY, strokeWidth=0.5))
    return d
