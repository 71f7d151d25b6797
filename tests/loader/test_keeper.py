"""The keeper on both engines: seeds/ mirrored into the store, imports keyed by the race, the
library rebuilt from the store whichever process changed it, and an old data folder taken over."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from bot.core.documents import records
from bot.loader import open_keeper, store_of
from bot.loader.keeper import ALIASES, LAST_MIRROR, AlreadyStored, Keeper
from bot.loader.takeover import OLD_CACHES
from bot.settings import Settings
from bot.store import DATABASE_NAME
from bot.store.records import GuildSettings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = (FIXTURES / "races" / "2003-grand-prix-of-sonoma.txt").read_bytes()
RELEASE_0_1 = FIXTURES / "release-0.1"


def race(title: str, date: str, base: bytes = SEED) -> bytes:
    """The seed under another title and date: another race."""
    text = base.decode("utf-8").replace("= 2003 Grand Prix of Sonoma =", f"= {title} =", 1)
    return text.replace("July 27, 2003", date, 1).encode("utf-8")


def seeds_of(settings: Settings) -> Path:
    """The seeds folder the settings name."""
    return settings.seeds_dir


async def test_an_unchanged_folder_costs_only_hashes(store_settings: Settings) -> None:
    """The first start parses every file; the next parses none and changes nothing."""
    (seeds_of(store_settings) / "sonoma.txt").write_bytes(SEED)
    first = await open_keeper(store_settings, mirror=True, migrate=True)
    assert first.last_mirror is not None
    assert (first.last_mirror.parsed, first.last_mirror.first_fill) == (1, True)
    assert first.built.races == 1
    await first.close()
    again = await open_keeper(store_settings, mirror=True, migrate=True)
    assert again.last_mirror is not None
    assert (again.last_mirror.parsed, again.last_mirror.unchanged) == (1 - 1, 1)
    assert again.last_mirror.changes == ()
    await again.close()


async def test_changed_added_and_removed_files_reach_the_library(store_settings: Settings) -> None:
    """A changed file replaces its race, a new one adds one, a removed one takes its race away
    with its document kept in the history."""
    seeds = seeds_of(store_settings)
    (seeds / "sonoma.txt").write_bytes(SEED)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    (seeds / "sonoma.txt").write_bytes(SEED.replace(b"Dyson Racing", b"Dyson Racing Team", 1))
    (seeds / "elsewhere.txt").write_bytes(race("2004 Grand Prix of Elsewhere", "July 25, 2004"))
    report = await keeper.mirror_seeds()
    assert sorted((c.action, c.title) for c in report.changes) == [
        ("added", "2004 Grand Prix of Elsewhere"),
        ("replaced", "2003 Grand Prix of Sonoma"),
    ]
    assert report.parsed == 2
    assert [c.action for c in await keeper.catch_up()] == ["added", "replaced"]
    teams = {e.team for r in keeper.service.library for e in r.entries}
    assert "Dyson Racing Team" in teams
    (seeds / "elsewhere.txt").unlink()
    await keeper.mirror_seeds()
    await keeper.catch_up()
    assert [r.title for r in keeper.service.library] == ["2003 Grand Prix of Sonoma"]
    assert {h.source for h in await keeper.store.history()} == {"sonoma.txt", "elsewhere.txt"}
    await keeper.close()


async def test_a_bad_file_costs_only_itself_and_is_named(store_settings: Settings) -> None:
    """A document with a bad line is refused by file and line; the others load; fixing it
    clears the refusal."""
    seeds = seeds_of(store_settings)
    (seeds / "sonoma.txt").write_bytes(SEED)
    (seeds / "bad.txt").write_bytes(
        race("2005 Bad", "May 1, 2005").replace(b"| 102 |", b"| ninety |", 1)
    )
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    assert keeper.built.races == 1
    [problem] = await keeper.problems()
    assert str(problem).startswith("bad.txt:12: laps 'ninety' is not a number")
    (seeds / "bad.txt").write_bytes(race("2005 Good", "May 1, 2005"))
    await keeper.mirror_seeds()
    await keeper.catch_up()
    assert keeper.built.races == 2
    assert await keeper.problems() == []
    await keeper.close()


async def test_unreadable_entries_are_skipped_with_one_warning_each(
    store_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """A name that is not UTF-8, a FIFO and a folder named .txt: skipped, named, no hang."""
    seeds = seeds_of(store_settings)
    (seeds / "sonoma.txt").write_bytes(SEED)
    (Path(os.fsdecode(bytes(seeds) + b"/caf\xe9.txt"))).write_bytes(race("X", "May 1, 2005"))
    os.mkfifo(seeds / "pipe.txt")  # reading it would wait for a writer for ever
    (seeds / "folder.txt").mkdir()
    with caplog.at_level(logging.WARNING, logger="bot.loader"):
        keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    assert keeper.built.races == 1
    assert keeper.last_mirror is not None
    skipped = sorted(str(error) for error in keeper.last_mirror.skipped)
    assert skipped == [
        "caf\\xe9.txt: has a name that is not UTF-8; rename it",
        "folder.txt: is not a regular file",
        "pipe.txt: is not a regular file",
    ]
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 3
    await keeper.close()


async def test_a_missing_or_emptied_folder_keeps_the_races(store_settings: Settings) -> None:
    """Far likelier a mistake than a wish: an emptied or missing seeds/ removes nothing."""
    seeds = seeds_of(store_settings)
    (seeds / "sonoma.txt").write_bytes(SEED)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    (seeds / "sonoma.txt").unlink()
    report = await keeper.mirror_seeds()
    assert [str(e) for e in report.skipped] == [f"{seeds}: has no race documents; races kept"]
    seeds.rmdir()
    report = await keeper.mirror_seeds()
    assert "no such folder of race documents; races kept" in str(report.skipped[0])
    assert await keeper.catch_up() == []
    assert keeper.built.races == 1
    await keeper.close()


async def test_imports_are_keyed_by_the_race_and_outlive_seeds(store_settings: Settings) -> None:
    """The same race under another title or file name is refused; two races whose titles share
    no Latin letter stay two; an import stays when seeds/ has no file for it."""
    seeds = seeds_of(store_settings)
    (seeds / "sonoma.txt").write_bytes(SEED)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    retitled = race("Sonoma 2003 (American Le Mans)", "July 27, 2003")
    with pytest.raises(AlreadyStored, match="already loaded"):
        await keeper.import_document(retitled, "other-name.txt", by="1")
    for title, date in (("ル・マン 2005", "June 18, 2005"), ("ニュル 2005", "June 19, 2005")):
        await keeper.import_document(race(title, date), "x.txt", by="1")
    await keeper.mirror_seeds()
    await keeper.catch_up()
    titles = sorted(r.title for r in keeper.service.library)
    assert titles == ["2003 Grand Prix of Sonoma", "ニュル 2005", "ル・マン 2005"]
    await keeper.close()


async def test_another_folder_gets_a_store_of_its_own(clean_env: Path) -> None:
    """A one-off question about another folder neither changes the bot's library nor mixes."""
    bot_seeds, other = clean_env / "seeds", clean_env / "other"
    bot_seeds.mkdir()
    other.mkdir()
    (bot_seeds / "sonoma.txt").write_bytes(SEED)
    (other / "elsewhere.txt").write_bytes(race("2004 Elsewhere", "July 25, 2004"))
    settings = Settings(RACEBOT_SEEDS_DIR=bot_seeds, RACEBOT_DATA_DIR=clean_env / "data")
    bots = await open_keeper(settings)
    one_off = await open_keeper(settings, other)
    assert one_off.store.engine.location != bots.store.engine.location
    assert [r.title for r in one_off.service.library] == ["2004 Elsewhere"]
    assert await bots.catch_up() == []
    assert [r.title for r in bots.service.library] == ["2003 Grand Prix of Sonoma"]
    for keeper in (bots, one_off):
        await keeper.close()


