"""providers/ holds the status-page formats and what they share, under names that say
which is which; the registry loads each kind's module by name."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import traywatch.providers
from traywatch.providers import _REGISTRY, KINDS, get_provider

PACKAGE = Path(traywatch.providers.__file__).parent
INTERFACE = {"__init__", "base"}


def modules() -> set[str]:
    return {info.name for info in pkgutil.iter_modules([str(PACKAGE)])}


def kind_modules() -> set[str]:
    return {module.rsplit(".", 1)[1] for module, _ in _REGISTRY.values()}


def imports_of(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    return {
        node.module.removeprefix("traywatch.providers.")
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }


def test_every_module_is_a_format_or_shared_by_formats() -> None:
    """A module no registered format uses (the user's own endpoint checks, say) belongs
    elsewhere: what is under providers/ reads status pages."""
    kinds = kind_modules()
    assert {"statuspage", "feed", "azure"} <= kinds
    used_by_formats = set().union(*(imports_of(m) for m in kinds))
    helpers = modules() - kinds - INTERFACE
    assert helpers <= used_by_formats, sorted(helpers - used_by_formats)


def test_a_shared_module_is_not_named_like_a_format() -> None:
    """ "feed" and "feeds" side by side said nothing of which was the kind and which
    the RSS/Atom reader both the feed and azure kinds use."""
    kinds = kind_modules()
    helpers = modules() - kinds - INTERFACE
    confusable = {
        (helper, kind) for helper in helpers for kind in kinds if helper.rstrip("s") == kind
    }
    assert not confusable


def test_every_kind_loads_by_its_name() -> None:
    for kind in KINDS:
        module, cls = _REGISTRY[kind]
        assert type(get_provider(kind)) is getattr(importlib.import_module(module), cls)
        assert get_provider(kind).kind == kind
