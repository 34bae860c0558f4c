"""Recognizers on sentences written for the test, about many provinces and ministries."""

import pytest
from helpers import labels, run


@pytest.mark.parametrize(("text", "expected"), [
    ("Sở Công Thương Nghệ An tổ chức hội nghị.", {"Nghệ An"}),
    ("Lãnh đạo tỉnh Quảng Ninh và TP. Hồ Chí Minh ký kết hợp tác.", {"Quảng Ninh", "Hồ Chí Minh"}),
    ("Doanh nghiệp TP.HCM xuất khẩu sang Thủ đô Hà Nội.", {"Hồ Chí Minh", "Hà Nội"}),
    ("Thừa Thiên Huế và Bà Rịa - Vũng Tàu tăng trưởng khá.", {"Huế", "Bà Rịa - Vũng Tàu"}),
])
def test_provinces_by_name_and_alias(text, expected):
    assert labels(run("Tin\n" + text), "Province") == expected


@pytest.mark.parametrize("text", [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",  # the man, not the city
    "UBND thành phố Bắc Ninh họp bàn về giao thông.",  # a city inside the province
    "Dự án nằm ở huyện Yên Bình.",  # a district
    "Hợp tác phát triển vùng Đông Nam Bộ và vùng Thủ đô Hà Nội.",  # regions
])
def test_not_a_province(text):
    assert labels(run("Tin\n" + text), "Province") == set()


def test_a_person_named_hồ_chí_minh():
    x = run("Tin\nHọc tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.")
    assert labels(x, "Person") == {"Hồ Chí Minh"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Theo Nghị định số 68/2017/NĐ-CP ngày 25/5/2017 của Chính phủ về quản lý cụm công nghiệp.",
     {"Nghị định 68/2017/NĐ-CP"}),
    ("Thông tư 14/2023/TT-BCT và Quyết định số 1234/QĐ-TTg được ban hành.",
     {"Thông tư 14/2023/TT-BCT", "Quyết định 1234/QĐ-TTg"}),
    ("UBND tỉnh ban hành Quyết định 25/2024/QĐ-UBND.", {"Quyết định 25/2024/QĐ-UBND"}),
    ("Căn cứ 05/2022/NQ-HĐND của tỉnh.", {"Nghị quyết 05/2022/NQ-HĐND"}),
])
def test_legal_documents_keep_kind_and_number(text, expected):
    assert labels(run("Tin\n" + text), "LegalDocument") == expected


def test_legal_document_date_and_subject():
    x = run("Tin\nChính phủ ban hành Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 về khuyến công.")
    (doc,) = [e for e in x.entities.values() if e.type == "LegalDocument"]
    assert doc.attrs["date"] == "2012-05-21"
    assert doc.attrs["subject"] == "về khuyến công"


@pytest.mark.parametrize(("text", "expected"), [
    ("Tin Bắc Ninh\nUBND tỉnh Bắc Ninh chỉ đạo Sở Công Thương tỉnh Bắc Ninh.",
     {"Ủy ban nhân dân tỉnh Bắc Ninh", "Sở Công Thương Bắc Ninh"}),
    ("Tin\nThứ trưởng Bộ Tài chính làm việc với Tổng cục Hải quan và Cục Xuất nhập khẩu.",
     {"Bộ Tài chính", "Tổng cục Hải quan", "Cục Xuất nhập khẩu"}),
    ("Tin\nBan Quản lý các khu công nghiệp tỉnh Đồng Nai phối hợp với Cục Quản lý thị trường tỉnh Đồng Nai.",
     {"Ban Quản lý các khu công nghiệp tỉnh Đồng Nai", "Cục Quản lý thị trường tỉnh Đồng Nai"}),
    ("Tin\nTrung tâm Khuyến công và Tư vấn phát triển công nghiệp tỉnh Lâm Đồng hỗ trợ 20 cơ sở.",
     {"Trung tâm Khuyến công và Tư vấn phát triển công nghiệp tỉnh Lâm Đồng"}),
    ("Tin\nThành ủy Hải Phòng và HĐND thành phố Hải Phòng họp.",
     {"Thành ủy Hải Phòng", "Hội đồng nhân dân thành phố Hải Phòng"}),
    ("Tin\nUBND huyện Quế Võ đã làm việc.", {"Ủy ban nhân dân huyện Quế Võ"}),
])
def test_agencies_get_full_canonical_names(text, expected):
    assert labels(run(text), "Agency") == expected


