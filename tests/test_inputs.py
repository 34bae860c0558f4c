"""Real inputs through the CLI: HTML, JSON Lines, encodings, bad files, hostile text."""

import json
import os
import shutil
import unicodedata
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = (ROOT / "examples" / "corpus" / "004_7a3504862c4d8a3e.txt").read_text(encoding="utf-8")
DCTERMS = Namespace("http://purl.org/dc/terms/")
runner = CliRunner()


def build(*paths, args=()):
    first = Path(paths[0])
    out = (first if first.is_dir() else first.parent) / "out.nt"
    result = runner.invoke(app, ["build", *map(str, paths), "-o", str(out), "-q", *args])
    graph = Graph().parse(out, format="nt") if out.exists() else None
    return result, graph


def triples_without_provenance(g: Graph) -> set:
    """Entity-level facts: what must not depend on how the file was encoded."""
    kg = "https://w3id.org/kg-vn/ontology#"
    return {(s, p, o) for s, p, o in g if not str(p).startswith(kg) and "/doc/" not in str(s)
            and p != DCTERMS.identifier}


def windows_1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 stores it: ă â ê ô ơ ư đ whole, tone marks as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones)))
        out.extend(c for c in parts if c in tones)
    return "".join(out).encode("cp1258")


@pytest.fixture
def reference(tmp_path_factory):
    d = tmp_path_factory.mktemp("ref")
    (d / "bai.txt").write_text(ARTICLE, encoding="utf-8")
    result, g = build(d / "bai.txt")
    assert result.exit_code == 0
    return triples_without_provenance(g)


