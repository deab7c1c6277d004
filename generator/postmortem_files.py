"""Postmortem files: found under the files and folders given, kept inside them, and parsed.

Files ending in ``.md`` or ``.markdown`` are postmortems, except those whose name (or a folder's)
starts with ``.`` or ``_`` (drafts, editor folders, shared snippets) and ``README`` files. pmkb
never follows a link out of the knowledge base, and a file that cannot be read becomes a
diagnostic that never stops the others.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from generator.build_cache import BuildCache
from generator.errors import Diagnostic, Location, Severity, show_path
from generator.models import Postmortem
from generator.parse_many import parse_files
from generator.settings import Settings

SUFFIXES = (".md", ".markdown")
"""File name endings of postmortem files."""


def read_postmortems(
    paths: Iterable[Path], *, settings: Settings, cache: BuildCache | None = None
) -> tuple[list[Postmortem], list[Diagnostic]]:
    """Parse the postmortem files given, each once, in order; return models and diagnostics.

    A folder given is searched with :func:`find_postmortem_files`; one that does not exist holds no
    postmortems. With a ``cache``, a file parsed by an earlier build is not parsed again
    (:mod:`generator.parse_many`).
    """
    postmortems: list[Postmortem] = []
    diagnostics: list[Diagnostic] = []
    files: list[tuple[Path, str]] = []
    for given in paths:
        if given.exists() and not given.is_file() and not given.is_dir():
            diagnostics.append(
                _unreadable(
                    show_path(given, settings.root),
                    "this is neither a file nor a folder; give pmkb postmortem files or folders",
                )
            )
            continue
        boundary = _boundary(given, settings.root)
        for path in [given] if given.is_file() else find_postmortem_files(given):
            shown = show_path(path, settings.root)
            if not _resolves_inside(path, boundary):
                diagnostics.append(
                    _unreadable(
                        shown,
                        f"this is a link to a file outside {boundary}; pmkb never follows a link "
                        "out of the knowledge base: copy the file in instead",
                    )
                )
                continue
            files.append((path, shown))
    for result in parse_files(files, headings=settings.headings, cache=cache):
        diagnostics.extend(result.diagnostics)
        if result.postmortem is not None:
            postmortems.append(result.postmortem)
    return postmortems, diagnostics


def _boundary(given: Path, root: Path) -> Path:
    """Return the folder that the files under ``given`` must stay in, links resolved.

    That is the knowledge base when ``given`` is in it (as written, before links), else what
    was given: a folder, or a file's folder.
    """
    # abspath: unlike Path.absolute it folds "kb/../elsewhere" (not inside "kb"), and unlike
    # Path.resolve it follows no link (a link's own place is what counts here).
    written = Path(os.path.abspath(given))  # noqa: PTH100
    if written.is_relative_to(os.path.abspath(root)):  # noqa: PTH100
        return root.resolve()
    return given.resolve() if given.is_dir() else given.resolve().parent


def _resolves_inside(path: Path, boundary: Path) -> bool:
    """Return whether a path, links resolved, stays inside the boundary folder."""
    try:
        return path.resolve().is_relative_to(boundary)
    except (OSError, RuntimeError):  # a loop of links
        return False


def _unreadable(path: str, message: str) -> Diagnostic:
    """Return the error for a file pmkb will not read (PMK001)."""
    return Diagnostic(
        location=Location(path=path, line=1),
        code="PMK001",
        severity=Severity.ERROR,
        message=message,
    )


def find_postmortem_files(folder: Path) -> list[Path]:
    """Return the postmortem files under a folder, sorted by path (none if it does not exist)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith((".", "_")) for part in relative.parts):
            continue
        if path.suffix.lower() not in SUFFIXES or path.stem.lower() == "readme":
            continue
        if path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())
