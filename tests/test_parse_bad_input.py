"""Bad input: each case gives a model or a located diagnostic, never a traceback, alone or
among good files."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import Severity
from generator.parse import parse_file
from tests.conftest import EXAMPLES

# A realistic postmortem every clone has: 6 action items, one of them with a table-cell owner.
EXAMPLE = next(path for path in EXAMPLES if "connection-pool" in path.name)

NESTED_LIST = "# Deep\n\n" + "- " * 10_000 + "bottom\n"
BAD_FILES: dict[str, bytes] = {
    "empty.md": b"",
    "front-matter-only.md": b"---\ntitle: Only metadata\ndate: 2025-01-02\n---\n",
    "invalid-yaml.md": b"---\ntitle: ok\ndate: [2025-01-02\nseverity: SEV1\n---\n# Body\n",
    "binary.md": bytes(range(256)) * 4,
    "latin1.md": "# Caf\u00e9 outage\n\nThe caf\u00e9 was down.\n".encode("latin-1"),
    "nested.md": NESTED_LIST.encode(),
    "mkdocs-keys.md": (
        b"---\ntemplate: post\ntitle: 'Real title: with a colon'\nhide: [navigation, toc]\n"
        b"---\n# Heading title\n\n## Summary\n\nText.\n"
    ),
}


def write(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(BAD_FILES[name])
    return path


def test_empty_file_is_an_error_without_model(tmp_path: Path) -> None:
    result = parse_file(write(tmp_path, "empty.md"))
    assert result.postmortem is None
    [diagnostic] = result.diagnostics
    assert (diagnostic.code, diagnostic.severity, diagnostic.location.line) == (
        "PMK004",
        Severity.ERROR,
        1,
    )
    assert "empty" in diagnostic.message


def test_front_matter_only_gives_a_model_and_a_warning(tmp_path: Path) -> None:
    result = parse_file(write(tmp_path, "front-matter-only.md"))
    assert result.postmortem is not None
    assert result.postmortem.title == "Only metadata"
    assert [(d.code, d.severity, d.location.line) for d in result.diagnostics] == [
        ("PMK004", Severity.WARNING, 5)
    ]


def test_invalid_yaml_names_the_line_in_the_file(tmp_path: Path) -> None:
    result = parse_file(write(tmp_path, "invalid-yaml.md"))
    # PMK005 follows: with the front matter unread, whether the file is internal is in doubt.
    diagnostic, doubt = result.diagnostics
    assert (diagnostic.code, doubt.code) == ("PMK003", "PMK005")
    assert diagnostic.location.line == 4  # the line after the unclosed "[", counted in the file
    assert str(diagnostic).startswith(f"{tmp_path / 'invalid-yaml.md'}:4:1: PMK003 error")
    assert result.postmortem is not None and result.postmortem.title == "Body"


def test_unclosed_yaml_bracket_points_where_it_opened(tmp_path: Path) -> None:
    path = tmp_path / "unclosed.md"
    path.write_text("---\ntitle: broken\ndate: [2025-01-02\n---\n# Broken\n")
    diagnostic, _doubt = parse_file(path).diagnostics
    assert (diagnostic.code, diagnostic.location.line) == ("PMK003", 3)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    result = parse_file(write(tmp_path, "binary.md"))
    assert result.postmortem is None
    assert [d.code for d in result.diagnostics] == ["PMK001"]


def test_non_utf8_file_is_read_with_a_warning(tmp_path: Path) -> None:
    result = parse_file(write(tmp_path, "latin1.md"))
    assert result.postmortem is not None
    assert result.postmortem.title == "Café outage"
    [diagnostic] = result.diagnostics
    assert (diagnostic.code, diagnostic.severity, diagnostic.location.line) == (
        "PMK002",
        Severity.WARNING,
        1,
    )


def test_ten_thousand_level_nested_list_keeps_its_text(tmp_path: Path) -> None:
    result = parse_file(write(tmp_path, "nested.md"))
    assert result.postmortem is not None
    assert "bottom" in "\n".join(s.markdown for s in result.postmortem.sections)


def test_mkdocs_page_meta_keys_are_just_fields(tmp_path: Path) -> None:
    result = parse_file(write(tmp_path, "mkdocs-keys.md"))
    postmortem = result.postmortem
    assert postmortem is not None and result.diagnostics == ()
    assert postmortem.title == "Real title: with a colon"
    assert postmortem.find_field("template") is not None
    assert postmortem.find_field("hide") is not None


@pytest.mark.slow
def test_five_megabyte_file_parses(tmp_path: Path) -> None:
    chunk = EXAMPLE.read_text(encoding="utf-8")
    copies = 5_000_000 // len(chunk) + 1
    path = tmp_path / "huge.md"
    path.write_text(chunk * copies, encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    result = parse_file(path)
    assert result.postmortem is not None
    assert len(result.postmortem.action_items) == 6 * copies


def test_crlf_and_bom_are_invisible(tmp_path: Path) -> None:
    path = tmp_path / "windows.md"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    windows = parse_file(path).postmortem
    unix = parse_file(EXAMPLE).postmortem
    assert windows is not None and unix is not None
    assert windows.title == unix.title
    assert [(a.text, a.line, a.state) for a in windows.action_items] == [
        (a.text, a.line, a.state) for a in unix.action_items
    ]
    assert [(e.text, e.at) for e in windows.timeline] == [(e.text, e.at) for e in unix.timeline]


def test_mojibake_is_repaired_sequence_by_sequence(tmp_path: Path) -> None:
    path = tmp_path / "mixed.md"
    path.write_text(
        "# Mixed\n\n## Status\nâœ… done, ✅ checked, cafÃ© and café — “quoted” 予防（Prevent）\n",
        encoding="utf-8",
    )
    postmortem = parse_file(path).postmortem
    assert postmortem is not None
    assert postmortem.status_text == (
        "✅ done, ✅ checked, café and café — “quoted” 予防（Prevent）"
    )


def test_bad_files_do_not_take_the_others_down(tmp_path: Path) -> None:
    for name in BAD_FILES:
        write(tmp_path, name)
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    result = CliRunner().invoke(main, ["export", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    document = json.loads(result.stdout)
    titles = {p["title"] for p in document["postmortems"]}
    assert "Checkout outage: connection pool exhaustion on postgres-primary" in titles
    codes = {(Path(d["path"]).name, d["code"]) for d in document["diagnostics"]}
    assert {("empty.md", "PMK004"), ("binary.md", "PMK001"), ("invalid-yaml.md", "PMK003")} <= (
        codes
    )
    for line in result.stderr.splitlines():
        path, number, _column, rest = line.split(":", 3)
        assert Path(path).name in BAD_FILES and int(number) >= 1 and rest.startswith(" PMK")


# Exit 1 when nothing could be read into a postmortem, else 0 (the problems are diagnostics).
UNREADABLE = {"empty.md", "binary.md"}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_export_of_one_bad_file_never_tracebacks(tmp_path: Path, name: str) -> None:
    result = CliRunner().invoke(main, ["export", str(write(tmp_path, name))])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.exit_code == (1 if name in UNREADABLE else 0), result.output
    exported = json.loads(result.stdout)["postmortems"]
    assert len(exported) == (0 if name in UNREADABLE else 1)


def test_impossible_front_matter_date_is_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "bad-date.md"
    path.write_text("---\ndate: 2025-13-45\n---\n# Title\n")
    result = parse_file(path)
    assert result.postmortem is not None and result.diagnostics == ()
    field = result.postmortem.find_field("date")
    assert field is not None and (field.value, field.line) == ("2025-13-45", 2)


def test_alias_bomb_in_front_matter_is_refused(tmp_path: Path) -> None:
    names = "abcdefghij"
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{new}: &{new} [" + ", ".join([f"*{old}"] * 9) + "]"
        for old, new in itertools.pairwise(names)
    ]
    path = tmp_path / "bomb.md"
    path.write_text("---\n" + "\n".join(lines) + "\n---\n# Title\n")
    result = parse_file(path)
    assert result.postmortem is not None and result.postmortem.title == "Title"
    assert [d.code for d in result.diagnostics] == ["PMK003", "PMK005"]


@pytest.mark.parametrize(("value", "internal", "warned"), [
    ("true", True, False), ("false", False, False), ("1", True, False),
    ("maybe", True, True), ("[true]", True, True),
])  # fmt: skip
def test_unreadable_internal_flag_fails_closed(
    tmp_path: Path, value: str, internal: bool, warned: bool
) -> None:
    path = tmp_path / "flag.md"
    path.write_text(f"---\ninternal: {value}\n---\n# Title\n")
    result = parse_file(path)
    assert result.postmortem is not None and result.postmortem.internal is internal
    assert [(d.code, d.location.line) for d in result.diagnostics] == (
        [("PMK005", 2)] if warned else []
    )


def test_a_paragraph_pasted_as_a_heading_parses(tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    path.write_text("# " + "word " * 40_000 + "\n\n## Summary\n\nText.\n")
    result = parse_file(path)
    assert result.postmortem is not None and result.postmortem.summary == "Text."
