"""`cadre audit adverse-impact|ll144 FILE.csv ...`: adverse-impact statistics and NYC Local Law 144 bias
audits of any CSV file.

    cadre audit adverse-impact FILE.csv --group-col COL [--group-col COL2] --selected-col COL [--json]
    cadre audit ll144 FILE.csv (--selected-col COL | --score-col COL) [--json] [--csv OUT] [--pdf OUT]
        [--html OUT] [--data-source TEXT] [--distribution-date YYYY-MM-DD] [--tool NAME]
        [--no-unknown-in-median] [--lenient] ...

Rows are numbered as lines of the file (the header is row 1). Selected values are 1/0, true/false or
yes/no (any case); scores must be numbers. A file with one group only gives a report whose "warnings"
say impact ratios are not meaningful, rather than an error.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from cadre.compliance import adverse_impact, ll144, reports
from cadre.core import console

TRUE_VALUES = {"1", "true", "yes"}
FALSE_VALUES = {"0", "false", "no"}
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
MAX_LISTED = 10  # rows named in one error message


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date; use YYYY-MM-DD") from None


_iso_date.__name__ = "date (YYYY-MM-DD)"  # argparse names the type in its error message


def _percent(text: str) -> Fraction:
    if not NUMBER.fullmatch(text.strip()):
        raise ValueError(text)
    return Fraction(Decimal(text.strip())) / 100


_percent.__name__ = "percentage"


class Command(BaseCommand):
    help = "Adverse-impact statistics and NYC Local Law 144 bias audits of a CSV file."
    requires_system_checks: list[str] = []  # reads only the given file

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{adverse-impact,ll144}")
        ai = sub.add_parser(
            "adverse-impact",
            help="selection rates, impact ratios (four-fifths), z and Fisher tests per group",
        )
        ai.add_argument("file", type=Path)
        ai.add_argument(
            "--group-col",
            action="append",
            required=True,
            metavar="COL",
            help="the group column; repeat it to group by the intersection of several columns",
        )
        ai.add_argument("--selected-col", required=True, metavar="COL", help="1/0, true/false or yes/no")
        ai.add_argument("--json", action="store_true", help="print the report as JSON")

        aud = sub.add_parser("ll144", help="NYC Local Law 144 bias audit (columns sex and race_ethnicity)")
        aud.add_argument("file", type=Path)
        outcome = aud.add_mutually_exclusive_group(required=True)
        outcome.add_argument("--selected-col", metavar="COL", help="selection mode: 1/0, true/false, yes/no")
        outcome.add_argument("--score-col", metavar="COL", help="scoring mode: numeric scores")
        aud.add_argument("--json", action="store_true", help="print the report as JSON")
        aud.add_argument("--csv", type=Path, metavar="OUT", help="write the public-summary CSV")
        aud.add_argument("--pdf", type=Path, metavar="OUT", help="write the report as PDF")
        aud.add_argument("--html", type=Path, metavar="OUT", help="write the report as an HTML page")
        aud.add_argument("--data-source", default="", metavar="TEXT", help="where the data comes from")
        aud.add_argument("--distribution-date", type=_iso_date, metavar="YYYY-MM-DD")
        aud.add_argument("--audit-date", type=_iso_date, metavar="YYYY-MM-DD", help="default: today")
        aud.add_argument("--tool", default="Cadre", metavar="NAME", help="the audited tool's name")
        aud.add_argument("--tool-version", default=None, metavar="V", help="default: Cadre's version")
        aud.add_argument("--auditor", default="", metavar="NAME")
        aud.add_argument(
            "--no-unknown-in-median",
            action="store_true",
            help="take the median over people with a known sex and race/ethnicity only",
        )
        aud.add_argument(
            "--lenient", action="store_true", help="count unrecognised category names as unknown"
        )
        aud.add_argument(
            "--exclude-below",
            type=_percent,
            default=ll144.DEFAULT_EXCLUSION,
            metavar="PERCENT",
            help="categories under this share get no impact ratio (default 2; 0 = never exclude)",
        )
        aud.add_argument(
            "--exclusion-base",
            choices=["sample", "dimension"],
            default="sample",
            help="the 2%% is of the whole sample (default) or of the table's people with a known category",
        )
        aud.add_argument("--sex-col", default="sex", metavar="COL")
        aud.add_argument("--race-col", default="race_ethnicity", metavar="COL")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "adverse-impact":
            self._adverse_impact(opts)
        else:
            self._ll144(opts)

    # --- adverse-impact -------------------------------------------------------------------------------

    def _adverse_impact(self, opts: dict[str, Any]) -> None:
        path: Path = opts["file"]
        wanted = [*opts["group_col"], opts["selected_col"]]
        columns, rows = read_csv(path, wanted)
        group_cols = [columns[c] for c in opts["group_col"]]
        selected_col = columns[opts["selected_col"]]
        selected = parse_selected(rows, selected_col)
        pairs = []
        for (_, record), chosen in zip(rows, selected, strict=True):
            parts = [record.get(c, "").strip() for c in group_cols]
            unknown = any(p == "" or p.casefold() == "unknown" for p in parts)
            pairs.append((None if unknown else " / ".join(parts), chosen))
        counts, n_unknown = adverse_impact.tally(pairs)
        counts = dict(sorted(counts.items()))
        report: dict[str, Any] = {
            "file": str(path),
            "group_cols": group_cols,
            "selected_col": selected_col,
            "rows": len(rows),
        } | adverse_impact.adverse_impact_report(counts, unknown=n_unknown)
        if opts["json"]:
            self.stdout.write(json.dumps(report))
            return
        table = Table(
            title=f"Adverse impact by {' × '.join(group_cols)} ({selected_col}), {path.name}",
            title_justify="left",
        )
        for name, justify in (
            ("Group", "left"),
            ("Selected", "right"),
            ("Total", "right"),
            ("Rate", "right"),
            ("Impact ratio", "right"),
            ("< 4/5", "center"),
            ("z", "right"),
            ("p (z)", "right"),
            ("p (Fisher)", "right"),
            ("Warnings", "left"),
        ):
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        for g in report["groups"]:
            ratio = "—" if g["impact_ratio"] is None else f"{g['impact_ratio']:.4f}"
            table.add_row(
                g["group"] + (" (reference)" if g["reference"] else ""),
                str(g["selected"]),
                str(g["total"]),
                "—" if g["rate"] is None else f"{g['rate']:.4f}",
                f"[bold red]{ratio}[/]" if g["below_four_fifths"] else ratio,
                "yes" if g["below_four_fifths"] else "",
                _num(g["z"], ".3f"),
                _num(g["p_z"], ".4g"),
                _num(g["fisher_p"], ".4g"),
                "; ".join(g["warnings"]),
            )
        lines = [f"{n_unknown} row(s) with an unknown group were counted but left out of the rates."]
        lines += [f"[yellow]warning:[/] {w}" for w in report["warnings"]]
        self._rich(table, *lines)

    # --- ll144 -------------------------------------------------------------------------------------------

    def _ll144(self, opts: dict[str, Any]) -> None:
        path: Path = opts["file"]
        outcome_col = opts["selected_col"] or opts["score_col"]
        columns, rows = read_csv(path, [opts["sex_col"], opts["race_col"], outcome_col])
        sex_col, race_col, outcome_col = (
            columns[opts["sex_col"]],
            columns[opts["race_col"]],
            columns[outcome_col],
        )
        sexes = [record.get(sex_col, "") for _, record in rows]
        races = [record.get(race_col, "") for _, record in rows]
        numbers = [line for line, _ in rows]
        config = ll144.LL144Config(
            unknown_in_median=not opts["no_unknown_in_median"],
            exclusion_threshold=opts["exclude_below"],
            exclusion_base=opts["exclusion_base"],
            strict=not opts["lenient"],
        )
        meta = ll144.AuditMetadata(
            tool=opts["tool"],
            tool_version=opts["tool_version"] if opts["tool_version"] is not None else _cadre_version(),
            audit_date=opts["audit_date"],
            data_source=opts["data_source"] or f"CSV file {path.name} ({len(rows)} rows)",
            distribution_date=opts["distribution_date"],
            auditor=opts["auditor"],
        )
        try:
            if opts["selected_col"]:
                selected = parse_selected(rows, outcome_col)
                report = ll144.ll144_audit(
                    sexes, races, selected=selected, config=config, metadata=meta, rows=numbers
                )
            else:
                scores = parse_scores(rows, outcome_col)
                report = ll144.ll144_audit(
                    sexes, races, scores=scores, config=config, metadata=meta, rows=numbers
                )
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        report["config"]["input"] = {
            "file": path.name,
            "sex_column": sex_col,
            "race_ethnicity_column": race_col,
            "selected_column" if opts["selected_col"] else "score_column": outcome_col,
        }
        written = self._write_outputs(report, opts)
        if opts["json"]:
            self.stdout.write(json.dumps(report))
        else:
            self._print_ll144(report, path)
        for kind, out in written:
            self.stderr.write(f"wrote {kind} report to {out}")

    def _write_outputs(self, report: dict[str, Any], opts: dict[str, Any]) -> list[tuple[str, Path]]:
        written = []
        try:
            if opts["csv"]:
                with open(opts["csv"], "w", encoding="utf-8", newline="") as fh:
                    fh.write(reports.ll144_csv(report))
                written.append(("CSV", opts["csv"]))
            if opts["html"]:
                opts["html"].write_text(reports.ll144_html(report, full_page=True), encoding="utf-8")
                written.append(("HTML", opts["html"]))
            if opts["pdf"]:
                opts["pdf"].write_bytes(reports.ll144_pdf(report))
                written.append(("PDF", opts["pdf"]))
        except OSError as exc:
            raise CommandError(f"cannot write the report: {exc}") from exc
        return written

    def _print_ll144(self, report: dict[str, Any], path: Path) -> None:
        audit = report["config"]["audit"]
        mode_label = reports.MODE_LABELS[report["mode"]]
        head = [
            f"[bold]LL144 bias audit[/] of {audit['tool']} {audit['tool_version']}".rstrip()
            + f" — {path.name}, {report['config']['sample_size']} people, {report['mode']} mode",
            f"audit date {audit['audit_date']}; "
            f"distribution date {audit['distribution_date'] or 'not given'}; "
            f"data source: {audit['data_source']}",
        ]
        if report["median"] is not None:
            head.append(f"median score {report['median']:g} (scoring rate = share strictly above it)")
        tables = []
        for key in ll144.TABLES:
            table = Table(title=ll144.TABLE_LABELS[key], title_justify="left")
            table.add_column("Category")
            for name in ("n", "Selected" if report["mode"] == "selection" else "Above median"):
                table.add_column(name, justify="right")
            table.add_column(mode_label, justify="right")
            table.add_column("Impact ratio", justify="right")
            table.add_column("")
            for row in report["tables"][key]:
                ratio = row["impact_ratio"]
                shown = "—" if ratio is None else f"{ratio:.4f}"
                low = reports.below_four_fifths(ratio) and not row["excluded"]
                table.add_row(
                    row["category"],
                    str(row["n"]),
                    str(row["selected_or_above"]),
                    f"{row['rate']:.4f}",
                    f"[bold yellow]{shown}[/]" if low else shown,
                    "excluded" if row["excluded"] else ("< 0.8" if low else ""),
                )
            table.add_row(
                "[dim]Unknown (not in rates)[/]", f"[dim]{report['unknown'][key]}[/]", "", "", "", ""
            )
            tables.append(table)
        tail = [f"[dim]excluded:[/] {e['justification']}" for e in report["excluded"]]
        tail += [f"[yellow]warning:[/] {w}" for w in report.get("warnings", [])]
        self._rich(*head, *tables, *tail)

    def _rich(self, *renderables: Any) -> None:
        """Render with rich into this command's stdout (so call_command can capture it)."""
        buf = io.StringIO()
        Console(file=buf, width=console.stdout.width, force_terminal=console.stdout.is_terminal).print(
            *renderables, sep="\n"
        )
        self.stdout.write(buf.getvalue(), ending="")


