"""Read the statistics an article reports: value, unit, indicator, period, subject.

Vietnamese numbers write "." for thousands and "," for decimals ("3.562,82").
The unit is a measure from the data file ("tỷ đồng", "ha", "%") or, for a
count, the noun after the figure as underthesea segments it ("140 chợ",
"07 chuyên ngành"). Dates, years, durations and numbers inside names are
not statistics. The subject is the province named before the figure in the
same clause, else the article's province; a figure its clause gives to the
whole country or a region belongs to no province, nor do the figures after it
in the sentence until a province is named again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from itertools import pairwise
from typing import NamedTuple

from .gazetteer import Lexicon, alternation, lexicon
from .gazetteer import one_of as _words
from .knowledge import PeriodsFile, knowledge
from .model import Mention, Observation, Sentence, Token
from .quantity import MONTH
from .resolve import Topics, entity_key

_UNITS = knowledge().units
_PERIODS = knowledge().periods
_AND = _words(knowledge().relations.conjunctions)  # "và"
# the lower-case words of a province's level: "tỉnh", "thành phố"
PROVINCE_WORDS = frozenset(w for w, level in knowledge().local_agencies.admin_levels.items()
                           if level in {"province", "city"} and w.islower())


def _period_pattern(p: PeriodsFile) -> re.Pattern[str]:
    """The period phrases of periods.json around their numbers, Roman numerals and years."""
    year, month, quarter = re.escape(p.year), re.escape(p.month), re.escape(p.quarter)
    forms = [rf"\d+\s+{month}\s+(?:(?:{_words(p.parts_of_year)})\s+)?{year}(?:\s+\d{{4}})?",  # "6 tháng đầu năm"
             rf"(?:(?:{_words(p.until_month)})\s+)?{MONTH.format(month=month, year=year)}",  # "hết tháng 7/2024"
             rf"{quarter}\s+[IV]+(?:/|\s+{year}\s+)\d{{4}}",  # "quý I/2024", "quý II năm 2024"
             rf"(?:{_words(p.before_span)})\s+\d{{4}}\s*-\s*\d{{4}}",
             rf"(?:(?:{_words(p.start_of_year_openers)})\s+)?(?:{_words(p.start_of_year)})(?:\s+\d{{4}})?",
             rf"(?:{_words(p.before_year)})\s+\d{{4}}",
             rf"(?:(?:{_words(p.until_now_openers)})\s+)?(?:{_words(p.until_now)})",
             _words(p.now)]
    return re.compile("(?:" + "|".join(forms) + ")", re.IGNORECASE)


NUMBER_BODY = (r"(?<![\w.,/-])(\d{1,3}(?:,\d{3}){2,}|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
               r"(?:/(\d{1,3}(?:\.\d{3})+|\d+))?(?!/|[.,]\d)")
MAGNITUDES: dict[str, int] = _UNITS.magnitudes
# "12 tỷ 300 triệu": a magnitude, a number and a magnitude (the next one down, see `_mixed`)
MIXED = re.compile(rf"\s+({_words(list(MAGNITUDES))})\s+(\d{{1,3}})\s+({_words(list(MAGNITUDES))})(?=\s)")
ABROAD = "\x00abroad"  # the subject of a figure about another country
MAGNITUDE = re.compile(rf"({_words(list(MAGNITUDES))})\s+")
PERIOD = _period_pattern(_PERIODS)
# before a period it is compared with or priced at ("so với năm 2020"), not the figure's own
NOT_PERIOD = re.compile(rf"(?:{_words(_PERIODS.not_after)})\s*(?:(?:{_words(_PERIODS.same_period)})\s*)?$")
# "so với cùng kỳ năm trước" opening the words before a figure: a comparison, not what is measured
COMPARISON = re.compile(rf"^(?:(?:{_words(_PERIODS.compared_with)})\s+(?:{_words(_PERIODS.baselines)})"
                        rf"(?:\s+{re.escape(_PERIODS.year)}(?:\s+(?:{_words(_PERIODS.previous)}|\d{{4}}))?)?"
                        rf"|{_AND}|,)\s*")
# before a number that is a date, the number of a thing, or a rank ("đứng thứ 8"): no statistic
YEAR_BEFORE = re.compile(rf"(?:{_words(_UNITS.not_figure_after)})\s*$")  # "Điều 44 Nghị định …" is an article
DECREASE = re.compile(rf"(?:{_words(_UNITS.decrease_words)})\s+(?:\S+\s+){{0,2}}$")
CLAUSE = re.compile(r"[,;:()]|\s-\s|\.\s")
LEADING = re.compile(rf"^(?:{_words(_UNITS.leading_words)})\s*,?\s*", re.IGNORECASE)
VERB = re.compile(rf"({_words(_UNITS.indicator_verbs)})\s*(?:\S+\s*){{0,2}}$")
DESCRIPTION_STOPS = frozenset(_UNITS.description_stops)
TRAILING_LINK = re.compile(rf"\s*(?:\b(?:{_AND})|,)$")  # "… đạt 60,1% kế hoạch và"
LINK_ONLY = re.compile(rf"(?:{_words(_UNITS.link_words)})(?:\s.*)?")  # "với 29,68 tỷ USD": no indicator of its own
TOGETHER = re.compile(rf"\s*(?:{_words(_UNITS.together_words)})\s")
LIST_SEP = re.compile(rf"\s*(?:,|{_AND}|,\s*(?:{_AND}))\s*")


class _Tables(NamedTuple):
    """The unit lexicon compiled once per lexicon."""

    measures: re.Pattern[str]  # a measure written after a figure: "tỷ đồng", "ha", "%"
    counts: re.Pattern[str]  # a counted noun of several words: "cụm công nghiệp"
    aliases: dict[str, str]
    not_units: frozenset[str]  # nouns after a number that are no quantity: time, rank, posts
    trailing: re.Pattern[str]  # hedges and verbs between an indicator and its figure
    document_kind: re.Pattern[str]  # "Nghị định 60": the number names a document
    national: re.Pattern[str]  # "cả nước": the whole country's or a region's
    provincial: re.Pattern[str]  # "toàn tỉnh": back to the article's province
    number: re.Pattern[str]  # a figure, "58,8ha" included
    rate: re.Pattern[str]  # "/năm", "/kg": a capacity or a unit price
    votes: re.Pattern[str]  # "% phiếu bầu", "% đại biểu": a share of a vote
    continues: re.Pattern[str]  # "…, chiếm 12,8%": a clause about the figure before it
    many: re.Pattern[str]  # "08 địa phương": several provinces
    country: re.Pattern[str]  # a clause that opens with a country: "Nhật Bản 380,2 triệu USD"


@cache
def _tables(lex: Lexicon) -> _Tables:
    units = lex.kb.units
    aliases = units.aliases
    measure_words = sorted({*units.measures, *[a for a, u in aliases.items() if u in units.measures]},
                           key=lambda w: (-len(w), w))
    glued = "|".join(sorted(map(re.escape, units.glued), key=len, reverse=True))
    approx = "|".join(sorted(map(re.escape, units.approximators), key=len, reverse=True))
    # a count of posts ("2 Giám đốc Sở", "6 Trưởng …") is about people, not the province's economy
    posts = [*lex.kb.titles.titles, *units.post_words]
    kinds = "|".join(re.escape(k.name) for k in lex.kb.legal_kinds.kinds)
    return _Tables(
        measures=re.compile(rf"(?:{'|'.join(map(re.escape, measure_words))})(?![^\W_])", re.IGNORECASE),  # "Kwh"
        counts=alternation([*units.counts, *[a for a, u in aliases.items() if u not in units.measures]],
                           re.IGNORECASE),
        aliases=aliases,
        not_units=frozenset(w.lower() for w in [*units.not_units, *units.verbs, *posts]),
        trailing=re.compile(rf"(?:\s+(?:{approx}|{_words(units.indicator_trailing)}))+\s*$"),
        document_kind=re.compile(rf"(?<!\w)(?:{kinds})\s+$"),
        national=re.compile(_words(units.not_provincial), re.IGNORECASE),
        provincial=_provincial(lex),
        number=re.compile(NUMBER_BODY + rf"(?:(?!\w)|(?=(?:{glued})(?![^\W_])))", re.IGNORECASE),  # "58,8ha"
        rate=re.compile(rf"\s*/\s*(?:{_words(units.rate_units)})(?!\w)"),
        votes=re.compile(rf"\s*(?:{_words(units.vote_words)})(?!\w)", re.IGNORECASE),
        continues=re.compile(rf"\s*(?:{_words(units.continuing_verbs)})\s"),
        many=re.compile(rf"(?<![\w/])(?:\d{{1,2}}|{_words(units.many_markers)})\s+"
                        rf"(?:{_words(units.many_provinces)})", re.IGNORECASE),
        country=re.compile(rf"\s*(?:(?:{_openers(units.ranking_openers)})\s+)?"
                           rf"{alternation(units.countries).pattern}"))


def _provincial(lex: Lexicon) -> re.Pattern[str]:
    """The words that bring a sentence back to the article's province ("trong đó, tỉnh …"), unless a plural
    makes them other provinces: "các tỉnh", "nhiều địa phương", "12 tỉnh"."""
    plural = [*(w for w in lex.kb.local_agencies.generic_markers if " " not in w),
              *lex.kb.units.plural_words]
    unless = "".join(rf"(?<!{w} )" for w in plural) + r"(?<!\d )"
    return re.compile(unless + alternation(lex.kb.units.provincial).pattern, re.IGNORECASE)


def _openers(phrases: list[str]) -> str:
    """Ranking openers as regex alternatives, "*" standing for any one word ("đứng thứ * là")."""
    return "|".join(re.escape(p).replace(r"\*", r"\w+") for p in phrases)


def parse_number(text: str) -> Decimal:
    """"143.000" -> 143000, "3.562,82" -> 3562.82, "1,3" -> 1.3, "09" -> 9; "42,460,418,319" (two or more
    comma groups, as some sites write in English style) -> 42460418319."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}", text):
        return Decimal(text.replace(",", ""))
    return Decimal(text.replace(".", "").replace(",", "."))


