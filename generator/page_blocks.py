"""Page blocks: the shape of pmkb's generated pages, Markdown headings between blocks of HTML.

The page templates write pages of that shape (see ``_macros.md.j2``); the MkDocs plugin
(:mod:`generator.generated_page`) reads them with :func:`split_page` to render only the
headings through Markdown and pass the HTML through as it is.
"""

from __future__ import annotations

import re


def split_page(markdown: str) -> list[tuple[str, str]] | None:
    """Return a page's blocks if it is only Markdown headings and blocks of HTML, else None.

    Each block is ``("heading", line)`` or ``("html", text)``. The page templates write pages of
    that shape (see ``_macros.md.j2``), which lets the MkDocs plugin skip the Markdown pass for
    them. A block (text after a blank line) that starts with anything but a tag is Markdown, so
    the page gives None; blank lines inside ``<pre>`` (code) are part of the HTML, and so are
    heading-like lines there (``# a shell comment``).
    """
    blocks: list[tuple[str, str]] = []
    html: list[str] = []
    in_pre = False
    fresh = True  # at the start of a block: after a blank line or a heading
    for line in markdown.strip("\n").split("\n"):
        # Most lines are inside a block of HTML: only the first of a block is looked at.
        if fresh and not in_pre:
            if _HEADING.match(line):
                if html:
                    blocks.append(("html", "\n".join(html).strip("\n")))
                    html = []
                blocks.append(("heading", line))
                continue
            if line.strip() and not line.lstrip().startswith("<"):
                return None
        html.append(line)
        if "pre" in line:
            opened, closed = len(_PRE_OPEN.findall(line)), line.count("</pre>")
            if opened != closed:
                in_pre = opened > closed
        fresh = not line or line.isspace()
    if html:
        text = "\n".join(html).strip("\n")
        if text.strip():
            blocks.append(("html", text))
    return blocks


_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_PRE_OPEN = re.compile(r"<pre[\s>]")
