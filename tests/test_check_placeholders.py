"""PMK018, unfilled template placeholders: where each is reported and how it is quoted.

An author fixes a placeholder from the diagnostic alone: ``path:line:column``, then the quote of
what is left to write (a front matter field with its name, a table cell by itself).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_checks import GOOD, check

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