def _unit(s: Sentence, pos: int, lex: Lexicon) -> tuple[str, int]:
    """The unit written after a number at `pos`: (unit, end) or ("", pos)."""
    measures, counts, aliases, not_units, *_ = _tables(lex)
    gap = re.match(r"\s?", s.text[pos:]).end()
    m = measures.match(s.text, pos + gap)
    if m:
        return aliases.get(m.group(), m.group()), m.end()
    if not gap:
        return "", pos
    magnitude = MAGNITUDE.match(s.text, pos + gap)
    if magnitude:  # "1,2 triệu lượt người", "5 triệu viên": the magnitude and the counted noun
        unit, end = _unit(s, magnitude.end() - 1, lex)
        return (f"{magnitude.group(1)} {unit}", end) if unit else ("", pos)
    m = counts.match(s.text, pos + gap)
    if m:
        word = m.group()
        return aliases.get(word, aliases.get(word.upper(), word.lower())), m.end()
    token = _token_at(s, pos + gap)
    if token is None or not re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", token.text):
        return "", pos
    word = token.text.lower()
    if word in not_units or token.text.isupper():
        return "", pos
    if word in lex.kb.local_agencies.name_stopwords:
        return "", pos
    return word, token.end


def _token_at(s: Sentence, pos: int) -> Token | None:
    """The token that starts at `pos`; underthesea may join figure and noun ("1.126 vụ"): then the token's rest."""
    token = next((t for t in s.tokens if t.start == pos), None)
    if token is None:
        glued = next((t for t in s.tokens if t.start < pos < t.end), None)
        if glued is not None:
            token = type(glued)(s.text[pos:glued.end], pos, glued.end)
    return token


