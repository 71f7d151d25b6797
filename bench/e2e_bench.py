"""End to end: INTERACTION_CREATE from the Discord stand-in to the bot's callback, over 127.0.0.1.

Four bots take turns, each behind its own stand-in (strict validation on): a plain
`commands.Bot` whose one slash command echoes a short text (the floor: discord.py's own cost,
with the same bounded connection pool as racebot, so the ratio compares the commands and not
the pools), the same bot sending racebot's answers prepared in advance, racebot with its real
settings, cogs and seed library, and racebot rendering every answer anew (see BOTS). Each is
driven paced at 100, 500 and 1,000 interactions per second and by bursts of 2,000.

As in production, Discord is not on the bot's CPU: the stand-in, which also generates the load
and measures latency (from dispatching the event to accepting the callback, on its own clock),
runs in a child process, and the bot under test in this one. The table shows both processes'
CPU use, so a saturated stand-in would be visible.

Every question comes from a new user, as a crowd of people would ask: racebot's per-user
cooldown is part of what is measured (the echo bot has none).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import itertools
import multiprocessing
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Final

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bench.standin import DiscordStandin, open_file_limit
from bench.timing import median, percentile
from bot.core.asking.query import QueryService
from bot.core.library.loading import load_library
from bot.discord.answer_service import AnswerService
from bot.discord.client import HTTP_CONNECTIONS, RaceBot, build_bot
from bot.discord.rendering import answer_embeds
from bot.settings import DEFAULT_SEEDS_DIR, Settings
from cogs import EXTENSIONS

# Shaped like a bot token (Settings checks the shape); it only ever reaches the stand-in.
TOKEN: Final = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.RcEbOt.bench-only-not-a-real-token-5e8d"

RATES: Final = (100, 500, 1_000)
PHASE_S: Final = 2.0
BURST: Final = 2_000
BURST_RUNS: Final = 5  # rounds of bursts, one per bot each; figures are medians over rounds
WARMUP: Final = 100
DRAIN_TIMEOUT_S: Final = 15.0
GUILD_READY_TIMEOUT_S: Final = 0.05
SPAWN: Final = multiprocessing.get_context("spawn")  # a clean child, not a fork of a live loop

TARGET_P99_MS_AT_500: Final = 20.0
TARGET_RATIO: Final = 0.7

Question = tuple[str, dict[str, str]]
ECHO_MIX: Final[Sequence[Question]] = (("echo", {"text": "pong"}),)
BOTS: Final = ("echo", "echo-embed", "racebot", "racebot-cold")
"""The floor; the floor sending racebot's own answers, made in advance (what the size of the
answers costs discord.py); racebot as it runs (repeated questions answered from its rendered
answers); racebot rendering every answer anew (the cost of a question never asked before)."""
RACEBOT_MIX: Final[Sequence[Question]] = (
    ("result", {"query": "Dyson"}),
    ("class", {"class": "GTS"}),
    ("driver", {"name": "Herbert"}),
    ("car", {"number": "16"}),
    ("stats", {}),
)


# --- the echo floor ---------------------------------------------------------------------------


@app_commands.command(description="Reply with the text")
async def echo(interaction: discord.Interaction[EchoBot], text: str) -> None:
    """Answer with the text (about the least a slash command can do), or a canned embed."""
    canned = interaction.client.canned
    if canned:
        await interaction.response.send_message(embed=canned[interaction.id % len(canned)])
    else:
        await interaction.response.send_message(text)


class EchoBot(commands.Bot):
    """A plain bot with racebot's intents and one slash command, synced to the guild."""

    def __init__(self, guild_id: int, canned: Sequence[discord.Embed] = ()) -> None:
        """Guilds intent only, no mentions, a short guild_ready_timeout; `canned` replies."""
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=GUILD_READY_TIMEOUT_S,
            connector=aiohttp.TCPConnector(limit=HTTP_CONNECTIONS),
        )
        self.guild_id = guild_id
        self.canned = tuple(canned)

    async def setup_hook(self) -> None:
        """Register /echo in the stand-in's guild."""
        self.tree.add_command(echo)
        guild = discord.Object(self.guild_id)
        self.tree.copy_global_to(guild=guild)
        await self.tree.sync(guild=guild)


def canned_answers(service: QueryService) -> list[discord.Embed]:
    """The first page of racebot's answer to each question of its mix."""
    return [answer_embeds(service.ask(command, **options))[0] for command, options in RACEBOT_MIX]


