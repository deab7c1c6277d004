"""``pmkb serve``: an edited postmortem shows on its page first, the lists in the full build after.

The first tests read the parts that decide it (which changes can be shown alone, and the page
made from one file); the last ones run ``pmkb serve`` for real on a small knowledge base and
edit its files like an author.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from watchdog.events import FileSystemEventHandler

from generator.catalog import load_catalog
from generator.edit_preview import preview_edit
from generator.render import SiteOptions, render_site
from generator.serve import Serving, watch_folder
from generator.settings import Settings

from .browser.conftest import make_knowledge_base
from .conftest import CLEAN_POSTMORTEM, EXAMPLES, TODAY
from .test_atomic_build import postmortems, start_as_from_a_terminal

OPTIONS = SiteOptions(today=TODAY, tags_plugin=False)


def copy_examples(root: Path) -> Settings:
    """Put the repository's example postmortems into a knowledge base folder."""
    (root / "postmortems").mkdir(parents=True)
    for path in EXAMPLES:
        shutil.copy2(path, root / "postmortems" / path.name)
    return Settings.for_folder(root)


def test_an_edit_shown_alone_reads_as_the_full_build_renders_it(tmp_path: Path) -> None:
    settings = copy_examples(tmp_path)
    path = settings.postmortems_dir / "search-down.md"
    path.write_text(CLEAN_POSTMORTEM, encoding="utf-8")
    before = load_catalog(settings)
    path.write_text(CLEAN_POSTMORTEM.replace("20 minutes.", "20 minutes. A wombat ate the cable."))

    preview = preview_edit(before, settings, OPTIONS, path)

    assert preview is not None
    [page] = preview.pages
    assert "A wombat ate the cable." in page.markdown
    full = render_site(load_catalog(settings), settings, OPTIONS)
    assert page.markdown == full.pages[page.path]


def test_the_catalog_after_an_edit_has_the_new_postmortem_and_keeps_the_rest(
    tmp_path: Path,
) -> None:
    settings = copy_examples(tmp_path)
    before = load_catalog(settings)
    path = settings.postmortems_dir / EXAMPLES[1].name
    path.write_text(path.read_text(encoding="utf-8") + "\n\nAn added closing note.\n")

    preview = preview_edit(before, settings, OPTIONS, path)

    assert preview is not None
    source = next(p.source for p in before if Path(p.source).name == path.name)
    changed = [p for p in preview.catalog if p.source == source]
    assert len(changed) == 1
    assert changed[0] is not next(p for p in before if p.source == source)
    assert preview.catalog.get(changed[0].id) is changed[0]
    unchanged = [p for p in preview.catalog if p.source != source]
    kept = [p for p in before if p.source != source]
    assert len(unchanged) == len(kept)
    assert all(p is q for p, q in zip(unchanged, kept, strict=True))  # not parsed again


@pytest.mark.parametrize(
    "edit",
    ["new id", "new file", "deleted", "internal in a public build"],
)
def test_an_edit_that_changes_which_pages_exist_waits_for_the_full_build(
    tmp_path: Path, edit: str
) -> None:
    settings = copy_examples(tmp_path)
    (settings.postmortems_dir / "search-down.md").write_text(CLEAN_POSTMORTEM, encoding="utf-8")
    if edit == "internal in a public build":
        settings = Settings(
            root=settings.root,
            postmortems_dir=settings.postmortems_dir,
            templates_dir=settings.templates_dir,
            docs_dir=settings.docs_dir,
            public=True,
        )
    catalog = load_catalog(settings)
    path = settings.postmortems_dir / "search-down.md"
    if edit == "new id":
        path.write_text(CLEAN_POSTMORTEM.replace("title:", "id: SEARCH-9\ntitle:", 1))
    elif edit == "new file":
        path = settings.postmortems_dir / "search-down-again.md"
        path.write_text(CLEAN_POSTMORTEM, encoding="utf-8")
    elif edit == "deleted":
        path.unlink()
    else:
        path.write_text(CLEAN_POSTMORTEM.replace("title:", "internal: true\ntitle:", 1))

    assert preview_edit(catalog, settings, OPTIONS, path) is None


