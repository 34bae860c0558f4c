"""Statistics: Vietnamese numbers, units, subjects; what is not a statistic."""

from decimal import Decimal

import pytest
from helpers import run

from kg.measure import parse_number


def stats(text):
    x = run("Tin Nghệ An\n" + text)
    return {(x_.subject.split(":")[1], x_.value, x_.unit) for x_ in x.observations}


@pytest.mark.parametrize(("text", "value"), [
    ("143.000", "143000"), ("3.562,82", "3562.82"), ("1,3", "1.3"), ("09", "9"), ("270.000.000", "270000000"),
    ("42,460,418,319", "42460418319"),
])
def test_vietnamese_numbers(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Kim ngạch xuất khẩu đạt 2.345,6 tỷ đồng.", "2345.6", "tỷ đồng"),
    ("Xuất khẩu đạt 1,25 triệu USD.", "1.25", "triệu USD"),
    ("Chỉ số sản xuất tăng 12,3% so với cùng kỳ.", "12.3", "%"),
    ("Nhập khẩu giảm 3,1%.", "-3.1", "%"),
    ("Diện tích gần 300 ha.", "300", "ha"),
    ("Tỉnh có 15 khu công nghiệp.", "15", "khu công nghiệp"),
    ("Toàn tỉnh có 104 HTX.", "104", "hợp tác xã"),
    ("Hiện có 140 chợ truyền thống.", "140", "chợ"),
])
def test_value_and_unit(text, value, unit):
    assert ("nghệ an", Decimal(value), unit) in stats(text)


@pytest.mark.parametrize("text", [
    "Nghị định số 68/2017/NĐ-CP ngày 25/5/2017 có hiệu lực.",
    "Năm 2024, trong 7 tháng đầu năm, sau 20 năm xây dựng.",
    "Giai đoạn 2021-2025, tầm nhìn đến năm 2050, đứng thứ tư cả nước.",
    "Tăng trưởng 2 chữ số; phòng chống dịch COVID-19.",
])
def test_not_statistics(text):
    assert stats(text) == set()


def test_subject_is_the_province_named_in_the_clause():
    got = stats("Bắc Ninh đạt 5 tỷ USD; Nghệ An đạt 2 tỷ USD.")
    assert got == {("bắc ninh", Decimal(5), "tỷ USD"), ("nghệ an", Decimal(2), "tỷ USD")}


def test_ratio_gives_both_counts():
    assert {Decimal(27), Decimal(41)} == {v for _, v, _ in stats("Có 27/41 cụm công nghiệp đã có chủ đầu tư.")}


def test_indicator_and_period():
    x = run("Tin Nghệ An\nTính chung 7 tháng đầu năm 2024, kim ngạch xuất khẩu ước đạt 17,6 tỷ USD.")
    (o,) = x.observations
    assert o.indicator == "kim ngạch xuất khẩu"
    assert o.period == "7 tháng đầu năm 2024"


def test_the_paragraph_topic_carries_across_clauses_and_sentences():
    x = run("Hai địa phương\nVới Hải Phòng, sau khi hợp nhất với tỉnh Hải Dương, xuất khẩu đạt 38,4 tỷ USD; "
            "bán lẻ đạt 245.600 tỷ đồng. Thành phố có 38 khu công nghiệp.\n"
            "Trong khi đó, tỉnh Hưng Yên có 27 khu công nghiệp.")
    got = {(o.subject.split(":")[1], o.value) for o in x.observations}
    assert got == {("hải phòng", Decimal("38.4")), ("hải phòng", Decimal(245600)), ("hải phòng", Decimal(38)),
                   ("hưng yên", Decimal(27))}


@pytest.mark.parametrize("text", [
    "Kim ngạch xuất khẩu của cả nước sang EU đạt 12,9 tỷ USD.",
    "Vùng đồng bằng sông Cửu Long đóng góp khoảng 12% GDP cả nước.",
])
def test_national_and_regional_figures_are_not_a_provinces(text):
    assert stats(text) == set()


def test_a_unit_the_segmenter_joined_to_the_figure():
    assert ("nghệ an", Decimal(1126), "vụ") in stats("Lực lượng quản lý thị trường đã kiểm tra 1.126 vụ, xử lý 845 vụ.")


