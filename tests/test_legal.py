"""The legal citation graph: basis, implementation, amendment, replacement and repeal between legal documents.

Sentences as real pages write them (a decision's preamble, a news report on a new decree); each row says
exactly which links the sentence gives, so a row with an empty set is a phrase that must give none.
"""

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run
from typer.testing import CliRunner

from kg.cli import app

CITATIONS = ("eli:based_on", "kg:implements", "eli:amends", "kg:replaces", "eli:repeals")
QUERY = Path(__file__).resolve().parents[1] / "examples" / "queries" / "legal-chain.rq"
HEADER = "Số: 2646/QĐ-BCT\nHà Nội, ngày 23 tháng 9 năm 2025\n"  # the page is Quyết định 2646/QĐ-BCT


def links(text: str) -> set[tuple[str, str, str]]:
    x = run("Tin\n" + text)
    return {(x.entities[r.subject].label, r.predicate, x.entities[r.object].label)
            for r in x.relations if r.predicate in CITATIONS}


@pytest.mark.parametrize(("text", "expected"), [
    # a decision's preamble: its "Căn cứ" lines are its legal basis, each document of the list once
    (HEADER + "Căn cứ Nghị định số 40/2025/NĐ-CP ngày 26 tháng 02 năm 2025 của Chính phủ quy định chức năng, "
     "nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Công Thương;",
     {("Quyết định 2646/QĐ-BCT", "eli:based_on", "Nghị định 40/2025/NĐ-CP")}),
    (HEADER + "Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công; Nghị định "
     "số 235/2025/NĐ-CP ngày 27 tháng 8 năm 2025 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số "
     "45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công;",
     {("Quyết định 2646/QĐ-BCT", "eli:based_on", "Nghị định 45/2012/NĐ-CP"),
      ("Quyết định 2646/QĐ-BCT", "eli:based_on", "Nghị định 235/2025/NĐ-CP"),
      ("Nghị định 235/2025/NĐ-CP", "eli:amends", "Nghị định 45/2012/NĐ-CP")}),
    (HEADER + "Căn cứ Nghị định số 92/2006/NĐ-CP ngày 07 tháng 9 năm 2006 của Chính phủ và Nghị định số "
     "04/2008/NĐ-CP ngày 11 tháng 01 năm 2008 của Chính phủ;",
     {("Quyết định 2646/QĐ-BCT", "eli:based_on", "Nghị định 92/2006/NĐ-CP"),
      ("Quyết định 2646/QĐ-BCT", "eli:based_on", "Nghị định 04/2008/NĐ-CP")}),
    (HEADER + "Căn cứ Luật Sử dụng năng lượng tiết kiệm và hiệu quả ngày 28 tháng 6 năm 2010 đã được sửa đổi, bổ "
     "sung bởi Luật số 28/2018/QH14 ngày 15 tháng 6 năm 2018;",
     {("Quyết định 2646/QĐ-BCT", "eli:based_on", "Luật Sử dụng năng lượng tiết kiệm và hiệu quả"),
      ("Luật 28/2018/QH14", "eli:amends", "Luật Sử dụng năng lượng tiết kiệm và hiệu quả")}),
    # the basis of a decision a news report announces, before or after it
    ("Căn cứ Nghị định 32/2024/NĐ-CP, UBND tỉnh Lâm Đồng đã ban hành Quyết định số 12/2024/QĐ-UBND về quy chế "
     "quản lý cụm công nghiệp.",
     {("Quyết định 12/2024/QĐ-UBND", "eli:based_on", "Nghị định 32/2024/NĐ-CP")}),
    ("Quyết định số 12/2024/QĐ-UBND được ban hành căn cứ Nghị định 32/2024/NĐ-CP.",
     {("Quyết định 12/2024/QĐ-UBND", "eli:based_on", "Nghị định 32/2024/NĐ-CP")}),
    # a document that details or guides another
    ("Căn cứ Nghị định số 10/2018/NĐ-CP ngày 15 tháng 01 năm 2018 của Chính phủ quy định chi tiết một số điều "
     "của Luật Quản lý ngoại thương về các biện pháp phòng vệ thương mại;",
     {("Nghị định 10/2018/NĐ-CP", "kg:implements", "Luật Quản lý ngoại thương")}),
    ("Thông tư 28/2020/TT-BCT hướng dẫn thi hành Nghị định 68/2017/NĐ-CP.",
     {("Thông tư 28/2020/TT-BCT", "kg:implements", "Nghị định 68/2017/NĐ-CP")}),
    ("Nghị định số 21/2011/NĐ-CP ngày 29 tháng 3 năm 2011 của Chính phủ quy định chi tiết và biện pháp thi hành "
     "Luật Sử dụng năng lượng tiết kiệm và hiệu quả.",
     {("Nghị định 21/2011/NĐ-CP", "kg:implements", "Luật Sử dụng năng lượng tiết kiệm và hiệu quả")}),
    # replacement, either way round, in brackets, after the clause on entry into force
    ("Nghị định 32/2024/NĐ-CP thay thế Nghị định 68/2017/NĐ-CP và Nghị định 66/2020/NĐ-CP.",
     {("Nghị định 32/2024/NĐ-CP", "kg:replaces", "Nghị định 68/2017/NĐ-CP"),
      ("Nghị định 32/2024/NĐ-CP", "kg:replaces", "Nghị định 66/2020/NĐ-CP")}),
    ("Chính sách khuyến công của tỉnh Long An được triển khai theo Quyết định số 45/2019/QĐ-UBND (thay thế "
     "Quyết định số 61/2014/QĐ-UBND) với nhiều nội dung mới.",
     {("Quyết định 45/2019/QĐ-UBND", "kg:replaces", "Quyết định 61/2014/QĐ-UBND")}),
    ("Nghị định 68/2017/NĐ-CP và Nghị định 66/2020/NĐ-CP được thay thế bởi Nghị định 32/2024/NĐ-CP.",
     {("Nghị định 32/2024/NĐ-CP", "kg:replaces", "Nghị định 68/2017/NĐ-CP"),
      ("Nghị định 32/2024/NĐ-CP", "kg:replaces", "Nghị định 66/2020/NĐ-CP")}),
    (HEADER + "Điều 3. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 1881/QĐ-BCT ngày "
     "1/6/2020 của Bộ trưởng Bộ Công Thương.",
     {("Quyết định 2646/QĐ-BCT", "kg:replaces", "Quyết định 1881/QĐ-BCT")}),
    # repeal: "<kind> này" and a clause of the document's own articles
    (HEADER + "Điều 2. Quyết định này bãi bỏ Quyết định số 1234/QĐ-BCT ngày 2/3/2020.",
     {("Quyết định 2646/QĐ-BCT", "eli:repeals", "Quyết định 1234/QĐ-BCT")}),
    (HEADER + "Điều 4. Bãi bỏ Quyết định số 3752/QĐ-BCT ngày 02 tháng 10 năm 2017.",
     {("Quyết định 2646/QĐ-BCT", "eli:repeals", "Quyết định 3752/QĐ-BCT")}),
    # no link: no basis document, a basis of nothing, documents merely listed, a part, a body guiding
    ("Căn cứ vào tình hình thực tế, UBND tỉnh ban hành Quyết định 12/2024/QĐ-UBND.", set()),
    ("UBND tỉnh giao các sở căn cứ chức năng, nhiệm vụ triển khai thực hiện theo đúng Nghị định số "
     "68/2017/NĐ-CP ngày 25/5/2017 của Chính phủ, Nghị định số 66/2020/NĐ-CP ngày 11/6/2020 của Chính phủ.", set()),
    ("Căn cứ Nghị định số 35/2025/NĐ-CP, cơ cấu tổ chức của Bộ Nông nghiệp và Môi trường gồm 30 đơn vị.", set()),
    ("Sở Công Thương báo cáo kết quả thực hiện Nghị định số 68/2017/NĐ-CP, Nghị định số 66/2020/NĐ-CP.", set()),
    ("Nghị định 32/2024/NĐ-CP thay thế Điều 3 của Nghị định 68/2017/NĐ-CP.", set()),
    ("Sở Công Thương hướng dẫn doanh nghiệp thực hiện Nghị định 68/2017/NĐ-CP và Nghị định 66/2020/NĐ-CP.", set()),
    ("UBND tỉnh bãi bỏ Quyết định 10/2015/QĐ-UBND và Quyết định 11/2016/QĐ-UBND.", set()),
    ("Quyết định này bãi bỏ Quyết định số 1234/QĐ-BCT.", set()),  # which decision "này" is, the page does not say
    (HEADER + "QUYẾT ĐỊNH:\nĐiều 1. Căn cứ Nghị định 98/2017/NĐ-CP, các đơn vị tổ chức thực hiện.", set()),
])
def test_citation_links(text, expected):
    assert links(text) == expected


