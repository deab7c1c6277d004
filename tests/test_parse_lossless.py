"""Nothing lost: every non-blank line of a body belongs to exactly one section.

Checked over every real document of the shared corpus and over Markdown that hypothesis makes
up, with the structures postmortems use (headings, labels, lists, checkboxes, tables, code,
quotes, timestamps) mixed at random. The same property also checks the residuals: each passage
lies inside its section, in order, and in a section no reader turns into structure (kind
``other``), every line that is not a metadata field is in the residual, to be shown as written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.models import Postmortem, SectionKind
from generator.parse import parse_file, parse_text
from generator.parse.text import plain_text
from tests.conftest import CORPUS_POSTMORTEMS, CORPUS_TEMPLATES, EXAMPLES, SEED


def assert_lossless(postmortem: Postmortem, text: str) -> None:
    body = text.split("\n")[postmortem.body_line - 1 :]
    owners: dict[int, int] = {}
    for index, section in enumerate(postmortem.sections):
        for line in range(section.line, section.end_line + 1):
            assert line not in owners, f"line {line} is in two sections"
            owners[line] = index
    for offset, line_text in enumerate(body):
        number = postmortem.body_line + offset
        if line_text.strip():
            assert number in owners, f"line {number} {line_text!r} belongs to no section"
            section = postmortem.sections[owners[number]]
            assert line_text in section.markdown.split("\n")
    assert_residual_holds_the_rest(postmortem)


def assert_residual_holds_the_rest(postmortem: Postmortem) -> None:
    fields = {field.line for field in postmortem.fields}
    for section in postmortem.sections:
        starts = [passage.line for passage in section.residual]
        assert starts == sorted(set(starts)), f"passages of {section.heading!r} out of order"
        assert all(section.line <= start <= section.end_line for start in starts)
        if section.kind is not SectionKind.OTHER:
            continue
        kept = {
            line.strip()
            for passage in section.residual
            for line in passage.markdown.split("\n")
            if line.strip()
        }
        # The heading line (even an empty "#") is the section's, not residual.
        first = 1 if section.heading or section.level else 0
        for offset, line_text in enumerate(section.markdown.split("\n")[first:], start=first):
            number = section.line + offset
            # A first line read as the title is shown as the page's heading, not as text.
            is_title = plain_text(line_text) == postmortem.title
            if line_text.strip() and number not in fields and not is_title:
                assert line_text.strip() in kept, f"line {number} {line_text!r} not in residual"


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_documents_lose_no_line(path: Path) -> None:
    result = parse_file(path)
    assert result.postmortem is not None
    assert_lossless(result.postmortem, read(path))


@pytest.mark.corpus
@pytest.mark.parametrize("path", [*CORPUS_POSTMORTEMS, *CORPUS_TEMPLATES], ids=lambda p: p.name)
def test_corpus_documents_lose_no_line(path: Path) -> None:
    result = parse_file(path)
    assert result.postmortem is not None
    assert_lossless(result.postmortem, read(path))


@pytest.mark.corpus
def test_seed_loses_no_line_after_repair() -> None:
    result = parse_file(SEED)
    assert result.postmortem is not None
    # Its only damaged characters are the mojibake of one emoji, repaired on reading.
    repaired = read(SEED).replace("âœ…", "✅")
    assert_lossless(result.postmortem, repaired)


WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20
).filter(lambda word: word.strip() != "")
HEADINGS = st.sampled_from(
    ["Summary", "Timeline", "Action Items", "Lessons Learned", "What went wrong", "Impact",
     "Root Cause", "Resolution", "Our Mistakes", "Five Whys", "Appendix", "教訓", "Notes",
     "2025-01-02 10:00", "13:37", "For Later", "Completed ✅", "Date: 2025-08-12", "Status"]
)  # fmt: skip
STAMPS = st.sampled_from(["10:00", "**2025-01-09 ~16:00 UTC**:", "[???]", "2:54 PM PST:", ""])


@st.composite
def blocks(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 9))
    words = " ".join(draw(st.lists(WORDS, min_size=1, max_size=6)))
    if kind == 0:
        return "#" * draw(st.integers(1, 6)) + " " + draw(HEADINGS)
    if kind == 1:
        marker = draw(st.sampled_from(["- ", "* ", "1. ", "- [ ] ", "- [x] ", "  - "]))
        return "\n".join(f"{marker}{draw(STAMPS)} {words}" for _ in range(draw(st.integers(1, 4))))
    if kind == 2:
        return f"| Time | Event |\n|---|---|\n| {draw(STAMPS)} | {words} |"
    if kind == 3:
        return f"```\n# {words}\n```"
    if kind == 4:
        return f"- **{draw(HEADINGS)}**: {words}"
    if kind == 5:
        return f"> {words}\n> - {words}"
    if kind == 6:
        return f"**{draw(HEADINGS)}**:\n{words}"
    if kind == 7:
        return f"[ref]: https://example.com/{len(words)}"
    if kind == 8:
        return f"{draw(STAMPS)} {words}\n{draw(STAMPS)} {words}"
    return words


def test_a_label_item_with_a_table_right_under_it_loses_no_line() -> None:
    # Found by the property test below: without a blank line, the table runs on into the list
    # item (a lazy continuation), and the item was read as a status of all those words.
    text = "- **Status**: 0\n| Time | Event |\n|---|---|\n| 10:00 | 0 |\n- **2025-01-02 10:00**: 0"
    result = parse_text(text, source="generated.md")
    assert result.postmortem is not None
    assert "| Time | Event |" not in " ".join(f.value for f in result.postmortem.fields)
    assert_lossless(result.postmortem, text)


def test_a_two_column_table_with_an_empty_row_is_kept_as_text() -> None:
    # Found by the property test below: a timeline table into which a "**Status**:" line ran on
    # was read as a table of fields (one of its rows named a field), and its other rows were lost.
    text = "| Time | Event |\n|---|---|\n| 10:00 | 0 |\n**Status**:\n0"
    result = parse_text(text, source="generated.md")
    assert result.postmortem is not None
    assert [f.name for f in result.postmortem.fields] == []
    assert_lossless(result.postmortem, text)


def test_an_empty_box_before_a_title_line_is_not_a_tag_taken_off() -> None:
    # Found by the property test below: "( )" was read as a tag like "(Draft)" and dropped.
    result = parse_text("( ) 0", source="generated.md")
    assert result.postmortem is not None
    assert result.postmortem.title == "( ) 0"
    draft = parse_text("(Draft) API outage", source="generated.md").postmortem
    assert draft is not None
    assert draft.title == "API outage"


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(blocks(), min_size=1, max_size=12), st.sampled_from(["\n\n", "\n"]))
def test_generated_markdown_loses_no_line(parts: list[str], separator: str) -> None:
    text = separator.join(parts)
    result = parse_text(text, source="generated.md")
    assert result.postmortem is not None
    assert_lossless(result.postmortem, text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_without_an_exception(text: str) -> None:
    result = parse_text(text, source="random.md")
    assert result.postmortem is not None or result.diagnostics
