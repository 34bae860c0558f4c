"""Benchmark `kg build` against the floor of bare underthesea word segmentation, measured in the same run.

    python bench/bench.py                 # 1 and 10 MB of text
    python bench/bench.py --sizes 1,10,100 --stores

For each size it writes a corpus (the example articles and variations of
them: other provinces, people, figures), then measures, each in a fresh
process so peak memory is its own:

- floor: underthesea word segmentation alone over the same text, one core;
- build: the whole `kg build` to Turtle, one worker, with time per stage;
- build with 2 workers (the speed-up over one);

and prints documents/s, MB/s, peak memory and the ratios against the
targets: build ≥ 0.75 of the floor's throughput, 2 workers ≥ 1.8× one,
memory that does not grow with the text beyond the graph itself.
`--stores` also times Turtle writing (rdflib against pyoxigraph) and a join
query on about a million triples (rdflib against the Oxigraph store).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROVINCES = ["Bắc Ninh", "Nghệ An", "Đồng Nai", "Quảng Ninh", "Lâm Đồng", "Cần Thơ", "Hải Phòng", "Lào Cai",
             "Gia Lai", "Tây Ninh", "Hưng Yên", "Phú Thọ", "Khánh Hòa", "Đắk Lắk", "Cà Mau", "An Giang"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Ngọc"]


def variation(text: str, i: int) -> str:
    """Another article like this one: other provinces, other middle names, other figures."""
    text = text.replace("Thái Nguyên", PROVINCES[i % len(PROVINCES)]).replace(
        "Thái Bình", PROVINCES[(i + 7) % len(PROVINCES)])
    text = re.sub(r"(Nguyễn|Trịnh|Lê) (\w+) ", lambda m: f"{m.group(1)} {MIDDLE[(i + len(m.group(2))) % 8]} ", text)
    return re.sub(r"\d+,\d+", lambda m: f"{int(m.group().split(',')[0]) + i % 7},{m.group().split(',')[1]}", text)


def make_corpus(folder: Path, megabytes: float) -> tuple[int, int]:
    """Write variations of the examples until `megabytes` of text; returns (documents, bytes)."""
    sources = sorted((ROOT / "examples" / "corpus").glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    total, count = 0, 0
    while total < megabytes * 1e6:
        src = sources[count % len(sources)]
        text = variation(src.read_text(encoding="utf-8"), count)
        path = folder / f"{src.stem}-v{count:06d}.txt"
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
        count += 1
    return count, total


def child(task: str, corpus: str, workers: int) -> dict:
    """One measurement in this process; prints JSON with seconds, peak memory and stage times."""
    from underthesea import word_tokenize

    if task == "segment":
        from kg.segment import word_tokenize  # kg's segmenter: the same words
    if task in ("floor", "segment"):
        word_tokenize("Khởi động")  # the model loads on first use: not part of the throughput
    files = sorted(Path(corpus).rglob("*.txt"))
    started = time.perf_counter()
    stages: Counter[str] = Counter()
    graph_mb = 0.0
    if task in ("floor", "segment"):
        for f in files:
            for line in f.read_text(encoding="utf-8").split("\n"):
                if line.strip():
                    word_tokenize(line)
    else:
        from kg.export import export
        from kg.pipeline import build
        from kg.runtime import few_collections

        with few_collections():  # as the `kg` command runs build and export
            result = build([corpus], workers=workers, timings=stages if workers == 1 else None)
            mark = time.perf_counter()
            with tempfile.TemporaryDirectory() as out:
                export(result.nquads, Path(out) / "graph.ttl", ["ttl"], workers)
            stages["write Turtle"] += time.perf_counter() - mark
        stages["documents"] = result.documents
        graph_mb = len(result.nquads) / 1e6
    seconds = time.perf_counter() - started
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {"seconds": seconds, "peak_mb": peak / 1024, "stages": dict(stages), "graph_mb": graph_mb}


def real_articles() -> None:
    """Segmentation alone on the repository's real articles (no generated variations, so fewer repeated
    n-grams for kg's memoised scores): underthesea against kg's segmenter, each in a fresh process."""
    corpora = [ROOT / "examples" / "corpus", ROOT / "tests" / "dev"]
    with tempfile.TemporaryDirectory() as d:
        for i, path in enumerate(sorted(p for c in corpora for p in c.rglob("*.txt"))):
            (Path(d) / f"{i:03d}.txt").write_bytes(path.read_bytes())
        mb = sum(p.stat().st_size for p in Path(d).glob("*.txt")) / 1e6
        floor, ours = measure("floor", Path(d)), measure("segment", Path(d))
    print(f"\nreal articles ({mb:.2f} MB, examples and tests/dev): underthesea.word_tokenize "
          f"{mb / floor['seconds']:.3f} MB/s, kg.segment {mb / ours['seconds']:.3f} MB/s "
          f"({floor['seconds'] / ours['seconds']:.2f}×), the same words")


def measure(task: str, corpus: Path, workers: int = 1) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", task, str(corpus), str(workers)],
                         capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def stores(triples: int = 1_000_000) -> None:
    """Turtle writing and a join query on a generated graph of about `triples` triples."""
    import pyoxigraph
    from rdflib import Graph

    from kg.export import Output, turtle

    people = triples // 4
    lines = []
    for i in range(people):
        p, a = f"<https://w3id.org/kg-vn/id/person/p{i}>", f"<https://w3id.org/kg-vn/id/agency/a{i % 5000}>"
        lines += [f"{p} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kg-vn/ontology#Person> .",
                  f'{p} <http://www.w3.org/2000/01/rdf-schema#label> "Người {i}"@vi .',
                  f"{p} <http://www.w3.org/ns/org#memberOf> {a} .",
                  f"{a} <https://schema.org/areaServed> <https://w3id.org/kg-vn/id/province/x{i % 63}> ."]
    data = ("\n".join(sorted(set(lines))) + "\n").encode()
    query = """SELECT ?province (COUNT(DISTINCT ?p) AS ?n) WHERE {
      ?p a <https://w3id.org/kg-vn/ontology#Person> ; <http://www.w3.org/ns/org#memberOf> ?a .
      ?a <https://schema.org/areaServed> ?province } GROUP BY ?province"""
    g = Graph()
    t = time.perf_counter()
    g.parse(data=data, format="nt")
    parse = time.perf_counter() - t
    t = time.perf_counter()
    g.serialize(format="turtle")
    rdflib_ttl = time.perf_counter() - t
    quads = "".join(line[:-1] + "<urn:kg:bench> .\n" for line in data.decode().splitlines()).encode()
    t = time.perf_counter()
    turtle(Output(quads))
    oxi_ttl = time.perf_counter() - t
    t = time.perf_counter()
    rows_rdflib = len(list(g.query(query)))
    rdflib_q = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as d:
        store = pyoxigraph.Store(d)
        store.bulk_load(data, pyoxigraph.RdfFormat.N_TRIPLES)
        t = time.perf_counter()
        rows_oxi = len(list(store.query(query)))
        oxi_q = time.perf_counter() - t
    print(f"\nstores, {len(g):,} triples (rdflib parse {parse:.1f} s)")
    print(f"  write Turtle:  rdflib {rdflib_ttl:7.2f} s   pyoxigraph {oxi_ttl:6.2f} s"
          f"   ratio {rdflib_ttl / oxi_ttl:6.1f}×")
    print(f"  join query:    rdflib {rdflib_q:7.2f} s   Oxigraph   {oxi_q:6.2f} s   ratio {rdflib_q / oxi_q:6.1f}×"
          f"   ({rows_rdflib} = {rows_oxi} rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10", help="corpus sizes in MB, comma-separated")
    parser.add_argument("--stores", action="store_true", help="also time Turtle writing and store queries")
    parser.add_argument("--only-stores", action="store_true", help="time the stores only")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], int(args.child[2]))))
        return
    if args.only_stores:
        stores()
        return
    print(f"{'size':>6} {'docs':>6} | {'floor MB/s':>10} {'build MB/s':>10} {'ratio':>6} (≥0.75) | "
          f"{'docs/s':>7} {'peak MB':>8} | {'2 workers':>9} (≥1.8×)")
    for size in (float(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as d:
            docs, size_bytes = make_corpus(Path(d), size)
            mb = size_bytes / 1e6
            floor = measure("floor", Path(d))
            one = measure("build", Path(d), 1)
            two = measure("build", Path(d), 2)
        ratio = floor["seconds"] / one["seconds"]
        speedup = one["seconds"] / two["seconds"]
        print(f"{mb:6.1f} {docs:6d} | {mb / floor['seconds']:10.3f} {mb / one['seconds']:10.3f} {ratio:6.2f}        | "
              f"{docs / one['seconds']:7.1f} {one['peak_mb']:8.0f} | {speedup:8.2f}×")
        stages = {k: v for k, v in one["stages"].items() if k != "documents"}
        total = sum(stages.values()) or 1
        print("        stages: " + ", ".join(f"{k} {v:.1f} s ({v / total:.0%})" for k, v in stages.items()))
        graph = one["graph_mb"]
        above = one["peak_mb"] - floor["peak_mb"]
        print(f"        graph {graph:.0f} MB of N-Quads; peak memory above the floor's {above:.0f} MB = "
              f"{above / graph:.1f}× the graph (floor {floor['peak_mb']:.0f} MB, 2 workers {two['peak_mb']:.0f} MB)")
    real_articles()
    if args.stores:
        stores()


if __name__ == "__main__":
    main()
