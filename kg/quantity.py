"""Figures as data: a value in its base unit with a unit code, a period as dates, the kind of figure.

`measure` reads a figure as the article writes it ("17,6 tỷ USD", "7 tháng
đầu năm 2024"); this turns it into what a query can sum and group: 17600000000
USD from 2024-01-01 to 2024-07-31, a level (or a change, a share, a share of a
plan, an index, a target). The words are in `kg/data/quantities.json` and
`kg/data/periods.json`; the article's date settles a year the text implies.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from .gazetteer import one_of
from .knowledge import knowledge
from .model import Observation

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
KINDS = ("Level", "Change", "Share", "PlanShare", "Index", "Target")


@dataclass(frozen=True)
class Period:
    """The time a figure covers: both ends known (an interval), only the end (a total until a date), or none."""

    start: date | None = None
    end: date | None = None
    target: bool = False  # "đến năm 2030" after the article: what is planned, not what happened


# "tháng 12/2025", "tháng 7-2024", "tháng 8 năm 2024", "tháng 8": not a count ("6 tháng"), not a day ("15 tháng 8"),
# not a range ("tháng 1-7/2024"); format with the month and year words
MONTH = r"(?<!\d\s){month}\s+(\d{{1,2}})(?:\s*[/-]\s*(\d{{4}})|\s+{year}\s+(\d{{4}}))?(?![\d/-])"


def _words(phrases: tuple[str, ...] | list[str]) -> str:
    return one_of(phrases, longest_first=True)


@cache
def _magnitudes() -> dict[str, Decimal]:
    """Magnitude words alone and in pairs ("nghìn tỷ" = 10^12), lower case."""
    single = {w.lower(): Decimal(f) for w, f in knowledge().units.magnitudes.items()}
    return {**single, **{f"{a} {b}": fa * fb for a, fa in single.items() for b, fb in single.items() if fa < fb}}


@cache
def _codes() -> dict[str, str]:
    return {u.lower(): c for u, c in knowledge().quantities.codes.items()}


def normalise(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """The value in the base unit and the unit's code: (17.6, "tỷ USD") -> (17600000000, "USD");
    a counted noun is its own code: (2.4, "triệu lượt khách") -> (2400000, "lượt khách")."""
    words = unit.split()
    factor, rest = Decimal(1), words
    for n in (2, 1):
        head = " ".join(words[:n]).lower()
        if len(words) > n and head in _magnitudes():
            factor, rest = _magnitudes()[head], words[n:]
            break
    base = " ".join(rest)
    return value * factor, _codes().get(base.lower(), base)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@cache
def _period_forms() -> list[tuple[str, re.Pattern[str]]]:
    p, q = knowledge().periods, knowledge().quantities
    year, month, quarter = re.escape(p.year), re.escape(p.month), re.escape(p.quarter)
    forms = [
        ("months", rf"(\d{{1,2}})\s+{month}(?:\s+({_words(p.parts_of_year)}))?\s+{year}(?:\s+(\d{{4}}))?"),
        ("until_month", rf"(?:{_words(p.until_month)})\s+{MONTH.format(month=month, year=year)}"),
        ("month", MONTH.format(month=month, year=year)),
        ("quarter", rf"{quarter}\s+([IV]+)(?:/|\s+{year}\s+)(\d{{4}})"),
        ("span", rf"(?:{_words(p.before_span)})\s+(\d{{4}})\s*[-–]\s*(\d{{4}})"),
        ("year_to_date",
         rf"(?:(?:{_words(p.start_of_year_openers)})\s+)?(?:{_words(p.start_of_year)})(?:\s+(\d{{4}}))?"),
        ("until_year", rf"(?:{_words(q.until_year)})\s+(\d{{4}})"),
        ("year", rf"(?:{_words(p.before_year)})\s+(\d{{4}})"),
        ("now", rf"(?:(?:{_words(p.until_now_openers)})\s+)?(?:{_words(p.until_now)})|(?:{_words(p.now)})"),
    ]
    return [(name, re.compile(rf"^\s*(?:{form})\s*$", re.IGNORECASE)) for name, form in forms]


def parse_period(text: str, written: date | None = None) -> Period:
    """The dates a period phrase spans; `written`, the article's date, gives an implied year and "now".
    An unknown year or an unknown date leaves that end unknown: never a guess."""
    for name, pattern in _period_forms():
        m = pattern.match(text)
        if m:
            try:
                return _PARSERS[name](m, written)
            except ValueError:  # "năm 0000", "tháng 5/0000": a slip or a scan error names no date
                return Period()
    return Period()


def _year(given: str | None, written: date | None) -> int | None:
    return int(given) if given else (written.year if written else None)


def _months(m: re.Match[str], written: date | None) -> Period:
    count, part, year = int(m.group(1)), (m.group(2) or "").lower(), _year(m.group(3), written)
    if year is None or not 1 <= count <= 12:
        return Period()
    if part in {w.lower() for w in knowledge().periods.parts_of_year[1:]}:  # "6 tháng cuối năm"
        return Period(date(year, 13 - count, 1), date(year, 12, 31))
    return Period(date(year, 1, 1), _last_day(year, count))


def _month(m: re.Match[str], written: date | None) -> Period:
    """A month with its year, or the last such month on or before the article's date."""
    number, given = int(m.group(1)), m.group(2) or m.group(3)
    if not 1 <= number <= 12:
        return Period()
    if given:
        year = int(given)
    elif written:
        year = written.year if number <= written.month else written.year - 1
    else:
        return Period()
    first = date(year, number, 1)
    return Period(first, _last_day(year, number), target=written is not None and first > written)


