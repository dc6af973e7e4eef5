"""`cadre privacy export PERSON_ID [--out FILE]` and `cadre privacy erase PERSON_ID --reason TEXT --yes`:
a data-subject access export (JSON) and erasure, recorded in the audit log as the given user."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.compliance.privacy import erase_person, export_person, find_person
from cadre.core import audit
from cadre.core.exceptions import CadreError
from cadre.core.models import User
from cadre.core.roles import Role


class Command(BaseCommand):
    help = "Export everything held on a person as JSON, or erase (anonymise) a person."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{export,erase}")
        export = sub.add_parser("export", help="everything held on a person, as JSON")
        export.add_argument("person_id", type=int)
        export.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of stdout")
        erase = sub.add_parser(
            "erase",
            help="anonymise a person; applications, stage history and decision counts stay",
            description="Anonymise a person in one transaction: name, profile, identities, source "
            "payloads, files, facts, skills, preferences, self-identification, notes and decision "
            "explanations go; applications, stage events, notices and decision records (kind, version, "
            "score) stay, so audit counts survive. It cannot be undone.",
        )
        erase.add_argument("person_id", type=int)
        erase.add_argument("--reason", required=True, help="why (e.g. the request it answers)")
        erase.add_argument("--yes", action="store_true", help="confirm: erasure cannot be undone")
        for p in (export, erase):
            p.add_argument(
                "--as",
                dest="username",
                default="",
                help="the user to record in the audit log (default: an admin)",
            )

    def handle(self, *args: Any, **opts: Any) -> None:
        user = self._user(opts["username"])
        try:
            with audit.acting_as(user, "cli"):
                person = find_person(opts["person_id"])
                if opts["action"] == "export":
                    self._export(user, person, opts["out"])
                else:
                    if not opts["yes"]:
                        raise CommandError(
                            f"erasing person {person.pk} cannot be undone; add --yes to confirm"
                        )
                    result = erase_person(user, person, reason=opts["reason"])
                    self.stdout.write(json.dumps(result))
                    self.stderr.write(f"person {person.pk} erased")
        except CadreError as exc:
            raise CommandError(exc.message) from exc

    def _export(self, user: User, person: Any, out: Path | None) -> None:
        data = export_person(user, person)
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if out is None:
            self.stdout.write(text)
            return
        try:
            out.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc}") from exc
        self.stderr.write(f"wrote the export of person {person.pk} to {out}")

    def _user(self, username: str) -> User:
        qs = User.objects.filter(is_active=True)
        user = qs.filter(username=username).first() if username else qs.filter(role=Role.ADMIN).first()
        if user is None:
            raise CommandError(
                f"no active user {username!r}" if username else "no admin user; pass --as USERNAME"
            )
        return user