@pytest.mark.parametrize("text", [
    "Các sở, ban, ngành và các doanh nghiệp tham dự.",
    "Lãnh đạo các Sở, ban ngành địa phương có mặt.",
])
def test_generic_references_are_not_entities(text):
    x = run("Tin Nghệ An\n" + text)
    assert labels(x, "Agency") == set() and labels(x, "Company") == set()


@pytest.mark.parametrize(("text", "expected"), [
    ("Các khu công nghiệp Yên Phong, Quế Võ và VSIP Bắc Ninh thu hút vốn.",
     {"Khu công nghiệp Yên Phong", "Khu công nghiệp Quế Võ", "Khu công nghiệp VSIP Bắc Ninh"}),
    ("Nhà máy đặt tại KCN Sông Công 2 và Cụm công nghiệp Kha Sơn.",
     {"Khu công nghiệp Sông Công II", "Cụm công nghiệp Kha Sơn"}),
])
def test_zones_one_entity_per_list_item(text, expected):
    assert labels(run("Tin Bắc Ninh\n" + text), "IndustrialZone") == expected


def test_zone_counts_are_not_zones():
    assert labels(run("Tin\nTỉnh có 15 khu công nghiệp và 41 cụm công nghiệp."), "IndustrialZone") == set()


@pytest.mark.parametrize(("text", "expected"), [
    ("Công ty TNHH Điện tử Foxconn Bắc Giang tuyển dụng.", "Điện tử Foxconn Bắc Giang"),
    ("Tập đoàn công nghệ cao Samsung mở rộng đầu tư.", "Samsung"),
    ("Hợp tác xã Chè Tân Cương giới thiệu sản phẩm.", "Chè Tân Cương"),
    ("Tổng công ty Điện lực miền Bắc cấp điện ổn định.", "Điện lực miền Bắc"),
])
def test_companies(text, expected):
    assert expected in labels(run("Tin\n" + text), "Company")


@pytest.mark.parametrize(("text", "expected"), [
    ("Phó Thủ tướng Trần Hồng Hà làm việc với tỉnh.", {"Trần Hồng Hà"}),
    ("Ông Võ Văn Hưng, Chủ tịch UBND tỉnh Thừa Thiên Huế, phát biểu.", {"Võ Văn Hưng"}),
    ("Bà Đặng Thị Thu Hà - Giám đốc Sở Công Thương chủ trì.", {"Đặng Thị Thu Hà"}),
])
def test_people(text, expected):
    assert labels(run("Tin\n" + text), "Person") == expected


def test_byline_on_the_last_line():
    assert "Minh Anh" in labels(run("Tin\nBài viết về kinh tế tỉnh Cà Mau.\nMinh Anh"), "Person")


def test_injected_spam_is_never_an_entity():
    x = run("Tin\nSở Công Thương nhận được sự chỉ đạo của Nạp Tiền 188bet Nhà Cái Uy Tín, sự phối hợp của Bộ.")
    names = {e.label for e in x.entities.values()}
    assert not any("188bet" in n or "Nhà Cái" in n or "Nạp" in n for n in names)


@pytest.mark.parametrize(("text", "expected"), [
    ("Công ty TNHH Đầu tư hạ tầng Tân Mỹ làm chủ đầu tư.", "Đầu tư hạ tầng Tân Mỹ"),
    ("Tổng công ty Đầu tư và Phát triển Công nghiệp - CTCP tham gia.", "Đầu tư và Phát triển Công nghiệp - CTCP"),
    ("Công ty Cổ phần Sữa Việt Nam (Vinamilk) xuất khẩu.", "Sữa Việt Nam"),
])
def test_company_names_with_lower_case_words_and_abbreviations(text, expected):
    x = run("Tin\n" + text)
    assert expected in labels(x, "Company")
    if "(" in text:
        (company,) = [e for e in x.entities.values() if e.type == "Company"]
        assert "Vinamilk" in company.alt_labels


def test_an_abbreviation_defined_in_brackets_is_no_zone():
    assert labels(run("Tin\nCác khu công nghiệp (KCN) trên địa bàn tỉnh thu hút vốn."), "IndustrialZone") == set()


