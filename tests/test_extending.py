"""The README's "Extending kg", done as a newcomer would: one data file for a new class, one module for a format.

Each test copies the package, makes the one change the README shows, and runs the copy's `kg` on a real
sentence, so the claim "touch one file" is checked, not asserted.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Namespace

ROOT = Path(__file__).resolve().parents[1]
KG = Namespace("https://w3id.org/kg-vn/ontology#")
ARTICLE = ("Năm 2024, Khu chế xuất Tân Thuận ở TP. Hồ Chí Minh thu hút thêm 12 dự án; Sở Công Thương "
           "TP. Hồ Chí Minh cho biết kim ngạch xuất khẩu của khu tăng 8%.\n")


def copy_of_kg(tmp_path: Path) -> Path:
    """A private copy of the package to change."""
    home = tmp_path / "pkg"
    shutil.copytree(ROOT / "kg", home / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "ontology", home / "ontology", ignore=shutil.ignore_patterns("__pycache__"))
    return home


def kg(home: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", *args], cwd=cwd,
                          env={"PYTHONPATH": str(home), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                          timeout=300)


def test_a_new_class_of_zone_is_one_entry_in_a_data_file(tmp_path):
    home = copy_of_kg(tmp_path)
    data_file = home / "kg" / "data" / "zones.json"
    data = json.loads(data_file.read_text(encoding="utf-8"))
    data["heads"].append({"words": ["khu chế xuất", "KCX"], "canonical": "Khu chế xuất",
                          "class": "ExportProcessingZone"})
    data_file.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    built = kg(home, "build", "a.txt", "-o", "out", "-f", "nt", "--no-cache", "-q", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    g = Graph().parse(tmp_path / "out" / "graph.nt", format="nt")
    zones = list(g.subjects(RDF.type, KG.ExportProcessingZone))
    assert [str(g.value(z, RDFS.label)) for z in zones] == ["Khu chế xuất Tân Thuận"]
    assert (KG.ExportProcessingZone, RDFS.subClassOf, KG.IndustrialZone) in g  # under its type: the view colours it
    checked = kg(home, "validate", "out/graph.nt", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


EXPORTER = '''

@exporter("labels", ".tsv")
def labels(out: Output) -> bytes:
    """Each node's IRI and label, one per line."""
    rows = sorted(f"{s}\\t{o}" for s, o in out.graph.subject_objects(RDFS.label))
    return ("\\n".join(rows) + "\\n").encode("utf-8")
'''


def test_a_new_output_format_is_one_function_in_one_module(tmp_path):
    home = copy_of_kg(tmp_path)
    module = home / "kg" / "export.py"
    module.write_text(module.read_text(encoding="utf-8").replace(
        "from rdflib import Dataset, Graph", "from rdflib import RDFS, Dataset, Graph") + EXPORTER, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    built = kg(home, "build", "a.txt", "-o", "out", "-f", "labels,nt", "--no-cache", "-q", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    rows = (tmp_path / "out" / "graph.tsv").read_text(encoding="utf-8").splitlines()
    assert "Sở Công Thương Hồ Chí Minh" in {r.split("\t")[1] for r in rows}
    listed = kg(home, "build", "--help", cwd=tmp_path)
    assert "labels" in listed.stdout
    wrong = kg(home, "build", "a.txt", "-o", "out", "-f", "label", cwd=tmp_path)
    assert wrong.returncode == 2
    assert "unknown format label (choose from ttl, nt, nq, trig, jsonld, html, labels)" in wrong.stderr


def test_a_data_file_edited_wrong_is_one_line_naming_the_file_and_key(tmp_path):
    home = copy_of_kg(tmp_path)
    data_file = home / "kg" / "data" / "zones.json"
    data = json.loads(data_file.read_text(encoding="utf-8"))
    data["heads"].append({"word": ["khu chế xuất"], "canonical": "Khu chế xuất", "class": "ExportProcessingZone"})
    data_file.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kg", "build", "a.txt", "-o", "out"], cwd=tmp_path,
                         env={"PYTHONPATH": str(home), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 2
    last = len(data["heads"]) - 1
    assert run.stderr == f"error: kg/data/zones.json.heads[{last}]: missing key 'words'\n"
    assert not (tmp_path / "out").exists()
