"""Heading vocabulary: which words name which section, and which labels name which field.

Teams write "Lessons Learnt", "How'd we do?", "### 🔥 ROOT CAUSE:", "## 1. Summary",
"Timeline (UTC)" and "教訓". Headings are normalised (markup, numbering, emoji, parentheses,
trailing punctuation and time zones removed, case folded, full-width forms made half-width) and
looked up exactly, then by leading or trailing words, then forgiving one typo. The built-in
vocabulary (:mod:`.words`) covers ``../shared/design/formats.md`` in English, Japanese, Chinese,
Korean, German, French, Spanish and Portuguese; a knowledge base adds its own synonyms in
``mkdocs.yml`` (``headings:`` under the plugin), which take precedence.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.models import SectionKind
from generator.parse.labels import FIELDS
from generator.parse.text import plain_text, strip_numbering, strip_symbols
from generator.parse.words import merged

DEFAULT_HEADINGS: Mapping[SectionKind, tuple[str, ...]] = merged()
"""The built-in heading words of every language (see :mod:`.words`)."""
DEFAULT_FIELDS: Mapping[str, tuple[str, ...]] = FIELDS
"""The built-in field labels (see :mod:`.words`)."""

_PARENTHETICAL = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_TRAILING = re.compile(r"[\s:?!.。：？！,;-]+$")
_TIMEZONE = re.compile(
    r"\s+(?:in\s+|all times\s+(?:in\s+)?)?(?:utc|gmt|z|[pmce][sd]t|cest|[ce]et|eest|bst|ist|jst"
    r"|kst|aest|aedt|hst|akst|akdt|nzst|nzdt)$"
)
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=4096)  # each heading is looked up as a kind and as a field
def normalize_heading(text: str) -> str:
    """Return a heading reduced to the words that name it (see the module docstring)."""
    text = unicodedata.normalize("NFKC", plain_text(text))
    text = strip_numbering(strip_symbols(text).strip()).lower()
    text = _PARENTHETICAL.sub("", text)
    text = _TRAILING.sub("", text)
    text = _TIMEZONE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def parenthetical(text: str) -> str:
    """Return the words in parentheses of a heading (``予防（Prevent）`` → ``prevent``)."""
    found = re.findall(r"[(\[]([^)\]]*)[)\]]", unicodedata.normalize("NFKC", text))
    return " ".join(found).strip().lower()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Heading synonyms and field labels, ready for lookups."""

    headings: Mapping[str, SectionKind]
    """Normalised heading → kind."""
    fields: Mapping[str, str]
    """Normalised label → canonical field name."""
    by_length: Mapping[int, tuple[str, ...]]
    """Synonyms of eight characters or more by length, for the one-typo lookup."""
    classified: dict[str, SectionKind | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    """What :meth:`classify` said of each heading so far (headings recur from postmortem to
    postmortem; at most :data:`_REMEMBERED`)."""

    @classmethod
    def build(cls, extra: Mapping[str, tuple[str, ...]] | None = None) -> Vocabulary:
        """Return the built-in vocabulary with ``extra`` synonyms (kind → headings) on top."""
        headings: dict[str, SectionKind] = {}
        for kind, words in DEFAULT_HEADINGS.items():
            for word in words:
                headings[normalize_heading(word)] = kind
        for kind_name, words in (extra or {}).items():
            for word in words:
                headings[normalize_heading(word)] = SectionKind(kind_name)
        fields = {
            normalize_heading(label): name
            for name, labels in DEFAULT_FIELDS.items()
            for label in labels
        }
        long_words: dict[int, list[str]] = {}
        for word in headings:
            if len(word) >= 8:
                long_words.setdefault(len(word), []).append(word)
        by_length = {length: tuple(words) for length, words in long_words.items()}
        return cls(headings=headings, fields=fields, by_length=by_length)

    def classify_exact(self, heading: str) -> SectionKind | None:
        """Return the kind a heading names word for word (after normalising), or None."""
        return self.headings.get(normalize_heading(heading))

    def classify(self, heading: str) -> SectionKind | None:
        """Return the kind a heading names, or None when it names none.

        Exact synonyms first; then the longest synonym that starts or ends the heading on a word
        boundary ("Root Cause of the Outage", "Final Resolution"; any boundary in CJK text);
        then a synonym of eight letters or more one typo away ("Appendinx").
        """
        if heading in self.classified:
            return self.classified[heading]
        if len(self.classified) >= _REMEMBERED:
            self.classified.clear()
        kind = self.classified[heading] = self._classify(heading)
        return kind

    def _classify(self, heading: str) -> SectionKind | None:
        key = normalize_heading(heading)
        if not key:
            return None
        kind = self.headings.get(key)
        if kind is not None:
            return kind
        for affix in _affixes(key):
            kind = self.headings.get(affix)
            # A short word at the edge of a heading says little ("Findings During Fix").
            if kind is not None and (len(affix) >= 5 or not affix.isascii()):
                return kind
        if len(key) >= 7:
            for length in (len(key) - 1, len(key), len(key) + 1):
                for word in self.by_length.get(length, ()):
                    if _within_one_edit(key, word):
                        return self.headings[word]
        return None

    def field_name(self, label: str) -> str | None:
        """Return the canonical field a label names (``Created By`` → ``authors``), or None."""
        return self.fields.get(normalize_heading(label))


_REMEMBERED = 4096
_MAX_WORDS = 8
_MAX_CHARACTERS = 16


def _affixes(key: str) -> list[str]:
    """Return the leading and trailing word runs of a heading, longest first.

    Text without spaces (CJK) is cut at every character instead.
    """
    if " " in key or key.isascii():
        words = key.split(" ")
        reach = min(len(words), _MAX_WORDS)  # no synonym is longer: a pasted paragraph as a
        runs = [" ".join(words[:n]) for n in range(1, reach)]  # heading stays linear
        runs += [" ".join(words[-n:]) for n in range(1, reach) if n < len(words)]
    else:
        reach = min(len(key), _MAX_CHARACTERS)
        runs = [key[:n] for n in range(2, reach)] + [key[-n:] for n in range(2, reach)]
    return sorted(runs, key=len, reverse=True)


def _within_one_edit(a: str, b: str) -> bool:
    """Whether one insertion, deletion or substitution turns ``a`` into ``b``."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return a[index + (len(a) == len(b)) :] == b[index + 1 :]
    return True
