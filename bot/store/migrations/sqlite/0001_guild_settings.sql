-- Where each server wants new races announced, and its spoiler window.
CREATE TABLE guild_settings (
    guild_id INTEGER PRIMARY KEY,
    announce_channel INTEGER,
    spoiler_days INTEGER NOT NULL DEFAULT 0 CHECK (spoiler_days BETWEEN 0 AND 30)
);
