"""Fixtures of the browser tests: real sites built by MkDocs, served locally, seen by Chromium.

The site is built exactly as a user builds it (``python -m mkdocs build --strict`` in a new
process, with the repository's ``mkdocs.yml``), served by ``python -m http.server`` on a free
loopback port, and opened by Playwright driving Debian's Chromium (``/usr/bin/chromium``; no
browser download). Every page a test opens records each request it makes, and the test fails if
one leaves 127.0.0.1 (the offline guarantee), if a local request fails or gets an error status (a
missing asset or page), if a JavaScript dialog opens (a script an author smuggled in ran) or if a
script on the page throws.

Without ``/usr/bin/chromium`` the browser tests are skipped, unless ``PMKB_REQUIRE_BROWSER=1``
(set by ``.ci/run``): then they fail, so CI cannot pass without them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
LOCAL_HOSTS = frozenset({"127.0.0.1"})
# Schemes that never reach the network.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True) -> Path:
    """Build a site with the real MkDocs in a new process, as a user runs it; return its folder."""
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file)]
    command += ["-d", str(site_dir), *(["--strict"] if strict else [])]
    result = subprocess.run(
        command,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
        cwd=config_file.parent,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build -f {config_file} failed:\n{result.stdout}\n{result.stderr}")
    return site_dir


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    """Return a mkdocs.yml as data, with MkDocs' own YAML tags (``!ENV``, ``!relative``)."""
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load  # noqa: PLC0415

    with path.open(encoding="utf-8") as stream:
        loaded = yaml_load(stream, loader=get_yaml_loader())
    return loaded if isinstance(loaded, dict) else {}


def make_knowledge_base(
    folder: Path,
    postmortems: Mapping[str, str],
    *,
    options: Mapping[str, object] | None = None,
) -> Path:
    """Write a knowledge base like the repository's: its mkdocs.yml, docs/ and templates/.

    ``postmortems`` maps file names to their text. ``options`` are set on the ``postmortems``
    plugin through a second config file that inherits the repository's (MkDocs' ``INHERIT``), so
    that everything else (theme, extensions, other plugins) stays the repository's own. Returns
    the config file to build.
    """
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    for name in ("docs", "templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, folder / name)
    target = folder / "postmortems"
    target.mkdir()
    for name, text in postmortems.items():
        (target / name).write_text(text, encoding="utf-8")
    if not options:
        return folder / "mkdocs.yml"
    plugins = []
    for entry in read_mkdocs_yml(ROOT / "mkdocs.yml").get("plugins", []):
        name, settings = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name == "postmortems":
            settings = {**(settings or {}), **options}
        plugins.append({name: settings} if settings else name)
    # The inheriting file sits next to mkdocs.yml: paths stay relative to the same folder.
    config = folder / "mkdocs.test.yml"
    config.write_text(
        yaml.safe_dump({"INHERIT": "mkdocs.yml", "plugins": plugins}, sort_keys=False),
        encoding="utf-8",
    )
    return config


def example_postmortems() -> dict[str, str]:
    """Return the repository's example postmortems, by file name."""
    return {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "postmortems").glob("*.md"))
    }


def free_port() -> int:
    """Return a TCP port that is free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve a built site with ``python -m http.server`` on 127.0.0.1; yield its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "-b", "127.0.0.1", "-d", str(site_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            if server.poll() is not None:
                pytest.fail(f"http.server exited with status {server.returncode} on port {port}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"http.server did not listen on 127.0.0.1:{port} within 15 s")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def html_pages(site_dir: Path) -> list[str]:
    """Return the URL path of every page of a built site (``incidents/x/``), sorted."""
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        if relative == "404.html":
            continue
        pages.append(relative.removesuffix("index.html"))
    return pages


# Material searches on every keyup, so results of a prefix show up while the word is typed: the
# results count once the list has not changed for a while and the index is loaded.
SETTLED_RESULTS = """quiet => {
    const meta = document.querySelector('.md-search-result__meta');
    const list = document.querySelector('.md-search-result__list');
    if (!meta || !list || /initializing|type to start/i.test(meta.textContent)) return false;
    const now = meta.textContent + '|' + list.innerHTML;
    const watch = window.__pmkbSearch || (window.__pmkbSearch = {seen: '', since: 0});
    if (watch.seen !== now) {
        watch.seen = now;
        watch.since = Date.now();
        return false;
    }
    return Date.now() - watch.since >= quiet;
}"""


def search(page: Any, query: str) -> int:
    """Type a query into Material's search box, as a reader does; return how many results.

    Waits until the results are those of the whole query (see :data:`SETTLED_RESULTS`).
    """
    page.click("input.md-search__input")
    page.keyboard.press("Control+A")
    page.keyboard.type(query)
    page.evaluate("() => { window.__pmkbSearch = null; }")
    page.wait_for_function(SETTLED_RESULTS, arg=600, polling=100)
    count: int = page.locator(".md-search-result__item").count()
    return count


def is_local(url: str) -> bool:
    """Whether a request stays on this machine's loopback address (or never hits the network)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOCAL_HOSTS


