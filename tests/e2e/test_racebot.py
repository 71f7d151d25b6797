"""The real racebot (settings, cogs, seed library) end to end through the Discord stand-in."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import discord
import pytest

from bench.standin import (
    EPHEMERAL,
    DiscordStandin,
)
from bot.app import cli
from bot.core.asking.answers import Answer
from bot.core.asking.query import QueryService
from bot.discord.client import RaceBot
from bot.discord.paging import PAGE_NEXT_ID, PAGE_PREV_ID
from bot.discord.rendering import message_payload
from bot.discord.views import EXPIRED, NOT_YOURS
from bot.present.cards import answer_cards
from tests.e2e.support import (
    OWNER,
    STRANGER,
    TOKEN,
    TOKEN_PARTS,
    ask,
    assert_clean,
    assert_public_answer,
    car_numbers,
    complete,
    field_value,
    fresh_user,
    is_ephemeral,
    new_bot,
    text_of,
)

# --- 1. login and command registration ---------------------------------------------------------


async def test_login_syncs_exactly_the_commands_racebot_prints(
    standin: DiscordStandin,
    live_bot: RaceBot,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Login, READY, and the guild sync payload equals `racebot commands --json`."""
    assert live_bot.user is not None
    assert live_bot.user.id == standin.application_id
    assert len(standin.received_frames(op=2)) == 1
    assert live_bot.get_guild(standin.guild_id) is not None

    guild_path = rf"/applications/{standin.application_id}/guilds/{standin.guild_id}/commands"
    [guild_put] = standin.requests_matching("PUT", guild_path)
    assert guild_put.status == 200

    capsys.readouterr()
    status = await asyncio.to_thread(cli.main, ["commands", "--json"])
    printed = json.loads(capsys.readouterr().out)
    assert status == 0
    assert guild_put.body == printed
    assert {c["name"] for c in printed} >= {"result", "class", "driver", "car", "stats"}

    synced = await live_bot.sync_commands()
    [global_put] = standin.requests_matching(
        "PUT", rf"/applications/{standin.application_id}/commands"
    )
    assert global_put.body == printed
    assert {c.name for c in synced} == {c["name"] for c in printed}
    assert_clean(standin)


# --- 2. the questions -------------------------------------------------------------------------


async def test_questions_get_the_right_public_embeds(
    standin: DiscordStandin, live_bot: RaceBot, service: QueryService
) -> None:
    """/result Dyson, /class GTS, /driver Herbert and /stats answer publicly with the facts."""
    data = await ask(standin, "result", {"query": "Dyson"})
    assert_public_answer(data, service.result("Dyson"))
    assert {"16", "20"} <= set(car_numbers(text_of(data)))

    data = await ask(standin, "class", {"class": "GTS"})
    assert_public_answer(data, service.class_results("GTS"))
    order = car_numbers(data["embeds"][0]["description"].replace("\\", ""))
    assert order == ["3", "4", "80", "88", "0", "71"]
    first_line = next(line for line in data["embeds"][0]["description"].splitlines() if "#" in line)
    assert "#3" in first_line.replace("\\", "")

    data = await ask(standin, "driver", {"name": "Herbert"})
    assert_public_answer(data, service.driver("Herbert"))
    text = text_of(data)
    assert "Johnny Herbert" in text
    assert "#38" in text
    assert re.search(r"\bP3\b.*\b2nd\b.*\bLMP900\b", text), text

    data = await ask(standin, "stats")
    assert_public_answer(data, service.stats())
    assert "1:23.085" in field_value(data, "Pole position")
    assert "415.307" in field_value(data, "Distance")
    assert_clean(standin)


async def test_compare_and_season_through_discord(
    standin: DiscordStandin, live_bot: RaceBot, service: QueryService
) -> None:
    """/compare and /season answer publicly; their options are completed."""
    data = await ask(standin, "compare", {"first": "Herbert", "second": "Werner"})
    assert_public_answer(data, service.compare("Herbert", "Werner"))
    assert "Marco Werner ahead 1–0" in text_of(data)

    data = await ask(standin, "season", {"series": "ALMS"})
    assert_public_answer(data, service.season("ALMS"))
    assert "2003 American Le Mans Series" in text_of(data)

    choices = await complete(standin, "season", "series", "")
    assert [c["name"] for c in choices] == ["2003 American Le Mans Series · 1 race"]
    choices = await complete(standin, "compare", "second", "Wer")
    assert "Marco Werner" in choices[0]["name"]
    assert_clean(standin)


