"""One long paragraph renders in time linear in its length, with the links GitHub would make."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

from generator.autolink import MAX_LINK, autolink_plugin
from generator.markup import MarkupRenderer
from generator.settings import RawHtml
from tests.conftest import ROOT


def renderer(plugin: object) -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(plugin)  # type: ignore[arg-type]
    return md


OURS = renderer(autolink_plugin)
PLUGIN = renderer(gfm_autolink_plugin)
PIECES = st.sampled_from(
    [
        "https://example.com/a?b=c",
        "http://x.example.org/path_(1).",
        "www.example.com",
        "www.",
        "wwww.example.com",
        "mailto:ann@example.com",
        "xmpp:bob@chat.example.org/home",
        "ann.lee+ops@example.co.uk",
        "a@b",
        "user@host.example.",
        "https:",
        "http://",
        "10:02:03",
        "@ann",
        "(see",
        "*https://example.com*",
        "_www.example.com_",
        "[link](https://example.com)",
        "<https://example.com>",
        "`https://example.com`",
        "example.com:8080",
        "~",
        ":",
        "@",
        "w",
        "word",
        "café",
        "\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=12), st.lists(st.sampled_from([" ", "", "\t", ", "]), min_size=12))
def test_the_links_are_the_ones_github_makes(pieces: list[str], gaps: list[str]) -> None:
    text = "".join(piece + gap for piece, gap in zip(pieces, gaps, strict=False))
    assert OURS.render(text) == PLUGIN.render(text)


def test_a_link_longer_than_the_window_stays_text() -> None:
    url = "https://example.com/" + "a" * MAX_LINK
    html = OURS.render(f"see {url} now")
    assert "<a " not in html and url in html
    assert '<a href="https://example.com/aaa">' in OURS.render("see https://example.com/aaa now")


GUARD = textwrap.dedent(
    """\
    from generator.markup import MarkupRenderer
    from generator.settings import RawHtml
    line = (
        "2025-08-12T14:02:03Z ERROR db-1: connection refused by 10.0.0.7:5432 after 3 retries "
    ) * 9 + "see https://status.example.com/x or ops@example.com "
    text = (line * (10_000_000 // len(line) + 1))[:10_000_000]
    html = MarkupRenderer(RawHtml.ESCAPE).block(text)
    print(html.count("<a "))
    """
)


@pytest.mark.slow
def test_a_ten_megabyte_paragraph_renders_in_seconds_not_minutes() -> None:
    """A guard, not a timing: the quadratic autolink rules took over four minutes here."""
    found = subprocess.run(
        [sys.executable, "-c", GUARD],
        capture_output=True,
        text=True,
        timeout=150,
        cwd=ROOT,
        check=True,
    )
    assert int(found.stdout) > 10_000


def test_the_site_renderer_uses_the_linear_rules() -> None:
    markup = MarkupRenderer(RawHtml.ESCAPE)
    html = markup.block("see www.example.com and ann@example.com")
    assert '<a href="http://www.example.com">' in html
    assert '<a href="mailto:ann@example.com">' in html
    rules = markup._md.inline.ruler.__rules__
    autolinks = {rule.fn.__module__ for rule in rules if rule.name.startswith("gfm_autolink")}
    assert autolinks == {"generator.autolink"}
