"""Discord's rules for what a bot may send (embeds, components, messages, commands),
checked so a payload the real Discord would refuse fails the tests too."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from bench.standin.protocol import IS_COMPONENTS_V2, SELECT_TYPES, Problem


def _check_str(problems: list[Problem], path: str, value: Any, lo: int, hi: int) -> None:
    """Append a problem unless ``value`` is a string whose length is within [lo, hi]."""
    if not isinstance(value, str):
        problems.append((path, f"expected a string, got {type(value).__name__}"))
    elif not lo <= len(value) <= hi:
        problems.append((path, f"length {len(value)} not in [{lo}, {hi}]"))


def _check_opt_str(problems: list[Problem], path: str, value: Any, hi: int) -> None:
    """Like `_check_str` with lower bound 0, but ``None`` is allowed."""
    if value is not None:
        _check_str(problems, path, value, 0, hi)


def _check_count(problems: list[Problem], path: str, items: Any, lo: int, hi: int) -> None:
    """Append a problem unless ``items`` is a list with between lo and hi entries."""
    if not isinstance(items, list):
        problems.append((path, f"expected an array, got {type(items).__name__}"))
    elif not lo <= len(items) <= hi:
        problems.append((path, f"{len(items)} items not in [{lo}, {hi}]"))


def validate_embeds(embeds: Any, path: str = "embeds") -> list[Problem]:
    """Check embeds against Discord's limits (count, per-field lengths, 6000 total)."""
    problems: list[Problem] = []
    if embeds is None:
        return problems
    _check_count(problems, path, embeds, 0, 10)
    if not isinstance(embeds, list):
        return problems
    total = 0
    for i, embed in enumerate(embeds):
        p = f"{path}[{i}]"
        if not isinstance(embed, dict):
            problems.append((p, "embed must be an object"))
            continue
        title = embed.get("title") or ""
        description = embed.get("description") or ""
        _check_str(problems, f"{p}.title", title, 0, 256)
        _check_str(problems, f"{p}.description", description, 0, 4096)
        total += len(title) + len(description)
        fields = embed.get("fields") or []
        _check_count(problems, f"{p}.fields", fields, 0, 25)
        for j, fld in enumerate(fields if isinstance(fields, list) else []):
            name, value = fld.get("name"), fld.get("value")
            _check_str(problems, f"{p}.fields[{j}].name", name, 1, 256)
            _check_str(problems, f"{p}.fields[{j}].value", value, 1, 1024)
            total += len(name or "") + len(value or "")
        footer = embed.get("footer") or {}
        _check_str(problems, f"{p}.footer.text", footer.get("text") or "", 0, 2048)
        author = embed.get("author") or {}
        _check_str(problems, f"{p}.author.name", author.get("name") or "", 0, 256)
        total += len(footer.get("text") or "") + len(author.get("name") or "")
    if total > 6000:
        problems.append((path, f"total embed text is {total} characters (> 6000)"))
    return problems


def _count_components(components: Iterable[Any]) -> int:
    """Count components recursively (action rows, containers and their children)."""
    total = 0
    for comp in components:
        if not isinstance(comp, dict):
            continue
        total += 1
        total += _count_components(comp.get("components") or [])
        if isinstance(comp.get("accessory"), dict):
            total += 1
        if isinstance(comp.get("component"), dict):
            total += _count_components([comp["component"]])
    return total


def _validate_component(comp: Any, path: str, seen: set[str], problems: list[Problem]) -> None:
    """Validate one component (and its children) against Discord's limits."""
    if not isinstance(comp, dict):
        problems.append((path, "component must be an object"))
        return
    ctype = comp.get("type")
    custom_id = comp.get("custom_id")
    if custom_id is not None:
        _check_str(problems, f"{path}.custom_id", custom_id, 1, 100)
        if custom_id in seen:
            problems.append((f"{path}.custom_id", f"duplicate custom_id {custom_id!r}"))
        seen.add(custom_id)
    if ctype == 1:
        children = comp.get("components") or []
        _check_count(problems, f"{path}.components", children, 1, 5)
        has_select = any(isinstance(c, dict) and c.get("type") in SELECT_TYPES for c in children)
        if has_select and len(children) != 1:
            problems.append((f"{path}.components", "a select menu must be alone in its row"))
        for i, child in enumerate(children):
            _validate_component(child, f"{path}.components[{i}]", seen, problems)
        return
    if ctype == 2:
        style = comp.get("style")
        if style == 5:
            if not comp.get("url"):
                problems.append((f"{path}.url", "link buttons need a url"))
            if custom_id is not None:
                problems.append((f"{path}.custom_id", "link buttons cannot have a custom_id"))
        elif style != 6 and custom_id is None:
            problems.append((f"{path}.custom_id", "non-link buttons need a custom_id"))
        _check_opt_str(problems, f"{path}.label", comp.get("label"), 80)
        if style != 6 and not comp.get("label") and not comp.get("emoji"):
            problems.append((path, "buttons need a label or an emoji"))
        return
    if ctype in SELECT_TYPES:
        if custom_id is None:
            problems.append((f"{path}.custom_id", "select menus need a custom_id"))
        _check_opt_str(problems, f"{path}.placeholder", comp.get("placeholder"), 150)
        for key, lo in (("min_values", 0), ("max_values", 1)):
            value = comp.get(key)
            if value is not None and not lo <= value <= 25:
                problems.append((f"{path}.{key}", f"{value} not in [{lo}, 25]"))
        if ctype == 3:
            options = comp.get("options") or []
            _check_count(problems, f"{path}.options", options, 1, 25)
            for i, opt in enumerate(options):
                _check_str(problems, f"{path}.options[{i}].label", opt.get("label"), 1, 100)
                _check_str(problems, f"{path}.options[{i}].value", opt.get("value"), 1, 100)
                desc = opt.get("description")
                _check_opt_str(problems, f"{path}.options[{i}].description", desc, 100)
        return
    if ctype == 4:
        if custom_id is None:
            problems.append((f"{path}.custom_id", "text inputs need a custom_id"))
        _check_opt_str(problems, f"{path}.label", comp.get("label"), 45)
        _check_opt_str(problems, f"{path}.value", comp.get("value"), 4000)
        _check_opt_str(problems, f"{path}.placeholder", comp.get("placeholder"), 100)
        return
    for i, child in enumerate(comp.get("components") or []):
        _validate_component(child, f"{path}.components[{i}]", seen, problems)
    for key in ("accessory", "component"):
        if isinstance(comp.get(key), dict):
            _validate_component(comp[key], f"{path}.{key}", seen, problems)


