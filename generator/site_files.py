"""Site files: a rendered site written into a folder, never over a file pmkb did not write.

``pmkb generate`` writes pages here; a manifest (:data:`MANIFEST`) of what pmkb wrote, with each
file's SHA-256, is what lets a later run replace or remove its own files and leave the author's
alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.render import Site

MANIFEST = ".pmkb-generated.json"
"""The file in which ``pmkb generate`` records what it wrote (path and SHA-256 of each file)."""


class RenderError(Exception):
    """A page template failed (a team's override, usually), or the site cannot be written.

    The message names the template or the file, and what to do.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteReport:
    """What :func:`write_site` did, by path relative to the output folder."""

    written: tuple[str, ...] = ()
    """Files created or updated."""
    unchanged: tuple[str, ...] = ()
    """Files already as they should be."""
    removed: tuple[str, ...] = ()
    """Files pmkb wrote before that no page needs any more (and nobody edited since)."""
    kept: tuple[str, ...] = ()
    """Files in the way that pmkb did not write, or that were edited since: left untouched."""


def write_site(
    site: Site,
    out: Path,
    *,
    extra_files: Mapping[str, bytes] | None = None,
    inputs: tuple[Path, ...] = (),
) -> WriteReport:
    """Write a site's pages and files into ``out``; never touch a file pmkb did not write.

    ``out`` holds a manifest (:data:`MANIFEST`) of the files pmkb wrote there and their hashes.
    A file is only replaced or removed when the manifest lists it and it is unchanged since
    pmkb wrote it; any other file in the way (one the author wrote, or a generated file the
    author edited) is left alone and reported in :attr:`WriteReport.kept`. Nothing is written
    or removed through a symbolic link (a link in the way is kept), and nothing at all when a
    file would land in one of the ``inputs`` folders (the postmortems, the templates) or the
    manifest is a link: :class:`RenderError` says so.
    """
    contents: dict[str, bytes] = {path: text.encode("utf-8") for path, text in site.pages.items()}
    contents.update({path: text.encode("utf-8") for path, text in site.files.items()})
    contents.update(extra_files or {})
    contents.update({path: source.read_bytes() for path, source in site.assets.items()})
    if (out / MANIFEST).is_symlink():
        raise RenderError(
            f"{out / MANIFEST} is a symbolic link: pmkb never writes through a link; "
            "delete the link (pmkb then writes the file anew)"
        )
    _refuse_inputs(out, [*contents, MANIFEST], inputs)
    out.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(out / MANIFEST)
    manifest: dict[str, str] = {}
    written: list[str] = []
    unchanged: list[str] = []
    kept: list[str] = []
    for path in sorted(contents):
        target = out / path
        if _through_link(out, path):
            kept.append(path)
            continue
        digest = hashlib.sha256(contents[path]).hexdigest()
        if target.exists():
            current = _digest(target)
            if current == digest:
                unchanged.append(path)
                if previous.get(path) == digest:
                    manifest[path] = digest
                continue
            if current is None or previous.get(path) != current:
                kept.append(path)
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(contents[path])
        manifest[path] = digest
        written.append(path)
    removed = []
    for path, digest in sorted(previous.items()):
        target = out / path
        if path in contents or _through_link(out, path):
            continue
        if target.is_file() and _digest(target) == digest:
            target.unlink()
            removed.append(path)
    (out / MANIFEST).write_text(
        json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return WriteReport(
        written=tuple(written),
        unchanged=tuple(unchanged),
        removed=tuple(removed),
        kept=tuple(kept),
    )


def _refuse_inputs(out: Path, paths: list[str], inputs: tuple[Path, ...]) -> None:
    """Raise :class:`RenderError` when a file would be written into a folder pmkb reads."""
    folders = [folder.resolve() for folder in inputs]
    for path in paths:
        target = (out / path).resolve()
        for folder in folders:
            if target.is_relative_to(folder):
                raise RenderError(
                    f"{out} would put generated files into {folder}, which pmkb reads as "
                    "input; write them into another folder (your docs folder, say)"
                )


def _through_link(out: Path, path: str) -> bool:
    """Return whether ``out/path`` is a link, or lies under one, or outside ``out``."""
    current = out
    for part in PurePosixPath(path).parts:
        if part in ("", ".", ".."):
            return True
        current = current / part
        if current.is_symlink():
            return True
    return False


def _read_manifest(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(k, str)}


def _digest(path: Path) -> str | None:
    if not path.is_file() or path.is_symlink():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()
