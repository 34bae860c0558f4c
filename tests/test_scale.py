"""Parallel and incremental builds give the same graph as a clean one-process build."""

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

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