def validate_components(components: Any, flags: int = 0, path: str = "components") -> list[Problem]:
    """Check message components: rows, buttons per row, custom_id/label lengths, totals."""
    problems: list[Problem] = []
    if components is None:
        return problems
    if not isinstance(components, list):
        return [(path, "components must be an array")]
    seen: set[str] = set()
    if flags & IS_COMPONENTS_V2:
        total = _count_components(components)
        if total > 40:
            problems.append((path, f"{total} components in total (> 40)"))
    else:
        _check_count(problems, path, components, 0, 5)
        for i, row in enumerate(components):
            if not isinstance(row, dict) or row.get("type") != 1:
                problems.append((f"{path}[{i}].type", "top-level components must be action rows"))
    for i, comp in enumerate(components):
        _validate_component(comp, f"{path}[{i}]", seen, problems)
    return problems


def validate_message_payload(
    body: Mapping[str, Any], *, require_content: bool = False, has_files: bool = False
) -> list[Problem]:
    """Check an outgoing message (create/edit/callback data) against Discord's limits."""
    problems: list[Problem] = []
    content = body.get("content")
    if content is not None:
        _check_str(problems, "content", content, 0, 2000)
    embeds = body.get("embeds")
    flags = int(body.get("flags") or 0)
    problems += validate_embeds(embeds)
    problems += validate_components(body.get("components"), flags)
    if flags & IS_COMPONENTS_V2 and (content or embeds):
        problems.append(("flags", "content and embeds cannot be used with IS_COMPONENTS_V2"))
    if require_content and not (
        content
        or embeds
        or body.get("components")
        or body.get("attachments")
        or body.get("poll")
        or body.get("sticker_ids")
        or has_files
    ):
        problems.append(("", "cannot send an empty message"))
    return problems


def validate_autocomplete_choices(choices: Any, path: str = "choices") -> list[Problem]:
    """Check autocomplete choices: at most 25, names 1-100 chars, string values <= 100."""
    problems: list[Problem] = []
    _check_count(problems, path, choices, 0, 25)
    for i, choice in enumerate(choices if isinstance(choices, list) else []):
        _check_str(problems, f"{path}[{i}].name", choice.get("name"), 1, 100)
        value = choice.get("value")
        if isinstance(value, str):
            _check_str(problems, f"{path}[{i}].value", value, 0, 100)
        elif not isinstance(value, int | float) or isinstance(value, bool):
            problems.append((f"{path}[{i}].value", f"invalid choice value {value!r}"))
    return problems


def validate_modal(data: Mapping[str, Any], path: str = "") -> list[Problem]:
    """Check a modal callback: custom_id 1-100, title 1-45, 1-5 components."""
    problems: list[Problem] = []
    prefix = f"{path}." if path else ""
    _check_str(problems, f"{prefix}custom_id", data.get("custom_id"), 1, 100)
    _check_str(problems, f"{prefix}title", data.get("title"), 1, 45)
    components = data.get("components") or []
    _check_count(problems, f"{prefix}components", components, 1, 5)
    seen: set[str] = set()
    for i, comp in enumerate(components):
        _validate_component(comp, f"{prefix}components[{i}]", seen, problems)
    return problems


def _check_chat_name(problems: list[Problem], path: str, name: Any) -> None:
    """Check a CHAT_INPUT name against ^[-_\\p{L}\\p{N}]{1,32}$ and the lowercase rule."""
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        problems.append((path, f"name {name!r} must be 1-32 characters"))
        return
    for ch in name:
        if not (ch in "-_" or unicodedata.category(ch)[0] in "LN"):
            problems.append((path, f"name {name!r} contains invalid character {ch!r}"))
            return
    if name.lower() != name:
        problems.append((path, f"name {name!r} must be lowercase"))