def test_cited_documents_keep_their_date_and_subject():
    x = run("Tin\n" + HEADER + "Căn cứ Nghị định số 98/2017/NĐ-CP ngày 18 tháng 8 năm 2017 của Chính phủ quy định "
            "chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Công Thương;")
    docs = {e.label: e.attrs for e in x.entities.values() if e.type == "LegalDocument"}
    assert docs["Nghị định 98/2017/NĐ-CP"]["date"] == "2017-08-18"
    assert docs["Nghị định 98/2017/NĐ-CP"]["subject"] == ("quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức "
                                                          "của Bộ Công Thương")
    assert docs["Quyết định 2646/QĐ-BCT"]["date"] == "2025-09-23"  # from the line under its number


def test_a_date_that_is_no_day_is_left_out_and_the_graph_reads_cleanly(tmp_path):
    """"ngày 30/2/2024" (a slip, or an OCR error) is no xsd:date: the document keeps its number and subject, and
    `kg stats` reads the graph without a parser warning."""
    x = run("Tin\nThực hiện Quyết định số 123/QĐ-UBND ngày 30/2/2024 của UBND tỉnh về phát triển cụm công nghiệp.")
    docs = {e.label: e.attrs for e in x.entities.values() if e.type == "LegalDocument"}
    assert not docs["Quyết định 123/QĐ-UBND"].get("date")
    assert docs["Quyết định 123/QĐ-UBND"]["subject"] == "về phát triển cụm công nghiệp"
    (tmp_path / "a.txt").write_text("Tin\nThực hiện Quyết định số 123/QĐ-UBND ngày 30/2/2024 của UBND tỉnh Nghệ An "
                                    "về phát triển cụm công nghiệp.", encoding="utf-8")
    out = tmp_path / "g.nq"
    built = CliRunner().invoke(app, ["build", str(tmp_path / "a.txt"), "-o", str(out), "-q", "--validate"])
    assert built.exit_code == 0, built.output
    assert "date_document" not in out.read_text(encoding="utf-8")
    stats = subprocess.run([sys.executable, "-m", "kg", "stats", str(out)], capture_output=True, text=True)
    assert stats.returncode == 0 and stats.stderr == ""


