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
from decimal import Decimal
from functools import cache
from itertools import pairwise
from typing import NamedTuple

from .gazetteer import Lexicon, alternation, lexicon
from .model import Mention, Observation, Sentence
from .resolve import entity_key, topic_province

NUMBER_BODY = (r"(?<![\w.,/-])(\d{1,3}(?:,\d{3}){2,}|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
               r"(?:/(\d{1,3}(?:\.\d{3})+|\d+))?(?!/|[.,]\d)")
MIXED = re.compile(r"\s+(tỷ|tỉ)\s+(\d{1,3})\s+triệu(?=\s)|\s+(triệu)\s+(\d{1,3})\s+(?:nghìn|ngàn)(?=\s)")
ABROAD = "\x00abroad"  # the subject of a figure about another country
MAGNITUDE = re.compile(r"(nghìn|ngàn|triệu|tỷ|tỉ)\s+")
PERIOD = re.compile(r"(?:\d+\s+tháng\s+(?:đầu\s+|cuối\s+)?năm(?:\s+\d{4})?|quý\s+[IV]+(?:/|\s+năm\s+)\d{4}"
                    r"|giai đoạn\s+\d{4}\s*-\s*\d{4}|(?:từ\s+)?đầu năm(?:\s+\d{4})?|năm\s+\d{4}|đến năm\s+\d{4}"
                    r"|(?:tính\s+)?đến nay|hiện nay)",
                    re.IGNORECASE)
# before a number that is a date, the number of a thing, or a rank ("đứng thứ 8"): no statistic
YEAR_BEFORE = re.compile(r"(?:năm|Năm|giai đoạn|thời kỳ|kỳ|khóa|nhiệm kỳ|từ|đến|tháng|ngày|số|Số|thứ|hạng"
                         r"|[Đđ]iều|[Kk]hoản|[Cc]hương|[Mm]ục|[Đđ]iểm)\s*$")  # "Điều 44 Nghị định …" is an article
DECREASE = re.compile(r"(?:giảm|thấp hơn|sụt)\s+(?:\S+\s+){0,2}$")
CLAUSE = re.compile(r"[,;:()]|\s-\s|\.\s")
LEADING = re.compile(r"^(?:trong đó|có|cụ thể|riêng|đồng thời|ngoài ra|bên cạnh đó|tính chung|tính đến nay|đến nay|"
                     r"hiện nay|hiện|toàn tỉnh|trên địa bàn tỉnh|tỉnh)\s*,?\s*", re.IGNORECASE)


class _Tables(NamedTuple):
    """The unit lexicon compiled once per lexicon."""

    measures: re.Pattern[str]
    counts: re.Pattern[str]
    aliases: dict[str, str]
    not_units: frozenset[str]
    trailing: re.Pattern[str]
    document_kind: re.Pattern[str]
    national: re.Pattern[str]
    provincial: re.Pattern[str]
    number: re.Pattern[str]
    rate: re.Pattern[str]  # "/năm", "/kg": a capacity or a unit price
    continues: re.Pattern[str]  # "…, chiếm 12,8%": a clause about the figure before it
    many: re.Pattern[str]  # "08 địa phương": several provinces
    country: re.Pattern[str]  # a clause that opens with a country: "Nhật Bản 380,2 triệu USD"


