"""Identity across articles (kg/identity.py): one node per real thing, not per name.

Each article is extracted alone, so what the tests check is the key each article gives: two provinces'
"Quyết định số 01/2024/QĐ-UBND" are two documents, a decree of the Government is one, two namesakes
holding posts in two provinces are two people, one official in two articles of his province is one.
"""

import csv
import io

import pytest
from helpers import run
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()

ARTICLES = {
    "tn_cum_cong_nghiep": """Thái Nguyên quy định quản lý cụm công nghiệp
Ngày 10/1/2024, UBND tỉnh Thái Nguyên ban hành Quyết định số 01/2024/QĐ-UBND ngày 10/1/2024 về quy định quản lý \
cụm công nghiệp trên địa bàn tỉnh. Quyết định được xây dựng trên cơ sở Nghị định số 32/2024/NĐ-CP ngày 15/3/2024 \
của Chính phủ về quản lý, phát triển cụm công nghiệp.
Phát biểu tại hội nghị, Phó Chủ tịch UBND tỉnh Thái Nguyên Nguyễn Văn Hùng đề nghị Sở Công Thương Thái Nguyên \
hướng dẫn các địa phương triển khai.
""",
    "bg_gia_dich_vu": """Bắc Giang ban hành quy định về giá dịch vụ tại khu công nghiệp
Quyết định số 01/2024/QĐ-UBND ngày 15/1/2024 của UBND tỉnh Bắc Giang về giá dịch vụ sử dụng hạ tầng khu công \
nghiệp có hiệu lực từ ngày 1/2/2024. Theo Nghị định số 32/2024/NĐ-CP, tỉnh sẽ rà soát các cụm công nghiệp.
Phó Chủ tịch UBND tỉnh Bắc Giang Nguyễn Văn Hùng yêu cầu Ban Quản lý các khu công nghiệp tỉnh triển khai thực hiện.
""",
    "tn_xuat_khau": """Thái Nguyên: kim ngạch xuất khẩu tăng 12%
Chiều 5/7, Phó Chủ tịch UBND tỉnh Thái Nguyên Nguyễn Văn Hùng làm việc với Sở Công Thương Thái Nguyên về tình hình \
xuất khẩu 6 tháng đầu năm. Kim ngạch xuất khẩu của tỉnh đạt 15,2 tỷ USD, tăng 12% so với cùng kỳ.
""",
}

NODES = """PREFIX kg: <https://w3id.org/kg-vn/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?node ?label ?other ?article WHERE {
  ?node rdfs:label ?label .
  { ?node eli:passed_by/rdfs:label ?other } UNION { ?node org:memberOf/rdfs:label ?other }
  ?doc schema:mentions ?node ; dcterms:identifier ?article .
}"""


