"""Context resolution: one node per real-world thing, whatever the spelling."""

import pytest
from helpers import labels, run

from kg.resolve import main_province


def test_implicit_province_comes_from_the_article():
    x = run("Sở Công Thương Nghệ An sơ kết 6 tháng\nThực hiện chỉ đạo của Tỉnh ủy, HĐND, UBND tỉnh, Sở đã triển khai.")
    assert {"Tỉnh ủy Nghệ An", "Hội đồng nhân dân tỉnh Nghệ An", "Ủy ban nhân dân tỉnh Nghệ An"} <= labels(x, "Agency")


def test_main_province_is_the_most_named():
    x = run("Quảng Ninh đẩy mạnh xuất khẩu\nTỉnh Quảng Ninh hợp tác với Hải Phòng. Quảng Ninh tăng trưởng.")
    assert main_province(x.mentions) == "Quảng Ninh"


def test_spellings_of_one_agency_are_one_node():
    x = run("Tin Bình Định\nUBND tỉnh Bình Định, Uỷ ban nhân dân tỉnh Bình Định và Ủy ban nhân dân Bình Định.")
    assert labels(x, "Agency") == {"Ủy ban nhân dân tỉnh Bình Định"}


def test_bare_ministry_resolves_to_the_ministry_named():
    x = run("Tin\nBộ Tài chính chủ trì; các đơn vị thuộc Bộ: Văn phòng Bộ; Tổng cục Hải quan.")
    assert {"Bộ Tài chính", "Văn phòng Bộ Tài chính", "Tổng cục Hải quan"} <= labels(x, "Agency")


def test_bare_ministry_resolves_through_a_known_unit():
    x = run("Tin\nSự phối hợp của các cơ quan trực thuộc Bộ, đặc biệt là Cục Xúc tiến thương mại.")
    assert "Bộ Công Thương" in labels(x, "Agency")


def test_zone_numerals_are_one_spelling():
    x = run("Tin Thái Nguyên\nKCN Sông Công 2 và Khu công nghiệp Sông Công II là một.")
    assert labels(x, "IndustrialZone") == {"Khu công nghiệp Sông Công II"}


def test_legal_document_with_and_without_kind_is_one_node():
    x = run("Tin\nNghị định số 32/2024/NĐ-CP thay cho các quy định cũ; 32/2024/NĐ-CP có hiệu lực.")
    assert labels(x, "LegalDocument") == {"Nghị định 32/2024/NĐ-CP"}


def test_short_name_defined_in_the_text_points_to_the_document():
    x = run("Tin\nChính phủ ban hành Nghị định số 45/2012/NĐ-CP về khuyến công (sau đây gọi tắt là Nghị định). "
            "Sau 10 năm thực hiện Nghị định, kết quả khả quan.")
    legal = [m for m in x.mentions if m.type == "LegalDocument"]
    assert len(legal) == 3 and {m.key for m in legal} == {"legaldocument:nghị định 45/2012/nđ-cp"}


def test_bare_kind_word_without_a_definition_is_not_an_entity():
    x = run("Tin\nHướng dẫn báo cáo 10 năm thực hiện Nghị định của Chính phủ về khuyến công.")
    assert labels(x, "LegalDocument") == set()


def test_a_mention_copied_with_a_key_is_what_dataclasses_replace_makes():
    from dataclasses import dataclass, field, replace

    from kg.model import Document, Mention, evolve

    m = Mention("d", 0, 3, 10, "Thái Nguyên", "Province", "Province", "Thái Nguyên", {"a": "b"}, nested=True)
    copy = evolve(m, key="thai-nguyen")
    assert copy == replace(m, key="thai-nguyen") and copy.nested and copy.attrs == {"a": "b"}
    assert m.key == "" and copy.key == "thai-nguyen"
    with pytest.raises(TypeError):  # not a field: refused, as replace refuses it
        evolve(m, kee="x")
    doc = Document(id="a", text="x")  # a class that checks itself after init goes through replace
    assert evolve(doc, id="b").id == "b"

    @dataclass(frozen=True, slots=True)
    class Slotted:  # no __dict__ to copy: through replace too
        a: int
        b: str = ""

    assert evolve(Slotted(1, "x"), a=2) == Slotted(2, "x")

    @dataclass
    class Counted:  # a field it sets itself: replace starts it again, and so does evolve
        a: int
        seen: int = field(default=0, init=False)

    counted = Counted(1)
    counted.seen = 5
    assert evolve(counted, a=2).seen == replace(counted, a=2).seen == 0
