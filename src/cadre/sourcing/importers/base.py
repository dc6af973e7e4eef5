"""The one importer base: split input into items, write each item in its own savepoint, report.

An importer yields `Item`s (one resume file, one CSV row, one paper...) and writes one in
`import_item`, returning CREATED (a new person), UPDATED (an existing person got a new source
record) or SKIPPED (this exact content was imported before). Any exception inside an item rolls that
item back completely and becomes `{"item", "error"}` in the report; the batch goes on.

Items are written in chunks: one transaction per chunk, one savepoint per item, so a 50k-row
conference file is not 50k fsyncs while a failing item still leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.db import transaction
from django.utils import timezone

from cadre.core import audit
from cadre.core.console import ProgressReport
from cadre.core.exceptions import CadreError
from cadre.core.services import require_editor
from cadre.people.models import SourceRecord
from cadre.resolution.services import resolve_new_people
from cadre.sourcing.models import ImportRun

CREATED, UPDATED, SKIPPED = "created", "updated", "skipped"
MAX_FILE_BYTES = 10 * 1024 * 1024  # same ceiling as attachments and uploads


class ItemError(Exception):
    """A clear, user-facing reason why one item could not be imported."""


@dataclass
class Item:
    label: str  # what the report calls it: a file name, "file.csv row 7", a paper id
    data: Any = None
    error: str = ""  # set when the item was already known bad while splitting the input


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    run_id: int | None = None
    # People created by this run, for cadre.resolution to compare against everyone else.
    new_person_ids: list[int] = field(default_factory=list)
    # What identity resolution did with them (merged, queued for review), when it ran.
    resolution: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "errors": self.errors,
            "run_id": self.run_id,
            "resolution": self.resolution,
        }


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def sha256_json(payload: Any) -> str:
    return sha256_bytes(json.dumps(payload, sort_keys=True, default=str).encode())


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a file, refusing empty and over-size ones before reading them into memory."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ItemError(f"cannot read {path.name}: {exc.strerror or exc}") from exc
    if size == 0:
        raise ItemError("the file is empty (0 bytes)")
    if size > limit:
        raise ItemError(f"the file is {size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB")
    return path.read_bytes()


class Importer:
    source: ClassVar[str]  # a SourceRecord.Source value
    chunk_size: ClassVar[int] = 1  # items per transaction (each item still has its own savepoint)
    # Whether new people go straight to identity resolution (merges and review queue) on import.
    resolve_on_import: ClassVar[bool] = True

    def __init__(self, *, actor: Any = None, **options: Any) -> None:
        self.actor = actor
        self.options = options
        self._known: set[str] | None = None
        self._added: list[str] = []  # digests remembered by the item being written
        self._item_people: list[int] = []  # people created by the item being written

    # --- to implement -------------------------------------------------------------------------
    def items(self, path: Path) -> Iterator[Item]:
        raise NotImplementedError

    def import_item(self, item: Item) -> str | dict[str, int]:
        """CREATED, UPDATED or SKIPPED; or counts of each when one item holds several records
        (a paper with its authors)."""
        raise NotImplementedError

    # --- shared ---------------------------------------------------------------------------------
    def already_imported(self, digest: str) -> bool:
        """Has a record with exactly this content come from this source? (idempotency)"""
        if self._known is None:  # one query per run, not one per row
            self._known = set(
                SourceRecord.objects.filter(source=self.source)
                .exclude(content_sha256="")
                .values_list("content_sha256", flat=True)
            )
        return digest in self._known

    def remember(self, digest: str) -> None:
        if self._known is not None:
            self._known.add(digest)
            self._added.append(digest)

    def created_person(self, person_id: int) -> None:
        self._item_people.append(person_id)

    def _forget_item(self) -> None:
        if self._known is not None:
            self._known.difference_update(self._added)
        self._added = []

    def _items_of(self, paths: Iterable[Path]) -> Iterator[Item]:
        for path in paths:
            try:
                yield from self.items(path)
            except ItemError as exc:
                yield Item(label=path.name, error=str(exc))

    def run(
        self,
        paths: Iterable[Path | str],
        *,
        via: str = "system",
        progress: ProgressReport | None = None,
        resolve: bool = True,
    ) -> ImportReport:
        if self.actor is not None:
            require_editor(self.actor)
        files = [Path(p) for p in paths]
        run = ImportRun.objects.create(
            source=self.source,
            files=[p.name for p in files],
            actor=self.actor if getattr(self.actor, "is_authenticated", False) else None,
            via=via,
            started_at=timezone.now(),
        )
        report = ImportReport(run_id=run.pk)
        items = list(self._items_of(files))
        total = len(items)
        with audit.acting_as(self.actor, via):
            for start in range(0, total, self.chunk_size):
                chunk = items[start : start + self.chunk_size]
                self.write_chunk(chunk, report)
                if progress is not None:
                    progress(f"{self.source} import", min(start + len(chunk), total), total)
        if resolve and self.resolve_on_import and report.new_person_ids:
            # Fuzzy matching of the new people against everyone else (exact identifiers were
            # already joined while importing).
            with audit.acting_as(self.actor, via):
                report.resolution = resolve_new_people(report.new_person_ids, actor=self.actor)
        run.created, run.updated, run.skipped = report.created, report.updated, report.skipped
        run.errors = report.errors
        run.finished_at = timezone.now()
        run.save()
        return report

    def write_chunk(self, chunk: list[Item], report: ImportReport) -> None:
        """One transaction, one savepoint per item. Importers with a bulk path override this and
        fall back to it when the bulk write fails, so the failing item is still found and reported."""
        with transaction.atomic():
            for item in chunk:
                self._one(item, report)

    def _one(self, item: Item, report: ImportReport) -> None:
        if item.error:
            report.errors.append({"item": item.label, "error": item.error})
            return
        self._added, self._item_people = [], []
        try:
            with transaction.atomic():  # a savepoint: a failing item leaves nothing behind
                outcome = self.import_item(item)
        except (ItemError, CadreError, ValueError) as exc:
            self._forget_item()
            report.errors.append({"item": item.label, "error": getattr(exc, "message", None) or str(exc)})
            return
        except Exception as exc:  # noqa: BLE001 - one broken item must not stop the batch
            self._forget_item()
            report.errors.append({"item": item.label, "error": f"unexpected {type(exc).__name__}: {exc}"})
            return
        for key, n in outcome.items() if isinstance(outcome, dict) else [(outcome, 1)]:
            setattr(report, key, getattr(report, key) + n)
        report.new_person_ids.extend(self._item_people)
