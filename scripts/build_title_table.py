"""Build the job-title table shipped for title normalisation (src/cadre/taxonomy/data/onet_titles.tsv).

Reads O*NET 29.2 "Alternate Titles" and "Sample of Reported Titles" from ../shared/data/onet at BUILD
time only; the app reads the small derived TSV, never ../shared. Run from the repository root:

    python scripts/build_title_table.py [--onet ../shared/data/onet]

One title in five (by a stable hash of its normalised text, so every row of that title goes the same
way) is held out of the shipped table; `cadre bench titles` measures on exactly those held-out titles,
recomputing the split with `cadre.taxonomy.titles.is_held_out`.

Attribution: O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training
Administration (USDOL/ETA), used under the CC BY 4.0 license. Cadre selected occupations, split
parenthetical variants and held out a test fifth; USDOL/ETA has not approved this derived table.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cadre.taxonomy.titles import TITLE_OCCUPATIONS, is_held_out, normalise_text  # noqa: E402

OUT = ROOT / "src" / "cadre" / "taxonomy" / "data" / "onet_titles.tsv"
HEADER = (
    "# Derived from the O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training "
    "Administration (USDOL/ETA), CC BY 4.0. Modified by Cadre (selected occupations, split variants, "
    "held-out fifth removed); not endorsed by USDOL/ETA. Built by scripts/build_title_table.py.\n"
)


def variants(title: str) -> list[str]:
    """'AI Engineer (Artificial Intelligence Engineer)' -> both spellings."""
    match = re.fullmatch(r"(.*?)\s*\((.*)\)\s*", title)
    if not match:
        return [title.strip()]
    return [match.group(1).strip(), match.group(2).strip()]


def read_rows(onet: Path) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    sources = (
        ("Occupation Data.txt", "Title", "O"),
        ("Alternate Titles.txt", "Alternate Title", "A"),
        ("Sample of Reported Titles.txt", "Reported Job Title", "R"),
    )
    for filename, column, source in sources:
        with (onet / filename).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                code = row["O*NET-SOC Code"]
                if code in TITLE_OCCUPATIONS:
                    rows.extend((v, code, source) for v in variants(row[column]) if v)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onet", type=Path, default=ROOT.parent / "shared" / "data" / "onet")
    args = parser.parse_args()
    seen: set[tuple[str, str]] = set()
    kept: list[tuple[str, str, str]] = []
    held = 0
    for title, code, source in read_rows(args.onet):
        key = normalise_text(title)
        # Occupation names themselves always ship: they anchor each occupation.
        if source != "O" and is_held_out(key):
            held += 1
            continue
        if (key, code) in seen:
            continue
        seen.add((key, code))
        kept.append((title, code, source))
    kept.sort(key=lambda r: (r[1], r[0].lower()))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        fh.write("title\tonet_code\tsource\n")
        for row in kept:
            fh.write("\t".join(row) + "\n")
    print(
        f"wrote {len(kept)} titles to {OUT.relative_to(ROOT)} ({OUT.stat().st_size:,} bytes); held out {held}"
    )


if __name__ == "__main__":
    main()