def _indicator(s: Sentence, start: int, end: int, unit: str, previous: str, lex: Lexicon,
               floor: int = 0) -> str:
    """What the figure measures.

    A count is described by its noun and what follows ("27 cụm công nghiệp đã
    có chủ đầu tư hạ tầng"); an amount by the noun phrase before it, trimmed
    of verbs and hedges ("kim ngạch xuất khẩu ước đạt"); "tăng 7,7%" after a
    figure takes that figure's indicator ("… (tăng)"); "Tổng số quyết định
    …: 06 quyết định" the words before the colon.
    """
    cut = _cuts(s, start, floor)
    colon = cut[-1].start() if cut and cut[-1].group() == ":" else -1
    if unit not in lex.kb.units.measures:
        words = _description(s, end)
        if words or colon < 0:
            return " ".join([unit, *words])
    phrase = s.text[max(cut[-1].end() if cut else 0, floor):start].strip()
    phrase = LEADING.sub("", phrase)
    verb = VERB.search(phrase)
    phrase = _tables(lex).trailing.sub("", " " + phrase).strip()
    phrase = COMPARISON.sub("", phrase)  # "so với cùng kỳ và đạt 60,1% kế hoạch"
    phrase = TRAILING_LINK.sub("", phrase).strip()
    if phrase and not LINK_ONLY.fullmatch(phrase):
        return phrase
    if previous:
        return f"{previous} ({verb.group(1)})" if verb else previous
    if colon >= 0:
        before = [m.end() for m in CLAUSE.finditer(s.text, 0, colon)]
        return LEADING.sub("", s.text[before[-1] if before else 0:colon].strip())
    return ""


