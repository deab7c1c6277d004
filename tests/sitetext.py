"""Text of sources and built pages, compared word by word (helpers of the site tests)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.parse.encoding import decode_bytes
from generator.parse.source import split_front_matter

_MARKDOWN = MarkdownIt("commonmark", {"maxNesting": 100}).enable(["table", "strikethrough"])
_WORD = re.compile(r"\w+")
_TASK_MARKER = re.compile(r"^\[[ xX]\]\s")
_BLOCK_ELEMENTS = frozenset(
    {"p", "li", "td", "th", "div", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "br", "tr"}
    | {"pre", "blockquote", "ul", "ol", "table", "section", "time", "summary", "details"}
    | {"header", "footer", "nav", "article", "figcaption", "caption"}
)
# pmkb's own labels and controls, which are not the author's text.
_UI_CLASSES = frozenset(
    {"pmkb-phase", "pmkb-since", "pmkb-chip", "pmkb-badge", "pmkb-action__meta", "headerlink"}
    | {"pmkb-lesson__link", "pmkb-visually-hidden", "pmkb-header", "pmkb-related", "md-tags"}
    | {"pmkb-source", "pmkb-recurs"}  # a recurrence note is pmkb's, between the author's items
)


def source_blocks(data: bytes, path: str) -> Iterator[tuple[int, str, str]]:
    """Yield (line, kind, visible text) of every block the author wrote: paragraphs, list
    items' paragraphs, table cells, headings, code blocks and raw HTML (shown as text)."""
    text, _ = decode_bytes(data, path)
    assert text is not None
    source, _ = split_front_matter(text, path)
    offset = source.body_line
    tokens = _MARKDOWN.parse(source.body)
    parents: list[str] = []
    for token in tokens:
        if token.nesting == 1:
            parents.append(token.type)
        elif token.nesting == -1:
            parents.pop()
        line = offset + (token.map[0] if token.map else 0)
        if token.type == "inline":
            kind = parents[-1].removesuffix("_open") if parents else "inline"
            text = _inline_text(token)
            if "list_item_open" in parents:
                # A task list's "[x]" is drawn as a checkbox, not written out.
                text = _TASK_MARKER.sub("", text)
            yield line, kind, text
        elif token.type in ("fence", "code_block", "html_block"):
            yield line, token.type, token.content


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0
        self.inside = False
        self.skip: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "article":
            self.inside = True
        if tag in ("br", "img", "hr", "input", "meta", "link"):
            self.parts.append(" ")
            return
        self.depth += 1
        if classes & _UI_CLASSES or tag in ("script", "style"):
            self.skip.append(self.depth)
        if tag in _BLOCK_ELEMENTS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "img", "hr", "input", "meta", "link"):
            return
        if self.skip and self.skip[-1] == self.depth:
            self.skip.pop()
        self.depth -= 1
        if tag == "article":
            self.inside = False
        if tag in _BLOCK_ELEMENTS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.inside and not self.skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    """Return the text of a built page's article, without pmkb's labels and controls."""
    parser = _PageText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def words(text: str) -> list[str]:
    """Return the words of a text, case and Unicode forms aside."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def contains(haystack: list[str], needle: list[str]) -> bool:
    """Return whether ``needle`` occurs in ``haystack`` as a contiguous run of words."""
    if not needle:
        return True
    first = needle[0]
    size = len(needle)
    start = 0
    while True:
        try:
            index = haystack.index(first, start)
        except ValueError:
            return False
        if haystack[index : index + size] == needle:
            return True
        start = index + 1
