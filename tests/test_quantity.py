"""Statistics as data: units to base units and codes, periods to dates, kinds of figure, indicators."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from kg.cli import app
from kg.knowledge import knowledge
from kg.quantity import Period, indicator_of, kind_of, normalise, parse_period

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "eval" / "real" / "corpus"
IND = "https://w3id.org/kg-vn/indicator/"
runner = CliRunner()

# (value as read, unit as written in real articles) -> (value in the base unit, code)
UNITS = [
    ("17.6", "tỷ USD", "17600000000", "USD"),
    ("3562.82", "tỷ đồng", "3562820000000", "VND"),
    ("2.4", "triệu lượt khách", "2400000", "lượt khách"),
    ("931.7", "nghìn tỷ đồng", "931700000000000", "VND"),
    ("44.7675", "ngàn tỷ đồng", "44767500000000", "VND"),
    ("1.5", "nghìn tỉ đồng", "1500000000000", "VND"),
    ("270000000", "đồng", "270000000", "VND"),
    ("403.4", "triệu USD", "403400000", "USD"),
    ("308.1", "triệu USD", "308100000", "USD"),
    ("12", "nghìn USD", "12000", "USD"),
    ("5", "tỉ USD", "5000000000", "USD"),
    ("65", "triệu đồng", "65000000", "VND"),
    ("200", "nghìn đồng", "200000", "VND"),
    ("2", "tỷ Euro", "2000000000", "EUR"),
    ("358.96", "ha", "358.96", "HAR"),
    ("12.5", "nghìn ha", "12500", "HAR"),
    ("3536.4", "km²", "3536.4", "KMK"),
    ("500", "m²", "500", "MTK"),
    ("96.8", "%", "96.8", "P1"),
    ("2.3", "điểm phần trăm", "2.3", "điểm phần trăm"),
    ("1.2", "triệu Kwh", "1200000", "KWH"),
    ("3", "tỷ kWh", "3000000000", "KWH"),
    ("450", "MW", "450", "MAW"),
    ("1.2", "triệu tấn", "1200000", "TNE"),
    ("15", "nghìn tấn", "15000", "TNE"),
    ("478855", "m3", "478855", "MTQ"),
    ("2", "triệu lít", "2000000", "LTR"),
    ("1.3", "triệu người", "1300000", "người"),
    ("15520", "lao động", "15520", "lao động"),
    ("41", "cụm công nghiệp", "41", "cụm công nghiệp"),
    ("417", "dự án", "417", "dự án"),
    ("5", "triệu viên", "5000000", "viên"),
    ("8", "triệu sản phẩm", "8000000", "sản phẩm"),
    ("1.2", "triệu lượt người", "1200000", "lượt người"),
    ("343", "hợp tác xã", "343", "hợp tác xã"),
]


@pytest.mark.parametrize(("value", "unit", "base", "code"), UNITS)
def test_a_unit_as_written_becomes_a_value_in_its_base_unit_and_a_code(value, unit, base, code):
    got, got_code = normalise(Decimal(value), unit)
    assert (got, got_code) == (Decimal(base), code)


WRITTEN = date(2024, 8, 15)  # the article's date
# period as written in real articles -> (start, end, target) with the article's date, and without it
PERIODS = [
    ("năm 2024", "2024-01-01", "2024-12-31", False, "2024-01-01", "2024-12-31"),
    ("năm 2019", "2019-01-01", "2019-12-31", False, "2019-01-01", "2019-12-31"),
    ("Năm 2023", "2023-01-01", "2023-12-31", False, "2023-01-01", "2023-12-31"),
    ("quý I/2017", "2017-01-01", "2017-03-31", False, "2017-01-01", "2017-03-31"),
    ("quý II năm 2024", "2024-04-01", "2024-06-30", False, "2024-04-01", "2024-06-30"),
    ("quý III/2024", "2024-07-01", "2024-09-30", False, "2024-07-01", "2024-09-30"),
    ("quý IV/2023", "2023-10-01", "2023-12-31", False, "2023-10-01", "2023-12-31"),
    ("7 tháng đầu năm 2024", "2024-01-01", "2024-07-31", False, "2024-01-01", "2024-07-31"),
    ("6 tháng đầu năm 2024", "2024-01-01", "2024-06-30", False, "2024-01-01", "2024-06-30"),
    ("8 tháng đầu năm 2019", "2019-01-01", "2019-08-31", False, "2019-01-01", "2019-08-31"),
    ("2 tháng đầu năm 2024", "2024-01-01", "2024-02-29", False, "2024-01-01", "2024-02-29"),
    ("7 tháng năm 2024", "2024-01-01", "2024-07-31", False, "2024-01-01", "2024-07-31"),
    ("6 tháng cuối năm 2023", "2023-07-01", "2023-12-31", False, "2023-07-01", "2023-12-31"),
    ("7 tháng đầu năm", "2024-01-01", "2024-07-31", False, None, None),
    ("6 tháng đầu năm", "2024-01-01", "2024-06-30", False, None, None),
    ("giai đoạn 2021 - 2025", "2021-01-01", "2025-12-31", False, "2021-01-01", "2025-12-31"),
    ("giai đoạn 2016-2020", "2016-01-01", "2020-12-31", False, "2016-01-01", "2020-12-31"),
    ("đến năm 2030", None, "2030-12-31", True, None, "2030-12-31"),
    ("đến năm 2050", None, "2050-12-31", True, None, "2050-12-31"),
    ("Đến năm 2022", None, "2022-12-31", False, None, "2022-12-31"),
    ("đến năm 2020", None, "2020-12-31", False, None, "2020-12-31"),
    ("từ đầu năm", "2024-01-01", "2024-08-15", False, None, None),
    ("Từ đầu năm 2024", "2024-01-01", "2024-08-15", False, "2024-01-01", None),
    ("Tính đến nay", None, "2024-08-15", False, None, None),
    ("Đến nay", None, "2024-08-15", False, None, None),
    ("hiện nay", None, "2024-08-15", False, None, None),
    ("năm 2030", "2030-01-01", "2030-12-31", True, "2030-01-01", "2030-12-31"),
    ("tháng 12/2025", "2025-12-01", "2025-12-31", True, "2025-12-01", "2025-12-31"),
    ("Tháng 7/2024", "2024-07-01", "2024-07-31", False, "2024-07-01", "2024-07-31"),
    ("tháng 2 năm 2024", "2024-02-01", "2024-02-29", False, "2024-02-01", "2024-02-29"),
    ("tháng 6-2023", "2023-06-01", "2023-06-30", False, "2023-06-01", "2023-06-30"),
    ("tháng 8", "2024-08-01", "2024-08-31", False, None, None),
    ("tháng 12", "2023-12-01", "2023-12-31", False, None, None),  # no year: the last December before the article
    ("tính đến hết tháng 7/2024", None, "2024-07-31", False, None, "2024-07-31"),
    ("Tính đến tháng 6/2024", None, "2024-06-30", False, None, "2024-06-30"),
    ("lũy kế đến hết tháng 9/2023", None, "2023-09-30", False, None, "2023-09-30"),
    ("hết tháng 6", None, "2024-06-30", False, None, None),
    ("đến cuối tháng 5/2024", None, "2024-05-31", False, None, "2024-05-31"),
    ("tháng 1-7/2024", None, None, False, None, None),  # a range of months: not read, no guess
    ("tháng 13/2024", None, None, False, None, None),  # no such month
    ("tháng 5/0000", None, None, False, None, None),  # no such year (a scan error)
    ("năm 0000", None, None, False, None, None),
    ("quý V/2024", None, None, False, None, None),  # no such quarter: no guess
    ("giai đoạn 2025 - 2021", None, None, False, None, None),  # backwards: no guess
    ("14 tháng đầu năm 2024", None, None, False, None, None),
]


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@pytest.mark.parametrize(("text", "start", "end", "target", "start_undated", "end_undated"), PERIODS)
def test_a_period_as_written_becomes_dates(text, start, end, target, start_undated, end_undated):
    assert parse_period(text, WRITTEN) == Period(_day(start), _day(end), target)
    undated = parse_period(text)  # a .txt article has no date: an implied year or "now" stays unknown
    assert (undated.start, undated.end) == (_day(start_undated), _day(end_undated))
    assert not undated.target or end_undated  # a target only when the year says so


# sentences from real articles (their figure marked by its text) -> the kind of figure
KINDS = [
    ("khu vực kinh tế có vốn đầu tư nước ngoài ước đạt 9,7 tỷ USD (chiếm 96,8% tổng kim ngạch nhập khẩu)",
     "96,8%", "%", "Share"),
    ("Trong đó, khu vực kinh tế trong nước ước đạt 308,1 triệu USD, tăng 14,8%;", "14,8%", "%", "Change"),
    ("khu vực kinh tế trong nước ước đạt 308,1 triệu USD, tăng 14,8%;", "308,1 triệu USD", "triệu USD", "Level"),
    ("tổng giá trị xuất khẩu hàng hóa đạt 17,6 tỷ USD, tăng 12,8% so với cùng kỳ và đạt 60,1% kế hoạch năm",
     "60,1%", "%", "PlanShare"),
    ("tổng giá trị xuất khẩu hàng hóa đạt 17,6 tỷ USD, tăng 12,8% so với cùng kỳ", "12,8%", "%", "Change"),
    ("tổng mức bán lẻ hàng hóa tăng 11,5%, bằng 101,7% so với cùng kỳ", "101,7%", "%", "Index"),
    ("giá trị sản xuất công nghiệp của tỉnh đã đạt 884 nghìn tỷ đồng, tăng 544 nghìn tỷ đồng so với năm 2015",
     "544 nghìn tỷ đồng", "nghìn tỷ đồng", "Change"),
    ("xuất khẩu địa phương giảm 0,2% so với cùng kỳ", "0,2%", "%", "Change"),
    ("Chỉ số giá tiêu dùng (CPI) tính chung 7 tháng đầu năm 2024 tăng 3,62%", "3,62%", "%", "Change"),
    ("Tỉnh phấn đấu kim ngạch xuất khẩu đạt 50 tỷ USD", "50 tỷ USD", "tỷ USD", "Target"),
    ("tỷ trọng công nghiệp chế biến, chế tạo chiếm tỷ trọng 42,5% GRDP", "42,5%", "%", "Share"),
    ("Kim ngạch xuất khẩu của tỉnh năm 2021 ước đạt 28,85 tỷ USD.", "28,85 tỷ USD", "tỷ USD", "Level"),
    ("thu ngân sách đạt 5.000 tỷ đồng, bằng 60% dự toán", "60%", "%", "PlanShare"),
    ("GRDP tăng thêm khoảng 8,2%", "8,2%", "%", "Change"),
]


@pytest.mark.parametrize(("sentence", "figure", "unit", "kind"), KINDS)
def test_the_words_around_a_figure_give_its_kind(sentence, figure, unit, kind):
    start = sentence.index(figure)
    assert kind_of(sentence, start, start + len(figure), unit, Period()) == kind


def test_a_figure_for_a_period_after_the_article_is_a_target():
    assert kind_of("Đến năm 2030, diện tích đạt 2.067 ha", 25, 33, "ha", parse_period("đến năm 2030", WRITTEN)) \
        == "Target"


# indicator text as kg reads it from real articles, and its unit code -> the concept
INDICATORS = [
    ("Kim ngạch hàng hóa xuất khẩu", "USD", "export"),
    ("tổng giá trị xuất khẩu hàng hóa (tăng)", "P1", "export"),
    ("tổng giá trị nhập khẩu hàng hóa trên địa bàn tỉnh", "USD", "import"),
    ("Tổng kim ngạch xuất nhập khẩu", "USD", "trade"),
    ("chỉ số sản xuất toàn ngành công nghiệp (IIP)", "P1", "industrial-production-index"),
    ("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", "VND", "retail-sales"),
    ("GRDP bình quân đầu người", "VND", "grdp-per-capita"),
    ("quy mô GRDP", "VND", "grdp"),
    ("thu ngân sách", "VND", "budget-revenue"),
    ("vốn đầu tư thực hiện", "VND", "investment"),
    ("tỷ lệ lấp đầy đất công nghiệp", "P1", "occupancy-rate"),
    ("dự án đăng ký đầu tư", "dự án", "projects"),
    ("cụm công nghiệp đã đi vào hoạt động", "cụm công nghiệp", "industrial-clusters"),
    ("Giá trị sản xuất công nghiệp (theo giá so sánh năm 2010)", "VND", "industrial-output"),
    ("Chỉ số giá tiêu dùng (CPI) tính chung 7 tháng đầu năm 2024 CPI", "P1", "cpi"),
    ("dân số", "người", "population"),
    # a count's noun with another unit is not that count; a sector's share is not the indicator
    ("cụm công nghiệp đã có chủ đầu tư hạ tầng", "VND", ""),
    ("xuất khẩu của khu vực kinh tế có vốn đầu tư nước ngoài", "USD", ""),
    ("khu vực kinh tế có vốn đầu tư nước ngoài (tăng)", "P1", ""),
    ("hợp tác xã hoạt động trong lĩnh vực công nghiệp", "hợp tác xã", ""),
]


@pytest.mark.parametrize(("text", "code", "concept"), INDICATORS)
def test_an_indicator_text_is_linked_to_its_concept_or_to_none(text, code, concept):
    assert indicator_of(text, code) == (IND + concept if concept else "")


MAGNITUDE_WORDS = st.sampled_from(["", *knowledge().units.magnitudes])
BASES = st.sampled_from([*knowledge().quantities.codes, "dự án", "lượt khách", "cụm công nghiệp"])


@given(value=st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
       magnitude=MAGNITUDE_WORDS, base=BASES)
def test_a_normalised_value_is_the_written_value_times_its_magnitude_in_the_unit_of_its_code(value, magnitude,
                                                                                              base):
    unit = f"{magnitude} {base}".strip()
    got, code = normalise(value, unit)
    factor = Decimal(knowledge().units.magnitudes[magnitude]) if magnitude else Decimal(1)
    assert got == value * factor
    assert code == knowledge().quantities.codes.get(base, base)
    assert normalise(value, unit.upper() if base.isascii() else unit)[1] == code  # "KWH", "usd": the same code


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    if not REAL.is_dir():
        pytest.skip("the evaluation kit (../shared/eval) is not beside the repo")
    out = tmp_path_factory.mktemp("quantity") / "graph.nq"
    result = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), str(REAL), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def rows(graph: Path, query: str) -> list[list[str]]:
    result = runner.invoke(app, ["query", str(graph), query, "-f", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))[1:]


def test_exports_by_province_and_year_in_usd_are_the_articles_figures(built):
    """The shipped query answers with what the articles say: "Kim ngạch xuất khẩu của tỉnh năm 2021 ước đạt
    28,85 tỷ USD" (Thái Nguyên, reported twice, counted once); "Tổng kim ngạch xuất khẩu đạt 720 triệu USD"
    in Lâm Đồng's 2019 review."""
    got = rows(built, str(ROOT / "examples" / "queries" / "exports-by-province-and-year.rq"))
    assert [(p, y, str(Decimal(v).normalize())) for p, y, v in got] == [
        ("Lâm Đồng", "2019", "7.2E+8"), ("Thái Nguyên", "2021", "2.885E+10")]
    evidence = rows(built, """SELECT DISTINCT ?text WHERE { ?o kg:indicator ind:export ; kg:normalizedValue ?v ;
                                kg:evidence/kg:text ?text FILTER (?v = 720000000 || ?v = 28850000000) }""")
    assert {"720 triệu USD" in t or "28,85 tỷ USD" in t for [t] in evidence} == {True}


