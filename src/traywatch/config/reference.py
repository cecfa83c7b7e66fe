"""The configuration reference (docs/configuration.md), written from the declared
options so that it says what the file, the validation and the settings window do.

    python -m traywatch.config.reference > docs/configuration.md"""

from __future__ import annotations

from traywatch.config.schema import (
    DETECTED,
    ENDPOINT,
    NOTIFICATION_OPTIONS,
    SERVICE_OPTIONS,
    SETTINGS_OPTIONS,
    Option,
    service_options,
)
from traywatch.providers import KINDS


def _type(option: Option) -> str:
    if option.choices:
        return " \\| ".join(f'`"{c}"`' for c in option.choices)
    if option.type is list:
        return "list of status codes" if option.item is int else "list of names"
    if option.type is dict:
        return "table of texts"
    return {bool: "true/false", int: "whole number", float: "number", str: "text"}[option.type]


def _default(option: Option) -> str:
    if option.required:
        return "required"
    if option.default is None:
        return option.unset or "—"
    if isinstance(option.default, bool):
        return "true" if option.default else "false"
    if isinstance(option.default, float) and option.default.is_integer():
        return str(int(option.default))
    return f'"{option.default}"' if isinstance(option.default, str) else str(option.default)


def _bounds(option: Option) -> str:
    if option.minimum is None and option.maximum is None:
        return ""
    low = "" if option.minimum is None else f"{option.minimum:g}"
    high = "" if option.maximum is None else f"{option.maximum:g}"
    unit = option.unit if option.unit in (" s",) else ""
    return f" ({low} to {high}{unit})"


def _where(option: Option) -> str:
    if option.kinds is None:
        return "every kind"
    if option.kinds == frozenset((ENDPOINT,)):
        return "`http`" + (" only" if option.kinds_only else "")
    kinds = sorted(option.kinds - {DETECTED})
    if len(kinds) > 6:
        return "every status page" + (" (not `feed`)" if "feed" not in kinds else "")
    return ", ".join(f"`{k}`" for k in kinds)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _table(options: tuple[Option, ...], services: bool) -> list[str]:
    head = "| key | type | default | " + ("for | " if services else "") + "what it does |"
    lines = [head, "|---" * (5 if services else 4) + "|"]
    for option in options:
        cells = [
            f"`{option.name}`",
            _type(option) + _bounds(option),
            _default(option),
            *([_where(option)] if services else []),
            _sentence(option.help.removeprefix("http: ")),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render() -> str:
    lines = [
        "# Configuration reference",
        "",
        "Written from the declared options (`src/traywatch/config/schema.py`) by",
        "`python -m traywatch.config.reference`; a test keeps this file equal to what it",
        "writes. The same declarations validate `config.toml` and make the settings window's",
        "forms, so what is here is what both accept.",
        "",
        "## [settings]",
        "",
        *_table(SETTINGS_OPTIONS, services=False),
        "",
        "## [notifications]",
        "",
        *_table(NOTIFICATION_OPTIONS, services=False),
        "",
        "## [[services]]",
        "",
        "A key offered for other kinds only is refused where it would change what is checked",
        '(an endpoint\'s checks on a status page: "only for own endpoints"), and otherwise',
        "ignored.",
        "",
        *_table(SERVICE_OPTIONS, services=True),
        "",
        "## The keys of each kind",
        "",
        "| kind | keys, in the settings window's order |",
        "|---|---|",
    ]
    for kind in (None, *KINDS, ENDPOINT):
        keys = ", ".join(f"`{o.name}`" for o in service_options(kind))
        lines.append(f"| {f'`{kind}`' if kind else '(left out: detected)'} | {keys} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
