"""Markdown text to a light tree of blocks, each knowing its source lines.

markdown-it-py does the tokenizing; this module only folds its flat token stream into nested
:class:`Block` objects (like ``markdown_it.tree.SyntaxTreeNode``, but for block tokens only, which
is all the parser needs and a good deal cheaper). Text is always taken from the source lines a
block covers, never rebuilt from tokens: markdown-it drops content nested deeper than its
``maxNesting`` limit, and the author's words must survive that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Only block structure is needed: inline text is read from each block's raw inline content, so
# markdown-it's inline pass (a third of its time) is skipped.
_MARKDOWN = MarkdownIt("commonmark").enable("table").disable("inline")

_CONTAINERS = {
    "bullet_list": "bullet_list",
    "ordered_list": "ordered_list",
    "list_item": "list_item",
    "blockquote": "blockquote",
    "table": "table",
    "thead": "thead",
    "tbody": "tbody",
    "tr": "tr",
    "th": "cell",
    "td": "cell",
    "paragraph": "paragraph",
    "heading": "heading",
}


@dataclass(slots=True, eq=False)
class Block:
    """A block of the document: paragraph, heading, list, item, table, row, cell, code ..."""

    type: str
    """``paragraph``, ``heading``, ``bullet_list``, ``ordered_list``, ``list_item``,
    ``blockquote``, ``table``, ``thead``, ``tbody``, ``tr``, ``cell``, ``fence``,
    ``code_block``, ``html_block`` or ``hr``."""
    start: int
    """First line, 0-based, relative to the parsed text."""
    end: int
    """One past the last line."""
    markup: str = ""
    """The token's markup (``#`` count for headings, ``-``/``*``/``.`` for lists)."""
    info: str = ""
    """A list item's number, a fence's info string."""
    inline: str = ""
    """Raw inline Markdown of a paragraph, heading or cell."""
    children: list[Block] = field(default_factory=list)
    """Nested blocks."""

    @property
    def level(self) -> int:
        """A heading's level (1-6), 0 for other blocks."""
        if self.type != "heading":
            return 0
        if self.markup.startswith("#"):
            return len(self.markup)
        return 1 if self.markup == "=" else 2  # setext underline


def parse_blocks(text: str) -> list[Block]:
    """Return the top-level blocks of ``text``."""
    return fold_tokens(_MARKDOWN.parse(text))


def fold_tokens(tokens: list[Token]) -> list[Block]:
    """Fold markdown-it's flat token stream into a tree of blocks."""
    root = Block(type="root", start=0, end=0)
    stack = [root]
    for token in tokens:
        if token.nesting == 1:
            block = Block(
                type=_CONTAINERS.get(token.type.removesuffix("_open"), token.type),
                start=token.map[0] if token.map else stack[-1].start,
                end=token.map[1] if token.map else stack[-1].end,
                markup=token.markup,
                info=token.info,
            )
            stack[-1].children.append(block)
            stack.append(block)
        elif token.nesting == -1:
            stack.pop()
        elif token.type == "inline":
            stack[-1].inline = token.content
        elif token.map is not None:  # fence, code_block, html_block, hr
            stack[-1].children.append(
                Block(
                    type=token.type,
                    start=token.map[0],
                    end=token.map[1],
                    markup=token.markup,
                    info=token.info,
                    inline=token.content,
                )
            )
    return root.children


def table_rows(table: Block) -> tuple[list[str], list[tuple[Block, list[str]]]]:
    """Return a table's header cells and its body rows (row block, cells), as inline Markdown."""
    header: list[str] = []
    rows: list[tuple[Block, list[str]]] = []
    for part in table.children:
        for row in part.children:
            cells = [cell.inline for cell in row.children]
            if part.type == "thead":
                header = cells
            else:
                rows.append((row, cells))
    return header, rows