# --- 3. autocomplete --------------------------------------------------------------------------


async def test_autocomplete_offers_ranked_choices(
    standin: DiscordStandin, live_bot: RaceBot
) -> None:
    """Driver, query (team), class and race options are completed, best first, at most 25."""
    choices = await complete(standin, "driver", "name", "Herb")
    assert "Johnny Herbert" in choices[0]["name"]

    choices = await complete(standin, "result", "query", "Dys")
    assert "Dyson" in choices[0]["name"]

    choices = await complete(standin, "class", "class", "")
    assert [c["value"] for c in choices] == ["LMP675", "LMP900", "GTS", "GT"]

    choices = await complete(standin, "stats", "race", "sonoma")
    assert "2003" in choices[0]["name"]
    assert "Sonoma" in choices[0]["value"]

    choices = await complete(standin, "result", "query", "a")
    assert 1 <= len(choices) <= 25
    assert_clean(standin)


# --- 4. pagination ----------------------------------------------------------------------------


PAGED_QUESTION: tuple[str, dict[str, str]] = ("result", {"query": "Racing"})
"""Every team called "... Racing": more cars than one page holds."""


def button_ids(data: Mapping[str, Any]) -> dict[str, bool]:
    """custom_id -> disabled for every button of a message."""
    return {
        button["custom_id"]: bool(button.get("disabled"))
        for row in data.get("components") or []
        for button in row["components"]
    }


async def test_pages_turn_for_the_asker_only(
    standin: DiscordStandin, live_bot: RaceBot, service: QueryService
) -> None:
    """A paged answer has ◀ ▶; the asker turns the page (type 7), anyone else is refused."""
    command, options = PAGED_QUESTION
    answer = service.ask(command, **options)
    assert len(answer_cards(answer)) > 1
    iid = await standin.send_command(command, options, user_id=OWNER)
    first = (await standin.wait_for_callback(iid))["data"]
    assert_public_answer(first, answer)
    assert first["components"] == message_payload(answer)["components"]
    assert button_ids(first) == {PAGE_PREV_ID: True, PAGE_NEXT_ID: False}
    message_id = standin.interactions[iid].original_message_id
    assert message_id is not None

    press = await standin.send_button(PAGE_NEXT_ID, message_id=message_id, user_id=STRANGER)
    refusal = await standin.wait_for_callback(press)
    assert refusal["type"] == 4
    assert is_ephemeral(refusal["data"])
    assert refusal["data"]["content"] == NOT_YOURS
    assert standin.messages[message_id]["embeds"] == first["embeds"]

    press = await standin.send_button(PAGE_NEXT_ID, message_id=message_id, user_id=OWNER)
    update = await standin.wait_for_callback(press)
    assert update["type"] == 7
    assert update["data"]["embeds"] == message_payload(answer, 1)["embeds"]
    assert update["data"]["components"] == message_payload(answer, 1)["components"]
    assert "page 2/" in update["data"]["embeds"][0]["footer"]["text"]
    assert button_ids(update["data"])[PAGE_PREV_ID] is False
    assert standin.messages[message_id]["embeds"] == update["data"]["embeds"]

    press = await standin.send_button(PAGE_PREV_ID, message_id=message_id, user_id=OWNER)
    back = await standin.wait_for_callback(press)
    assert back["type"] == 7
    assert back["data"]["embeds"] == first["embeds"]
    assert all(standin.callback_count(i) == 1 for i in standin.interactions)
    assert_clean(standin)


