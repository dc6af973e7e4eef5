"""The `cadre` command: Cadre's own commands plus every Django management command.

`cadre migrate`, `cadre createsuperuser`, `cadre shell`... are Django's; `serve`, `demo`, `token`
and `bench` are Cadre's management commands (core/ and web/management/commands/).
"""

from __future__ import annotations

import os
import sys

HELP = """\
cadre — staffing AI talent: requisitions, people, pipelines, placements.

Usage: cadre <command> [options]     (cadre <command> --help for a command's options)

  serve [--host H] [--port N]       serve the web app and API with gunicorn (default 127.0.0.1:8000)
  migrate                           create or upgrade the database
  demo [--people N] [--json]        load a synthetic demo dataset and print the demo logins
  token create USERNAME             print a new API token (send it as 'Authorization: Bearer <token>')
  token list USERNAME | revoke PREFIX
  import resume|csv|credentials|academic|conference|github FILE... [--json]
                                    import people with provenance (cadre import resume --help)
  import github --user LOGIN [--json]   fetch one GitHub user live (token from GITHUB_TOKEN)
  bench web [--people N] [--json]   benchmark the web pages and API on a scratch database
  bench import [--json]             importer records/s (resumes, conference rows)
  bench titles [--json]             title-normalisation accuracy on ../shared/data (or --salaries/--onet)
  profile "TEXT" [--json]           draft a job profile (role family, skills, platform...) from text
  titles normalize "TITLE" [--json] a job title -> role family, O*NET code, seniority
  bench skills [--docs N] [--json]  skill-extraction throughput on synthetic job descriptions
  skills extract (--text T | FILE) [--json]   ontology skills in a text, with must/nice cues
  skills eval FILE.conll [--json]   precision/recall/F1 on a SkillSpan CoNLL file
  taxonomy load [FILE]              load the role and skills ontology (idempotent)
  match REQUISITION_ID [--top N] [--relax F,..] [--json]   rank people for a requisition, explained
  match-text "JOB DESCRIPTION" [--top N] [--json]          rank people for free text
  bench match [--people N] [--json] matching latency on N synthetic people vs a full-text baseline
  bench match-quality [--json]      nDCG@10 / recall@50 on the O*NET dev set (needs ../shared/data)
  screening load-bank [--json]      create the starter question bank (idempotent)
  grade TASK_ID PREDICTIONS.csv [--json]   score predictions against an ML task's hidden labels
  classify ANSWERS.json [--json]    worker classification (FLSA, DOL, IRS, state ABC) with risk and vehicle
  classify --questions | --rule-sets [--json]   the questionnaire, the versioned rule sets
  audit adverse-impact FILE.csv --group-col C --selected-col C [--json]   selection rates, ratios, tests
  audit ll144 FILE.csv (--selected-col C | --score-col C) [--json] [--csv|--pdf|--html OUT]
                                    NYC Local Law 144 bias audit tables
  economics --pay P --bill B --weeks N --state XX [--hours-per-week H] [--year Y] [--start-date D]
            [--vehicle w2|1099|c2c] [--overtime-hours H] [--workers-comp-per-100 R] [--benefits-rate %]
            [--json]
                                    markup, spread, employer burden, gross profit and margin of a contract
  fees contingency|retained|conversion|split ... [--json]   placement fees, installments, commission splits
  advise --duration-months N|permanent --criticality low|standard|production_sla --regulatory low|medium|high
         --executive yes|no [--ip-sensitivity L] [--classification-risk R] [--urgency U] [--budget B]
         [--pay P --bill B --salary S --state XX --horizon-months N] [--requisition ID] [--json]
                                    engagement advice: contract, C2H, direct hire or executive search, costed
  privacy export PERSON_ID [--out F] | erase PERSON_ID --reason T --yes   data export, erasure
  retention run [--dry-run] [--json] apply retention policies (run it daily from cron/systemd)
  dedup run [--backend duckdb|spark] [--json]   find and merge records of the same person
  dedup unmerge MERGE_ID            undo a merge exactly
  dedup eval febrl4 | eval conference F.json | eval-file F.csv --truth-col C [--json]   benchmarks
  createsuperuser, shell, ...       Django's commands; `cadre help --all` lists them

Data lives in CADRE_HOME (default ./.cadre); DATABASE_URL=postgres://... uses PostgreSQL.
"""


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
    if not args or args in (["-h"], ["--help"], ["help"]):
        sys.stdout.write(HELP)
        return
    if args[:2] == ["help", "--all"]:
        args = ["help"]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cadre", *args])


if __name__ == "__main__":
    main()