def _cuts(s: Sentence, start: int, floor: int) -> list[re.Match[str]]:
    """The clause breaks before a figure; a bracket closed just before it belongs to the noun phrase
    ("Giá trị sản xuất (theo giá so sánh năm 2010) đạt …"): the breaks inside it do not count."""
    cut = list(CLAUSE.finditer(s.text, floor, start))
    if cut and cut[-1].group() == ")" and s.text.rfind("(", floor, cut[-1].start()) >= 0:
        opening = s.text.rfind("(", floor, cut[-1].start())
        cut = [m for m in cut if m.start() < opening]
    return cut


def _description(s: Sentence, end: int) -> list[str]:
    """The words after a count's noun up to its clause's end, a number or a stop word (at most eight)."""
    after = CLAUSE.search(s.text, end)
    words = []
    for word in s.text[end:after.start() if after else len(s.text)].split()[:8]:
        if any(c.isdigit() for c in word) or word in DESCRIPTION_STOPS:
            break
        words.append(word)
    return words


def _period(s: Sentence, start: int) -> str:
    """The time the figure refers to; a year it is compared with or priced at is not it
    ("tăng 7,7% so với năm 2020", "theo giá so sánh năm 2010")."""
    found = _periods(s.text)
    later = [text for end, text in found if end > start]
    found = [text for end, text in found if end <= start]
    if found:
        return found[-1]
    return later[0] if later else ""


@lru_cache(maxsize=64)
def _periods(text: str) -> list[tuple[int, str]]:
    """(end, words) of each period a sentence names: found once per sentence, not once per figure in it."""
    # NOT_PERIOD ends where the period starts: searched in the 200 characters before it (its longest match, on
    # text whose spaces are single, is far shorter), not in the whole of the sentence before it
    return [(m.end(), m.group()) for m in PERIOD.finditer(text)
            if not NOT_PERIOD.search(text, max(0, m.start() - 200), m.start())]


@dataclass
class _Doc:
    """One document while its figures are read."""

    sentences: list[Sentence]
    mentions: list[Mention]
    province: str
    lex: Lexicon
    tables: _Tables
    by_sentence: dict[int, list[Mention]]
    established: tuple[int, int]  # from where a figure with no province of its own is the article's province's
    topics: Topics  # the paragraphs' topic provinces, indexed once
    periods: dict[int, str] = field(default_factory=dict)  # the last period named in each paragraph


class _Line(NamedTuple):
    """One sentence with what its mentions say about its figures."""

    s: Sentence
    inside: list[tuple[int, int]]  # names: a number inside one is not a figure
    places: list[Mention]  # the provinces it names
    respective: dict[int, str]  # figure start -> province, for "lần lượt"


