"""What the tests of ``pmkb check`` share: a postmortem every rule accepts, and a way to check one.

Each test writes a postmortem (usually :data:`GOOD` with one thing changed) into a knowledge base
in a temporary folder and runs every rule on it, as ``pmkb check`` does, on the day :data:`TODAY`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from generator.catalog import build_catalog
from generator.checks import run_checks
from generator.errors import Diagnostic
from generator.postmortem_files import read_postmortems
from generator.settings import Settings

TODAY = dt.date(2025, 9, 1)

# A postmortem that every rule accepts; tests change one thing in it.
GOOD = """\
---
title: Search down for 20 minutes
date: 2025-08-12
status: resolved
owners: ["@ann"]
---

# Search down for 20 minutes

## Summary

Search returned errors for 20 minutes after the 4.2 deploy; see [the timeline](#timeline).

## Timeline

All times in UTC.

- 2025-08-12 14:02 deploy of search 4.2 starts
- 14:22 first alert: search error rate above 5%
- 14:40 rollback finished

## Action items

- [ ] Add a canary stage to the search deploy (@ann, due 2025-10-01)
- [x] Restore the index alias (@bob)
"""


def check(
    tmp_path: Path,
    text: str | bytes,
    *,
    name: str = "2025-08-12-search.md",
    today: dt.date = TODAY,
    others: dict[str, str] | None = None,
    **changes: object,
) -> list[Diagnostic]:
    """Write a postmortem (and others) into a knowledge base and check it."""
    folder = tmp_path / "postmortems"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    for other, other_text in (others or {}).items():
        (folder / other).parent.mkdir(parents=True, exist_ok=True)
        (folder / other).write_text(other_text, encoding="utf-8")
    settings = replace(Settings.for_folder(tmp_path), **changes)  # type: ignore[arg-type]
    postmortems, diagnostics = read_postmortems((folder,), settings=settings)
    return run_checks(build_catalog(postmortems, diagnostics=diagnostics), settings, today=today)


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [diagnostic.code for diagnostic in diagnostics]


def only(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [diagnostic for diagnostic in diagnostics if diagnostic.code == code]


def places(diagnostics: list[Diagnostic]) -> list[tuple[str, int]]:
    """Return each diagnostic's code and line."""
    return [(diagnostic.code, diagnostic.location.line) for diagnostic in diagnostics]


def line_of(text: str, line: str) -> int:
    """Return the number (from 1) of the first line of ``text`` that is ``line``."""
    return text.split("\n").index(line) + 1
