"""Statistics: Vietnamese numbers, units, subjects; what is not a statistic."""

from decimal import Decimal

import pytest
from conftest import run

from kg.measure import parse_number


def stats(text):
    x = run("Tin Nghệ An\n" + text)
    return {(x_.subject.split(":")[1], x_.value, x_.unit) for x_ in x.observations}


@pytest.mark.parametrize(("text", "value"), [
    ("143.000", "143000"), ("3.562,82", "3562.82"), ("1,3", "1.3"), ("09", "9"), ("270.000.000", "270000000"),
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
