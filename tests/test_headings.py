"""A page's headings come out as the site's own Markdown makes them, however they are rendered.

pmkb renders the heading lines of its pages with the site's Markdown configuration
(:class:`generator.page_headings.Headings`): ids, permalinks and the table of contents. Lines
that recur from page to page are rendered once and joined; these tests pin that what a page
gets is always what one conversion of its lines gives, ids made unique included, and that a
configuration under which joining would differ is noticed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import markdown  # type: ignore[import-untyped]
from markdown.extensions import Extension  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from generator.page_headings import Headings

PAGES = (
    ("# Checkout failed", "## Summary", "## Timeline", "## Lessons learnt", "### What went wrong"),
    ("# DNS outage", "## Summary", "## Timeline", "### What went wrong", "### What went wrong"),
    ("# 障害", "## 原因", "## 対応"),  # no ASCII letters: toc numbers them _1, _2, _3
    ("# Queue backlog", "## Summary {#overview}", "## Overview"),
    ("# Cache stampede", "## Summary", "## Timeline", "## Lessons learnt", "### What went well"),
)


def load_site(folder: Path, extensions: list[Any]) -> MkDocsConfig:
    (folder / "docs").mkdir()
    (folder / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    config = load_config(str(folder / "mkdocs.yml"))
    config.markdown_extensions = extensions
    return config


def convert_whole(config: MkDocsConfig, lines: tuple[str, ...]) -> tuple[list[str], list[Any]]:
    """Return the headings as one conversion of all a page's lines gives them."""
    engine = markdown.Markdown(extensions=config.markdown_extensions)
    html = engine.convert("\n\n".join(lines))
    return html.split("\n"), engine.toc_tokens


def test_every_page_gets_the_headings_one_conversion_would_give(tmp_path: Path) -> None:
    config = load_site(tmp_path, ["toc", "attr_list"])
    config.mdx_configs = {"toc": {"permalink": True}}
    headings = Headings(config)
    engine = markdown.Markdown(
        extensions=["toc", "attr_list"], extension_configs=config.mdx_configs
    )
    expected = []
    for lines in PAGES:
        engine.reset()
        html = engine.convert("\n\n".join(lines))
        expected.append((html.split("\n"), engine.toc_tokens))
    # The second time round, every line is one already rendered.
    got = [headings.render(list(lines)) for lines in PAGES for _ in range(2)]
    assert got == [page for page in expected for _ in range(2)]
    # Each page's toc nests its own headings: no later page changed an earlier one's.
    assert [child["id"] for child in got[0][1][0]["children"]] == [  # type: ignore[index]
        "summary",
        "timeline",
        "lessons-learnt",
    ]


class _Numbering(Treeprocessor):  # type: ignore[misc]
    """Numbers the headings of a document in order: what a line renders to depends on its place."""

    def run(self, root: Element) -> None:
        for number, element in enumerate(e for e in root.iter() if e.tag in ("h1", "h2")):
            element.text = f"{number + 1}. {element.text}"


class NumberedHeadings(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Any) -> None:  # noqa: N802 - Markdown's name
        md.treeprocessors.register(_Numbering(md), "numbering", 30)


def test_headings_that_depend_on_their_place_are_rendered_whole(tmp_path: Path) -> None:
    config = load_site(tmp_path, ["toc", NumberedHeadings()])
    headings = Headings(config)
    for lines in PAGES:
        rendered = headings.render(list(lines))
        assert rendered == convert_whole(config, lines)
    rendered = headings.render(["# Title", "## Summary"])
    assert rendered is not None
    assert "2. Summary" in rendered[0][1]
