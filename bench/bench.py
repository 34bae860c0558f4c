"""Benchmark `kg build` against the floor of bare underthesea word segmentation, measured in the same run.

    python bench/bench.py                      # 2 and 8 MB of text
    python bench/bench.py --sizes 10,100       # the README's figures (about 50 minutes on 2 cores)
    python bench/bench.py --sizes 2,8,16 --formats ttl,nq,jsonld --stores

For each size it writes a corpus from every real article at hand (see
`bench/corpus.py`: sentences shuffled across articles, clauses joined from
different sentences, names, places and figures varied) and reports the share
of its word 5-grams already seen earlier in it, beside the same share on the
real pages. Then it measures, each in a fresh process so peak memory is its
own:

- floor: underthesea word segmentation alone over the same text, one core, before and after each build;
- build: the whole `kg build` (to Turtle, or each of `--formats`), one worker (at the first size `--repeat`
  times, default 2, alternating with the floor: a shared machine's speed drifts by 10–30 % over minutes, so
  each figure is the best of its runs, as `timeit` takes, and every run is printed; one run at larger sizes),
  with time per phase: the per-document stages (reading each file included: parallel with workers) and
  the parent's own work (listing the files, adding up, merging, writing: serial);
- build with 2 workers (the speed-up over one);
- at the first size, `kg build --dask` on a local cluster of 2 worker processes and `kg merge` of its shards,
  against `kg build --workers 2` writing the same N-Quads (both `kg` commands, timed end to end, alternating
  `--repeat` times, each Dask run on a cluster of its own, just started: the best of each);

and prints MB/s, documents/s, peak memory, graph bytes per MB of text (and at
each `--evidence` level), the ratios against the targets (build ≥ 0.75 of the floor, 2 workers ≥ 1.8× one),
the serial share of a 1-worker build and the speed-up Amdahl's law predicts
from it at 8, 16 and 64 cores. A second, labelled line repeats floor and
build on the old generator (five example articles with names and figures
swapped), which flatters kg's memoised segmenter.
`--stores` also times Turtle writing (rdflib against pyoxigraph) and a join
query on about a million triples (rdflib against the Oxigraph store).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import folder_texts, make_corpus, make_old_corpus, real_files, repeated_share

ROOT = Path(__file__).resolve().parents[1]
# per document (in the workers, which read their files), and the pieces of Turtle (by `--workers` processes): the
# parallel part
BESIDE = "merge beside the writing"
PARALLEL = ("read", "tokenise", "recognise", "resolve", "relate", "identify", "issuers", "measure", "territory", "rdf",
            "keep", "spill", "write pieces")


def child(task: str, corpus: str, workers: int, formats: str) -> dict:
    """One measurement in this process; prints JSON with seconds, peak memory and phase times."""
    started, cpu_before = time.perf_counter(), 0.0
    stages: Counter[str] = Counter()
    graph_mb, levels, aside = 0.0, {}, 0.0
    if task in ("floor", "segment"):
        if task == "segment":
            from kg.segment import word_tokenize  # kg's segmenter: the same words
        else:
            from underthesea import word_tokenize
        word_tokenize("Khởi động")  # the model loads on first use: not part of the throughput
        started = time.perf_counter()
        cpu_before = time.process_time()
        for f in sorted(Path(corpus).rglob("*.txt")):
            for line in f.read_text(encoding="utf-8").split("\n"):
                if line.strip():
                    word_tokenize(line)
    else:
        from kg import runs
        from kg.export import export
        from kg.pipeline import build
        from kg.runtime import few_collections

        stages["imports"] = time.perf_counter() - started
        spill = runs.Runs.spill

        def timed_spill(self) -> None:  # sorting runs: in the workers when there are workers
            mark = time.perf_counter()
            spill(self)
            stages["spill"] += time.perf_counter() - mark

        runs.Runs.spill = timed_spill
        from kg import export as exporting

        piece = exporting._turtle_piece

        def timed_piece(part: bytes) -> tuple[bytes, int]:  # in forked processes when there are workers
            mark = time.perf_counter()
            try:
                return piece(part)
            finally:
                stages["write pieces"] += time.perf_counter() - mark

        if workers == 1:  # with workers, the pieces go to forked processes (and must pickle)
            exporting._turtle_piece = timed_piece
        with few_collections():  # as the `kg` command runs build and export
            mark = time.perf_counter()
            result = build([corpus], workers=workers, timings=stages if workers == 1 else None)
            stages["build (workers)"] = time.perf_counter() - mark
            with tempfile.TemporaryDirectory() as out:
                mark, sorts = time.perf_counter(), children_cpu()
                export(result.output, Path(out), formats.split(","), workers)
                stages["write (cutting, joining)"] += time.perf_counter() - mark - stages["write pieces"]
                if workers == 1:  # its only child processes: GNU sort merging the runs as the Turtle is written
                    stages[BESIDE] = children_cpu() - sorts
            mark = time.perf_counter()  # the graph at each --evidence level, out of the timings
            from kg.rdf import EVIDENCE_LEVELS, at_evidence_level

            levels = {level: sum(len(at_evidence_level(block, level)) for block in result.output.blocks(1 << 24)) / 1e6
                      for level in EVIDENCE_LEVELS}
            graph_mb = levels["full"]  # the N-Quads as built (merged runs: their sum would count repeats)
            aside = time.perf_counter() - mark
            result.close()
        stages["documents"] = result.documents
    seconds = time.perf_counter() - started - aside
    cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for f in ("ru_utime", "ru_stime")) - cpu_before
    self_mb = own_peak_mb()
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "cpu": cpu, "peak_mb": max(self_mb, children_mb), "parent_mb": self_mb,
            "child_mb": children_mb, "stages": dict(stages), "graph_mb": graph_mb, "levels": levels}


def children_cpu() -> float:
    """CPU seconds of the child processes that have ended (GNU sort's, in a one-worker build)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_peak_mb() -> float:
    """This process's peak resident memory since it started its program (VmHWM). Not ru_maxrss: at exec, Linux
    keeps the peak of the image it replaces, and a child spawned by vfork (as subprocess does) replaces the
    spawning process's own: every figure would be at least the benchmark's own peak (1 GB and more after it
    counts the 5-grams of 100 MB)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def real_articles() -> None:
    """Segmentation alone on the real articles (no generated variations): underthesea against kg's
    segmenter, each in a fresh process."""
    with tempfile.TemporaryDirectory() as d:
        for i, path in enumerate(real_files()):
            (Path(d) / f"{i:03d}.txt").write_bytes(path.read_bytes())
        mb = sum(p.stat().st_size for p in Path(d).glob("*.txt")) / 1e6
        floor, ours = measure("floor", Path(d)), measure("segment", Path(d))
    print(f"\nreal articles ({mb:.2f} MB): underthesea.word_tokenize "
          f"{mb / floor['seconds']:.3f} MB/s, kg.segment {mb / ours['seconds']:.3f} MB/s "
          f"({floor['seconds'] / ours['seconds']:.2f}×), the same words")


def measure(task: str, corpus: Path, workers: int = 1, formats: str = "ttl") -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", task, str(corpus), str(workers), formats],
                         capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    if out.returncode:
        raise SystemExit(f"{task} on {corpus} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def dask_against_workers(corpus: Path, workers: int = 2, repeat: int = 1) -> None:
    """`kg build --dask` on a local cluster of `workers` processes (one thread each), then `kg merge` of its
    shards, against `kg build --workers N` writing the same N-Quads: each a `kg` command, timed end to end."""
    try:
        from distributed import LocalCluster
    except ImportError:
        print("         dask: not installed (pip install 'kg[dask]'): not measured")
        return
    kg = [sys.executable, "-m", "kg"]
    env = {**os.environ, "PYTHONHASHSEED": "0"}

    def timed(*args: str) -> float:
        started = time.perf_counter()
        done = subprocess.run([*kg, *args, "-q"], capture_output=True, text=True, env=env)
        if done.returncode:
            raise SystemExit(f"kg {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return time.perf_counter() - started

    locals_, dasks, merges, same = [], [], [], True
    with tempfile.TemporaryDirectory() as d:
        for _ in range(repeat):  # alternating: the machine's drift falls on both
            locals_.append(timed("build", str(corpus), "-o", f"{d}/local.nq", "--workers", str(workers),
                                 "--no-cache"))
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster:  # workers that have built nothing yet
                shutil.rmtree(f"{d}/dask", ignore_errors=True)
                dasks.append(timed("build", str(corpus), "-o", f"{d}/dask", "--dask", cluster.scheduler_address))
            merges.append(timed("merge", f"{d}/dask/shards", "-o", f"{d}/merged.nq"))
            same = same and Path(f"{d}/local.nq").read_bytes() == Path(f"{d}/merged.nq").read_bytes()
    pairs = [dask + merge for dask, merge in zip(dasks, merges, strict=True)]
    fastest = min(range(repeat), key=pairs.__getitem__)
    dask, merge, local = dasks[fastest], merges[fastest], min(locals_)
    print(f"         dask, local cluster of {workers} processes: build {dask:.1f} s + kg merge {merge:.1f} s = "
          f"{dask + merge:.1f} s against --workers {workers} {local:.1f} s: {(dask + merge) / local:.2f}× "
          f"(build alone {dask / local:.2f}×; target ≤ 1.25×); merged shards {'=' if same else '≠'} the local graph",
          flush=True)
    if repeat > 1:
        print(f"         runs (the best of each above): --workers {workers} "
              + " / ".join(f"{t:.1f}" for t in locals_) + " s; dask + merge "
              + " / ".join(f"{t:.1f}" for t in pairs) + " s", flush=True)


def best(runs: list[dict]) -> dict:
    """The fastest of several runs of one measurement, with every run's seconds (`either`) and the highest
    peak memory of them: on a shared machine other load only ever slows a run down, so the fastest is the
    least disturbed (as `timeit` takes its minimum). Floor and build are both taken so, alternating."""
    fastest = min(runs, key=lambda r: r["seconds"])
    return {**fastest, "cpu": min(r["cpu"] for r in runs), "peak_mb": max(r["peak_mb"] for r in runs),
            "either": tuple(r["seconds"] for r in runs)}


def alternate(corpus: Path, formats: str, repeat: int) -> tuple[dict, dict]:
    """Floor and one-worker build, alternating: floor, build, floor (, build, floor …): the best of each."""
    floors, builds = [measure("floor", corpus)], []
    for _ in range(repeat):
        builds.append(measure("build", corpus, 1, formats))
        floors.append(measure("floor", corpus))
    return best(floors), best(builds)


def amdahl(serial: float, cores: int) -> float:
    return 1 / (serial + (1 - serial) / cores)


def report(label: str, mb: float, docs: int, share: float, floor: dict, one: dict, two: dict | None) -> None:
    ratio = floor["seconds"] / one["seconds"]
    cpu_ratio = floor["cpu"] / one["cpu"]  # less swayed than wall time by others' load on a shared machine
    line = (f"{label:>8} {mb:6.1f} {docs:6d} {share:6.2f} | {mb / floor['seconds']:10.3f} {mb / one['seconds']:10.3f} "
            f"{ratio:6.2f} {cpu_ratio:6.2f} | {docs / one['seconds']:7.1f} {one['peak_mb']:8.0f} "
            f"{one['graph_mb'] / mb:7.1f}")
    if two:
        line += f" | {one['seconds'] / two['seconds']:8.2f}× {two['peak_mb']:8.0f}"
    print(line, flush=True)
    if len(floor.get("either", ())) > 1:
        print("         runs, alternating (the best of each above): floor "
              + " / ".join(f"{mb / seconds:.3f}" for seconds in floor["either"]) + " MB/s; build "
              + " / ".join(f"{mb / seconds:.3f}" for seconds in one.get("either", (one["seconds"],))) + " MB/s")
    if one.get("levels"):
        print("         graph bytes per byte of text by --evidence: "
              + ", ".join(f"{level} {size / mb:.1f}" for level, size in one["levels"].items()), flush=True)


def phases(one: dict, two: dict) -> None:
    """The 1-worker build split into the per-document work (parallel with workers) and the rest (serial).

    GNU sort merges the runs in its own process while the parent cuts and joins the Turtle: on many cores the
    merge, one process, is what the writing waits for where it outlasts the parent's own part; that excess is
    counted as serial too (and added to the build's time, as on one core)."""
    stages = {k: v for k, v in one["stages"].items() if k not in ("documents", "build (workers)")}
    beside = stages.pop(BESIDE, 0.0)
    parallel = sum(v for k, v in stages.items() if k in PARALLEL)
    beyond = max(0.0, beside - stages.get("write (cutting, joining)", 0.0))
    seconds = one["seconds"] + beyond
    serial_time = seconds - parallel
    serial = serial_time / seconds
    rest = one["seconds"] - parallel - sum(v for k, v in stages.items() if k not in PARALLEL)
    print("         phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items())
          + f"; the rest (listing, tallying, starting) {rest:.1f} s; beside the writing, GNU sort merging the "
          f"runs {beside:.1f} s of CPU ({beyond:.1f} s more than the parent's cutting and joining)")
    print(f"         serial share of a 1-worker build {serial:.1%} ({serial_time:.1f} of {seconds:.1f} s): "
          f"Amdahl predicts {amdahl(serial, 2):.2f}× at 2 cores (measured {one['seconds'] / two['seconds']:.2f}×), "
          f"{amdahl(serial, 8):.2f}× at 8, {amdahl(serial, 16):.2f}× at 16, {amdahl(serial, 64):.2f}× at 64")


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
    parser.add_argument("--sizes", default="2,8", help="corpus sizes in MB, comma-separated")
    parser.add_argument("--formats", default="ttl", help="formats written by the build, comma-separated")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of floor, build and Dask at the first size, alternating (the best of each)")
    parser.add_argument("--no-old", action="store_true", help="skip the old generator's line")
    parser.add_argument("--no-workers", action="store_true", help="skip the 2-worker build")
    parser.add_argument("--no-dask", action="store_true", help="skip Dask against --workers (at the first size)")
    parser.add_argument("--stores", action="store_true", help="also time Turtle writing and store queries")
    parser.add_argument("--only-stores", action="store_true", help="time the stores only")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], int(args.child[2]), args.child[3])))
        return
    if args.only_stores:
        stores()
        return
    real = [f.read_text(encoding="utf-8") for f in real_files()]
    real_bytes = sum(len(t.encode("utf-8")) for t in real)
    print(f"real pages: {len(real)} articles, {real_bytes / 1e6:.2f} MB; share of word 5-grams seen before "
          f"{repeated_share(real):.2f}")
    print(f"{'corpus':>8} {'MB':>6} {'docs':>6} {'5-gram':>6} | {'floor MB/s':>10} {'build MB/s':>10} {'ratio':>6} "
          f"{'(CPU)':>6} | {'docs/s':>7} {'peak MB':>8} {'graph×':>7} | {'2 workers':>9} {'peak MB':>8}")
    sizes = [float(s) for s in args.sizes.split(",")]
    for size in sizes:
        with tempfile.TemporaryDirectory() as d:
            docs, size_bytes = make_corpus(Path(d), size)
            mb = size_bytes / 1e6
            share = repeated_share(folder_texts(Path(d)))
            first = repeated_share(folder_texts(Path(d)), limit=real_bytes)
            floor, one = alternate(Path(d), args.formats, args.repeat if size == sizes[0] else 1)
            two = None if args.no_workers else measure("build", Path(d), 2, args.formats)
            dask = not args.no_dask and size == sizes[0]
            if dask:  # printed below the figures it is compared with
                with contextlib.redirect_stdout(io.StringIO()) as dask_line:
                    dask_against_workers(Path(d), repeat=args.repeat)
        report("honest", mb, docs, share, floor, one, two)
        print(f"         5-gram share in its first {real_bytes / 1e6:.2f} MB (as much as the real pages): {first:.2f}")
        if two:
            phases(one, two)
        print(f"         peak memory: parent {one['parent_mb']:.0f} MB; with 2 workers parent "
              f"{two['parent_mb']:.0f} MB, largest worker {two['child_mb']:.0f} MB" if two else
              f"         peak memory: parent {one['parent_mb']:.0f} MB", flush=True)
        if dask:
            print(dask_line.getvalue(), end="", flush=True)
        if not args.no_old and size == sizes[0]:
            with tempfile.TemporaryDirectory() as d:
                docs, size_bytes = make_old_corpus(Path(d), size)
                share = repeated_share(folder_texts(Path(d)))
                floor, one = alternate(Path(d), args.formats, 1)
            report("old gen.", size_bytes / 1e6, docs, share, floor, one, None)
    real_articles()
    if args.stores:
        stores()


if __name__ == "__main__":
    main()
