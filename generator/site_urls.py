"""Site URLs: where MkDocs puts the page of a site path, and the relative URLs between pages.

It also says where a page finds the feed (:func:`feed_href`).

Pages link to each other relatively (``../lessons/#recurring-x``), so that a site works wherever
it is served from, and from files. :func:`relative_url` is called for every link of every page:
it is remembered, and works out paths without the system's help (:func:`posixpath.relpath` asks
for the working folder on every call).
"""

from __future__ import annotations

import functools
import posixpath
from urllib.parse import urljoin

from generator.feed import FEED_PATH


@functools.lru_cache(maxsize=4096)
def relative_url(page: str, target: str, *, directory_urls: bool = True) -> str:
    """Return the URL of ``target`` from ``page``; both are site paths (``incidents/x.md``).

    Markdown paths become page URLs the way MkDocs makes them; other paths are files.
    """
    path, hash_mark, fragment = target.partition("#")
    here = page_url(page, directory_urls)
    there = page_url(path, directory_urls) if path.endswith(".md") else path
    base = here.rsplit("/", 1)[0] if "/" in here else ""
    relative = _relative_path(there or ".", base or ".")
    if relative == ".":
        relative = "./"
    elif there.endswith("/"):
        relative += "/"
    return relative + hash_mark + fragment


def _relative_path(path: str, start: str) -> str:
    """Return ``posixpath.relpath(path, start)`` for two paths inside the site.

    ``relpath`` makes both absolute first, asking the system for the working folder each time:
    most of the cost of the dozens of links on every page. Paths that climb out of the site's
    root (``../``) or start at the file system's are left to it.
    """
    target, origin = posixpath.normpath(path), posixpath.normpath(start)
    if target.startswith(("/", "..")) or origin.startswith(("/", "..")):
        return posixpath.relpath(path, start)
    target_parts = [part for part in target.split("/") if part != "."]
    origin_parts = [part for part in origin.split("/") if part != "."]
    common = 0
    for mine, theirs in zip(target_parts, origin_parts, strict=False):
        if mine != theirs:
            break
        common += 1
    parts = [".."] * (len(origin_parts) - common) + target_parts[common:]
    return "/".join(parts) if parts else "."


def page_url(path: str, directory_urls: bool = True) -> str:
    """Return the URL, relative to the site's root, of the page MkDocs makes of ``path``."""
    stem = path[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        folder = stem[: -len("index")]
        return folder if directory_urls else folder + "index.html"
    return f"{stem}/" if directory_urls else f"{stem}.html"


def feed_href(page_url: str, site_url: str | None) -> str:
    """Return the feed's address from a page (``page_url`` as MkDocs gives it: ``a/b/``).

    Absolute when the site has a ``site_url``; else relative to the page, so that the site
    works wherever it is served from (and from files).
    """
    if site_url:
        return urljoin(site_url.rstrip("/") + "/", FEED_PATH)
    folder = posixpath.dirname(page_url) if not page_url.endswith("/") else page_url.rstrip("/")
    return _relative_path(FEED_PATH, folder or ".")  # once a page: not relpath's system call
