"""The link rules of ``pmkb check``: PMK019 (a link to a missing postmortem, or out of a public
build) and PMK020 (an anchor matching no heading), and heading anchors computed as MkDocs does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.checks import make_heading_anchor
from generator.errors import Severity
from tests.checking import GOOD, check, codes

# PMK019 and PMK020: links.


def test_a_link_to_a_missing_postmortem_is_an_error(tmp_path: Path) -> None:
    text = GOOD.replace("see [the timeline]", "see [May](2025-05-02-db.md) and [the timeline]")
    found = check(tmp_path, text)
    assert codes(found) == ["PMK019"]
    line = text.split("\n")[found[0].location.line - 1]
    assert line[found[0].location.column - 1 :].startswith("[May](2025-05-02-db.md)")
    assert "postmortems/2025-05-02-db.md" in found[0].message


def find_link(text: str, link: str) -> tuple[int, int]:
    """Return the line and column where a link starts in a text."""
    line = next(i for i, x in enumerate(text.split("\n"), start=1) if link in x)
    return line, text.split("\n")[line - 1].index(link) + 1


@pytest.mark.parametrize("query", ["", "?plain=1", "?q=why?"])
def test_a_broken_link_after_good_ones_is_named_with_its_file_and_what_to_do(
    tmp_path: Path, query: str
) -> None:
    # A query (GitHub's ?plain=1) is no part of the file; a link within the page comes first.
    text = GOOD.replace(
        "see [the timeline](#timeline).",
        f"see [the timeline](#timeline) and [May](2025-05-02-db.md{query}#summary).",
    )
    found = check(tmp_path, text)
    assert [(d.code, d.location.line, d.location.column, d.message) for d in found] == [
        (
            "PMK019",
            *find_link(text, "[May]"),
            "link to '2025-05-02-db.md' leads nowhere: there is no file "
            "postmortems/2025-05-02-db.md; fix the link, or remove it",
        )
    ]
    assert check(tmp_path / "ok", text, others={"2025-05-02-db.md": GOOD}) == []


def test_links_in_angle_brackets_and_link_definitions_are_checked_as_written(
    tmp_path: Path,
) -> None:
    text = GOOD.replace(
        "see [the timeline](#timeline).",
        "see [May](<2025 05 02 db.md>), [the XFS outage](XFS-outage.md), [May][may] and "
        "[the XFS outage][xfs].",
    ) + ('\n[may]: <2025 05 02 db.md>\n[xfs]:  XFS-outage.md "The XFS outage"\n')
    lines = text.split("\n")
    may_at, xfs_at = lines.index("[may]: <2025 05 02 db.md>") + 1, len(lines) - 1
    found = check(tmp_path, text)
    assert [(d.code, d.location.line, d.location.column) for d in found] == [
        ("PMK019", *find_link(text, "[May](")),
        ("PMK019", *find_link(text, "[the XFS outage](")),
        ("PMK019", may_at, len("[may]: ") + 1),
        ("PMK019", xfs_at, len("[xfs]:  ") + 1),
    ]
    assert [d.message.split(":")[0] for d in found] == [
        "link to '2025 05 02 db.md' leads nowhere",
        "link to 'XFS-outage.md' leads nowhere",
    ] * 2
    others = {"2025 05 02 db.md": GOOD, "XFS-outage.md": GOOD}
    assert check(tmp_path / "ok", text, others=others) == []


def test_links_from_the_site_root_or_to_a_share_are_not_checked(tmp_path: Path) -> None:
    text = GOOD.replace(
        "see [the timeline](#timeline).",
        "see [the runbook](/runbooks/search.md), [old notes](\\\\files\\old.md) and "
        "[the timeline](#timeline).",
    )
    assert check(tmp_path, text) == []


INTERNAL = GOOD.replace("status: resolved", "status: resolved\ninternal: true")


def test_a_public_link_to_an_internal_postmortem_says_the_site_shows_only_its_text(
    tmp_path: Path,
) -> None:
    links = "see [May](2025-05-02-db.md), [the timeline](#timeline) and [June](2025-06-01-gone.md)."
    text = GOOD.replace("see [the timeline](#timeline).", links)
    others = {"2025-05-02-db.md": INTERNAL}
    found = check(tmp_path, text, others=others, public=True)
    assert [(d.code, d.location.line, d.location.column, d.message) for d in found] == [
        (
            "PMK019",
            *find_link(text, "[May]"),
            "link to '2025-05-02-db.md' leads to an internal postmortem, which a public build "
            "leaves out: the site shows the link's text only; link to a public page instead, "
            "or remove the link",
        ),
        (
            "PMK019",
            *find_link(text, "[June]"),
            "link to '2025-06-01-gone.md' leads nowhere: there is no file "
            "postmortems/2025-06-01-gone.md; fix the link, or remove it",
        ),
    ]
    # The team's own build shows every page, and one internal page may link to another.
    internal = INTERNAL.replace("see [the timeline](#timeline).", links)
    for where, linking, public in (("team", text, False), ("internal", internal, True)):
        found = check(tmp_path / where, linking, others=others, public=public)
        assert [(d.location.line, d.location.column) for d in found] == [
            find_link(linking, "[June]")
        ]
        assert "leads nowhere" in found[0].message


def test_links_that_resolve_or_are_not_to_files_pass(tmp_path: Path) -> None:
    text = GOOD.replace(
        "see [the timeline]",
        "see [May](2025-05-02-db.md), [archive](old/2024-01-01-x.md#summary), "
        "[docs](https://example.com/missing.md), `[code](missing.md)` and [the timeline]",
    )
    others = {"2025-05-02-db.md": GOOD, "old/2024-01-01-x.md": GOOD.replace("search", "x")}
    assert check(tmp_path, text, others=others) == []


def test_a_link_climbing_out_of_the_folder_is_resolved(tmp_path: Path) -> None:
    text = GOOD.replace("see [the timeline]", "see [notes](../docs/notes.md) and [the timeline]")
    assert codes(check(tmp_path, text)) == ["PMK019"]
    (tmp_path / "ok" / "docs").mkdir(parents=True)
    (tmp_path / "ok" / "docs" / "notes.md").write_text("# Notes\n")
    assert check(tmp_path / "ok", text) == []


def test_an_anchor_matching_no_heading_is_a_warning(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("(#timeline)", "(#time-line)"))
    assert codes(found) == ["PMK020"]
    assert found[0].severity is Severity.WARNING


def test_anchors_follow_toc_duplicates_and_explicit_ids(tmp_path: Path) -> None:
    text = GOOD.replace(
        "see [the timeline](#timeline)",
        "see [t](#timeline), [again](#timeline_1), [why](#what-went-wrong), [x](#custom-id), "
        "[y](#raw-anchor)",
    ) + (
        "\n## What went wrong?\n\nA lot.\n\n## Timeline\n\nAgain.\n\n"
        '## Notes {#custom-id}\n\n<a id="raw-anchor"></a>Kept.\n'
    )
    assert check(tmp_path, text) == []


def test_headings_after_a_bold_label_and_long_sections_keep_their_anchors(
    tmp_path: Path,
) -> None:
    # A bold label makes a section without a heading line; an explicit id heads a long section.
    text = GOOD.replace(
        "## Summary\n", "**Impact:** search errors for everyone.\n\n## Summary\n"
    ).replace("see [the timeline](#timeline)", "see [the timeline](#timeline) and [n](#custom-id)")
    text += "\n## Notes {#custom-id}\n\nFirst paragraph.\n\nSecond paragraph.\n"
    assert check(tmp_path, text) == []


def test_a_heading_with_an_attribute_list_keeps_its_anchor(tmp_path: Path) -> None:
    text = GOOD.replace("see [the timeline](#timeline)", "see [the notes](#notes)")
    text += "\n## Notes {: .wide }\n\nKept.\n"
    assert check(tmp_path, text) == []
    assert codes(check(tmp_path / "typo", text.replace("(#notes)", "(#notes-wide)"))) == ["PMK020"]


def test_a_setext_heading_has_an_anchor_and_text_right_under_it(tmp_path: Path) -> None:
    text = GOOD.replace("see [the timeline](#timeline)", "see [the cause](#root-cause)")
    text += "\nRoot cause\n==========\nThe alias.\n"
    assert check(tmp_path, text) == []


def test_text_before_the_title_makes_no_anchor(tmp_path: Path) -> None:
    # Headings without ASCII letters are numbered _1, _2 ... as toc does; the text above the
    # title is no heading and takes no number.
    text = GOOD.replace("---\n\n# Search", "---\n\nDraft for review.\n\n# Search")
    text = text.replace("see [the timeline](#timeline)", "see [it](#_1) and [not it](#_2)")
    found = check(tmp_path, text + "\n## 再発防止策の背景\n\nSee above.\n")
    assert [(d.code, d.message.split(" matches")[0]) for d in found] == [("PMK020", "anchor '#_2'")]


def test_the_title_has_an_anchor_and_text_right_under_a_heading_is_content(
    tmp_path: Path,
) -> None:
    text = GOOD.replace("see [the timeline](#timeline)", "see [top](#search-down-for-20-minutes)")
    text = text.replace("## Timeline", "## Impact\nEvery search failed.\n\n## Timeline")
    assert check(tmp_path, text) == []


def test_an_anchor_in_another_postmortem_is_checked(tmp_path: Path) -> None:
    text = GOOD.replace("see [the timeline](#timeline)", "see [May](2025-05-02-db.md#root-cause)")
    found = check(tmp_path, text, others={"2025-05-02-db.md": GOOD})
    assert codes(found) == ["PMK020"]
    other = GOOD + "\n## Root Cause\n\nThe alias.\n"
    assert check(tmp_path / "ok", text, others={"2025-05-02-db.md": other}) == []


def test_each_broken_anchor_is_named_where_it_is_and_where_it_leads(tmp_path: Path) -> None:
    text = GOOD.replace(
        "see [the timeline](#timeline)",
        "see [db](2025-05-02-db.md), [the timeline](#timeline), [May](2025-05-02-db.md#cause) "
        "and [x](#time-line)",
    )
    found = check(tmp_path, text, others={"2025-05-02-db.md": GOOD})
    line = text.split("\n")[found[0].location.line - 1]
    assert [(d.code, d.location.column) for d in found] == [
        ("PMK020", line.index("[May]") + 1),
        ("PMK020", line.index("[x]") + 1),
    ]
    advice = ": link to a heading's anchor (lower case, punctuation dropped, spaces as '-')"
    assert [d.message for d in found] == [
        "anchor '#cause' matches no heading of '2025-05-02-db.md'" + advice,
        "anchor '#time-line' matches no heading of this postmortem" + advice,
    ]


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Timeline", "timeline"),
        ("What went wrong?", "what-went-wrong"),
        ("Root Cause — the alias", "root-cause-the-alias"),
        ("Café crème", "cafe-creme"),
        ("import_state table", "import_state-table"),
        ("タイムライン", "_1"),
    ],
)
def test_heading_anchors_are_computed_as_toc_does(heading: str, anchor: str) -> None:
    assert make_heading_anchor(heading, set()) == anchor


@pytest.mark.parametrize(
    "heading",
    ["Lessons Learnt", "5 Whys: why #1?", "Root cause (the “alias”)", "Ça a marché", "a -- b  c"],
)
def test_heading_anchors_match_python_markdown(heading: str) -> None:
    from markdown.extensions.toc import slugify  # noqa: PLC0415  (only the test needs it)

    assert make_heading_anchor(heading, set()) == slugify(heading, "-")


def test_repeated_headings_get_numbered_as_toc_does() -> None:
    taken: set[str] = set()
    headings = ("Notes", "Notes", "Notes", "日本", "Step_1", "Step_1")
    found = [make_heading_anchor(text, taken) for text in headings]
    assert found == ["notes", "notes_1", "notes_2", "_1", "step_1", "step_2"]
