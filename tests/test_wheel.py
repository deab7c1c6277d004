"""The newcomer's path, for real: a wheel of this repository in a fresh virtual environment, used
in a folder outside the repository (issue 4: init, new, check, build)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

TITLE = "Cache stampede took down search"


def run(command: list[str | Path], cwd: Path) -> str:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    environment.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        command, cwd=cwd, env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.slow
def test_wheel_in_a_fresh_environment_inits_scaffolds_checks_and_builds(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, ROOT], tmp_path)
    [wheel] = dist.glob("postmortem_kb-*.whl")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], tmp_path)
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel], tmp_path)
    pmkb = venv / "bin" / "pmkb"
    outside = tmp_path / "work"
    outside.mkdir()

    run([pmkb, "init", "kb"], outside)
    kb = outside / "kb"
    created = run([pmkb, "new", TITLE, "--template", "google-sre"], kb).strip()
    run([pmkb, "check"], kb)
    run([pmkb, "build"], kb)

    page = kb / "site" / "incidents" / Path(created).stem / "index.html"
    assert TITLE in page.read_text(encoding="utf-8")
    assert not (ROOT / "kb").exists()  # nothing was written into the repository
