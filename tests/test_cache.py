"""The build cache is data, checked on every read: nothing in the cache folder can run code or change a graph."""

import pickle
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cache import Cache
from kg.gazetteer import lexicon
from kg.model import Document
from kg.pipeline import process

ROOT = Path(__file__).resolve().parents[1]
KG = [sys.executable, "-m", "kg"]


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=300)


class Payload:
    """A pickle that, when loaded, writes a file: what an attacker would put in a pickle-based cache."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "code ran"))


def test_corrupt_edited_and_crafted_entries_are_rebuilt_never_trusted_and_never_run(tmp_path):
    corpus, cache = ROOT / "examples" / "corpus", tmp_path / "cache"
    first = kg("build", str(corpus), "-o", str(tmp_path / "out"), "-f", "nq", "--cache", str(cache), "-q")
    assert first.returncode == 0, first.stderr
    reference = (tmp_path / "out" / "graph.nq").read_bytes()  # a first build with an empty cache is a clean one
    entries = sorted(cache.rglob("*.json"))
    assert len(entries) == 5 and not list(cache.rglob("*.pickle"))
    marker = tmp_path / "pwned"
    rng = random.Random(7)
    damage = [
        lambda b: rng.randbytes(len(b)),  # random bytes
        lambda b: _flip(b, rng.randrange(len(b) * 8)),  # one bit
        lambda b: b.replace(b"/id/", b"/iD/", 1),  # one character of an IRI
        lambda b: pickle.dumps(Payload(marker)),  # a crafted pickle
        lambda b: b[: len(b) // 2],  # cut short
    ]
    for entry, hurt in zip(entries, damage, strict=True):
        entry.write_bytes(hurt(entry.read_bytes()))
    (entries[0].with_suffix(".pickle")).write_bytes(pickle.dumps(Payload(marker)))  # the old layout's name
    again = kg("build", str(corpus), "-o", str(tmp_path / "out"), "-f", "nq", "--cache", str(cache))
    assert again.returncode == 0, again.stderr
    assert not marker.exists()
    assert (tmp_path / "out" / "graph.nq").read_bytes() == reference
    warned = {Path(p).name for p in re.findall(r"(\S+\.json): cache entry", again.stderr)}
    assert warned == {e.name for e in entries}, again.stderr
    assert not re.search(r"documents from the cache", again.stdout)  # all five built again…
    third = kg("build", str(corpus), "-o", str(tmp_path / "out"), "-f", "nq", "--cache", str(cache))
    assert re.search(r"documents from the cache\s*│\s*5 ", third.stdout)  # …and written back whole
    assert "cache entry" not in third.stderr


def _flip(data: bytes, bit: int) -> bytes:
    b = bytearray(data)
    b[bit // 8] ^= 1 << (bit % 8)
    return bytes(b)


@pytest.fixture(scope="module")
def entry(tmp_path_factory):
    folder = tmp_path_factory.mktemp("entry")
    cache = Cache(folder, lexicon())
    doc = Document(id="a", text="Bộ Công Thương\nSở Công Thương tỉnh Thái Nguyên họp với UBND tỉnh Thái Nguyên.")
    key = cache.key(doc)
    result = process(doc)
    cache.put(key, result)
    path = next(folder.rglob("*.json"))
    return cache, key, result, path, path.read_bytes()


def test_a_written_entry_reads_back_equal(entry):
    cache, key, result, _, _ = entry
    assert cache.get(key) == result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_change_to_an_entry_is_caught(entry, data):
    cache, key, _, path, good = entry
    how = data.draw(st.sampled_from(["bytes", "flip", "splice", "json"]))
    if how == "bytes":
        bad = data.draw(st.binary(max_size=2000))
    elif how == "flip":
        bad = _flip(good, data.draw(st.integers(0, len(good) * 8 - 1)))
    elif how == "splice":
        at = data.draw(st.integers(0, len(good)))
        bad = good[:at] + data.draw(st.binary(min_size=1, max_size=20)) + good[at:]
    else:  # a well-formed entry whose digest does not match what it says
        value = data.draw(st.recursive(st.none() | st.integers() | st.text(), lambda c: st.lists(c, max_size=3)))
        bad = good.split(b"\n", 1)[0] + b"\n" + repr(value).encode()
    path.write_bytes(bad)
    try:
        assert cache.get(key) is None
    finally:
        path.write_bytes(good)


def test_an_entry_for_another_version_of_kg_is_not_read(entry, tmp_path):
    _, key, _, path, good = entry
    other = Cache(path.parents[1], lexicon())
    other.salt = "another kg:" + other.salt
    assert other.get(key) is None
    digest, body = good.split(b"\n", 1)  # the entry is text: a hex digest line, then JSON
    assert re.fullmatch(rb"[0-9a-f]{64}", digest) and body.startswith(b"{")


def test_a_gazetteer_change_of_class_or_parent_alone_rebuilds(tmp_path):
    from kg.gazetteer import with_gazetteers

    def salt(row: str) -> str:
        path = tmp_path / "g.csv"
        path.write_text("type,name,aliases,class,parent\n" + row + "\n", encoding="utf-8")
        return Cache(tmp_path / "c", with_gazetteers([path])).salt

    first = salt("Agency,Hội đồng Tư vấn Công nghiệp,,Council,")
    assert salt("Agency,Hội đồng Tư vấn Công nghiệp,,Department,") != first
    assert salt("Agency,Hội đồng Tư vấn Công nghiệp,,Council,Bộ Công Thương") != first
