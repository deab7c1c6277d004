"""Generated pages rendered without a full Markdown pass, and which files the site is made of.

Used by the MkDocs plugin (:mod:`generator.plugin`), one of the modules that import MkDocs; the
headings are rendered by :mod:`generator.page_headings`. An author's file wins over a generated
page of the same path; the postmortem files themselves are never published as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.page_blocks import split_page
from generator.page_headings import Headings, assemble_page
from generator.page_store import PageStore

log = get_plugin_logger("pmkb")


class GeneratedPage(Page):
    """A page pmkb generated, rendered without a Markdown pass when it can be.

    pmkb's pages are Markdown headings and blocks of HTML
    (:func:`generator.page_blocks.split_page`).
    The Markdown engine would only pass the HTML through, after parsing all of it twice (for
    raw-HTML blocks and for anchors); on a page made mostly of HTML, that is most of the build.
    So only the headings go through the site's Markdown (its ``toc``, ``attr_list`` and other
    extensions make the same ids, permalinks and table of contents), and the HTML is joined in
    as is. A page whose Markdown another plugin changed, or that a team's template wrote with
    other Markdown, is rendered the usual way.
    """

    def __init__(
        self,
        file: File,
        config: MkDocsConfig,
        headings: Headings,
        store: PageStore | None = None,
        *,
        read: Callable[[], str] | None = None,
    ) -> None:
        """Make the page of a file; ``read`` returns its Markdown when the file holds none yet.

        With a ``store``, the page's HTML is kept in it (:attr:`content`).
        """
        # Set before MkDocs' own __init__, which sets the content.
        self._read = read
        self._store = store
        self._stored: tuple[int, int] | None = None
        self._content: str | None = None
        super().__init__(None, file, config)
        self._headings = headings
        self._source: str | None = None

    @property
    def content(self) -> str | None:
        """The page's HTML, kept on disk when the build has a page store.

        It stays in the :class:`~generator.page_store.PageStore` from the time it is made
        until the theme asks for it, rather than in memory to the end of the build.
        """
        if self._stored is not None and self._store is not None:
            return self._store.get(self._stored)
        return self._content

    @content.setter
    def content(self, html: str | None) -> None:
        if html is None or self._store is None:
            self._content, self._stored = html, None
        else:
            self._content, self._stored = None, self._store.put(html)

    def read_source(self, config: MkDocsConfig) -> None:
        """Read the page and remember its Markdown, to notice changes by other plugins."""
        if self._read is not None:
            # Its turn has come: the file holds the Markdown until the page is rendered.
            self.file.content_string = self._read()
        super().read_source(config)
        self._source = self.markdown

    def render(self, config: MkDocsConfig, files: Files) -> None:
        """Set the page's HTML and table of contents."""
        text = self.markdown
        made = self._headings.take_page(self.file.src_uri, text) if text is not None else None
        if made is None:
            blocks = split_page(text) if text is not None and text == self._source else None
            rendered = None
            if blocks is not None:
                lines = [line for kind, line in blocks if kind == "heading"]
                rendered = self._headings.render(lines)
            if blocks is not None and rendered is not None:
                made = assemble_page(blocks, rendered)
        if made is None:
            super().render(config, files)
        else:
            html, toc, ids = made
            self.content = html  # to the store: read from here, not back from there
            self.toc = get_toc(toc)
            self.present_anchor_ids = set(ids)
        self._release_markdown()

    def _release_markdown(self) -> None:
        """Let go of the page's Markdown once its HTML is made: nothing reads it again.

        MkDocs renders every page before it writes any, and each page held its Markdown twice
        (the file's, with front matter, and the page's) beside its HTML: at 10,000 incidents
        that was some 1 GB kept to the end of the build. The file keeps an empty text (a
        ``--dirty`` build asks it whether it changed: a text it has says it did); the page keeps
        an empty one (MkDocs gives a page without Markdown no title).
        """
        self._source = None
        self.markdown = ""
        self.file.content_string = ""


def author_file(files: Files, path: str) -> bool:
    """Return whether the author's docs already have a file at a generated path (it wins)."""
    existing = files.get_file_from_path(path)
    if existing is None or existing.generated_by is not None:
        return False
    log.info(f"{existing.src_uri}: your own file replaces pmkb's generated page of that name")
    return True


def drop_postmortem_files(files: Files, postmortems_dir: Path) -> None:
    """Keep MkDocs from publishing the postmortem files themselves (``docs/postmortems``).

    MkDocs would render them with its own Markdown, raw HTML and internal ones included; pmkb's
    pages are the only way a postmortem reaches the site (its images are added as pmkb finds
    them linked).
    """
    folder = postmortems_dir.resolve()
    for file in list(files):
        source = file.abs_src_path
        if file.generated_by is None and source and Path(source).resolve().is_relative_to(folder):
            files.remove(file)
