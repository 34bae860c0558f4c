"""Regenerate kg/data/provinces.json, the gazetteer of Vietnam's provinces.

Why a script: news from before and after the 1 July 2025 reform (Nghị quyết
202/2025/QH15) name both the 63 old provinces and the 34 new ones, so the
gazetteer needs both lists and the merger between them. The 34 current units
(official names, codes, kinds) come from the PyPI package `vietnam-provinces`
(2025.10.1), which has no pre-2025 data; the 63 old units with their codes
(Quyết định 124/2004/QĐ-TTg), the merger and the aliases are kept by hand in
`OLD` and `ALIASES` below. Run after `pip install vietnam-provinces==2025.10.1`:

    python scripts/make_provinces.py          # write the file
    python scripts/make_provinces.py --check  # fail if the file is stale
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import vietnam_provinces
from vietnam_provinces import Province, VietNamDivisionType

OUT = Path(__file__).resolve().parent.parent / "kg" / "data" / "provinces.json"

# The 63 units as of 30 June 2025: code, name, kind before 2025, and the unit
# it became part of on 1 July 2025 (None: it goes on under its own name).
OLD: list[tuple[str, str, str, str | None]] = [
    ("01", "Hà Nội", "thành phố", None),
    ("02", "Hà Giang", "tỉnh", "Tuyên Quang"),
    ("04", "Cao Bằng", "tỉnh", None),
    ("06", "Bắc Kạn", "tỉnh", "Thái Nguyên"),
    ("08", "Tuyên Quang", "tỉnh", None),
    ("10", "Lào Cai", "tỉnh", None),
    ("11", "Điện Biên", "tỉnh", None),
    ("12", "Lai Châu", "tỉnh", None),
    ("14", "Sơn La", "tỉnh", None),
    ("15", "Yên Bái", "tỉnh", "Lào Cai"),
    ("17", "Hòa Bình", "tỉnh", "Phú Thọ"),
    ("19", "Thái Nguyên", "tỉnh", None),
    ("20", "Lạng Sơn", "tỉnh", None),
    ("22", "Quảng Ninh", "tỉnh", None),
    ("24", "Bắc Giang", "tỉnh", "Bắc Ninh"),
    ("25", "Phú Thọ", "tỉnh", None),
    ("26", "Vĩnh Phúc", "tỉnh", "Phú Thọ"),
    ("27", "Bắc Ninh", "tỉnh", None),
    ("30", "Hải Dương", "tỉnh", "Hải Phòng"),
    ("31", "Hải Phòng", "thành phố", None),
    ("33", "Hưng Yên", "tỉnh", None),
    ("34", "Thái Bình", "tỉnh", "Hưng Yên"),
    ("35", "Hà Nam", "tỉnh", "Ninh Bình"),
    ("36", "Nam Định", "tỉnh", "Ninh Bình"),
    ("37", "Ninh Bình", "tỉnh", None),
    ("38", "Thanh Hóa", "tỉnh", None),
    ("40", "Nghệ An", "tỉnh", None),
    ("42", "Hà Tĩnh", "tỉnh", None),
    ("44", "Quảng Bình", "tỉnh", "Quảng Trị"),
    ("45", "Quảng Trị", "tỉnh", None),
    ("46", "Thừa Thiên Huế", "tỉnh", None),
    ("48", "Đà Nẵng", "thành phố", None),
    ("49", "Quảng Nam", "tỉnh", "Đà Nẵng"),
    ("51", "Quảng Ngãi", "tỉnh", None),
    ("52", "Bình Định", "tỉnh", "Gia Lai"),
    ("54", "Phú Yên", "tỉnh", "Đắk Lắk"),
    ("56", "Khánh Hòa", "tỉnh", None),
    ("58", "Ninh Thuận", "tỉnh", "Khánh Hòa"),
    ("60", "Bình Thuận", "tỉnh", "Lâm Đồng"),
    ("62", "Kon Tum", "tỉnh", "Quảng Ngãi"),
    ("64", "Gia Lai", "tỉnh", None),
    ("66", "Đắk Lắk", "tỉnh", None),
    ("67", "Đắk Nông", "tỉnh", "Lâm Đồng"),
    ("68", "Lâm Đồng", "tỉnh", None),
    ("70", "Bình Phước", "tỉnh", "Đồng Nai"),
    ("72", "Tây Ninh", "tỉnh", None),
    ("74", "Bình Dương", "tỉnh", "Hồ Chí Minh"),
    ("75", "Đồng Nai", "tỉnh", None),
    ("77", "Bà Rịa - Vũng Tàu", "tỉnh", "Hồ Chí Minh"),
    ("79", "Hồ Chí Minh", "thành phố", None),
    ("80", "Long An", "tỉnh", "Tây Ninh"),
    ("82", "Tiền Giang", "tỉnh", "Đồng Tháp"),
    ("83", "Bến Tre", "tỉnh", "Vĩnh Long"),
    ("84", "Trà Vinh", "tỉnh", "Vĩnh Long"),
    ("86", "Vĩnh Long", "tỉnh", None),
    ("87", "Đồng Tháp", "tỉnh", None),
    ("89", "An Giang", "tỉnh", None),
    ("91", "Kiên Giang", "tỉnh", "An Giang"),
    ("92", "Cần Thơ", "thành phố", None),
    ("93", "Hậu Giang", "tỉnh", "Cần Thơ"),
    ("94", "Sóc Trăng", "tỉnh", "Cần Thơ"),
    ("95", "Bạc Liêu", "tỉnh", "Cà Mau"),
    ("96", "Cà Mau", "tỉnh", None),
]

# The package names the former Thừa Thiên Huế "Huế"; we keep the old name.
RENAME = {"Huế": "Thừa Thiên Huế"}


def _city(name: str) -> list[str]:
    return [f"TP. {name}", f"TP {name}"]


# Other surface forms, written without the "tỉnh"/"thành phố" prefix.
ALIASES: dict[str, list[str]] = {
    "Hà Nội": ["Thủ đô Hà Nội", *_city("Hà Nội")],
    "Hồ Chí Minh": [
        "TP.HCM",
        "TP. HCM",
        "TPHCM",
        "TP HCM",
        *_city("Hồ Chí Minh"),
        "TP.Hồ Chí Minh",
        "Thành phố Hồ Chí Minh",
        "Sài Gòn",
    ],
    "Hải Phòng": _city("Hải Phòng"),
    "Đà Nẵng": _city("Đà Nẵng"),
    "Cần Thơ": _city("Cần Thơ"),
    "Thừa Thiên Huế": ["Huế", "Thừa Thiên - Huế", "Thừa Thiên-Huế", "TT-Huế", "TT Huế", *_city("Huế")],
    "Bà Rịa - Vũng Tàu": ["Bà Rịa-Vũng Tàu", "Bà Rịa Vũng Tàu", "BR-VT", "BRVT"],
    "Đắk Lắk": ["Đắc Lắk", "Đắk Lăk", "Đăk Lăk", "Daklak", "Dak Lak"],
    "Đắk Nông": ["Đắc Nông", "Đăk Nông", "Dak Nong"],
    "Kon Tum": ["Kontum", "Kon-Tum"],
    "Bắc Kạn": ["Bắc Cạn"],
    "Khánh Hòa": ["Khánh Hoà"],
    "Hòa Bình": ["Hoà Bình"],
    "Thanh Hóa": ["Thanh Hoá"],
}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def current_units() -> dict[str, tuple[str, str]]:
    """Name -> (code, kind) of the 34 units since 1 July 2025, from the package."""
    units = {}
    for p in Province.iter_all():
        city = p.division_type == VietNamDivisionType.THANH_PHO_TRUNG_UONG
        name = _nfc(p.name.removeprefix("Thành phố "))
        units[RENAME.get(name, name)] = (f"{int(p.code):02d}", "thành phố" if city else "tỉnh")
    return units


def build() -> dict[str, object]:
    """The whole JSON document."""
    units = current_units()
    kept = {name for _, name, _, into in OLD if into is None}
    targets = {into for *_, into in OLD if into is not None}
    if kept != set(units) or not targets <= kept:
        raise SystemExit(f"hand table and package disagree: {sorted(kept ^ set(units))}")
    provinces = []
    for code, name, kind, into in OLD:
        new = units.get(name)
        provinces.append(
            {
                "name": name,
                "kind": kind,
                "code": code,
                "code_2025": new[0] if new else None,
                "aliases": ALIASES.get(name, []),
                "merged_into": into,
                "formed_from": [n for _, n, _, i in OLD if n == name or i == name] if new else [],
            }
        )
    return {
        "source": (
            f"Names and codes since 1 July 2025 from the PyPI package vietnam-provinces "
            f"{vietnam_provinces.__version__} (GSO data retrieved {vietnam_provinces.__data_version__}), "
            "the former Thừa Thiên Huế kept under that name. Added by hand: the 63 units until "
            "30 June 2025 with their GSO codes (Quyết định 124/2004/QĐ-TTg), the merger of "
            "Nghị quyết 202/2025/QH15, and the aliases."
        ),
        "merger": {"date": "2025-07-01", "date_source": "Nghị quyết 202/2025/QH15"},
        "provinces": provinces,
    }


def main() -> None:
    text = _nfc(json.dumps(build(), ensure_ascii=False, indent=1) + "\n")
    if "--check" in sys.argv[1:]:
        if OUT.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{OUT} is stale: run scripts/make_provinces.py")
        return
    OUT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