def racebot(guild_id: int, service: QueryService, *, keep_answers: bool = True) -> RaceBot:
    """racebot as `racebot run` builds it, with settings that ignore the environment and .env."""
    settings = Settings(
        _env_file=None,
        DISCORD_TOKEN=TOKEN,
        DISCORD_GUILD_ID=guild_id,
        RACEBOT_SEEDS_DIR=DEFAULT_SEEDS_DIR,
        LOG_LEVEL="WARNING",
        RACEBOT_SHARD_COUNT=None,
        RACEBOT_SHARD_IDS=None,
    )
    bot = build_bot(
        settings, service, extensions=EXTENSIONS, guild_ready_timeout=GUILD_READY_TIMEOUT_S
    )
    if not keep_answers:
        bot.answers = AnswerService(service, kept=0)
    return bot


# --- driving ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    """What one phase sent and got back."""

    bot: str
    name: str
    sent: int
    answered: int
    lost: int
    late: int
    duplicated: int
    per_s: float
    p50_ms: float
    p99_ms: float
    standin_cpu: float
    bot_cpu: float = 0.0


async def drive(
    standin: DiscordStandin,
    mix: Sequence[Question],
    users: Iterator[int],
    count: int,
    rate: float | None,
) -> list[int]:
    """Dispatch `count` questions, at `rate` per second or all at once; return their ids."""
    ids: list[int] = []
    start = time.perf_counter()
    for n in range(count):
        if rate is not None:
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        command, options = mix[n % len(mix)]
        ids.append(await standin.send_command(command, options, user_id=next(users)))
    return ids


async def settle(standin: DiscordStandin, ids: list[int]) -> None:
    """Wait until every interaction is answered, or give up after DRAIN_TIMEOUT_S (lost)."""
    with contextlib.suppress(TimeoutError):
        await standin.wait_for_callbacks(ids, timeout=DRAIN_TIMEOUT_S)
    await asyncio.sleep(0.05)  # a duplicate answer would arrive right after the first


async def phase(
    standin: DiscordStandin,
    bot: str,
    name: str,
    mix: Sequence[Question],
    users: Iterator[int],
    count: int,
    rate: float | None,
) -> Phase:
    """Drive one phase to the end and measure it with the stand-in's clock."""
    # What the stand-in has recorded so far (every request, frame and message) would otherwise
    # be rescanned by each full garbage collection: a cost of the stand-in, not of the bot.
    gc.collect()
    gc.freeze()
    wall, cpu = time.perf_counter(), time.process_time()
    ids = await drive(standin, mix, users, count, rate)
    await settle(standin, ids)
    standin_cpu = (time.process_time() - cpu) / (time.perf_counter() - wall)
    records = [standin.interactions[i] for i in ids]
    answered = [r for r in records if r.callbacks]
    latencies = [r.ack_latency * 1000 for r in answered if r.ack_latency is not None]
    span = max((r.acked_at or 0.0 for r in answered), default=0.0) - records[0].created
    return Phase(
        bot=bot,
        name=name,
        sent=len(records),
        answered=len(answered),
        lost=len(records) - len(answered),
        late=sum(1 for latency in latencies if latency > standin.ack_deadline * 1000),
        duplicated=sum(max(0, len(r.attempts) - 1) + len(r.followups) for r in records),
        per_s=len(answered) / span if answered and span > 0 else 0.0,
        p50_ms=percentile(latencies, 0.5) if latencies else float("nan"),
        p99_ms=percentile(latencies, 0.99) if latencies else float("nan"),
        standin_cpu=standin_cpu,
    )


# --- the stand-in's process: Discord, the load and the clock ---------------------------------


def problems_of(label: str, standin: DiscordStandin) -> list[str]:
    """What the stand-in refused or did not know, apart from late answers (counted per phase)."""
    problems = [
        f"{label}: {v.where.split('/')[0]}/{v.where.split('/')[1]}/…: "
        f"{v.path or '<root>'}: {v.problem}"
        for v in standin.violations
        if not v.problem.startswith("acknowledged after")
    ]
    problems += [f"{label}: unknown route {r.method} {r.path}" for r in standin.unknown_routes]
    return problems


def standin_process(conn: Connection, label: str, first_user: int) -> None:
    """Child process: serve a stand-in and run the phases the parent asks for."""
    with open_file_limit():
        asyncio.run(_serve(conn, label, first_user))


async def _serve(conn: Connection, label: str, first_user: int) -> None:
    mix = RACEBOT_MIX if label.startswith("racebot") else ECHO_MIX
    users = itertools.count(first_user)
    async with DiscordStandin(token=TOKEN, strict=True) as standin:
        conn.send((standin.api_base, standin.gateway_url, standin.guild_id))
        while True:
            request = await asyncio.to_thread(conn.recv)
            if request is None:
                break
            name, count, rate = request
            if name == "ready":
                await standin.wait_for_session()
                await settle(standin, await drive(standin, mix, users, count, None))
                conn.send(None)
            else:
                conn.send(await phase(standin, label, name, mix, users, count, rate))
        conn.send(problems_of(label, standin))


