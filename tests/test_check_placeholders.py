"""PMK018, unfilled template placeholders: where each is reported and how it is quoted.

An author fixes a placeholder from the diagnostic alone: ``path:line:column``, then the quote of
what is left to write (a front matter field with its name, a table cell by itself).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checking import GOOD, check, codes, line_of, places

ADVICE = ": write this part (and remove the TODO), or delete it if it does not apply"


def test_a_front_matter_placeholder_is_reported_at_its_field_with_its_name(
    tmp_path: Path,
) -> None:
    text = GOOD.replace("status: resolved", "status: resolved\nseverity: 'TODO: SEV1 to SEV4'")
    assert [str(d) for d in check(tmp_path, text)] == [
        "postmortems/2025-08-12-search.md:5:1: PMK018 warning "
        "unfilled placeholder 'severity: TODO: SEV1 to SEV4'" + ADVICE
    ]


@pytest.mark.parametrize("indent", ["", "  "], ids=["table", "indented table"])
def test_a_placeholder_in_a_table_is_quoted_by_its_cell_alone(tmp_path: Path, indent: str) -> None:
    row = f"{indent}| Add a canary stage | TODO: who owns it | open |"
    table = f"{indent}| Action | Owner | Status |\n{indent}|---|---|---|\n{row}\n"
    text = GOOD.replace(
        "- [ ] Add a canary stage to the search deploy (@ann, due 2025-10-01)\n"
        "- [x] Restore the index alias (@bob)\n",
        table,
    )
    assert [
        (d.code, d.location.line, d.location.column, d.message) for d in check(tmp_path, text)
    ] == [
        (
            "PMK018",
            text.split("\n").index(row) + 1,
            row.index("TODO") + 1,
            "unfilled placeholder 'TODO: who owns it'" + ADVICE,
        )
    ]


# PMK018: placeholders.


def test_a_todo_line_is_an_unfilled_placeholder(tmp_path: Path) -> None:
    text = GOOD.replace("Search returned errors", "TODO: say what broke. Search returned errors")
    found = check(tmp_path, text)
    assert codes(found) == ["PMK018"]
    assert found[0].location.line == text.split("\n").index("## Summary") + 3
    assert found[0].location.column == 1


def test_placeholders_in_front_matter_and_jinja_leftovers_are_found(tmp_path: Path) -> None:
    text = GOOD.replace("status: resolved", "status: resolved\nseverity: 'TODO: severity'")
    text = text.replace("Search returned", "{{ summary }} Search returned")
    found = check(tmp_path, text)
    assert codes(found) == ["PMK018", "PMK018"]
    assert found[0].location.line == 5


def test_a_placeholder_is_found_where_it_starts_and_says_what_to_do(tmp_path: Path) -> None:
    text = GOOD.replace("Search returned errors", "Search returned {{ what }} errors")
    found = check(tmp_path, text)
    assert codes(found) == ["PMK018"]
    assert found[0].location.column == len("Search returned ") + 1
    assert found[0].message.startswith("unfilled placeholder '{{ what }} errors for 20 minutes")
    assert found[0].message.endswith(
        ": write this part (and remove the TODO), or delete it if it does not apply"
    )


def test_todo_in_code_and_actions_expressions_are_not_placeholders(tmp_path: Path) -> None:
    text = GOOD.replace(
        "## Timeline",
        "The job used `${{ secrets.TOKEN }}` and ${{ github.sha }}; the code said `# TODO: fix`."
        "\n\n```python\n# TODO: remove the alias\nx = '{{ y }}'\n```\n\n## Timeline",
    )
    assert check(tmp_path, text) == []


def test_only_the_fence_that_opened_code_closes_it(tmp_path: Path) -> None:
    # Prose after a closed fence is read again; a shorter fence or one of the other character
    # inside code does not close it.
    text = GOOD.replace(
        "## Timeline",
        "```\n# TODO: in code\n```\n\nTODO: after the first fence\n\n"
        "````\n```\nTODO: inside, after a shorter fence\n~~~\n````\n\n"
        "~~~\n```\nTODO: inside, after a backtick fence\n~~~~\n\nTODO: after the last fence\n\n"
        "## Timeline",
    )
    assert places(check(tmp_path, text)) == [
        ("PMK018", line_of(text, "TODO: after the first fence")),
        ("PMK018", line_of(text, "TODO: after the last fence")),
    ]


def test_a_placeholder_after_code_on_its_line_is_found_at_its_column(tmp_path: Path) -> None:
    text = GOOD.replace("Search returned errors", "The `search-api` TODO: say more. Search failed")
    found = check(tmp_path, text)
    assert [(d.code, d.location.column) for d in found] == [
        ("PMK018", len("The `search-api` ") + 1)
    ]
    assert "'TODO: say more. Search failed" in found[0].message
