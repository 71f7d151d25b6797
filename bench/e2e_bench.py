"""End to end: INTERACTION_CREATE from the Discord stand-in to the bot's callback, over 127.0.0.1.

Two bots, one after the other, each behind its own stand-in (strict validation on): a plain
`commands.Bot` whose one slash command echoes a short text (the floor: discord.py's own cost)
and racebot with its real settings, cogs and seed library. Each is driven paced at 100, 500
and 1,000 interactions per second and by a burst of 2,000. Latency is the stand-in's own
measurement: from dispatching the event to accepting the callback. Everything runs in this
process on one event loop, so the stand-in's work counts against the bots' figures; a short
profiled burst at the end shows how much of the CPU time is the stand-in's.

Every question comes from a new user, as a crowd of people would ask: racebot's per-user
cooldown is part of what is measured (the echo bot has none).
"""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import gc
import itertools
import pstats
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

import discord
from discord import app_commands
from discord.ext import commands

from bench.timing import percentile
from bot.client import RaceBot, build_bot
from bot.library import DEFAULT_SEEDS_DIR, RaceLibrary
from bot.query import QueryService
from bot.settings import Settings
from tests.e2e.standin import DiscordStandin, open_file_limit

# Shaped like a bot token (Settings checks the shape); it only ever reaches the stand-in.
TOKEN: Final = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.RcEbOt.bench-only-not-a-real-token-5e8d"

RATES: Final = (100, 500, 1_000)
PHASE_S: Final = 2.0
BURST: Final = 2_000
BURST_RUNS: Final = 3  # throughput is the best of these: other load on the machine only slows
WARMUP: Final = 100
PROFILED_BURST: Final = 500
DRAIN_TIMEOUT_S: Final = 15.0
GUILD_READY_TIMEOUT_S: Final = 0.05

TARGET_P99_MS_AT_500: Final = 20.0
TARGET_RATIO: Final = 0.7

Question = tuple[str, dict[str, str]]
ECHO_MIX: Final[Sequence[Question]] = (("echo", {"text": "pong"}),)
RACEBOT_MIX: Final[Sequence[Question]] = (
    ("result", {"query": "Dyson"}),
    ("class", {"class": "GTS"}),
    ("driver", {"name": "Herbert"}),
    ("car", {"number": "16"}),
    ("stats", {}),
)


# --- the echo floor ---------------------------------------------------------------------------


@app_commands.command(description="Reply with the text")
async def echo(interaction: discord.Interaction, text: str) -> None:
    """Answer with the text: about the least a slash command can do."""
    await interaction.response.send_message(text)


class EchoBot(commands.Bot):
    """A plain bot with racebot's intents and one slash command, synced to the guild."""

    def __init__(self, guild_id: int) -> None:
        """Guilds intent only, no mentions, a short guild_ready_timeout."""
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=GUILD_READY_TIMEOUT_S,
        )
        self.guild_id = guild_id

    async def setup_hook(self) -> None:
        """Register /echo in the stand-in's guild."""
        self.tree.add_command(echo)
        guild = discord.Object(self.guild_id)
        self.tree.copy_global_to(guild=guild)
        await self.tree.sync(guild=guild)


def racebot(standin: DiscordStandin, service: QueryService) -> RaceBot:
    """racebot as `racebot run` builds it, with settings that ignore the environment and .env."""
    settings = Settings(
        _env_file=None,
        DISCORD_TOKEN=TOKEN,
        DISCORD_GUILD_ID=standin.guild_id,
        RACEBOT_SEEDS_DIR=DEFAULT_SEEDS_DIR,
        LOG_LEVEL="WARNING",
        RACEBOT_SHARD_COUNT=None,
        RACEBOT_SHARD_IDS=None,
    )
    return build_bot(settings, service, guild_ready_timeout=GUILD_READY_TIMEOUT_S)


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
    cpu_share: float


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
    cpu_share = (time.process_time() - cpu) / (time.perf_counter() - wall)
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
        cpu_share=cpu_share,
    )


# Where the stand-in's work starts: dispatching an event, and aiohttp serving a REST request.
STANDIN_ENTRY_POINTS: Final = (
    ("e2e/standin.py", "send_command"),
    ("aiohttp/web_protocol.py", "data_received"),
    ("aiohttp/web_protocol.py", "_handle_request"),
    ("aiohttp/web_protocol.py", "finish_response"),
)


def standin_share(profile: cProfile.Profile) -> float:
    """Share of the profiled CPU time spent inside the stand-in's entry points."""
    stats: dict[Any, Any] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in stats.values())
    ours = sum(
        entry[3]
        for (filename, _, function), entry in stats.items()
        if any(filename.endswith(f) and function == fn for f, fn in STANDIN_ENTRY_POINTS)
    )
    return ours / total if total else 0.0


