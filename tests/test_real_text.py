"""The shapes real Vietnamese news pages take, one family per test, on sentences written about other
provinces and bodies than the real pages kg was tuned on (tests/real, ../shared/eval/real)."""

from decimal import Decimal

import pytest
from helpers import facts, labels, run


def roles(x):
    return {(x.entities[r.subject].label, x.entities[r.object].label, r.role)
            for r in x.relations if r.predicate == "org:memberOf"}


def stats(text, title="Tin Nghệ An"):
    x = run(f"{title}\n{text}")
    return {(o.subject.split(":")[1], o.value, o.unit) for o in x.observations}


# --------------------------------------------------------------------- agencies

@pytest.mark.parametrize(("text", "name"), [
    ("Đại diện Bộ Tài Chính và Bộ Công thương dự họp.", "Bộ Công Thương"),
    ("Ông Trần Văn Sơn - Thứ trưởng Bộ Nông nghiệp - Phát triển nông thôn phát biểu.",
     "Bộ Nông nghiệp và Phát triển nông thôn"),
    ("Quyền Bộ trưởng Nội vụ Phạm Thị Thanh Trà chủ trì.", "Bộ Nội vụ"),
])
def test_a_known_body_in_the_spellings_of_the_press(text, name):
    assert name in labels(run("Tin\n" + text), "Agency")


def test_an_upper_case_page_header_is_no_mention():
    x = run("Tin\nBỘ TÀI CHÍNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 15/2024/TT-BTC")
    assert [m.text for m in x.mentions if m.type == "Agency"] == ["BTC"]  # only the number names its issuer


@pytest.mark.parametrize(("text", "expected"), [
    ("Ủy viên Bộ Chính trị, Bí thư Đảng ủy Quốc hội, Chủ tịch Quốc hội Trần Thanh Mẫn phát biểu.",
     {("Trần Thanh Mẫn", "Bộ Chính trị", "Ủy viên"), ("Trần Thanh Mẫn", "Đảng ủy Quốc hội", "Bí thư"),
      ("Trần Thanh Mẫn", "Quốc hội", "Chủ tịch")}),
    ("Phó Thống đốc Đào Minh Tú dự hội nghị.", {("Đào Minh Tú", "Ngân hàng Nhà nước Việt Nam", "Phó Thống đốc")}),
    ("Phó Thủ tướng Hồ Đức Phớc làm việc với doanh nghiệp.", {("Hồ Đức Phớc", "Chính phủ", "Phó Thủ tướng")}),
    ("Ông Đỗ Văn Nam - Quyền Bộ trưởng Bộ Tư pháp phát biểu.", {("Đỗ Văn Nam", "Bộ Tư pháp", "Quyền Bộ trưởng")}),
])
def test_posts_that_name_or_imply_their_body(text, expected):
    assert roles(run("Tin\n" + text)) == expected


def test_a_post_shared_by_a_list_of_names_at_the_ministry_the_article_is_about():
    x = run("Tin\nBộ Xây dựng công bố quyết định. Bộ Xây dựng có 5 Thứ trưởng gồm các ông: Nguyễn Văn Sinh, "
            "Bùi Xuân Dũng, Nguyễn Tường Văn và Lê Quang Hùng.")
    assert roles(x) == {(n, "Bộ Xây dựng", "Thứ trưởng")
                        for n in ("Nguyễn Văn Sinh", "Bùi Xuân Dũng", "Nguyễn Tường Văn", "Lê Quang Hùng")}


def test_a_bare_unit_post_is_in_the_one_unit_named():
    x = run("Tin\nHội thảo do Cục Xúc tiến thương mại tổ chức. Cục trưởng Vũ Bá Phú cho biết xuất khẩu tăng.")
    assert roles(x) == {("Vũ Bá Phú", "Cục Xúc tiến thương mại", "Cục trưởng")}


def test_two_units_named_equally_leave_a_bare_post_alone():
    x = run("Tin\nCục Xúc tiến thương mại và Cục Xuất nhập khẩu phối hợp. Cục trưởng Vũ Bá Phú phát biểu.")
    assert roles(x) == set()


@pytest.mark.parametrize(("text", "expected"), [
    ("Tin Bình Định\nÔng Lê Văn Tín - Phó Trưởng ban Tổ chức Tỉnh ủy Bình Định phát biểu.",
     {("Lê Văn Tín", "Ban Tổ chức Tỉnh ủy Bình Định", "Phó Trưởng ban")}),
    ("Tin Nam Định\nBà Trần Thị Hoa, Trưởng ban Dân vận Tỉnh ủy, dự lễ.",
     {("Trần Thị Hoa", "Ban Dân vận Tỉnh ủy Nam Định", "Trưởng ban")}),
    ("Tin Tây Ninh\nÔng Võ Minh Tâm - Chánh Văn phòng UBND tỉnh Tây Ninh cho biết.",
     {("Võ Minh Tâm", "Văn phòng Ủy ban nhân dân tỉnh Tây Ninh", "Chánh Văn phòng")}),
])
def test_units_named_after_the_committee_they_serve(text, expected):
    x = run(text)
    assert roles(x) == expected
    unit = next(iter(expected))[1]
    assert unit in {x.entities[s].label for s, p, o in _triples(x) if p == "org:subOrganizationOf"}


def _triples(x):
    return [(r.subject, r.predicate, r.object) for r in x.relations]


@pytest.mark.parametrize(("text", "name"), [
    ("Tin Cà Mau\nĐồng chí Lê Văn Sử, Bí thư Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh phát biểu.",
     "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Cà Mau"),
    ("Tin Cà Mau\nBan Tôn giáo tỉnh phối hợp với Sở Nội vụ.", "Ban Tôn giáo tỉnh Cà Mau"),
    ("Tin Hà Giang\nBí thư Huyện ủy, Chủ tịch HĐND huyện Yên Minh Lý Văn Thắng dự họp.", "Huyện ủy Yên Minh"),
    ("Tin\nĐảng ủy Bộ Tài chính tổ chức hội nghị.", "Đảng ủy Bộ Tài chính"),
    ("Tin Sóc Trăng\nTTKC Sóc Trăng hỗ trợ 12 cơ sở.", "Trung tâm Khuyến công tỉnh Sóc Trăng"),
])
def test_provincial_and_party_bodies(text, name):
    assert name in labels(run(text), "Agency")


def test_a_regional_customs_office_is_not_the_provinces():
    x = run("Tin Nghệ An\nChi cục Hải quan khu vực XI kiểm tra hàng hóa tại tỉnh Nghệ An.")
    assert "Chi cục Hải quan khu vực XI" in labels(x, "Agency")
    assert not [o for s, p, o in _triples(x) if p == "schema:areaServed"]


def test_a_descriptor_stops_at_its_holders_name():
    x = run("Tin Quảng Bình\nGiám đốc Sở Tài nguyên - Môi trường Lê Văn Bảo giữ chức Giám đốc Sở Xây dựng.")
    assert roles(x) == {("Lê Văn Bảo", "Sở Tài nguyên và Môi trường Quảng Bình", "Giám đốc"),
                        ("Lê Văn Bảo", "Sở Xây dựng Quảng Bình", "Giám đốc")}


