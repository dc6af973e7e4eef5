"""`cadre retention run [--dry-run] [--json]`: apply the retention policies (a background task)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.compliance.retention import run_retention
from cadre.core import audit

DESCRIPTION = """\
Apply the retention policies (Compliance > Retention, or the admin's "retention policies"):

  decision_records  delete automated-decision records older than the policy keeps them (never less
                    than 4 years, California's minimum, whatever the policy row says)
  audit_log         delete audit-log rows older than the policy keeps them
  inactive_people   erase (anonymise) people with no application, activity, source record or update
                    within the policy's period

Each real run stores its counts on the policy (last run, last result) and in the audit log. The exit
status is 1 when some person could not be erased (the errors are in the output), else 0.
"""

EPILOG = """\
Run it once a day as a background task, as the user that runs Cadre, with the same environment
(CADRE_HOME or DATABASE_URL):

  cron:     15 3 * * *  CADRE_HOME=/srv/cadre/data /srv/cadre/.venv/bin/cadre retention run --json \\
                          >> /var/log/cadre/retention.log 2>&1

  systemd:  /etc/systemd/system/cadre-retention.service
              [Service]
              Type=oneshot
              User=cadre
              Environment=CADRE_HOME=/srv/cadre/data
              ExecStart=/srv/cadre/.venv/bin/cadre retention run --json
            /etc/systemd/system/cadre-retention.timer
              [Timer]
              OnCalendar=*-*-* 03:15:00
              Persistent=true
              [Install]
              WantedBy=timers.target
            then: systemctl enable --now cadre-retention.timer

Try `cadre retention run --dry-run` first: it counts what would go and changes nothing.
"""


class Command(BaseCommand):
    help = "Apply the retention policies: old decision records and audit rows, inactive people."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{run}")
        run = sub.add_parser(
            "run",
            help="apply every retention policy now (for cron or a systemd timer)",
            description=DESCRIPTION,
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        run.add_argument("--dry-run", action="store_true", help="count what would go; change nothing")
        run.add_argument("--json", action="store_true", help="print the result as one JSON object")

    def handle(self, *args: Any, **opts: Any) -> None:
        with audit.acting_as(None, "cli"):
            result = run_retention(dry_run=opts["dry_run"])
        errors = [e for policy in result["policies"].values() for e in policy.get("errors", [])]
        if opts["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self._print(result)
        if errors:
            raise CommandError(f"{len(errors)} person(s) could not be erased; see the output")

    def _print(self, result: dict[str, Any]) -> None:
        head = "Retention dry run (nothing changed)" if result["dry_run"] else "Retention run"
        self.stdout.write(f"{head} at {result['at']}")
        if not result["policies"]:
            self.stdout.write("no retention policies are defined")
        for record, out in result["policies"].items():
            if "skipped" in out:
                self.stdout.write(f"  {record:17} skipped: {out['skipped']}")
                continue
            done_key = "erased" if "erased" in out else "deleted"
            verb = f"would {done_key[:-1]}" if result["dry_run"] else done_key
            count = out["matched"] if result["dry_run"] else out[done_key]
            self.stdout.write(
                f"  {record:17} keep {out['keep_days']} days (older than {out['cutoff'][:10]}): "
                f"{verb} {count}"
            )
            for error in out.get("errors", []):
                self.stdout.write(f"    person {error['person_id']}: {error['error']}")
