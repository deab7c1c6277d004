"""Where an incident says the words that gave it a failure theme, quoted for a reader.

A theme's trigger is a vocabulary cue (``reverting the``, ``at once``, ``データ損失``): alone it
reads like a fragment. :func:`quote_triggers` finds the place in the incident's own text that the
cue matched (on word stems, as the linking matches it, so the cue ``certificate expired`` finds
"certificates expired") and returns the phrase as the incident wrote it with a few words on each
side: "…before **reverting the** rotation, which fixed…". A cue found nowhere the reader can see
(in a code span, say) is shown as the cue itself.

The search reads the texts the linking read, in the order a reader meets them (title, summary,
impact, then lessons, mistakes, causes, factors, action items, then other prose) and stops at the
first match. An :class:`IncidentText` reads (stems) each text once, and only as far as a search
has needed so far: the quotes of all of an incident's themes share one, so an incident is read
at most once per page however many themes it has.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from generator.links.tokens import stem_words, stems
from generator.models import Postmortem

CONTEXT_CHARS = 48
"""About how many characters of context a quote keeps on each side of the phrase."""

JAPANESE_CONTEXT_CHARS = 16
"""The same for Japanese text, which says more per character."""

MAX_QUOTES = 2
"""How many triggers of one theme an incident quotes (the strongest evidence comes first)."""

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# Only words that start with a letter can be vocabulary (as in :func:`stems`); a run of digits
# never holds a letter, so skipping it finds the same words.
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_LOWER_WORD = re.compile(r"[a-z][a-z0-9]*")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_MARKUP = re.compile(r"[*`]|^\s*(?:[-+]|\d+\.)\s+|^#+\s*|\|", re.MULTILINE)
_BLOCK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-+*]|\d+\.)\s)")


@dataclass(frozen=True, slots=True, kw_only=True)
class TriggerQuote:
    """An incident's own words around a theme's triggers, the triggering phrases marked."""

    parts: tuple[tuple[str, bool], ...]
    """The quote in pieces, each with whether it is a triggering phrase (as the incident wrote
    it, or the vocabulary cue when no text shows it); an ellipsis marks text left out."""


class IncidentText:
    """An incident's texts, each read (its words stemmed) when a search first gets to it."""

    def __init__(self, postmortem: Postmortem) -> None:
        self._unread: Iterator[str] | None = _texts(postmortem)
        self._texts: list[_Text] = []

    def text(self, number: int) -> _Text | None:
        """Return the incident's ``number``-th text (None past the last)."""
        while len(self._texts) <= number and self._unread is not None:
            block = next(self._unread, None)
            if block is None:
                self._unread = None
                break
            self._texts.append(_read(block))
        return self._texts[number] if number < len(self._texts) else None

    def find(self, trigger: str) -> tuple[int, tuple[int, int]] | None:
        """Return the first text that says a trigger and where it says it (start, end)."""
        number = 0
        while (text := self.text(number)) is not None:
            span = _find(text, trigger)
            if span is not None:
                return number, span
            number += 1
        return None


def quote_triggers(
    postmortem: Postmortem,
    triggers: tuple[str, ...],
    limit: int = MAX_QUOTES,
    *,
    reader: IncidentText | None = None,
) -> tuple[TriggerQuote, ...]:
    """Return up to ``limit`` quotes of a theme's triggers, each where the incident says it.

    Triggers found in the words another quote already shows are marked in that quote. Pass the
    ``reader`` of an earlier call for the same incident to spare reading its texts again.
    """
    if not triggers:
        return ()
    texts = reader if reader is not None else IncidentText(postmortem)
    places: list[_Place] = []
    for trigger in triggers:
        found = texts.find(trigger)
        if found is None:
            places.append(
                _Place(text=trigger, start=0, end=len(trigger), marks=[(0, len(trigger))])
            )
        else:
            number, (start, end) = found
            shown = next(
                (p for p in places if p.block == number and p.start <= start and end <= p.end),
                None,
            )
            if shown is not None:
                if all(end <= s or e <= start for s, e in shown.marks):
                    shown.marks.append((start, end))
                continue
            places.append(_window(_text_of(texts, number), number, start, end))
        if len(places) == limit:
            break
    return tuple(place.quote() for place in places)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Text:
    """One paragraph or item of an incident, as plain text, with its words stemmed once."""

    text: str
    """The plain text."""
    stems: tuple[str, ...]
    """The stem of each word that can be vocabulary, in order (where each is: :func:`_span`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Place:
    """A window of one text being quoted, while the triggers are looked for."""

    text: str
    """The text the window is in."""
    start: int
    """Where the window starts in it."""
    end: int
    """Where it ends."""
    marks: list[tuple[int, int]]
    """The triggering phrases in the window (start, end)."""
    block: int = -1
    """Which text it is (-1: a cue no text shows)."""

    def quote(self) -> TriggerQuote:
        parts: list[tuple[str, bool]] = []
        at = self.start
        for start, end in sorted(self.marks):
            parts += [(self.text[at:start], False), (self.text[start:end], True)]
            at = end
        parts.append((self.text[at : self.end], False))
        if self.start > 0:
            parts.insert(0, ("…", False))
        if self.end < len(self.text):
            parts.append(("…", False))
        return TriggerQuote(parts=tuple((text, marked) for text, marked in parts if text))


def _texts(postmortem: Postmortem) -> Iterator[str]:
    """Yield the incident's texts as plain text, in the order a reader meets them."""
    markdowns = [postmortem.title, postmortem.summary, postmortem.impact.text]
    markdowns += [_titled(lesson.title, lesson.text) for lesson in postmortem.lessons]
    markdowns += [
        "\n\n".join(p for p in (m.title, m.what_we_did, m.why_wrong, m.should_have_done) if p)
        for m in postmortem.mistakes
    ]
    markdowns += [_titled(cause.title, cause.text) for cause in postmortem.root_causes]
    markdowns += [factor.text for factor in postmortem.contributing_factors]
    markdowns += [item.text for item in postmortem.action_items]
    markdowns += [p.markdown for section in postmortem.sections for p in section.residual]
    for markdown in markdowns:
        # A quote stays inside one paragraph or list item: the next one says something else.
        for block in _BLOCK.split(markdown):
            if text := _plain(block):
                yield text