# --------------------------------------------------------------------- companies, zones, documents

@pytest.mark.parametrize(("text", "name"), [
    ("Hợp tác xã Dịch vụ nông nghiệp chế biến chè Tân Cương ký hợp đồng.",
     "Dịch vụ nông nghiệp chế biến chè Tân Cương"),
    ("Công ty Cổ phần Tập đoàn Hà Đô khởi công dự án.", "Tập đoàn Hà Đô"),
    ("Tập đoàn Dệt May Việt Nam (Vinatex) báo lãi.", "Dệt May Việt Nam"),
    ("Nhà đầu tư là Sunny Optical Investment (Hong Kong) Limited.", "Sunny Optical Investment (Hong Kong) Limited"),
    ("Công ty TNHH Canon (Việt Nam) mở rộng nhà máy.", "Canon (Việt Nam)"),
    ("Nhà máy của Tập đoàn Goertek. Sản lượng tăng.", "Goertek"),
])
def test_company_names_as_real_pages_write_them(text, name):
    assert name in labels(run("Tin\n" + text), "Company")


def test_zones_listed_with_their_districts_in_brackets():
    x = run("Tin Thanh Hóa\nTỉnh có 3 cụm công nghiệp, gồm: Vạn Thắng (huyện Nông Cống), Hoằng Phụ (huyện Hoằng Hóa)"
            " và Thiệu Giao (huyện Thiệu Hóa).")
    assert labels(x, "IndustrialZone") == {"Cụm công nghiệp Vạn Thắng", "Cụm công nghiệp Hoằng Phụ",
                                           "Cụm công nghiệp Thiệu Giao"}


def test_a_zone_name_with_its_qualifier():
    x = run("Tin Đà Nẵng\nKhu công nghệ cao Đà Nẵng và Khu công nghiệp công nghệ thông tin tập trung Hòa Xuân "
            "phát triển.")
    assert "Khu công nghiệp công nghệ thông tin tập trung Hòa Xuân" in labels(x, "IndustrialZone")


def test_a_law_cited_by_its_title_is_passed_by_the_national_assembly():
    x = run("Tin\nQuốc hội thông qua Luật Đất đai (sửa đổi) và Luật Hợp tác xã.")
    assert facts(x, "eli:passed_by") == {("Luật Đất đai", "Quốc hội"), ("Luật Hợp tác xã", "Quốc hội")}


def test_a_dashed_number_is_the_same_decision():
    x = run("Tin Bến Tre\nUBND tỉnh ban hành Quyết định số 1520/QĐ-UBND. Xem Quyết định 1520-QĐ-UBND.")
    assert labels(x, "LegalDocument") == {"Quyết định 1520/QĐ-UBND"}


# --------------------------------------------------------------------- statistics

@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Giá trị sản xuất đạt 12 ngàn tỷ đồng.", "12", "ngàn tỷ đồng"),
    ("Ngành xây dựng đóng góp 1,52 điểm phần trăm.", "1.52", "điểm phần trăm"),
    ("Sản lượng điện đạt 3.335 triệu Kwh.", "3335", "triệu Kwh"),
    ("Khai thác 478.855m3 đá.", "478855", "m3"),
    ("Cụm công nghiệp có diện tích 58,8ha.", "58.8", "ha"),
    ("Sản xuất được 120 triệu viên gạch.", "120", "triệu viên"),
    ("Xuất khẩu đạt 12 tỷ 300 triệu USD.", "12.3", "tỷ USD"),
    ("Tỉnh đón 1 triệu 200 nghìn lượt khách.", "1.2", "triệu lượt khách"),
    ("Vốn đăng ký đạt 1,3 tỉ USD.", "1.3", "tỉ USD"),
])
def test_units_as_real_pages_write_them(text, value, unit):
    assert ("nghệ an", Decimal(value), unit) in stats(text)


@pytest.mark.parametrize("text", [
    "Ngày 1/7 đánh dấu bước ngoặt.",
    "Có 465 đại biểu tham gia biểu quyết, 2 dự thảo được thông qua.",
    "Nhà máy có công suất 8 triệu sản phẩm/năm.",
    "Giá xoài từ 5.000 - 6.000 đồng/kg.",
    "Điều động 2 Giám đốc Sở và 34 Thuế tỉnh.",
])
def test_not_a_provinces_figure(text):
    assert stats(text) == set()


def test_a_national_article_with_a_ranking_of_provinces():
    text = ("Việt Nam thu hút 175 dự án FDI với số vốn 1,24 tỉ USD. Bên cạnh đó, có 76 lượt dự án điều chỉnh vốn.\n"
            "Long An dẫn đầu với 666,2 triệu USD, chiếm 53,6%; tiếp đến là Bắc Giang 159,5 triệu USD, chiếm 12,8%.")
    assert stats(text, "Vốn FDI tháng đầu năm") == {
        ("long an", Decimal("666.2"), "triệu USD"), ("long an", Decimal("53.6"), "%"),
        ("bắc giang", Decimal("159.5"), "triệu USD"), ("bắc giang", Decimal("12.8"), "%")}


def test_a_province_named_only_as_the_venue_is_not_the_topic():
    text = "Hội thảo do Cục Xuất nhập khẩu tổ chức ở Hà Nội. Kim ngạch xuất khẩu có thể vượt 470 tỉ USD."
    assert stats(text, "Xuất khẩu kỷ lục") == set()


def test_figures_given_to_provinces_in_turn():
    text = "Xếp thứ 4 và 5 lần lượt là Hưng Yên và Thái Bình, với kim ngạch đạt 12,5 tỷ USD và 3,2 tỷ USD."
    assert stats(text, "Xuất khẩu các tỉnh") == {("hưng yên", Decimal("12.5"), "tỷ USD"),
                                                ("thái bình", Decimal("3.2"), "tỷ USD")}


def test_a_numbered_team_inside_the_office_named_after_it():
    x = run("Tin Bến Tre\nĐội QLTT số 4, Chi cục QLTT tỉnh Bến Tre kiểm tra một cửa hàng.")
    assert ("Đội Quản lý thị trường số 4 tỉnh Bến Tre", "Chi cục Quản lý thị trường tỉnh Bến Tre") in \
        facts(x, "org:subOrganizationOf")


def test_a_company_and_its_bracketed_short_name_are_one_node():
    x = run("Tin\nTập đoàn Bưu chính Viễn thông quốc gia (VNPT) báo lãi. Đảng ủy Tập đoàn VNPT họp.")
    assert labels(x, "Company") == {"Bưu chính Viễn thông quốc gia"}
    assert "Đảng ủy Tập đoàn VNPT" in labels(x, "Agency")


