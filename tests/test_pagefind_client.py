"""The Pagefind service as pmkb drives it: an index is on disk, whole, before the site uses it.

Pagefind's service answers "files written" while its last writes may still be in flight, and ends
with ``process::exit`` when its input closes, which drops them: a CI run once served a 0-byte
``wasm.unknown.pagefind`` and every search on the site failed. These tests use the real Pagefind
binary.
"""

from __future__ import annotations

import gzip
import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.pagefind_client import (
    PagefindError,
    PagefindIndexer,
    verify_index,
    wait_for_files_closed,
)


def write_index(folder: Path) -> Path:
    """Index three records with the real Pagefind service; return the index folder."""
    indexer = PagefindIndexer(language="en")
    for number, word in enumerate(("replica lag", "expired certificate", "disk full")):
        indexer.add(url=f"/incidents/{number}/", content=word, meta={"title": word})
    index = folder / "pagefind"
    indexer.start_writing(index)
    indexer.finish_writing()
    return index


def test_an_index_written_by_the_service_is_whole_when_writing_ends(tmp_path: Path) -> None:
    index = write_index(tmp_path)

    compressed = [*index.rglob("*.pf_*"), *index.glob("*.pagefind")]
    assert any(path.suffix == ".pf_fragment" for path in compressed)
    for path in compressed:
        assert gzip.decompress(path.read_bytes()).startswith(b"pagefind_dcd"), path
    assert (index / "pagefind.js").stat().st_size > 0


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda path: path.write_bytes(path.read_bytes()[:-9]), "broken"),
        (lambda path: path.write_bytes(b""), "empty"),
    ],
    ids=["cut short", "empty"],
)
def test_a_compressed_file_cut_short_or_empty_fails_the_index(
    tmp_path: Path, damage: object, named: str
) -> None:
    index = write_index(tmp_path)
    fragment = next(index.rglob("*.pf_fragment"))
    damage(fragment)  # type: ignore[operator]

    with pytest.raises(PagefindError, match=rf"{named} fragment/{fragment.name}.*build again"):
        verify_index(index)


def test_an_empty_script_fails_the_index(tmp_path: Path) -> None:
    index = write_index(tmp_path)
    (index / "pagefind.js").write_bytes(b"")

    with pytest.raises(PagefindError, match=r"empty pagefind\.js"):
        verify_index(index)


def test_a_folder_without_an_index_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pagefind.js").write_text("export {};", encoding="utf-8")

    with pytest.raises(PagefindError, match="no index"):
        verify_index(tmp_path)


def test_waiting_ends_only_when_the_writer_has_closed_its_files(tmp_path: Path) -> None:
    # A process that opens a file in the folder, writes it late, closes it, then lives on (as the
    # service's background writes do): the file is whole when the wait returns.
    target = tmp_path / "index" / "wasm.unknown.pagefind"
    target.parent.mkdir()
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "stream = open(sys.argv[1], 'wb')\n"
            "print('open', flush=True)\n"
            "time.sleep(0.5)\n"
            "stream.write(b'whole'); stream.close()\n"
            "time.sleep(30)\n",
            str(target),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline() == "open\n"
        started = time.monotonic()
        wait_for_files_closed(writer.pid, target.parent, timeout=20)
        assert target.read_bytes() == b"whole"
        assert time.monotonic() - started < 20
    finally:
        writer.kill()
        writer.communicate()


def test_waiting_gives_up_with_a_clear_error_on_a_writer_that_never_closes(
    tmp_path: Path,
) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nstream = open(sys.argv[1], 'wb')\nprint('open', flush=True)\n"
            "time.sleep(30)\n",
            str(tmp_path / "held"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "open\n"
        with pytest.raises(PagefindError, match="still writes"):
            wait_for_files_closed(holder.pid, tmp_path, timeout=0.3)
    finally:
        holder.kill()
        holder.communicate()


def test_a_worker_forked_while_the_service_runs_does_not_keep_it_running(tmp_path: Path) -> None:
    # Page workers are forked while Pagefind indexes; each gets a copy of every descriptor, the
    # service's input too. The service stops at the end of its input: a copy held open by a
    # worker would keep it waiting (it is then stopped by force, after a delay).
    indexer = PagefindIndexer(language="en")
    indexer.add(url="/incidents/1/", content="replica lag", meta={"title": "replica lag"})
    worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(30,))
    worker.start()
    try:
        indexer.start_writing(tmp_path / "pagefind")
        indexer.finish_writing()
        service = indexer._process  # how it ended is what is tested
        assert service.returncode == 0  # it saw the end of its input: not stopped by force
    finally:
        worker.kill()
        worker.join()