def test_a_user_follows_a_decisions_chain_with_the_shipped_query(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "qd-2646.txt").write_text(
        "Quyết định 2646/QĐ-BCT phê duyệt Chương trình khuyến công quốc gia giai đoạn 2026 - 2030\n" + HEADER +
        "Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công; Nghị định số "
        "235/2025/NĐ-CP ngày 27 tháng 8 năm 2025 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số "
        "45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công;\n"
        "Điều 3. Quyết định này thay thế Quyết định số 1881/QĐ-BCT ngày 1/6/2020.\n", encoding="utf-8")
    graph = tmp_path / "graph.ttl"
    built = CliRunner().invoke(app, ["build", str(tmp_path / "in"), "-o", str(graph), "--validate", "-q"])
    assert built.exit_code == 0, built.output
    result = CliRunner().invoke(app, ["query", str(graph), str(QUERY), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    chain = {(r["document"], r["link"], r["cited"], r["cited_date"]) for r in rows if r["start"] ==
             "Quyết định 2646/QĐ-BCT"}
    assert chain == {
        ("Quyết định 2646/QĐ-BCT", "căn cứ (based on)", "Nghị định 45/2012/NĐ-CP", "2012-05-21"),
        ("Quyết định 2646/QĐ-BCT", "căn cứ (based on)", "Nghị định 235/2025/NĐ-CP", "2025-08-27"),
        ("Quyết định 2646/QĐ-BCT", "thay thế (replaces)", "Quyết định 1881/QĐ-BCT", "2020-06-01"),
        ("Nghị định 235/2025/NĐ-CP", "sửa đổi, bổ sung (amends)", "Nghị định 45/2012/NĐ-CP", "2012-05-21"),
    }
    start = next(r for r in rows if r["start"] == "Quyết định 2646/QĐ-BCT")
    assert start["start_date"] == "2025-09-23"
    assert all(r["sentence"] and r["article"] == "qd-2646" for r in rows if r["link"])