@pytest.mark.parametrize(("text", "expected"), [
    ("Tin Bạc Liêu\nHĐND tỉnh miễn nhiệm chức Phó Chủ tịch UBND tỉnh Bạc Liêu đối với ông Lê Văn Sử.",
     {("Lê Văn Sử", "Ủy ban nhân dân tỉnh Bạc Liêu", "Phó Chủ tịch")}),
    ("Tin Bạc Liêu\nHĐND bầu ông Trần Văn Huy, Tỉnh ủy viên, Giám đốc Sở Tài chính làm Phó Chủ tịch UBND tỉnh.",
     {("Trần Văn Huy", "Tỉnh ủy Bạc Liêu", "Tỉnh ủy viên"), ("Trần Văn Huy", "Sở Tài chính Bạc Liêu", "Giám đốc"),
      ("Trần Văn Huy", "Ủy ban nhân dân tỉnh Bạc Liêu", "Phó Chủ tịch")}),
])
def test_posts_given_and_taken_in_council_sessions(text, expected):
    assert roles(run(text)) == expected


def test_an_article_number_is_not_a_count_of_documents():
    assert stats("Thực hiện theo quy định tại Điều 44 Nghị định số 68/2017/NĐ-CP.") == set()


def test_a_body_and_the_units_it_lists():
    x = run("Tin\nCục Điện lực - cơ quan trực thuộc Bộ Công Thương ra mắt. Cục Điện lực gồm 3 đơn vị: Vụ Thủy điện; "
            "Vụ Nhiệt điện; Trung tâm Thông tin Điện lực.")
    subs = facts(x, "org:subOrganizationOf")
    assert ("Cục Điện lực", "Bộ Công Thương") in subs
    assert {("Vụ Thủy điện", "Cục Điện lực"), ("Vụ Nhiệt điện", "Cục Điện lực")} <= subs


def test_a_bare_department_is_the_province_its_sentence_names():
    x = run("Tin Kon Tum và Đắk Lắk\nThủ tướng phê chuẩn chức vụ Phó Chủ tịch UBND tỉnh Đắk Lắk đối với ông "
            "Trần Văn Tư, Giám đốc Sở Xây dựng. Tỉnh Kon Tum có Phó Chủ tịch mới, tỉnh Kon Tum công bố.")
    assert ("Trần Văn Tư", "Sở Xây dựng Đắk Lắk", "Giám đốc") in roles(x)


def test_bodies_of_many_provinces_are_no_one_body():
    x = run("Tin\nHọp với Sở Công Thương, Cục Quản lý thị trường của 19 tỉnh, thành phố phía Nam.")
    assert labels(x, "Agency") == set()


@pytest.mark.parametrize(("text", "kind", "name"), [
    ("Bà Rịa- Vũng Tàu tăng 0,6%.", "Province", "Bà Rịa - Vũng Tàu"),
    ("Ông Lê Văn Hòa, nguyên Bí thư tỉnh ủy Bắc Kạn, phát biểu.", "Agency", "Tỉnh ủy Bắc Kạn"),
])
def test_names_in_the_spellings_of_real_pages(text, kind, name):
    assert name in labels(run("Tin\n" + text), kind)


def test_a_street_named_after_a_person_is_an_address():
    assert labels(run("Tin\nTrụ sở tại số 25 Ngô Quyền, quận Hoàn Kiếm."), "Person") == set()


def test_a_national_article_gives_its_opening_figures_to_no_province():
    text = ("Chỉ số IIP tháng 11 tăng 5,3% so với cùng kỳ; ngành khai khoáng tăng 16%.\n"
            "Địa phương có IIP tăng cao nhất là Ninh Bình với 36,4%. Theo UBND tỉnh Ninh Bình, sản xuất ổn định.")
    assert stats(text, "Chỉ số sản xuất công nghiệp tăng 8,6%") == {("ninh bình", Decimal("36.4"), "%")}


def test_a_provincial_report_that_names_its_province_late_keeps_its_figures():
    text = ("Sở Công thương tổ chức hội nghị tổng kết. Năm 2017, giá trị sản xuất công nghiệp đạt 78.613,9 tỷ đồng.\n"
            "Sở phối hợp tổ chức Hội chợ thương mại - Nam Định năm 2017.")
    assert ("nam định", Decimal("78613.9"), "tỷ đồng") in stats(text, "Ngành Công thương tổng kết năm 2017")


@pytest.mark.parametrize(("text", "kind", "name"), [
    ("Bà Hoàng Thị Thanh và bà Phương Thị Lan dự họp.", "Person", "Phương Thị Lan"),
    ("Ông Hà Văn Tùng - Phó ban Tổ chức Trung ương phát biểu.", "Agency", "Ban Tổ chức Trung ương"),
    ("Ông Lê Văn An, Ủy viên Ban cán sự đảng Bộ Tài chính, phát biểu.", "Agency", "Ban cán sự đảng Bộ Tài chính"),
    ("Ông Lê Văn An giữ chức Chủ tịch Tập đoàn điện lực Việt Nam.", "Company", "Điện lực Việt Nam"),
])
def test_more_names_in_the_shapes_of_real_pages(text, kind, name):
    assert name in labels(run("Tin\n" + text), kind)


def test_a_provincial_chapter_of_a_central_body_is_not_the_central_body():
    x = run("Tin Yên Bái\nỦy ban MTTQ Việt Nam tỉnh Yên Bái tổ chức hội nghị.")
    assert "Mặt trận Tổ quốc Việt Nam" not in labels(x, "Agency")


def test_two_writers_in_a_byline():
    x = run("Tin Thanh Hóa\nTỉnh Thanh Hóa tiếp doanh nghiệp.\nHữu Đại – Xuân Trường")
    assert {"Hữu Đại", "Xuân Trường"} <= labels(x, "Person")


def test_one_figure_shared_by_provinces():
    text = "Chỉ số IIP của tỉnh Ninh Bình tăng 9%. Các tỉnh Thái Bình, Hà Nam và Nam Định cùng tăng 8,1%."
    assert {(p, Decimal("8.1"), "%") for p in ("thái bình", "hà nam", "nam định")} <= stats(text, "IIP tăng")


def test_a_company_named_for_the_country_is_not_a_national_figure():
    text = "Dự án của Công ty TNHH Foster Electric Việt Nam có vốn đầu tư 80 triệu USD."
    assert stats(text, "Tin Quảng Ngãi\nTỉnh Quảng Ngãi trao giấy chứng nhận.") == {
        ("quảng ngãi", Decimal("80"), "triệu USD")}


@pytest.mark.parametrize(("text", "name"), [
    ("Ông Lê Văn Nam làm việc với Petrolimex và EVN.", "Xăng dầu Việt Nam"),
    ("Tập đoàn Dầu khí Việt Nam (nay là Petrovietnam) ký hợp đồng.", "Công nghiệp - Năng lượng Quốc gia Việt Nam"),
])
def test_groups_by_brand_or_by_a_former_name(text, name):
    assert name in labels(run("Tin\n" + text), "Company")


def test_a_national_ranking_titled_with_a_province_keeps_the_national_figures_out():
    text = ("Theo Tổng cục Thống kê, chỉ số sản xuất toàn ngành công nghiệp tăng 8,4%.\n"
            "Về địa phương, chỉ số công nghiệp của Hưng Yên dẫn đầu cả nước với mức tăng 20,6%.")
    assert stats(text, "Chỉ số công nghiệp của Hưng Yên dẫn đầu cả nước") == {("hưng yên", Decimal("20.6"), "%")}


