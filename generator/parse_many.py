"""Parsing many postmortems: from the build cache when it has them, on every core when not.

The result is the same as parsing each file in turn with :func:`generator.parse.parse_file`, in
the same order: only where the time goes changes. Files the cache has a result for are not
parsed; the others are parsed in worker processes when there are enough of them to pay for the
processes, else here. Workers take the files in shares of :data:`SHARE` and send back each
share's models pickled, having written the same bytes into the cache: this process only reads
them, share by share while the workers go on (it used to wait for all, then pickle each model
again for the cache, alone: a tenth of a cold build at 10,000 postmortems).
"""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from multiprocessing import get_context
from pathlib import Path

from generator.build_cache import BuildCache, make_key
from generator.collector import paused_collection
from generator.errors import Diagnostic, Location, Severity
from generator.interrupts import holding_interrupts, ignore_interrupts
from generator.parse import ParseResult, Vocabulary, parse_file
from generator.stopping import check_stop

PARALLEL_FROM = 200
"""Fewer files than this to parse are parsed in this process (a worker costs ~0.1 s)."""

SHARE = 50
"""Files a worker parses at a time: their models come back together."""


@paused_collection()
def parse_files(
    files: Sequence[tuple[Path, str]],
    *,
    headings: Mapping[str, tuple[str, ...]],
    cache: BuildCache | None = None,
) -> list[ParseResult]:
    """Parse each ``(path, shown path)``; return the results in the order given.

    Parsing makes no reference cycles: the cycle collector is paused meanwhile, here and in the
    workers (:mod:`generator.collector`).
    """
    settings_key = json.dumps({k: list(v) for k, v in sorted(headings.items())})
    results: list[ParseResult | None] = [None] * len(files)
    keys: list[str | None] = [None] * len(files)
    missing: list[int] = []
    for number, (path, shown) in enumerate(files):
        if cache is not None:
            try:
                data = path.read_bytes()
            except OSError:
                data = None  # parse_file reports why
            if data is not None:
                keys[number] = make_key("parsed", settings_key, shown, path.stem, data)
                cache.fingerprints[shown] = keys[number] or ""
                found = cache.get(keys[number] or "")
                if isinstance(found, ParseResult):
                    results[number] = found
                    continue
        missing.append(number)
    todo = [files[number] for number in missing]
    workers = _workers(missing)
    if workers <= 1:
        parsed = _parse_share(todo, dict(headings))
        for number, result in zip(missing, parsed, strict=True):
            results[number] = result
            key = keys[number]
            if cache is not None and key is not None:
                cache.put(key, result)
    else:
        folder = cache.folder if cache is not None else None
        shares = _parse_on_cores(todo, dict(headings), [keys[n] for n in missing], folder, workers)
        for number, result in zip(missing, shares, strict=True):
            results[number] = result
            key = keys[number]
            if cache is not None and key is not None:
                cache.keep(key, result)  # its file is written by the worker
    return [result for result in results if result is not None]


def _workers(missing: Sequence[int]) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if len(missing) < PARALLEL_FROM or not cores or cores < 2:
        return 1
    return min(cores, 4)


def _parse_on_cores(
    files: Sequence[tuple[Path, str]],
    headings: dict[str, tuple[str, ...]],
    keys: Sequence[str | None],
    folder: Path | None,
    workers: int,
) -> Iterator[ParseResult]:
    """Yield the results of parsing ``files`` in worker processes, in order, as they come."""
    spans = range(0, len(files), SHARE)
    context = get_context("fork") if hasattr(os, "fork") else get_context()
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=ignore_interrupts
    ) as pool:
        with holding_interrupts():  # the workers start as the shares are handed out
            parts = pool.map(
                _parse_pickled,
                (files[start : start + SHARE] for start in spans),
                repeat(headings),
                (keys[start : start + SHARE] for start in spans),
                repeat(folder),
            )
        for part in parts:
            check_stop()  # a build that is no longer needed ends here (pmkb serve)
            yield from (pickle.loads(data) for data in part)  # noqa: S301 - from our worker


def _parse_pickled(
    files: Sequence[tuple[Path, str]],
    headings: dict[str, tuple[str, ...]],
    keys: Sequence[str | None],
    folder: Path | None,
) -> list[bytes]:
    """Parse a share in a worker: each result pickled once, for the cache and to send back."""
    cache = BuildCache(folder) if folder is not None else None
    pickled = []
    for result, key in zip(_parse_share(files, headings), keys, strict=True):
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        if cache is not None and key is not None:
            cache.write(key, data)
        pickled.append(data)
    return pickled


def _parse_share(
    files: Sequence[tuple[Path, str]], headings: dict[str, tuple[str, ...]]
) -> list[ParseResult]:
    vocabulary = _VOCABULARIES.get(repr(headings))
    if vocabulary is None:  # built once per process, not once per share
        vocabulary = _VOCABULARIES[repr(headings)] = Vocabulary.build(headings)
    return [_parse_one(path, shown, vocabulary) for path, shown in files]


_VOCABULARIES: dict[str, Vocabulary] = {}
"""The heading vocabulary of each knowledge base's settings this process parsed for."""


def _parse_one(path: Path, shown: str, vocabulary: Vocabulary) -> ParseResult:
    try:
        return parse_file(path, vocabulary=vocabulary, display=shown)
    except Exception as error:  # a bug must not take the others down
        problem = Diagnostic(
            location=Location(path=shown, line=1),
            code="PMK001",
            severity=Severity.ERROR,
            message=f"pmkb failed to read this file ({error!r}); report it",
        )
        return ParseResult(postmortem=None, diagnostics=(problem,))