@dataclass
class _Scan:
    """What a sentence's figures leave for the figures after them."""

    previous: str = ""  # the last figure's indicator: "tăng 7,7%" takes it
    floor: int = 0  # where the last figure ended: the next indicator is read after it
    national: int = -1  # where a national figure ended: national until a province is named
    last_subject: str = ""  # the last figure's province (ABROAD for a country's): "…, chiếm 12,8%" is its
    skip_to: int = -1  # the end of a two-part figure ("12 tỷ 300 triệu"): its second number is no figure


class _Reading(NamedTuple):
    unit: str
    end: int
    values: list[Decimal]


def measure(sentences: list[Sentence], mentions: list[Mention], province: str,
            lex: Lexicon | None = None) -> list[Observation]:
    """Every statistic of one document."""
    lex = lex or lexicon()
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    tables = _tables(lex)
    doc = _Doc(sentences, mentions, province, lex, tables, by_sentence,
               _established(sentences, mentions, province, tables, lex), Topics(mentions, sentences))
    return [o for s in sentences for o in _sentence_figures(doc, s)]


def _sentence_figures(doc: _Doc, s: Sentence) -> list[Observation]:
    """The statistics of one sentence, figure by figure."""
    named = doc.by_sentence.get(s.index, [])
    inside = [(m.start, m.end) for m in named if m.type not in {"Province", "Role"}]
    places = [m for m in named if m.type == "Province" and not m.neighbour]
    earlier = [m for m in doc.by_sentence.get(s.index - 1, []) if m.type == "Province" and not m.nested]
    line = _Line(s, inside, places, _respective(s, places, doc.tables, doc.lex, earlier))
    scan = _Scan()
    out: list[Observation] = []
    for m in doc.tables.number.finditer(s.text):
        if not any(a <= m.start() < b for a, b in inside) and m.start() >= scan.skip_to:
            out += _figure(doc, line, m, scan)
    return out


def _figure(doc: _Doc, line: _Line, m: re.Match[str], scan: _Scan) -> list[Observation]:
    """The observations of one number: none when it is no province's statistic."""
    reading = _reading(line.s, m, doc.lex, scan)
    if reading is None or _not_statistic(doc, line.s, m, reading):
        return []
    clause_start, after = _clause(line.s.text, m.start(), reading.end)
    if _elsewhere(doc, line, m, reading.end, clause_start, after, scan):
        return []
    subject = _figure_subject(doc, line, m, clause_start, scan)
    if not subject:
        return []
    scan.last_subject = subject
    return _observations(doc, line, m, reading, subject, scan)


