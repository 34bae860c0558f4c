"""Parallel and incremental builds give the same graph as a clean one-process build."""

import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import export
from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "corpus"
    shutil.copytree(ROOT / "examples" / "corpus", d)
    return d


def build(corpus: Path, out: Path, *args: str) -> str:
    result = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--format", "nq", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_workers_give_identical_output(corpus, tmp_path):
    build(corpus, tmp_path / "one", "--no-cache")
    build(corpus, tmp_path / "two", "--no-cache", "--workers", "2")
    assert (tmp_path / "one" / "graph.nq").read_bytes() == (tmp_path / "two" / "graph.nq").read_bytes()


def test_the_summary_counts_the_same_when_its_digests_are_merged_every_few_documents(corpus, tmp_path, monkeypatch):
    """The summary keeps distinct entities and facts as sorted arrays of digests, merged as they fill: a merge
    after every two digests (as in a corpus of thousands of articles) counts what one merge at the end counts."""
    from kg import pipeline

    table = re.compile(r"│ (?:documents|entities|relations|statistics)[^│]*│\s*\d+ │")
    whole = table.findall(build(corpus, tmp_path / "whole", "--no-cache"))
    monkeypatch.setattr(pipeline, "_PENDING", 2)
    merged = table.findall(build(corpus, tmp_path / "merged", "--no-cache"))
    assert len(whole) > 10 and any("entities: Province" in line for line in whole)
    assert merged == whole


def test_second_build_uses_the_cache_and_rebuilds_only_what_changed(corpus, tmp_path):
    out = tmp_path / "out"
    build(corpus, out)
    first = (out / "graph.nq").read_bytes()
    again = build(corpus, out)
    assert re.search(r"documents from the cache\s*│\s*5 ", again)
    assert (out / "graph.nq").read_bytes() == first
    changed = corpus / "004_7a3504862c4d8a3e.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Thái Bình", "Hưng Yên"), encoding="utf-8")
    output = build(corpus, out)
    assert re.search(r"documents from the cache\s*│\s*4 ", output)  # one rebuilt
    build(corpus, tmp_path / "clean", "--no-cache")
    assert (out / "graph.nq").read_bytes() == (tmp_path / "clean" / "graph.nq").read_bytes()


def test_workers_stream_through_a_bounded_window_and_mix_cache_hits_in_order(corpus, tmp_path, monkeypatch):
    """More documents than the window holds, some from the cache: the same bytes as a clean build."""
    from kg import pipeline

    monkeypatch.setattr(pipeline, "IN_FLIGHT", 1)
    for i, path in enumerate(sorted(corpus.glob("*.txt"))):
        (corpus / f"copy-{i}.txt").write_text(path.read_text(encoding="utf-8").replace("Thái Nguyên", "Lào Cai"),
                                              encoding="utf-8")
    out = tmp_path / "out"
    build(corpus, out, "--workers", "2")
    changed = corpus / "copy-1.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Lào Cai", "Hà Giang"), encoding="utf-8")
    output = build(corpus, out, "--workers", "2")
    assert re.search(r"documents from the cache\s*│\s*9 ", output)
    build(corpus, tmp_path / "clean", "--no-cache")
    assert (out / "graph.nq").read_bytes() == (tmp_path / "clean" / "graph.nq").read_bytes()


def test_turtle_written_in_pieces_by_several_processes_is_the_same_file(corpus, tmp_path, monkeypatch):
    from kg import export

    build(corpus, tmp_path / "whole", "--no-cache", "--format", "ttl")
    monkeypatch.setattr(export, "PARALLEL_BYTES", 0)  # the example graph is small: split it all the same
    for workers in ("1", "2", "3"):
        build(corpus, tmp_path / workers, "--no-cache", "--workers", workers, "--format", "ttl")
    one = (tmp_path / "1" / "graph.ttl").read_bytes()
    assert one.count(b"@prefix rdfs:") == 1 and b"a kg:Ministry" in one
    # a block a line: a class's or a province's lines in every document's graph are cut down to one per triple
    # as they are read, and the file is the one written whole
    assert one == (tmp_path / "whole" / "graph.ttl").read_bytes()
    assert (tmp_path / "2" / "graph.ttl").read_bytes() == one
    assert (tmp_path / "3" / "graph.ttl").read_bytes() == one