def _option_chars(option: Mapping[str, Any]) -> int:
    """Characters counted towards the 4000-character command limit for one option."""
    total = len(option.get("name") or "") + len(option.get("description") or "")
    for choice in option.get("choices") or []:
        total += len(str(choice.get("name") or "")) + len(str(choice.get("value") or ""))
    for sub in option.get("options") or []:
        total += _option_chars(sub)
    return total


def _validate_options(options: Any, path: str, depth: int, problems: list[Problem]) -> None:
    """Validate a list of command options (recursing into subcommands and groups)."""
    _check_count(problems, path, options, 0, 25)
    if not isinstance(options, list):
        return
    names: set[str] = set()
    seen_optional = False
    kinds = {opt.get("type") in (1, 2) for opt in options if isinstance(opt, dict)}
    if len(kinds) > 1:
        problems.append((path, "subcommands/groups cannot be mixed with other options"))
    for i, opt in enumerate(options):
        p = f"{path}[{i}]"
        otype = opt.get("type")
        if otype not in range(1, 12):
            problems.append((f"{p}.type", f"invalid option type {otype!r}"))
        _check_chat_name(problems, f"{p}.name", opt.get("name"))
        _check_str(problems, f"{p}.description", opt.get("description"), 1, 100)
        if opt.get("name") in names:
            problems.append((f"{p}.name", f"duplicate option name {opt.get('name')!r}"))
        names.add(opt.get("name"))
        if otype == 2:
            if depth > 0:
                problems.append((p, "subcommand groups cannot be nested"))
            subs = opt.get("options") or []
            if any(sub.get("type") != 1 for sub in subs):
                problems.append((f"{p}.options", "groups may only contain subcommands"))
            _validate_options(subs, f"{p}.options", depth + 1, problems)
            continue
        if otype == 1:
            if depth > 1:
                problems.append((p, "subcommands nested too deeply"))
            subs = opt.get("options") or []
            if any(sub.get("type") in (1, 2) for sub in subs):
                problems.append((f"{p}.options", "subcommands cannot contain subcommands"))
            _validate_options(subs, f"{p}.options", depth + 1, problems)
            continue
        if opt.get("required"):
            if seen_optional:
                problems.append((p, "required options must come before optional ones"))
        else:
            seen_optional = True
        choices = opt.get("choices") or []
        _check_count(problems, f"{p}.choices", choices, 0, 25)
        if choices and opt.get("autocomplete"):
            problems.append((p, "an option cannot have both choices and autocomplete"))
        for j, choice in enumerate(choices if isinstance(choices, list) else []):
            _check_str(problems, f"{p}.choices[{j}].name", choice.get("name"), 1, 100)
            if otype == 3:
                _check_str(problems, f"{p}.choices[{j}].value", choice.get("value"), 1, 100)
        for key in ("min_length", "max_length"):
            value = opt.get(key)
            if value is not None and not 0 <= value <= 6000:
                problems.append((f"{p}.{key}", f"{value} not in [0, 6000]"))


def validate_command(command: Mapping[str, Any], path: str = "") -> list[Problem]:
    """Check one application command registration payload."""
    problems: list[Problem] = []
    prefix = f"{path}." if path else ""
    ctype = command.get("type", 1)
    if ctype == 1:
        _check_chat_name(problems, f"{prefix}name", command.get("name"))
        _check_str(problems, f"{prefix}description", command.get("description"), 1, 100)
        _validate_options(command.get("options") or [], f"{prefix}options", 0, problems)
        total = len(command.get("name") or "") + len(command.get("description") or "")
        total += sum(_option_chars(opt) for opt in command.get("options") or [])
        if total > 4000:
            problems.append((path, f"command text is {total} characters (> 4000)"))
    else:
        _check_str(problems, f"{prefix}name", command.get("name"), 1, 32)
        if command.get("description"):
            problems.append((f"{prefix}description", "context menus must have no description"))
        if command.get("options"):
            problems.append((f"{prefix}options", "context menus cannot have options"))
    return problems


def validate_command_list(commands: Any) -> list[Problem]:
    """Check a bulk-overwrite payload: each command plus duplicates and per-type counts."""
    problems: list[Problem] = []
    if not isinstance(commands, list):
        return [("", "expected an array of commands")]
    seen: set[tuple[int, str]] = set()
    counts: dict[int, int] = {}
    for i, command in enumerate(commands):
        problems += validate_command(command, f"[{i}]")
        key = (command.get("type", 1), command.get("name"))
        if key in seen:
            problems.append((f"[{i}].name", f"duplicate command {key[1]!r}"))
        seen.add(key)
        counts[key[0]] = counts.get(key[0], 0) + 1
    for ctype, limit in ((1, 100), (2, 15), (3, 15)):
        if counts.get(ctype, 0) > limit:
            problems.append(("", f"{counts[ctype]} commands of type {ctype} (> {limit})"))
    return problems
