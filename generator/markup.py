"""Markup: where an author's text becomes HTML, safely, and where metadata is escaped.

Postmortem bodies are written for GitHub, so they are rendered here with markdown-it-py, the
parser's own Markdown dialect (CommonMark plus GitHub's tables, strikethrough, task lists, alerts
and bare-URL autolinks), rather than left to the site engine's Python-Markdown, which reads lists
without a blank line before them, two-space nested lists and raw HTML differently. The generated
pages embed the resulting HTML as raw HTML blocks, which MkDocs passes through untouched.

Raw HTML in a body follows :class:`~generator.settings.RawHtml`:

* ``escape`` (default): markdown-it runs with HTML off, so ``<script>`` shows as text.
* ``allow``: HTML is kept and then cleaned by :class:`_Sanitizer`, which re-serialises every
  tag: it removes the elements in :data:`DROPPED_ELEMENTS` with their content, event-handler
  attributes (``on*``), :data:`DROPPED_ATTRIBUTES`, and any attribute whose value is a
  ``javascript:``, ``vbscript:`` or ``data:`` URL; it prefixes ids with ``user-content-`` and
  balances the tags, so a stray ``</div>`` or a ``<div/>`` (read by HTML as an opening tag)
  cannot break the page around it.

Under both policies a link or image whose URL uses one of those schemes is not made a link at
all (markdown-it shows the Markdown as text), and backticks are written as ``&#96;`` so that no
Python-Markdown preprocessor (fenced code, snippets) can act on text inside the HTML.

One-line metadata (titles, owners, tags, field values) never goes through Markdown: it is either
HTML-escaped (:func:`escape_html`) or, where it lands in a Markdown line such as a heading,
escaped for both HTML and Markdown (:func:`escape_markdown`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from html import escape
from html.parser import HTMLParser
from typing import Any

from markdown_it import MarkdownIt

from generator.autolink import autolink_plugin
from generator.settings import RawHtml

UNPUBLISHED_URL = "#pmkb-unpublished"
"""What a URL rewriter returns for a link to a page left out of the site: the link becomes its
text alone."""

UrlRewriter = Callable[[str], str]
"""A function that turns a URL as written into the URL the page should use."""

BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
"""URL schemes that never reach the site: they can run script or read local files."""

DROPPED_ELEMENTS = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript"}
    | {"template", "base", "meta", "link", "title", "svg", "math", "noembed", "noframes"}
    | {"xmp", "plaintext", "form", "textarea", "select", "button", "portal", "head"}
)
"""Elements removed together with their content under the ``allow`` policy."""

DROPPED_ATTRIBUTES = frozenset({"srcdoc", "formaction", "markdown", "is", "autofocus", "nonce"})
"""Attributes removed under the ``allow`` policy, besides ``on*`` handlers."""

VOID_ELEMENTS = frozenset(
    {"area", "br", "col", "hr", "img", "input", "source", "track", "wbr", "param", "keygen"}
    | {"embed", "meta", "base", "link", "basefont", "bgsound", "frame"}
)
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite", "background", "longdesc"})

# Characters Python-Markdown lets a backslash escape (its base set plus the tables extension's
# "|") that mean something anywhere in a line; "-", "+" and "1." only do at its start.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#!|>])")
_LEADING_MARKER = re.compile(r"^([-+]|\d+(?=[.)]))")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


def escape_html(text: str) -> str:
    """Return one-line text escaped for HTML (quotes and backticks included)."""
    return escape(text, quote=True).replace("`", "&#96;")


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


def is_safe_url(url: str) -> bool:
    """Return whether a URL may appear in the site (no script or local-file scheme)."""
    squeezed = _CONTROL.sub("", url).lower()
    return not squeezed.startswith(BAD_SCHEMES)


def is_relative_url(url: str) -> bool:
    """Return whether a URL is relative to the page: no scheme, not the site root, no anchor.

    Such a URL names a file next to the postmortem (an image, another postmortem).
    """
    return bool(url) and not _SCHEME.match(url) and not url.startswith(("/", "#", "?"))


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


def sanitize_html(html: str, *, rewrite: UrlRewriter | None = None) -> str:
    """Return HTML with scripts, handlers and script URLs removed and tags balanced."""
    sanitizer = _Sanitizer(rewrite, Counter(name.lower() for name in _CLOSING_TAG.findall(html)))
    sanitizer.feed(html)
    sanitizer.close()
    return sanitizer.result()


class _Sanitizer(HTMLParser):
    """Re-serialises HTML from its parsed tags, keeping only what is safe (see module doc)."""

    def __init__(self, rewrite: UrlRewriter | None, closings: Counter[str]) -> None:
        super().__init__(convert_charrefs=True)
        self._rewrite = rewrite
        # Closing tags still to come: a dropped element never closed ("we removed the <form>"
        # in prose) is dropped alone, not with the rest of the text after it.
        self._closings = closings
        self._out: list[str] = []
        self._open: list[str] = []
        self._dropping: list[str] = []

    def result(self) -> str:
        """Return the clean HTML, closing any element left open."""
        self._out.extend(f"</{tag}>" for tag in reversed(self._open))
        self._open.clear()
        return "".join(self._out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> None:
        if self._dropping or tag in DROPPED_ELEMENTS:
            if not closed and tag not in VOID_ELEMENTS and self._closings[tag] > 0:
                self._dropping.append(tag)
            return
        kept = "".join(self._attribute(name, value) for name, value in attrs)
        self._out.append(f"<{tag}{kept}>")
        if tag in VOID_ELEMENTS:
            return
        if closed:
            # HTML ignores the slash of "<div/>": left as "<div>", it would hold the rest of the
            # page. The author meant an empty element, so it is closed at once.
            self._out.append(f"</{tag}>")
        else:
            self._open.append(tag)

    def _attribute(self, name: str, value: str | None) -> str:
        name = name.lower()
        if name.startswith("on") or name in DROPPED_ATTRIBUTES or not _is_name(name):
            return ""
        if value is None:
            return f" {name}"
        if not is_safe_url(value):
            return ""
        if name == "style" and _escapes_content(value):
            return ""
        if name in URL_ATTRIBUTES and self._rewrite is not None and is_relative_url(value):
            value = self._rewrite(value)
        if name in ("id", "name", "for"):
            # Author ids must not clash with the page's own (the filters, the tables).
            value = value if value.startswith("user-content-") else f"user-content-{value}"
        return f' {name}="{escape_html(value)}"'

    def handle_endtag(self, tag: str) -> None:
        self._closings[tag] -= 1
        if self._dropping:
            if tag in self._dropping:
                while self._dropping and self._dropping.pop() != tag:
                    pass
            return
        if tag not in self._open:
            return  # a stray closing tag: dropping it keeps the page's own structure intact
        while self._open:
            top = self._open.pop()
            self._out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self._out.append(escape(data, quote=False).replace("`", "&#96;"))

    # Comments, declarations and processing instructions are dropped: they show nothing, and a
    # comment such as <!-- material/tags --> would otherwise be acted on by a plugin.
    def handle_comment(self, data: str) -> None:
        return

    def handle_decl(self, decl: str) -> None:
        return

    def handle_pi(self, data: str) -> None:
        return

    def unknown_decl(self, data: str) -> None:
        return


@functools.lru_cache(maxsize=16384)
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


def _escapes_content(style: str) -> bool:
    r"""Return whether an inline style could leave the content area or load something.

    ``position: fixed`` (or absolute, sticky), a ``z-index``, a ``transform`` or a negative
    margin can cover the whole page, header and search box included; ``url(...)`` would load a
    file from anywhere. CSS comments and escapes are undone
    first (``posit\\69 on: fixed`` is ``position: fixed``).
    """
    text = _CSS_COMMENT.sub("", style)
    text = _CSS_ESCAPE.sub(_unescape_css, text).lower()
    text = "".join(text.split())
    return bool(_CSS_POSITION.search(text)) or "url(" in text or "expression(" in text


def _unescape_css(match: re.Match[str]) -> str:
    if match.group(1):
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF else ""
    return match.group(2)


_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})\s?|(.))", re.DOTALL)
# Positioning other than in the flow, stacking above the page, and moving out of place.
_CSS_POSITION = re.compile(
    r"position:(?!(?:static|relative)(?:!important)?(?:;|$))"
    r"|z-index:|transform:|translate:|inset[a-z-]*:|margin[a-z-]*:[^;]*-"
)
_CLOSING_TAG = re.compile(r"</\s*([a-zA-Z][^\s/>]*)")


def _is_name(name: str) -> bool:
    return bool(name) and all(c.isalnum() or c in "-_:." for c in name)