@pytest.mark.parametrize(("text", "name"), [
    ("Tin\nÔng Lê Văn Thành, Chánh Văn phòng Trung ương Đảng, dự họp.", "Văn phòng Trung ương Đảng"),
    ("Tin\nÔng Lê Văn Thành, Bí thư Đảng ủy Khối Doanh nghiệp Trung ương, dự họp.",
     "Đảng ủy Khối Doanh nghiệp Trung ương"),
    ("Tin Bình Định\nÔng Lê Văn Thành, Bí thư Thành ủy Quy Nhơn, dự họp.", "Thành ủy Quy Nhơn"),
])
def test_central_offices_and_town_committees(text, name):
    assert name in labels(run(text), "Agency")


def test_a_career_told_after_the_name():
    x = run("Tin Bình Định\nÔng Lê Văn Hải sinh năm 1970. Ông đã kinh qua các chức vụ: Bí thư Huyện ủy Phù Cát; "
            "Phó Chủ tịch UBND tỉnh Bình Định.")
    assert roles(x) == {("Lê Văn Hải", "Huyện ủy Phù Cát", "Bí thư"),
                        ("Lê Văn Hải", "Ủy ban nhân dân tỉnh Bình Định", "Phó Chủ tịch")}


@pytest.mark.parametrize(("text", "names"), [
    ("Tin Hà Nam\nCác KCN Châu Sơn I, II, III thu hút đầu tư.",
     {"Khu công nghiệp Châu Sơn I", "Khu công nghiệp Châu Sơn II", "Khu công nghiệp Châu Sơn III"}),
    ("Tin Phú Yên\nKhu công nghiệp Hòa Hiệp – Khu vực II còn đất trống.", {"Khu công nghiệp Hòa Hiệp - Khu vực II"}),
])
def test_zone_names_with_numbered_parts(text, names):
    assert labels(run(text), "IndustrialZone") == names


def test_a_company_name_stops_before_its_address():
    x = run("Tin\nCông ty Trách nhiệm hữu hạn Sản xuất Bao bì Thành Đạt phường Tân Phú mở rộng nhà máy.")
    assert labels(x, "Company") == {"Sản xuất Bao bì Thành Đạt"}


def test_a_law_by_title_and_by_number_is_one_document():
    x = run("Tin\nCăn cứ Luật Đầu tư công số 39/2019/QH14. Theo Luật Đầu tư công, dự án nhóm A …")
    assert len(labels(x, "LegalDocument")) == 1


@pytest.mark.parametrize(("text", "kind", "names"), [
    ("Tin\nÔng Phạm Văn Thiều Chủ tịch Hội Nông dân tỉnh phát biểu.", "Person", {"Phạm Văn Thiều"}),
    ("Tin Bắc Ninh\nCác KCN gồm: Quế Võ 50 ha, Yên Phong 30 ha.", "IndustrialZone",
     {"Khu công nghiệp Quế Võ", "Khu công nghiệp Yên Phong"}),
    ("Tin\nCăn cứ Luật Sử dụng năng lượng tiết kiệm và hiệu quả, Bộ ban hành thông tư.", "LegalDocument",
     {"Luật Sử dụng năng lượng tiết kiệm và hiệu quả"}),
])
def test_names_that_end_where_real_pages_end_them(text, kind, names):
    assert labels(run(text), kind) == names


def test_the_members_a_decision_gives_a_steering_board():
    x = run("Tin\nThủ tướng thành lập Ban Chỉ đạo Nhà nước các công trình trọng điểm ngành than (Ban Chỉ đạo).\n"
            "Phó Trưởng Ban Chỉ đạo gồm: Thứ trưởng Bộ Công Thương Trương Thanh Hoài (Phó Trưởng ban thường trực), "
            "Thứ trưởng Bộ Tài chính Lê Tấn Cận.\nỦy viên Ban Chỉ đạo gồm: Thứ trưởng Bộ Xây dựng Lê Anh Tuấn.")
    board = "Ban Chỉ đạo Nhà nước các công trình trọng điểm ngành than"
    assert {(p, o, r) for p, o, r in roles(x) if o == board} == {
        ("Trương Thanh Hoài", board, "Phó Trưởng ban thường trực"), ("Lê Tấn Cận", board, "Phó Trưởng ban"),
        ("Lê Anh Tuấn", board, "Ủy viên")}


def test_figures_in_turn_for_the_provinces_of_the_sentence_before():
    text = ("Dẫn đầu là Hưng Yên; thứ hai là Nam Định và thứ ba là Ninh Bình. "
            "Kim ngạch lần lượt của 03 địa phương là: 12,8 tỷ USD; 10,1 tỷ USD và 4,1 tỷ USD.")
    assert stats(text, "Điểm tên 03 địa phương xuất khẩu lớn") == {
        ("hưng yên", Decimal("12.8"), "tỷ USD"), ("nam định", Decimal("10.1"), "tỷ USD"),
        ("ninh bình", Decimal("4.1"), "tỷ USD")}


def test_a_sum_over_several_provinces_is_no_ones():
    text = "Hưng Yên đạt 12,8 tỷ USD. Với 27 tỷ USD, riêng 03 địa phương nêu trên chiếm 66% kim ngạch cả nước."
    assert stats(text, "Điểm tên 03 địa phương xuất khẩu lớn") == {("hưng yên", Decimal("12.8"), "tỷ USD")}


def test_a_renamed_provinces_bodies_keep_their_former_name():
    x = run("Tin Thừa Thiên Huế\nUBND tỉnh Thừa Thiên Huế quyết định thành lập khu công nghiệp.")
    body = next(e for e in x.entities.values() if e.cls == "PeoplesCommittee")
    assert "Ủy ban nhân dân tỉnh Thừa Thiên Huế" in body.alt_labels


def test_a_post_given_for_a_term_to_a_person():
    x = run("Tin Trà Vinh\nThủ tướng phê chuẩn chức danh ủy viên UBND tỉnh Trà Vinh nhiệm kỳ 2011-2016 đối với ông "
            "Trần Văn Dũng.")
    assert ("Trần Văn Dũng", "Ủy ban nhân dân tỉnh Trà Vinh", "Ủy viên") in roles(x)


def test_review_cases():
    """Shapes a review of this work found mishandled: each issuer code of a joint number, two laws in a row,
    a ministry's Party group without a committee elsewhere in the sentence, one name a post."""
    x = run("Tin\nThông tư liên tịch 01/2020/TTLT-BTC-BCT hướng dẫn.")
    assert sorted(m.text for m in x.mentions if m.type == "Agency") == ["BCT", "BTC"]
    assert labels(run("Tin\nQuốc hội thông qua Luật Đất đai và Luật Đấu thầu."), "LegalDocument") == {
        "Luật Đất đai", "Luật Đấu thầu"}
    assert "Ban cán sự đảng Bộ Công Thương" in labels(run("Tin\nBan cán sự đảng Bộ Công Thương họp."), "Agency")
    x = run("Tin Nghệ An\nÔng Lê Văn Hòa, phó chủ tịch UBND tỉnh, dự họp.")
    assert roles(x) == {("Lê Văn Hòa", "Ủy ban nhân dân tỉnh Nghệ An", "Phó Chủ tịch")}
    assert ("nghệ an", Decimal("12.3"), "tỷ USD") not in stats("Kim ngạch xuất khẩu đạt 12 tỷ 300 nghìn USD.")