# --- reading the file ----------------------------------------------------------------------------------


def read_csv(path: Path, wanted: list[str]) -> tuple[dict[str, str], list[tuple[int, dict[str, str]]]]:
    """({asked name: header name}, [(row number, {header: value})]) from a UTF-8 CSV file. Column names
    match exactly, else ignoring case and surrounding spaces. Blank lines are skipped."""
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CommandError(
            f"{path}: not UTF-8 text (undecodable byte 0x{raw[exc.start]:02x} on line {line}); "
            "save the file as UTF-8 CSV"
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise CommandError(f"{path}: the file is empty; it needs a header row naming its columns")
        header = [h.strip() for h in header]
        columns: dict[str, str] = {}
        missing = []
        for name in wanted:
            if name in header:
                columns[name] = name
                continue
            folded = [h for h in header if h.casefold() == name.strip().casefold()]
            if folded:
                columns[name] = folded[0]
            else:
                missing.append(name)
        if missing:
            raise CommandError(
                f"{path}: missing column{'s' if len(missing) > 1 else ''} "
                + ", ".join(repr(m) for m in dict.fromkeys(missing))
                + "; the file has: "
                + ", ".join(repr(h) for h in header)
            )
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            rows.append((reader.line_num, dict(zip(header, values, strict=False))))
    except csv.Error as exc:
        raise CommandError(f"{path}: line {reader.line_num}: malformed CSV ({exc})") from exc
    if not rows:
        raise CommandError(f"{path}: no data rows under the header")
    return columns, rows


def _listed(bad: list[tuple[int, str]]) -> str:
    shown = ", ".join(
        f"row {line} has {value!r}" if value else f"row {line} is blank" for line, value in bad[:MAX_LISTED]
    )
    return shown + (f" and {len(bad) - MAX_LISTED} more" if len(bad) > MAX_LISTED else "")


def parse_selected(rows: list[tuple[int, dict[str, str]]], column: str) -> list[bool]:
    out, bad = [], []
    for line, record in rows:
        value = (record.get(column) or "").strip()
        if value.casefold() in TRUE_VALUES:
            out.append(True)
        elif value.casefold() in FALSE_VALUES:
            out.append(False)
        else:
            bad.append((line, value))
    if bad:
        raise CommandError(f"column {column!r} must be 1/0, true/false or yes/no: {_listed(bad)}")
    return out


def parse_scores(rows: list[tuple[int, dict[str, str]]], column: str) -> list[Fraction]:
    out, bad = [], []
    for line, record in rows:
        value = (record.get(column) or "").strip()
        if NUMBER.fullmatch(value):
            out.append(Fraction(Decimal(value)))
        else:
            bad.append((line, value))
    if bad:
        raise CommandError(f"column {column!r} must hold numeric scores: {_listed(bad)}")
    return out


def _num(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def _cadre_version() -> str:
    try:
        return importlib_metadata.version("cadre")
    except importlib_metadata.PackageNotFoundError:
        return ""