def test_every_observation_has_a_code_a_normalised_value_and_a_period_or_says_it_is_unknown(built):
    missing = rows(built, """SELECT ?o WHERE { ?o a schema:Observation .
        FILTER NOT EXISTS { ?o schema:unitCode ?c ; kg:normalizedValue ?v ; kg:figureKind ?k ; kg:refPeriod ?r }
        FILTER NOT EXISTS { ?o kg:periodStart|kg:periodEnd ?d } FILTER NOT EXISTS { ?o kg:periodUnknown true } }""")
    assert missing == []
    counts = rows(built, """SELECT (COUNT(?o) AS ?all) (COUNT(?s) AS ?started) (COUNT(?u) AS ?unknown) WHERE {
        ?o a schema:Observation . OPTIONAL { ?o kg:periodStart ?s } OPTIONAL { ?o kg:periodUnknown ?u } }""")
    total, started, unknown = map(int, counts[0])
    assert total > 100 and started > 0 and unknown > 0


def test_the_graph_with_statistics_as_data_conforms_to_the_shapes_data_cube_included(built):
    result = runner.invoke(app, ["validate", str(built)])
    assert result.exit_code == 0, result.output


def test_an_observation_missing_a_dimension_of_its_data_cube_is_reported(built, tmp_path):
    lines = built.read_bytes().splitlines(keepends=True)
    dropped = next(i for i, line in enumerate(lines) if b"/id/observation/" in line.split(b" ", 1)[0]
                   and b"ontology#refPeriod>" in line)
    broken = tmp_path / "broken.nq"
    broken.write_bytes(b"".join(lines[:dropped] + lines[dropped + 1:]))
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1
    assert 'breaks rule "data cube structure": IC-11/IC-14' in result.output
    assert lines[dropped].split(b" ", 1)[0].decode().strip("<>") in result.output  # the observation is named