async def test_a_change_by_another_process_is_caught_up(store_settings: Settings) -> None:
    """Two keepers on one store (two processes): an import through one reaches the other."""
    (seeds_of(store_settings) / "sonoma.txt").write_bytes(SEED)
    first = await open_keeper(store_settings, mirror=True, migrate=True)
    second = await open_keeper(store_settings, mirror=False, migrate=False)
    await first.import_document(race("2006 Race", "May 1, 2006"), "r.txt", by="1")
    [change] = await second.catch_up()
    assert (change.action, change.title) == ("added", "2006 Race")
    assert second.built.races == 2
    assert await second.catch_up() == []
    for keeper in (first, second):
        await keeper.close()


async def test_stale_and_damaged_parses_are_redone_from_the_stored_bytes(
    store_settings: Settings,
) -> None:
    """A parse by another parser version, or one damaged, is parsed again from the document
    the store keeps; the library is whole."""
    (seeds_of(store_settings) / "sonoma.txt").write_bytes(SEED)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    [document] = await keeper.store.documents()
    async with keeper.store.engine.transaction() as connection:
        await connection.execute(
            "UPDATE documents SET parser = ?, view = ?", "an older parser", b"not a view"
        )
    built = await keeper.load()
    assert built.races == 1
    [again] = await keeper.store.documents()
    assert again.parser == records.PARSER_VERSION
    assert again.view == document.view
    await keeper.close()


