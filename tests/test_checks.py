"""The rules of ``pmkb check`` as a whole, what is found while reading, and sections.

The rule table, the docs and the functions agree; problems found while reading a file are
passed through; required and empty sections (PMK010, PMK011); what holds across rules. The
other rules have files of their own: ``test_check_action_items.py`` (PMK012, PMK013),
``test_check_dates.py`` (PMK014-PMK017), ``test_check_placeholders.py`` (PMK018) and
``test_check_links.py`` (PMK019, PMK020).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.checks import RULES, find_unknown_codes
from generator.errors import Severity
from generator.scaffold import Draft, list_scaffolds, render_scaffold
from tests.checking import GOOD, TODAY, check, codes, line_of, places
from tests.conftest import ROOT, SEED


def test_the_good_postmortem_passes_every_rule(tmp_path: Path) -> None:
    assert check(tmp_path, GOOD) == []


# The rule table, the docs and the functions agree.


def test_every_rule_has_a_function_unless_reported_while_reading() -> None:
    reading = {rule.code for rule in RULES if rule.check is None}
    assert reading == {"PMK001", "PMK002", "PMK003", "PMK004", "PMK005", "PMK090"}
    for rule in RULES:
        if rule.check is not None:
            assert rule.check.__doc__
            assert rule.check.__doc__.startswith(f"{rule.code}:")


def test_codes_are_unique_and_in_order() -> None:
    found = [rule.code for rule in RULES]
    assert found == sorted(set(found))
    assert all(re.fullmatch(r"PMK0\d\d", code) for code in found)


def test_unknown_codes_are_found() -> None:
    assert find_unknown_codes(["PMK012", "PMK12", "pmk013"]) == ["PMK12", "pmk013"]
    assert find_unknown_codes(rule.code for rule in RULES) == []


RULES_DOC = ROOT / "docs" / "rules.md"


def doc_sections() -> dict[str, str]:
    """Return the text of each ``## PMK0nn: summary`` section of docs/rules.md, by heading."""
    text = RULES_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## (PMK\d{3}: .*)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_rules_doc_has_one_section_per_rule() -> None:
    assert list(doc_sections()) == [f"{rule.code}: {rule.summary}" for rule in RULES]
    for heading, body in doc_sections().items():
        code = heading.split(":")[0]
        assert "Bad" in body, heading
        assert "Fixed" in body, heading
        assert f"disabled_rules: [{code}]" in body, heading


def doc_examples() -> list[tuple[str, str, str]]:
    """Return (code, bad, fixed) for every rule whose docs show Markdown examples."""
    found = []
    for heading, body in doc_sections().items():
        blocks = re.findall(r"```markdown\n(.*?)```", body, flags=re.DOTALL)
        if blocks:
            assert len(blocks) == 2, heading
            found.append((heading.split(":")[0], blocks[0], blocks[1]))
    return found


def test_rules_without_markdown_examples_are_the_file_level_ones() -> None:
    shown = {code for code, _, _ in doc_examples()}
    assert {rule.code for rule in RULES} - shown == {"PMK001", "PMK002", "PMK090"}


@pytest.mark.parametrize(
    ("code", "bad", "fixed"), [pytest.param(*example, id=example[0]) for example in doc_examples()]
)
def test_rules_doc_examples_are_true(tmp_path: Path, code: str, bad: str, fixed: str) -> None:
    target = {"2025-05-02-db-failover.md": GOOD}
    bad_found = check(tmp_path / "bad", bad, others=target)
    fixed_found = check(tmp_path / "fixed", fixed, others=target)
    assert code in codes(bad_found)
    assert code not in codes(fixed_found)


# PMK001-PMK005 and PMK090: problems found while reading, passed through.


def test_a_binary_file_is_reported_and_the_others_still_checked(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        name="2025-08-12-graph.md",
        others={"2025-08-13-other.md": GOOD.replace("status: resolved", "status: parked")},
    )
    assert codes(found) == ["PMK001", "PMK017"]
    assert found[0].severity is Severity.ERROR


def test_a_text_file_is_not_binary(tmp_path: Path) -> None:
    assert "PMK001" not in codes(check(tmp_path, GOOD))


def test_a_file_that_is_not_utf8_is_a_warning(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("Search returned", "Caf\u00e9 returned").encode("cp1252"))
    assert codes(found) == ["PMK002"]
    assert found[0].severity is Severity.WARNING


def test_front_matter_that_is_not_yaml_is_an_error(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("title: Search", "title: Search: really"))
    assert "PMK003" in codes(found)
    assert "PMK003" not in codes(check(tmp_path / "ok", GOOD))


def test_an_empty_file_is_an_error(tmp_path: Path) -> None:
    found = check(tmp_path, "")
    assert codes(found) == ["PMK004"]
    assert found[0].severity is Severity.ERROR


def test_two_postmortems_with_one_id_are_an_error(tmp_path: Path) -> None:
    same = GOOD.replace("date: 2025-08-12", "id: search-outage\ndate: 2025-08-12")
    found = check(tmp_path, same, others={"2025-08-13-again.md": same})
    assert codes(found) == ["PMK090"]
    assert found[0].location.path == "postmortems/2025-08-13-again.md"
    assert "postmortems/2025-08-12-search.md" in found[0].message


# PMK010: required sections.


def test_a_missing_required_section_is_an_error(tmp_path: Path) -> None:
    text = GOOD.split("## Action items", maxsplit=1)[0]
    found = check(tmp_path, text)
    assert codes(found) == ["PMK010"]
    assert "Action items" in found[0].message
    assert "required_sections" in found[0].message


