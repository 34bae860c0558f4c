"""Relation rules on sentences written for the test."""

import pytest
from helpers import facts, run


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


@pytest.mark.parametrize(("text", "issuer"), [
    ("Tỉnh ủy Nghệ An quán triệt Nghị quyết số 39-NQ/TW ngày 18/7/2023 của Bộ Chính trị về phát triển tỉnh.",
     "Bộ Chính trị"),
    ("Tin Lâm Đồng\nSở Công Thương nghiên cứu Quyết định 20/2023/QĐ-UBND của UBND tỉnh Đắk Nông.",
     "Ủy ban nhân dân tỉnh Đắk Nông"),
    ("Báo cáo kết quả thực hiện Chỉ thị số 17/CT-TTg của Sở Công Thương tỉnh Hòa Bình.", "Thủ tướng Chính phủ"),
])
def test_stated_issuer_beats_the_suffix_of_the_same_kind(text, issuer):
    x = run(text if "\n" in text else "Tin\n" + text)
    assert {o for _, o in facts(x, "eli:passed_by")} == {issuer}


def test_every_amender_listed_after_the_passive():
    x = run("Tin\nDoanh nghiệp áp dụng Nghị định số 15/2018/NĐ-CP về an toàn thực phẩm, đã được sửa đổi, "
            "bổ sung bởi Nghị định số 155/2018/NĐ-CP, Nghị định số 85/2019/NĐ-CP và Nghị định số 46/2023/NĐ-CP.")
    assert facts(x, "eli:amends") == {("Nghị định 155/2018/NĐ-CP", "Nghị định 15/2018/NĐ-CP"),
                                      ("Nghị định 85/2019/NĐ-CP", "Nghị định 15/2018/NĐ-CP"),
                                      ("Nghị định 46/2023/NĐ-CP", "Nghị định 15/2018/NĐ-CP")}


def test_every_amended_document_listed_after_the_verb():
    x = run("Tin\nThông tư 06/2024/TT-BCT sửa đổi, bổ sung một số điều của Thông tư 14/2017/TT-BCT "
            "và Thông tư 21/2019/TT-BCT.")
    assert facts(x, "eli:amends") == {("Thông tư 06/2024/TT-BCT", "Thông tư 14/2017/TT-BCT"),
                                      ("Thông tư 06/2024/TT-BCT", "Thông tư 21/2019/TT-BCT")}


def test_a_draft_marked_sua_doi_is_no_amendment():
    x = run("Tin\nÔng Hải giới thiệu Nghị định số 71/2019/NĐ-CP sửa đổi, bổ sung một số điều của Nghị định số "
            "26/2016/NĐ-CP hướng dẫn thi hành Luật Đo lường, đồng thời lấy ý kiến dự thảo Luật Đo lường "
            "(sửa đổi) để thay thế Luật Đo lường số 04/2011/QH13.")
    assert facts(x, "eli:amends") == {("Nghị định 71/2019/NĐ-CP", "Nghị định 26/2016/NĐ-CP")}


@pytest.mark.parametrize("join", ["; ", ", "])
def test_an_appositive_post_stays_with_the_name_before_it(join):
    x = run(f"Tin Bình Phước\nDự buổi làm việc có bà Nguyễn Thị Hoa, Phó Cục trưởng Cục Xúc tiến thương mại{join}"
            "Phó Giám đốc Sở Công Thương tỉnh Bình Phước Lê Văn Thanh cùng đại diện doanh nghiệp.")
    assert roles(x) == {("Nguyễn Thị Hoa", "Cục Xúc tiến thương mại", "Phó Cục trưởng"),
                        ("Lê Văn Thanh", "Sở Công Thương Bình Phước", "Phó Giám đốc")}


def test_a_post_the_name_is_given_later_in_its_clause():
    x = run("Tin Hưng Yên\nÔng Nguyễn Văn Bình, nguyên Phó Giám đốc Sở Công Thương tỉnh Hải Dương, được bổ nhiệm "
            "giữ chức Giám đốc Sở Công Thương tỉnh Hưng Yên; bà Lê Thị Mai, trước đây là Phó Cục trưởng, "
            "hiện giữ chức Chi cục trưởng Chi cục Quản lý thị trường tỉnh Hưng Yên.")
    assert roles(x) == {("Nguyễn Văn Bình", "Sở Công Thương Hưng Yên", "Giám đốc"),
                        ("Lê Thị Mai", "Chi cục Quản lý thị trường tỉnh Hưng Yên", "Chi cục trưởng")}


def test_the_head_a_body_is_given_with_do_lam():
    x = run("Tin Nghệ An\nUBND tỉnh kiện toàn Ban Chỉ đạo 389 tỉnh Nghệ An do ông Nguyễn Văn Đệ, "
            "Phó Chủ tịch UBND tỉnh, làm Trưởng ban.")
    assert roles(x) == {("Nguyễn Văn Đệ", "Ủy ban nhân dân tỉnh Nghệ An", "Phó Chủ tịch"),
                        ("Nguyễn Văn Đệ", "Ban Chỉ đạo 389 tỉnh Nghệ An", "Trưởng ban")}


def test_a_unit_moved_under_a_department_and_renamed():
    x = run("Tin Gia Lai\nTừ ngày 1/3/2025, Cục Quản lý thị trường tỉnh Gia Lai được chuyển về Sở Công Thương "
            "tỉnh Gia Lai và đổi tên thành Chi cục Quản lý thị trường tỉnh Gia Lai.")
    assert facts(x, "org:subOrganizationOf") == {("Chi cục Quản lý thị trường tỉnh Gia Lai", "Sở Công Thương Gia Lai")}


def test_a_bare_department_after_a_post_is_the_one_in_context():
    x = run("Tin Bình Phước\nSở Công Thương Bình Phước tổ chức hội nghị. Ông Lê Văn Tám, nguyên Chi cục trưởng, "
            "nay là Phó Giám đốc Sở phụ trách lĩnh vực thương mại.")
    assert ("Lê Văn Tám", "Sở Công Thương Bình Phước", "Phó Giám đốc") in {
        (x.entities[r.subject].label, x.entities[r.object].label, r.role) for r in x.relations
        if r.predicate == "org:memberOf"}


def test_a_bare_steering_board_is_the_one_named_before_and_gets_its_head():
    x = run("Tin Gia Lai\nBan Chỉ đạo 389 tỉnh Gia Lai đã ban hành kế hoạch; UBND tỉnh ban hành Quyết định số "
            "25/QĐ-UBND kiện toàn Ban Chỉ đạo do Phó Chủ tịch UBND tỉnh Nguyễn Hữu Quế làm Trưởng ban.")
    members = {(x.entities[r.subject].label, x.entities[r.object].label, r.role) for r in x.relations
               if r.predicate == "org:memberOf"}
    assert ("Nguyễn Hữu Quế", "Ban Chỉ đạo 389 tỉnh Gia Lai", "Trưởng ban") in members