def _titled(title: str, text: str) -> str:
    # A long title is the text's first words cut short with "…": the text says it already.
    said = " ".join(title.rstrip("…").split())
    return text if said in " ".join(text.split()) else f"{title}\n\n{text}"


def _text_of(texts: IncidentText, number: int) -> str:
    text = texts.text(number)
    if text is None:  # a text found by :meth:`IncidentText.find` is always there
        raise IndexError(number)
    return text.text


def _plain(markdown: str) -> str:
    # A quote is read as text: link targets, emphasis marks and list markers are not the words.
    # (Most texts have no link: the cheap test spares them a pass; split/join is \s+ → " ".)
    linked = _LINK.sub(r"\1", markdown) if "](" in markdown else markdown
    return " ".join(_MARKUP.sub("", linked).split())


def _read(text: str) -> _Text:
    # Most texts are read and never quoted: where each word is is found for a match only.
    # ASCII text is lower-cased whole, keeping every word where it was; other text is not
    # (``lower`` can make a letter two, or an ASCII letter of one that is not).
    if text.isascii():
        words = _LOWER_WORD.findall(text.lower())
    else:
        words = [word.lower() for word in _WORD.findall(text)]
    return _Text(text=text, stems=stem_words(words))


def _find(text: _Text, trigger: str) -> tuple[int, int] | None:
    """Return where a text says a trigger (start, end), if it does."""
    japanese, wanted = _wanted(trigger)
    if japanese:
        start = text.text.lower().find(trigger.lower())
        return None if start < 0 else (start, start + len(trigger))
    size = len(wanted)
    if not size:
        return None
    # The places of the first word are found in C; only those are compared further.
    said, first, number = text.stems, wanted[0], 0
    while True:
        try:
            number = said.index(first, number)
        except ValueError:
            return None
        if said[number : number + size] == wanted:
            return _span(text.text, number, number + size - 1)
        number += 1


@functools.lru_cache(maxsize=4096)  # a few hundred cues, each looked for in every incident
def _wanted(trigger: str) -> tuple[bool, tuple[str, ...]]:
    """Return whether a trigger is Japanese (found as written), else its words' stems."""
    return (True, ()) if _CJK.search(trigger) else (False, stems(trigger))


def _span(text: str, first: int, last: int) -> tuple[int, int]:
    """Return where the ``first`` to the ``last`` word of :func:`_read`'s text are (start, end)."""
    spans = [match.span() for match in islice(_WORD.finditer(text), first, last + 1)]
    return spans[0][0], spans[-1][1]


def _window(text: str, block: int, start: int, end: int) -> _Place:
    """Return the words around a phrase: a few on each side, no word cut in half."""
    japanese = bool(_CJK.search(text[start:end]))
    context = JAPANESE_CONTEXT_CHARS if japanese else CONTEXT_CHARS
    low, high = max(0, start - context), min(len(text), end + context)
    if not japanese:
        if low > 0 and " " in text[low:start]:
            low = text.index(" ", low, start) + 1
        if high < len(text) and " " in text[end:high]:
            high = text.rindex(" ", end, high)
    return _Place(text=text, start=low, end=high, marks=[(start, end)], block=block)
