"""The newcomer's path, for real: a wheel of this repository in a fresh virtual environment, used
in a folder outside the repository (issue 4: init, new, check, build).

It needs no package index: the wheel is built without build isolation by the installed hatchling,
and the fresh environment installs only the wheel, finding its dependencies in the environment
that runs the tests (through a ``.pth`` line) rather than downloading them. What is tested is the
wheel: its modules, templates and assets, and its ``pmkb`` command.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT

TITLE = "Cache stampede took down search"
SITE_PACKAGES = "import sysconfig; print(sysconfig.get_paths()['purelib'])"


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
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index"]
    run([*build, "--no-build-isolation", "-w", dist, ROOT], tmp_path)
    [wheel] = dist.glob("postmortem_kb-*.whl")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], tmp_path)
    python = venv / "bin" / "python"
    site_packages = Path(run([python, "-c", SITE_PACKAGES], tmp_path).strip())
    (site_packages / "dependencies.pth").write_text(f"{sysconfig.get_paths()['purelib']}\n")
    run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel], tmp_path)
    located = run([python, "-c", "import generator; print(generator.__file__)"], tmp_path)
    assert Path(located.strip()).is_relative_to(site_packages), "not the wheel's own package"
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