@pytest.mark.parametrize(("name", "encode"), [
    ("bom", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
    ("utf16", lambda t: t.encode("utf-16")),
    ("cp1258", lambda t: windows_1258(t)),
    ("nfd", lambda t: unicodedata.normalize("NFD", t).encode("utf-8")),
    ("crlf", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
])
def test_encodings_give_the_same_graph(tmp_path, reference, name, encode):
    (tmp_path / "bai.txt").write_bytes(encode(ARTICLE))
    result, g = build(tmp_path / "bai.txt")
    assert result.exit_code == 0, result.output
    assert triples_without_provenance(g) == reference


def test_html_article_with_metadata(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in ARTICLE.splitlines()[1:] if line.strip())
    page = (f"<html><head><title>{ARTICLE.splitlines()[0]}</title><meta name='author' content='Thu Hà'>"
            "<meta property='article:published_time' content='2024-05-20'></head><body><nav>Trang chủ | Tin tức</nav>"
            f"<article><h1>{ARTICLE.splitlines()[0]}</h1>{body}</article><footer>Bản quyền</footer></body></html>")
    (tmp_path / "trang.html").write_text(page, encoding="utf-8")
    result, g = build(tmp_path / "trang.html")
    assert result.exit_code == 0, result.output
    doc = g.value(None, DCTERMS.identifier, Literal("trang"))
    assert str(g.value(doc, DCTERMS.date)) == "2024-05-20"
    author = g.value(doc, DCTERMS.creator)  # an agent with a name, as dcterms:creator's range says
    assert isinstance(author, URIRef) and (author, RDF.type, DCTERMS.Agent) in g
    assert g.value(author, RDFS.label) == Literal("Thu Hà", lang="vi")
    assert str(g.value(doc, DCTERMS.title)).startswith("Sở Công Thương Thái Bình")
    labels = {str(o) for o in g.objects()}
    assert "Nghị định 45/2012/NĐ-CP" in labels and "Trang chủ" not in " ".join(labels)


def test_jsonl_articles_and_a_bad_line(tmp_path):
    lines = [json.dumps({"id": "a1", "title": "Tin Nghệ An", "text": "Sở Công Thương Nghệ An họp.",
                         "url": "https://example.vn/a1", "date": "2025-01-02"}, ensure_ascii=False),
             "{not json",
             json.dumps({"id": "a2", "text": "Tin Lào Cai\nUBND tỉnh Lào Cai chỉ đạo."}, ensure_ascii=False)]
    (tmp_path / "tin.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, g = build(tmp_path / "tin.jsonl")
    assert result.exit_code == 1
    assert "tin.jsonl:2" in result.output and "not valid JSON" in result.output
    assert {str(i) for i in g.objects(None, DCTERMS.identifier)} == {"a1", "a2"}
    doc = g.value(None, DCTERMS.identifier, Literal("a1"))
    assert g.value(doc, DCTERMS.source) == URIRef("https://example.vn/a1")


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("rong.txt", b"", "empty file"),
    ("nhiphan.txt", bytes(range(256)) * 4, "binary"),
    ("cut.txt", "Tin Hà Nam\nSở Công Thương ở".encode()[:-1], "truncated"),
    ("hong.txt", "Tin Hà Nam \u1ea1".encode() + b"\xff\xfe rest", "not valid UTF-8"),
])
def test_bad_files_are_named_and_skipped(tmp_path, name, content, problem):
    (tmp_path / "tot.txt").write_text("Tin Hà Nam\nSở Công Thương Hà Nam họp.", encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    result, g = build(tmp_path)
    assert result.exit_code == 1
    assert name in result.output and problem in result.output
    assert {str(i) for i in g.objects(None, DCTERMS.identifier)} == {"tot"}


def test_strict_stops_at_the_first_bad_file(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text("Tin\nSở Công Thương Hà Nam.", encoding="utf-8")
    result, g = build(tmp_path, args=["--strict"])
    assert result.exit_code == 2 and "a.txt" in result.output and g is None


def test_broken_link_and_unreadable_file(tmp_path):
    (tmp_path / "tot.txt").write_text("Tin\nSở Công Thương Hà Nam.", encoding="utf-8")
    (tmp_path / "gay.txt").symlink_to(tmp_path / "khong-co.txt")
    locked = tmp_path / "khoa.txt"
    locked.write_text("Tin\nBộ Công Thương.", encoding="utf-8")
    locked.chmod(0)
    result, _ = build(tmp_path)
    locked.chmod(0o644)
    assert result.exit_code == 1
    assert "gay.txt" in result.output and "broken symbolic link" in result.output
    if os.geteuid() != 0:  # root reads any file
        assert "khoa.txt" in result.output


def test_too_large_file_is_skipped(tmp_path):
    (tmp_path / "tot.txt").write_text("Tin\nSở Công Thương Hà Nam.", encoding="utf-8")
    with open(tmp_path / "to.txt", "wb") as f:
        f.truncate(100 * 1024 * 1024)  # 100 MB, sparse: cheap to make
    result, _ = build(tmp_path)
    assert result.exit_code == 1 and "to.txt" in result.output and "too large" in result.output


def test_hostile_text_stays_text(tmp_path):
    evil = ('Tin <script>alert(1)</script>\nCông ty TNHH <img src=x onerror=alert(1)> "Ác" \\ \x7f hoạt động. '
            'Hợp tác xã Nông nghiệp "A" > B.')
    (tmp_path / "x.txt").write_text(evil, encoding="utf-8")
    for fmt in ("ttl", "nt"):
        out = tmp_path / f"g.{fmt}"
        assert runner.invoke(app, ["build", str(tmp_path / "x.txt"), "-o", str(out), "-q"]).exit_code == 0
        g = Graph().parse(out)
        assert all(str(n).startswith("https://w3id.org/kg-vn/") for n in g.subjects() if isinstance(n, URIRef))
        assert any("<script>" in str(o) for o in g.objects())


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGKILL"])
def test_an_interrupted_build_leaves_the_previous_output_whole(tmp_path, signal_name):
    import shutil
    import signal
    import subprocess
    import sys
    import time

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(150):  # tens of seconds of work: the signal comes in the middle
        shutil.copy(ROOT / "examples" / "corpus" / "002_d1b7fc9568cbba03.txt", corpus / f"a{i:03d}.txt")
    out = tmp_path / "out"
    first = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(out), "-q", "--no-cache"])
    assert first.exit_code == 0
    before = (out / "graph.ttl").read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "-o", str(out), "-q", "--no-cache"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(3)
    proc.send_signal(getattr(signal, signal_name))
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert b"Traceback" not in stderr
    assert (out / "graph.ttl").read_bytes() == before
    assert len(Graph().parse(out / "graph.ttl")) > 1000
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_two_articles_with_one_name_are_told_apart_and_a_unique_name_stays_the_identifier(tmp_path):
    """report.txt from two sources: two documents, named by their folders; the other articles keep their names."""
    articles = sorted((ROOT / "examples" / "corpus").glob("*.txt"))
    for folder, article in (("so-cong-thuong", articles[0]), ("bao-moi", articles[1])):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_bytes(article.read_bytes())
    shutil.copy(articles[2], tmp_path / "bao-moi" / articles[2].name)
    out = tmp_path / "g.nq"
    for _ in range(2):  # the same files, the same identifiers
        result = runner.invoke(app, ["build", str(tmp_path / "bao-moi"), str(tmp_path / "so-cong-thuong"),
                                     "-o", str(out), "-q", "--no-cache"])
        assert result.exit_code == 0, result.output
        g = Dataset()
        g.parse(out, format="nquads")
        ids = {str(i) for _, _, i, _ in g.quads((None, URIRef("http://purl.org/dc/terms/identifier"), None, None))}
        assert ids == {"so-cong-thuong/report", "bao-moi/report", articles[2].stem}
        titles = {t for _, _, t, _ in g.quads((None, URIRef("http://purl.org/dc/terms/title"), None, None))}
        assert len(titles) == 3  # three articles, none mixed into another
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0