def test_a_compared_year_is_not_the_period_and_the_paragraph_period_carries_over():
    x = run("Tin Nghệ An\nNăm 2021, giá trị sản xuất đạt 844 nghìn tỷ đồng, tăng 7,7% so với năm 2020. "
            "Kim ngạch xuất khẩu (theo giá hiện hành) đạt 28,85 tỷ USD.")
    by_value = {o.value: o for o in x.observations}
    assert by_value[Decimal("7.7")].period == "Năm 2021"
    assert by_value[Decimal("28.85")].period.endswith("2021")
    assert by_value[Decimal("28.85")].indicator == "Kim ngạch xuất khẩu (theo giá hiện hành)"


@pytest.mark.parametrize("text", [
    "Theo Tổng cục Thống kê, tổng mức bán lẻ của cả nước 6 tháng đạt 3.100 nghìn tỷ đồng, tăng 8,6% so với cùng kỳ.",
    "Theo Cục Hải quan, hàng dệt may của Việt Nam đã bị áp thuế chống bán phá giá tại 12 thị trường, "
    "nâng tổng số lên 45 thị trường.",
    "Vùng Đông Nam Bộ thu hút 6 tỷ USD vốn FDI, tăng 12%, cao nhất cả nước.",
    "Cả nước có 63 tỉnh, thành phố với 420 khu công nghiệp.",  # "tỉnh, thành phố" is every province
    "Kim ngạch của cả nước đạt 300 tỷ USD, trên địa bàn cả nước có 12 dự án điện gió.",
])
def test_figures_after_a_national_one_stay_national(text):
    assert stats(text) == set()


@pytest.mark.parametrize(("text", "expected"), [
    ("Cả nước có 420 khu công nghiệp, trong đó tỉnh có 9 khu công nghiệp.",
     {("nghệ an", Decimal(9), "khu công nghiệp")}),
    ("Xuất khẩu của cả nước đạt 300 tỷ USD, trong đó Bình Dương đạt 35 tỷ USD, tăng 10%.",
     {("bình dương", Decimal(35), "tỷ USD"), ("bình dương", Decimal(10), "%")}),
    ("Bình Thuận dẫn đầu vùng Duyên hải Nam Trung Bộ với 48 dự án điện gió, tổng vốn 2,3 tỷ USD.",
     {("bình thuận", Decimal(48), "dự án"), ("bình thuận", Decimal("2.3"), "tỷ USD")}),
])
def test_a_province_named_first_or_again_takes_the_figures_back(text, expected):
    assert stats(text) == expected


def test_a_voltage_or_transformer_rating_is_not_a_statistic():
    got = stats("Gia Lai khởi công trạm biến áp 110 kV, đường dây 500 kV mạch 3 và máy biến áp 630 kVA; "
                "nhà máy có công suất 50 MW.")
    assert got == {("gia lai", Decimal(50), "MW")}


@pytest.mark.parametrize(("text", "expected"), [
    ("Thực hiện Chỉ thị 08 Thủ tướng Chính phủ, Lào Cai kiểm tra 12 cơ sở.", {("lào cai", Decimal(12), "cơ sở")}),
    ("Kế hoạch 120 nhiệm vụ trọng tâm của Bình Phước gồm 18 đề án.", {("bình phước", Decimal(18), "đề án")}),
    ("Thông tư 38 thay thế Thông tư số 21/2016/TT-BCT.", set()),
])
def test_a_number_after_a_document_kind_is_its_name(text, expected):
    assert stats(text) == expected


@pytest.mark.parametrize("verb", ["thay thế", "quy định", "có hiệu lực", "áp dụng"])
def test_a_verb_after_a_number_is_not_a_unit(verb):
    assert stats(f"Đề án 06 {verb} từ tháng sau.") == set()


def test_ranks_and_star_ratings_are_not_statistics():
    assert stats("Bình Phước đứng thứ 8 trong 14 tỉnh của vùng; tỉnh có 12 sản phẩm OCOP 4 sao.") == {
        ("bình phước", Decimal("12"), "sản phẩm ocop")}