async def test_buttons_without_a_live_paginator_say_the_pages_expired(
    standin: DiscordStandin, live_bot: RaceBot
) -> None:
    """A press on page buttons no paginator owns (as after a restart) gets a private reply."""
    iid = await standin.send_command("result", {"query": "Dyson"}, user_id=OWNER)
    await standin.wait_for_callback(iid)
    message_id = standin.interactions[iid].original_message_id
    assert message_id is not None
    press = await standin.send_button(PAGE_NEXT_ID, message_id=message_id, user_id=OWNER)
    reply = await standin.wait_for_callback(press)
    assert reply["type"] == 4
    assert is_ephemeral(reply["data"])
    assert reply["data"]["content"] == EXPIRED
    assert_clean(standin)


# --- 5. unknown names, bad input, and a bug in a command -------------------------------------


async def test_unknown_names_and_bad_input_are_answered_privately(
    standin: DiscordStandin, live_bot: RaceBot
) -> None:
    """Nobody called Schumacher; empty, blank and oversized options: ephemeral replies."""
    data = await ask(standin, "driver", {"name": "Schumacher"})
    assert is_ephemeral(data)
    assert "Schumacher" in text_of(data)
    assert data["allowed_mentions"] == {"parse": []}

    for command, options in [
        ("result", {"query": ""}),
        ("result", {"query": "   "}),
        ("driver", {"name": "x" * 500}),
        ("car", {"number": "9" * 300}),
        ("stats", {"race": "Monaco 1929"}),
    ]:
        data = await ask(standin, command, options)
        assert is_ephemeral(data), (command, options)
        assert text_of(data).strip(), (command, options)
    assert_clean(standin)


