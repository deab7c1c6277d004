"""SVG drawing primitives for the charts: scales, ticks and escaped elements.

The charts are small, static SVG written straight into the page (no library, no script at view
time, nothing fetched). Every text and attribute value goes through :func:`markupsafe.escape`
here, so a service or lesson named ``<script>`` stays text. Colours are never written into the
SVG: elements carry ``pmkb-chart__*`` classes, and ``pmkb.css`` colours them from Material's
custom properties, so charts follow the light and dark schemes and print.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence

from markupsafe import Markup, escape

FONT_SIZE = 13
"""Text size, in SVG units (about pixels at the page's full width)."""

CHAR_WIDTH = 7.2
"""Average width of a character at :data:`FONT_SIZE`, to fit labels without measuring them."""


class Drawing:
    """An SVG picture being drawn: elements are appended in order, then :meth:`finish` ed."""

    def __init__(self, width: float, height: float) -> None:
        self.width = width
        self.height = height
        self.parts: list[str] = []

    def add(self, markup: str) -> None:
        """Append an element already made safe (by the methods below)."""
        self.parts.append(markup)

    def rect(
        self, x: float, y: float, width: float, height: float, *, cls: str, title: str = ""
    ) -> None:
        """Draw a rectangle; ``title`` is its tooltip (:func:`_element`)."""
        attributes = f'x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}"'
        self.add(_element("rect", cls, attributes, title))

    def circle(self, x: float, y: float, r: float, *, cls: str, title: str = "") -> None:
        """Draw a dot; ``title`` is its tooltip (:func:`_element`)."""
        self.add(_element("circle", cls, f'cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}"', title))

    def line(self, x1: float, y1: float, x2: float, y2: float, *, cls: str) -> None:
        """Draw a line."""
        self.add(
            f'<line class="{escape(cls)}" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"/>'
        )

    def text(self, x: float, y: float, text: str, cls: str = "", *, anchor: str = "start") -> None:
        """Write a label (escaped); ``anchor`` is ``start``, ``middle`` or ``end``."""
        attributes = f' class="{escape(cls)}"' if cls else ""
        if anchor != "start":
            attributes += f' text-anchor="{escape(anchor)}"'
        self.add(f'<text x="{_n(x)}" y="{_n(y)}"{attributes}>{escape(text)}</text>')

    def link(self, url: str) -> None:
        """Open a link around what follows, up to :meth:`end_link`."""
        self.add(f'<a href="{escape(url)}">')

    def end_link(self) -> None:
        """Close the link :meth:`link` opened."""
        self.add("</a>")

    def finish(self, chart_id: str, title: str, description: str) -> Markup:
        """Return the SVG element: ``role="img"``, its title and description first."""
        head = (
            f'<svg class="pmkb-chart__svg" viewBox="0 0 {_n(self.width)} {_n(self.height)}" '
            f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
            f'xmlns="http://www.w3.org/2000/svg" font-size="{FONT_SIZE}">'
            f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
            f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        )
        # One line: a blank line inside would end the page's HTML block (see _macros.md.j2).
        return Markup(head + "".join(self.parts) + "</svg>")  # noqa: S704  (escaped above)


def nice_ticks(top: float, count: int = 5) -> list[int]:
    """Return whole-number ticks from 0 to at least ``top``: 0, 1, 2 ... or 0, 5, 10 ..."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return list(range(0, math.ceil(top / step) * step + 1, step))


def every_nth(count: int, room: float, label_width: float) -> int:
    """Return n so that labelling every n-th of ``count`` slots in ``room`` never overlaps."""
    if count <= 0:
        return 1
    fits = max(1, int(room // max(label_width, 1.0)))
    return max(1, math.ceil(count / fits))


def fit(text: str, width: float) -> str:
    """Return ``text`` cut with an ellipsis to about ``width`` SVG units."""
    most = max(1, int(width // CHAR_WIDTH))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def spread(key: str, slots: int) -> int:
    """Return a stable slot in ``range(slots)`` for a key (jitter that never changes)."""
    return zlib.crc32(key.encode("utf-8")) % slots


def plural(count: int, one: str, many: str | None = None) -> str:
    """Return ``1 incident`` / ``3 incidents``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def join_words(items: Sequence[str]) -> str:
    """Return ``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _n(value: float) -> str:
    """Return a coordinate with at most one decimal, no trailing zeros (smaller pages)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _element(name: str, cls: str, attributes: str, title: str) -> str:
    """Return a mark of a chart, its ``title`` in ``data-pmkb-tip``.

    pmkb.js makes that the mark's ``<title>`` (the browser's tooltip) when the mouse first
    comes over it. With a ``<title>`` written into each mark, Chromium's time to open a page
    grew faster than its marks: the insights page of 10,000 incidents (10,479 marks) took 47 s
    here, and 1.5-1.9 s without them. A screen reader loses nothing: the chart is one image
    (``role="img"``), named by its title and description, its data in the table below it.
    """
    tip = f' data-pmkb-tip="{escape(title)}"' if title else ""
    return f'<{name} class="{escape(cls)}" {attributes}{tip}/>'
