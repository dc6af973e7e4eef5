"""Tabular sources (ATS exports, credential and academic rosters): a CSV or JSON file of rows, one
item per row. Column mappings are data: canonical field -> the header names a source uses."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from cadre.people.models import Person, SourceRecord
from cadre.people.services import record_source
from cadre.sourcing import services
from cadre.sourcing.documents import DocumentError, decode_text
from cadre.sourcing.importers.base import (
    CREATED,
    SKIPPED,
    UPDATED,
    Importer,
    Item,
    ItemError,
    read_limited,
    sha256_json,
)

MAX_ROWS_FILE_BYTES = 100 * 1024 * 1024  # conference and roster exports are bigger than resumes


def _key(header: str) -> str:
    return " ".join(header.replace("_", " ").replace(".", " ").lower().split())


def read_rows(path: Path, limit: int = MAX_ROWS_FILE_BYTES) -> list[dict[str, Any]]:
    """Rows of a .json (a list of objects) or a CSV file (any common delimiter, header row)."""
    try:
        text = decode_text(read_limited(path, limit))
    except DocumentError as exc:
        raise ItemError(str(exc)) from exc
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in ("[", "{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ItemError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
        if isinstance(data, dict):  # {"rows": [...]} or {"candidates": [...]}
            data = next((v for v in data.values() if isinstance(v, list)), None)
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ItemError("the JSON file must hold a list of objects, one per row")
        return data
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        raise ItemError("the CSV file has no header row")
    return [dict(row) for row in reader]


def resolve_columns(
    headers: Sequence[str], mapping: Mapping[str, Sequence[str]], required: Sequence[Sequence[str]]
) -> dict[str, str]:
    """canonical field -> actual header. `required` lists alternatives: [["full_name"], ["first_name",
    "last_name"]] means a full name column, or both first and last name columns."""
    by_key = {_key(h): h for h in headers if h}
    found: dict[str, str] = {}
    for field, names in mapping.items():
        for name in (field, *names):
            if _key(name) in by_key:
                found[field] = by_key[_key(name)]
                break
    if required and not any(all(f in found for f in option) for option in required):
        wanted = " or ".join("+".join(option) for option in required)
        raise ItemError(
            f"missing required column(s): need {wanted}; the file has {', '.join(headers) or 'no columns'}"
        )
    return found


def mapped(row: Mapping[str, Any], columns: Mapping[str, str]) -> dict[str, str]:
    return {f: str(row.get(h) or "").strip() for f, h in columns.items() if str(row.get(h) or "").strip()}


def full_name_of(values: Mapping[str, str]) -> str:
    return values.get("full_name") or " ".join(
        v for v in (values.get("first_name"), values.get("last_name")) if v
    )


def identities_of(values: Mapping[str, str]) -> list[tuple[str, str]]:
    kinds = ("email", "github", "orcid", "openreview", "linkedin", "phone", "website")
    return [(k, values[k]) for k in kinds if values.get(k)]


class RowImporter(Importer):
    """One row, one item. Subclasses give the mapping and `write_row`."""

    chunk_size = 200
    mapping: Mapping[str, Sequence[str]] = {}
    required: Sequence[Sequence[str]] = (("full_name",), ("first_name", "last_name"))

    def columns_for(self, headers: Sequence[str]) -> dict[str, str]:
        return resolve_columns(headers, self.mapping, self.required)

    def items(self, path: Path) -> Iterator[Item]:
        rows = read_rows(path)
        if not rows:
            raise ItemError("the file has no rows")
        headers = list(dict.fromkeys(h for row in rows[:50] for h in row))
        columns = self.columns_for(headers)
        for number, row in enumerate(rows, start=1):
            yield Item(label=f"{path.name} row {number}", data=(path.name, row, columns))

    def external_id(self, file_name: str, values: Mapping[str, str]) -> str:
        return values.get("external_id") or values.get("email") or ""

    def import_item(self, item: Item) -> str:
        file_name, row, columns = item.data
        values = mapped(row, columns)
        payload: dict[str, Any] = {"row": {k: v for k, v in row.items() if k}, "mapped": values}
        digest = sha256_json({"source": self.source, "row": payload["row"]})
        if self.already_imported(digest):
            return SKIPPED
        name = full_name_of(values)
        if not name:
            raise ItemError("the row has no name")
        _, bad = services.normalised_identities(identities_of(values))
        if bad:
            payload["invalid_identities"] = bad
        match = services.find_or_create_person(
            full_name=name, identities=identities_of(values), actor=self.actor, **self.person_fields(values)
        )
        record = record_source(
            person=match.person,
            source=self.source,
            payload=payload,
            content_sha256=digest,
            external_id=self.external_id(file_name, values),
            actor=self.actor,
        )
        self.remember(digest)
        conflicts = services.attach_identities(
            match.person, identities_of(values), record=record, actor=self.actor
        )
        if conflicts:
            record.payload["identity_conflicts"] = conflicts
            record.save(update_fields=["payload"])
        self.write_row(match.person, record, values)
        if match.created:
            self.created_person(match.person.pk)
            return CREATED
        return UPDATED

    def person_fields(self, values: Mapping[str, str]) -> dict[str, str]:
        return {k: values[k] for k in ("headline", "location") if values.get(k)}

    def write_row(self, person: Person, record: SourceRecord, values: Mapping[str, str]) -> None:
        raise NotImplementedError
