"""Postmortems kept under ``docs/`` reach the site only through pmkb: MkDocs never renders the
files themselves (which would publish internal ones, and run their raw HTML)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.plugin import build_site
from tests.test_site_build import MKDOCS_YML

pytestmark = pytest.mark.slow

SECRET = """\
---
internal: true
---
# Wombat breach

## Summary

The wombat keys leaked. <script>alert(1)</script> <img src=x onerror=alert(2)>
[click](javascript:alert(3))
"""
OPEN = "# Open incident\n\n## Summary\n\nVisible. <script>alert(4)</script>\n"


@pytest.mark.parametrize("raw_html", ["escape", "allow"])
def test_postmortems_under_docs_are_not_rendered_by_mkdocs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raw_html: str
) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    folder = tmp_path / "docs" / "postmortems"
    folder.mkdir(parents=True)
    (folder / "secret.md").write_text(SECRET, encoding="utf-8")
    (folder / "open.md").write_text(OPEN, encoding="utf-8")
    (tmp_path / "docs" / "about.md").write_text("# About\n\nHand-written.\n", encoding="utf-8")
    indent = "\n      "
    options = f":{indent}postmortems_dir: docs/postmortems{indent}public: true"
    options += f"{indent}raw_html: {raw_html}"
    config = tmp_path / "mkdocs.yml"
    config.write_text(MKDOCS_YML.format(options=options), encoding="utf-8")
    build_site(config)
    site = tmp_path / "site"
    assert (site / "about" / "index.html").is_file()  # the author's own pages still build
    assert not (site / "postmortems").exists()
    everything = "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in site.rglob("*")
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".md")
    )
    assert "Visible." in everything
    assert "wombat" not in everything.lower()
    assert "<script>alert" not in everything
    assert "onerror=" not in everything
    assert 'href="javascript:' not in everything
