"""``pmkb check`` as a user and CI run it: output formats, summary and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.checks import RULES
from generator.errors import Diagnostic, Location, Severity
from generator.report import format_github_annotation
from tests.conftest import CLEAN_POSTMORTEM as CLEAN
from tests.conftest import CORPUS, CORPUS_POSTMORTEMS, SEED
from tests.conftest import pmkb as run

LINE = re.compile(r"^(?P<path>[^\n]+?):(?P<line>\d+):(?P<col>\d+): (?P<code>PMK0\d\d) "
                  r"(?P<severity>error|warning|info) (?P<message>.+)$")  # fmt: skip

# One warning (an empty section), no error.
WARNING_ONLY = CLEAN.replace("## Timeline", "## Impact\n\n## Timeline")
# One error (no action items section) and the warning.
ERROR = WARNING_ONLY.split("## Action items", maxsplit=1)[0]


def write(kb: Path, name: str, text: str) -> Path:
    path = kb / "postmortems" / name
    path.write_text(text, encoding="utf-8")
    return path


def configure(kb: Path, options: str) -> None:
    """Write a mkdocs.yml whose postmortems plugin has these options (YAML lines)."""
    (kb / "docs").mkdir(exist_ok=True)
    indented = "".join(f"      {line}\n" for line in options.splitlines())
    (kb / "mkdocs.yml").write_text(f"site_name: KB\nplugins:\n  - postmortems:\n{indented}")


def test_a_clean_knowledge_base_exits_0(kb: Path) -> None:
    write(kb, "2025-08-12-search.md", CLEAN)
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == "no problems in 1 postmortem"


def test_warnings_alone_exit_0_and_fail_with_strict(kb: Path) -> None:
    write(kb, "2025-08-12-search.md", WARNING_ONLY)
    result = run("check")
    assert result.exit_code == 0
    assert result.stdout.startswith("postmortems/2025-08-12-search.md:")
    assert " PMK011 warning " in result.stdout
    assert result.stderr.strip() == "1 warning in 1 postmortem"
    assert run("check", "--strict").exit_code == 1


def test_an_error_exits_1_and_every_problem_is_printed(kb: Path) -> None:
    write(kb, "2025-08-12-search.md", ERROR)
    write(kb, "2025-08-13-cache.md", WARNING_ONLY)
    write(kb, "2025-08-14-clean.md", CLEAN)
    result = run("check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    found = [(m["path"], m["code"], m["severity"]) for m in matches if m]
    assert found == [
        ("postmortems/2025-08-12-search.md", "PMK010", "error"),
        ("postmortems/2025-08-12-search.md", "PMK011", "warning"),
        ("postmortems/2025-08-13-cache.md", "PMK011", "warning"),
    ]
    assert result.stderr.strip() == "1 error, 2 warnings in 3 postmortems"


def test_paths_limit_the_check(kb: Path) -> None:
    write(kb, "2025-08-12-search.md", ERROR)
    clean = write(kb, "2025-08-14-clean.md", CLEAN)
    result = run("check", str(clean))
    assert result.exit_code == 0
    assert result.stderr.strip() == "no problems in 1 postmortem"


def test_json_lists_the_diagnostics(kb: Path) -> None:
    write(kb, "2025-08-12-search.md", ERROR)
    result = run("check", "--format", "json")
    assert result.exit_code == 1
    listed = json.loads(result.stdout)
    text = run("check").stdout.splitlines()
    assert [f"{d['path']}:{d['line']}:{d['column']}: {d['code']} {d['severity']} {d['message']}"
            for d in listed] == text  # fmt: skip
    assert set(listed[0]) == {"path", "line", "column", "code", "severity", "message"}


def test_github_annotations_have_the_workflow_command_syntax(kb: Path) -> None:
    write(kb, "2025-08-12-search.md", ERROR)
    listed = json.loads(run("check", "--format", "json").stdout)
    result = run("check", "--format", "github")
    assert result.exit_code == 1
    expected = [
        f"::{d['severity']} file={d['path']},line={d['line']},col={d['column']},"
        f"title={d['code']}::{d['message']}"
        for d in listed
    ]
    assert result.stdout.splitlines() == expected
    assert result.stdout.splitlines()[0].startswith(
        "::error file=postmortems/2025-08-12-search.md,line=1,col=1,title=PMK010::"
    )


def test_github_annotations_escape_what_workflow_commands_require() -> None:
    diagnostic = Diagnostic(
        location=Location(path="post,mortems/a:b%c.md", line=7, column=3),
        code="PMK018",
        severity=Severity.WARNING,
        message="100% sure: line one\nline two\r, done",
    )
    assert format_github_annotation(diagnostic) == (
        "::warning file=post%2Cmortems/a%3Ab%25c.md,line=7,col=3,title=PMK018"
        "::100%25 sure: line one%0Aline two%0D, done"
    )
    info = Diagnostic(location=Location(path="x.md"), code="PMK011", severity=Severity.INFO,
                      message="m")  # fmt: skip
    assert format_github_annotation(info) == "::notice file=x.md,line=1,col=1,title=PMK011::m"


def test_github_annotations_escape_a_file_name_from_the_disk(kb: Path) -> None:
    write(kb, "2025-08-12-search, again: 100%.md", WARNING_ONLY)
    line = run("check", "--format", "github").stdout.splitlines()[0]
    impact = WARNING_ONLY.split("\n").index("## Impact") + 1
    assert line.startswith(
        f"::warning file=postmortems/2025-08-12-search%2C again%3A 100%25.md,line={impact},"
        "col=1,title=PMK011::the section 'Impact' is empty: "
    )


def test_a_broken_configuration_exits_2(kb: Path) -> None:
    write(kb, "2025-08-12-search.md", CLEAN)
    configure(kb, "required_sections: [sumary]")
    result = run("check")
    assert result.exit_code == 2
    assert "sumary" in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_disabled_rule_exits_2(kb: Path) -> None:
    write(kb, "2025-08-12-search.md", CLEAN)
    configure(kb, "disabled_rules: [PMK12]")
    result = run("check")
    assert result.exit_code == 2
    assert "PMK12" in result.stderr


def test_a_missing_postmortems_folder_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2
    assert "postmortems" in result.stderr


def test_rules_are_turned_off_in_mkdocs_yml(kb: Path) -> None:
    write(kb, "2025-08-12-search.md", ERROR)
    configure(kb, "disabled_rules: [PMK010, PMK011]")
    result = run("check", "--strict")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_overdue_is_an_error_when_mkdocs_yml_says_so(kb: Path) -> None:
    write(kb, "2025-08-12-search.md", CLEAN.replace("- [x] Add", "- [ ] Add").replace(
        "(@ann)", "(@ann, due 2025-09-01)"))  # fmt: skip
    assert run("check").exit_code == 0
    configure(kb, "overdue: error")
    result = run("check")
    assert result.exit_code == 1
    assert " PMK013 error " in result.stdout


def test_help_lists_every_rule() -> None:
    result = run("check", "--help")
    assert result.exit_code == 0
    for rule in RULES:
        assert re.search(rf"^\s+{rule.code}\s+{re.escape(rule.summary)}", result.stdout, re.M)


@pytest.mark.corpus
def test_the_seed_passes(kb: Path) -> None:
    write(kb, SEED.name, SEED.read_text(encoding="utf-8"))
    result = run("check")
    assert result.exit_code == 0, result.output
    assert {m["code"] for m in map(LINE.match, result.stdout.splitlines()) if m} <= {
        "PMK012",
        "PMK013",
    }


@pytest.mark.corpus
def test_the_corpus_is_checked_without_a_traceback(kb: Path) -> None:
    result = run("check", str(CORPUS / "postmortems"))
    errors = re.match(r"(\d+) errors?", result.stderr)
    assert result.exit_code == (1 if errors else 0), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stdout.splitlines()
    assert lines
    assert all(LINE.match(line) for line in lines), [x for x in lines if not LINE.match(x)]
    count = len(CORPUS_POSTMORTEMS)
    assert re.fullmatch(
        rf"(\d+ errors?, )?(\d+ warnings? )?in {count} postmortems\n", result.stderr
    )