@dataclass
class Watch:
    """What the pages of one test did that a test must see: requests, dialogs, script errors."""

    requests: list[str] = field(default_factory=list)
    """Every URL requested, in order."""
    dialogs: list[str] = field(default_factory=list)
    """Every JavaScript dialog that opened (``alert: 1``)."""
    errors: list[str] = field(default_factory=list)
    """Uncaught script errors."""
    allowed_missing: set[str] = field(default_factory=set)
    """Last path segments a test expects to be missing (a hostile page's ``<img src=x>``)."""
    failed: list[str] = field(default_factory=list)
    """Local requests answered with an error status, or that failed for another reason than the
    page navigating away (Chromium aborts what a page still loads when the test opens the next)."""

    @property
    def outside(self) -> list[str]:
        """Requests that left 127.0.0.1."""
        return [url for url in self.requests if not is_local(url)]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright, for the whole session."""
    required = os.environ.get("PMKB_REQUIRE_BROWSER") == "1"
    if not CHROMIUM.is_file():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
        if required:
            pytest.fail(f"PMKB_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import Error, sync_playwright  # noqa: PLC0415

    playwright = sync_playwright().start()
    try:
        try:
            launched = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except Error as error:
            reason = f"{CHROMIUM} does not start: {error.message.splitlines()[0]}"
            if required:
                pytest.fail(f"PMKB_REQUIRE_BROWSER=1 but {reason}")
            pytest.skip(reason)
        yield launched
        launched.close()
    finally:
        playwright.stop()


@pytest.fixture
def watch() -> Watch:
    """The record of what the test's pages did."""
    return Watch()


@pytest.fixture
def page(browser: Any, watch: Watch) -> Iterator[Any]:
    """A fresh desktop page whose requests, dialogs and script errors are recorded and checked.

    Requests that would leave 127.0.0.1 are recorded, then aborted so that nothing is ever
    fetched from the internet even while the test runs; the test fails at teardown if there was
    any, if a local request failed, if a dialog opened or if a script threw.
    """
    context = browser.new_context(viewport=VIEWPORT)
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    opened.on("request", lambda request: watch.requests.append(request.url))
    opened.on(
        "requestfailed",
        lambda request: (
            request.failure != "net::ERR_ABORTED"
            and _record_failure(watch, request.url, f"failed ({request.failure})")
        ),
    )
    opened.on(
        "response",
        lambda response: (
            response.status >= 400 and _record_failure(watch, response.url, str(response.status))
        ),
    )
    opened.on("pageerror", lambda error: watch.errors.append(str(error)))

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    opened.on("dialog", on_dialog)
    yield opened
    context.close()
    assert watch.outside == [], "requests left 127.0.0.1"
    assert watch.failed == [], "local requests failed: a page or asset is missing"
    assert watch.dialogs == [], "a JavaScript dialog opened: a script from a postmortem ran"
    assert watch.errors == [], "a script on the page threw"


def _record_failure(watch: Watch, url: str, how: str) -> None:
    if is_local(url) and urlsplit(url).path.rsplit("/", 1)[-1] not in watch.allowed_missing:
        watch.failed.append(f"{how} {url}")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site (its mkdocs.yml, docs/ and postmortems/), built once."""
    return build_site(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("example") / "site")


@pytest.fixture(scope="session")
def example_url(example_site: Path) -> Iterator[str]:
    """The base URL of the repository's site, served on 127.0.0.1 for the session."""
    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="session")
def example_catalog() -> Any:
    """The repository's knowledge base as the site's generator reads it."""
    from generator.catalog import load_catalog  # noqa: PLC0415
    from generator.config import load_settings  # noqa: PLC0415

    return load_catalog(load_settings(ROOT / "mkdocs.yml"))


@pytest.fixture(scope="session")
def example_settings() -> Any:
    """The settings of the repository's knowledge base."""
    from generator.config import load_settings  # noqa: PLC0415

    return load_settings(ROOT / "mkdocs.yml")
