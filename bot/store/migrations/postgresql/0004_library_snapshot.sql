-- The library last built, kept so a start whose documents have not changed reads it back
-- instead of building it again. Derived, never the truth: the loader ignores a row whose
-- version, aliases or checksum do not match and builds the library from the documents.
-- One row at most (id 1), replaced whole.
CREATE TABLE library_snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL,
    version TEXT NOT NULL,
    aliases TEXT NOT NULL,
    written_at TIMESTAMPTZ NOT NULL,
    data BYTEA NOT NULL
);
