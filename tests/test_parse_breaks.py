"""Lines joined by ``<br>``: a postmortem pasted from a chat tool reads like one with newlines.

The examples are written here; each document is compared with the same lines separated by
newlines, which pmkb already reads (tests/test_parse_plain_text.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.models import Postmortem, SectionKind
from generator.parse import parse_text
from tests.conftest import pmkb
from tests.test_checks import check

K = SectionKind

NEWLINE_DOCUMENTS = {
    "labels, events and steps": (
        "Summary: Checkout failed for EU users.",
        "Timeline:",
        "09:12 CET: deploy 41 starts",
        "09:20 CET: alerts fire",
        "Cause: a bad config flag",
        "Next steps:",
        "- add a canary",
        "- alert on 5xx",
    ),
    "a compound label": (
        "Summary: retries doubled the load.",
        "Root cause and resolution: a retry loop; we capped it.",
        "Follow-ups:",
        "- cap retries in every client",
        "- load test the retry path",
    ),
    "another language": (
        "Zusammenfassung: Die Suche lieferte Fehler.",
        "Zeitlicher Ablauf:",
        "10:02 UTC: erste Fehler",
        "10:31 UTC: Index neu aufgebaut",
        "Ursache: eine volle Platte.",
        "Nächste Schritte:",
        "- Plattenalarm einrichten",
    ),
}


def parse(text: str) -> Postmortem:
    result = parse_text(text, source="2024-03-05-checkout.md")
    assert result.postmortem is not None
    return result.postmortem


def reading(postmortem: Postmortem) -> tuple[object, ...]:
    """What a reader sees of a document: its sections, events and action items.

    A ``<br>`` stays a line break inside a text (Markdown's two spaces before the newline), where
    a newline alone would join the lines: that is the one difference allowed.
    """

    def text(markdown: str) -> str:
        return markdown.replace("  \n", "\n")

    return (
        [(s.kind, s.heading) for s in postmortem.sections],
        [(e.time, e.at, text(e.text)) for e in postmortem.timeline],
        [text(a.text) for a in postmortem.action_items],
        [text(c.text) for c in postmortem.root_causes],
        text(postmortem.summary),
    )


@pytest.mark.parametrize("name", list(NEWLINE_DOCUMENTS))
@pytest.mark.parametrize("tag", ["<br>", "<br/>", "<br />", "<BR>", " <Br /> "])
def test_lines_joined_by_br_read_like_lines(name: str, tag: str) -> None:
    lines = NEWLINE_DOCUMENTS[name]
    title = "# Checkout incident\n\n"
    with_newlines = parse(title + "\n".join(lines) + "\n")
    with_breaks = parse(title + tag.join(lines) + "\n")
    assert reading(with_breaks) == reading(with_newlines)
    assert len(with_breaks.sections) > 3  # the labels did start sections


def test_the_example_of_a_pasted_postmortem_is_read_whole() -> None:
    postmortem = parse(
        "# Checkout incident\n\n" + "<br>".join(NEWLINE_DOCUMENTS["labels, events and steps"])
    )
    kinds = [s.kind for s in postmortem.sections if s.level > 1]
    assert kinds == [K.SUMMARY, K.TIMELINE, K.ROOT_CAUSE, K.ACTION_ITEMS]
    cet = dt.timezone(dt.timedelta(hours=1))
    assert [(e.at, e.text) for e in postmortem.timeline] == [
        (dt.datetime(2024, 3, 5, 9, 12, tzinfo=cet), "deploy 41 starts"),
        (dt.datetime(2024, 3, 5, 9, 20, tzinfo=cet), "alerts fire"),
    ]
    assert [a.text for a in postmortem.action_items] == ["add a canary", "alert on 5xx"]
    # Everything is on line 3 of the file, whatever lines the parser counted.
    lines = [
        *(s.line for s in postmortem.sections[1:]),
        *(e.line for e in postmortem.timeline),
        *(a.line for a in postmortem.action_items),
    ]
    assert {postmortem.source_line(line) for line in lines} == {3}


def test_prose_with_breaks_keeps_every_word_and_its_breaks() -> None:
    postmortem = parse(
        "# Checkout incident\n\n"
        "Summary: Checkout failed.<br>We rolled back<br/>and waited for the queue.\n\n"
        "## Timeline\n\n| Time | Event |\n|---|---|\n| 10:00 | deploy<br>of 41 |\n"
    )
    summary = next(s for s in postmortem.sections if s.kind is K.SUMMARY)
    shown = "\n\n".join(p.markdown for p in summary.residual)
    # Each piece is still on a line of its own where the text is shown: after a paragraph break
    # or Markdown's hard line break (two spaces).
    assert re.split(r"\n\n| {2}\n", shown) == [
        "Checkout failed.",
        "We rolled back",
        "and waited for the queue.",
    ]
    # A table cell's break is the cell's own: one row, one event.
    assert [e.text for e in postmortem.timeline] == ["deploy<br>of 41"]


def test_a_break_before_code_or_html_stays_as_written() -> None:
    text = "# Outage\n\nSummary: see below<br>```not a fence<br><b>bold</b> text<br>---\n"
    postmortem = parse(text)
    assert postmortem.break_lines == ()
    assert postmortem.sections[-1].markdown == text.split("\n")[2]


def test_diagnostics_after_a_joined_paragraph_name_the_file_line(tmp_path: Path) -> None:
    text = (
        "---\ndate: 2025-08-12\n---\n# Search outage\n\n"
        "Summary: search failed.<br>Timeline:<br>14:02 UTC deploy<br>14:40 UTC rollback\n\n"
        "TODO: write the impact\n"
    )
    found = [d for d in check(tmp_path, text) if d.code == "PMK018"]
    assert [d.location.line for d in found] == [8]


LINES = st.sampled_from(
    ["Summary: the queue stalled.", "Timeline:", "10:02 UTC: first errors", "10:31 UTC: fixed",
     "Root cause and resolution: a full disk; we freed it.", "Next steps:", "- add a disk alert",
     "- [x] free the disk", "Impact: slow checkout.", "We paged the on-call engineer.",
     "Zeitlicher Ablauf:", "Ursache: ein Fehler.", "再発防止策:", "1. alert on disk", "**Impact**:"]
)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.lists(LINES, min_size=2, max_size=10), st.sampled_from(["<br>", "<br/>", "<BR />"]))
def test_any_lines_joined_by_br_read_like_lines(lines: list[str], tag: str) -> None:
    # A paragraph, not a list item: a <br> inside a list item is the item's own.
    assume(lines[0][:2] not in ("- ", "1."))
    title = "# Queue incident\n\n"
    with_newlines = parse(title + "\n".join(lines) + "\n")
    with_breaks = parse(title + tag.join(lines) + "\n")
    assert reading(with_breaks) == reading(with_newlines)
    # Every element of the joined paragraph is on its line of the file.
    assert {with_breaks.source_line(s.line) for s in with_breaks.sections[1:]} <= {3}


def test_open_actions_of_a_joined_paragraph_name_the_file_line(kb: Path) -> None:
    (kb / "postmortems" / "2025-08-12-search.md").write_text(
        "---\ntitle: Search outage\ndate: 2025-08-12\n---\n# Search outage\n\n"
        "Summary: search failed.<br>Next steps:<br>- add a canary<br>- alert on 5xx\n",
        encoding="utf-8",
    )
    result = pmkb("actions", "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [(item["action"], item["line"]) for item in listed] == [
        ("add a canary", 7),
        ("alert on 5xx", 7),
    ]
