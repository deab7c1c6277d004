"""``pmkb new`` and ``pmkb init`` as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from generator.scaffold import list_scaffolds
from tests.conftest import TODAY, pmkb

SHIPPED = ("seed", "google-sre", "pagerduty", "atlassian", "minimal")


@pytest.fixture
def kb(workdir: Path) -> Path:
    """Here a knowledge base starts as an empty folder: pmkb new and init make what they need."""
    return workdir


def run(*args: str, stdin: str | None = None) -> Result:
    return pmkb(*args, stdin=stdin, catch_exceptions=False)


def files_under(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def front_matter(path: Path) -> dict[str, object]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert isinstance(loaded, dict)
    return loaded


def test_new_writes_the_postmortem_and_prints_its_path(kb: Path) -> None:
    result = run(
        "new", "Cache stampede took down search", "--template", "google-sre",
        "--date", "2025-08-12", "--severity", "SEV-2",
        "--service", "search", "--service", "cache", "--author", "Ann",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    printed = result.stdout.strip()
    assert printed == "postmortems/2025-08-12-cache-stampede-took-down-search.md"
    meta = front_matter(kb / printed)
    assert meta["title"] == "Cache stampede took down search"
    assert meta["severity"] == "SEV-2"
    assert meta["services"] == ["search", "cache"]
    assert meta["authors"] == ["Ann"]
    assert "| Action Item | Type | Owner | Bug |" in (kb / printed).read_text()


def test_new_defaults_to_today_and_the_seed_format(kb: Path) -> None:
    result = run("new", "Search down")
    assert result.exit_code == 0, result.output
    path = kb / result.stdout.strip()
    assert path.name == f"{TODAY.isoformat()}-search-down.md"
    assert front_matter(path)["date"] == TODAY
    assert "## Preventive Measures" in path.read_text()


def test_new_never_overwrites(kb: Path) -> None:
    first = run("new", "Search down", "--date", "2025-08-12")
    assert first.exit_code == 0
    path = kb / first.stdout.strip()
    path.write_text(path.read_text() + "\nWhat the author wrote since.\n")
    written = path.read_bytes()
    second = run("new", "Search down", "--date", "2025-08-12", "--template", "minimal")
    assert second.exit_code == 1
    assert "postmortems/2025-08-12-search-down.md already exists" in second.output
    assert "another title or --date" in second.output
    assert path.read_bytes() == written
    assert list((kb / "postmortems").iterdir()) == [path]


@pytest.mark.parametrize(
    "title",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "..\\..\\windows\\system32",
        "x" * 500,
        "🔥🔥🔥",
        "検索が落ちた",
        "con",
        "NUL",
        "...",
        ".hidden",
        "new\nline\ttab",
        "<script>alert(1)</script>",
        "{{ 7 * 7 }} {% raw %}",
    ],
)
def test_any_title_stays_inside_postmortems(kb: Path, title: str) -> None:
    before = files_under(kb)
    result = run("new", title, "--date", "2025-08-12")
    assert result.exit_code == 0, result.output
    after = files_under(kb)
    created = set(after) - set(before)
    assert len(created) == 1
    (path,) = created
    assert path.parent == kb / "postmortems"
    assert path.name.startswith("2025-08-12-") and path.name.endswith(".md")
    assert len(path.name) < 100
    assert all(after[p] == content for p, content in before.items())
    assert front_matter(path)["title"] == " ".join(title.split())


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_an_empty_title_is_refused(kb: Path, title: str) -> None:
    result = run("new", title)
    assert result.exit_code == 2
    assert "give the incident a title" in result.output
    assert files_under(kb) == {}


def test_without_a_terminal_nothing_is_asked(kb: Path) -> None:
    answers = "Typed title\nSEV-1\nsearch\nAnn\n"
    missing_title = run("new", stdin=answers)
    assert missing_title.exit_code == 2
    assert 'pmkb new "What broke"' in missing_title.output
    assert files_under(kb) == {}

    result = run("new", "Given title", "--date", "2025-08-12", stdin=answers)
    assert result.exit_code == 0
    assert "Severity" not in result.output
    meta = front_matter(kb / result.stdout.strip())
    assert str(meta["severity"]).startswith("TODO:")
    assert meta["services"] == []
    assert meta["authors"] == []


def test_on_a_terminal_missing_values_are_asked(tmp_path: Path) -> None:
    controller, terminal = os.openpty()
    try:
        with subprocess.Popen(
            [sys.executable, "-c", "from generator.cli import main; main()", "new",
             "--date", "2025-08-12", "--author", "Ann"],
            cwd=tmp_path, stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        ) as process:  # fmt: skip
            os.write(controller, b"Queue backlog: 2 hours\nP1\nqueue, workers\n")
            stdout, stderr = process.communicate(timeout=120)
    finally:
        os.close(controller)
        os.close(terminal)
    assert process.returncode == 0, stderr.decode()
    assert b"Title" in stderr and b"Severity" in stderr
    assert b"Authors" not in stderr, "a value given as an option is not asked again"
    path = tmp_path / stdout.decode().strip()
    assert path.name == "2025-08-12-queue-backlog-2-hours.md"
    meta = front_matter(path)
    assert meta["title"] == "Queue backlog: 2 hours"
    assert meta["severity"] == "P1"
    assert meta["services"] == ["queue", "workers"]
    assert meta["authors"] == ["Ann"]


def test_bad_date_is_a_clear_error(kb: Path) -> None:
    result = run("new", "Search down", "--date", "2025-02-30")
    assert result.exit_code == 2
    assert "'2025-02-30' is not a date" in result.output
    assert "YYYY-MM-DD" in result.output
    assert files_under(kb) == {}


def test_unknown_template_lists_the_available_ones(kb: Path) -> None:
    result = run("new", "Search down", "--template", "sre-book")
    assert result.exit_code == 1
    assert "no template named 'sre-book'" in result.output
    for name in SHIPPED:
        assert name in result.output
    assert files_under(kb) == {}


def test_list_shows_every_template_with_its_description_and_origin(kb: Path) -> None:
    result = run("new", "--list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    for scaffold in list_scaffolds(None):
        (line,) = [line for line in lines if line.split()[:1] == [scaffold.name]]
        assert "built-in" in line
        assert scaffold.description in line
    assert set(SHIPPED) <= {line.split()[0] for line in lines if line}
    assert files_under(kb) == {}


def test_a_team_template_is_listed_and_used(kb: Path) -> None:
    templates = kb / "templates"
    templates.mkdir()
    (templates / "blameless.md.j2").write_text(
        "{# Our blameless review format #}\n"
        "---\ntitle: {{ title | yaml }}\ndate: {{ date }}\nseverity: {{ severity | yaml }}\n---\n"
        "# {{ title }}\n\n## What we saw\n\nTODO: what we saw ({{ id }}, {{ slug }})\n",
        encoding="utf-8",
    )
    listing = run("new", "--list")
    (line,) = [line for line in listing.stdout.splitlines() if line.startswith("blameless ")]
    assert "knowledge base" in line and "Our blameless review format" in line

    result = run("new", "DNS: flapping", "--template", "blameless", "--date", "2025-08-12")
    assert result.exit_code == 0, result.output
    text = (kb / result.stdout.strip()).read_text()
    assert "TODO: what we saw (2025-08-12-dns-flapping, dns-flapping)" in text
    assert front_matter(kb / result.stdout.strip())["title"] == "DNS: flapping"


def test_new_follows_the_folders_of_mkdocs_yml(kb: Path) -> None:
    (kb / "docs").mkdir()
    (kb / "mkdocs.yml").write_text(
        "site_name: KB\nplugins:\n  - postmortems:\n      postmortems_dir: incidents\n"
    )
    result = run("new", "Search down", "--date", "2025-08-12")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "incidents/2025-08-12-search-down.md"


def test_init_writes_a_knowledge_base_into_a_new_folder(kb: Path) -> None:
    result = run("init", "site-kb")
    assert result.exit_code == 0, result.output
    folder = kb / "site-kb"
    for name in ("mkdocs.yml", "docs/writing.md", ".gitignore"):
        assert (folder / name).is_file()
        assert f"created  site-kb/{name}" in result.output
    assert len(list((folder / "postmortems").glob("*.md"))) == 1
    assert {p.name for p in (folder / "templates").iterdir()} >= {f"{n}.md.j2" for n in SHIPPED}
    assert list((folder / ".github" / "workflows").glob("*.yml"))
    assert "cd site-kb && pmkb new" in result.output


def test_init_then_new_uses_the_knowledge_base_templates(kb: Path) -> None:
    assert run("init").exit_code == 0
    listing = run("new", "--list")
    for name in SHIPPED:
        (line,) = [line for line in listing.stdout.splitlines() if line.startswith(name + " ")]
        assert "knowledge base" in line
    result = run("new", "Cache stampede took down search", "--template", "google-sre")
    assert result.exit_code == 0, result.output
    assert (kb / result.stdout.strip()).parent == kb / "postmortems"


def test_init_accepts_an_empty_folder_and_a_fresh_git_repository(kb: Path) -> None:
    (kb / "empty").mkdir()
    assert run("init", "empty").exit_code == 0
    (kb / "repo" / ".git").mkdir(parents=True)
    assert run("init", "repo").exit_code == 0
    assert (kb / "repo" / "mkdocs.yml").is_file()


def test_init_refuses_a_folder_that_is_not_empty(kb: Path) -> None:
    (kb / "notes.txt").write_text("mine\n")
    before = files_under(kb)
    result = run("init")
    assert result.exit_code == 1
    assert "--add-missing" in result.output
    assert files_under(kb) == before
    assert sorted(kb.iterdir()) == [kb / "notes.txt"]


def test_init_add_missing_writes_only_what_is_missing(kb: Path) -> None:
    assert run("init").exit_code == 0
    (kb / "mkdocs.yml").write_text("site_name: Ours\n")
    (kb / "docs" / "writing.md").unlink()
    (kb / "templates" / "seed.md.j2").write_text("{# our seed #}\n# {{ title }}\n")
    (kb / ".github").rename(kb / "github-old")
    before = files_under(kb)

    result = run("init", "--add-missing")
    assert result.exit_code == 0, result.output
    after = files_under(kb)
    assert all(after[path] == content for path, content in before.items())
    created = {str(path.relative_to(kb)) for path in set(after) - set(before)}
    assert "docs/writing.md" in created
    assert any(path.startswith(".github/workflows/") for path in created)
    assert "created  docs/writing.md" in result.output
    assert "skipped" in result.output and "mkdocs.yml (already exists)" in result.output

    again = run("init", "--add-missing")
    assert again.exit_code == 0
    assert files_under(kb) == after
    assert "Nothing to add" in again.output


def test_init_refuses_a_file(kb: Path) -> None:
    (kb / "kb").write_text("a file\n")
    result = run("init", "kb", "--add-missing")
    assert result.exit_code == 2
    assert "is a file" in result.output
    assert (kb / "kb").read_text() == "a file\n"