def test_a_worker_that_dies_gives_a_clear_error_and_writes_nothing(corpus, tmp_path, monkeypatch):
    import os

    from kg import pipeline

    monkeypatch.setattr(pipeline, "process", lambda *args: os._exit(9))  # as the kernel's OOM killer would
    result = runner.invoke(app, ["build", str(corpus), "-o", str(tmp_path / "out"), "--workers", "2"])
    assert result.exit_code != 0 and "worker process died" in result.output
    assert not (tmp_path / "out" / "graph.ttl").exists()


_PARENT = os.getpid()


def _piece_dying_in_a_child(span: tuple[int, int]) -> bytes:
    """As the kernel's OOM killer would end a forked Turtle writer (the parent writes its own piece)."""
    if os.getpid() != _PARENT:
        os._exit(9)
    return _REAL_PIECE(span)


_REAL_PIECE = export._turtle_piece


def test_a_turtle_writer_that_dies_gives_a_clear_error_and_keeps_the_previous_file(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(corpus, out, "--no-cache", "--format", "ttl")
    before = (out / "graph.ttl").read_bytes()
    monkeypatch.setattr(export, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(export, "_turtle_piece", _piece_dying_in_a_child)
    result = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--no-cache", "--format", "ttl",
                                 "--workers", "2"])
    assert result.exit_code != 0 and "process writing Turtle died" in result.output
    assert (out / "graph.ttl").read_bytes() == before


FORMATS = "nq,nt,ttl,trig,jsonld"


@pytest.fixture(scope="module")
def unspilled(tmp_path_factory):
    """The examples built in memory, one worker: the bytes every spilled build must give."""
    out = tmp_path_factory.mktemp("unspilled")
    result = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(out), "--format", FORMATS,
                                 "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    return {f: (out / f"graph.{f}").read_bytes() for f in FORMATS.split(",")}


@pytest.mark.parametrize(("workers", "merger"), [("1", "sort"), ("2", "sort"), ("2", "python")])
def test_spilled_build_writes_the_same_bytes_in_every_format(unspilled, tmp_path, monkeypatch, workers, merger):
    """A run per document (KG_SPILL_BYTES=1), merged by GNU sort as each format reads them or, where there is
    none, into a file, three at a time in rounds by Python, every format written in pieces of about 200 kB: the
    same files as a build held in memory."""
    from kg import pipeline, runs

    if merger == "python":
        monkeypatch.setattr(runs, "_gnu_sort", lambda: None)  # a system without GNU sort
    merged = []
    real_merge, real_stream = runs.merge, runs.merged
    monkeypatch.setattr(pipeline, "merge", lambda paths, target: merged.append(len(paths)) or real_merge(paths,
                                                                                                       target))
    monkeypatch.setattr(export, "merged", lambda paths, temporary: merged.append(len(paths)) or real_stream(paths,
                                                                                                        temporary))
    monkeypatch.setattr(runs, "FAN_IN", 3)
    monkeypatch.setattr(export, "PARALLEL_BYTES", 200_000)  # a few pieces of the examples' 1 MB per format
    monkeypatch.setenv("KG_SPILL_BYTES", "1")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(out), "--format", FORMATS,
                                 "--no-cache", "-q", "--workers", workers])
    assert result.exit_code == 0, result.output
    # one run per document: spilled, not held; GNU sort merges them as each format is read
    assert merged == ([5] * len(FORMATS.split(",")) if merger == "sort" else [5])
    for f in FORMATS.split(","):
        assert (out / f"graph.{f}").read_bytes() == unspilled[f], f
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob(f"kg-spool-{os.getpid()}-*"))  # removed


def test_a_merge_that_fails_while_it_is_read_says_why_and_keeps_the_previous_file(tmp_path, monkeypatch):
    """GNU sort merges the runs as Turtle is written: a sort that stops half-way (a full disk for its temporary
    files) is one clear line, and the previous graph stays whole."""
    from kg import runs

    out = tmp_path / "out"
    build(ROOT / "examples" / "corpus", out, "--no-cache", "--format", "ttl")
    before = (out / "graph.ttl").read_bytes()
    failing = tmp_path / "sort"
    failing.write_text('#!/bin/sh\nfor last; do :; done\nhead -c 3000 "$last"\n'
                       'echo "sort: write failed: /tmp/sortX: No space left on device" >&2\nexit 2\n')
    failing.chmod(0o755)
    monkeypatch.setattr(runs, "_gnu_sort", lambda: str(failing))
    monkeypatch.setenv("KG_SPILL_BYTES", "1")
    result = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(out), "--format", "ttl",
                                 "--no-cache"])
    assert result.exit_code == 2
    assert "write failed: /tmp/sortX: No space left on device" in result.output
    assert "previous file is unchanged" in result.output and "Traceback" not in result.output
    assert (out / "graph.ttl").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_spill_threshold_must_be_a_number_of_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_SPILL_BYTES", "64MB")
    result = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(tmp_path / "g.nq"),
                                 "--no-cache"])
    assert result.exit_code == 2
    assert "KG_SPILL_BYTES='64MB': give a whole number of bytes, at least 1" in result.output


