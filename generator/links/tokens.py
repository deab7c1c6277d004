"""Words of a text, as the linking layer compares them: stems for English, bigrams for Japanese.

Postmortems mix English prose, code, URLs and Japanese. :func:`tokenize` turns a Markdown text
into comparable terms:

* Latin words are lower-cased and reduced to their Snowball (Porter 2) stem (PyStemmer, the
  Snowball project's C stemmers), so that *alerting*, *alerts* and *alerted* meet; stop words,
  words every postmortem uses and words of one letter are dropped;
* Japanese has no spaces between words, so a run of kanji or kana becomes its overlapping
  character bigrams (``設定変更`` → ``設定``, ``定変``, ``変更``), the usual way search engines
  index it without a dictionary; a katakana run (a loan word such as ``アラート``) is also kept
  whole;
* URLs, inline code spans and Markdown markers are dropped: they name things, they do not say
  what happened.

The stems of a text are cached per word, so that a knowledge base of any size stems each distinct
word once.
"""

from __future__ import annotations

import re
from typing import cast

import Stemmer  # type: ignore[import-not-found]

_URL = re.compile(r"https?://\S+|www\.\S+")
_CODE = re.compile(r"`[^`\n]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
# Latin words (with inner apostrophes or hyphens split off), digits kept apart; CJK runs apart.
_WORD = re.compile(r"[a-z][a-z0-9]*|[0-9]+%?")
_KATAKANA = re.compile(r"[\u30a0-\u30ffー]{2,}")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fffー々]+")

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing done down during each either etc
    few for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just let me more most much my myself no nor not now of off on once
    only or other our ours ourselves out over own per same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up
    upon us very via was we were what when where which while who whom why will with would you
    your yours yourself yourselves
    am pm utc gmt pst pdt est edt cet cest bst jst ist january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    """.split()  # noqa: SIM905
)
"""English words too common to say anything about an incident (time words included: that two
incidents were written in UTC or happened on a Tuesday links nothing)."""

POSTMORTEM_WORDS = frozenset(
    """
    incident incidents outage outages postmortem postmortems post mortem issue issues problem
    problems impact impacted user users customer customers service services team teams cause
    caused causes root fix fixed resolved resolve resolution time minutes minute hours hour
    day days while lesson lessons learned action actions item items summary timeline
    """.split()  # noqa: SIM905
)
"""Words every postmortem uses: two incidents are not related because both were outages that
hit users. Dropped like stop words, whatever the size of the knowledge base (a small one cannot
learn from document frequencies that they say nothing)."""

_JAPANESE_STOP = frozenset(
    {
        "する",
        "した",
        "して",
        "され",
        "れた",
        "ている",
        "いる",
        "ため",
        "こと",
        "もの",
        "よう",
        "ない",
    }
)

_STEMMER = Stemmer.Stemmer("english")


STEM_CACHE: dict[str, str] = {}
"""Stems of the words seen so far: each distinct word is stemmed once per process."""


def stem(word: str) -> str:
    """Return the Snowball stem of a lower-case English word (each word stemmed once)."""
    found = STEM_CACHE.get(word)
    if found is None:
        found = STEM_CACHE[word] = _STEMMER.stemWord(word)
        if len(STEM_CACHE) > 500_000:  # a bound on memory for a process that lives long (serve)
            STEM_CACHE.clear()
    return found


def stem_words(words: list[str]) -> tuple[str, ...]:
    """Return the stems of lower-case English words, as :func:`stem` gives each."""
    # Looked up in C for the many words stemmed before; the others one by one.
    found = tuple(map(STEM_CACHE.get, words))
    return tuple(map(stem, words)) if None in found else cast(tuple[str, ...], found)


def plain_words(markdown: str) -> str:
    """Return a Markdown text lower-cased, without URLs, code spans and link targets."""
    # Most texts have no link, URL or code: the cheap test spares them three regex passes.
    text = _LINK_TARGET.sub("]", markdown) if "](" in markdown else markdown
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "`" in text:
        text = _CODE.sub(" ", text)
    return text.lower()


def tokenize(markdown: str) -> list[str]:
    """Return the terms of a text in order: English stems, Japanese bigrams and katakana words."""
    text = plain_words(markdown)
    terms: list[str] = []
    for word in _WORD.findall(text):
        if len(word) < 2 or word in STOP_WORDS or word in POSTMORTEM_WORDS or word[0].isdigit():
            continue
        terms.append(stem(word))
    for run in _CJK.findall(text):
        terms.extend(cjk_terms(run))
    return terms


def cjk_terms(run: str) -> list[str]:
    """Return the terms of a run of Japanese characters: its bigrams and its katakana words."""
    terms = [run[i : i + 2] for i in range(len(run) - 1)]
    terms = [term for term in terms if term not in _JAPANESE_STOP]
    terms.extend(word for word in _KATAKANA.findall(run) if len(word) > 2)
    if len(run) == 1 and "\u4e00" <= run <= "\u9fff":
        terms.append(run)
    return terms


def stems(words: str) -> tuple[str, ...]:
    """Return the stems of a phrase of vocabulary (``"run out"`` → ``("run", "out")``).

    Unlike :func:`tokenize`, stop words are kept: a vocabulary phrase means its exact words.
    """
    return tuple(stem(word) for word in _WORD.findall(words.lower()) if not word[0].isdigit())
