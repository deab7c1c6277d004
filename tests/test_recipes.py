"""The CI recipes pmkb ships, exercised by the tools that run them.

The pre-commit hook is run by pre-commit itself, from a temporary git repository that names this
checkout as the hook repository. The workflow files are validated against the GitHub Actions and
GitLab CI schemas with check-jsonschema (actionlint, the usual linter, is published on PyPI only
as a source package whose build downloads its binary from GitHub: it cannot be installed where
only the package registries are reachable).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CLEAN_POSTMORTEM, ROOT

GOOD = CLEAN_POSTMORTEM
# No Timeline section: an error (PMK010) on line 1.
BROKEN = GOOD.replace("## Timeline", "## Notes")


def git(folder: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=folder, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.slow
def test_the_pre_commit_hook_refuses_a_broken_postmortem(tmp_path: Path) -> None:
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    kb = tmp_path / "kb"
    (kb / "postmortems").mkdir(parents=True)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "Ann",
        "GIT_AUTHOR_EMAIL": "ann@example.com",
        "GIT_COMMITTER_NAME": "Ann",
        "GIT_COMMITTER_EMAIL": "ann@example.com",
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
        "NO_MKDOCS_2_WARNING": "1",
    }
    assert git(kb, "init", "-q", env=env).returncode == 0
    (kb / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n      - id: pmkb-check\n",
        encoding="utf-8",
    )
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=kb,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr

    (kb / "postmortems" / "2025-08-12-search.md").write_text(GOOD, encoding="utf-8")
    git(kb, "add", "-A", env=env)
    clean = git(kb, "commit", "-m", "A clean postmortem", env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    (kb / "postmortems" / "2025-08-13-cache.md").write_text(BROKEN, encoding="utf-8")
    git(kb, "add", "-A", env=env)
    refused = git(kb, "commit", "-m", "A broken postmortem", env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "postmortems/2025-08-13-cache.md:1:1: PMK010 error" in output
    assert "2025-08-12-search.md" not in output
    log = git(kb, "log", "--oneline", env=env).stdout
    assert "A broken postmortem" not in log


WORKFLOWS = sorted(
    [
        *(ROOT / ".github" / "workflows").glob("*.yml"),
        *(ROOT / "generator" / "skeleton" / ".github" / "workflows").glob("*.yml"),
    ]
)


@pytest.mark.parametrize(
    ("schema", "path"),
    [("vendor.github-workflows", path) for path in WORKFLOWS]
    + [("vendor.gitlab-ci", ROOT / ".gitlab-ci.yml")],
    ids=lambda value: value.relative_to(ROOT).as_posix() if isinstance(value, Path) else value,
)
def test_the_shipped_workflows_are_valid(schema: str, path: Path) -> None:
    found = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 0, found.stdout + found.stderr


def test_the_schema_check_notices_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = (ROOT / ".github" / "workflows" / "postmortems.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("runs-on:", "runs_on:", 1), encoding="utf-8")
    found = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(broken),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 1
