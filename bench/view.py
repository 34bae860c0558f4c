"""Benchmark the HTML view on graphs of 1k, 5k and 20k entities, in headless Chromium, as a user opens it.

    python bench/view.py                    # 1000, 5000 and 20000 entities
    python bench/view.py --sizes 5000 --keep /tmp/views --screenshot docs/screenshot-overview.png

The graphs are kg's own graph of the real pages at hand (examples, tests/dev,
tests/real/blind*, ../shared/eval/real when present), copied until the size is reached: in each
copy the people get other names and the people, companies, zones, documents
and figures other IRIs, as a larger corpus brings new ones, while provinces,
agencies and roles stay shared, as they are across a corpus. So the classes,
the degrees (hubs such as a province's People's Committee), the label lengths
and the sentences are those of real news.

For each size it prints the time `kg.view.render` takes in Python, the page's
size, and, in Chromium (scripts/browser.sh installs it when missing), the time
from navigation to an interactive page (kg.ready: drawn, physics off, events
bound), the JavaScript heap, the smallest label drawn and how many, the time to
open the largest group of an overview, and whether the targets hold: 5k
entities interactive in ≤ 2 s, 20k in ≤ 5 s, no label under 10 px.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from browser import Browser, install_chromium  # noqa: E402
from corpus import GIVEN, MIDDLES  # noqa: E402

from kg.view import render, to_networkx  # noqa: E402

REAL = ["examples/corpus", "tests/dev/corpus", "tests/dev/blind*/corpus", "tests/real/blind*/corpus",
        "../shared/eval/real/corpus"]
ID = "https://w3id.org/kg-vn/id/"
SHARED = tuple(ID + s for s in ("province/", "agency/", "role/", "ministry/"))
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
TARGETS = {5000: 2.0, 20000: 5.0}  # entities -> seconds to an interactive page


def seed_graph(folder: Path) -> Graph:
    """kg's graph of the real pages at hand, as `kg build` writes it."""
    corpora = [str(folder) for pattern in REAL for folder in sorted(ROOT.glob(pattern)) if folder.is_dir()]
    out = folder / "seed.nq"
    subprocess.run([sys.executable, "-m", "kg", "build", *corpora, "-o", str(out), "-q"], check=True, cwd=ROOT)
    dataset = Dataset()
    dataset.parse(out, format="nquads")
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def is_entity(graph: Graph, node: URIRef) -> bool:
    return (node, RDFS.label, None) in graph and str(node).startswith(ID)


def grown(seed: Graph, entities: int, rng: random.Random) -> Graph:
    """Copies of the seed graph, people renamed, non-shared IRIs made new, until `entities` are drawn."""
    people = {s for s in seed.subjects(RDF.type, None) if "/person/" in str(s)}
    graph = Graph()
    for triple in seed:
        graph.add(triple)
    copy = 0
    while len(to_networkx(graph)) < entities:
        copy += 1
        renamed: dict[URIRef, URIRef] = {}

        def new(term, copy=copy, renamed=renamed):
            if isinstance(term, URIRef) and str(term).startswith(ID) and not str(term).startswith(SHARED):
                return renamed.setdefault(term, URIRef(f"{term}-c{copy}"))
            return term

        names = {p: f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVEN)}" for p in people}
        for s, p, o in seed:
            if s in names and p in (RDFS.label, SKOS.altLabel):
                o = Literal(names[s], lang="vi")
            graph.add((new(s), p, new(o)))
    return graph


def cut(graph: Graph, entities: int) -> Graph:
    """The graph without the entities past `entities` (the last copy's), so sizes are comparable."""
    g = to_networkx(graph)
    extra = sorted(g, key=lambda n: (n.rsplit("-c", 1)[-1].isdigit() and int(n.rsplit("-c", 1)[-1]), n))[entities:]
    drop = set(map(URIRef, extra))
    out = Graph()
    for s, p, o in graph:
        if s not in drop and o not in drop:
            out.add((s, p, o))
    return out


def measure(browser: Browser, page: Path, screenshot: Path | None = None) -> dict:
    tab = browser.open(page, size=(1366, 768))
    if screenshot:
        tab.screenshot(screenshot)
    found = tab.js("""(() => { const labels = kg.labels.nodes.map(b => b.px).concat(kg.labels.edges.map(b => b.px));
        return { ready: kg.readyAt || performance.now(),  // (a page without readyAt: when it was seen ready)
                 heap: performance.memory ? performance.memory.usedJSHeapSize : 0,
                 drawn: kg.nodes.length, labels: labels.length, smallest: labels.length ? Math.min(...labels) : 0,
                 grouped: kg.grouped }; })()""")
    if found.get("grouped"):
        found["open"] = tab.js("""new Promise(r => { const biggest = Object.keys(kg.membersOf)
            .sort((a, b) => kg.membersOf[b].length - kg.membersOf[a].length)[0];
            const t0 = performance.now(); kg.expand(biggest, true);
            requestAnimationFrame(() => r(performance.now() - t0)); })""")
    found["problems"] = tab.problems()
    tab.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,5000,20000", help="entities, comma-separated")
    parser.add_argument("--keep", type=Path, help="write the pages into this folder")
    parser.add_argument("--screenshot", type=Path, help="a PNG of the 5,000-entity page as it opens (1366×768)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        folder = args.keep or Path(d)
        folder.mkdir(parents=True, exist_ok=True)
        seed = seed_graph(Path(d))
        print(f"seed: kg's graph of the real pages at hand, {len(to_networkx(seed)):,} entities, {len(seed):,} triples")
        browser = Browser(install_chromium(), Path(d) / "profile")
        print(f"{'entities':>8} {'render s':>8} {'page MB':>8} | {'interactive s':>13} {'target':>7} "
              f"{'heap MB':>8} {'drawn':>6} {'labels':>6} {'min px':>6} {'open group ms':>13}")
        try:
            for size in (int(s) for s in args.sizes.split(",")):
                graph = cut(grown(seed, size, random.Random(size)), size)
                count = len(to_networkx(graph))
                started = time.perf_counter()
                html = render(graph, max_nodes=max(count, 1))
                rendered = time.perf_counter() - started
                page = folder / f"view-{size}.html"
                page.write_text(html, encoding="utf-8")
                m = measure(browser, page, args.screenshot if size == 5000 else None)
                ready = m["ready"] / 1000
                target = TARGETS.get(size)
                verdict = "" if target is None else ("ok" if ready <= target else "MISSED") + f" ≤{target:g}"
                print(f"{count:>8,} {rendered:>8.1f} {page.stat().st_size / 1e6:>8.1f} | {ready:>13.2f} "
                      f"{verdict:>7} {m['heap'] / 1e6:>8.0f} {m['drawn']:>6,} {m['labels']:>6} "
                      f"{m['smallest']:>6} {m.get('open', 0):>13.0f}"
                      + (f"  problems: {m['problems']}" if m["problems"] else ""), flush=True)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
