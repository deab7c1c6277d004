"""A public build leaves out the postmortems marked ``internal: true``, search index included.

The knowledge base is the repository's own, built with ``public: true`` on the plugin. The
words that only the internal postmortem uses (computed from the sources, not written here) must
be in the normal build, which proves they would leak, and nowhere in the public one: no page,
no search index entry, no sitemap, tag list or asset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site_search import INDEX_DIR

from .conftest import ROOT, build_site, example_postmortems, make_knowledge_base, search, serve

# Each test builds whole sites with MkDocs (the last one also drives Chromium).
pytestmark = pytest.mark.slow

# Material's own bundles: the same in every build, never generated from postmortems.
THEME_FILES = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]{6,}")


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's knowledge base built with ``public: true``."""
    folder = tmp_path_factory.mktemp("public")
    config = make_knowledge_base(folder / "kb", example_postmortems(), options={"public": True})
    return build_site(config, folder / "site")


@pytest.fixture(scope="module")
def internal(example_catalog: Any, example_settings: Any) -> tuple[Any, str, list[str]]:
    """(postmortem, its page path, the words only it uses) of the internal example."""
    internals = [p for p in example_catalog if p.internal]
    assert len(internals) == 1, "the example knowledge base has one internal postmortem"
    [postmortem] = internals
    others = " ".join(
        text.casefold()
        for name, text in example_postmortems().items()
        if not postmortem.source.endswith(name)
    )
    others += " ".join(p.read_text(encoding="utf-8").casefold() for p in _boilerplate())
    source = (ROOT / postmortem.source).read_text(encoding="utf-8")
    only_here = sorted({w for w in WORD.findall(source) if w.casefold() not in others})
    page = f"{example_settings.url_prefix}/{example_catalog.slug(postmortem)}/"
    return postmortem, page, only_here


def _boilerplate() -> list[Path]:
    """Files whose words reach the site whatever the postmortems say: the hand-written pages,
    pmkb's page templates and assets, Material's templates."""
    import material  # noqa: PLC0415

    import generator  # noqa: PLC0415

    folders = [
        ROOT / "docs",
        ROOT / "templates",
        Path(generator.__file__).parent / "templates" / "site",
        Path(generator.__file__).parent / "assets",
        Path(material.__file__).parent / "templates",
    ]
    suffixes = (".md", ".yml", ".html", ".j2", ".js", ".css")
    return sorted(p for f in folders for p in f.rglob("*") if p.suffix in suffixes and p.is_file())


def mentions(text: str, word: str) -> bool:
    """Whether ``text`` (lower case) holds ``word`` as a whole word."""
    return re.search(rf"(?<![a-z0-9_]){re.escape(word.casefold())}(?![a-z0-9_])", text) is not None


def site_text(site: Path) -> dict[str, str]:
    """Return every text file of a built site that content can reach, by path, lower case.

    The search index's files are also read together, as ``SEARCH``.
    """
    found = {}
    search = []
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if not path.is_file() or relative.startswith(THEME_FILES) or path.suffix == ".gz":
            continue
        text = path.read_bytes().decode("utf-8", errors="replace").casefold()
        found[relative] = text
        if relative.startswith(f"{INDEX_DIR}/"):
            search.append(text)
    found[SEARCH] = "\n".join(search)
    return found


SEARCH = "(search index)"


def test_public_build_has_no_trace_of_the_internal_postmortem(
    public_site: Path, example_site: Path, internal: tuple[Any, str, list[str]]
) -> None:
    postmortem, page, only_here = internal
    normal = site_text(example_site)
    # The words that would leak: only the internal postmortem uses them, and the normal build
    # shows them (in its search index too).
    leaking = [w for w in only_here if any(mentions(text, w) for text in normal.values())]
    assert len(leaking) >= 10, only_here
    assert any(mentions(normal[SEARCH], w) for w in leaking)
    assert postmortem.title.casefold() in normal[SEARCH]
    assert (example_site / page / "index.html").is_file()

    assert not (public_site / page).exists()
    public = site_text(public_site)
    assert f"{INDEX_DIR}/index.json" in public
    assert any(path.endswith(".html") for path in public)
    for path, text in public.items():
        assert postmortem.title.casefold() not in text, path
        assert page.casefold() not in text, path
        assert [w for w in leaking if mentions(text, w)] == [], path


def test_public_build_keeps_the_other_postmortems(
    public_site: Path, example_catalog: Any, example_settings: Any
) -> None:
    for postmortem in example_catalog:
        if postmortem.internal:
            continue
        page = f"{example_settings.url_prefix}/{example_catalog.slug(postmortem)}/index.html"
        assert (public_site / page).is_file(), postmortem.source


@pytest.fixture(scope="module")
def public_url(public_site: Path) -> Iterator[str]:
    """The public site, served on 127.0.0.1."""
    with serve(public_site) as url:
        yield url


@pytest.mark.browser
def test_public_site_search_does_not_find_the_internal_postmortem(
    page: Any, public_url: str, example_url: str, internal: tuple[Any, str, list[str]]
) -> None:
    _, _, only_here = internal
    word = max(only_here, key=len)
    # The normal site finds it: the search below would find it if it had leaked.
    for url, expected in ((example_url, True), (public_url, False)):
        page.goto(url)
        assert (search(page, word) > 0) is expected, url
