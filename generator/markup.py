"""Markup: where an author's text becomes HTML, safely, and where metadata is escaped.

Postmortem bodies are written for GitHub, so they are rendered here with markdown-it-py, the
parser's own Markdown dialect (CommonMark plus GitHub's tables, strikethrough, task lists, alerts
and bare-URL autolinks), rather than left to the site engine's Python-Markdown, which reads lists
without a blank line before them, two-space nested lists and raw HTML differently. The generated
pages embed the resulting HTML as raw HTML blocks, which MkDocs passes through untouched.

Raw HTML in a body follows :class:`~generator.settings.RawHtml`:

* ``escape`` (default): markdown-it runs with HTML off, so ``<script>`` shows as text.
* ``allow``: HTML is kept and then cleaned by :func:`generator.html_sanitizer.sanitize_html`,
  which re-serialises every tag and keeps only what is safe.

Under both policies a link or image whose URL could run script or read a local file
(:func:`~generator.html_sanitizer.is_safe_url`) is not made a link at all (markdown-it shows the
Markdown as text), and backticks are written as ``&#96;`` so that no
Python-Markdown preprocessor (fenced code, snippets) can act on text inside the HTML.

One-line metadata (titles, owners, tags, field values) never goes through Markdown: it is either
HTML-escaped (:func:`~generator.html_sanitizer.escape_html`) or, where it lands in a Markdown
line such as a heading, escaped for both HTML and Markdown (:func:`escape_markdown`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from html import escape
from typing import Any

from markdown_it import MarkdownIt

from generator.autolink import autolink_plugin
from generator.html_sanitizer import (
    UrlRewriter,
    is_relative_url,
    is_safe_url,
    sanitize_html,
)
from generator.settings import RawHtml

UNPUBLISHED_URL = "#pmkb-unpublished"
"""What a URL rewriter returns for a link to a page left out of the site: the link becomes its
text alone."""

# Characters Python-Markdown lets a backslash escape (its base set plus the tables extension's
# "|") that mean something anywhere in a line; "-", "+" and "1." only do at its start.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#!|>])")
_LEADING_MARKER = re.compile(r"^([-+]|\d+(?=[.)]))")


def escape_markdown(text: str) -> str:
    """Return one-line text safe in a Markdown line: shown as written, never interpreted.

    Newlines become spaces (a value cannot start a new block), ``&``, ``<`` and ``>`` become
    entities, and Markdown specials (backticks included) get a backslash, as does a list marker
    at the start.
    """
    flat = " ".join(text.split())
    # Quotes stay as they are: a numeric entity would show up as such in MkDocs' table of
    # contents, and quotes mean nothing in Markdown text.
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", escape(flat, quote=False))
    marker = _LEADING_MARKER.match(escaped)
    if marker is None:
        return escaped
    if marker.group(1)[0].isdigit():  # "1. Title" would start a numbered list
        end = marker.end()
        return f"{escaped[:end]}\\{escaped[end:]}"
    return "\\" + escaped


class MarkupRenderer:
    """Renders author Markdown to safe HTML under one raw-HTML policy."""

    def __init__(self, policy: RawHtml) -> None:
        self.policy = policy
        self._rewrite: UrlRewriter | None = None
        self._md = MarkdownIt(
            "commonmark",
            {
                "html": policy is RawHtml.ALLOW,
                "maxNesting": 50,
                "tasklists": True,
                "tasklists_editable": False,
                "alerts": True,
                "strikethrough_single_tilde": True,
            },
        )
        self._md.enable(["table", "strikethrough"])
        self._md.use(autolink_plugin)
        # markdown-it calls normalizeLink, then validateLink, for every link, image, autolink
        # and reference definition: the one place to vet and redirect URLs.
        self._md.normalizeLink = self._normalize_link  # type: ignore[method-assign]
        self._md.validateLink = is_safe_url  # type: ignore[method-assign]

    def references(self, markdown: str) -> dict[str, Any]:
        """Return the link reference definitions of a whole document (``[id]: url``).

        Sections are rendered one passage at a time; passing these to :meth:`block` keeps
        reference-style links working across passages.
        """
        if "]:" not in markdown:
            return {}
        env: dict[str, Any] = {}
        self._md.parse(markdown, env)
        references = env.get("references", {})
        return dict(references) if isinstance(references, dict) else {}

    def block(
        self,
        markdown: str,
        *,
        references: dict[str, Any] | None = None,
        rewrite: UrlRewriter | None = None,
    ) -> str:
        """Return the HTML of a Markdown text (paragraphs, lists, tables, code ...)."""
        if self.policy is RawHtml.ESCAPE and is_plain_text(markdown):
            return f"<p>{_escape_plain(markdown)}</p>"
        return self._render(self._md.render, markdown, references, rewrite)

    def inline(
        self,
        markdown: str,
        *,
        references: dict[str, Any] | None = None,
        rewrite: UrlRewriter | None = None,
    ) -> str:
        """Return the HTML of one line of Markdown (no paragraph around it)."""
        if self.policy is RawHtml.ESCAPE and is_plain_text(markdown):
            return _escape_plain(markdown)
        return self._render(self._md.renderInline, markdown, references, rewrite)

    def _render(
        self,
        render: Callable[[str, dict[str, Any]], Any],
        markdown: str,
        references: dict[str, Any] | None,
        rewrite: UrlRewriter | None,
    ) -> str:
        env: dict[str, Any] = {}
        # Under "allow" the sanitiser rewrites every URL (raw HTML ones too) once, at the end.
        self._rewrite = rewrite if self.policy is RawHtml.ESCAPE else None
        if references:
            # The document's definitions were read without a page to link from: their relative
            # URLs are rewritten when a link of this passage uses them.
            env["references"] = _PassageReferences(references, self._normalize_link)
        try:
            html = str(render(markdown, env))
        finally:
            self._rewrite = None
        if self.policy is RawHtml.ALLOW:
            html = sanitize_html(html, rewrite=rewrite)
        else:
            html = html.replace("`", "&#96;")
        if UNPUBLISHED_URL in html:
            html = _UNPUBLISHED_LINK.sub(r"\1", html)
        return solid_html(html)

    def _normalize_link(self, url: str) -> str:
        if self._rewrite is not None and is_relative_url(url):
            url = self._rewrite(url)
        normalized: str = MarkdownIt.normalizeLink(self._md, url)
        return normalized


def is_plain_text(markdown: str) -> bool:
    """Return whether markdown-it would show a text as it is, in one paragraph (HTML escaped).

    Most passages and items of a postmortem are sentences with no Markdown in them, and
    markdown-it's setup costs more than the sentence: those are written out directly (with
    ``"`` escaped, as markdown-it does; nothing else in them needs it). A text qualifies when
    it has no character any of the rules pmkb enables acts on (emphasis, code, links, HTML,
    entities, escapes, strikethrough, tables, autolinks), every line starts with a letter (no
    list, heading, quote, code or rule can start there), and no blank surrounds a line break.
    """
    return (
        bool(markdown)
        and markdown[0].isalpha()
        and not markdown[-1].isspace()
        and _NOT_PLAIN.search(markdown) is None
    )


def _escape_plain(text: str) -> str:
    return text.replace('"', "&quot;")  # markdown-it's escaping: the rest never occurs in it


# What makes markdown-it do more than copy text: a character a rule acts on, a protocol's colon
# (bare URLs), "www.", a line not starting with a letter, blanks around a line break (a hard
# break, or blanks markdown-it drops), and control characters (it reads "\r" as a line end).
_NOT_PLAIN = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f\\`*_\[\]<>&~|@{}]"
    r"|(?:https?|mailto|xmpp):|www\."
    r"|\n(?![^\W\d_])|\s\n",
    re.IGNORECASE,
)


class _PassageReferences(dict[str, Any]):
    """The reference definitions a passage sees: the document's, then its own.

    markdown-it looks a label up with ``get``; a document definition's relative URL is then
    rewritten for the page (the passage's own definitions are rewritten as they are read).
    """

    def __init__(self, document: dict[str, Any], normalize: UrlRewriter) -> None:
        super().__init__(document)
        self._document = frozenset(document)
        self._normalize = normalize

    def get(self, label: str, default: Any = None) -> Any:
        found = super().get(label, default)
        if label in self._document and isinstance(found, dict):
            href = found.get("href")
            if isinstance(href, str) and is_relative_url(href):
                return {**found, "href": self._normalize(href)}
        return found


_UNPUBLISHED_LINK = re.compile(
    rf'<a href="{re.escape(UNPUBLISHED_URL)}"[^>]*>(.*?)</a>', re.DOTALL | re.IGNORECASE
)


def solid_html(html: str) -> str:
    """Return HTML without blank lines, showing the same: one unbroken raw HTML block.

    Markdown engines end a raw HTML block at a blank line, so pages keep their HTML free of
    them. Outside ``<pre>``, whitespace between tags shows nothing and blank lines are dropped;
    inside, each empty line's newline is written as ``&#10;``, which shows the same.
    """
    if "\n\n" not in html and not _BLANK_LINE.search(html):
        return html.strip()
    parts = _PRE.split(html)
    for index, part in enumerate(parts):
        if index % 2:  # inside <pre>...</pre>
            parts[index] = _BLANK_LINE.sub(lambda m: "&#10;" + m.group(1), part)
        else:
            parts[index] = _BLANK_LINE_OUTSIDE.sub("\n", part)
    return "".join(parts).strip()


_PRE = re.compile(r"(<pre[\s>].*?</pre>)", re.DOTALL | re.IGNORECASE)
# A line that is empty or holds only blanks, with the newline before it (group 1: its blanks).
_BLANK_LINE = re.compile(r"\n([ \t]*)(?=\n)")
# A newline and the blank lines after it (a run of them becomes one newline), or trailing blanks.
_BLANK_LINE_OUTSIDE = re.compile(r"\n(?:[ \t]*\n)+|\n[ \t]*$")


@functools.lru_cache(maxsize=4096)
def plain_text(inline: str) -> str:
    """Return the text an inline Markdown snippet shows: markers and link targets removed.

    Raw HTML stays, as written: with ``raw_html: escape`` (the default) that is what the page
    shows. The parser has its own, rougher ``plain_text`` for reading; this one is for display.
    """
    tokens = _PLAIN.parseInline(inline)
    parts: list[str] = []
    for token in tokens[0].children or () if tokens else ():
        if token.type in ("text", "code_inline", "html_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(token.content)
    return " ".join("".join(parts).split())


_PLAIN = MarkdownIt("commonmark").enable("strikethrough")