def test_a_city_council_followed_by_its_chairmans_name():
    x = run("Tin Cần Thơ\nChủ tịch UBND thành phố Dương Tấn Lộc cho biết, thành phố Cần Thơ tăng trưởng.")
    assert labels(x, "Agency") == {"Ủy ban nhân dân thành phố Cần Thơ"}
    assert labels(x, "Person") == {"Dương Tấn Lộc"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Tin\nÔng Lò Văn Sáu, Giám đốc Sở CT Điện Biên, cho biết Sở KH&ĐT tỉnh Điện Biên đã phối hợp.",
     {"Sở Công Thương Điện Biên", "Sở Kế hoạch và Đầu tư Điện Biên"}),
    ("Tin\nDự án do UBND thị xã Hoàng Mai làm chủ đầu tư, UBND huyện Thủ Thừa phối hợp.",
     {"Ủy ban nhân dân thị xã Hoàng Mai", "Ủy ban nhân dân huyện Thủ Thừa"}),
    ("Tin\nCục Điện lực chủ trì, phối hợp với Viện Năng lượng rà soát quy hoạch.", {"Cục Điện lực", "Viện Năng lượng"}),
    ("Tin\nCông an tỉnh Kiên Giang và Bộ Công an triệt phá đường dây buôn lậu.",
     {"Công an tỉnh Kiên Giang", "Bộ Công an"}),
    ("Tin\nHội nghị do Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh Bình Phước tổ chức.",
     {"Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh Bình Phước"}),
])
def test_agency_names_abbreviated_scoped_or_listing_their_fields(text, expected):
    """A department's abbreviation, a district's name without the verb after it, a ministry's institute, a
    province's police, a centre whose name lists its fields before its scope."""
    assert labels(run(text), "Agency") == expected


def test_a_steering_board_introduced_by_do_is_no_name():
    x = run("Tin Gia Lai\nTỉnh kiện toàn Ban Chỉ đạo do Phó Chủ tịch UBND tỉnh Nguyễn Hữu Quế làm Trưởng ban.")
    assert not any(label.startswith("Ban Chỉ đạo do") for label in labels(x, "Agency"))
    assert labels(x, "Person") == {"Nguyễn Hữu Quế"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Tỉnh có 3 khu công nghiệp với tổng diện tích 1.050 ha gồm: Minh Hưng III, Becamex và Đồng Xoài I.",
     {"Khu công nghiệp Minh Hưng III", "Khu công nghiệp Becamex", "Khu công nghiệp Đồng Xoài I"}),
    ("Hiện 2 cụm công nghiệp đã đi vào hoạt động là Tân Khai và Minh Lập.",
     {"Cụm công nghiệp Tân Khai", "Cụm công nghiệp Minh Lập"}),
    ("Nhà máy đặt tại Khu công nghiệp Nam Cấm - Hoàng Mai và KCN VSIP - Nghệ An.",
     {"Khu công nghiệp Nam Cấm - Hoàng Mai", "Khu công nghiệp VSIP"}),
    ("Hạ tầng của Khu công nghiệp Bình Phước thuộc tỉnh đã hoàn thiện.", {"Khu công nghiệp Bình Phước"}),
])
def test_zone_lists_after_a_count_and_names_with_a_dash_or_of_a_province(text, expected):
    assert labels(run("Tin Bình Phước\n" + text), "IndustrialZone") == expected


def test_foreign_companies_by_their_legal_form():
    x = run("Tin\nBlue Ocean Logistics Pte. Ltd. (Singapore) và Nordic Wind Holdings thuê 30 ha đất.")
    assert {"Blue Ocean Logistics Pte. Ltd.", "Nordic Wind Holdings"} <= labels(x, "Company")


def test_byline_with_its_credit():
    assert "Thanh Hương" in labels(run("Tin\nBài viết về kinh tế tỉnh Cà Mau.\nThanh Hương (thực hiện)"), "Person")


def test_the_police_of_a_town_is_not_the_provinces():
    x = run("Tin\nCông an thị xã Quảng Trị phối hợp với Công an tỉnh Quảng Trị kiểm tra.")
    assert labels(x, "Agency") == {"Công an tỉnh Quảng Trị"}
