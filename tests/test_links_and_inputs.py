"""pmkb never follows a link out of the knowledge base, never writes through a link, never writes
into a folder it reads, and reads only the start of a file it will refuse."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.catalog import load_catalog
from generator.cli import main
from generator.render import render_pages
from generator.settings import Settings
from generator.site_files import MANIFEST
from tests.conftest import ROOT

POSTMORTEM = """\
---
title: Search down
date: 2025-08-12
---

# Search down

## Summary

Search returned errors.
"""
SECRET = "Ocelotpassword"


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A knowledge base without mkdocs.yml, made the current folder, with one postmortem."""
    folder = tmp_path / "kb"
    (folder / "postmortems").mkdir(parents=True)
    (folder / "postmortems" / "2025-08-12-search.md").write_text(POSTMORTEM, encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_a_link_out_of_the_knowledge_base_is_not_read(kb: Path, tmp_path: Path) -> None:
    outside = tmp_path / "runner-secret.md"
    outside.write_text(f"# Runner\n\n## Summary\n\nThe token is {SECRET}.\n", encoding="utf-8")
    (kb / "postmortems" / "2025-08-13-leak.md").symlink_to(outside)
    catalog = load_catalog(Settings.for_folder(kb))
    assert [p.title for p in catalog] == ["Search down"]
    [problem] = [d for d in catalog.diagnostics if d.location.path.endswith("leak.md")]
    assert problem.code == "PMK001" and "link" in problem.message
    pages = render_pages(catalog, Settings.for_folder(kb))
    assert all(SECRET not in page for page in pages.values())
    result = run("check")
    assert result.exit_code == 1
    assert "postmortems/2025-08-13-leak.md:1:1: PMK001 error this is a link" in result.stdout


def test_a_link_to_a_folder_out_of_the_knowledge_base_is_not_read(kb: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.md").write_text(f"# {SECRET}\n", encoding="utf-8")
    (kb / "postmortems" / "team").symlink_to(tmp_path / "elsewhere")
    catalog = load_catalog(Settings.for_folder(kb))
    assert all(SECRET not in p.title for p in catalog)


def test_a_folder_given_outside_the_knowledge_base_is_read_where_it_is(
    kb: Path, tmp_path: Path
) -> None:
    # "../elsewhere" written from inside the knowledge base is outside it, not a link out of it:
    # what the user names on the command line is read (only links out of it are refused).
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "2024-02-02-queue.md").write_text(
        POSTMORTEM.replace("Search", "Queue"), "utf-8"
    )
    result = run("export", "../elsewhere")
    assert result.exit_code == 0, result.output
    assert [p["title"] for p in json.loads(result.stdout)["postmortems"]] == ["Queue down"]


def test_a_link_inside_the_knowledge_base_is_read(kb: Path) -> None:
    (kb / "archive").mkdir()
    (kb / "archive" / "old.md").write_text(POSTMORTEM.replace("Search", "Cache"), "utf-8")
    (kb / "postmortems" / "2024-01-01-cache.md").symlink_to(kb / "archive" / "old.md")
    catalog = load_catalog(Settings.for_folder(kb))
    assert sorted(p.title for p in catalog) == ["Cache down", "Search down"]


def test_generate_never_writes_through_a_linked_manifest(kb: Path) -> None:
    victim = kb / "postmortems" / "2025-08-12-search.md"
    out = kb / "docs"
    out.mkdir()
    (out / MANIFEST).symlink_to(victim)
    result = run("generate", "--out", "docs")
    assert result.exit_code == 1
    assert "link" in result.output
    assert victim.read_text(encoding="utf-8") == POSTMORTEM
    assert not (out / "index.md").exists()  # refused before writing anything


def test_generate_never_writes_or_removes_through_a_linked_page(kb: Path) -> None:
    out = kb / "docs"
    assert run("generate", "--out", "docs").exit_code == 0
    # The author keeps a copy of two generated pages and swaps the pages for links to the
    # copies; the manifest still lists the pages with the copies' hashes.
    for page, copy in (("lessons.md", "my-lessons.md"), ("services.md", "my-services.md")):
        (out / copy).write_bytes((out / page).read_bytes())
        (out / page).unlink()
        (out / page).symlink_to(out / copy)
    copies = {name: (out / name).read_bytes() for name in ("my-lessons.md", "my-services.md")}
    # Now the lessons page changes, and the services page is no longer generated at all.
    path = kb / "postmortems" / "2025-08-12-search.md"
    path.write_text(POSTMORTEM + "\n## Lessons learned\n\n- Canary first\n", encoding="utf-8")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["gone.md"] = manifest.pop("services.md")
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (out / "services.md").rename(out / "gone.md")
    result = run("generate", "--out", "docs")
    assert {name: (out / name).read_bytes() for name in copies} == copies
    assert result.exit_code == 1
    assert "docs/lessons.md (not written by pmkb" in result.output


@pytest.mark.parametrize("out", ["postmortems", "postmortems/site", "templates"])
def test_generate_refuses_a_folder_pmkb_reads(kb: Path, out: str) -> None:
    (kb / "templates").mkdir()
    before = sorted(p.as_posix() for p in kb.rglob("*"))
    result = run("generate", "--out", out)
    assert result.exit_code == 1
    assert "reads as input" in result.output
    assert sorted(p.as_posix() for p in kb.rglob("*")) == before


def test_check_of_something_that_is_no_file_says_so(kb: Path) -> None:
    result = run("check", "/dev/zero")
    assert result.exit_code == 1
    assert "/dev/zero:1:1: PMK001 error this is neither a file nor a folder" in result.stdout
    assert "no problems" not in result.stderr


MEMORY_CAPPED = textwrap.dedent(
    """\
    import resource, sys
    from pathlib import Path
    limit = 300 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from generator.parse import parse_file
    result = parse_file(Path(sys.argv[1]))
    print(result.postmortem is None, [d.code for d in result.diagnostics])
    """
)


def test_a_huge_binary_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "dump.md"
    with big.open("wb") as file:  # sparse: 512 MB that take no disk
        file.write(b"# Title\n\x00")
        file.truncate(512 * 1024 * 1024)
    found = subprocess.run(
        [sys.executable, "-c", MEMORY_CAPPED, str(big)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert found.returncode == 0, found.stderr[-2000:]
    assert found.stdout.strip() == "True ['PMK001']"


def test_generate_output_is_unchanged_by_the_input_guard(kb: Path) -> None:
    """The guard refuses only input folders: the usual docs folder still works, twice."""
    assert run("generate", "--out", "docs").exit_code == 0
    second = run("generate", "--out", "docs")
    assert second.exit_code == 0, second.output
    assert "0 written" in second.output
