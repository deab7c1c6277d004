"""Parsing many postmortems: from the build cache when it has them, on every core when not.

The result is the same as parsing each file in turn with :func:`generator.parse.parse_file`, in
the same order: only where the time goes changes. Files the cache has a result for are not
parsed; the others are parsed in worker processes when there are enough of them to pay for the
processes (each worker parses a share of the files and sends back their models), else here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from generator.build_cache import BuildCache, make_key
from generator.collector import paused_collection
from generator.errors import Diagnostic, Location, Severity
from generator.parse import ParseResult, Vocabulary, parse_file

PARALLEL_FROM = 200
"""Fewer files than this to parse are parsed in this process (a worker costs ~0.1 s)."""


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
    parsed = _parse(
        [files[number] for number in missing], headings=dict(headings), workers=_workers(missing)
    )
    for number, result in zip(missing, parsed, strict=True):
        results[number] = result
        key = keys[number]
        if cache is not None and key is not None:
            cache.put(key, result)
    return [result for result in results if result is not None]


def _workers(missing: Sequence[int]) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if len(missing) < PARALLEL_FROM or not cores or cores < 2:
        return 1
    return min(cores, 4)


def _parse(
    files: Sequence[tuple[Path, str]], *, headings: dict[str, tuple[str, ...]], workers: int
) -> list[ParseResult]:
    if workers <= 1:
        return _parse_share(list(files), headings)
    # Contiguous shares, one task per worker: a worker builds the vocabulary once, and the
    # results come back in order.
    size = -(-len(files) // workers)
    shares = [list(files[start : start + size]) for start in range(0, len(files), size)]
    context = get_context("fork") if hasattr(os, "fork") else get_context()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        parts = pool.map(_parse_share, shares, [headings] * len(shares))
        return [result for part in parts for result in part]


def _parse_share(
    files: list[tuple[Path, str]], headings: dict[str, tuple[str, ...]]
) -> list[ParseResult]:
    vocabulary = Vocabulary.build(headings)
    return [_parse_one(path, shown, vocabulary) for path, shown in files]


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
