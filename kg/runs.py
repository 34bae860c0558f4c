"""Sorted runs: a build's N-Quads in bounded memory, spilled to disk and merged at the end.

Each document's N-Quads arrive sorted (`kg.rdf.quad_lines`). A `Runs` keeps
them in memory up to a threshold (`KG_SPILL_BYTES`, default 64 MB), then
sorts what it holds into one run file and starts again; at the end GNU sort
merges the runs as each exporter reads them (`merged`), or, where there is no
GNU sort, `merge` joins them with `heapq.merge` into one sorted, unique N-Quads
file the exporters stream from. Memory then follows the threshold, not the
corpus; the bytes are those of sorting everything in memory (`kg.rdf.nquads`),
because sorting lines with their newline orders them as without it (a newline
sorts below every character of a line).
"""

from __future__ import annotations

import heapq
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

from .errors import InputError, UsageError

SPILL_ENV = "KG_SPILL_BYTES"
DEFAULT_SPILL = 64 << 20  # N-Quads held per process before a run is written: about 2× that while sorting
NOT_SORTED = "not sorted N-Quads as kg writes them (sort it with LC_ALL=C sort -u, or rebuild the shard)"
FAN_IN = 64  # runs merged at once (open files); more are merged in rounds


def spill_bytes() -> int:
    """The spill threshold: `KG_SPILL_BYTES` (bytes; `1` writes a run per document), else 64 MB."""
    value = os.environ.get(SPILL_ENV, "").strip()
    if not value:
        return DEFAULT_SPILL
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"{SPILL_ENV}={value!r}: give a whole number of bytes, at least 1 (default {DEFAULT_SPILL})")
    return int(value)


def sorted_lines(chunks: list[bytes]) -> list[bytes]:
    """The unique lines, each with its newline, of chunks of N-Quads, sorted; `chunks` is emptied as it is read."""
    lines: list[bytes] = []
    while chunks:
        lines += chunks.pop().splitlines(keepends=True)
    lines.sort()  # each chunk is a sorted run: the sort merges them
    return [line for line, _ in groupby(lines)]