async def test_a_failing_command_apologises_logs_and_keeps_serving(
    standin: DiscordStandin,
    live_bot: RaceBot,
    service: QueryService,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An exception in a command: a private apology with an error id, the traceback logged."""

    def broken(*args: object, **kwargs: object) -> Answer:
        raise RuntimeError("e2e: the query service broke")

    monkeypatch.setattr(live_bot.service, "stats", broken)
    with caplog.at_level(logging.ERROR):
        data = await ask(standin, "stats")
    assert is_ephemeral(data)
    found = re.search(r"error id `([0-9a-f]+)`", data["content"] or "")
    assert found is not None, data
    error_id = found.group(1)
    [record] = [r for r in caplog.records if error_id in r.getMessage()]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
    assert "Traceback (most recent call last)" in caplog.text
    assert "RuntimeError: e2e: the query service broke" in caplog.text

    monkeypatch.undo()
    data = await ask(standin, "stats")
    assert_public_answer(data, service.stats())
    data = await ask(standin, "result", {"query": "Dyson"})
    assert_public_answer(data, service.result("Dyson"))
    assert_clean(standin)


# --- owner commands: deferred, then a private follow-up -----------------------------------------


async def owner_command(standin: DiscordStandin, command: str) -> str:
    """Run an owner command as the owner; return its private follow-up's text."""
    mark = len(standin.requests)
    iid = await standin.send_command(command, user_id=int(standin.owner_user["id"]))
    assert await standin.wait_for_callback(iid) == {"type": 5, "data": {"flags": EPHEMERAL}}
    followup = await standin.wait_for_request(
        lambda r: r.method == "POST" and r.path.startswith("/webhooks/"), since=mark
    )
    assert followup.body["flags"] == EPHEMERAL
    assert followup.body["allowed_mentions"] == {"parse": []}
    text: str = followup.body["content"]
    return text


async def test_owner_commands_work_for_the_owner_only(
    standin: DiscordStandin, live_bot: RaceBot
) -> None:
    """/reload and /sync: refused privately to others; the owner gets a private report."""
    for command in ("reload", "sync"):
        data = await ask(standin, command)
        assert is_ephemeral(data)
        assert "owner" in data["content"]
    assert not standin.requests_matching("PUT", rf"/applications/{standin.application_id}/commands")

    assert re.match(r"Loaded \d+ races? from", await owner_command(standin, "reload"))
    report = await owner_command(standin, "sync")
    [global_put] = standin.requests_matching(
        "PUT", rf"/applications/{standin.application_id}/commands"
    )
    assert f"Registered {len(global_put.body)} commands globally" in report
    assert_clean(standin)


async def test_a_long_reload_report_fits_and_attaches_the_full_list(
    standin: DiscordStandin, live_bot: RaceBot, tmp_path: Path
) -> None:
    """/reload of many bad documents: a message within 2,000 characters plus the list as a file."""
    for number in range(60):
        (tmp_path / f"bad_{number:02}.txt").write_text("**junk** @everyone\n", encoding="utf-8")
    live_bot.keeper.seeds_dir = tmp_path  # its seeds folder now holds only bad documents
    mark = len(standin.requests)
    report = await owner_command(standin, "reload")
    assert report.startswith("Loaded 1 race from")  # the race it had stays
    assert len(report) <= 2000
    assert "@everyone" not in report
    assert r"bad\_00.txt" in report
    [followup] = [
        r for r in standin.requests[mark:] if r.method == "POST" and r.path.startswith("/webhooks/")
    ]
    assert followup.files == ["reload-errors.txt"]
    assert_clean(standin)


# --- 6. gateway outages -----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["close", "drop"])
async def test_resume_replays_questions_asked_during_an_outage(
    standin: DiscordStandin,
    live_bot: RaceBot,
    service: QueryService,
    mode: Literal["close", "drop"],
) -> None:
    """After a 4000 close or a dropped TCP connection the bot RESUMEs and answers everything."""
    session = standin.session
    assert session is not None
    mark = len(standin.frames)
    async with standin.outage(mode, code=4000):
        missed = await standin.send_command("result", {"query": "Dyson"}, user_id=fresh_user())
        assert not session.connected
    await standin.wait_for_resume(since=mark)
    data = (await standin.wait_for_callback(missed))["data"]
    assert_public_answer(data, service.result("Dyson"))

    later = [await standin.send_command("stats", user_id=fresh_user()) for _ in range(3)]
    for body in await standin.wait_for_callbacks(later):
        assert_public_answer(body["data"], service.stats())

    new = standin.frames[mark:]
    resumes = [f for f in new if f.direction == "in" and f.op == 6]
    assert len(resumes) == 1
    assert resumes[0].d["session_id"] == session.session_id
    assert [f.d["id"] for f in new if f.replayed] == [str(missed)]
    assert len(standin.received_frames(op=2)) == 1  # resumed, not re-identified
    assert all(standin.callback_count(i) == 1 for i in [missed, *later])
    assert_clean(standin)


# --- 7. Discord failing the callback ----------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500])
async def test_a_failed_callback_is_retried_and_answered_once(
    standin: DiscordStandin, live_bot: RaceBot, service: QueryService, status: int
) -> None:
    """A 429 (retry_after, Via) or a 500 on the callback: retried, answered exactly once."""
    standin.fail_next_callbacks(1, status, retry_after=0.1)
    iid = await standin.send_command("class", {"class": "GTS"}, user_id=fresh_user())
    body = await standin.wait_for_callback(iid, timeout=5.0)
    assert_public_answer(body["data"], service.class_results("GTS"))
    attempts = standin.callback_attempts(iid)
    assert [r.status for r in attempts] in ([status, 200], [status, 204])
    if status == 429:
        assert attempts[1].time - attempts[0].time >= 0.09  # waited retry_after
    await asyncio.sleep(0.05)
    assert standin.callback_count(iid) == 1
    assert_clean(standin)


# --- 8. a burst -------------------------------------------------------------------------------


BURST_QUESTIONS: list[tuple[str, dict[str, str]]] = [
    ("result", {"query": "Dyson"}),
    ("class", {"class": "GTS"}),
    ("driver", {"name": "Herbert"}),
    ("stats", {}),
    ("car", {"number": "16"}),
    ("class", {}),
    ("race", {}),
]


async def test_a_burst_of_1000_questions_is_answered_exactly_once(
    standin: DiscordStandin, live_bot: RaceBot, service: QueryService
) -> None:
    """1,000 questions back to back (a mix of commands): every one answered exactly once."""
    # Exactly-once is the point here; how fast is the benchmark's business (bench/e2e_bench.py),
    # so a slow or busy machine must not fail this test on Discord's 3 s deadline.
    standin.ack_deadline = 60.0
    expected = [
        message_payload(service.ask(command, **options))["embeds"]
        for command, options in BURST_QUESTIONS
    ]
    sent: list[tuple[int, int]] = []
    for n in range(1000):
        kind = n % len(BURST_QUESTIONS)
        command, options = BURST_QUESTIONS[kind]
        iid = await standin.send_command(command, options, user_id=fresh_user())
        sent.append((iid, kind))
    bodies = await standin.wait_for_callbacks([iid for iid, _ in sent], timeout=30.0)
    for (_, kind), body in zip(sent, bodies, strict=True):
        assert body["type"] == 4
        assert body["data"]["embeds"] == expected[kind]
    await asyncio.sleep(0.05)
    assert standin.unanswered() == []
    assert all(len(standin.callback_attempts(iid)) == 1 for iid, _ in sent)
    assert all(standin.callback_count(iid) == 1 for iid, _ in sent)
    assert_clean(standin)


# --- 9. the token stays secret ----------------------------------------------------------------


def leaks(text: str) -> bool:
    """Whether text contains the token or its secret part."""
    return TOKEN in text or TOKEN_PARTS[2] in text


def record_texts(record: logging.LogRecord) -> Iterator[str]:
    """Everything a log record could print: message, arguments, exception and stack."""
    yield record.getMessage()
    yield repr(record.args)
    yield repr(record.msg)
    yield record.exc_text or ""
    yield record.stack_info or ""
    if record.exc_info:
        yield logging.Formatter().formatException(record.exc_info)


async def test_the_token_never_leaks(
    standin: DiscordStandin,
    service: QueryService,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
) -> None:
    """Login, sync, answers, an error and reconnects at DEBUG: the token is in no log line."""
    caplog.set_level(logging.DEBUG)
    discord.utils.setup_logging(level=logging.DEBUG)  # as `racebot run` does, onto stderr
    bot = new_bot(standin, service)
    async with standin.running(bot, token=TOKEN):
        await bot.sync_commands()
        await ask(standin, "result", {"query": "Dyson"})
        await complete(standin, "driver", "name", "Herb")
        with monkeypatch.context() as patch:
            patch.setattr(bot.service, "stats", lambda *a, **k: 1 / 0)
            assert "error id" in (await ask(standin, "stats"))["content"]
        for mode in ("close", "drop"):
            mark = len(standin.frames)
            async with standin.outage(mode, code=4000):
                iid = await standin.send_command("stats", user_id=fresh_user())
            await standin.wait_for_resume(since=mark)
            await standin.wait_for_callback(iid)
    assert bot.is_closed()

    assert len(caplog.records) > 20  # discord.py's DEBUG logging was really captured
    assert any(r.name.startswith("discord.") and r.levelno == logging.DEBUG for r in caplog.records)
    captured = capsys.readouterr()
    assert "discord.gateway" in captured.err  # the formatted log lines really went there
    # Where the token showed up, by name only: a failure must not print the token itself.
    places = [
        f"log record from {record.name}"
        for record in caplog.records
        if any(leaks(text) for text in record_texts(record))
    ]
    places += [name for name, text in [("caplog.text", caplog.text)] if leaks(text)]
    places += [f"std{name}" for name in ("out", "err") if leaks(getattr(captured, name))]

    for request in standin.requests:
        where = f"{request.method} {request.path[:40]}"
        if leaks(json.dumps([request.body, request.path, request.query])):
            places.append(f"{where} body, path or query")
        for name, value in request.headers.items():
            allowed = name.lower() == "authorization" and value == f"Bot {TOKEN}"
            if leaks(value) and not allowed:
                places.append(f"{where} header {name}")
    for frame in standin.frames:
        payload = dict(frame.d) if isinstance(frame.d, dict) else frame.d
        # IDENTIFY and RESUME carry it, as they must, in "token" and nowhere else.
        carries_token = frame.direction == "in" and frame.op in (2, 6)
        if carries_token and payload.pop("token", None) != TOKEN:
            places.append(f"gateway op {frame.op} without the right token")
        if leaks(json.dumps(payload)):
            places.append(f"gateway frame {frame.direction} op {frame.op} t {frame.t}")
    assert places == []
    assert_clean(standin)