@pytest.mark.parametrize(("text", "expected"), [
    ("Tin Cao Bằng\nBộ máy lãnh đạo gồm: Chủ tịch UBND tỉnh Lê Hải Hòa; 2 Phó Chủ tịch là các ông: Hoàng Văn Thạch "
     "và Vũ Đình Quang.",
     {("Lê Hải Hòa", "Ủy ban nhân dân tỉnh Cao Bằng", "Chủ tịch"),
      ("Hoàng Văn Thạch", "Ủy ban nhân dân tỉnh Cao Bằng", "Phó Chủ tịch"),
      ("Vũ Đình Quang", "Ủy ban nhân dân tỉnh Cao Bằng", "Phó Chủ tịch")}),
    ("Tin Sóc Trăng\nHĐND bầu bổ sung Ủy viên UBND tỉnh Sóc Trăng nhiệm kỳ 2021-2026, đối với ông Lê Văn Bắc, "
     "Giám đốc Sở Tài chính (số phiếu 55/60) và ông Trần Văn Thông, Giám đốc Sở Xây dựng.",
     {("Lê Văn Bắc", "Ủy ban nhân dân tỉnh Sóc Trăng", "Ủy viên"), ("Lê Văn Bắc", "Sở Tài chính Sóc Trăng", "Giám đốc"),
      ("Trần Văn Thông", "Ủy ban nhân dân tỉnh Sóc Trăng", "Ủy viên"),
      ("Trần Văn Thông", "Sở Xây dựng Sóc Trăng", "Giám đốc")}),
])
def test_deputies_and_lists_in_council_sessions(text, expected):
    assert roles(run(text)) == expected


def test_figures_of_foreign_investors_are_no_provinces():
    text = ("Bắc Ninh có số vốn đăng ký lớn nhất với 428,3 triệu USD.\n"
            "Nhật Bản 380,2 triệu USD, chiếm 15,5%; Hàn Quốc 360,8 triệu USD, chiếm 14,8%.")
    assert stats(text, "Bắc Ninh dẫn đầu về thu hút FDI") == {("bắc ninh", Decimal("428.3"), "triệu USD")}


def test_a_post_after_a_verb_is_no_company_name():
    x = run("Tin\nÔng Lê Văn Tám phụ trách các công việc cho đến khi Tổng công ty có Chủ tịch HĐTV mới.")
    assert labels(x, "Company") == set()


def test_abbreviations_defined_inside_a_boards_name():
    x = run("Tin Khánh Hòa\nTheo Ban Quản lý Khu kinh tế (KKT) Vân Phong và các khu công nghiệp (KCN) Khánh Hòa, "
            "Ban Quản lý đã cấp phép cho 3 dự án. Ban Quản lý thẩm định hồ sơ của nhà đầu tư.")
    boards = {e.label for e in x.entities.values() if e.cls == "ManagementBoard"}
    assert boards == {"Ban Quản lý Khu kinh tế Vân Phong và các khu công nghiệp tỉnh Khánh Hòa"}


@pytest.mark.parametrize("text", [
    "Tin Hà Nam\nHà Nam mở rộng cụm công nghiệp\nSở Công Thương Hà Nam đề xuất mở rộng cụm công nghiệp.\n"
    "Bài và ảnh: Minh Tâm",
    "Tin Hà Nam\nMinh Tâm\nSở Công Thương Hà Nam đề xuất mở rộng cụm công nghiệp.\nCác doanh nghiệp đồng tình.",
])
def test_a_writers_name_under_the_title_or_after_its_credit(text):
    assert labels(run(text), "Person") == {"Minh Tâm"}


def test_the_police_of_the_province_in_context():
    x = run("Nghệ An bầu bổ sung\nHĐND tỉnh Nghệ An bầu ông Trần Ngọc Tuấn, Giám đốc Công an tỉnh, "
            "làm Ủy viên UBND tỉnh.")
    assert ("Trần Ngọc Tuấn", "Công an tỉnh Nghệ An", "Giám đốc") in roles(x)


def test_a_committee_named_with_its_parliament_sits_in_it():
    x = run("Tin\nÔng Vũ Hồng Thanh là Chủ nhiệm Ủy ban Kinh tế của Quốc hội.")
    assert facts(x, "org:subOrganizationOf") == {("Ủy ban Kinh tế của Quốc hội", "Quốc hội")}


def test_the_provincial_centre_of_industry_promotion_without_its_province():
    x = run("Tin Hà Giang\nHà Giang xây dựng cụm công nghiệp. Trung tâm Khuyến công và Xúc tiến thương mại "
            "(đơn vị sự nghiệp công lập trực thuộc Sở Công Thương) làm chủ đầu tư.")
    assert facts(x, "org:subOrganizationOf") == {
        ("Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Hà Giang", "Sở Công Thương Hà Giang")}


def test_a_steering_board_named_after_the_resolution_it_carries_out_and_the_places_it_gives():
    x = run("Tin\nThủ tướng ký Quyết định số 12/QĐ-TTg thành lập Ban Chỉ đạo tổng kết việc thực hiện Nghị quyết "
            "số 19-NQ/TW. Phó Thủ tướng Lê Văn An làm Trưởng Ban Chỉ đạo; Bộ trưởng Bộ Nội vụ Trần Văn Bình làm "
            "Phó Trưởng ban. Các ông Ngô Văn Cường, Đỗ Minh Dũng làm ủy viên.")
    board = "Ban Chỉ đạo tổng kết việc thực hiện Nghị quyết 19-NQ/TW"
    assert {r for r in roles(x) if r[1] == board} == {
        ("Lê Văn An", board, "Trưởng ban"), ("Trần Văn Bình", board, "Phó Trưởng ban"),
        ("Ngô Văn Cường", board, "Ủy viên"), ("Đỗ Minh Dũng", board, "Ủy viên")}


def test_units_listed_after_the_head_they_share():
    x = run("Tin\nBộ trưởng Bộ GT-VT được bổ nhiệm Cục trưởng các Cục: Hàng hải; Đường sắt; Đường sông.")
    assert facts(x, "org:subOrganizationOf") == {(u, "Bộ Giao thông vận tải") for u in
                    ("Cục Hàng hải Việt Nam", "Cục Đường sắt Việt Nam", "Cục Đường thủy nội địa Việt Nam")}


