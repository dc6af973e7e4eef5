"""Full-text index over SearchDocument: FTS5 (external content, kept in step by triggers) on SQLite,
a GIN index on to_tsvector('simple', body) on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE matching_person_fts USING fts5("
    "body, content='matching_searchdocument', content_rowid='person_id', tokenize='unicode61')",
    "CREATE VIRTUAL TABLE matching_person_fts_vocab USING fts5vocab(matching_person_fts, 'row')",
    "CREATE TRIGGER matching_searchdocument_ai AFTER INSERT ON matching_searchdocument BEGIN "
    "INSERT INTO matching_person_fts(rowid, body) VALUES (new.person_id, new.body); END",
    "CREATE TRIGGER matching_searchdocument_ad AFTER DELETE ON matching_searchdocument BEGIN "
    "INSERT INTO matching_person_fts(matching_person_fts, rowid, body) "
    "VALUES ('delete', old.person_id, old.body); END",
    "CREATE TRIGGER matching_searchdocument_au AFTER UPDATE ON matching_searchdocument BEGIN "
    "INSERT INTO matching_person_fts(matching_person_fts, rowid, body) "
    "VALUES ('delete', old.person_id, old.body); "
    "INSERT INTO matching_person_fts(rowid, body) VALUES (new.person_id, new.body); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS matching_searchdocument_au",
    "DROP TRIGGER IF EXISTS matching_searchdocument_ad",
    "DROP TRIGGER IF EXISTS matching_searchdocument_ai",
    "DROP TABLE IF EXISTS matching_person_fts_vocab",
    "DROP TABLE IF EXISTS matching_person_fts",
]
POSTGRES = [
    "CREATE INDEX matching_searchdocument_tsv ON matching_searchdocument "
    "USING GIN (to_tsvector('simple', body))"
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS matching_searchdocument_tsv"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
