-- Answers in private for servers that want no bot output in channels, and the last problem
-- sending to the announce channel (shown in /settings).
ALTER TABLE guild_settings ADD COLUMN answers TEXT NOT NULL DEFAULT 'public'
    CHECK (answers IN ('public', 'private'));
ALTER TABLE guild_settings ADD COLUMN announce_problem TEXT;
