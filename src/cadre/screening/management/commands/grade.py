"""`cadre grade TASK_ID PREDICTIONS.csv [--json]`: grade a predictions file against an ML task's hidden
labels, exactly as a candidate's upload is graded (nothing is stored).

TASK_ID is a question id or slug (the latest version) of kind ml_task. Prints the metric, its value, the
points it earns, the number of rows scored and the grader version; an invalid file prints every problem
found and exits with status 1. Hidden labels are never printed: problems describe the uploaded file only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.screening import grading, scoring
from cadre.screening.models import Question


def _task(ref: str) -> Question:
    ref = ref.strip()
    qs = Question.objects.filter(kind=Question.Kind.ML_TASK)
    question = (
        qs.filter(pk=int(ref)).first() if ref.isdigit() else qs.filter(slug=ref).order_by("-version").first()
    )
    if question is None:
        known = (
            ", ".join(qs.order_by("slug").values_list("slug", flat=True).distinct()[:20])
            or "none (run `cadre screening load-bank`)"
        )
        raise CommandError(f"no ML task {ref!r}; ML tasks: {known}")
    return question


class Command(BaseCommand):
    help = "Grade a predictions CSV against an ML task's hidden labels (metric, score, n, version)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("task", help="ML task: question id or slug")
        parser.add_argument("predictions", help='predictions CSV ("-" reads standard input)')
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **opts: Any) -> None:
        question = _task(opts["task"])
        spec = grading.TaskSpec.from_config(question.spec["grading"])
        labels = grading.parse_labels(bytes(question.hidden_data or b""), spec)
        base: dict[str, Any] = {
            "task": question.slug,
            "task_id": question.pk,
            "task_version": question.version,
            "metric": spec.metric,
            "version": grading.GRADING_VERSION,
        }
        try:
            result = self._grade(opts["predictions"], spec, labels)
        except grading.InvalidFileError as exc:
            if opts["json"]:
                self.stdout.write(json.dumps({**base, "valid": False, "errors": exc.to_dict()}))
            else:
                self.stderr.write(str(exc))
            raise CommandError("the predictions file is invalid", returncode=1) from exc
        floor, target = float(question.spec["scoring"]["floor"]), float(question.spec["scoring"]["target"])
        points = scoring.task_points(result.score, floor, target)
        out = {
            **base,
            "valid": True,
            "score": result.score,
            "points": points,
            "n": result.n,
            "direction": result.direction,
            "floor": floor,
            "target": target,
            "predictions_digest": result.predictions_digest,
            "notes": list(result.explanation.get("notes", [])),
            "computed_with": result.explanation.get("computed_with", ""),
        }
        if opts["json"]:
            self.stdout.write(json.dumps(out))
            return
        title = result.explanation.get("title", spec.metric)
        self.stdout.write(
            f"{question.slug} v{question.version}: {title} = {result.score:.6f} "
            f"({result.direction} is better) on {result.n} rows\n"
            f"points: {points:.4f} (0 at {floor}, 1 at {target})\n"
            f"grader {grading.GRADING_VERSION} · {out['computed_with']}"
        )
        for note in out["notes"]:
            self.stdout.write(f"note: {note}")

    def _grade(self, path: str, spec: grading.TaskSpec, labels: grading.HiddenLabels) -> grading.GradeResult:
        if path == "-":
            return grading.grade_submission(sys.stdin.buffer, labels, spec)
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"no such file: {path}")
        with file.open("rb") as handle:
            return grading.grade_submission(handle, labels, spec, declared_size=file.stat().st_size)
