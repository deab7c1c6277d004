"""Author HTML made safe for the site: URLs vetted, and raw HTML cleaned under ``allow``.

Under the ``allow`` raw-HTML policy (:class:`~generator.settings.RawHtml`), markdown-it keeps an
author's HTML and :func:`sanitize_html` cleans it by re-serialising every tag: it removes the
elements in :data:`DROPPED_ELEMENTS` with their content, event-handler attributes (``on*``),
:data:`DROPPED_ATTRIBUTES`, any attribute whose value is a ``javascript:``, ``vbscript:`` or
``data:`` URL and inline styles that could cover the page or load a file; it prefixes ids with
``user-content-`` and balances the tags, so a stray ``</div>`` or a ``<div/>`` (read by HTML as an
opening tag) cannot break the page around it. :func:`is_safe_url` is the one URL check of every
link and image (:mod:`generator.markup` hands it to markdown-it), and :func:`escape_html` the
one escaping of text put into HTML.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from html import escape
from html.parser import HTMLParser

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


_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


def escape_html(text: str) -> str:
    """Return one-line text escaped for HTML (quotes and backticks included)."""
    return escape(text, quote=True).replace("`", "&#96;")


def is_safe_url(url: str) -> bool:
    """Return whether a URL may appear in the site (no script or local-file scheme)."""
    squeezed = _CONTROL.sub("", url).lower()
    return not squeezed.startswith(BAD_SCHEMES)


def is_relative_url(url: str) -> bool:
    """Return whether a URL is relative to the page: no scheme, not the site root, no anchor.

    Such a URL names a file next to the postmortem (an image, another postmortem).
    """
    return bool(url) and not _SCHEME.match(url) and not url.startswith(("/", "#", "?"))


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