class Runs:
    """N-Quads gathered in memory up to `limit` bytes, then written to `folder` as sorted runs."""

    def __init__(self, folder: Path, name: str, limit: int) -> None:
        self.folder, self.name, self.limit = folder, name, limit
        self.pending: list[bytes] = []
        self.size = 0
        self.paths: list[Path] = []

    def add(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.pending.append(chunk)
        self.size += len(chunk)
        if self.size >= self.limit:
            self.spill()

    def spill(self) -> None:
        """Write what is held as one sorted run (nothing when nothing is held)."""
        if not self.pending:
            return
        path = self.folder / f"{self.name}-{len(self.paths):05d}.run"
        write_lines(path, sorted_lines(self.pending))
        self.paths.append(path)
        self.size = 0

    def in_memory(self) -> bytes | None:
        """All the N-Quads, sorted, when nothing was spilled (a small build stays in memory); else None."""
        if self.paths:
            return None
        return b"".join(sorted_lines(self.pending))


def write_lines(path: Path, lines: Iterable[bytes]) -> None:
    with open(path, "wb", buffering=1 << 20) as f:
        f.writelines(lines)


def _read(path: Path, check: bool = False) -> Iterator[bytes]:
    """The lines of a run; with `check`, an `InputError` where one is below the line before (not a run)."""
    with open(path, "rb", buffering=1 << 16) as f:
        if not check:
            yield from f
            return
        last = b""
        for number, line in enumerate(f, 1):
            if line < last or not line.endswith(b"\n"):
                raise InputError(f"{path}: line {number} is out of order: {NOT_SORTED}")
            last = line
            yield line


def merge(runs: list[Path], target: Path, keep: bool = False) -> None:
    """Merge sorted runs into one sorted file without repeated lines, `FAN_IN` files at a time, in Python: where
    there is no GNU sort (else `merged` streams them), or one run; the runs are removed, unless `keep` (then each
    is also checked to be sorted: files given by a user, Dask's shards)."""
    runs, owned, round_ = list(runs), not keep, 0
    while len(runs) > FAN_IN:
        merged = []
        for i in range(0, len(runs), FAN_IN):
            path = target.with_name(f"{target.name}.{round_}-{i // FAN_IN:05d}.run")
            _merge(runs[i:i + FAN_IN], path, not owned)
            merged.append(path)
        if owned:
            for path in runs:
                path.unlink()
        runs, owned, round_ = merged, True, round_ + 1
    if len(runs) == 1 and owned:
        shutil.move(runs[0], target)  # one run is already sorted and unique
        return
    _merge(runs, target, not owned)
    if owned:
        for path in runs:
            path.unlink()


def streams() -> bool:
    """Whether runs can be merged as they are read (`merged`): where there is GNU sort."""
    return _gnu_sort() is not None


@contextmanager
def merged(runs: list[Path], temporary: Path) -> Iterator[BinaryIO]:
    """The sorted, unique lines of sorted runs, read as GNU sort merges them: the merged file is never written
    (nor its gigabytes read back), and the merge runs beside the reader instead of before it. A sort that
    fails is an `OSError` once its output is read (a reader writes atomically: nothing half-written stays).
    `temporary`: the folder for sort's files when there are more runs than it merges at once."""
    sort = _gnu_sort()
    assert sort, "streams() first"
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen([sort, "-m", "-u", f"--batch-size={FAN_IN}", "-T", str(temporary),
                                    *map(str, runs)], env=_c_locale(), stdout=subprocess.PIPE, stderr=errors)
        try:
            yield process.stdout
        except BaseException:  # the reader stopped (an error, an interruption): so does the sort
            process.kill()
            raise
        finally:
            process.stdout.close()
            code = process.wait()
        if code:
            errors.seek(0)
            raise OSError(1, _failure(code, errors.read()), str(temporary))


def check_sorted(paths: list[Path]) -> None:
    """An `InputError` naming the first file (and line) that is not sorted N-Quads as kg writes them, checked
    by GNU sort (`sort -c`: in C) where there is one, else line by line."""
    sort = _gnu_sort()
    for path in paths:
        if not sort:
            for _ in _read(path, check=True):
                pass
            continue
        done = subprocess.run([sort, "-c", str(path)], env=_c_locale(), capture_output=True, check=False)
        if done.returncode:
            found = re.search(rb":(\d+): disorder", done.stderr)
            if not found:
                raise InputError(f"{path}: {done.stderr.decode(errors='replace').strip()}")
            raise InputError(f"{path}: line {int(found.group(1))} is out of order: {NOT_SORTED}")


def _failure(code: int, error: bytes) -> str:
    """Why a sort failed: its message ("write failed: …: No space left on device"), or the signal that ended it
    (a file size limit: SIGXFSZ)."""
    message = error.decode(errors="replace").strip().removeprefix("sort: ")
    if message:
        return message
    if code == -signal.SIGXFSZ:
        return "File too large"
    return f"sort ended with code {code}"


def sort_into_runs(paths: list[Path]) -> bool:
    """Sort files of N-Quads (a worker's spool: sorted documents one after another) into runs beside them
    (`x.nq` → `x-last.run`, the file removed), by one GNU sort process each, all at once; False, nothing done,
    where there is no GNU sort. The workers' last spools: sorted in parallel, not by the parent alone."""
    sort = _gnu_sort()
    if not sort:
        return False
    started = []
    for path in paths:
        if path.stat().st_size == 0:  # a worker that had just written a run
            path.unlink()
            continue
        started.append((path, subprocess.Popen([sort, "-u", "-S", "256M", "-T", str(path.parent),
                                                "-o", str(path.with_name(f"{path.stem}-last.run")), str(path)],
                                               env=_c_locale(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))
    failed = ""
    for path, process in started:
        _, error = process.communicate()
        if process.returncode:
            failed = failed or _failure(process.returncode, error)
        path.unlink()
    if failed:
        raise OSError(1, failed, str(paths[0].parent))
    return True


def _c_locale() -> dict[str, str]:
    """The environment for GNU sort: the C locale, in which it compares bytes as Python sorts the runs."""
    return {**os.environ, "LC_ALL": "C"}


@cache
def _gnu_sort() -> str | None:
    """The path of GNU sort (its `-m`, `-c` and `--batch-size`), or None."""
    sort = shutil.which("sort")
    if not sort:
        return None
    version = subprocess.run([sort, "--version"], capture_output=True, text=True, check=False)
    return sort if "GNU" in version.stdout else None


def _merge(runs: list[Path], target: Path, check: bool = False) -> None:
    write_lines(target, (line for line, _ in groupby(heapq.merge(*(_read(p, check) for p in runs)))))
