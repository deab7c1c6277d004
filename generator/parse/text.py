"""Small readings of inline Markdown: plain text, bold leads, numbering, first sentences.

These work on the raw inline Markdown of one paragraph, heading or cell (markdown-it's ``inline``
content), with a few regular expressions: block structure is markdown-it's job, but the shape of
one line ("**What we did**: ...", "3. Rollback first") is cheaper to read directly.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)|!?\[([^\]]*)\]\[[^\]]*\]")
_SHORTCUT = re.compile(r"\[([^\]\n]+)\](?![(\[:])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]*)>")
# Underscores inside words (import_state) are not emphasis; asterisks always are.
_EMPHASIS = re.compile(r"\*+|~~|`+|(?<![A-Za-z0-9])_{1,3}|_{1,3}(?![A-Za-z0-9])")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
# A code span: a run of backticks, then anything up to the same run (CommonMark's rule).
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_SPACES = re.compile(r"\s+")
# The characters one of the patterns above needs: a line without any is plain text already.
_MARKUP = re.compile(r"[\[<*~_\\`]")

# "**Label**: rest", "**Label:** rest", "__Label__ - rest", "**Label?**" at the start of a line.
_BOLD_LEAD = re.compile(
    r"^\s*(\*\*|__)(?P<label>[^*_\n]+?)(?P<inner>[:：?？])?\1\s*(?P<outer>[:：\-–—])?\s*"
)
_PLAIN_LABEL = re.compile(r"^\s*(?P<label>[^\W\d][^:：\n]{0,48}?)\s*[:：](?:\s+|$)")
_NUMBERING = re.compile(
    r"^\s*(?:[A-Za-z]+\s*#\d+|#?\d+(?:\.\d+)*)[.):]?\s*[:.\-–—]?\s+|^\s*(?:[IVXivx]+|[A-Za-z])[.)]\s+"
)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s")


@functools.lru_cache(maxsize=4096)  # headings and labels are read by several readers
def plain_text(inline: str, *, tags: bool = True) -> str:
    """Return inline Markdown as plain text: no emphasis, links reduced to their text.

    HTML tags are removed (``tags=False`` keeps them, for values that are no Markdown, such as
    front matter names), except inside code spans: ``Why the `<Suspense>` boundary failed``
    keeps ``<Suspense>``.
    """
    if "`" not in inline:
        return _SPACES.sub(" ", _plain_outside_code(inline, tags=tags)).strip()
    pieces = []
    position = 0
    for match in _CODE_SPAN.finditer(inline):
        pieces.append(_plain_outside_code(inline[position : match.start()], tags=tags))
        pieces.append(match.group(2))
        position = match.end()
    pieces.append(_plain_outside_code(inline[position:], tags=tags))
    return _SPACES.sub(" ", "".join(pieces)).strip()


def _plain_outside_code(inline: str, *, tags: bool) -> str:
    if _MARKUP.search(inline) is None:
        return inline  # none of the patterns below can match: most lines of prose
    text = _LINK.sub(lambda m: m.group(1) or m.group(2) or "", inline)
    text = _SHORTCUT.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    if tags:
        text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    return _ESCAPE.sub(r"\1", text)


def strip_symbols(text: str) -> str:
    """Return text without emoji, pictographs and other symbols (keeps letters of any script)."""
    return "".join(
        char for char in text if unicodedata.category(char) not in ("So", "Sk", "Cf", "Mn", "Co")
    )


def split_bold_lead(inline: str) -> tuple[str, str] | None:
    """Split ``**Label**: rest`` into (label, rest); None when the line has no bold lead.

    A bold lead counts as a label only when followed by a colon, dash or line end, or when it is
    a question (``**What happened?**``): ``**HIGH** do this`` has no label.
    """
    match = _BOLD_LEAD.match(inline)
    if match is None:
        return None
    rest = inline[match.end() :]
    if not (match.group("inner") or match.group("outer") or not rest.strip() or rest[:1] == "\n"):
        return None
    return match.group("label").strip(), rest


def split_plain_label(inline: str) -> tuple[str, str] | None:
    """Split ``Label: rest`` into (label, rest); None when the line does not start so."""
    match = _PLAIN_LABEL.match(inline)
    if match is None or "](" in match.group("label") or "://" in inline[: match.end() + 3]:
        return None
    return match.group("label").strip(), inline[match.end() :]


def strip_numbering(text: str) -> str:
    """Return text without a leading "1.", "1)", "#2:", "Mistake #1:", "I." or "1.2"."""
    match = _NUMBERING.match(text)
    if match is None:
        return text.strip()
    rest = text[match.end() :].strip()
    return rest or text.strip()


def first_sentence(text: str, *, limit: int = 120) -> str:
    """Return the first sentence of plain text, cut at ``limit`` characters on a word."""
    text = text.strip().split("\n", 1)[0]
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def normalize_title(title: str) -> str:
    """Return the key of a lesson title or tag, for matching across incidents.

    Lower case, without markup, numbering, punctuation or filler words, so that ``1. Always
    check the code!`` and ``always-check-code`` match.
    """
    text = unicodedata.normalize("NFKC", strip_numbering(plain_text(title))).casefold()
    words = re.sub(r"[\W_]+", " ", text).split()
    kept = [word for word in words if word not in _STOPWORDS]
    return " ".join(kept or words)


# Words too common to tell two lesson titles apart ("Check the code" = "Check code").
_STOPWORDS = frozenset(
    {"a", "an", "the", "to", "of", "and", "or", "in", "on", "at", "for", "is", "are", "was"}
    | {"were", "be", "been", "it", "its", "this", "that", "these", "those", "with", "by", "as"}
    | {"we", "our", "us", "you", "your"}
)


# Text that holds a place instead of saying something: "", "-", "TBD", "N/A", "{{ summary }}",
# "XXX", "[Date]", "HH:mm", "yyyy-mm-dd", "Not much."
_PLACEHOLDER = re.compile(
    r"[\s\-–—*_.…]*|\{\{[^}]*\}\}|\[[A-Za-z][A-Za-z /&,-]*\]|x{2,}|y{2,}|z{2,}|tb[dc]|n/?a|none"
    r"|nothing|not much|-+|\?+|hh:mm|yyyy-mm-dd|20xx[-\w: ]*",
    re.IGNORECASE,
)


def is_placeholder(text: str) -> bool:
    """Return whether plain text only holds a place (blank, a dash, TBD, {{ x }}, [Date])."""
    return bool(_PLACEHOLDER.fullmatch(text.strip().rstrip(".")))