def test_two_provinces_in_one_article_and_the_city_party_committee():
    x = run("Phê chuẩn Phó Chủ tịch tỉnh Bắc Giang và Hải Dương\nTại Bắc Giang, ông Vương Quốc Hùng (Bí thư Thành ủy "
            "Bắc Giang) được phê chuẩn giữ chức Phó Chủ tịch UBND tỉnh.\nTại Hải Dương, Thủ tướng phê chuẩn chức vụ "
            "Phó Chủ tịch UBND tỉnh đối với ông Trần Văn Nam (Tỉnh ủy viên, Giám đốc Sở Tài chính).")
    assert {("Vương Quốc Hùng", "Thành ủy Bắc Giang", "Bí thư"),
            ("Trần Văn Nam", "Ủy ban nhân dân tỉnh Hải Dương", "Phó Chủ tịch"),
            ("Trần Văn Nam", "Tỉnh ủy Hải Dương", "Tỉnh ủy viên")} <= roles(x)
    assert not any(r[0] == "Trần Văn Nam" and "Bắc Giang" in r[1] for r in roles(x))


def test_initials_defined_after_a_body_name_it_later():
    x = run("Tin\nBan Quản lý các khu công nghiệp tỉnh Bình Dương (BIZA) cho biết vốn tăng. Ông Lê Văn Hòa, "
            "Phó Trưởng ban BIZA, cho biết thêm.")
    assert ("Lê Văn Hòa", "Ban Quản lý các khu công nghiệp tỉnh Bình Dương", "Phó Trưởng ban") in roles(x)


def test_clusters_written_cum_cn_and_named_after_their_commune():
    x = run("Tin Phú Thọ\nĐầu tư hạ tầng Cụm CN xã Tiên Phong, huyện Phù Ninh.")
    assert labels(x, "IndustrialZone") == {"Cụm công nghiệp Tiên Phong"}


def test_the_end_of_a_company_name_given_in_full_is_that_company():
    x = run("Tin\nCông ty CP Đầu tư ABC Holdings ký hợp tác. Sau đó, ABC Holdings công bố kế hoạch.")
    assert labels(x, "Company") == {"Đầu tư ABC Holdings"}


@pytest.mark.parametrize(("text", "name"), [
    ("Phó Chủ tịch UBND tỉnh Lò Thị Kim Nga chủ trì hội nghị.", "Lò Thị Kim Nga"),
])
def test_a_given_name_that_is_also_a_country(text, name):
    assert name in labels(run("Tin Sơn La\n" + text), "Person")


def test_a_paper_credited_at_the_end_names_no_province():
    x = run("Tin\nBộ Công Thương họp bàn về xuất khẩu.\nTheo Hà Nội Mới")
    assert labels(x, "Province") == set()


def test_figures_after_a_neighbouring_province_are_the_articles():
    text = "Tại huyện Bến Lức giáp TP.HCM, nhà máy có tổng vốn đầu tư 500 tỷ đồng."
    assert stats(text, "Long An khởi công nhà máy") == {("long an", Decimal("500"), "tỷ đồng")}


@pytest.mark.parametrize(("text", "name"), [
    ("Tham dự có ông Thiều Văn Lâm, Giám đốc Công ty Điện lực Bắc Giang.", "Thiều Văn Lâm"),
    ("Ông Khương Minh Đức, Phó Giám đốc Sở Công Thương, phát biểu.", "Khương Minh Đức"),
])
def test_rarer_family_names(text, name):
    assert name in labels(run("Tin Bắc Giang\n" + text), "Person")


def test_continents_are_no_names():
    x = run("Tin An Giang\nGạo xuất khẩu sang 8 nước Châu Âu, 3 nước Châu Mỹ và 4 nước Châu Đại Dương.")
    assert labels(x, "Person") == set()


def test_a_centre_whose_name_goes_on_in_lower_case_to_its_city():
    x = run("Tin Gia Lai\nTrung tâm Xúc tiến thương mại và đầu tư TP.HCM (ITPC) phối hợp với Sở Công Thương Gia Lai.")
    assert "Trung tâm Xúc tiến thương mại và đầu tư thành phố Hồ Chí Minh" in labels(x, "Agency")
    assert not any("Gia Lai" in n and n.startswith("Trung tâm") for n in labels(x, "Agency"))


def test_a_company_name_stops_at_a_verb_of_two_syllables():
    x = run("Tin Lâm Đồng\nCông ty cổ phần Tập đoàn Hòa Bình đề xuất xây dựng tổ hợp Nhà máy Alumin.")
    assert labels(x, "Company") == {"Tập đoàn Hòa Bình"}


def test_the_provincial_delegation_written_with_capitals():
    x = run("Tin\nÔng Lê Văn Tâm, Trưởng Đoàn Đại biểu Quốc hội tỉnh Yên Bái, phát biểu.")
    assert ("Lê Văn Tâm", "Đoàn đại biểu Quốc hội tỉnh Yên Bái", "Trưởng đoàn") in roles(x)


def test_law_titles_that_name_bodies_and_the_amending_law_cut_before_its_name():
    x = run("Quyết định\nCăn cứ Luật Tổ chức HĐND và UBND ngày 26/11/2003; Luật sửa đổi, bổ sung một số điều của "
            "Luật Tổ chức Quốc hội ngày 19/6/2019;")
    assert labels(x, "LegalDocument") == {"Luật Tổ chức HĐND và UBND", "Luật Tổ chức Quốc hội"}


def test_a_district_named_like_a_unit_is_no_body():
    x = run("Tin Nam Định\nGiải phóng mặt bằng tại các huyện Vụ Bản và Ý Yên đã hoàn thành.")
    assert labels(x, "Agency") == set()


def test_zone_names_whose_common_noun_runs_on_in_lower_case():
    x = run("Tin Quảng Ninh\nDự án đặt tại Khu công nghiệp Cảng biển Hải Hà, huyện Hải Hà.")
    assert labels(x, "IndustrialZone") == {"Khu công nghiệp Cảng biển Hải Hà"}


def test_vote_counts_are_no_statistics():
    assert stats("HĐND tỉnh bầu ông Lộc Văn An với 45/47 phiếu tán thành.", "Tin Lạng Sơn") == set()


def test_the_province_an_article_names_only_by_its_city_or_economic_zone():
    x = run("Thu hút 120 dự án\nToàn tỉnh thu hút 120 dự án. Khu kinh tế Dung Quất có 80 dự án; cụm công nghiệp "
            "Tịnh Phong (TP. Quảng Ngãi) có 12 dự án.")
    assert ("Khu kinh tế Dung Quất", "Quảng Ngãi") in facts(x, "schema:containedInPlace")
    assert ("quảng ngãi", Decimal("120"), "dự án") in {(o.subject.split(":")[1], o.value, o.unit)
                                                       for o in x.observations}


def test_firms_listed_by_brand():
    x = run("Tin Bắc Ninh\nTỉnh đã làm việc với nhiều doanh nghiệp lớn như Foxconn (Đài Loan), Goertek, Amkor "
            "Technology, LG Display (Hàn Quốc)…")
    assert labels(x, "Company") == {"Foxconn", "Goertek", "Amkor Technology", "LG Display"}


