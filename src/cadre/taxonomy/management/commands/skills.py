"""`cadre skills extract (--text TEXT | FILE) [--json]` and `cadre skills eval FILE.conll [--json]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.taxonomy.evaluation import Sentence, char_to_token_span, join_tokens, parse_conll, score
from cadre.taxonomy.extraction import MAX_TEXT_CHARS, extract_skills

METHODS = ("combined", "tagger", "ontology")


def read_text_file(path: str) -> str:
    """A text file's contents; a clear CommandError for missing, binary or oversized files."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"no such file: {path}")
    data = file.read_bytes()
    if len(data) > MAX_TEXT_CHARS * 4:
        raise CommandError(f"{path} is {len(data):,} bytes; split it into smaller documents")
    if b"\x00" in data[:8192]:
        raise CommandError(f"{path} looks binary (NUL bytes); give a text file (convert PDFs/DOCX first)")
    return data.decode("utf-8", errors="replace")


def _ontology_spans(sentence: Sentence) -> list[tuple[int, int]]:
    text, offsets = join_tokens(sentence.tokens)
    spans = [char_to_token_span(offsets, m.start, m.end) for m in extract_skills(text)]
    return [s for s in spans if s is not None]


class Command(BaseCommand):
    help = "Extract ontology skills from text, or score extraction on a SkillSpan CoNLL file."
    requires_system_checks: list[str] = []  # pure computation over shipped data; no database needed

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        extract = sub.add_parser("extract", help="list the skills in a text")
        extract.add_argument("file", nargs="?", help="a text file (or use --text)")
        extract.add_argument("--text", help="the text itself")
        extract.add_argument("--json", action="store_true", help="print a JSON list")
        evaluate = sub.add_parser("eval", help="precision/recall/F1 on a SkillSpan CoNLL file")
        evaluate.add_argument("file")
        evaluate.add_argument(
            "--method",
            choices=METHODS,
            default="combined",
            help="combined: CRF span tagger + ontology (default); tagger; ontology: gazetteer only",
        )
        evaluate.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "extract":
            self._extract(opts)
        else:
            self._eval(opts)

    def _extract(self, opts: dict[str, Any]) -> None:
        if (opts["text"] is None) == (opts["file"] is None):
            raise CommandError("give exactly one of --text TEXT or FILE")
        text = opts["text"] if opts["text"] is not None else read_text_file(opts["file"])
        try:
            mentions = extract_skills(text)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if opts["json"]:
            self.stdout.write(json.dumps([m.as_dict() for m in mentions]))
            return
        if not mentions:
            self.stdout.write("no skills found")
        for m in mentions:
            req = m.requirement or "-"
            self.stdout.write(f"{m.start:>6}-{m.end:<6} {req:<5} {m.skill_id:<24} {text[m.start : m.end]!r}")

    def _eval(self, opts: dict[str, Any]) -> None:
        from cadre.taxonomy.tagger import detect_token_spans, tag_tokens, tagger_available

        sentences = parse_conll(read_text_file(opts["file"]))
        if not sentences:
            raise CommandError(f"{opts['file']}: no CoNLL sentences (token<TAB>skill-tag<TAB>knowledge-tag)")
        method = opts["method"]
        if method != "ontology" and not tagger_available():
            raise CommandError("the span tagger is not installed (python-crfsuite); use --method ontology")
        if method == "ontology":
            result = score(sentences, _ontology_spans)
        elif method == "tagger":
            from cadre.taxonomy.evaluation import bio_spans

            result = score(sentences, lambda s: bio_spans(tag_tokens(list(s.tokens))))
        else:
            result = score(sentences, lambda s: detect_token_spans(list(s.tokens)))
        result["method"] = method
        if opts["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(
                f"{result['sentences']} sentences, {result['gold_spans']} gold spans ({method}): "
                f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  f1 {result['f1']:.3f}"
            )