def _until_month(m: re.Match[str], written: date | None) -> Period:
    month = _month(m, written)
    return Period(None, month.end, month.target)


def _quarter(m: re.Match[str], written: date | None) -> Period:
    number, year = ROMAN.get(m.group(1).upper()), int(m.group(2))
    if number is None:
        return Period()
    return Period(date(year, 3 * number - 2, 1), _last_day(year, 3 * number))


def _span(m: re.Match[str], written: date | None) -> Period:
    first, last = int(m.group(1)), int(m.group(2))
    return Period(date(first, 1, 1), date(last, 12, 31)) if first <= last else Period()


def _year_to_date(m: re.Match[str], written: date | None) -> Period:
    year = _year(m.group(1), written)
    if year is None:
        return Period()
    same_year = written is not None and written.year == year
    return Period(date(year, 1, 1), written if same_year else None)


def _until_year(m: re.Match[str], written: date | None) -> Period:
    year = int(m.group(1))
    if written is None:
        return Period(None, date(year, 12, 31))
    return Period(None, date(year, 12, 31), target=year > written.year)


def _whole_year(m: re.Match[str], written: date | None) -> Period:
    year = int(m.group(1))
    return Period(date(year, 1, 1), date(year, 12, 31), target=written is not None and year > written.year)


def _now(m: re.Match[str], written: date | None) -> Period:
    return Period(None, written)


_PARSERS = {"months": _months, "until_month": _until_month, "month": _month, "quarter": _quarter, "span": _span,
            "year_to_date": _year_to_date, "until_year": _until_year, "year": _whole_year, "now": _now}


@cache
def _kind_patterns() -> dict[str, re.Pattern[str]]:
    q = knowledge().quantities
    words = r"(?:[^\W\d_]+\s+){0,2}"  # at most two words between, no figure or comma: "tăng thêm khoảng"
    return {"Change": re.compile(rf"(?<!\w)(?:{_words(q.change_words)})\s+{words}$", re.IGNORECASE),
            "Share": re.compile(rf"(?<!\w)(?:{_words(q.share_words)})\s+{words}$", re.IGNORECASE),
            "Index": re.compile(rf"(?<!\w)(?:{_words(q.index_words)})\s+$", re.IGNORECASE),
            "PlanShare": re.compile(rf"^\s*(?:so với\s+)?(?:{_words(q.plan_words)})", re.IGNORECASE),
            "Target": re.compile(rf"(?<!\w)(?:{_words(q.target_words)})(?!\w)", re.IGNORECASE)}


