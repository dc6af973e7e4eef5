"""`cadre import resume FILE...`: PDF, DOCX, TXT and JSON Resume files, one item per file.

The file is kept (Attachment, SHA-256) and its parse is the SourceRecord payload; the file hash is the
record's content hash, so importing the same bytes twice is skipped. Skills come only from text a
reader can see; hidden text is recorded on the record (payload "hidden_text") for the person page.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils import timezone

from cadre.people.models import Fact, SkillEvidence, SourceRecord
from cadre.people.services import record_source, store_attachment
from cadre.sourcing import services
from cadre.sourcing.documents import DocumentError, HiddenSpan, decode_text, extract, sniff_kind
from cadre.sourcing.importers.base import (
    CREATED,
    SKIPPED,
    UPDATED,
    Importer,
    Item,
    ItemError,
    read_limited,
    sha256_bytes,
)
from cadre.sourcing.resume_parse import Entry, ParsedResume, parse_json_resume, parse_text
from cadre.taxonomy.extraction import extract_skills


def _json_error(exc: json.JSONDecodeError) -> str:
    return f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"


def parse_resume(name: str, content: bytes) -> tuple[ParsedResume, list[HiddenSpan], str]:
    """(parse, hidden spans, document kind) or ItemError with the reason."""
    try:
        kind = sniff_kind(name, content)
        if kind == "json":
            try:
                data = json.loads(decode_text(content))
            except json.JSONDecodeError as exc:
                raise ItemError(_json_error(exc)) from exc
            try:
                return parse_json_resume(data), [], "json"
            except ValueError as exc:
                raise ItemError(str(exc)) from exc
        document = extract(name, content)
    except DocumentError as exc:
        raise ItemError(str(exc)) from exc
    if not document.visible.strip():
        detail = " (all of its text is hidden)" if document.hidden else " (empty or scanned image; no OCR)"
        raise ItemError(f"the document has no readable text{detail}")
    return parse_text(document.visible), document.hidden, document.kind


def _entry_dict(e: Entry) -> dict[str, Any]:
    return {
        "title": e.title,
        "organisation": e.organisation,
        "start": e.start.isoformat() if e.start else None,
        "end": e.end.isoformat() if e.end else None,
    }


class ResumeImporter(Importer):
    source = SourceRecord.Source.RESUME

    def items(self, path: Path) -> Iterator[Item]:
        yield Item(label=path.name, data=(path.name, read_limited(path)))

    def import_item(self, item: Item) -> str:
        name, content = item.data
        digest = sha256_bytes(content)
        if self.already_imported(digest):
            return SKIPPED
        parsed, hidden, kind = parse_resume(name, content)
        if not parsed.name:
            raise ItemError("no candidate name found at the top of the resume")
        today = timezone.now().date()
        hidden_text = " ".join(h.text for h in hidden)
        hidden_skills = sorted({m.name for m in extract_skills(hidden_text)}) if hidden_text else []
        match = services.find_or_create_person(
            full_name=parsed.name,
            identities=parsed.identities(),
            actor=self.actor,
            headline=parsed.headline,
            location=parsed.location,
            summary=parsed.summary,
        )
        person = match.person
        payload: dict[str, Any] = {
            "file": name,
            "format": kind,
            "name": parsed.name,
            "headline": parsed.headline,
            "contacts": {
                "emails": parsed.emails,
                "phones": parsed.phones,
                "github": parsed.github,
                "linkedin": parsed.linkedin,
                "orcid": parsed.orcid,
            },
            "sections": {k: v[:5000] for k, v in parsed.sections.items()},
            "employment": [_entry_dict(e) for e in parsed.employment],
            "education": [_entry_dict(e) for e in parsed.education],
            "publications": parsed.publications[:100],
            "projects": parsed.projects[:100],
        }
        if hidden:
            payload["hidden_text"] = [h.as_dict() for h in hidden[:50]]
            payload["hidden_skills"] = hidden_skills
            payload["flags"] = ["hidden_text"]
        attachment = None
        if kind != "json" or len(content) < 1_000_000:
            attachment = store_attachment(self.actor, person=person, name=name, content=content)
        record = record_source(
            person=person,
            source=self.source,
            payload=payload,
            content_sha256=digest,
            external_id=name,
            attachment=attachment,
            actor=self.actor,
        )
        self.remember(digest)
        conflicts = services.attach_identities(person, parsed.identities(), record=record, actor=self.actor)
        self._write_facts(person, record, parsed, today)
        evidence = self._write_skills(person, record, parsed, today)
        if conflicts or evidence[1]:
            record.payload["identity_conflicts"] = conflicts
            record.payload["unknown_skills"] = evidence[1]
            record.save(update_fields=["payload"])
        if match.created:
            self.created_person(match.person.pk)
            return CREATED
        return UPDATED

    def _write_facts(self, person: Any, record: SourceRecord, parsed: ParsedResume, today: dt.date) -> None:
        for e in parsed.employment:
            services.add_fact(
                person,
                record,
                kind=Fact.Kind.EMPLOYMENT,
                title=e.title,
                organisation=e.organisation,
                start_date=e.start,
                end_date=e.end,
                data={"highlights": e.lines[:20]},
                actor=self.actor,
            )
        for e in parsed.education:
            services.add_fact(
                person,
                record,
                kind=Fact.Kind.EDUCATION,
                title=e.title,
                organisation=e.organisation,
                start_date=e.start,
                end_date=e.end,
                actor=self.actor,
            )
        for title in parsed.publications[:50]:
            services.add_fact(person, record, kind=Fact.Kind.PUBLICATION, title=title, actor=self.actor)

    def _write_skills(
        self, person: Any, record: SourceRecord, parsed: ParsedResume, today: dt.date
    ) -> tuple[int, list[str]]:
        # A skill used in a dated job is evidenced when that job ended; elsewhere, as of the resume.
        found: list[tuple[str, str, dt.date | None]] = []
        for e in parsed.employment:
            text = "\n".join([e.title, *e.lines])
            for m in extract_skills(text):
                detail = f"{e.title} at {e.organisation}" if e.organisation else e.title
                found.append((m.skill_id, detail, e.end or today))
        n_emp, unknown_emp = services.add_skill_evidence(
            person, record, slugs=found, kind=SkillEvidence.Kind.EMPLOYMENT, actor=self.actor
        )
        seen = {slug for slug, _, _ in found}
        rest = [
            (m.skill_id, parsed.skills_text[max(m.start - 40, 0) : m.end + 40].replace("\n", " "), today)
            for m in extract_skills(parsed.skills_text)
            if m.skill_id not in seen
        ]
        n_res, unknown_res = services.add_skill_evidence(
            person, record, slugs=rest, kind=SkillEvidence.Kind.RESUME, actor=self.actor
        )
        return n_emp + n_res, sorted(set(unknown_emp) | set(unknown_res))
