"""The `racebot` command: console, one-off questions, export, and the Discord bot."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

USAGE_ERROR = 2
STORE_ERROR = 1


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar; each sub-command imports its module only when used."""
    parser = argparse.ArgumentParser(
        prog="racebot",
        description="Answers questions about motor-race results, on Discord or offline.",
        epilog="With no command: the interactive offline console.",
    )
    seeds = argparse.ArgumentParser(add_help=False)
    seeds.add_argument(
        "--seeds",
        type=Path,
        metavar="DIR",
        help="folder of race documents (default: RACEBOT_SEEDS_DIR, else the project's seeds/)",
    )
    charts = argparse.ArgumentParser(add_help=False)
    charts.add_argument(
        "--chart-dir",
        type=Path,
        metavar="DIR",
        help="where /chart writes its picture (default: the data folder's charts/)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = commands.add_parser(
        "ask",
        parents=[seeds, charts],
        help="answer one question, e.g. racebot ask '/driver Herbert'",
    )
    ask.add_argument("question", help="a slash command as typed in Discord")
    ask.add_argument(
        "--json", action="store_true", help="print the exact Discord message payload instead"
    )
    commands.add_parser("console", parents=[seeds, charts], help="the interactive offline console")

    chart = commands.add_parser("chart", parents=[seeds], help="write a race's chart as a PNG")
    chart.add_argument("--race", help="title, year or circuit (default: the latest race)")
    chart.add_argument(
        "--output", type=Path, required=True, metavar="FILE.png", help="the PNG file to write"
    )

    export = commands.add_parser("export", parents=[seeds], help="print the parsed races")
    export.add_argument(
        "--format",
        choices=("json", "csv"),
        default="json",
        help="json (default): every race with its entries; csv: one row per car",
    )

    check = commands.add_parser("check", help="check race documents and print every problem")
    check.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="FILE_OR_DIR",
        help="race documents, or folders whose *.txt documents are checked",
    )

    importing = commands.add_parser(
        "import", parents=[seeds], help="add a race document to the store, as /import does"
    )
    importing.add_argument("file", type=Path, metavar="FILE", help="the race document to add")
    importing.add_argument(
        "--replace",
        action="store_true",
        help="replace the race's stored document (the old one is kept in its history)",
    )
    removing = commands.add_parser(
        "remove", parents=[seeds], help="remove an imported race (its document is kept)"
    )
    removing.add_argument("race", help="the race's title, as /races lists it")
    commands.add_parser(
        "migrate",
        parents=[seeds],
        help="bring the store's schema up to date and mirror seeds/ into it "
        "(with PostgreSQL: once per release, before the bot starts)",
    )

    commands.add_parser("run", parents=[seeds], help="start the Discord bot (needs DISCORD_TOKEN)")
    commands.add_parser(
        "start",
        parents=[seeds, charts],
        help="the bot when DISCORD_TOKEN is set; with no token, on a terminal, the console",
    )
    commands.add_parser(
        "status",
        parents=[seeds],
        help="one line per fact (version, store, races, refused documents, last reload); "
        "exit 0 when the library loads, 1 when not",
    )
    registration = commands.add_parser("commands", help="print the slash commands a sync registers")
    registration.add_argument(
        "--json", action="store_true", help="the exact bulk-overwrite payload"
    )
    sync = commands.add_parser("sync", help="register the slash commands with Discord")
    sync.add_argument(
        "--guild", type=int, metavar="ID", help="sync to one guild only (default: global)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `racebot` console script."""
    # Imported here, not with the module: a worker process a first start spawns imports this
    # module again (as its main), and needs neither (the settings alone cost ~0.1 s).
    from bot.settings import SettingsError
    from bot.store.engine import StoreError

    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except SettingsError as exc:  # the one place: every command reports it as one line, exit 2
        print(f"racebot: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except StoreError as exc:  # the store cannot be used: one line naming it, never a password
        print(f"racebot: {exc}", file=sys.stderr)
        return STORE_ERROR
    except BrokenPipeError:
        # The reader went away (`racebot export | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    seeds: Path | None = getattr(args, "seeds", None)
    if args.command in {"export", "ask", "chart", "console", None}:  # one-off: library built
        _first_start_parsers(seeds)
    match args.command:
        case "export":
            from bot.app.export import run_export

            return run_export(seeds, args.format)
        case "check":
            from bot.app.check import check_paths

            return check_paths(args.paths)
        case "import":
            from bot.app.import_document import run_import

            return run_import(args.file, seeds, replace=args.replace)
        case "remove":
            from bot.app.import_document import run_remove

            return run_remove(args.race, seeds)
        case "migrate":
            from bot.app.runner import run_migrate

            return run_migrate(seeds)
        case "ask":
            from bot.app.console import run_ask

            return run_ask(args.question, seeds, as_json=args.json, chart_dir=args.chart_dir)
        case "chart":
            from bot.app.chart import run_chart

            return run_chart(args.race, args.output, seeds)
        case None | "console":
            from bot.app.console import run_console

            return run_console(seeds, getattr(args, "chart_dir", None))
        case "run":
            from bot.app.runner import run_bot

            return run_bot(seeds)
        case "start":
            from bot.app.runner import run_start

            return run_start(seeds, args.chart_dir)
        case "status":
            from bot.app.status import run_status

            return run_status(seeds)
        case "commands":
            from bot.app.runner import print_commands

            return print_commands(as_json=args.json)
        case "sync":
            from bot.app.runner import run_sync

            return run_sync(args.guild)
    return USAGE_ERROR  # pragma: no cover - argparse rejects unknown commands


def _first_start_parsers(seeds: Path | None) -> None:
    """The parse workers of a first start (an empty store), started before the command's
    imports, beside them; a problem with the settings is the command's to report."""
    from bot.loader import start_parsers_early
    from bot.settings import SettingsError, load_settings

    with contextlib.suppress(SettingsError):
        start_parsers_early(load_settings(), seeds)


if __name__ == "__main__":
    sys.exit(main())