async def test_crews_are_cut_with_names_other_documents_write(store_settings: Settings) -> None:
    """A crew written without separators is cut with the names another document writes alone."""
    seeds = seeds_of(store_settings)
    crew = b"Scott Dixon Ryan Briscoe Christian da Matta"
    first = SEED.replace(b"Butch Leitzinger James Weaver", crew, 1)
    assert first != SEED
    (seeds / "a.txt").write_bytes(first)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    entry = next(
        e for e in keeper.service.library.races[0].entries if "Dixon" in " ".join(e.drivers)
    )
    alone = entry.drivers
    second = race("2004 Race", "May 1, 2004").replace(
        b"Butch Leitzinger James Weaver", b"Christian da Matta", 1
    )
    (seeds / "b.txt").write_bytes(second)
    await keeper.mirror_seeds()
    await keeper.catch_up()
    sonoma = next(r for r in keeper.service.library if r.title == "2003 Grand Prix of Sonoma")
    cut = next(e for e in sonoma.entries if "Dixon" in " ".join(e.drivers)).drivers
    assert cut == ("Scott Dixon", "Ryan Briscoe", "Christian da Matta")
    assert alone != cut
    found = keeper.service.ask("driver", name="Christian da Matta")
    assert "Sonoma" in str(found)
    await keeper.close()


async def test_a_release_0_1_data_folder_is_taken_over(clean_env: Path) -> None:
    """The previous release's data folder: settings kept, caches removed, the replaced document
    copied into the history, the seeds loaded; nothing lost."""
    shutil.copytree(RELEASE_0_1 / "data", clean_env / "data")
    shutil.copytree(RELEASE_0_1 / "seeds", clean_env / "seeds")
    settings = Settings(RACEBOT_SEEDS_DIR=clean_env / "seeds", RACEBOT_DATA_DIR=clean_env / "data")
    keeper = await open_keeper(settings)
    assert keeper.built.races == 1
    assert await keeper.store.all_settings() == [
        GuildSettings(123456789012345678, 223456789012345678, 3, "private")
    ]
    [kept] = await keeper.store.history()
    old = next((clean_env / "seeds" / ".history").iterdir())
    assert (kept.source, kept.body) == ("2003-grand-prix-of-sonoma.txt", old.read_bytes())
    assert kept.race_key == keeper.built.race_keys[0]
    assert not any((clean_env / "data" / name).exists() for name in OLD_CACHES)
    assert old.exists()  # the old files are left where they were
    await keeper.close()
    again = await open_keeper(settings)  # taken over once: the history is not copied twice
    assert len(await again.store.history()) == 1
    assert (clean_env / "data" / DATABASE_NAME).is_file()
    await again.close()


def test_the_bot_and_the_keeper_share_one_store_path(clean_env: Path) -> None:
    """The configured folder's store is the data folder's racebot.sqlite3."""
    settings = Settings(RACEBOT_SEEDS_DIR=clean_env, RACEBOT_DATA_DIR=clean_env / "d")
    store, folder = store_of(settings)
    assert (store.engine.location, folder) == (str(clean_env / "d" / DATABASE_NAME), clean_env)
    assert isinstance(Keeper(store), Keeper)