def test_a_missing_required_section_says_how_to_add_it_or_not_require_it(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.split("## Action items", maxsplit=1)[0])
    assert [d.message for d in found] == [
        "there is no Action items section: add one (`## Action items`), or drop 'action_items' "
        "from required_sections in mkdocs.yml if your postmortems need none"
    ]


def test_required_sections_come_from_the_settings(tmp_path: Path) -> None:
    assert codes(check(tmp_path, GOOD, required_sections=("root_cause",))) == ["PMK010"]
    assert (
        check(tmp_path / "none", GOOD.split("## Action items", maxsplit=1)[0], required_sections=())
        == []
    )


def test_any_heading_of_the_kind_satisfies_a_required_section(tmp_path: Path) -> None:
    text = GOOD.replace("## Action items", "## Preventive Measures").replace(
        "## Summary", "## Executive Summary"
    )
    assert check(tmp_path, text) == []


# PMK011: empty sections.


def test_a_heading_with_nothing_under_it_is_empty(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("## Timeline", "## Impact\n\n## Timeline"))
    assert codes(found) == ["PMK011"]
    assert found[0].location.line == GOOD.split("\n").index("## Timeline") + 1
    assert "'Impact'" in found[0].message


def test_a_last_heading_with_nothing_under_it_is_empty(tmp_path: Path) -> None:
    assert codes(check(tmp_path, GOOD + "\n## Appendix\n\n")) == ["PMK011"]


def test_empty_headings_after_labels_and_value_headings_are_found(tmp_path: Path) -> None:
    # A bold label and a heading carrying its value are never empty; the headings after them
    # still are, setext ones included.
    text = GOOD.replace(
        "## Timeline",
        "**Impact:** every search failed.\n\n## Date: 2025-08-12\n\n## Detection\n\n"
        "Root cause\n----------\n\n## Timeline",
    )
    found = check(tmp_path, text)
    assert places(found) == [
        ("PMK011", line_of(text, "## Detection")),
        ("PMK011", line_of(text, "Root cause")),
    ]
    assert found[0].message == (
        "the section 'Detection' is empty: write what belongs there, "
        "or delete the heading if it does not apply"
    )


def test_a_heading_over_subsections_or_carrying_its_value_is_not_empty(tmp_path: Path) -> None:
    text = GOOD.replace(
        "## Summary",
        "## Date: 2025-08-12\n\n## What happened\n\n### Summary",
    )
    assert check(tmp_path, text) == []


def test_a_heading_over_the_last_subsection_is_not_empty(tmp_path: Path) -> None:
    assert check(tmp_path, GOOD + "\n## Follow-up\n\n### Next review\n\nIn October.\n") == []


def test_a_section_holding_a_placeholder_is_not_empty(tmp_path: Path) -> None:
    text = GOOD.replace("## Timeline", "## Impact\n\nTODO: who was hurt\n\n## Timeline")
    assert codes(check(tmp_path, text)) == ["PMK018"]


# Across rules.


@pytest.mark.parametrize("code", ["PMK003", "PMK010", "PMK012", "PMK016", "PMK018", "PMK019"])
def test_a_disabled_rule_reports_nothing(tmp_path: Path, code: str) -> None:
    bad = {
        "PMK003": GOOD.replace("title: Search", "title: Search: really"),
        "PMK010": GOOD.split("## Action items", maxsplit=1)[0],
        "PMK012": GOOD.replace('owners: ["@ann"]\n', "").replace("(@ann, due", "(due"),
        "PMK016": GOOD.replace("- 14:22 first alert", "- 14:50 first alert"),
        "PMK018": GOOD.replace("Search returned", "TODO: write. Search returned"),
        "PMK019": GOOD.replace("(#timeline)", "(gone.md)"),
    }[code]
    assert code in codes(check(tmp_path / "on", bad))
    assert code not in codes(check(tmp_path / "off", bad, disabled_rules=frozenset({code})))


def test_all_problems_are_reported_sorted_by_path_and_line(tmp_path: Path) -> None:
    bad = (
        GOOD.replace("status: resolved", "status: parked")
        .replace("Search returned", "TODO: write. Search returned")
        .replace("(#timeline)", "(#nowhere)")
        .replace("## Timeline", "## Impact\n\n## Timeline")
    )
    found = check(tmp_path, bad, others={"2025-01-01-older.md": bad})
    assert len(found) == 8
    assert set(codes(found)) == {"PMK011", "PMK017", "PMK018", "PMK020"}
    keys = [(d.location.path, d.location.line, d.location.column) for d in found]
    assert keys == sorted(keys)


@pytest.mark.corpus
def test_the_seed_passes_with_at_most_owner_and_due_date_warnings(tmp_path: Path) -> None:
    found = check(tmp_path, SEED.read_bytes(), name=SEED.name)
    assert all(d.severity is not Severity.ERROR for d in found), found
    assert set(codes(found)) <= {"PMK012", "PMK013"}


@pytest.mark.parametrize("scaffold", list_scaffolds(None), ids=lambda s: s.name)
def test_a_fresh_scaffold_gives_only_placeholder_warnings(tmp_path: Path, scaffold: object) -> None:
    draft = Draft(title="Cache stampede took down search", date=TODAY)
    text = render_scaffold(scaffold, draft)  # type: ignore[arg-type]
    found = check(tmp_path, text, name="2025-09-01-cache-stampede-took-down-search.md")
    assert found, "a scaffold has placeholders to fill"
    assert set(codes(found)) == {"PMK018"}
    assert all(d.severity is Severity.WARNING for d in found)
    placeholder_lines = {
        number for number, line in enumerate(text.split("\n"), start=1) if "TODO:" in line
    }
    assert {d.location.line for d in found} == placeholder_lines
