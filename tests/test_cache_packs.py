"""The build cache's pack files: every process's entries read back, damage and old entries dropped.

A cold build writes tens of thousands of entries from several processes into a few pack files
(:mod:`generator.cache_packs`). What a build reads back must be exactly what was written last
under each key, whatever happened to the files in between: a process killed mid-record, an entry
that does not unpickle, a symbolic link planted among the packs, the files of an older pmkb.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from generator import cache_packs
from generator.build_cache import BuildCache
from generator.cache_packs import PackReader, append, prune


def packs_in(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pack"))


def close_writer(folder: Path) -> None:
    """End this process's pack, as a build's end does (the next write opens another)."""
    cache_packs._close_writer(folder)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a writer")
def test_entries_written_by_forked_processes_are_all_read_back(tmp_path: Path) -> None:
    append(tmp_path, "parent-before", b"1")
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's report is its exit status
        ok = append(tmp_path, "child", b"2") is not None
        os._exit(0 if ok else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    append(tmp_path, "parent-after", b"3")
    reader = PackReader(tmp_path)
    assert [reader.read(k) for k in ("parent-before", "child", "parent-after")] == [
        b"1",
        b"2",
        b"3",
    ]
    assert len(packs_in(tmp_path)) == 2  # the child wrote a pack of its own, not into the parent's


def test_a_record_cut_short_is_missing_and_those_before_it_are_kept(tmp_path: Path) -> None:
    append(tmp_path, "first", b"a" * 100)
    append(tmp_path, "second", b"b" * 100)
    (pack,) = packs_in(tmp_path)
    with pack.open("r+b") as stream:  # killed in the middle of writing the second record
        stream.truncate(pack.stat().st_size - 10)
    reader = PackReader(tmp_path)
    assert (reader.read("first"), reader.read("second")) == (b"a" * 100, None)


def test_the_newest_record_of_a_key_is_read(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.write("key", b"not a pickle")
    assert BuildCache(tmp_path).get("key") is None  # counted as missing, not trusted
    close_writer(tmp_path)
    BuildCache(tmp_path).put("key", {"made": "again"})
    warm = BuildCache(tmp_path)
    assert (warm.get("key"), warm.hits, warm.misses) == ({"made": "again"}, 1, 0)


def test_prune_keeps_only_what_the_build_used(tmp_path: Path) -> None:
    old = BuildCache(tmp_path)
    old.put("unused", b"x" * 4_000_000)
    old.put("used", "kept")
    old.prune()
    second = BuildCache(tmp_path)
    assert second.get("used") == "kept"
    second.prune()  # "unused" is most of the folder: the live records move to a pack of their own
    third = BuildCache(tmp_path)
    assert (third.get("used"), third.get("unused")) == ("kept", None)
    assert sum(p.stat().st_size for p in packs_in(tmp_path)) < 1000


def test_a_pack_with_nothing_used_is_deleted(tmp_path: Path) -> None:
    first = BuildCache(tmp_path)
    first.put("a", "one")
    first.prune()
    second = BuildCache(tmp_path)
    second.put("b", "two")
    second.prune()  # "a" was not used by this build: its pack goes
    assert len(packs_in(tmp_path)) == 1
    assert (BuildCache(tmp_path).get("a"), BuildCache(tmp_path).get("b")) == (None, "two")


def test_many_packs_are_merged_into_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_packs, "MAX_PACKS", 3)
    used = set()
    for number in range(5):
        cache = BuildCache(tmp_path)
        cache.put(f"key{number}", number)
        used.add(f"key{number}")
        close_writer(tmp_path)
    prune(tmp_path, used)
    assert len(packs_in(tmp_path)) == 1
    reader = BuildCache(tmp_path)
    assert [reader.get(f"key{n}") for n in range(5)] == list(range(5))


def test_entries_of_an_older_pmkb_are_deleted(tmp_path: Path) -> None:
    old = tmp_path / "ab" / ("ab" + "0" * 62)  # one file per entry, in a two-letter folder
    old.parent.mkdir()
    old.write_bytes(pickle.dumps("old"))
    leftover = tmp_path / ".tmp-123-abc"
    leftover.write_bytes(b"half")
    cache = BuildCache(tmp_path)
    cache.put("new", "entry")
    cache.prune()
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.name for p in packs_in(tmp_path)]


def test_a_symbolic_link_among_the_packs_is_neither_read_nor_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    append(elsewhere, "planted", b"from outside")
    (outside,) = packs_in(elsewhere)
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "link.pack").symlink_to(outside)
    assert PackReader(folder).read("planted") is None
    prune(folder, used={"planted"})
    assert not (folder / "link.pack").exists()  # the link is gone, what it named is not
    assert outside.is_file() and PackReader(elsewhere).read("planted") == b"from outside"


def test_a_folder_that_cannot_be_written_is_skipped(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    cache = BuildCache(blocked / "pages")
    cache.put("key", "value")  # no error: the cache only ever saves time
    assert BuildCache(blocked / "pages").get("key") is None


def test_a_merge_that_fails_keeps_the_packs_and_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = BuildCache(tmp_path)
    first.put("kept", "value")
    first.prune()

    def disk_full(folder: Path, live: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_packs, "MAX_PACKS", 0)  # every prune merges
    monkeypatch.setattr(cache_packs, "_copy_into_one_pack", disk_full)
    second = BuildCache(tmp_path)
    assert second.get("kept") == "value"
    second.prune()  # no error: the build that asked goes on
    assert BuildCache(tmp_path).get("kept") == "value"