CLAUSE = re.compile(r"[;:()]|\.\s")


def kind_of(text: str, start: int, end: int, unit: str, period: Period) -> str:
    """What kind of figure the words around it make: a change ("tăng 19%"), a share ("chiếm 12%"), a share of
    a plan ("đạt 26,5% kế hoạch"), an index ("bằng 105% so với cùng kỳ"), a target ("phấn đấu …", or a period
    after the article), else a level. `text` is the sentence, `start`/`end` the figure's span in it."""
    k = _kind_patterns()
    before = text[max(0, start - 40):start]
    clause = text[max((m.end() for m in CLAUSE.finditer(text, 0, start)), default=0):start]
    if k["Change"].search(before):
        return "Change"
    if unit == "%" and k["PlanShare"].match(text[end:end + 30]):
        return "PlanShare"
    if unit == "%" and k["Share"].search(before):
        return "Share"
    if unit == "%" and k["Index"].search(before):
        return "Index"
    if period.target or k["Target"].search(clause):
        return "Target"
    return "Level"


@dataclass(frozen=True)
class Figure:
    """An observation as data."""

    value: Decimal
    code: str
    period: Period
    kind: str


def figure(o: Observation, sentence: str, written: date | None) -> Figure:
    """The data of one observation, from its sentence and the article's date."""
    value, code = normalise(o.value, o.unit)
    period = parse_period(o.period, written) if o.period else Period()
    return Figure(value, code, period, kind_of(sentence, o.start, o.end, o.unit, period))


@dataclass(frozen=True)
class Indicator:
    """A concept of ontology/indicators.ttl: its IRI, its labels (lower case) and the unit codes of its figures."""

    iri: str
    labels: tuple[str, ...]
    codes: frozenset[str]
    name: str = ""  # the Vietnamese preferred label, as written


@cache
def indicators() -> tuple[Indicator, ...]:
    """The indicator concepts, read once from the package's copy of ontology/indicators.ttl."""
    from importlib import resources

    from rdflib import Graph, Namespace
    from rdflib.namespace import RDF, SKOS

    kg = Namespace("https://w3id.org/kg-vn/ontology#")
    g = Graph().parse(data=resources.files("kg.ontology").joinpath("indicators.ttl").read_text(encoding="utf-8"),
                      format="turtle")
    found = []
    for concept in sorted(g.subjects(RDF.type, SKOS.Concept)):
        labels = {str(o).lower() for p in (SKOS.prefLabel, SKOS.altLabel) for o in g.objects(concept, p)
                  if getattr(o, "language", None) == "vi"}
        codes = frozenset(map(str, g.objects(concept, kg.unitCode)))
        name = next((str(o) for o in g.objects(concept, SKOS.prefLabel) if getattr(o, "language", None) == "vi"), "")
        found.append(Indicator(str(concept), tuple(sorted(labels)), codes, name))
    return tuple(found)


@cache
def _sectors() -> re.Pattern[str]:
    return re.compile(_words(knowledge().quantities.sector_phrases), re.IGNORECASE)


def indicator_of(text: str, code: str) -> str:
    """The IRI of the indicator an observation's text names (its longest label found as whole words, among the
    concepts whose figures come in the observation's unit), or "" when none does. A sector's share of an
    indicator ("xuất khẩu của khu vực kinh tế có vốn đầu tư nước ngoài") is not the indicator: summed with the
    total it would be counted twice, so it is linked to none."""
    text = " ".join(text.lower().split())
    if _sectors().search(text):
        return ""
    best, length = "", 0
    for ind in indicators():
        if code not in ind.codes:
            continue
        for label in ind.labels:
            if len(label) > length and _whole_words(label).search(text):
                best, length = ind.iri, len(label)
    return best


@cache
def _whole_words(label: str) -> re.Pattern[str]:
    """A pattern finding `label` as whole words (compiled once per label: this runs for every figure)."""
    return re.compile(rf"(?<!\w){re.escape(label)}(?!\w)")
