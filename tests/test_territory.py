"""Territory in time (kg/territory.py): a province name kept on 1 July 2025 by a province that took in others
is two units, and an article's mention is the unit valid at its date, a figure's subject the unit of its period.

Through the CLI: `kg build` on an HTML page and JSON lines dated before and after the merger, then `kg query`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.gazetteer import lexicon
from kg.model import Document
from kg.pipeline import extract
from kg.rdf import entity_iri
from kg.territory import unit_key

runner = CliRunner()
P = "https://w3id.org/kg-vn/id/province/"

PAGE_2024 = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Thái Nguyên: kim ngạch xuất khẩu 6 tháng tăng 12%</title>
<meta property="article:published_time" content="2024-07-05T08:00:00+07:00"></head><body><article>
<h1>Thái Nguyên: kim ngạch xuất khẩu 6 tháng tăng 12%</h1>
<p>Chiều 5/7, Sở Công Thương Thái Nguyên cho biết kim ngạch xuất khẩu 6 tháng đầu năm 2024 của tỉnh Thái Nguyên \
đạt 15,2 tỷ USD, tăng 12% so với cùng kỳ. Toàn tỉnh hiện có 41 cụm công nghiệp đã được thành lập.</p>
<p>Các doanh nghiệp trong Khu công nghiệp Yên Bình tiếp tục mở rộng sản xuất, đóng góp lớn vào giá trị sản xuất \
công nghiệp của tỉnh trong nửa đầu năm.</p>
</article></body></html>
"""

LINES = [
    {"id": "tn_2025_08", "date": "2025-08-20", "url": "https://example.vn/tn-2025",
     "title": "Thái Nguyên đẩy mạnh phát triển cụm công nghiệp",
     "text": "Thái Nguyên đẩy mạnh phát triển cụm công nghiệp\nTheo Sở Công Thương Thái Nguyên, tính đến tháng "
             "8/2025, tỉnh Thái Nguyên có 52 cụm công nghiệp, trong đó 12 cụm thuộc địa bàn tỉnh Bắc Kạn trước "
             "đây."},
    {"id": "tn_2026_01", "date": "2026-01-12", "url": "https://example.vn/tn-2026",
     "title": "Xuất khẩu của Thái Nguyên",
     "text": "Xuất khẩu của Thái Nguyên\nNăm 2021, kim ngạch xuất khẩu của tỉnh Thái Nguyên đạt 27,8 tỷ USD. "
             "Năm 2025, kim ngạch xuất khẩu của tỉnh Thái Nguyên đạt 33,5 tỷ USD. Tháng 12/2025, kim ngạch xuất "
             "khẩu của tỉnh Thái Nguyên đạt 3,1 tỷ USD."},
    {"id": "cb_2024", "date": "2024-03-01", "title": "Cao Bằng phát triển thương mại biên giới",
     "text": "Cao Bằng phát triển thương mại biên giới\nNăm 2023, kim ngạch xuất nhập khẩu qua địa bàn tỉnh Cao "
             "Bằng đạt 1,2 tỷ USD."},
    {"id": "cb_2025", "date": "2025-09-01", "title": "Cao Bằng phát triển thương mại biên giới",
     "text": "Cao Bằng phát triển thương mại biên giới\nTháng 8/2025, kim ngạch xuất nhập khẩu qua địa bàn tỉnh Cao "
             "Bằng đạt 150 triệu USD."},
]

QUERY = """PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX kg: <https://w3id.org/kg-vn/ontology#>
SELECT ?article ?what ?province WHERE {
  ?doc dcterms:identifier ?article .
  { ?doc schema:mentions ?province . ?province a kg:Province . BIND("mention" AS ?what) }
  UNION
  { ?o kg:evidence/kg:inSentence?/kg:inDocument ?doc ; schema:observationAbout ?province ; schema:value ?v .
    BIND(CONCAT("figure ", STR(?v)) AS ?what) }
}"""

UNITS = """PREFIX kg: <https://w3id.org/kg-vn/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?unit ?label ?code ?code2025 ?iso ?into ?from ?date WHERE {
  ?unit a kg:Province ; rdfs:label ?label .
  OPTIONAL { ?unit kg:provinceCode ?code }
  OPTIONAL { ?unit kg:provinceCode2025 ?code2025 }
  OPTIONAL { ?unit kg:isoCode ?iso }
  OPTIONAL { ?unit kg:mergedInto ?into }
  OPTIONAL { ?unit prov:wasDerivedFrom ?from }
  OPTIONAL { ?unit kg:mergerDate ?date }
}"""


