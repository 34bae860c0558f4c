"""Relation rules on sentences written for the test."""

import pytest
from conftest import facts, run


def roles(x):
    return {(x.entities[r.subject].label, x.entities[r.object].label, r.role)
            for r in x.relations if r.predicate == "org:memberOf"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Thứ trưởng Bộ Công Thương Phan Thị Thắng dự hội nghị.",
     {("Phan Thị Thắng", "Bộ Công Thương", "Thứ trưởng")}),
    ("Giám đốc Sở Công Thương tỉnh Bắc Ninh Nguyễn Văn Dũng báo cáo.",
     {("Nguyễn Văn Dũng", "Sở Công Thương Bắc Ninh", "Giám đốc")}),
    ("Tin Hà Tĩnh\nông Võ Trọng Hải - Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh; "
     "ông Lê Ngọc Châu - Phó Chủ tịch UBND tỉnh.",
     {("Võ Trọng Hải", "Tỉnh ủy Hà Tĩnh", "Phó Bí thư"),
      ("Võ Trọng Hải", "Ủy ban nhân dân tỉnh Hà Tĩnh", "Chủ tịch"),
      ("Lê Ngọc Châu", "Ủy ban nhân dân tỉnh Hà Tĩnh", "Phó Chủ tịch")}),
    ("Tin Cần Thơ\nBí thư Thành ủy, Chủ tịch HĐND thành phố Cần Thơ Đỗ Thanh Bình phát biểu.",
     {("Đỗ Thanh Bình", "Thành ủy Cần Thơ", "Bí thư"),
      ("Đỗ Thanh Bình", "Hội đồng nhân dân thành phố Cần Thơ", "Chủ tịch")}),
])
def test_posts_in_both_orders(text, expected):
    assert roles(run(text if "\n" in text else "Tin\n" + text)) == expected


@pytest.mark.parametrize(("text", "issuer"), [
    ("Nghị định 60/2024/NĐ-CP về phát triển chợ.", "Chính phủ"),
    ("Quyết định 1234/QĐ-TTg phê duyệt quy hoạch.", "Thủ tướng Chính phủ"),
    ("Thông tư 38/2023/TT-BCT hướng dẫn.", "Bộ Công Thương"),
    ("Thông tư 12/2024/TT-BTC về phí.", "Bộ Tài chính"),
])
def test_issuer_from_the_number(text, issuer):
    x = run("Tin\n" + text)
    assert {o for _, o in facts(x, "eli:passed_by")} == {issuer}


def test_local_issuer_is_the_province_in_context():
    x = run("Tin Lâm Đồng\nTỉnh Lâm Đồng ban hành Quyết định 15/2024/QĐ-UBND.")
    assert facts(x, "eli:passed_by") == {("Quyết định 15/2024/QĐ-UBND", "Ủy ban nhân dân tỉnh Lâm Đồng")}


def test_amendment():
    x = run("Tin\nNghị định 66/2020/NĐ-CP sửa đổi, bổ sung một số điều của Nghị định 68/2017/NĐ-CP.")
    assert facts(x, "eli:amends") == {("Nghị định 66/2020/NĐ-CP", "Nghị định 68/2017/NĐ-CP")}


def test_units_listed_after_thuoc_bo():
    x = run("Tin\nĐại diện các đơn vị thuộc Bộ Tài chính: Tổng cục Hải quan; Văn phòng Bộ.")
    assert facts(x, "org:subOrganizationOf") >= {("Tổng cục Hải quan", "Bộ Tài chính"),
                                                  ("Văn phòng Bộ Tài chính", "Bộ Tài chính")}


def test_unit_followed_by_its_ministry():
    x = run("Tin\nĐại diện Cục Trồng trọt - Bộ Nông nghiệp và Môi trường phát biểu.")
    assert ("Cục Trồng trọt", "Bộ Nông nghiệp và Môi trường") in facts(x, "org:subOrganizationOf")


def test_provincial_bodies_serve_their_province_and_zones_lie_in_it():
    x = run("Tin Đồng Nai\nSở Công Thương Đồng Nai làm việc tại KCN Nhơn Trạch 3.")
    assert facts(x, "schema:areaServed") == {("Sở Công Thương Đồng Nai", "Đồng Nai")}
    assert facts(x, "schema:containedInPlace") == {("Khu công nghiệp Nhơn Trạch III", "Đồng Nai")}


def test_zone_province_named_after_it_wins():
    x = run("Tin Bắc Ninh\nNhà máy ở KCN Yên Phong (Bắc Ninh) và KCN Đình Vũ, thành phố Hải Phòng.")
    assert ("Khu công nghiệp Đình Vũ", "Hải Phòng") in facts(x, "schema:containedInPlace")
