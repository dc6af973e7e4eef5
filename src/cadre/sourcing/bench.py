"""`cadre bench import`: records/s for resume files and conference author rows.

Runs on whatever database is current (the bench command hands it a scratch one). Resumes are
generated (TXT and JSON Resume; PDF too when reportlab is installed); conference rows come from the
accepted-paper lists in ../shared/data/conferences when present.
"""

from __future__ import annotations

import io
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cadre.resolution.services import run_dedup
from cadre.sourcing.importers.conference import ConferenceImporter
from cadre.sourcing.importers.resume import ResumeImporter

CONFERENCES = (("neurips2024.json", "NeurIPS"), ("icml2024.json", "ICML"), ("cvpr2024.json", "CVPR"))
SKILLS = ("Python", "PyTorch", "Kubernetes", "JAX", "Spark", "SQL", "CUDA", "MLflow", "Airflow", "TensorFlow")


def _resume_text(i: int) -> str:
    skills = ", ".join(SKILLS[j % len(SKILLS)] for j in range(i, i + 4))
    return (
        f"Candidate Number{i:05d}\nML Engineer\ncand{i}@bench.example | github.com/bench-cand{i}\n\n"
        f"Experience\nML Engineer, Company {i % 97}, 2019 - Present\n- Built models with {skills}\n"
        f"Data Scientist at Startup {i % 13}, 2015 - 2019\n- SQL and Python analytics\n\n"
        f"Education\nMSc Computer Science, University {i % 31}, 2015\n\nSkills\n{skills}\n"
    )


def _pdf(text: str) -> bytes | None:
    try:
        from reportlab.pdfgen import canvas
    except ImportError:
        return None
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    y = 800
    for line in text.splitlines():
        c.drawString(72, y, line)
        y -= 14
    c.save()
    return buf.getvalue()


def write_resumes(folder: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        text = _resume_text(i)
        kind = i % 3
        if kind == 1:
            name = text.splitlines()[0]
            data: dict[str, Any] = {
                "basics": {"name": name, "email": f"cand{i}@bench.example"},
                "skills": [{"name": "ML", "keywords": list(SKILLS[i % 5 : i % 5 + 4])}],
            }
            path = folder / f"r{i}.json"
            path.write_text(json.dumps(data))
        elif kind == 2 and (pdf := _pdf(text)) is not None:
            path = folder / f"r{i}.pdf"
            path.write_bytes(pdf)
        else:
            path = folder / f"r{i}.txt"
            path.write_text(text)
        paths.append(path)
    return paths


def run_import_bench(
    *, resumes: int, conferences_dir: Path | None, report: Callable[[str, int, int], None]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="cadre-bench-import-") as tmp:
        paths = write_resumes(Path(tmp), resumes)
        start = time.perf_counter()
        rep = ResumeImporter().run(paths, via="bench", progress=report, resolve=False)
        seconds = time.perf_counter() - start
    result["resumes"] = {
        "files": resumes,
        "created": rep.created,
        "errors": len(rep.errors),
        "seconds": round(seconds, 2),
        "records_per_s": round(resumes / seconds, 1),
    }
    if conferences_dir is not None and conferences_dir.is_dir():
        # The budget: import the three files, then resolve identities across them (conference
        # imports leave resolution to one `dedup run`, see ConferenceImporter.resolve_on_import).
        total_rows, import_s, per_file = 0, 0.0, {}
        for name, venue in CONFERENCES:
            path = conferences_dir / name
            if not path.exists():
                continue
            start = time.perf_counter()
            rep = ConferenceImporter(venue=venue, year=2024).run([path], via="bench", progress=report)
            seconds = time.perf_counter() - start
            rows = rep.created + rep.updated + rep.skipped
            per_file[name] = {"author_rows": rows, "errors": len(rep.errors), "seconds": round(seconds, 2)}
            total_rows += rows
            import_s += seconds
        start = time.perf_counter()
        resolution = run_dedup(report=report) if total_rows else {}
        resolve_s = time.perf_counter() - start
        total_s = import_s + resolve_s
        result["conference"] = {
            "files": per_file,
            "author_rows": total_rows,
            "import_seconds": round(import_s, 2),
            "resolution_seconds": round(resolve_s, 2),
            "seconds": round(total_s, 2),
            "records_per_s": round(total_rows / import_s, 1) if import_s else 0.0,
            "merged": resolution.get("merged", 0),
            "review": resolution.get("review", 0),
            "people_after": resolution.get("people", 0),
        }
    return result
