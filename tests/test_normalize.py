import unicodedata

import pytest

from kg.normalize import normalize, normalize_name


@pytest.mark.parametrize(("raw", "clean"), [
    ("Uỷ ban nhân dân tỉnh Hoà Bình", "Ủy ban nhân dân tỉnh Hòa Bình"),
    ("Khánh Hoà  và   Thanh Hoá", "Khánh Hòa và Thanh Hóa"),
    ("thuỷ điện", "thủy điện"),
    ("hoàn thành quý I", "hoàn thành quý I"),  # closed syllable and "qu" keep their marks
    ("Vụ Kế hoạch – Tài chính", "Vụ Kế hoạch - Tài chính"),
    ("Sở\u00a0Công\u200bThương", "Sở CôngThương"),
])
def test_one_spelling(raw, clean):
    assert normalize(raw)[0] == clean


def test_nfd_input_maps_back_to_original_offsets():
    raw = unicodedata.normalize("NFD", "Tỉnh ủy Nghệ An")
    text, offsets = normalize(raw)
    assert text == "Tỉnh ủy Nghệ An"
    start = text.index("Nghệ")
    assert unicodedata.normalize("NFC", raw[offsets[start]:offsets[start + 4]]) == "Nghệ"


def test_name_keys_ignore_case_and_tone_placement():
    assert normalize_name("UỶ BAN nhân dân") == normalize_name("Ủy ban Nhân dân")