async def test_a_second_document_of_a_race_is_refused_by_file_and_line(
    store_settings: Settings,
) -> None:
    """Two files of one race under two titles: the later file is refused at its heading line,
    naming the race it repeats; so is one repeating a race already stored."""
    seeds = seeds_of(store_settings)
    (seeds / "a.txt").write_bytes(SEED)
    retitled = SEED.replace(b"= 2003 Grand Prix of Sonoma =", b"= Sonoma 2003 =", 1)
    (seeds / "b.txt").write_bytes(b"\n\n" + retitled)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    assert [str(error) for error in await keeper.problems()] == [
        "b.txt:3: is the same race as a.txt ('2003 Grand Prix of Sonoma', American Le Mans"
        " Series, 2003-07-27): the same series and date; keep one document per race"
    ]
    (seeds / "c.txt").write_bytes(retitled)
    await keeper.mirror_seeds()
    assert "c.txt:1: is the same race as a.txt" in str((await keeper.problems())[1])
    with pytest.raises(AlreadyStored, match=r"^x\.txt:1: is the same race as a\.txt"):
        await keeper.import_document(retitled, "x.txt", by="1")
    await keeper.close()


async def test_an_unlikely_document_loads_with_its_warning(store_settings: Settings) -> None:
    """A lap count that goes up in the classified order: imported, with its line named."""
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    assert b"Maranello | | 96 |" in SEED
    unlikely = SEED.replace(b"Maranello | | 96 |", b"Maranello | | 99 |", 1)
    imported = await keeper.import_document(unlikely, "odd.txt", by="1")
    assert [str(w) for w in imported.warnings] == [
        "odd.txt:30: warning: 99 laps, more than the 97 of the car classified ahead of it"
    ]
    assert imported.change.action == "added"
    await keeper.close()


async def test_the_aliases_file_is_kept_in_the_store_and_applied(store_settings: Settings) -> None:
    """seeds/aliases.toml is kept in the store, applied, and a reload of it alone rebuilds."""
    seeds = seeds_of(store_settings)
    documents = Path(__file__).parents[1] / "core" / "library" / "identity_documents"
    for document in documents.glob("20*.txt"):
        shutil.copy(document, seeds / document.name)
    (seeds / "aliases.toml").write_text(
        '[[same]]\nteams = ["Dyson Racing", "Dyson Racing Team"]\n', encoding="utf-8"
    )
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    assert "Dyson Racing Team" in (await keeper.store.fact("aliases") or "")
    dyson = keeper.service.result("Dyson Racing", race="2004 Portland")
    assert dyson.notes == ("Dyson Racing, also entered as Dyson Racing Team",)
    (seeds / "aliases.toml").unlink()
    await keeper.mirror_seeds()
    assert await keeper.catch_up() == []  # no document changed: the library is rebuilt anyway
    assert await keeper.store.fact("aliases") == ""
    assert keeper.service.result("Dyson Racing", race="2004 Portland").notes == ()
    await keeper.close()


async def test_a_mirror_is_one_transaction_with_its_facts(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A changed file's mirror writes its race, the aliases file and when it ran in one
    transaction (a change is answered sooner, and no process sees one without the others); a
    mirror that finds nothing changed writes only the facts."""
    seeds = seeds_of(store_settings)
    (seeds / "sonoma.txt").write_bytes(SEED)
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    try:
        engine = keeper.store.engine
        opened: list[str] = []
        transaction = engine.transaction

        def counted() -> object:
            opened.append("transaction")
            return transaction()

        monkeypatch.setattr(engine, "transaction", counted)
        before = await keeper.store.fact(LAST_MIRROR)
        (seeds / "aliases.toml").write_text('[[same]]\nteams = ["A", "B"]\n', encoding="utf-8")
        (seeds / "sonoma.txt").write_bytes(SEED.replace(b"Dyson Racing", b"Dyson Team", 1))
        report = await keeper.mirror_seeds()
        assert [change.action for change in report.changes] == ["replaced"]
        assert opened == ["transaction"]
        assert await keeper.store.fact(ALIASES) == '[[same]]\nteams = ["A", "B"]\n'
        after = await keeper.store.fact(LAST_MIRROR)
        assert after is not None
        assert after != before
        opened.clear()
        assert (await keeper.mirror_seeds()).changes == ()
        assert opened == ["transaction"]
        assert (await keeper.store.fact(LAST_MIRROR) or "") > after
    finally:
        await keeper.close()
