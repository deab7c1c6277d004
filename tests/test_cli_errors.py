"""What every ``pmkb`` command does with a configuration it cannot use, or a place it cannot write:
a message and exit 2 (configuration) or 1 (failure), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import pmkb as run

# Every command that reads the knowledge base's configuration, with the arguments it needs.
COMMANDS = {
    "check": ["check"],
    "actions": ["actions"],
    "export": ["export"],
    "new": ["new", "Search down"],
    "new --list": ["new", "--list"],
    "generate": ["generate", "--out", "generated"],
    "build": ["build"],
}

BAD_OPTIONS = {
    "a value of the wrong kind": ("overdue: 3", "overdue"),
    "an unknown section kind": ("required_sections: [sumary]", "sumary"),
    "heading words that are not text": ("headings: {summary: [{a: 1}]}", "headings.summary"),
    "a URL prefix outside the site": ("url_prefix: ../up", "url_prefix"),
    "an unknown rule code": ("disabled_rules: [PMK12]", "PMK12"),
}


@pytest.fixture
def kb(kb: Path) -> Path:
    """The shared knowledge base, with the docs folder mkdocs.yml needs."""
    (kb / "docs").mkdir()
    return kb


def configure(kb: Path, option: str) -> None:
    (kb / "mkdocs.yml").write_text(
        f"site_name: KB\nplugins:\n  - postmortems:\n      {option}\n", encoding="utf-8"
    )


def assert_no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("problem", BAD_OPTIONS)
@pytest.mark.parametrize("command", COMMANDS)
def test_a_bad_option_exits_2_naming_it(kb: Path, command: str, problem: str) -> None:
    option, named = BAD_OPTIONS[problem]
    configure(kb, option)

    result = run(*COMMANDS[command])

    assert_no_traceback(result)
    assert result.exit_code == 2, result.output
    assert named in result.stderr
    assert not list((kb / "postmortems").iterdir())


@pytest.mark.parametrize("command", ["build", "serve"])
def test_no_mkdocs_yml_to_build_from_exits_2(kb: Path, command: str) -> None:
    result = run(command)

    assert_no_traceback(result)
    assert result.exit_code == 2
    assert "no mkdocs.yml" in result.stderr


@pytest.mark.parametrize("command", ["check", "actions", "export"])
def test_a_missing_postmortems_folder_exits_2(kb: Path, command: str) -> None:
    (kb / "postmortems").rmdir()

    result = run(command)

    assert_no_traceback(result)
    assert result.exit_code == 2
    assert "there is no postmortems folder" in result.stderr


def test_a_site_build_without_postmortems_is_an_empty_site(kb: Path) -> None:
    (kb / "postmortems").rmdir()
    configure(kb, "public: false")

    result = run("generate", "--out", "generated")

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "No postmortems yet" in (kb / "generated" / "index.md").read_text(encoding="utf-8")


def test_generate_into_a_place_it_cannot_write_exits_1(kb: Path) -> None:
    (kb / "a-file").write_text("", encoding="utf-8")

    result = run("generate", "--out", "a-file/pages")

    assert_no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: a-file/pages: cannot write the pages there")
