"""`cadre token create|list|revoke`: API tokens for `Authorization: Bearer <token>`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table

from cadre.core import audit
from cadre.core.console import stdout
from cadre.core.exceptions import CadreError
from cadre.core.models import ApiToken, User
from cadre.core.services import create_api_token, revoke_api_tokens


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = sub.add_parser("create", help="print a new token for USERNAME (only the token, on stdout)")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for, e.g. 'ats sync'")
        listing = sub.add_parser("list", help="list USERNAME's tokens (prefixes only)")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="revoke the token(s) starting with PREFIX")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "revoke":
            with audit.acting_as(None, "cli"):
                try:
                    n = revoke_api_tokens(opts["prefix"].rstrip("…"))
                except CadreError as exc:
                    raise CommandError(exc.message) from exc
            if n == 0:
                raise CommandError(f"no live token starts with {opts['prefix']!r}")
            self.stderr.write(f"revoked {n} token(s)")
            return
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(
                f"no user named {opts['username']!r} (create one with `cadre createsuperuser`)"
            )
        if action == "create":
            if not user.is_active:
                raise CommandError(f"user {user.username!r} is disabled")
            with audit.acting_as(None, "cli"):
                raw = create_api_token(user, name=opts["name"])
            self.stdout.write(raw)  # the raw token alone, so `$(cadre token create me)` works
            return
        table = Table(title=f"API tokens of {user.username}", title_justify="left")
        for column in ("Prefix", "Name", "Created", "Last used", "Status"):
            table.add_column(column)
        for t in ApiToken.objects.filter(user=user):
            status = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "live"
            last = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            table.add_row(t.prefix + "…", t.name, f"{t.created_at:%Y-%m-%d %H:%M}", last, status)
        stdout.print(table)