# --- this process: the bot under test --------------------------------------------------------


@dataclass
class Rig:
    """A bot in this process, connected to a stand-in in a child process."""

    label: str
    conn: Connection

    async def phase(self, name: str, count: int, rate: float | None) -> Phase:
        """Have the stand-in drive one phase; add this process's CPU use to its figures."""
        gc.collect()
        gc.freeze()  # the bot's long-lived objects need not be rescanned during the phase
        wall, cpu = time.perf_counter(), time.process_time()
        await asyncio.to_thread(self.conn.send, (name, count, rate))
        measured: Phase = await asyncio.to_thread(self.conn.recv)
        bot_cpu = (time.process_time() - cpu) / (time.perf_counter() - wall)
        gc.unfreeze()
        return dataclasses.replace(measured, bot_cpu=bot_cpu)


@contextlib.contextmanager
def discord_urls(api_base: str, gateway_url: str) -> Iterator[None]:
    """Point discord.py at the stand-in (its URLs are read per request), then restore."""
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = api_base, yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


@contextlib.asynccontextmanager
async def connected(
    label: str, service: QueryService, first_user: int, problems: list[str]
) -> AsyncIterator[Rig]:
    """A fresh stand-in process, the bot connected to it and warmed up."""
    conn, child_conn = multiprocessing.Pipe()
    child = SPAWN.Process(target=standin_process, args=(child_conn, label, first_user))
    child.start()
    try:
        api_base, gateway_url, guild_id = await asyncio.to_thread(conn.recv)
        bot: discord.Client
        if label.startswith("racebot"):
            bot = racebot(guild_id, service, keep_answers=label == "racebot")
        else:
            bot = EchoBot(guild_id, canned_answers(service) if label == "echo-embed" else ())
        with discord_urls(api_base, gateway_url):
            async with bot:
                task = asyncio.create_task(bot.start(TOKEN))
                await asyncio.wait_for(bot.wait_until_ready(), timeout=30)
                await asyncio.to_thread(conn.send, ("ready", WARMUP, None))
                await asyncio.to_thread(conn.recv)
                yield Rig(label, conn)
                await asyncio.to_thread(conn.send, None)
                problems += await asyncio.to_thread(conn.recv)
                await bot.close()
                await task
    finally:
        child.join(timeout=30)
        if child.is_alive():
            child.kill()


async def run_all() -> tuple[list[Phase], list[str]]:
    """Echo and racebot in turns, each round on fresh stand-ins: paced phases, then bursts.

    Taking turns means a slow spell of the machine hits both bots rather than one, so their
    ratio is steadier than two back-to-back runs would give.
    """
    loaded = load_library(DEFAULT_SEEDS_DIR)
    library = loaded.library
    service = QueryService(library)
    phases: list[Phase] = []
    problems: list[str] = []
    for run in range(1, BURST_RUNS + 1):
        for index, label in enumerate(BOTS):
            first_user = 10**18 * run + 10**17 * index
            async with connected(label, service, first_user, problems) as rig:
                if run == 1:
                    for rate in RATES:
                        phases.append(await rig.phase(f"{rate}/s paced", int(rate * PHASE_S), rate))
                phases.append(await rig.phase(f"{BURST} burst #{run}", BURST, None))
    phases.sort(key=lambda p: p.bot)  # the table reads bot by bot, in the order they ran
    return phases, problems


def print_phases(phases: Sequence[Phase]) -> None:
    """The table: one row per bot and phase."""
    print(
        "\nEnd to end through the Discord stand-in (127.0.0.1, stand-in and bot in separate "
        "processes; latency = dispatch -> callback accepted)"
    )
    print(
        f"  {'bot':<10} {'phase':<16} {'sent':>5} {'answered':>8} {'lost':>4} {'late':>4} "
        f"{'dup':>3} {'answered/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'bot cpu':>7} "
        f"{'stand-in cpu':>12}"
    )
    for p in phases:
        print(
            f"  {p.bot:<10} {p.name:<16} {p.sent:>5} {p.answered:>8} {p.lost:>4} {p.late:>4} "
            f"{p.duplicated:>3} {p.per_s:>10.0f} {p.p50_ms:>8.2f} {p.p99_ms:>8.2f} "
            f"{p.bot_cpu:>7.0%} {p.standin_cpu:>12.0%}"
        )
    print(
        "  (late: answered after the 3 s Discord allows; cpu: a process's CPU time / wall time;"
        " a bot below ~95% in a burst is waiting on the stand-in or on other load)"
    )