@cache
def _tables(lex: Lexicon) -> _Tables:
    units = lex.data["units"]
    aliases = units["aliases"]
    measure_words = sorted({*units["measures"], *[a for a, u in aliases.items() if u in units["measures"]]},
                           key=lambda w: (-len(w), w))
    measures = re.compile(rf"(?:{'|'.join(map(re.escape, measure_words))})(?![^\W_])", re.IGNORECASE)  # "Kwh"
    glued = "|".join(sorted(map(re.escape, units["glued"]), key=len, reverse=True))
    number = re.compile(NUMBER_BODY + rf"(?:(?!\w)|(?=(?:{glued})(?![^\W_])))", re.IGNORECASE)  # "58,8ha"
    counts = alternation([*units["counts"], *[a for a, u in aliases.items() if u not in units["measures"]]],
                         re.IGNORECASE)
    approx = "|".join(sorted(map(re.escape, units["approximators"]), key=len, reverse=True))
    trailing = re.compile(rf"(?:\s+(?:{approx}|tăng|giảm|bằng|chiếm|là|với|có|được|khoảng|của|đạt tỷ lệ|tỷ lệ))+\s*$")
    # a count of posts ("2 Giám đốc Sở", "6 Trưởng …") is about people, not the province's economy
    posts = [*lex.data["titles"]["titles"], "trưởng", "phó"]
    not_units = frozenset(w.lower() for w in [*units["not_units"], *units["verbs"], *posts])
    kinds = "|".join(re.escape(k["name"]) for k in lex.data["legal_kinds"]["kinds"])
    # "các tỉnh", "nhiều địa phương", "12 tỉnh" are other provinces, not a return to the article's own
    provincial = alternation(units["provincial"]).pattern
    plural = "".join(rf"(?<!{w} )" for w in lex.data["local_agencies"]["generic_markers"] if " " not in w)
    plural += r"(?<!mọi )(?<!\d )"
    return _Tables(measures, counts, aliases, not_units, trailing, re.compile(rf"(?<!\w)(?:{kinds})\s+$"),
                   re.compile("|".join(map(re.escape, units["not_provincial"])), re.IGNORECASE),
                   re.compile(plural + provincial, re.IGNORECASE), number,
                   re.compile(rf"\s*/\s*(?:{'|'.join(map(re.escape, units['rate_units']))})(?!\w)"),
                   re.compile(rf"\s*(?:{'|'.join(map(re.escape, units['continuing_verbs']))})\s"),
                   re.compile(rf"(?<![\w/])(?:\d{{1,2}}|các|những|nhiều)\s+"
                              rf"(?:{'|'.join(map(re.escape, units['many_provinces']))})", re.IGNORECASE),
                   re.compile(rf"\s*(?:(?:tiếp đến là|tiếp theo là|sau đó là|đứng thứ \w+ là)\s+)?"
                              rf"{alternation(units['countries']).pattern}"))


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
    token = next((t for t in s.tokens if t.start == pos + gap), None)
    if token is None:  # underthesea may join figure and noun ("1.126 vụ"): take the token's rest
        glued = next((t for t in s.tokens if t.start < pos + gap < t.end), None)
        if glued is not None:
            token = type(glued)(s.text[pos + gap:glued.end], pos + gap, glued.end)
    if token is None or not re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", token.text):
        return "", pos
    word = token.text.lower()
    if word in not_units or token.text.isupper():
        return "", pos
    if word in lex.data["local_agencies"]["name_stopwords"]:
        return "", pos
    return word, token.end


def _indicator(s: Sentence, start: int, end: int, unit: str, previous: str, lex: Lexicon,
               floor: int = 0) -> str:
    """What the figure measures.

    A count is described by its noun and what follows ("27 cụm công nghiệp đã
    có chủ đầu tư hạ tầng"); an amount by the noun phrase before it, trimmed
    of verbs and hedges ("kim ngạch xuất khẩu ước đạt"); "tăng 7,7%" after a
    figure takes that figure's indicator ("… (tăng)"); "Tổng số quyết định
    …: 06 quyết định" the words before the colon.
    """
    trailing = _tables(lex).trailing
    cut = [m for m in CLAUSE.finditer(s.text, floor, start)]
    if cut and cut[-1].group() == ")" and s.text.rfind("(", floor, cut[-1].start()) >= 0:
        # "Giá trị sản xuất (theo giá so sánh năm 2010) đạt …": the bracket belongs to the noun phrase
        opening = s.text.rfind("(", floor, cut[-1].start())
        cut = [m for m in cut if m.start() < opening]
    colon = cut[-1].start() if cut and cut[-1].group() == ":" else -1
    if unit not in lex.data["units"]["measures"]:
        after = CLAUSE.search(s.text, end)
        words = []
        for word in s.text[end:after.start() if after else len(s.text)].split()[:8]:
            if any(c.isdigit() for c in word) or word in {"với", "và", "trong đó", "gồm"}:
                break
            words.append(word)
        if words or colon < 0:
            return " ".join([unit, *words])
    phrase = s.text[max(cut[-1].end() if cut else 0, floor):start].strip()
    phrase = LEADING.sub("", phrase)
    verb = re.search(r"(tăng|giảm|bằng|chiếm|đạt)\s*(?:\S+\s*){0,2}$", phrase)
    phrase = trailing.sub("", " " + phrase).strip()
    # "so với cùng kỳ và đạt 60,1% kế hoạch": a comparison, not what is measured
    phrase = re.sub(r"^(?:so với\s+(?:cùng kỳ|kế hoạch)(?:\s+năm(?:\s+(?:trước|\d{4}))?)?|và|,)\s*", "", phrase)
    phrase = re.sub(r"\s*(?:\bvà|,)$", "", phrase).strip()
    if phrase and not re.fullmatch(r"(?:với|và|so với)(?:\s.*)?", phrase):
        return phrase
    if previous:
        return f"{previous} ({verb.group(1)})" if verb else previous
    if colon >= 0:
        before = [m.end() for m in CLAUSE.finditer(s.text, 0, colon)]
        return LEADING.sub("", s.text[before[-1] if before else 0:colon].strip())
    return ""


