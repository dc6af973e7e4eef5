"""Full-text retrieval over everyone: SQLite FTS5 by default, PostgreSQL full text on PostgreSQL.

Used where no skill narrows the field (a job description whose text names no ontology skill) and as
the plain baseline in `cadre bench match`. Ranking relevance itself is computed by
matching.textindex (FTS5's BM25 formula over the same documents), so scores are identical on both
databases and independent of who else is ranked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any

CursorFactory = Callable[[], AbstractContextManager[Any]]

FTS_TABLE = "matching_person_fts"
FTS_VOCAB = "matching_person_fts_vocab"


def fts5_query(terms: Iterable[str]) -> str:
    """OR of quoted terms (quotes doubled, so no term can inject FTS5 syntax)."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def tsquery(terms: Iterable[str]) -> str:
    return " | ".join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in terms)


class SqliteFullText:
    """BM25 top hits from the FTS5 table (bm25() is lower-is-better; ties by person id)."""

    def __init__(self, cursor: CursorFactory, *, table: str = FTS_TABLE, placeholder: str = "%s") -> None:
        self._cursor = cursor
        self.table = table
        self.placeholder = placeholder  # "?" for a raw sqlite3 cursor, "%s" through Django

    def search(self, terms: Sequence[str], limit: int) -> list[int]:
        if not terms:
            return []
        with self._cursor() as cur:
            cur.execute(
                f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH {self.placeholder} "
                f"ORDER BY bm25({self.table}), rowid LIMIT {int(limit)}",
                [fts5_query(terms)],
            )
            return [int(row[0]) for row in cur.fetchall()]


class PostgresFullText:
    """ts_rank top hits over matching_searchdocument, using its GIN index on to_tsvector('simple', body)."""

    def __init__(self, cursor: CursorFactory, *, table: str = "matching_searchdocument") -> None:
        self._cursor = cursor
        self.table = table

    def search(self, terms: Sequence[str], limit: int) -> list[int]:
        if not terms:
            return []
        with self._cursor() as cur:
            cur.execute(
                f"SELECT person_id FROM {self.table}, to_tsquery('simple', %s) q "
                "WHERE to_tsvector('simple', body) @@ q "
                f"ORDER BY ts_rank(to_tsvector('simple', body), q) DESC, person_id LIMIT {int(limit)}",
                [tsquery(terms)],
            )
            return [int(row[0]) for row in cur.fetchall()]
