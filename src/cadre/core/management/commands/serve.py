"""`cadre serve`: run the web app and API under gunicorn (static files through whitenoise).

Unapplied migrations stop the server with a clear message instead of being applied silently, so
an upgrade against a shared PostgreSQL database is always a deliberate `cadre migrate`;
`--migrate` applies them first for one-step local use.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cadre.core.console import stderr


def unapplied_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


class Command(BaseCommand):
    help = "Serve Cadre with gunicorn (default http://127.0.0.1:8000)."
    requires_system_checks = []  # gunicorn's workers import the app; checks run below

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to bind (0.0.0.0 for all interfaces)"
        )
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--threads", type=int, default=4, help="threads per worker")
        parser.add_argument("--migrate", action="store_true", help="apply pending migrations first")

    def handle(self, *args: Any, **opts: Any) -> None:
        self.check(display_num_errors=False)
        pending = unapplied_migrations()
        if pending and opts["migrate"]:
            call_command("migrate", verbosity=0)
        elif pending:
            raise CommandError(
                f"the database needs {len(pending)} migration(s) ({pending[0]}...); run `cadre migrate` "
                "first, or `cadre serve --migrate`"
            )
        host, port = opts["host"], opts["port"]
        shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
        if host not in {"127.0.0.1", "localhost"} and host not in settings.ALLOWED_HOSTS:
            stderr.print(
                f"[yellow]Note:[/] requests are accepted only for host names in CADRE_ALLOWED_HOSTS "
                f"(now {', '.join(settings.ALLOWED_HOSTS)})."
            )
        stderr.print(
            f"Cadre is serving on [bold]http://{shown}:{port}/[/]  (API docs: /api/docs, Ctrl+C stops)"
        )
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "cadre.wsgi:application",
            "--bind",
            f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "--workers",
            str(opts["workers"]),
            "--threads",
            str(opts["threads"]),
            "--access-logfile",
            "-",
            "--timeout",
            "60",
        ]
        sys.stdout.flush()
        sys.stderr.flush()
        connection.close()
        # Replace this process so Ctrl+C and service managers signal gunicorn directly.
        os.execv(sys.executable, argv)
