"""pmkb's search index: each word's postings, in small files a query fetches one or two of.

A search at 10,000 postmortems must answer within a tenth of a second and fetch little. Pagefind
answered in 0.2-0.4 s there: its index in pieces that the browser searches one after another.
This index is read by pmkb's search worker (``assets/search-worker.js``) in plain JavaScript:

``index.json``
    ``{"version": 1, "folder": "<hash>", "documents": N, "chunks": [first term, ...]}``; the
    terms, in the order JavaScript sorts strings (UTF-16 code units), are cut into chunks of
    about :data:`CHUNK_BYTES`, and the list gives the first term of each.
``<hash>/terms/<i>.json``
    chunk ``i``: ``{term: [document, score, gap, score, ...]}``, the documents of a term in
    increasing order as gaps from the previous one, each with its BM25 score in tenths.
``<hash>/documents/<n>.json``
    document ``n``: ``{"url", "title", "meta", "text"}``, what a result shows, its snippet
    cut from the text.

The folder is named by a hash of its files, so that a browser never mixes the files of two
builds. A query fetches ``index.json`` once, then the chunks holding its words, scores the
documents in the worker (a few milliseconds for a word in every postmortem) and fetches the
texts of the first screen of results.

Words: text is NFKC-normalised and lower-cased; a word is a run of letters and digits, cut at
:data:`LONGEST_WORD` characters; Japanese and Chinese, written without spaces, are indexed as
overlapping pairs of characters (a query's characters are paired the same way). The worker's
``tokenize`` follows the same rules: change both or neither.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.search_records import SearchRecord

INDEX_FILE = "index.json"
"""The entry of the index, fetched first (never named by a hash: it names the others)."""

CHUNK_BYTES = 48_000
"""About this many bytes of postings per chunk file: one fetch of a few tens of kilobytes."""

LONGEST_WORD = 40
"""Characters of a word that are indexed (a hash or a URL's run of letters is cut here)."""

TITLE_WEIGHT = 5
"""A word in a result's title counts as this many in its text."""

K1 = 1.2
B = 0.75
"""BM25's parameters: how fast repeats of a word stop counting, how much length matters."""

_IDEOGRAPHS = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACED = rf"([^\W_{_IDEOGRAPHS}]{{1,{LONGEST_WORD}}})[^\W_{_IDEOGRAPHS}]*"
_WORDS = re.compile(_SPACED)
_WORDS_AND_RUNS = re.compile(rf"{_SPACED}|([{_IDEOGRAPHS}]+)")
_IDEOGRAPHIC = re.compile(rf"[{_IDEOGRAPHS}]")


def tokenize(text: str) -> list[str]:
    """Return the words of ``text`` as the index holds them (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).lower()
    if not _IDEOGRAPHIC.search(text):
        return _WORDS.findall(text)  # most texts: one pass of the regular expression
    words: list[str] = []
    for word, run in _WORDS_AND_RUNS.findall(text):
        if word:
            words.append(word)
        else:
            words.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return words


class Postings:
    """Each word's documents and counts, gathered one document at a time."""

    def __init__(self) -> None:
        self._documents: dict[str, array[int]] = {}
        self._counts: dict[str, array[int]] = {}
        self.lengths = array("I")
        """Each document's number of words, title included."""

    def add(self, title: str, text: str) -> None:
        """Count the words of the next document."""
        title_words, text_words = tokenize(title), tokenize(text)
        counts = Counter(text_words)
        for word in title_words:
            counts[word] += TITLE_WEIGHT
        number = len(self.lengths)
        self.lengths.append(len(title_words) + len(text_words))
        for word, count in counts.items():
            documents = self._documents.get(word)
            if documents is None:
                documents = self._documents[word] = array("I")
                self._counts[word] = array("I")
            documents.append(number)
            self._counts[word].append(count)

    def encode(self) -> Iterator[tuple[str, str]]:
        """Yield each word, in JavaScript's order, with its postings as JSON."""
        total = len(self.lengths)
        average = sum(self.lengths) / total if total else 1.0
        # Each document's BM25 length factor, once: k1 * (1 - b + b * length / average).
        factors = [K1 * (1 - B + B * length / average) for length in self.lengths]
        for word in sorted(self._documents, key=_javascript_order):
            documents, counts = self._documents[word], self._counts[word]
            idf = math.log(1 + (total - len(documents) + 0.5) / (len(documents) + 0.5))
            flat: list[int] = []
            previous = 0
            for document, count in zip(documents, counts, strict=True):
                score = idf * count * (K1 + 1) / (count + factors[document])
                flat += (document - previous, max(1, round(score * 10)))
                previous = document
            yield word, json.dumps(flat, separators=(",", ":"))


def write_search_index(records: Iterable[SearchRecord], folder: Path) -> None:
    """Write the index of ``records`` into ``folder`` (replaced), as the module docstring says.

    The records are read once, in order, and none is kept: each document is written as it
    comes, and only its words' postings stay. Should reading them fail, nothing is left.
    """
    shutil.rmtree(folder, ignore_errors=True)
    staging = folder / "staging"
    (staging / "terms").mkdir(parents=True)
    (staging / "documents").mkdir()
    digest = hashlib.sha256()
    postings = Postings()
    count = 0
    try:
        for count, record in enumerate(records, start=1):
            postings.add(record.title, record.content)
            document = {"url": record.url, "title": record.title, "meta": record.meta}
            text = {**document, "text": record.content}
            _write(staging / "documents" / f"{count - 1}.json", text, digest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    firsts: list[str] = []
    for number, chunk in enumerate(_cut_into_chunks(postings.encode())):
        firsts.append(chunk[0][0])
        body = "{" + ",".join(f"{json.dumps(w, ensure_ascii=False)}:{p}" for w, p in chunk) + "}"
        digest.update(body.encode("utf-8"))
        (staging / "terms" / f"{number}.json").write_text(body, encoding="utf-8")
    name = digest.hexdigest()[:16]
    staging.rename(folder / name)
    entry = {"version": 1, "folder": name, "documents": count, "chunks": firsts}
    _write(folder / INDEX_FILE, entry, None)


def _cut_into_chunks(words: Iterable[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    chunk: list[tuple[str, str]] = []
    size = 0
    for word, postings in words:
        if chunk and size + len(postings) > CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append((word, postings))
        size += len(postings) + len(word) + 4
    if chunk:
        yield chunk


def _write(path: Path, value: object, digest: hashlib._Hash | None) -> None:
    # A lone surrogate (an odd character reference) cannot be UTF-8: written as "?".
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")
    if digest is not None:
        digest.update(body)
    path.write_bytes(body)


def _javascript_order(word: str) -> bytes:
    """JavaScript compares strings by UTF-16 code units: astral characters sort differently."""
    return word.encode("utf-16-be")