def _reading(s: Sentence, m: re.Match[str], lex: Lexicon, scan: _Scan) -> _Reading | None:
    """The figure's unit and values (None without a unit); "12 tỷ 300 triệu USD" is one figure, 12,3 tỷ USD."""
    mixed = _mixed(s.text, m.end())
    unit, end = _unit(s, mixed.end() if mixed else m.end(), lex)
    if not unit:
        return None
    values = [parse_number(m.group(1))] + ([parse_number(m.group(2))] if m.group(2) else [])
    if mixed:
        scan.skip_to = end
        big, part, small = mixed.groups()
        unit = f"{big} {unit}"
        values = [parse_number(m.group(1)) + parse_number(part) / (MAGNITUDES[big] // MAGNITUDES[small])]
    return _Reading(unit, end, values)


def _mixed(text: str, pos: int) -> re.Match[str] | None:
    """A magnitude, a number and the next magnitude down after a figure ("12 tỷ 300 triệu"), else None."""
    m = MIXED.match(text, pos)
    return m if m and MAGNITUDES[m.group(1)] == 1000 * MAGNITUDES[m.group(3)] else None


def _not_statistic(doc: _Doc, s: Sentence, m: re.Match[str], r: _Reading) -> bool:
    """Whether the number is a day and month, a capacity or a unit price, a share of a vote, a date, a year or a
    document's number."""
    measures = doc.lex.kb.units.measures
    first, second = m.group(1), m.group(2) or ""
    if (second.isdigit() and first.isdigit() and int(first) <= 31 and int(second) <= 12
            and r.unit not in measures):
        return True  # "1/7 đánh dấu": a day and month
    if doc.tables.rate.match(s.text, r.end):
        return True  # "công suất 8 triệu sản phẩm/năm": one plant's capacity, not the province's figure
    if r.unit == "%" and doc.tables.votes.match(s.text, r.end):
        return True  # "trúng cử với tỷ lệ 100% phiếu bầu": an election's result
    if YEAR_BEFORE.search(s.text[:m.start()]) or (re.fullmatch(r"(?:19|20)\d\d", first) and r.unit not in measures):
        return True
    return bool(doc.tables.document_kind.search(s.text[:m.start()]))  # "Nghị định 60 thay thế …": a name


def _elsewhere(doc: _Doc, line: _Line, m: re.Match[str], end: int, clause_start: int, after: str,
               scan: _Scan) -> bool:
    """Whether the figure is another country's, the whole country's or a region's: no province's.
    `scan` keeps that for the figures after it."""
    s, t = line.s, doc.tables
    own = any(clause_start <= p.start < m.start() for p in line.places)
    if (t.country.match(s.text, clause_start) and not own) or (
            scan.last_subject == ABROAD and t.continues.match(s.text, clause_start)):
        scan.last_subject = ABROAD  # "Nhật Bản 380,2 triệu USD, chiếm 15,5%": a country's, and its share
        return True
    if m.start() in line.respective:
        return False
    if _national(s, clause_start, m.start(), line.places, t, line.inside) or (
            scan.national >= 0 and not _names_province(s, scan.national, m.start(), line.places, t)):
        if s.text.count("(", 0, m.start()) <= s.text.count(")", 0, m.start()):  # not inside an aside
            scan.national = end  # "của cả nước", "vùng đồng bằng sông Cửu Long": not one province's figure
        return True
    return bool(t.national.search(after))  # "12% GDP cả nước": a share of the national total


def _figure_subject(doc: _Doc, line: _Line, m: re.Match[str], clause_start: int, scan: _Scan) -> str:
    """The province a figure is about: the clause's; else this sentence's topic ("Với Hải Phòng, …"); else
    the last province named in the sentence ("tiếp đến là Bắc Giang …, chiếm 12,8%"); else the paragraph's
    topic; else the article's, from where it is established."""
    s, start = line.s, m.start()
    topic = doc.topics.at(s.index, start)
    here = any(p.name == topic and p.topic and p.start < start for p in line.places)
    return (line.respective.get(start) or _subject(s, start, line.places, clause_only=True)
            or (scan.last_subject if doc.tables.continues.match(s.text, clause_start) else "")  # "…, chiếm 12,8%"
            or (topic if here else "") or _subject(s, start, line.places) or topic
            or (doc.province if (s.index, start) > doc.established else ""))


def _observations(doc: _Doc, line: _Line, m: re.Match[str], r: _Reading, subject: str,
                  scan: _Scan) -> list[Observation]:
    """One observation per value and per province the figure is given to."""
    s, start = line.s, m.start()
    indicator = _indicator(s, start, r.end, r.unit, scan.previous, doc.lex, scan.floor)
    scan.previous, scan.floor = indicator.split(" (")[0] or scan.previous, r.end
    period = _period(s, start) or doc.periods.get(s.paragraph, "")  # "Đến năm 2022, …. Kim ngạch …"
    doc.periods[s.paragraph] = period
    subjects = _shared(s, s.text.rfind(";", 0, start) + 1, start, line.places) or [subject]
    fall = r.unit == "%" and DECREASE.search(s.text[max(0, start - 30):start])
    return [Observation(entity_key("Province", who), -value if fall else value, r.unit, s.doc_id, s.index, start,
                        r.end, indicator, period, s.text[start:r.end], len(subjects) > 1)
            for value in r.values for who in subjects]


def _shared(s: Sentence, clause_start: int, start: int, places: list[Mention]) -> list[str]:
    """The provinces one figure is given to together: "Các tỉnh Bắc Ninh, Hải Dương và Đồng Nai cùng tăng 8,1%"."""
    listed = [p for p in places if clause_start <= p.start < start and not p.nested]
    if len(listed) < 2 or not TOGETHER.match(s.text[listed[-1].end:start]):
        return []
    if not all(LIST_SEP.fullmatch(s.text[a.end:b.start]) for a, b in pairwise(listed)):
        return []
    return [p.name for p in listed]


def _established(sentences: list[Sentence], mentions: list[Mention], province: str, tables: _Tables,
                 lex: Lexicon) -> tuple[int, int]:
    """From where on a figure with no province of its own is the article's province's.

    An article that names its province before its first figure (or in its title) is about it throughout;
    one that opens with figures and names a province only later ("Chỉ số IIP tháng 11 tăng 5,3% … Địa
    phương tăng cao nhất là Bắc Giang") opened with national figures, which are nobody's province's."""
    named = _first_named(sentences, mentions, province, tables, lex)
    title_places = [m for m in mentions if m.sentence == 0 and m.type == "Province"]
    if named is None or (sentences and tables.many.search(sentences[0].text) and not title_places):
        return (10 ** 9, 0) if named is not None else (-1, -1)  # "Điểm tên 08 địa phương …": many provinces
    if named[0] == 0 and sentences and tables.national.search(sentences[0].text):
        # "Chỉ số công nghiệp của Hải Phòng dẫn đầu cả nước": a national ranking, the province one of many
        named = min(((m.sentence, m.start) for m in mentions if m.sentence > 0 and m.attrs.get("province") == province),
                    default=None)
        if named is None:
            return (-1, -1)
    if named[0] == 0:
        return (-1, -1)
    for s in sentences[1:]:
        for m in tables.number.finditer(s.text):
            if _unit(s, m.end(), lex)[0] and not YEAR_BEFORE.search(s.text[:m.start()]):
                return (-1, -1) if (s.index, m.start()) > named else named
    return (-1, -1)


def _first_named(sentences: list[Sentence], mentions: list[Mention], province: str, tables: _Tables,
                 lex: Lexicon) -> tuple[int, int] | None:
    """Where the article first names its province, one of its bodies ("Sở Công thương", "UBND tỉnh") or a
    word for it ("toàn tỉnh"): (sentence, start), None if nowhere."""
    local = frozenset(lex.kb.units.local_classes)
    named = min(((m.sentence, m.start) for m in mentions if m.attrs.get("province") == province
                 or (m.cls in local and m.attrs.get("admin") in PROVINCE_WORDS)
                 or (m.cls in local and "bare" in m.attrs)), default=None)
    words = next(((s.index, w.start()) for s in sentences for w in tables.provincial.finditer(s.text)), None)
    # "huyện Ba Tri luôn quan tâm …": an article about one of the province's districts
    district = next(((s.index, d.start()) for s in sentences for d in _district(lex).finditer(s.text)), None)
    found = [x for x in (named, words, district) if x is not None]
    return min(found) if found else None


@cache
def _district(lex: Lexicon) -> re.Pattern[str]:
    """A district named with its level word: "huyện Ba Tri", "thị xã Sơn Tây", "quận Hải Châu"."""
    levels = [w for w, level in lex.kb.local_agencies.admin_levels.items() if level == "district"]
    return re.compile(rf"(?<!\w)(?:{_words(levels)})\s+[A-ZĐ]")


def _respective(s: Sentence, places: list[Mention], tables: _Tables, lex: Lexicon,
                previous: list[Mention] = ()) -> dict[int, str]:
    """Figures given to provinces in turn: "lần lượt là Phú Thọ và Đồng Nai, với … 29,68 tỷ USD và 28,75 tỷ USD"
    (figure start -> province), when the provinces after "lần lượt" and the figures after them match one to one."""
    at = min((i for w in _UNITS.respective_words if (i := s.text.find(w)) >= 0), default=-1)
    if at < 0:
        return {}
    own = [p for p in places if not p.nested]
    after = [p for p in own if p.start > at]
    # "lần lượt là A và B, với X và Y"; "A, B và C với kim ngạch lần lượt là X; Y; Z"; or the provinces the
    # sentence before listed ("… là A; thứ hai là B …. Kim ngạch lần lượt … là: X; Y; Z")
    named = after if len(after) >= 2 else own if len(own) >= 2 else previous
    if len(named) < 2:
        return {}
    begin = max(at, named[-1].end) if named is not previous else at
    figures = [m.start() for m in tables.number.finditer(s.text, begin)
               if _unit(s, m.end(), lex)[0] in lex.kb.units.measures]
    return dict(zip(figures, (p.name for p in named), strict=True)) if len(figures) == len(named) else {}


def _clause(text: str, start: int, end: int) -> tuple[int, str]:
    """What scopes a figure: where its clause starts, and the figure with the three words after its unit
    ("12% GDP cả nước"; "thứ 3 cả nước", where the segmenter took "cả" for the unit)."""
    before = [m.end() for m in re.finditer(r"[;:]|,\s", text[:start])]
    after = re.split(r"[;:,.(]", text[end:], maxsplit=1)[0].split()[:3]  # "24,2% (cả nước tăng 9,1%)": its own
    return before[-1] if before else 0, " ".join([text[start:end], *after])


def _national(s: Sentence, clause_start: int, start: int, places: list[Mention], tables: _Tables,
              inside: list[tuple[int, int]] = ()) -> bool:
    """Whether the clause before a figure makes it the whole country's or a region's.

    "kim ngạch xuất khẩu của cả nước đạt …" does; "Long An dẫn đầu vùng Đồng bằng
    sông Cửu Long với 1.250 dự án" does not: a province named before the country or
    region is what the clause is about, and the region only its yardstick.
    """
    # a marker may straddle the clause's comma: "63 tỉnh, thành phố với 420 khu công nghiệp"
    # a bracket closed before the figure is an aside ("tăng 24,2% (cả nước tăng 9,1%); Kim ngạch …")
    asides = [(b.start(), b.end()) for b in re.finditer(r"\([^()]*\)", s.text[:start])]
    markers = [x for x in tables.national.finditer(s.text, 0, start)  # "Công ty Jabil Việt Nam" is a name
               if not any(a <= x.start() < b for a, b in [*inside, *asides])]
    in_clause = next((x for x in markers if x.end() > clause_start), None)
    if in_clause:
        return not _names_province(s, clause_start, max(in_clause.start(), clause_start), places, tables)
    # "Trong số 31 quốc gia … tại Việt Nam …, Singapore … 416,7 triệu USD": national until a province is named;
    # "Với 167,56 tỷ USD, 08 địa phương … chiếm 66,33% tổng kim ngạch cả nước": a sentence about the country
    if not markers and tables.many.search(s.text) and not _names_province(s, 0, len(s.text), places, tables):
        return True
    return bool(markers) and not _names_province(s, 0, start, places, tables)


def _names_province(s: Sentence, begin: int, end: int, places: list[Mention], tables: _Tables) -> bool:
    """Whether a province, or the article's own ("trong đó, tỉnh …"), is named between two points of a sentence.

    It is what turns a sentence that began with a national figure back to one province;
    until then the figures go on about the same national quantity ("… của cả nước đạt
    405,5 tỷ USD, tăng 14,3%"; "hàng của Việt Nam bị khởi xướng 9 vụ việc, nâng tổng số lên 280 vụ").
    """
    national = [(x.start(), x.end()) for x in tables.national.finditer(s.text)]
    return any(begin <= p.start < end for p in places) or any(
        not any(a <= x.start() < b for a, b in national)  # "trên địa bàn cả nước" stays national
        for x in tables.provincial.finditer(s.text, begin, end))


def _subject(s: Sentence, start: int, places: list[Mention], clause_only: bool = False) -> str:
    """The province the figure is about, when the sentence names one before it.

    The last province in the same clause wins; else the last one named earlier
    in the sentence ("Theo Sở Công Thương TP.HCM, năm 2024 … tăng 6,5%"),
    not across a ";" (then the paragraph's topic decides, see `topic_province`).
    """
    cuts = [m.end() for m in re.finditer(r"[;:]|,\s", s.text[:start])]
    clause_start = cuts[-1] if cuts else 0
    sentence_start = s.text.rfind(";", 0, start) + 1
    in_clause = [p for p in places if clause_start <= p.start < start]
    in_sentence = [p for p in places if sentence_start <= p.start < start]
    chosen = in_clause if clause_only else in_clause or in_sentence
    return chosen[-1].name if chosen else ""
