"""A company or team banner over the title: the specific title under it is the incident's.

Examples are written here; the corpus titles (tests/snapshots) must not change.
"""

from __future__ import annotations

import pytest

from generator.models import Postmortem
from generator.parse import parse_text
from generator.parse.text import plain_text
from tests.test_parse_lossless import assert_lossless


def parse(text: str) -> Postmortem:
    result = parse_text(text, source="2024-03-05-outage.md")
    assert result.postmortem is not None
    return result.postmortem


@pytest.mark.parametrize(
    "document",
    [
        "# Contoso Engineering\n\n## Checkout outage for EU users\n\n## Summary\n\nText.\n",
        "# ACME Corp — Reliability\n\n**Checkout outage for EU users**\n\n## Impact\n\nSlow.\n",
        "# Platform Team\n\nCheckout outage for EU users\n\n## Summary\n\nText.\n",
        "# Fabrikam GmbH\n\n### Checkout outage for EU users\n\nText.\n",
        "# 株式会社コントソ\n\n## Checkout outage for EU users\n\n本文。\n",
        "# Contoso\n\n## Checkout outage for EU users\n\n## Summary\n\nText.\n",
    ],
)
def test_a_banner_gives_way_to_the_specific_title(document: str) -> None:
    postmortem = parse(document)
    assert postmortem.title == "Checkout outage for EU users"
    assert_lossless(postmortem, document)  # the banner stays in the document


@pytest.mark.parametrize(
    ("document", "title"),
    [
        # A title that says what happened, whatever comes next.
        ("# Platform Team outage\n\n## Database failover\n\nText.\n", "Platform Team outage"),
        ("# Infrastructure DNS failure\n\n## Cache misses\n", "Infrastructure DNS failure"),
        # A banner-like title with no specific title after it stays the title.
        ("# Search Infrastructure\n\n## Summary\n\nText.\n", "Search Infrastructure"),
        ("# Payments Team\n\nWe lost the queue for an hour.\n", "Payments Team"),
        # A one-word name stays unless what follows says what went wrong.
        ("# Cloudbleed\n\n## Parser internals\n\nText.\n", "Cloudbleed"),
        ("# Cloudbleed\n\nMemory parser details\n\n## Summary\n\nText.\n", "Cloudbleed"),
        # Front matter's title wins over both.
        ("---\ntitle: Queue stall\n---\n# Contoso Team\n\n## Checkout outage\n", "Queue stall"),
    ],
)
def test_a_real_title_is_kept(document: str, title: str) -> None:
    postmortem = parse(document)
    assert postmortem.title == title
    assert_lossless(postmortem, document)  # a line looked at and not taken stays in the text


@pytest.mark.parametrize(
    ("document", "title"),
    [
        ("# Incident report\n\n**Checkout outage in EU**\n\nText.\n", "Checkout outage in EU"),
        # A bold field line is no title: the next heading is.
        ("# Incident report\n\n**Status: resolved**\n\n## Checkout outage\n", "Checkout outage"),
    ],
)
def test_a_title_set_in_bold_under_a_generic_heading(document: str, title: str) -> None:
    postmortem = parse(document)
    assert postmortem.title == title
    assert_lossless(postmortem, document)


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("[Checkout](https://x.example/c) failed", "Checkout failed"),
        ("Checkout <b>failed</b>", "Checkout failed"),
        ("Checkout **failed**", "Checkout failed"),
        ("Checkout ~~slow~~ failed", "Checkout slow failed"),
        ("Checkout _failed_", "Checkout failed"),
        ("Checkout \\#3 failed", "Checkout #3 failed"),
        ("Checkout `v2` failed", "Checkout v2 failed"),
        ("Checkout  failed", "Checkout failed"),
    ],
)
def test_each_mark_of_markdown_is_taken_off_a_line(line: str, text: str) -> None:
    # Lines without any of these marks skip the patterns (most lines of prose): each mark alone
    # must still send its line through them.
    assert plain_text(line) == text
