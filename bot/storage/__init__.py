"""Per-server settings kept in SQLite; depends on nothing else in racebot."""