def test_a_post_held_before_written_after_the_name():
    x = run("Tin Hậu Giang\nHĐND tỉnh bầu chức danh Phó Chủ tịch UBND tỉnh đối với ông Trần Văn Huyến, nguyên Bí thư "
            "Huyện ủy Phụng Hiệp.")
    assert roles(x) == {("Trần Văn Huyến", "Ủy ban nhân dân tỉnh Hậu Giang", "Phó Chủ tịch"),
                        ("Trần Văn Huyến", "Huyện ủy Phụng Hiệp", "Bí thư")}


def test_a_cluster_numbered_in_arabic_keeps_that_name_too():
    x = run("Tin Gia Lai\nTỉnh có 17 cụm công nghiệp, trong đó Cụm công nghiệp Ia Grai 2 đã có nhà đầu tư.")
    zone = next(e for e in x.entities.values() if e.type == "IndustrialZone")
    assert zone.label == "Cụm công nghiệp Ia Grai II" and "Cụm công nghiệp Ia Grai 2" in zone.alt_labels


def test_a_company_name_stops_before_a_person_after_a_dash():
    x = run("Tin Quảng Nam\nTổng Giám đốc Tập đoàn Điện lực Việt Nam - ông Uông Văn Hải làm việc với tỉnh.")
    assert labels(x, "Company") == {"Điện lực Việt Nam"}
    assert "Uông Văn Hải" in labels(x, "Person")


def test_party_posts_written_as_initials():
    x = run("Tin Lai Châu\nDự có đồng chí Giàng A Tính, TUV, Phó Chủ tịch UBND tỉnh; Lê Văn Lương, "
            "Ủy viên BTV Tỉnh ủy.")
    assert roles(x) == {("Giàng A Tính", "Tỉnh ủy Lai Châu", "Tỉnh ủy viên"),
                        ("Giàng A Tính", "Ủy ban nhân dân tỉnh Lai Châu", "Phó Chủ tịch"),
                        ("Lê Văn Lương", "Tỉnh ủy Lai Châu", "Ủy viên Ban Thường vụ")}


def test_a_parks_extension_and_a_qualified_park_in_a_list():
    x = run("Tin Bắc Ninh\nVốn tập trung ở các khu công nghiệp mới như Quế Võ mở rộng, Yên Phong 2..., với Tập đoàn "
            "Hòa Bình hay Khu công nghiệp dệt may Thuận Thành.")
    assert labels(x, "IndustrialZone") == {"Khu công nghiệp Quế Võ mở rộng", "Khu công nghiệp Yên Phong II",
                                           "Khu công nghiệp dệt may Thuận Thành"}
    assert labels(x, "Company") == {"Hòa Bình"}


# --------------------------------------------------------------------- blind22's families (personnel news,
# zones with descriptive names), on sentences about other provinces than its pages

@pytest.mark.parametrize(("text", "expected"), [
    # the Central Committee abbreviated "T.Ư"; a post won in a vote ("trúng cử chức danh")
    ("Ông Lê Văn Hòa, Ủy viên dự khuyết Ban Chấp hành T.Ư Đảng, Trưởng ban Dân vận Tỉnh ủy Hà Tĩnh, trúng cử "
     "chức danh Chủ tịch UBND tỉnh Hà Tĩnh.",
     {("Lê Văn Hòa", "Ban Chấp hành Trung ương Đảng", "Ủy viên dự khuyết"),
      ("Lê Văn Hòa", "Ban Dân vận Tỉnh ủy Hà Tĩnh", "Trưởng ban"),
      ("Lê Văn Hòa", "Ủy ban nhân dân tỉnh Hà Tĩnh", "Chủ tịch")}),
    # two names given one post at once, "bổ nhiệm có thời hạn"
    ("Ông Trần Quốc Bảo và ông Phạm Đức Long đã được bổ nhiệm có thời hạn giữ chức Thứ trưởng Bộ Tài chính.",
     {("Trần Quốc Bảo", "Bộ Tài chính", "Thứ trưởng"), ("Phạm Đức Long", "Bộ Tài chính", "Thứ trưởng")}),
    # one of two names has a post of his own: only the other shares the new one
    ("Ông Trần Quốc Bảo, Giám đốc Sở Tài chính tỉnh Hòa Bình và ông Phạm Đức Long được bổ nhiệm giữ chức Phó "
     "Giám đốc Sở Xây dựng tỉnh Hòa Bình.",
     {("Trần Quốc Bảo", "Sở Tài chính Hòa Bình", "Giám đốc"),
      ("Phạm Đức Long", "Sở Xây dựng Hòa Bình", "Phó Giám đốc")}),
    # "Huyện ủy huyện X": the committee written with its own level again
    ("Ông Đinh Văn Tú, Bí thư Huyện ủy huyện Kỳ Sơn phát biểu.", {("Đinh Văn Tú", "Huyện ủy Kỳ Sơn", "Bí thư")}),
    # "Chánh văn phòng" in lower case still names the office
    ("Bà Vũ Thị Mai, Chánh văn phòng Tỉnh ủy Tuyên Quang phát biểu.",
     {("Vũ Thị Mai", "Văn phòng Tỉnh ủy Tuyên Quang", "Chánh Văn phòng")}),
])
def test_posts_of_personnel_news(text, expected):
    assert roles(run("Tin\n" + text)) >= expected


def test_a_share_of_a_vote_is_no_figure_of_the_province():
    assert stats("HĐND tỉnh Hà Tĩnh bầu ông Lê Văn Hòa với tỷ lệ 100% phiếu bầu. Tại kỳ họp, 98,5% đại biểu có mặt "
                 "tán thành. Tỷ lệ hộ dân sử dụng điện lưới đạt 99,8%.", "Tin Hà Tĩnh") == {
        ("hà tĩnh", Decimal("99.8"), "%")}


def test_a_border_gate_or_a_pass_is_no_person():
    x = run("Tin\nTỉnh Hà Giang có cửa khẩu quốc tế Thanh Thủy và đèo Mã Pí Lèng.")
    assert labels(x, "Person") == set()


@pytest.mark.parametrize(("text", "name"), [
    ("Tỉnh Hải Phòng có Khu công nghiệp Cơ khí ô tô An Dương.", "Khu công nghiệp Cơ khí ô tô An Dương"),
    ("Tỉnh Thanh Hóa có Khu công nghiệp cảng và hậu cần cảng Nghi Sơn.",
     "Khu công nghiệp cảng và hậu cần cảng Nghi Sơn"),
])
def test_a_zone_named_with_its_trade(text, name):
    assert labels(run("Tin\n" + text), "IndustrialZone") == {name}


def test_neighbours_listed_after_giap_are_not_the_subject_of_the_next_figures():
    assert stats("Hà Giang là tỉnh biên giới, giáp Vân Nam (Trung Quốc), Cao Bằng, Tuyên Quang và Lào Cai; diện tích "
                 "khoảng 7.900 km2.", "Tin Hà Giang") == {("hà giang", Decimal("7900"), "km²")}


