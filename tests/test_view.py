"""The HTML view in a real browser (Debian's chromium, headless, no network), and its options through the CLI."""

import re
import subprocess
from pathlib import Path

import pytest
from conftest import debian_tool
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli import app
from kg.view import select, to_networkx

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=15000"]


@pytest.fixture(scope="module")
def chromium():
    return debian_tool("chromium", "chromium")


def browse(chromium: str, page: Path, tmp_path: Path, *extra: str, fragment: str = "") -> str:
    result = subprocess.run([chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *extra,
                             page.resolve().as_uri() + fragment], capture_output=True, text=True, timeout=120)
    return result.stdout


def attribute(dom: str, name: str) -> str:
    found = re.search(rf'<html[^>]*\sdata-{name}="([^"]*)"', dom)
    return found.group(1) if found else ""


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("view")
    assert runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(out), "-q"]).exit_code == 0
    return out


def test_the_page_draws_every_node_and_edge_without_errors(chromium, example, tmp_path):
    g = to_networkx(Graph().parse(example / "graph.ttl"))
    edges = {(s, o, d["label"]) for s, o, d in g.edges(data=True)}
    dom = browse(chromium, example / "graph.html", tmp_path, "--dump-dom")
    assert attribute(dom, "kg-nodes") == str(g.number_of_nodes())
    assert attribute(dom, "kg-edges") == str(len(edges))
    assert attribute(dom, "kg-errors") == "0"
    assert attribute(dom, "kg-stable") == "1"  # the layout settled and physics stopped


def test_screenshot(chromium, example, tmp_path):
    shot = tmp_path / "view.png"
    browse(chromium, example / "graph.html", tmp_path, "--window-size=1400,900", f"--screenshot={shot}",
           fragment="#select=https%3A%2F%2Fw3id.org%2Fkg-vn%2Fid%2Fprovince%2Fthai-nguyen")
    assert shot.stat().st_size > 20_000


def test_the_panel_shows_details_and_statistics(chromium, example, tmp_path):
    dom = browse(chromium, example / "graph.html", tmp_path, "--dump-dom",
                 fragment="#select=https%3A%2F%2Fw3id.org%2Fkg-vn%2Fid%2Fprovince%2Fthai-nguyen")
    panel = dom[dom.index('id="kg-panel"'):]
    assert "<h3>Thái Nguyên</h3>" in panel and "Số liệu" in panel and "tỷ USD" in panel


def test_hostile_text_shows_as_text_and_runs_nothing(chromium, tmp_path):
    article = tmp_path / "x.txt"
    payload = "<img src=x onerror=document['documentElement']['dataset']['pwned']=1>"
    article.write_text(f"Tin Nghệ An\nTại Nghệ An, Công ty TNHH Ác {payload} mở nhà máy.", encoding="utf-8")
    assert runner.invoke(app, ["build", str(article), "-o", str(tmp_path / "o"), "-q"]).exit_code == 0
    g = to_networkx(Graph().parse(tmp_path / "o" / "graph.ttl"))
    province = next(n for n, d in g.nodes(data=True) if d["type"] == "Province")
    dom = browse(chromium, tmp_path / "o" / "graph.html", tmp_path, "--dump-dom",
                 fragment="#select=" + province.replace(":", "%3A").replace("/", "%2F"))
    assert "data-pwned" not in dom
    assert attribute(dom, "kg-errors") == "0"
    assert "&lt;img src=x onerror=" in dom  # the sentence, shown as text in the panel


def test_focus_types_and_limits_through_the_cli(example, tmp_path):
    page = tmp_path / "focus.html"
    result = runner.invoke(app, ["view", str(example / "graph.ttl"), "-o", str(page), "--focus", "thai nguyen",
                                 "--depth", "1"])
    assert result.exit_code == 2 and "no entity is named" in result.output  # names keep their diacritics
    result = runner.invoke(app, ["view", str(example / "graph.ttl"), "-o", str(page), "--focus", "Thái Nguyên",
                                 "--depth", "1"])
    assert result.exit_code == 0
    whole = to_networkx(Graph().parse(example / "graph.ttl"))
    part = select(whole, "Thái Nguyên", 1)
    assert 1 < part.number_of_nodes() < whole.number_of_nodes()
    assert page.read_text(encoding="utf-8").count('"kgtype"') == part.number_of_nodes()
    result = runner.invoke(app, ["view", str(example / "graph.ttl"), "-o", str(page), "--types", "Person,Agency"])
    assert result.exit_code == 0
    result = runner.invoke(app, ["view", str(example / "graph.ttl"), "-o", str(tmp_path / "big.html"),
                                 "--max-nodes", "10"])
    assert result.exit_code == 2 and "--focus" in result.output and not (tmp_path / "big.html").exists()


def test_a_graph_of_5000_nodes_settles_in_the_browser(chromium, tmp_path):
    lines = ["@prefix kg: <https://w3id.org/kg-vn/ontology#> .", "@prefix schema: <https://schema.org/> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .", "@prefix org: <http://www.w3.org/ns/org#> ."]
    lines += [f'<urn:p{i}> a kg:Province ; rdfs:label "Tỉnh {i}"@vi .' for i in range(63)]
    lines += [f'<urn:a{i}> a kg:Agency ; rdfs:label "Cơ quan {i}"@vi ; schema:areaServed <urn:p{i % 63}> .'
              for i in range(2500)]
    lines += [f'<urn:n{i}> a kg:Person ; rdfs:label "Người {i}"@vi ; org:memberOf <urn:a{i * 7 % 2500}> .'
              for i in range(2437)]
    (tmp_path / "big.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert runner.invoke(app, ["view", str(tmp_path / "big.ttl"), "-o", str(tmp_path / "big.html")]).exit_code == 0
    dom = browse(chromium, tmp_path / "big.html", tmp_path, "--dump-dom", "--virtual-time-budget=60000")
    assert attribute(dom, "kg-nodes") == "5000"
    assert attribute(dom, "kg-stable") == "1" and attribute(dom, "kg-errors") == "0"
