"""Where an incident says the words that gave it a failure theme, quoted for a reader.

A theme's trigger is a vocabulary cue (``reverting the``, ``at once``, ``データ損失``): alone it
reads like a fragment. :func:`quote_triggers` finds the place in the incident's own text that the
cue matched (on word stems, as the linking matches it, so the cue ``certificate expired`` finds
"certificates expired") and returns the phrase as the incident wrote it with a few words on each
side: "…before **reverting the** rotation, which fixed…". A cue found nowhere the reader can see
(in a code span, say) is shown as the cue itself.

The search reads the texts the linking read, in the order a reader meets them (title, summary,
impact, then lessons, mistakes, causes, factors, action items, then other prose) and stops at the
first match: linear in the incident's length, once per theme the incident has.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.links.tokens import stem, stems
from generator.models import Postmortem

CONTEXT_CHARS = 48
"""About how many characters of context a quote keeps on each side of the phrase."""

JAPANESE_CONTEXT_CHARS = 16
"""The same for Japanese text, which says more per character."""

MAX_QUOTES = 2
"""How many triggers of one theme an incident quotes (the strongest evidence comes first)."""

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*|[0-9]+%?")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_MARKUP = re.compile(r"[*`<>]|^\s*(?:[-+]|\d+\.)\s+|^#+\s*|\|", re.MULTILINE)
_SPACE = re.compile(r"\s+")
_BLOCK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-+*]|\d+\.)\s)")


@dataclass(frozen=True, slots=True, kw_only=True)
class TriggerQuote:
    """A theme's trigger as an incident said it, with the words around it."""

    before: str
    """The words before the phrase (starting with an ellipsis when the text goes on)."""
    phrase: str
    """The phrase as the incident wrote it, or the vocabulary cue when no text shows it."""
    after: str
    """The words after the phrase (ending with an ellipsis when the text goes on)."""


def quote_triggers(
    postmortem: Postmortem, triggers: tuple[str, ...], limit: int = MAX_QUOTES
) -> tuple[TriggerQuote, ...]:
    """Return up to ``limit`` of a theme's triggers, each quoted where the incident says it."""
    quotes: list[TriggerQuote] = []
    for trigger in triggers:
        quote = next(
            (found for text in _texts(postmortem) if (found := _find(text, trigger))), None
        )
        quote = quote or TriggerQuote(before="", phrase=trigger, after="")
        # Two cues of one stem (``config change``, ``config changes``) find the same place.
        if quote not in quotes:
            quotes.append(quote)
        if len(quotes) == limit:
            break
    return tuple(quotes)


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
    return text if title.strip() in text else f"{title}\n\n{text}"


def _plain(markdown: str) -> str:
    # A quote is read as text: link targets, emphasis marks and list markers are not the words.
    return _SPACE.sub(" ", _MARKUP.sub("", _LINK.sub(r"\1", markdown))).strip()


def _find(text: str, trigger: str) -> TriggerQuote | None:
    if not text:
        return None
    if _CJK.search(trigger):
        start = text.lower().find(trigger.lower())
        if start < 0:
            return None
        return _quote(text, start, start + len(trigger), JAPANESE_CONTEXT_CHARS)
    wanted = stems(trigger)
    if not wanted:
        return None
    # Words that start with a digit are not vocabulary (as in :func:`stems`).
    words = [match for match in _WORD.finditer(text) if not match.group()[0].isdigit()]
    found = [stem(match.group().lower()) for match in words]
    size = len(wanted)
    for number in range(len(found) - size + 1):
        if tuple(found[number : number + size]) == wanted:
            end = words[number + size - 1].end()
            return _quote(text, words[number].start(), end, CONTEXT_CHARS)
    return None


def _quote(text: str, start: int, end: int, context: int) -> TriggerQuote:
    before = text[max(0, start - context) : start]
    after = text[end : end + context]
    japanese = bool(_CJK.search(text[start:end]))
    if start > context:
        # Cut at a word boundary, so no word is quoted in half.
        before = "…" + (before if japanese else before.split(" ", 1)[-1])
    if end + context < len(text):
        after = (after if japanese else after.rsplit(" ", 1)[0]) + "…"
    return TriggerQuote(before=before, phrase=text[start:end], after=after)