@pytest.mark.parametrize("merger", ["sort", "python"])
def test_merged_shards_are_the_local_build_and_unsorted_ones_are_refused(unspilled, tmp_path, monkeypatch, merger):
    """`kg merge` of three shards (as Dask's workers write them), by GNU sort or, without it, two at a time by
    Python: the local build's N-Quads."""
    from kg import runs

    if merger == "python":
        monkeypatch.setattr(runs, "_gnu_sort", lambda: None)
    from kg.distributed import build_shard

    files = [str(p) for p in sorted((ROOT / "examples" / "corpus").glob("*.txt"))]
    shards = tmp_path / "shards"
    shards.mkdir()
    for i, batch in enumerate((files[:2], files[2:3], files[3:])):
        build_shard(i, batch, str(shards))
    monkeypatch.setattr(runs, "FAN_IN", 2)
    result = runner.invoke(app, ["merge", str(shards), "-o", str(tmp_path / "g.nq"), "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "g.nq").read_bytes() == unspilled["nq"]
    assert len(list(shards.glob("*.nq"))) == 3  # the shards are kept
    lines = (shards / "part-00001.nq").read_bytes().splitlines(keepends=True)
    (shards / "part-00001.nq").write_bytes(b"".join(lines[1:] + lines[:1]))
    refused = runner.invoke(app, ["merge", str(shards), "-o", str(tmp_path / "h.nq")])
    assert refused.exit_code == 2 and f"line {len(lines)} is out of order" in refused.output
    assert not (tmp_path / "h.nq").exists()


def test_gz_output_is_the_graph_compressed_the_same_bytes_each_time(unspilled, tmp_path):
    import gzip

    for name in ("a", "b"):
        result = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(tmp_path / f"{name}.nq.gz"),
                                     "-q"])
        assert result.exit_code == 0, result.output
    assert gzip.decompress((tmp_path / "a.nq.gz").read_bytes()) == unspilled["nq"]
    assert (tmp_path / "a.nq.gz").read_bytes() == (tmp_path / "b.nq.gz").read_bytes()


def test_workers_read_their_files_and_report_what_one_process_reports_in_the_same_order(corpus, tmp_path):
    """The workers read one-article files themselves: a bad file, a JSON line and a file taking one identifier
    (either order), two spellings of one name (NFC, NFD): skipped and named as by one process, in its order."""
    import json
    import unicodedata

    texts = sorted(corpus.glob("*.txt"))
    article = texts[1].read_text(encoding="utf-8")
    (corpus / "b.txt").write_bytes(b"\x00\x01binary")
    lines = [{"id": texts[0].stem, "text": article}, {"id": "zz", "text": article.replace("Thái", "Lào")}]
    (corpus / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\n",
                                    encoding="utf-8")
    (corpus / "zz.txt").write_text(article, encoding="utf-8")
    for form in ("NFC", "NFD"):
        (corpus / unicodedata.normalize(form, "Hòa Bình.txt")).write_text(article, encoding="utf-8")
    outputs = {}
    for workers in ("1", "2"):
        result = runner.invoke(app, ["build", str(corpus), "-o", str(tmp_path / workers), "--format", "nq",
                                     "--no-cache", "--workers", workers])
        assert result.exit_code == 1, result.output
        skipped = [line for line in result.output.splitlines() if line.startswith("skipped:")]
        outputs[workers] = skipped, (tmp_path / workers / "graph.nq").read_bytes()
    skipped, graph = outputs["1"]
    assert outputs["2"] == outputs["1"]
    assert len(skipped) == 4
    # files in the order of their names: "Hòa Bình" (either spelling), then a.jsonl, b.txt, zz.txt
    assert "Hòa Bình" in skipped[0] and "is already the id of" in skipped[0]
    assert f"a.jsonl: document id '{texts[0].stem}' is already the id of" in skipped[1]
    assert "b.txt: looks like a binary file" in skipped[2]
    assert "zz.txt: document id 'zz' is already the id of" in skipped[3] and skipped[3].endswith("not read")
    assert graph.count(b"/zz> .\n") > 10 and "Lào".encode() in graph  # the JSON line kept the identifier
