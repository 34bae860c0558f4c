"""Interruptions, killed processes and full disks: a store is the old one or the new one, whole; workers end
with their parent; temporary files go; every command says what went wrong in one line."""

import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
KG = [sys.executable, "-m", "kg"]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc, kills processes")


def kg(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=300, **kw)


def kg_here(*args: str) -> None:
    """A run nobody interrupts, in this process (the model is loaded once for all of them)."""
    from typer.testing import CliRunner

    from kg.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


def quads(store: Path) -> set[str]:
    import pyoxigraph

    db = pyoxigraph.Store.read_only(str(store))
    return {str(q) for q in db}


def copies(store: Path) -> list[Path]:
    return list(store.parent.glob(f".{store.name}.kg-*-*"))


def activity(store: Path) -> set[tuple[str, int, int]]:
    """What is on disk at and beside a store: any writer changes it, however it writes."""
    seen = set()
    for folder in (store.parent, store):
        for entry in os.scandir(folder):
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:  # gone since the folder was listed
                continue
            seen.add((entry.path, info.st_size, info.st_mtime_ns))
    return seen


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """A store holding many documents, and two builds of two articles into it: before and after a change."""
    home = tmp_path_factory.mktemp("interrupt")
    kg_here("build", str(CORPUS), "-o", str(home / "a.nq"), "--no-cache", "-q")
    many = re.sub(rb"(/graph/[^>]*)>", rb"\1-copy>", (home / "a.nq").read_bytes())  # other documents, kept
    (home / "many.nq").write_bytes(many)
    first, second = home / "first", home / "second"
    for corpus in first, second:
        corpus.mkdir()
        for f in sorted(CORPUS.glob("*.txt"))[:2]:
            text = f.read_text(encoding="utf-8")
            (corpus / f.name).write_text(text.replace("Thái Nguyên", "Lào Cai") if corpus == second else text,
                                         encoding="utf-8")
    old = home / "old"
    kg_here("load", str(home / "many.nq"), "--store", str(old / "db"))
    kg_here("build", str(first), "-o", str(home / "out.nq"), "--no-cache", "--store", str(old / "db"), "-q")
    new = home / "new"
    shutil.copytree(old, new)
    kg_here("build", str(second), "-o", str(home / "out.nq"), "--no-cache", "--store", str(new / "db"), "-q")
    before, after = quads(old / "db"), quads(new / "db")
    assert before != after and before - after and after - before
    return home, second, old, before, after


