"""The elements of a postmortem that can recur, read once into words for every linking step.

An :class:`Element` is one lesson, mistake, root cause, contributing factor or action item, with
its place (kind and source line). :func:`read_elements` reads each element's text once into the
stems that the practices (:mod:`generator.links.practices`) and the term weights
(:mod:`generator.links.related`) use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress

from generator.links.tokens import (
    POSTMORTEM_WORDS,
    STEM_CACHE,
    STOP_WORDS,
    cjk_terms,
    plain_words,
    stem,
)
from generator.models import Lesson, Postmortem

_WORD = re.compile(r"[a-z][a-z0-9]*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fffー々]+")

_DROPPED = STOP_WORDS | POSTMORTEM_WORDS | frozenset("abcdefghijklmnopqrstuvwxyz")
"""Words that are no term: stop words, words every postmortem uses, single letters."""

ELEMENT_KINDS = ("lesson", "mistake", "root_cause", "contributing_factor", "action_item")
"""The kinds of element that can recur across incidents, as named in exports."""


@dataclass(frozen=True, slots=True)
class Words:
    """A text read for linking."""

    stems: tuple[str, ...]
    """Every English word's stem, in order, stop words included (for cue phrases)."""
    words: tuple[str, ...]
    """The same words as written (lower-cased), to show which words matched a cue."""
    terms: tuple[str, ...]
    """The terms that weigh: stems without stop words, Japanese bigrams and katakana words."""
    text: str
    """The plain lower-cased text (for Japanese cues)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Element:
    """One element of a postmortem that may say the same thing as one of another incident."""

    kind: str
    """One of :data:`ELEMENT_KINDS`."""
    line: int
    """Source line of the element."""
    text: str
    """The element's text as the author wrote it (Markdown)."""
    words: Words
    """The text read for linking."""
    explicit: bool = False
    """A lesson with ``lessons:`` keys from the front matter: the author grouped it already."""


class WordReader:
    """Reads the texts of one linking pass into words, remembering each distinct word.

    Each word is stemmed and classified once per pass: a text whose words were all seen before
    (most texts, once a few hundred incidents are read) is read by C loops alone (``map``,
    ``compress``), with no Python statement per word.
    """

    def __init__(self) -> None:
        self.surfaces: dict[str, str] = {}
        """Each term's first written form in the pass (``alerting`` for ``alert``)."""
        self._stems: dict[str, str] = {}
        self._weighs: dict[str, bool] = {}

    def read(self, markdown: str) -> Words:
        """Read a Markdown text into stems and terms; note each new term's written form."""
        text = plain_words(markdown)
        words = _WORD.findall(text)
        known = self._stems
        if not all(map(known.__contains__, words)):
            self._learn(words)
        stems = tuple(map(known.__getitem__, words))
        terms = list(compress(stems, map(self._weighs.__getitem__, words)))
        # Most texts have no Japanese: ``isascii`` is a flag of the string, not a scan.
        if not text.isascii():
            surfaces = self.surfaces
            for run in _CJK.findall(text):
                for term in cjk_terms(run):
                    terms.append(term)
                    surfaces.setdefault(term, term)
        return Words(stems, tuple(words), tuple(terms), text)

    def _learn(self, words: list[str]) -> None:
        """Stem the words not seen before; a new term's first written form is the first here."""
        known, weighs, surfaces = self._stems, self._weighs, self.surfaces
        for word in dict.fromkeys(words):
            if word in known:
                continue
            stemmed = known[word] = STEM_CACHE.get(word) or stem(word)
            weighs[word] = word not in _DROPPED
            if weighs[word]:
                surfaces.setdefault(stemmed, word)


def read_elements(postmortem: Postmortem, reader: WordReader) -> tuple[Element, ...]:
    """Return the elements of a postmortem that may recur, in source order."""
    found: list[Element] = []

    def add(kind: str, line: int, text: str, lesson: Lesson | None = None) -> None:
        if text.strip():
            found.append(
                Element(
                    kind=kind,
                    line=line,
                    text=text,
                    words=reader.read(text),
                    explicit=bool(lesson and lesson.tags),
                )
            )

    for lesson in postmortem.lessons:
        add("lesson", lesson.line, _joined(lesson.title, lesson.text), lesson)
    for mistake in postmortem.mistakes:
        parts = (mistake.title, mistake.what_we_did, mistake.why_wrong, mistake.should_have_done)
        add("mistake", mistake.line, "\n".join(p for p in parts if p))
    for cause in postmortem.root_causes:
        add("root_cause", cause.line, _joined(cause.title, cause.text))
    for factor in postmortem.contributing_factors:
        add("contributing_factor", factor.line, factor.text)
    for item in postmortem.action_items:
        add("action_item", item.line, item.text)
    found.sort(key=lambda e: (e.line, ELEMENT_KINDS.index(e.kind)))
    return tuple(found)


def _joined(title: str, text: str) -> str:
    # Most titles are the text's first words (a long one cut short with "…"): only a title the
    # text does not contain is added.
    said = " ".join(title.rstrip("…").split())
    return text if said in " ".join(text.split()) else f"{title}\n{text}"