def test_only_edits_to_postmortems_are_shown_alone(tmp_path: Path) -> None:
    settings = copy_examples(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    serving = Serving(settings, [tmp_path / "docs", tmp_path / "mkdocs.yml"])
    postmortem = settings.postmortems_dir / EXAMPLES[0].name
    image = settings.postmortems_dir / "graph.png"
    image.write_bytes(b"\x89PNG")

    # An editor's temporary file, already gone, and a log file outside the site change nothing.
    assert serving.postmortem_edits(
        {postmortem, settings.postmortems_dir / "4913", tmp_path / "serve.log"}
    ) == [postmortem]
    assert serving.postmortem_edits({postmortem, image}) is None
    assert serving.postmortem_edits({postmortem, tmp_path / "docs" / "about.md"}) is None
    assert serving.postmortem_edits({tmp_path / "mkdocs.yml"}) is None
    assert serving.postmortem_edits({settings.postmortems_dir / "_draft.md"}) == []


# `pmkb serve` for real.


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    """A running ``pmkb serve`` and what it says."""

    def __init__(self, folder: Path, log: Path, url: str) -> None:
        self.folder = folder
        self.log = log
        self.url = url

    def said(self) -> str:
        """Return what the server printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_until(self, condition: object, what: str, timeout: float = 240.0) -> None:
        """Poll ``condition()`` every 0.1 s until it is true; fail saying ``what`` otherwise."""
        end = time.monotonic() + timeout
        while not condition():  # type: ignore[operator]
            if time.monotonic() > end:
                pytest.fail(f"{what} within {timeout:.0f} s; pmkb serve said:\n{self.said()}")
            time.sleep(0.1)

    def page(self, path: str) -> str:
        """Return the page at ``path`` of the served site ("" when it cannot be read)."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            return ""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """``pmkb serve`` on a knowledge base of two postmortems, once it serves the site."""
    kb = tmp_path / "kb"
    make_knowledge_base(
        kb,
        {
            "2025-08-12-search-down.md": CLEAN_POSTMORTEM,
            "2025-09-01-queue-stall.md": CLEAN_POSTMORTEM.replace("Search down", "Queue stall")
            .replace("2025-08-12", "2025-09-01")
            .replace("Search returned", "The queue returned"),
        },
    )
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as stream:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("pmkb")), "serve", "-a", f"127.0.0.1:{port}"],
            cwd=kb,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
    server = Served(kb, log, f"http://127.0.0.1:{port}/")
    try:
        server.wait_until(
            lambda: "Serving on" in server.said() or process.poll() is not None, "no site served"
        )
        assert process.poll() is None, server.said()
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def serving_from_a_terminal(
    tmp_path: Path, postmortems: dict[str, str]
) -> Iterator[tuple[subprocess.Popen[bytes], Served, Path]]:
    """Run ``pmkb serve`` as from a terminal on a knowledge base of ``postmortems``.

    Yield it once it serves, with what it says and the folder of its temporary files; kill it
    at the end if it still runs.
    """
    kb, temporary = tmp_path / "kb", tmp_path / "tmp"
    temporary.mkdir()
    make_knowledge_base(kb, postmortems)
    log = tmp_path / "serve.log"
    pmkb = str(Path(sys.executable).with_name("pmkb"))
    with log.open("w", encoding="utf-8") as stream:
        process = start_as_from_a_terminal(
            [pmkb, "serve", "-a", f"127.0.0.1:{free_port()}"],
            cwd=kb,
            stdout=stream,
            stderr=subprocess.STDOUT,
            env={**os.environ, "TMPDIR": str(temporary), "NO_MKDOCS_2_WARNING": "1"},
        )
    server = Served(kb, log, "")
    try:
        server.wait_until(
            lambda: "Serving on" in server.said() or process.poll() is not None, "no site served"
        )
        yield process, server, temporary
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_a_terminated_serve_leaves_no_copy_of_the_site_behind(tmp_path: Path) -> None:
    # A service manager, a CI step's end or ``kill`` stop it with SIGTERM, not Ctrl-C.
    postmortems = {"2025-08-12-search-down.md": CLEAN_POSTMORTEM}
    with serving_from_a_terminal(tmp_path, postmortems) as (process, server, temporary):
        assert [p.name for p in temporary.iterdir() if p.name.startswith("pmkb_serve_")]
        process.terminate()
        stopped = process.wait(timeout=60)
    assert stopped == 0, server.said()  # stopped as on Ctrl-C, not killed
    assert [p.name for p in temporary.iterdir() if p.name.startswith("pmkb_serve_")] == []


@pytest.mark.slow
def test_ctrl_c_ends_the_full_build_under_way_rather_than_wait_for_it(tmp_path: Path) -> None:
    # At 10,000 postmortems a full build in the background takes minutes, and Ctrl-C waited
    # for it; enough postmortems here for its pages to be rendered on every core.
    with serving_from_a_terminal(tmp_path, postmortems(240)) as (process, server, temporary):
        edited = server.folder / "postmortems" / "2025-08-05-incident-4.md"
        edited.write_text(edited.read_text().replace("finished", "finished at last"))
        server.wait_until(lambda: "(quick)" in server.said(), "the edit not shown")
        quick = server.said().index("(quick)")
        server.wait_until(
            lambda: "Cleaning site directory" in server.said()[quick:], "no full build after it"
        )
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        stopped = process.wait(timeout=120)
    said = server.said()
    assert stopped == 0, said
    assert "full build done" not in said[quick:]  # ended where it was, not waited for
    assert "Traceback" not in said
    assert "Error" not in said[quick:]  # MkDocs' "Error building page" of the page it was on
    assert [p.name for p in temporary.iterdir()] == []


SLUG_PAGE = "incidents/2025-08-12-search-down/"


@pytest.mark.slow
def test_an_edit_shows_on_its_page_at_once_and_in_the_lists_after_the_full_build(
    served: Served,
) -> None:
    path = served.folder / "postmortems" / "2025-08-12-search-down.md"
    builds = served.said().count("full build done")
    path.write_text(
        CLEAN_POSTMORTEM.replace("title: Search down", "title: Search down in Lisbon")
        .replace("# Search down", "# Search down in Lisbon")
        .replace("20 minutes.", "20 minutes; a wombat chewed the cable."),
        encoding="utf-8",
    )

    served.wait_until(lambda: "wombat chewed" in served.page(SLUG_PAGE), "the edit not shown")
    said = served.said()
    quick = f"updated {SLUG_PAGE} (quick); lists catch up in the next full build"
    assert quick in said
    # The page was shown before any full build after the edit, which then brings the lists.
    assert said.count("full build done") == builds or said.index(quick) < said.rindex(
        "full build done"
    )
    served.wait_until(
        lambda: served.said().count("full build done") > builds, "no full build after the edit"
    )
    assert said.index(quick) < served.said().rindex("full build done")
    served.wait_until(
        lambda: "Search down in Lisbon" in served.page("incidents/"),
        "the incidents list not caught up",
    )


@pytest.mark.slow
def test_an_edited_page_shown_alone_is_the_page_the_full_build_makes(served: Served) -> None:
    path = served.folder / "postmortems" / "2025-08-12-search-down.md"
    builds = served.said().count("full build done")
    path.write_text(CLEAN_POSTMORTEM.replace("20 minutes.", "20 minutes (edited)."))
    served.wait_until(lambda: "(edited)" in served.page(SLUG_PAGE), "the edit not shown")
    quick = served.page(SLUG_PAGE)
    served.wait_until(
        lambda: served.said().count("full build done") > builds, "no full build after the edit"
    )
    full = served.page(SLUG_PAGE)

    assert "(quick)" in served.said()
    # The same page, but for the live-reload script's version numbers.
    assert _without_reload(quick) == _without_reload(full)


@pytest.mark.slow
def test_a_new_postmortem_or_a_changed_page_of_the_author_gets_a_full_build(
    served: Served,
) -> None:
    builds = served.said().count("full build done")
    (served.folder / "postmortems" / "2025-10-02-cache-cold.md").write_text(
        CLEAN_POSTMORTEM.replace("Search down", "Cache cold").replace("2025-08-12", "2025-10-02")
    )
    served.wait_until(
        lambda: "Cache cold" in served.page("incidents/2025-10-02-cache-cold/"), "no new page"
    )
    assert served.said().count("full build done") > builds
    assert "(quick)" not in served.said()

    builds = served.said().count("full build done")
    (served.folder / "docs" / "writing.md").write_text("# Writing\n\nKoala guidance.\n")
    served.wait_until(lambda: "Koala guidance" in served.page("writing/"), "docs not rebuilt")
    assert served.said().count("full build done") > builds
    assert "(quick)" not in served.said()


_RELOAD = re.compile(r"livereload\(\d+, \d+\)")


def _without_reload(html: str) -> str:
    return _RELOAD.sub("livereload()", html)


def test_stopping_as_files_change_says_nothing_of_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Ctrl-C during a full build stops the watch of the knowledge base while the build writes
    # its cache there: watchdog logged an error for the change it read after it stopped. The
    # race was lost in about one stop in four here: thirty stops.
    for _ in range(30):
        observer = watch_folder(tmp_path, FileSystemEventHandler())
        observer.start()
        writing, done = threading.Event(), threading.Event()
        writer = threading.Thread(target=_write_until, args=(tmp_path, writing, done))
        writer.start()
        writing.wait()
        time.sleep(0.02)
        observer.stop()
        time.sleep(0.02)
        done.set()
        writer.join()
        observer.join()
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def _write_until(folder: Path, writing: threading.Event, done: threading.Event) -> None:
    for number in itertools.count():
        (folder / f"cache-{number % 5}").write_text("x", encoding="utf-8")
        writing.set()
        if done.is_set():
            return