def rebuild(home: Path, corpus: Path, store: Path, wait: float, how: signal.Signals) -> subprocess.Popen:
    """`kg build --store`, signalled `wait` seconds after it starts writing at the store (whatever it writes)."""
    still = activity(store)
    building = subprocess.Popen([*KG, "build", str(corpus), "-o", str(home / "out.nq"), "--no-cache",
                                 "--store", str(store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while activity(store) == still and building.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    time.sleep(wait)
    building.send_signal(how)
    return building


@pytest.mark.parametrize("wait", [0.0, 0.03, 0.2])
def test_a_store_rebuild_killed_at_any_point_leaves_the_old_store_or_the_new_one(stores, tmp_path, wait):
    home, second, old, before, after = stores
    shutil.copytree(old, tmp_path / "s")
    store = tmp_path / "s" / "db"
    rebuild(home, second, store, wait, signal.SIGKILL).wait()
    assert quads(store) in (before, after)
    kg_here("build", str(second), "-o", str(home / "out.nq"), "--no-cache", "--store", str(store), "-q")
    assert quads(store) == after and not copies(store)  # the next writer cleans up what the killed one left


def test_an_interrupted_store_rebuild_says_so_and_leaves_the_store_unchanged(stores, tmp_path):
    home, second, old, before, after = stores
    shutil.copytree(old, tmp_path / "s")
    store = tmp_path / "s" / "db"
    building = rebuild(home, second, store, 0.03, signal.SIGINT)
    _, stderr = building.communicate(timeout=60)
    if building.returncode != 0:
        assert building.returncode == 130, stderr
        assert "Traceback" not in stderr and re.search(r"interrupted.*(unchanged|nothing was written)", stderr)
        assert quads(store) == before
    kg_here("build", str(second), "-o", str(home / "out.nq"), "--no-cache", "--store", str(store), "-q")
    assert quads(store) == after and not copies(store)


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_die_with_a_killed_build_and_its_spool_files_are_cleaned_by_the_next(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(8):
        for f in CORPUS.glob("*.txt"):
            (corpus / f"{i}-{f.name}").write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    building = subprocess.Popen([*KG, "build", str(corpus), "-o", str(tmp_path / "out"), "--no-cache",
                                 "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(temp.glob("kg-spool-*/*.nq")):
        time.sleep(0.05)
    workers = children(building.pid)
    assert len(workers) >= 2
    building.kill()
    building.wait()
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(w) for w in workers)
    assert list(temp.glob("kg-spool-*"))  # killed: nothing could clean up…
    few = tmp_path / "few"
    few.mkdir()
    shutil.copy(next(CORPUS.glob("*.txt")), few)
    again = kg("build", str(few), "-o", str(tmp_path / "out2"), "--no-cache", "--workers", "2", "-q", env=env)
    assert again.returncode == 0, again.stderr
    assert not list(temp.glob("kg-spool-*"))  # …the next parallel build did


def limit_file_size(size: int):
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return limit


def test_a_full_disk_is_one_clear_line_from_every_command_and_leaves_nothing_behind(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted(CORPUS.glob("*.txt"))[:2]:
        shutil.copy(f, corpus)
    out = tmp_path / "out"
    kg_here("build", str(corpus), "-o", str(out), "-f", "nq,ttl,html", "--no-cache", "-q")
    previous = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    full = limit_file_size(64 * 1024)
    runs = {
        "build": [*KG, "build", str(corpus), "-o", str(out), "-f", "nq,ttl,html", "--no-cache", "--workers", "2"],
        "view": [*KG, "view", str(out / "graph.nq"), "-o", str(out / "graph.html")],
        "load": [*KG, "load", str(out / "graph.nq"), "--store", str(tmp_path / "db")],
    }
    for name, command in runs.items():
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, preexec_fn=full)
        assert done.returncode == 2, (name, done.stderr)
        assert "Traceback" not in done.stderr and "bug in kg" not in done.stderr, (name, done.stderr)
        assert re.search(r"error: \S+: .*(File too large|No space left)", done.stderr), (name, done.stderr)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == previous  # old files whole, no temp
    assert not list(temp.iterdir())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".db.kg-new")]


def test_a_folder_or_file_that_is_not_a_store_is_refused_and_kept(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("của tôi", encoding="utf-8")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    graph = tmp_path / "g.nt"
    graph.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n", encoding="utf-8")
    for target in (mine, tmp_path / "file"):
        done = kg("load", str(graph), "--store", str(target))
        assert done.returncode == 2 and re.search(r"not an Oxigraph store|not a store folder", done.stderr)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "của tôi" and sorted(mine.iterdir()) == [
        mine / "notes.txt"]
    assert (tmp_path / "file").read_text(encoding="utf-8") == "x"


def test_a_store_that_is_a_mount_point_is_changed_in_place_with_a_warning(tmp_path):
    mount = shutil.which("mount")
    store = tmp_path / "volume"
    store.mkdir()
    if mount is None or subprocess.run([mount, "-t", "tmpfs", "tmpfs", str(store)], capture_output=True).returncode:
        pytest.skip("cannot mount a folder here (needs root)")
    try:
        graph = tmp_path / "g.nt"
        graph.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n",
                         encoding="utf-8")
        for _ in range(2):
            done = kg("load", str(graph), "--store", str(store))
            assert done.returncode == 0 and "mount point, changed in place" in done.stderr, done.stderr
        assert quads(store) == {"<https://example.org/a> <https://example.org/b> <https://example.org/c>"}
    finally:
        subprocess.run(["umount", str(store)], capture_output=True)
