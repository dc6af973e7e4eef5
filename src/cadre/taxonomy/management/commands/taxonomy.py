"""`cadre taxonomy load [FILE]`: load the shipped AI role and skills ontology (or FILE) into the database."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.taxonomy.seed import load_ontology_file


class Command(BaseCommand):
    help = "Load the role and skills ontology (idempotent: rows are updated by slug, never deleted)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])
        parser.add_argument("file", nargs="?", help="ontology JSON (default: the one shipped with Cadre)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            counts = load_ontology_file(opts["file"])
        except FileNotFoundError as exc:
            raise CommandError(f"no such file: {exc.filename}") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"not a valid ontology file: {exc!r}") from exc
        if opts["json"]:
            self.stdout.write(json.dumps(counts))
        else:
            self.stdout.write(
                f"ontology {counts['version']}: {counts['skills']} skills, {counts['role_families']} role "
                f"families, {counts['competencies']} competencies, {counts['platforms']} platforms"
            )