@pytest.fixture(scope="module")
def rows(tmp_path_factory) -> list[dict[str, str]]:
    """`kg build` on three articles, then `kg query`: each legal document's issuer, each person's body."""
    folder = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    graph = folder / "out" / "graph.ttl"
    built = runner.invoke(app, ["build", str(folder), "-o", str(graph), "-q", "--no-cache"])
    assert built.exit_code == 0, built.output
    result = runner.invoke(app, ["query", str(graph), NODES, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def nodes(rows: list[dict[str, str]], label: str) -> dict[str, tuple[set[str], set[str]]]:
    """node -> (what it was passed by or is a member of, the articles mentioning it), for one label."""
    out: dict[str, tuple[set[str], set[str]]] = {}
    for r in rows:
        if r["label"] == label:
            other, articles = out.setdefault(r["node"], (set(), set()))
            other.add(r["other"])
            articles.add(r["article"])
    return out


def test_identity_two_provinces_decisions_with_one_number_are_two_documents(rows):
    found = nodes(rows, "Quyết định 01/2024/QĐ-UBND")
    assert sorted(found.values(), key=lambda v: sorted(v[1])) == [
        ({"Ủy ban nhân dân tỉnh Bắc Giang"}, {"bg_gia_dich_vu"}),
        ({"Ủy ban nhân dân tỉnh Thái Nguyên"}, {"tn_cum_cong_nghiep"}),
    ]


def test_identity_a_national_decree_cited_in_two_articles_is_one_node_with_its_iri(rows):
    found = nodes(rows, "Nghị định 32/2024/NĐ-CP")
    assert found == {"https://w3id.org/kg-vn/id/legal/nghi-dinh-32-2024-nd-cp":
                     ({"Chính phủ"}, {"tn_cum_cong_nghiep", "bg_gia_dich_vu"})}


def test_identity_namesakes_in_two_provinces_are_two_people_one_official_is_one(rows):
    found = nodes(rows, "Nguyễn Văn Hùng")
    assert sorted(found.values(), key=lambda v: sorted(v[1])) == [
        ({"Ủy ban nhân dân tỉnh Bắc Giang"}, {"bg_gia_dich_vu"}),
        ({"Ủy ban nhân dân tỉnh Thái Nguyên"}, {"tn_cum_cong_nghiep", "tn_xuat_khau"}),
    ]


def keys(x, type_: str) -> set[str]:
    return {m.key for m in x.mentions if m.type == type_}


def test_identity_a_number_without_a_year_takes_its_date_year():
    a = run("Hà Tĩnh: kinh tế quý I\nThực hiện Nghị quyết số 01/NQ-CP ngày 8/1/2025 của Chính phủ, tỉnh Hà Tĩnh "
            "đẩy mạnh giải ngân. Nghị quyết 01/NQ-CP đặt mục tiêu tăng trưởng 8%.", "a")
    b = run("Hà Nam: kinh tế 9 tháng\nTheo Nghị quyết số 01/NQ-CP ngày 5/1/2024 của Chính phủ, tỉnh Hà Nam "
            "triển khai các nhiệm vụ.", "b")
    undated = run("Tin\nCác bộ, ngành triển khai Nghị quyết 01/NQ-CP của Chính phủ.", "c")
    assert keys(a, "LegalDocument") == {"legaldocument:nghị quyết 01/nq-cp @2025"}  # the undated mention too
    assert keys(b, "LegalDocument") == {"legaldocument:nghị quyết 01/nq-cp @2024"}
    assert keys(undated, "LegalDocument") == {"legaldocument:nghị quyết 01/nq-cp"}  # year unknown: as before
    assert {e.attrs["date"] for x in (a, b) for e in x.entities.values() if e.type == "LegalDocument"} == {
        "2025-01-08", "2024-01-05"}


def test_identity_a_local_number_without_issuer_or_province_is_the_articles_own():
    text = "Tin\nTheo Quyết định số 27/QĐ-UBND, các địa phương rà soát quy hoạch."
    assert keys(run(text, "a"), "LegalDocument") == {"legaldocument:quyết định 27/qđ-ubnd @doc:a"}
    assert keys(run(text, "b"), "LegalDocument") == {"legaldocument:quyết định 27/qđ-ubnd @doc:b"}


def test_identity_a_departments_number_is_scoped_by_the_article_province_a_former_ministrys_is_not():
    x = run("Sơn La kiểm tra thị trường\nThực hiện Quyết định số 127/QĐ-QLTTSL, lực lượng quản lý thị trường tỉnh "
            "Sơn La kiểm tra 40 cơ sở theo Quyết định số 3454/QĐ-BCN.")
    assert keys(x, "LegalDocument") == {"legaldocument:quyết định 127/qđ-qlttsl @sơn la",
                                        "legaldocument:quyết định 3454/qđ-bcn"}


def test_identity_an_official_before_and_after_the_2025_merger_is_one_person():
    before = run("Bình Định thu hút đầu tư\nChủ tịch UBND tỉnh Bình Định Phạm Anh Tuấn tiếp đoàn doanh nghiệp.")
    after = run("Gia Lai thu hút đầu tư\nChủ tịch UBND tỉnh Gia Lai Phạm Anh Tuấn tiếp đoàn doanh nghiệp.")
    assert keys(before, "Person") == keys(after, "Person") == {"person:phạm anh tuấn @gia lai"}


def test_identity_national_officials_and_people_without_a_post_keep_the_bare_name():
    x = run("Bộ Công Thương làm việc với tỉnh Nghệ An\nBộ trưởng Bộ Công Thương Nguyễn Hồng Diên làm việc với tỉnh "
            "Nghệ An. Ông Trần Văn Bình cho biết doanh nghiệp đã mở rộng sản xuất.")
    assert keys(x, "Person") == {"person:nguyễn hồng diên", "person:trần văn bình"}