async def run_bot(
    label: str,
    mix: Sequence[Question],
    make_bot: Callable[[DiscordStandin], discord.Client],
    users: Iterator[int],
) -> tuple[list[Phase], float, list[str]]:
    """Connect one bot to a fresh stand-in, run every phase; return phases, share, problems."""
    phases: list[Phase] = []
    async with DiscordStandin(token=TOKEN, strict=True) as standin:
        with standin.patched():
            async with standin.running(make_bot(standin), token=TOKEN):
                await settle(standin, await drive(standin, mix, users, WARMUP, None))
                for rate in RATES:
                    count = int(rate * PHASE_S)
                    phases.append(
                        await phase(standin, label, f"{rate}/s paced", mix, users, count, rate)
                    )
                for run in range(1, BURST_RUNS + 1):
                    name = f"{BURST} burst #{run}"
                    phases.append(await phase(standin, label, name, mix, users, BURST, None))
                profile = cProfile.Profile()
                profile.enable()
                await settle(standin, await drive(standin, mix, users, PROFILED_BURST, None))
                profile.disable()
        gc.unfreeze()
        # Late answers are counted per phase (the "late" column); anything else is listed.
        problems = [
            f"{label}: {v.where.split('/')[0]}/{v.where.split('/')[1]}/…: "
            f"{v.path or '<root>'}: {v.problem}"
            for v in standin.violations
            if not v.problem.startswith("acknowledged after")
        ]
        problems += [f"{label}: unknown route {r.method} {r.path}" for r in standin.unknown_routes]
    return phases, standin_share(profile), problems


async def run_all() -> tuple[list[Phase], dict[str, float], list[str]]:
    """The echo floor, then racebot, each in its own stand-in."""
    library, _ = RaceLibrary.from_folder(DEFAULT_SEEDS_DIR)
    service = QueryService(library)
    users = itertools.count(9_000_000_000_000_000_000)
    echo_phases, echo_share, echo_problems = await run_bot(
        "echo", ECHO_MIX, lambda s: EchoBot(s.guild_id), users
    )
    race_phases, race_share, race_problems = await run_bot(
        "racebot", RACEBOT_MIX, lambda s: racebot(s, service), users
    )
    shares = {"echo": echo_share, "racebot": race_share}
    return echo_phases + race_phases, shares, echo_problems + race_problems


def print_phases(phases: Sequence[Phase]) -> None:
    """The table: one row per bot and phase."""
    print(
        "\nEnd to end through the Discord stand-in (127.0.0.1, one process; "
        "latency = dispatch -> callback accepted)"
    )
    print(
        f"  {'bot':<8} {'phase':<16} {'sent':>5} {'answered':>8} {'lost':>4} {'late':>4} "
        f"{'dup':>3} {'answered/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'cpu':>5}"
    )
    for p in phases:
        print(
            f"  {p.bot:<8} {p.name:<16} {p.sent:>5} {p.answered:>8} {p.lost:>4} {p.late:>4} "
            f"{p.duplicated:>3} {p.per_s:>10.0f} {p.p50_ms:>8.2f} {p.p99_ms:>8.2f} "
            f"{p.cpu_share:>5.0%}"
        )
    print(
        "  (late: answered after the 3 s Discord allows; cpu: this process's CPU time / wall "
        "time, below ~95% in a burst means other load on the machine)"
    )


def run() -> dict[str, float]:
    """Measure and print; return the figures for BENCH_JSON."""
    started = time.perf_counter()
    with open_file_limit():  # a 2,000 burst holds ~4,000 sockets at once
        phases, shares, problems = asyncio.run(run_all())
    elapsed = time.perf_counter() - started

    def best_burst(bot: str) -> Phase:
        bursts = [p for p in phases if p.bot == bot and "burst" in p.name]
        return max(bursts, key=lambda p: p.per_s)

    def paced(bot: str, rate: int) -> Phase:
        return next(p for p in phases if p.bot == bot and p.name == f"{rate}/s paced")

    echo_burst, race_burst = best_burst("echo"), best_burst("racebot")
    race_500 = paced("racebot", 500)
    ratio = race_burst.per_s / echo_burst.per_s if echo_burst.per_s else 0.0
    racebot_phases = [p for p in phases if p.bot == "racebot"]
    lost = sum(p.lost for p in racebot_phases)
    late = sum(p.late for p in racebot_phases)
    duplicated = sum(p.duplicated for p in racebot_phases)

    print_phases(phases)
    print(
        f"  racebot burst / echo burst (best of {BURST_RUNS}): "
        f"{race_burst.per_s:.0f} / {echo_burst.per_s:.0f} = {ratio:.2f}  "
        f"(target >= {TARGET_RATIO})\n"
        f"  racebot at 500/s: p50 {race_500.p50_ms:.2f} ms, p99 {race_500.p99_ms:.2f} ms  "
        f"(target p99 <= {TARGET_P99_MS_AT_500} ms)\n"
        f"  racebot over all phases: lost {lost}, duplicated {duplicated}  (target 0); "
        f"late {late}\n"
        f"  stand-in share of CPU in a profiled {PROFILED_BURST}-burst: "
        f"echo {shares['echo']:.0%}, racebot {shares['racebot']:.0%}\n"
        f"  stand-in violations other than late answers: {len(problems)}; "
        f"the e2e bench took {elapsed:.1f} s"
    )
    for problem in problems[:5]:
        print(f"    {problem}")
    if len(problems) > 5:
        print(f"    ... and {len(problems) - 5} more")
    return {
        "e2e_per_s": round(race_burst.per_s, 1),
        "e2e_p50_ms_at_500": round(race_500.p50_ms, 3),
        "e2e_p99_ms_at_500": round(race_500.p99_ms, 3),
        "e2e_lost": float(lost),
        "e2e_dup": float(duplicated),
        "e2e_late": float(late),
        "e2e_ratio_vs_echo": round(ratio, 3),
        "echo_per_s": round(echo_burst.per_s, 1),
        "echo_p99_ms_at_500": round(paced("echo", 500).p99_ms, 3),
        "e2e_standin_share": round(shares["racebot"], 3),
        "e2e_standin_violations": float(len(problems)),
    }