def _period(s: Sentence, start: int) -> str:
    """The time the figure refers to; a year it is compared with or priced at is not it
    ("tăng 7,7% so với năm 2020", "theo giá so sánh năm 2010")."""
    found = [m for m in PERIOD.finditer(s.text)
             if not re.search(r"(?:so với|giá so sánh|bình quân cùng kỳ|kể từ)\s*(?:cùng kỳ\s*)?$", s.text[:m.start()])]
    later = [m for m in found if m.end() > start]
    found = [m for m in found if m.end() <= start]
    if found:
        return found[-1].group()
    return later[0].group() if later else ""


def measure(sentences: list[Sentence], mentions: list[Mention], province: str,
            lex: Lexicon | None = None) -> list[Observation]:
    """Every statistic of one document."""
    lex = lex or lexicon()
    out: list[Observation] = []
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    tables = _tables(lex)
    periods: dict[int, str] = {}  # the last period named in each paragraph
    established = _established(sentences, mentions, province, tables, lex)
    for s in sentences:
        inside = [(m.start, m.end) for m in by_sentence.get(s.index, []) if m.type not in {"Province", "Role"}]
        places = [m for m in by_sentence.get(s.index, []) if m.type == "Province" and "neighbour" not in m.attrs]
        previous, floor, national, last_subject, skip_to = "", 0, -1, "", -1
        earlier = [m for m in by_sentence.get(s.index - 1, []) if m.type == "Province" and "nested" not in m.attrs]
        respective = _respective(s, places, tables, lex, earlier)
        for m in tables.number.finditer(s.text):
            if any(a <= m.start() < b for a, b in inside):
                continue
            if m.start() < skip_to:
                continue
            mixed = MIXED.match(s.text, m.end())  # "12 tỷ 300 triệu USD": one figure, 12,3 tỷ USD
            unit, end = _unit(s, mixed.end() if mixed else m.end(), lex)
            magnitude, part = ((mixed.group(1) or mixed.group(3), mixed.group(2) or mixed.group(4)) if mixed
                               else ("", ""))
            if mixed and unit:
                skip_to = end
                unit = f"{magnitude} {unit}"
            first, second = m.group(1), m.group(2) or ""
            if not unit or (second.isdigit() and first.isdigit() and int(first) <= 31 and int(second) <= 12
                            and unit not in lex.data["units"]["measures"]):
                continue  # "1/7 đánh dấu": a day and month
            if tables.rate.match(s.text, end):
                continue  # "công suất 8 triệu sản phẩm/năm": one plant's capacity, not the province's figure
            if YEAR_BEFORE.search(s.text[:m.start()]) or (re.fullmatch(r"(?:19|20)\d\d", first)
                                                           and unit not in lex.data["units"]["measures"]):
                continue
            if tables.document_kind.search(s.text[:m.start()]):
                continue  # "Nghị định 60 thay thế …": the number is the document's name
            clause_start, after = _clause(s.text, m.start(), end)
            if (tables.country.match(s.text, clause_start) and not any(clause_start <= p.start < m.start()
                                                                        for p in places)) or (
                    last_subject == ABROAD and tables.continues.match(s.text, clause_start)):
                last_subject = ABROAD  # "Nhật Bản 380,2 triệu USD, chiếm 15,5%": a country's, and its share
                continue
            if m.start() not in respective and (
                    _national(s, clause_start, m.start(), places, tables, inside)
                    or (national >= 0 and not _names_province(s, national, m.start(), places, tables))):
                national = end  # "của cả nước", "vùng đồng bằng sông Cửu Long": not one province's figure
                continue
            if tables.national.search(after) and m.start() not in respective:
                continue  # "12% GDP cả nước": a share of the national total
            topic = topic_province(mentions, sentences, s.index, m.start())
            here = any(p.name == topic and "topic" in p.attrs and p.start < m.start() for p in places)
            # the clause's province; else this sentence's topic ("Với Hải Phòng, …"); else the last province
            # named in the sentence ("tiếp đến là Bắc Giang …, chiếm 12,8%"); else the paragraph's topic
            subject = (respective.get(m.start()) or _subject(s, m.start(), places, clause_only=True)
                       or (last_subject if tables.continues.match(s.text, clause_start) else "")  # "…, chiếm 12,8%"
                       or (topic if here else "") or _subject(s, m.start(), places) or topic
                       or (province if (s.index, m.start()) > established else ""))
            if not subject:
                continue
            last_subject = subject
            indicator = _indicator(s, m.start(), end, unit, previous, lex, floor)
            previous, floor = indicator.split(" (")[0] or previous, end
            period = _period(s, m.start()) or periods.get(s.paragraph, "")  # "Đến năm 2022, …. Kim ngạch …"
            periods[s.paragraph] = period
            subjects = _shared(s, s.text.rfind(";", 0, m.start()) + 1, m.start(), places) or [subject]
            values = [parse_number(first)] + ([parse_number(m.group(2))] if m.group(2) else [])
            if mixed and unit.startswith(magnitude):  # "12 tỷ 300 triệu": the next magnitude is a thousandth
                values = [parse_number(first) + parse_number(part) / 1000]
            for value in values:
                if unit == "%" and DECREASE.search(s.text[max(0, m.start() - 30):m.start()]):
                    value = -value
                out += [Observation(entity_key("Province", who), value, unit, s.doc_id, s.index, m.start(), end,
                                    indicator, period, s.text[m.start():end], len(subjects) > 1) for who in subjects]
    return out


