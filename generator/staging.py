"""Staging: build a folder beside its place, then swap it in whole.

MkDocs empties ``site/`` before it writes a page, so a build that fails, crashes or is killed
would leave a published site empty or half written. ``pmkb build`` builds into a staging folder
beside ``site/`` instead (:func:`staging_folder`) and swaps it in only once the build succeeded
(:func:`swap_in`): on Linux with one atomic ``renameat2(RENAME_EXCHANGE)``, elsewhere with two
renames. Until then the previous site stays byte for byte as it was. A staging folder left
behind by a killed build is pmkb's own (its name says so) and is removed by the next build.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_MARK = ".pmkb-staging-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@contextmanager
def staging_folder(target: Path) -> Iterator[Path]:
    """Yield a new empty folder beside ``target``; remove it unless it was swapped in."""
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(parent, target.name)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{_MARK}", dir=parent))
    # mkdtemp makes a private folder; a site is read by a web server: the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    try:
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: Path, target: Path) -> None:
    """Put the folder ``staging`` in the place of ``target``, and remove the old ``target``."""
    if not target.exists() and not target.is_symlink():
        staging.rename(target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging)  # now the previous site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}{_MARK}old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    staging.rename(target)
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old)
    else:
        old.unlink()


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        rename = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    rename.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rename.restype = ctypes.c_int
    done = rename(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return bool(done == 0)


def _remove_stale(parent: Path, name: str) -> None:
    """Remove staging folders that killed builds of ``name`` left in ``parent``."""
    for path in parent.glob(f".{name}{_MARK}*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
