"""``pmkb build`` swaps the new site in whole: a build that fails, crashes or is killed at any
moment leaves the previous ``site/`` byte for byte as it was."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator.plugin import SiteError, build_site
from tests.test_site_build import make_kb

pytestmark = pytest.mark.slow

POSTMORTEM = """\
---
title: Incident {n}
date: 2025-08-{day:02d}
tags: [t{tag}]
---

# Incident {n}

## Summary

Search returned errors for {n} minutes after deploy {n}.

## Timeline

- 2025-08-{day:02d} 14:02 UTC deploy {n} starts
- 14:22 UTC rollback finished

## Lessons learned

- Canary every deploy {tag}

## Action items

- [ ] Add a canary stage {n} (@ann)
"""


def postmortems(count: int) -> dict[str, str]:
    return {
        f"2025-08-{n % 28 + 1:02d}-incident-{n}.md": POSTMORTEM.format(
            n=n, day=n % 28 + 1, tag=n % 7
        )
        for n in range(count)
    }


def tree_digest(folder: Path) -> str:
    """Hash every path and byte of a folder."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(autouse=True)
def _quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


@pytest.mark.parametrize("breakage", ["strict-error", "template-crash"])
def test_a_failed_build_leaves_the_previous_site(tmp_path: Path, breakage: str) -> None:
    config = make_kb(tmp_path, postmortems(3))
    build_site(config)
    site = tmp_path / "site"
    before = tree_digest(site)
    assert (site / "lessons" / "index.html").is_file()
    if breakage == "strict-error":
        (tmp_path / "postmortems" / "broken.md").write_text("---\ntitle: [x\n---\n# B\n")
    else:
        (tmp_path / "templates" / "site").mkdir(parents=True)
        (tmp_path / "templates" / "site" / "lessons.md.j2").write_text("{{ nothing.here }}\n")
    with pytest.raises(SiteError):
        build_site(config, strict=True)
    assert tree_digest(site) == before
    assert [p.name for p in tmp_path.iterdir() if "pmkb-staging" in p.name] == []


def test_a_successful_build_replaces_the_site_whole(tmp_path: Path) -> None:
    config = make_kb(tmp_path, postmortems(2))
    build_site(config)
    site = tmp_path / "site"
    (site / "stale.html").write_text("from an older build")
    (tmp_path / "postmortems" / "new.md").write_text(POSTMORTEM.format(n=99, day=3, tag=1))
    build_site(config)
    assert not (site / "stale.html").exists()
    assert "Incident 99" in (site / "incidents" / "new" / "index.html").read_text()
    assert (site.stat().st_mode & 0o755) == 0o755  # readable by a web server, like MkDocs'
    assert [p.name for p in tmp_path.iterdir() if "pmkb-staging" in p.name] == []


def test_a_build_killed_at_any_moment_leaves_the_previous_site(tmp_path: Path) -> None:
    config = make_kb(tmp_path, postmortems(60))
    site = tmp_path / "site"
    command = [str(Path(sys.executable).parent / "pmkb"), "-f", str(config), "build"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.monotonic()
    subprocess.run(command, cwd=tmp_path, env=env, check=True, capture_output=True)
    duration = time.monotonic() - started
    before = tree_digest(site)
    # New content, so that a half-swapped site would differ from the previous one.
    (tmp_path / "postmortems" / "2025-08-01-incident-0.md").write_text(
        POSTMORTEM.format(n=1000, day=1, tag=1)
    )
    # A kill after the swap (while the old site is removed, or at exit) leaves the whole new
    # site: each killed build must leave exactly the previous site or exactly the next one.
    left_behind: dict[float, str] = {}
    for fraction in (0.05, 0.2, 0.4, 0.6, 0.8, 0.95):
        process = subprocess.Popen(
            command,
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if process.returncode == 0:
            break  # finished before the kill: this and later moments are past the build
        left_behind[fraction] = tree_digest(site)
    subprocess.run(command, cwd=tmp_path, env=env, check=True, capture_output=True)
    after = tree_digest(site)
    assert after != before
    for fraction, digest in left_behind.items():
        assert digest in (before, after), fraction
    assert [p.name for p in tmp_path.iterdir() if "pmkb-staging" in p.name] == []


def children(pid: int) -> list[int]:
    """Return the processes ``pid`` started that still run (Linux)."""
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in found.split()]


def start_as_from_a_terminal(command: list[str], **options: Any) -> subprocess.Popen[bytes]:
    """Start ``command`` in a process group of its own, as a terminal does, taking Ctrl-C.

    A process inherits Ctrl-C ignored (from a shell that ran the tests in the background, say):
    this one has it taken as Python does by default, which a command started inherits.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(command, start_new_session=True, **options)
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_ctrl_c_stops_a_build_on_every_core_without_a_traceback(tmp_path: Path) -> None:
    # Enough postmortems to parse and render on every core (generator.page_workers): a
    # terminal sends Ctrl-C to the workers too, and each printed a traceback of its own.
    config = make_kb(tmp_path, postmortems(240))
    command = [str(Path(sys.executable).parent / "pmkb"), "-f", str(config), "build"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(command, cwd=tmp_path, env=env, check=True, capture_output=True)
    before = tree_digest(tmp_path / "site")
    (tmp_path / ".cache").rename(tmp_path / "old-cache")  # every page is rendered again
    process = start_as_from_a_terminal(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        end = time.monotonic() + 120
        # The index writer and at least one worker (a pool starts its workers one by one).
        while len(children(process.pid)) < 2 and process.poll() is None:
            assert time.monotonic() < end, "no worker started"
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        said, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    text = said.decode("utf-8", "replace")
    assert process.returncode == 1, text  # stopped, as click says on Ctrl-C
    assert "Aborted!" in text
    assert "Traceback" not in text
    assert "KeyboardInterrupt" not in text
    assert tree_digest(tmp_path / "site") == before
    assert [p.name for p in tmp_path.iterdir() if "pmkb-staging" in p.name] == []