def test_a_province_noted_in_brackets_does_not_take_the_paragraphs_figures():
    text = ("UBND tỉnh Đắk Lắk chấp thuận đầu tư Khu công nghiệp Hòa Tâm.\nDự án đặt tại xã Hòa Tâm (trước đây thuộc "
            "huyện Đông Hòa, tỉnh Phú Yên cũ), thời hạn 50 năm. Tổng vốn đầu tư 1.200 tỷ đồng.")
    assert stats(text, "Đắk Lắk duyệt khu công nghiệp") == {("đắk lắk", Decimal("1200"), "tỷ đồng")}


# --------------------------------------------------------------------- blind23's families (a career in a
# merged province, a ministry's restructuring, a circular's legal bases)

def test_a_career_in_a_province_is_that_provinces_not_the_home_provinces():
    x = run("Tân Chủ tịch Quốc hội\nÔng Trần Văn Nam sinh năm 1963, quê quán tỉnh Nam Định.\nÔng có thời gian dài "
            "công tác tại tỉnh Ninh Bình và từng đảm nhiệm các chức vụ: Chánh Văn phòng Tỉnh ủy; Chủ tịch HDND tỉnh; "
            "Bí thư Tỉnh ủy.")
    assert roles(x) >= {("Trần Văn Nam", "Văn phòng Tỉnh ủy Ninh Bình", "Chánh Văn phòng"),
                        ("Trần Văn Nam", "Hội đồng nhân dân tỉnh Ninh Bình", "Chủ tịch"),
                        ("Trần Văn Nam", "Tỉnh ủy Ninh Bình", "Bí thư")}
    assert not {label for label in labels(x, "Agency") if "Nam Định" in label}


def test_a_units_name_ends_where_its_merger_is_told():
    x = run("Tin\nVụ Thương mại biên giới nhập vào Vụ Thị trường trong nước; Vụ Công nghiệp nặng nhập thành Cục Công "
            "nghiệp; Vụ Pháp chế tách một phần về Vụ Kế hoạch. Cục Xúc tiến thương mại bắt đầu nhiệm vụ mới.")
    assert {"Vụ Thương mại biên giới", "Vụ Công nghiệp nặng", "Vụ Pháp chế", "Cục Xúc tiến thương mại"} <= labels(
        x, "Agency")


def test_a_law_whose_title_holds_a_comma():
    x = run("Tin\nCăn cứ Luật Phòng, chống ma túy ngày 30 tháng 3 năm 2021; Luật sửa đổi, bổ sung một số điều của Luật "
            "Đầu tư; Luật Giá, Luật Thương mại năm 2005.")
    assert labels(x, "LegalDocument") >= {"Luật Phòng, chống ma túy", "Luật Đầu tư", "Luật Giá", "Luật Thương mại"}
    assert not {label for label in labels(x, "LegalDocument") if "sửa đổi" in label.lower()}


def test_unknown_departments_of_the_one_ministry_an_article_names():
    x = run("Bộ Tư pháp kiện toàn bộ máy\nBộ Tư pháp sáp nhập nhiều vụ: Vụ Phổ biến pháp luật nhập vào Vụ Pháp luật "
            "hình sự; Vụ Tổ chức được giữ, theo chỉ đạo của Thủ tướng Chính phủ.")
    assert facts(x, "org:subOrganizationOf") >= {("Vụ Phổ biến pháp luật", "Bộ Tư pháp"), ("Vụ Tổ chức", "Bộ Tư pháp")}
    # a general department names its own departments: whose a "Vụ" is stays unsaid
    y = run("Tổng cục Năng lượng kiện toàn\nBộ Công Thương giao Tổng cục Năng lượng sắp xếp Vụ Lưới điện và Vụ Dầu mỏ.")
    assert not {(u, p) for u, p in facts(y, "org:subOrganizationOf") if u.startswith("Vụ")}


# --------------------------------------------------------------------- blind24's families (a city's report with
# the country's figures in brackets, numbered clusters, spaced document numbers, shopping centres)

def test_the_countrys_figure_in_brackets_leaves_the_citys_own():
    assert stats("So với năm 2023, chỉ số sản xuất công nghiệp tăng 12,4% (cả nước tăng 8,1%); kim ngạch xuất khẩu "
                 "đạt 9,5 tỷ USD, tăng 20,3% (cả nước tăng 7%).", "Ngành Công Thương Đà Nẵng") == {
        ("đà nẵng", Decimal("12.4"), "%"), ("đà nẵng", Decimal("9.5"), "tỷ USD"), ("đà nẵng", Decimal("20.3"), "%")}


def test_a_numbered_cluster_and_a_zone_named_with_its_trade():
    x = run("Tin\nTỉnh Nghệ An bổ sung Cụm công nghiệp Nghi Phong số 2, huyện Nghi Lộc và Khu công nghiệp Dịch vụ "
            "thủy sản Thọ Quang.")
    assert labels(x, "IndustrialZone") == {"Cụm công nghiệp Nghi Phong số 2",
                                           "Khu công nghiệp Dịch vụ thủy sản Thọ Quang"}


def test_a_document_number_spaced_around_its_dash():
    x = run("Tin\nTheo Quyết định số 2345/2019/QĐ – UBND ngày 12/6/2019 của UBND tỉnh Hà Tĩnh, tỉnh có 30 cụm công "
            "nghiệp.")
    assert facts(x, "eli:passed_by") == {("Quyết định 2345/2019/QĐ-UBND", "Ủy ban nhân dân tỉnh Hà Tĩnh")}


def test_a_shopping_centre_named_after_a_person_is_no_person():
    x = run("Tin\nThành phố thu hút dự án Hoàng Huy Mall và Trung tâm thương mại Lotte Mart.")
    assert labels(x, "Person") == set()


def test_a_city_prefix_written_with_two_capitals():
    x = run("Tin\nCác cơ sở tham gia Hội chợ OCOP tại Thành Phố Hồ Chí Minh; Chủ tịch UBND Thành Phố Cần Thơ dự "
            "khai mạc.")
    assert labels(x, "Person") == set() and {"Hồ Chí Minh", "Cần Thơ"} <= labels(x, "Province")


def test_an_article_about_a_district_gives_its_figures_to_the_province_it_names_later():
    text = ("Trong giai đoạn 2016 - 2020, huyện Yên Thành hỗ trợ trên 2,5 tỷ đồng từ vốn khuyến công cho 30 cơ sở.\n"
            "Nhiều sản phẩm của huyện đã tham gia hội chợ của tỉnh Nghệ An.")
    assert stats(text, "Yên Thành hỗ trợ khuyến công") == {("nghệ an", Decimal("2.5"), "tỷ đồng"),
                                                            ("nghệ an", Decimal("30"), "cơ sở")}


def test_a_national_steering_board_named_by_its_number_serves_no_province():
    x = run("Tin\nĐoàn công tác của Ban Chỉ đạo 389 quốc gia làm việc với Ban Chỉ đạo 389 tỉnh Quảng Nam.")
    assert facts(x, "schema:areaServed") == {("Ban Chỉ đạo 389 tỉnh Quảng Nam", "Quảng Nam")}
