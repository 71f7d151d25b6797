-- The race documents themselves: the store, not seeds/, is what the bot knows.

-- Every change to the documents, numbered: other processes catch up by asking for the
-- changes after the last one they have, and announcements are keyed by it.
CREATE TABLE changes (
    revision BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    race_key TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('added', 'replaced', 'removed', 'reparsed')),
    title TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

-- The current document of each race, keyed by the race's identity (series and date, ...).
CREATE TABLE documents (
    race_key TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('seeds', 'import')),
    source TEXT NOT NULL,
    added_by TEXT,
    added_at TIMESTAMPTZ NOT NULL,
    sha256 TEXT NOT NULL,
    body BYTEA NOT NULL,
    parser TEXT NOT NULL,
    record BYTEA NOT NULL,
    view BYTEA NOT NULL,
    revision BIGINT NOT NULL
);
CREATE UNIQUE INDEX documents_seed_source ON documents (source) WHERE origin = 'seeds';

-- Every replaced or removed document, whole.
CREATE TABLE document_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    race_key TEXT NOT NULL,
    title TEXT NOT NULL,
    origin TEXT NOT NULL,
    source TEXT NOT NULL,
    added_by TEXT,
    added_at TIMESTAMPTZ NOT NULL,
    sha256 TEXT NOT NULL,
    body BYTEA NOT NULL,
    ended_at TIMESTAMPTZ NOT NULL,
    ended_by TEXT,
    ended_how TEXT NOT NULL CHECK (ended_how IN ('replaced', 'removed'))
);
CREATE INDEX document_history_race ON document_history (race_key);

-- seeds/ files that were refused, so an unchanged bad file costs a hash, not a parse.
CREATE TABLE seed_problems (
    source TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    line INTEGER,
    message TEXT NOT NULL
);

-- Each announcement sent: the row is written before the message goes, so no second process
-- (or restart) sends it again.
CREATE TABLE announcements (
    guild_id BIGINT NOT NULL,
    revision BIGINT NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (guild_id, revision)
);

-- Small facts about the store itself (the last reload, the parser version seeds/ was read with).
CREATE TABLE store_facts (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