def run() -> dict[str, float]:
    """Measure and print; return the figures for BENCH_JSON."""
    started = time.perf_counter()
    with open_file_limit():  # a 2,000 burst holds ~4,000 sockets at once
        phases, problems = asyncio.run(run_all())
    elapsed = time.perf_counter() - started

    def bursts(bot: str) -> list[Phase]:
        return [p for p in phases if p.bot == bot and "burst" in p.name]

    def paced(bot: str, rate: int) -> Phase:
        return next(p for p in phases if p.bot == bot and p.name == f"{rate}/s paced")

    def median_ratio(top: str, bottom: str) -> float:
        # Round by round: both bursts of a round met the same state of this noisy machine.
        return median([a.per_s / b.per_s for a, b in zip(bursts(top), bursts(bottom), strict=True)])

    echo_per_s = median([p.per_s for p in bursts("echo")])
    embed_per_s = median([p.per_s for p in bursts("echo-embed")])
    race_per_s = median([p.per_s for p in bursts("racebot")])
    ratio = median_ratio("racebot", "echo")
    size_ratio = median_ratio("echo-embed", "echo")
    work_ratio = median_ratio("racebot", "echo-embed")
    cold_per_s = median([p.per_s for p in bursts("racebot-cold")])
    cold_ratio = median_ratio("racebot-cold", "echo")
    cold_work_ratio = median_ratio("racebot-cold", "echo-embed")
    race_500 = paced("racebot", 500)
    race_cpu = median([p.bot_cpu for p in bursts("racebot")])
    standin_cpu = median([p.standin_cpu for p in bursts("racebot")])
    racebot_phases = [p for p in phases if p.bot.startswith("racebot")]
    lost = sum(p.lost for p in racebot_phases)
    late = sum(p.late for p in racebot_phases)
    duplicated = sum(p.duplicated for p in racebot_phases)

    print_phases(phases)
    print(
        f"  bursts, median of {BURST_RUNS} rounds: racebot {race_per_s:.0f}/s, "
        f"racebot-cold {cold_per_s:.0f}/s, echo {echo_per_s:.0f}/s, "
        f"echo-embed {embed_per_s:.0f}/s\n"
        f"  racebot / echo, median of the rounds' ratios: {ratio:.2f}  "
        f"(target >= {TARGET_RATIO}); every answer rendered anew: {cold_ratio:.2f}\n"
        f"    the size of the answers (echo-embed / echo): {size_ratio:.2f}; racebot's own "
        f"work (racebot / echo-embed): {work_ratio:.2f}, rendered anew {cold_work_ratio:.2f}\n"
        f"  racebot at 500/s: p50 {race_500.p50_ms:.2f} ms, p99 {race_500.p99_ms:.2f} ms  "
        f"(target p99 <= {TARGET_P99_MS_AT_500} ms)\n"
        f"  both racebots over all phases: lost {lost}, duplicated {duplicated}  (target 0); "
        f"late {late}\n"
        f"  CPU in racebot's bursts (median): bot {race_cpu:.0%}, stand-in {standin_cpu:.0%}\n"
        f"  stand-in violations other than late answers: {len(problems)}; "
        f"the e2e bench took {elapsed:.1f} s"
    )
    for problem in problems[:5]:
        print(f"    {problem}")
    if len(problems) > 5:
        print(f"    ... and {len(problems) - 5} more")
    return {
        "e2e_per_s": round(race_per_s, 1),
        "e2e_p50_ms_at_500": round(race_500.p50_ms, 3),
        "e2e_p99_ms_at_500": round(race_500.p99_ms, 3),
        "e2e_lost": float(lost),
        "e2e_dup": float(duplicated),
        "e2e_late": float(late),
        "e2e_ratio_vs_echo": round(ratio, 3),
        "e2e_cold_per_s": round(cold_per_s, 1),
        "e2e_cold_ratio_vs_echo": round(cold_ratio, 3),
        "echo_per_s": round(echo_per_s, 1),
        "echo_embed_per_s": round(embed_per_s, 1),
        "echo_p99_ms_at_500": round(paced("echo", 500).p99_ms, 3),
        "e2e_bot_cpu_in_burst": round(race_cpu, 3),
        "e2e_standin_cpu_in_burst": round(standin_cpu, 3),
        "e2e_standin_violations": float(len(problems)),
    }