def _query(graph, sparql: str) -> list[dict[str, str]]:
    result = runner.invoke(app, ["query", str(graph), sparql, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    folder = tmp_path_factory.mktemp("territory")
    (folder / "tn_2024_07.html").write_text(PAGE_2024, encoding="utf-8")
    (folder / "news.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in LINES),
                                       encoding="utf-8")
    out = folder / "graph.ttl"
    built = runner.invoke(app, ["build", str(folder), "-o", str(out), "-q", "--no-cache", "--validate"])
    assert built.exit_code == 0, built.output
    return out


@pytest.fixture(scope="module")
def seen(graph) -> dict[str, set[tuple[str, str]]]:
    """article -> {(mention or "figure <value>", province IRI)}."""
    found: dict[str, set[tuple[str, str]]] = {}
    for row in _query(graph, QUERY):
        found.setdefault(row["article"], set()).add((row["what"], row["province"]))
    return found


def test_territory_an_article_dated_2024_names_the_unit_before_the_merger(seen):
    assert {p for what, p in seen["tn_2024_07"] if what == "mention"} == {P + "thai-nguyen"}
    assert {p for what, p in seen["tn_2024_07"] if what != "mention"} == {P + "thai-nguyen"}


def test_territory_an_article_dated_august_2025_names_the_merged_unit(seen):
    mentioned = {p for what, p in seen["tn_2025_08"] if what == "mention"}
    assert mentioned == {P + "thai-nguyen-2025", P + "bac-kan"}
    assert ("figure 52.0", P + "thai-nguyen-2025") in seen["tn_2025_08"]


def test_territory_a_2021_figure_in_a_2026_article_is_about_the_unit_before_the_merger(seen):
    assert seen["tn_2026_01"] == {
        ("mention", P + "thai-nguyen-2025"),  # the article's words: one unit per name
        ("figure 27.8", P + "thai-nguyen"),  # 2021: before the merger
        ("figure 33.5", P + "thai-nguyen-2025"),  # the year 2025 spans the date: the article's unit
        ("figure 3.1", P + "thai-nguyen-2025"),  # December 2025: after
    }


def test_territory_the_shipped_query_gives_a_province_figures_before_and_after_the_merger(graph):
    query = (Path(__file__).parents[1] / "examples" / "queries" / "province-before-and-after-merger.rq")
    rows = {(r["era"], r["unit_code"], r["value"], r["start"], r["article"])
            for r in _query(graph, query.read_text(encoding="utf-8")) if r["unit_of_value"] == "USD"}
    assert rows == {
        ("after", "19", "3100000000.0", "2025-12-01", "tn_2026_01"),
        ("after", "19", "33500000000.0", "2025-01-01", "tn_2026_01"),
        ("before", "19", "27800000000.0", "2021-01-01", "tn_2026_01"),
        ("before", "19", "15200000000.0", "2024-01-01", "tn_2024_07"),
    }


def test_territory_a_province_unchanged_in_2025_is_one_unit_either_way(seen):
    assert {p for what, p in seen["cb_2024"]} == {P + "cao-bang"}
    assert {p for what, p in seen["cb_2025"]} == {P + "cao-bang"}


def test_territory_units_carry_their_codes_and_the_merger_links(graph):
    rows = _query(graph, UNITS)
    by_unit: dict[str, dict[str, set[str]]] = {}
    for row in rows:
        for k, v in row.items():
            if v:
                by_unit.setdefault(row["unit"], {}).setdefault(k, set()).add(v)
    old, new, bac_kan, cao_bang = (by_unit[P + n] for n in ("thai-nguyen", "thai-nguyen-2025", "bac-kan", "cao-bang"))
    assert old == {"unit": {P + "thai-nguyen"}, "label": {"Thái Nguyên"}, "code": {"19"}, "iso": {"VN-69"},
                   "into": {P + "thai-nguyen-2025"}, "date": {"2025-07-01"}}
    assert new == {"unit": {P + "thai-nguyen-2025"}, "label": {"Thái Nguyên"}, "code2025": {"19"},
                   "from": {P + "thai-nguyen", P + "bac-kan"}, "date": {"2025-07-01"}}
    assert bac_kan == {"unit": {P + "bac-kan"}, "label": {"Bắc Kạn"}, "code": {"06"}, "iso": {"VN-53"},
                       "into": {P + "thai-nguyen-2025"}, "date": {"2025-07-01"}}
    assert cao_bang == {"unit": {P + "cao-bang"}, "label": {"Cao Bằng"}, "code": {"04"}, "code2025": {"04"},
                        "iso": {"VN-04"}}


# --- table tests: codes and keys of each kind of unit -------------------------------------------------------

@pytest.mark.parametrize(("name", "code", "code_2025", "iso", "two_units"), [
    ("Thái Nguyên", "19", "19", "VN-69", True),  # took in Bắc Kạn
    ("Lào Cai", "10", "15", "VN-02", True),  # took in Yên Bái, and Yên Bái's code
    ("Bắc Ninh", "27", "24", "VN-56", True),  # took in Bắc Giang, and its code
    ("Tây Ninh", "72", "80", "VN-37", True),  # took in Long An, and its code
    ("Hồ Chí Minh", "79", "79", "VN-SG", True),  # took in Bình Dương and Bà Rịa - Vũng Tàu
    ("Cần Thơ", "92", "92", "VN-CT", True),
    ("Hà Nội", "01", "01", "VN-HN", False),  # unchanged
    ("Cao Bằng", "04", "04", "VN-04", False),
    ("Huế", "46", "46", "VN-26", False),  # renamed from Thừa Thiên Huế, the same territory
    ("Bắc Kạn", "06", None, "VN-53", False),  # ceased to be: merged into Thái Nguyên
    ("Kiên Giang", "91", None, "VN-47", False),
])
def test_territory_codes_of_each_unit(name, code, code_2025, iso, two_units):
    p = lexicon().provinces[name]
    assert (p.code, p.code_2025, p.iso, p.two_units) == (code, code_2025, iso, two_units)


def test_territory_every_old_unit_has_an_iso_code_and_34_units_exist_since_the_merger():
    provinces = lexicon().provinces.values()
    assert len(provinces) == 63
    assert len({p.iso for p in provinces}) == 63
    assert len([p for p in provinces if p.code_2025]) == 34
    assert {p.name for p in provinces if p.two_units} == {
        "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hải Phòng", "Hưng Yên", "Ninh Bình",
        "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Khánh Hòa", "Gia Lai", "Đắk Lắk", "Lâm Đồng", "Tây Ninh",
        "Đồng Nai", "Hồ Chí Minh", "Vĩnh Long", "Đồng Tháp", "An Giang", "Cần Thơ", "Cà Mau"}


@pytest.mark.parametrize(("name", "since", "iri"), [
    ("Thái Nguyên", False, P + "thai-nguyen"),
    ("Thái Nguyên", True, P + "thai-nguyen-2025"),
    ("Hồ Chí Minh", True, P + "ho-chi-minh-2025"),
    ("Hà Nội", True, P + "ha-noi"),  # one unit
    ("Bắc Kạn", True, P + "bac-kan"),  # no unit of that name since the merger
])
def test_territory_iri_of_each_unit(name, since, iri):
    assert str(entity_iri(unit_key(name, since, lexicon()))) == iri


# --- undated text: the article's own words --------------------------------------------------------------------

def _units(text: str) -> set[str]:
    x = extract(Document(id="t", text=text))
    return {m.key for m in x.mentions if m.type == "Province"}


@pytest.mark.parametrize(("text", "keys"), [
    ("Lào Cai phát triển công nghiệp\nTỉnh Lào Cai có 12 khu công nghiệp.", {"province:lào cai"}),
    ("Lào Cai phát triển công nghiệp\nTỉnh Lào Cai (mới) có 12 khu công nghiệp.", {"province:lào cai @2025"}),
    ("Lào Cai phát triển công nghiệp\nTỉnh Lào Cai sau sáp nhập có 12 khu công nghiệp.",
     {"province:lào cai @2025"}),
    ("Lào Cai phát triển công nghiệp\nSau sáp nhập tỉnh, Lào Cai có 12 khu công nghiệp.",
     {"province:lào cai @2025"}),
    ("Lào Cai phát triển công nghiệp\nTỉnh Lào Cai (cũ) có 12 khu công nghiệp. Sau sáp nhập, tỉnh có 20 khu.",
     {"province:lào cai"}),
    ("Lào Cai phát triển công nghiệp\nLào Cai mới có 3 khu công nghiệp.", {"province:lào cai"}),  # "only has"
])
def test_territory_an_undated_article_is_read_by_its_own_words(text, keys):
    assert _units(text) == keys