def _shared(s: Sentence, clause_start: int, start: int, places: list[Mention]) -> list[str]:
    """The provinces one figure is given to together: "Các tỉnh Bắc Ninh, Hải Dương và Đồng Nai cùng tăng 8,1%"."""
    listed = [p for p in places if clause_start <= p.start < start and "nested" not in p.attrs]
    if len(listed) < 2 or not re.match(r"\s*cùng\s", s.text[listed[-1].end:start]):
        return []
    if not all(re.fullmatch(r"\s*(?:,|và|,\s*và)\s*", s.text[a.end:b.start]) for a, b in pairwise(listed)):
        return []
    return [p.name for p in listed]


def _established(sentences: list[Sentence], mentions: list[Mention], province: str, tables: _Tables,
                 lex: Lexicon) -> tuple[int, int]:
    """From where on a figure with no province of its own is the article's province's.

    An article that names its province before its first figure (or in its title) is about it throughout;
    one that opens with figures and names a province only later ("Chỉ số IIP tháng 11 tăng 5,3% … Địa
    phương tăng cao nhất là Bắc Giang") opened with national figures, which are nobody's province's."""
    local = {"Department", "PeoplesCommittee", "PeoplesCouncil", "PartyCommittee", "SubDepartment", "StateCentre"}
    named = min(((m.sentence, m.start) for m in mentions if m.attrs.get("province") == province
                 or (m.cls in local and m.attrs.get("admin") in {"tỉnh", "thành phố"})
                 or (m.cls in local and "bare" in m.attrs)), default=None)  # "Sở Công thương", "UBND tỉnh"
    words = next(((s.index, w.start()) for s in sentences for w in tables.provincial.finditer(s.text)), None)
    named = min(x for x in (named, words) if x is not None) if named or words else None
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


def _respective(s: Sentence, places: list[Mention], tables: _Tables, lex: Lexicon,
                previous: list[Mention] = ()) -> dict[int, str]:
    """Figures given to provinces in turn: "lần lượt là Phú Thọ và Đồng Nai, với … 29,68 tỷ USD và 28,75 tỷ USD"
    (figure start -> province), when the provinces after "lần lượt" and the figures after them match one to one."""
    at = s.text.find("lần lượt")
    if at < 0:
        return {}
    own = [p for p in places if "nested" not in p.attrs]
    after = [p for p in own if p.start > at]
    # "lần lượt là A và B, với X và Y"; "A, B và C với kim ngạch lần lượt là X; Y; Z"; or the provinces the
    # sentence before listed ("… là A; thứ hai là B …. Kim ngạch lần lượt … là: X; Y; Z")
    named = after if len(after) >= 2 else own if len(own) >= 2 else previous
    if len(named) < 2:
        return {}
    begin = max(at, named[-1].end) if named is not previous else at
    figures = [m.start() for m in tables.number.finditer(s.text, begin)
               if _unit(s, m.end(), lex)[0] in lex.data["units"]["measures"]]
    return dict(zip(figures, (p.name for p in named), strict=True)) if len(figures) == len(named) else {}


def _clause(text: str, start: int, end: int) -> tuple[int, str]:
    """What scopes a figure: where its clause starts, and the figure with the three words after its unit
    ("12% GDP cả nước"; "thứ 3 cả nước", where the segmenter took "cả" for the unit)."""
    before = [m.end() for m in re.finditer(r"[;:]|,\s", text[:start])]
    after = re.split(r"[;:,.]", text[end:], maxsplit=1)[0].split()[:3]
    return before[-1] if before else 0, " ".join([text[start:end], *after])


def _national(s: Sentence, clause_start: int, start: int, places: list[Mention], tables: _Tables,
              inside: list[tuple[int, int]] = ()) -> bool:
    """Whether the clause before a figure makes it the whole country's or a region's.

    "kim ngạch xuất khẩu của cả nước đạt …" does; "Long An dẫn đầu vùng Đồng bằng
    sông Cửu Long với 1.250 dự án" does not: a province named before the country or
    region is what the clause is about, and the region only its yardstick.
    """
    # a marker may straddle the clause's comma: "63 tỉnh, thành phố với 420 khu công nghiệp"
    markers = [x for x in tables.national.finditer(s.text, 0, start)  # "Công ty Jabil Việt Nam" is a name
               if not any(a <= x.start() < b for a, b in inside)]
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
