"""Recognise mentions in sentences: rules over words and regular expressions.

Each recognizer is registered by name and proposes candidate mentions for one
sentence; `recognize` then keeps the best non-overlapping set (longest span
first). A province named inside an agency, zone or company name is kept as
a mention of its own. Scope that the text leaves implicit ("UBND tỉnh", a
bare "Sở") is recorded in `attrs` and filled in by `resolve`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from typing import TypeVar

from .gazetteer import PREFIX_ONLY, Lexicon, alternation, lexicon, spellings
from .gazetteer import one_of as _alt
from .knowledge import Head, ShortNamePost, UnitHead, entity_types, knowledge
from .model import Mention, Sentence, evolve
from .normalize import normalize_name
from .registry import Registry
from .tenure import day_of

H = TypeVar("H", Head, UnitHead)

Recognizer = Callable[[Sentence, "Patterns"], list[Mention]]
RECOGNIZERS: Registry[Recognizer] = Registry("recognizer")
recognizer = RECOGNIZERS.register  # each proposes candidates for one sentence; all run, in this order

# When two candidates cover the same span, the lower rank wins (kg/data/entity_types.json).
RANK = {**{t.name: t.rank for t in entity_types().values()}, "Role": knowledge().entity_types.role_rank}
# Mentions that may contain a province mention of their own.
CONTAINERS = {"Agency", "IndustrialZone", "Company"}

# "KH&CN", "N&G": an abbreviation joined by "&" is one word
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*(?:&[^\W_]+)*|[^\w\s]", re.UNICODE)
# Python's re has no \p{Lu}: the capital letters of the Latin blocks Vietnamese uses, as a class.
UPPER = "[" + "".join(c for c in map(chr, range(0x41, 0x1F00)) if c.isupper() and c.isalpha()) + "]"
CAP_WORD = rf"{UPPER}[^\W\d_]*"


def is_cap(word: str) -> bool:
    """A capitalised word: "Thái", "GO", "II" (not a number, not punctuation)."""
    return bool(word) and word[0].isupper()


@dataclass
class Patterns:
    """Regular expressions and word sets compiled once from the lexicon."""

    lex: Lexicon
    # provinces
    province: re.Pattern[str]
    admin: re.Pattern[str]
    admin_levels: dict[str, str]
    # bodies of the gazetteer, and their short names after a post
    agency: re.Pattern[str]
    ministry_short: re.Pattern[str]
    short_names: tuple[tuple[re.Pattern[str], dict[str, str]], ...]  # the post before, and the bodies after it
    short_name_posts: re.Pattern[str]  # any of the posts a short name follows, lower case
    # councils, provincial bodies, Party committees, departments
    council: re.Pattern[str]
    councils: dict[str, Head]
    provincial_body: re.Pattern[str]
    provincial_bodies: dict[str, Head]
    party: re.Pattern[str]
    party_alias: re.Pattern[str]
    committees: dict[str, str]
    department: re.Pattern[str]
    departments: dict[str, str]
    # units named by a head, heads alone, centres, boards
    unit_head: re.Pattern[str]
    unit_heads: dict[str, UnitHead]
    unit_heads_lower: dict[str, UnitHead]
    context_unit: re.Pattern[str]
    bare: re.Pattern[str]
    centres: re.Pattern[str]
    centre_names: frozenset[str]
    board_before: re.Pattern[str]
    # words that end a name or cannot open one
    stopwords: frozenset[str]
    compounds: frozenset[str]
    heads: frozenset[str]
    agency_heads: frozenset[str]
    # legal documents
    legal: re.Pattern[str]
    legal_number: re.Pattern[str]
    legal_titled: re.Pattern[str]
    kinds: dict[str, tuple[str, str]]
    kind_codes: dict[str, tuple[str, str]]
    legal_bare: re.Pattern[str]
    legal_alias: re.Pattern[str]
    legal_title_only: re.Pattern[str]
    titled: dict[str, str]
    title_body: re.Pattern[str]
    implements: re.Pattern[str]
    # zones
    zone_head: re.Pattern[str]
    zone_heads: dict[str, Head]
    zone_phase: re.Pattern[str]
    zone_extension: re.Pattern[str]
    zone_qualifier: re.Pattern[str]
    zone_list_lead: re.Pattern[str]
    # companies
    company_head: re.Pattern[str]
    company_heads: dict[str, Head]
    company_form: re.Pattern[str]
    foreign_company: re.Pattern[str]
    brand: re.Pattern[str]
    brands: dict[str, str]
    firms_like: re.Pattern[str]
    # posts and persons
    title: re.Pattern[str]
    title_before: re.Pattern[str]
    title_after: re.Pattern[str]
    title_names: dict[str, str]
    honorific: re.Pattern[str]
    surnames: frozenset[str]
    weak_surnames: frozenset[str]
    not_names: re.Pattern[str]
    # advertisements, and the user's own entries
    spam: re.Pattern[str]
    spam_anchors: re.Pattern[str]  # any of the plain words every spam pattern holds (a cheap test first)
    user: re.Pattern[str] | None


def _spaced(phrases: Iterable[str]) -> str:
    """Phrases as alternatives whose words may be apart by any white space ("tiếp  giáp")."""
    return "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in phrases)


def _longest_first(words: Iterable[str]) -> list[str]:
    """Alternatives that try the longer of two words with a common start first ("TP." before "TP")."""
    return sorted(words, key=len, reverse=True)


def _either_case(words: Iterable[str]) -> list[str]:
    """Each word, and the word with its first letter in the other case ("ông" and "Ông")."""
    return [v for w in words for v in dict.fromkeys((w, w[:1].swapcase() + w[1:]))]


def _by_word(entries: Sequence[H]) -> dict[str, H]:
    """Entries of a data list by each of their "words"."""
    return {w: e for e in entries for w in e.words}


# The knowledge the module-level patterns are built from; the rest reaches the recognizers through `Patterns`.
LOCAL = knowledge().local_agencies
GRAMMAR = knowledge().grammar

CITY_PREFIXES = tuple(LOCAL.city_prefixes)
ADMIN = f"(?:{_alt(_longest_first(LOCAL.admin_levels))})"
PROVINCE_ADMIN = frozenset({""} | {w for w, level in LOCAL.admin_levels.items()
                                   if level in {"province", "city"}})  # "thị xã X" is not X
BELOW_PROVINCE = frozenset(w for w, level in LOCAL.admin_levels.items() if level in {"district", "commune"})
# the lower-case words of a province's level ("tỉnh", "thành phố"), the first of each, and a city's in capitals ("TP.")
PROVINCE_WORDS = [w for w, level in LOCAL.admin_levels.items() if level in {"province", "city"} and w.islower()]
PROVINCE_WORD = next(w for w, level in LOCAL.admin_levels.items() if level == "province")  # "tỉnh"
CITY_WORD = next(w for w, level in LOCAL.admin_levels.items() if level == "city")  # "thành phố"
CITY_CAPITALS = [w for w, level in LOCAL.admin_levels.items() if level == "city" and w.isupper()]  # "TP.", "TP"
COMMITTEE_OF = {level: head for head, level in LOCAL.party_committees.items()}  # "tỉnh" -> "Tỉnh ủy"
CONJUNCTIONS = knowledge().relations.conjunctions  # "và"
AND = _alt(CONJUNCTIONS)
OF = _alt(GRAMMAR.owner_words)  # "của"
DEPARTMENT = next(w for w, cls in LOCAL.bare_heads.items() if cls == "Department")  # "Sở"
# "TP.HCM", "Tp. Huế": a city's abbreviations, which may be glued to its name
CITY_ABBREVIATIONS = [w for w, level in LOCAL.admin_levels.items()
                      if level == "city" and " " not in w and w[0].isupper()]
TITLES = knowledge().titles
ZONES = knowledge().zones


@cache
def patterns(lex: Lexicon | None = None) -> Patterns:
    """Compile every pattern from the lexicon (cached per lexicon)."""
    lex = lex or lexicon()
    return Patterns(lex=lex, **_province_fields(lex), **_known_agency_fields(lex), **_local_body_fields(lex),
                    **_unit_fields(lex), **_name_fields(lex), **_legal_fields(lex), **_zone_fields(lex),
                    **_company_fields(lex), **_person_fields(lex), **_spam_fields(lex))


def _province_fields(lex: Lexicon) -> dict:
    return dict(
        province=alternation([s for s in lex.province_surface if s[:1].isupper()]),
        admin=re.compile(rf"{ADMIN}\s*$"),
        admin_levels=lex.kb.local_agencies.admin_levels,
    )


def _known_agency_fields(lex: Lexicon) -> dict:
    """Bodies of the gazetteer, by name and by the short name that follows a post."""
    # "Bộ trưởng Công Thương": after a minister's title the ministry may drop its "Bộ" (titles.json)
    posts = lex.kb.titles.short_name_posts
    short = [_short_names(lex, post) for post in posts]
    return dict(
        # "Bộ Công thương", "Ủy ban Nhân dân": the press capitalises inner words at will
        agency=alternation([s for s in lex.agency_surface if s[:1].isupper()], re.IGNORECASE),
        ministry_short=alternation([n for names in short for n in names], re.IGNORECASE),
        short_names=tuple((_post_before(post), names) for post, names in zip(posts, short, strict=True)),
        short_name_posts=_any_of({w.lower() for post in posts for w in post.posts}),
    )


def _local_body_fields(lex: Lexicon) -> dict:
    """Councils, provincial bodies, Party committees and departments (local_agencies.json)."""
    local = lex.kb.local_agencies
    councils = _by_word(local.councils)
    bodies = _by_word(local.provincial_bodies)
    department_names = {v: d for d in local.departments for v in spellings(d)}
    department_names |= {v: d for a, d in local.department_abbreviations.items() for v in spellings(a)}
    return dict(
        council=re.compile(rf"(?<!\w)((?i:{_alt(_longest_first(councils))}))(?:\s+({ADMIN}))?(?!\w)"),
        councils={**councils, **{w.lower(): c for w, c in councils.items()}},  # "Ủy ban Nhân dân"
        provincial_body=re.compile(rf"(?<!\w)({_alt(bodies)})\s+"
                                   rf"(?:({ADMIN})(?:\s+(?=[A-ZĐ])|(?!\w)))?(?(2)|\s+(?=[A-ZĐ]))"),
        provincial_bodies=bodies,
        party=re.compile(rf"(?<!\w)((?i:{_alt(local.party_committees)}))"  # "tỉnh ủy Cao Bằng"
                         rf"(?:\s+({_alt(PROVINCE_WORDS)}))?(?!\w)"),
        party_alias=re.compile(rf"(?<!\w)(?:{_alt(local.party_committee_aliases)})(?:\s+({ADMIN}))?(?!\w)"),
        committees={k.lower(): k for k in local.party_committees},  # "tỉnh ủy" -> "Tỉnh ủy"
        department=re.compile(rf"(?<!\w){DEPARTMENT}\s+((?i:{_alt(_longest_first(department_names))}))(?!\w)"),
        departments={v.lower(): d for v, d in department_names.items()},
    )


def _unit_fields(lex: Lexicon) -> dict:
    """Units named by a head ("Cục", "Ban Quản lý"), heads alone, centres and boards (local_agencies.json)."""
    local = lex.kb.local_agencies
    unit_heads = _by_word(local.unit_heads)
    return dict(
        unit_head=alternation(unit_heads, re.IGNORECASE),  # "Ban quản lý", matched from a capital (see `units`)
        unit_heads=unit_heads,
        unit_heads_lower={w.lower(): h for w, h in unit_heads.items()},
        context_unit=alternation(local.ministry_context_units),
        bare=re.compile(rf"(?<!\w)({_alt(local.bare_heads)})"
                        rf"(?=\s*[,;:.)]|\s*$|\s+(?:{_alt(local.bare_followers)})\b)"),  # a bare "Sở" before a verb
        centres=re.compile(rf"(?<!\w)({_alt(local.centre_abbreviations)})(?!\w)"),
        centre_names=frozenset(n.lower() for n in local.centre_abbreviations.values()),
        board_before=re.compile(rf"(?<!\w)({_alt(local.board_heads)}|(?<=[Tt]rưởng )ban|(?<=[Pp]hó )ban"
                                rf"|(?<=[Cc]hánh )văn phòng)"  # "Phó ban Tổ chức …", "Chánh văn phòng Tỉnh ủy"
                                rf"((?:\s+{CAP_WORD})(?:\s+(?:[^\W\d]+|-)){{0,8}}?)?\s+$"),
    )


def _name_fields(lex: Lexicon) -> dict:
    """The words that end or cannot open a name: stop words, and the heads of other bodies."""
    d = lex.kb
    local = d.local_agencies
    named = [*_by_word(local.unit_heads), *_by_word(local.councils)]
    # "Công ty … Cục X" is a body's name misread; "Hợp tác xã Đoàn Kết" is not ("Đoàn đại biểu" is the head)
    agency_heads = {*named, *local.party_committees, *local.body_heads}
    heads = [*named, *_by_word(d.companies.heads), *local.party_committees, *local.body_heads]
    return dict(
        stopwords=frozenset(local.name_stopwords),
        compounds=frozenset(local.name_compounds),
        heads=frozenset(w.split()[0] for w in heads),
        agency_heads=frozenset(agency_heads),
    )


NUMBER = (r"\d+[A-Za-zĐđ]?(?:/\d{4})?(?:/|-)[A-ZĐa-zđ0-9]+(?:[-/][A-ZĐa-zđ0-9]+)*"  # "68/2017/NĐ-CP", "80-QĐ/ĐU"
          r"(?: [-–] [A-ZĐ]{2,}(?!\w))?")  # "1172/2014/QĐ – UBND", spaced as some pages write it


def _legal_fields(lex: Lexicon) -> dict:
    """Legal documents by kind and number, by title, or by kind alone (legal_kinds.json)."""
    d = lex.kb.legal_kinds
    recognized = [k for k in d.kinds if k.recognized]
    kinds = {k.name: (k.name, k.cls) for k in recognized}
    kinds.update({k.name.lower(): (k.name, k.cls) for k in recognized})
    kind_alt = "|".join(sorted((re.escape(k) for k in kinds), key=len, reverse=True))
    number = _alt(d.number_words)  # "số"
    return dict(
        legal=re.compile(rf"(?<![\w/])({kind_alt})(?:\s+(?:{number}))?\s+({NUMBER})(?![\w/])"),
        legal_number=re.compile(rf"(?<![\w/])({NUMBER})(?![\w/])"),
        legal_titled=re.compile(rf"(?<![\w/])({kind_alt})\s+({CAP_WORD}(?:\s+[^\W\d]+){{0,10}}?)\s+(?:{number})\s+"
                                rf"({NUMBER})(?![\w/])"),
        legal_bare=re.compile(rf"(?<!\w)({kind_alt})(?=\s*[,;.:)]|\s*$|\s+(?:{_alt(d.bare_followers)})\b)"),
        legal_alias=re.compile(rf"(?:{_alt(d.alias_triggers)})\s*$"),
        legal_title_only=re.compile(rf"(?<!\w)({_alt(d.titled_kinds)})\s+(?={UPPER})"),
        titled=d.titled_kinds,
        title_body=re.compile(rf" (?:và )?(?:{_alt(d.title_bodies)})(?!\w)"),
        kinds=kinds,
        kind_codes={c: (k.name, k.cls) for k in recognized for c in k.codes},
        # lower-case words from a board's head to the document it carries out ("Ban Chỉ đạo về tổng kết việc
        # thực hiện ")
        implements=re.compile(rf"(?:\s+[^\W\d_A-ZĐ][^\W\d_]*){{1,10}}?\s+(?=(?:{_alt(d.implemented_kinds)})\s)"),
    )


def _zone_fields(lex: Lexicon) -> dict:
    """Industrial parks and clusters (zones.json)."""
    d = lex.kb.zones
    zone_heads = _by_word(d.heads)
    return dict(
        # "Cụm Công nghiệp Tam An", "CCN-TTCN": any capitals, the longest head first
        zone_head=re.compile(rf"(?<!\w)((?i:{'|'.join(sorted(map(re.escape, zone_heads), key=len, reverse=True))}))"
                             r"(?!\w)"),
        zone_heads={**zone_heads, **{w.lower(): h for w, h in zone_heads.items()}},
        zone_phase=re.compile(rf"(?:{_alt(d.phases)})(?!\w)"),
        zone_extension=re.compile(rf" (?:{_alt(d.extensions)})(?!\w)"),
        zone_qualifier=re.compile(rf"(?:{_alt([*d.qualifiers, *(q[:1].upper() + q[1:] for q in d.qualifiers)])})"
                                  rf"\s+(?={UPPER})"),
        # after a plural head: "các khu công nghiệp mới như: A, B", "các KCN (A, B)", "5 cụm công nghiệp, gồm …"
        zone_list_lead=re.compile(rf"(?:\s+(?:{_alt(d.list_leads)}))*\s*"
                                  rf"(?:[(:]\s*|,\s*(?:{_alt(GRAMMAR.list_intros)})\s*:?\s*|\s+)"),
    )


def _company_fields(lex: Lexicon) -> dict:
    """Companies by head, legal form, brand or Latin-script suffix (companies.json)."""
    d = lex.kb.companies
    company_heads = _by_word(d.heads)
    return dict(
        company_head=alternation(company_heads),
        company_heads=company_heads,
        company_form=alternation(d.forms, re.IGNORECASE),  # "Công ty Trách nhiệm hữu hạn …"
        foreign_company=re.compile(r"(?<![\w.])(?:[A-Z][A-Za-z0-9&'-]*\s+){1,5}(?:\([A-Z][A-Za-z ]{1,30}\)\s+)?"
                                   rf"(?i:{_alt(d.foreign_suffixes)})(?![\w])"),
        brand=alternation([a for k in d.known for a in [k.core, *k.aliases] if a.isascii()]),
        brands={a: k.core for k in d.known for a in [k.core, *k.aliases]},
        firms_like=re.compile(rf"(?:{_alt(d.listing_nouns)})(?:[^.;:()]{{0,30}}?)"
                              rf"\s+(?:{_alt(d.listing_words)})\s*:?\s+"),
    )


def _person_fields(lex: Lexicon) -> dict:
    """Posts and the words around a person's name (titles.json, surnames.json)."""
    titles, surnames = lex.kb.titles, lex.kb.surnames
    title = alternation(titles.titles, re.IGNORECASE)  # "Phó tổng giám đốc", "phó Chủ tịch"
    return dict(
        title=title,
        title_before=re.compile(rf"(?:{title.pattern})[^,;.:()\n]{{0,60}}$", re.IGNORECASE),
        title_after=re.compile(rf"\s*[-–,(]\s*(?:{title.pattern})", re.IGNORECASE),
        title_names={t.lower(): t for t in reversed(titles.titles)},  # the first spelling listed wins
        honorific=re.compile(rf"(?:{_alt(titles.honorifics)})\s*$"),
        surnames=frozenset(surnames.common),
        weak_surnames=frozenset(surnames.ambiguous),
        not_names=alternation(surnames.not_names),
    )


def _spam_fields(lex: Lexicon) -> dict:
    """Betting advertisements (spam.json) and the user's own entries."""
    spam = lex.kb.spam.patterns
    return dict(
        spam=re.compile("|".join(f"(?:{x})" for x in spam), re.IGNORECASE),
        spam_anchors=_any_of({_anchor(x) for x in spam}),
        user=alternation(lex.extra) if lex.extra else None,
    )


def _short_names(lex: Lexicon, post: ShortNamePost) -> dict[str, str]:
    """Known bodies by their name without its head word, as they follow a title that ends with it: "Bộ
    trưởng Công Thương", "Phó ban Kinh tế Trung ương", "Chánh Văn phòng Trung ương Đảng" (lower case -> name).
    A ministry's own unit ("Văn phòng Bộ") is not named so."""
    head, own = post.head + " ", tuple(lex.kb.local_agencies.ministry_context_units)
    return {n.removeprefix(head).lower(): a.name for a in lex.agencies.values()
            if (not post.cls or a.cls == post.cls) and not a.name.startswith(own)
            for n in (a.name, *a.aliases) if n.startswith(head)}


def _post_before(post: ShortNamePost) -> re.Pattern[str]:
    """One of the posts, right before a short name ("Bộ trưởng ", "phó ban ")."""
    if post.any_case:
        return re.compile(rf"(?:{_alt(post.posts)})\s$", re.IGNORECASE)
    return re.compile(rf"(?:{_alt(_either_case(post.posts))})\s$")


def _any_of(words: set[str]) -> re.Pattern[str]:
    """A pattern finding any of `words` as a plain substring (one scan, not one per word); none: never found."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) or "(?!)")


def _anchor(pattern: str) -> str:
    """A plain substring every match of a spam pattern contains (cheap test before the regex)."""
    if not set(pattern) & set("\\[](){}*+?|^$."):
        return pattern.lower()
    return max(re.findall(r"[^\W\d_]+|\d+", pattern.replace("\\w", "").replace("\\d", "")), key=len).lower()


FLAGS = ("nested", "topic", "venue", "origin", "neighbour", "user", "byline", "needs_ministry")  # Mention's bool fields


def mention(s: Sentence, start: int, end: int, type_: str, cls: str, name: str, **attrs: str | bool) -> Mention:
    """A mention of the words s.text[start:end]; the flags among `attrs` go to their fields, empty values nowhere."""
    flags = {k: bool(attrs.pop(k)) for k in FLAGS if k in attrs}
    return Mention(s.doc_id, s.index, start, end, s.text[start:end], type_, cls, name,
                   {k: v for k, v in attrs.items() if v}, **flags)


def words_from(text: str, pos: int) -> list[re.Match[str]]:
    """Words and punctuation of `text` from `pos` on."""
    return list(WORD.finditer(text, pos))


def province_at(text: str, pos: int, p: Patterns) -> re.Match[str] | None:
    """A province name starting at `pos` (after white space)."""
    m = re.compile(r"\s*").match(text, pos)
    return p.province.match(text, m.end() if m else pos)


def scope_after(text: str, pos: int, p: Patterns) -> tuple[int, str, str]:
    """Read "[của] [tỉnh|thành phố] [Province]" after a name: (end, admin word, province)."""
    inner = INNER_ABBREVIATION.match(text, pos + 1) if text[pos:pos + 2] == " (" else None
    pos = inner.end() if inner else pos  # "… các khu công nghiệp (KCN) Quảng Ngãi"
    direct = re.compile(rf"\s*(?:(?:{OF})\s+)?").match(text, pos)
    found = province_at(text, direct.end(), p)
    if found and found.group().startswith(CITY_PREFIXES):  # "TP.HCM", "Thủ đô Hà Nội": the alias has its prefix
        return found.end(), "", p.lex.province_surface[found.group()]
    m = re.compile(rf"\s*(?:(?:{OF})\s+)?({ADMIN})(?!\w)").match(text, pos)
    if m:
        found = province_at(text, m.end(), p)
        if (found and found.group() not in PREFIX_ONLY | {""}) or (found and m.group(1) != PROVINCE_WORD):
            return found.end(), m.group(1), p.lex.province_surface[found.group()]
        return m.end(), m.group(1), ""
    found = province_at(text, pos, p)
    if found and found.group() not in PREFIX_ONLY:
        return found.end(), "", p.lex.province_surface[found.group()]
    return pos, "", ""


# Lower-case words after "và" that run to a scope: "… thương mại và đầu tư TP.HCM", "… và du lịch tỉnh X".
SCOPED_AND = re.compile(rf"(?:\s+[^\W\d_A-ZĐ][^\W\d_]*){{1,3}}\s+"
                        rf"(?:{ADMIN}\s+[A-ZĐ]|(?:{_alt(CITY_ABBREVIATIONS)})\s?[A-ZĐ])")
# A comma inside a name: lower-case items joined by "và", then the name's scope.
SCOPED_LIST = re.compile(rf",\s+(?:[^\W\d]+\s+){{1,6}}?(?:{AND})\s+(?:[^\W\d]+\s+){{1,4}}?{ADMIN}\s+[A-ZĐ]")
AND_AHEAD = re.compile(rf"\s(?:{AND})\s+[^\W\d]")


def place_name(text: str, pos: int, limit: int = 4, p: Patterns | None = None) -> int:
    """End of a place name after "thị xã", "huyện"…: capitalised syllables only ("Đức Phổ", "Thủ Dầu Một"),
    or a number ("quận 3"), so the verb after it ("UBND thị xã Đức Phổ làm chủ đầu tư") stays out."""
    end = pos
    toks = words_from(text, pos)
    for i, t in enumerate(toks):
        w = t.group()
        if i >= limit or (i and t.start() > end + 1) or not (is_cap(w) or (i == 0 and w.isdigit())):
            break
        if i and p is not None and name_ahead(toks, i, p):
            break  # "Huyện ủy Gio Linh Trần Văn Quảng": the place ends where a name begins
        end = t.end()
    return end


def name_ahead(toks: list[re.Match[str]], i: int, p: Patterns) -> bool:
    """A person's name starts at toks[i]: a common surname and one to three capitalised syllables that end
    the capitalised run ("… Môi trường Nguyễn Trường Khoa giữ chức")."""
    if toks[i].group() not in p.surnames:
        return False
    k = i + 1
    while k < len(toks) and k - i <= 4 and is_cap(toks[k].group()) and toks[k].start() == toks[k - 1].end() + 1:
        k += 1
    return 2 <= k - i <= 4 and (k == len(toks) or not is_cap(toks[k].group()) or toks[k].group() in p.heads)


INNER_ABBREVIATION = re.compile(r"\([A-ZĐ][A-ZĐ&]{1,7}\)(?= )")
FREE_NAME_WORDS = frozenset(LOCAL.free_name_words)  # stop words a lower-case name may hold ("Ban Chỉ đạo các …")


def descriptor(text: str, pos: int, p: Patterns, mode: str = "title", limit: int = 10, max_lower: int = 6) -> int:
    """End of the name that follows a head word ("Cục" + "Xúc tiến thương mại").

    "title": the first word is capitalised, later words run until a function
    word, a verb of the stop list, punctuation or the next head;
    "free": lower-case names ("Ban Chỉ đạo phòng, chống dịch") that run to a
    scope ("tỉnh", a province) or a stop word.
    """
    toks = words_from(text, pos)
    stops = p.stopwords - FREE_NAME_WORDS if mode == "free" else p.stopwords
    run = _NameRun(text, toks, p, mode, stops, limit, max_lower, pos)
    for i, t in enumerate(toks):
        if t.start() < run.inside:
            continue
        if i and t.start() > toks[i - 1].end() + 1:
            break  # a double gap never sits inside a name
        inner = INNER_ABBREVIATION.match(text, t.start()) if run.count and t.group() == "(" else None
        if inner:  # "Ban Quản lý Khu kinh tế (KKT) Dung Quất": an abbreviation defined inside the name
            run.inside = inner.end()
            continue
        w = t.group()
        if run.count == 0 and (w in stops or not w[0].isalnum() or (mode == "title" and not is_cap(w))):
            return pos
        step = run.punctuation(i) if w in {",", "-"} else run.word(i)
        if step == "join":
            run.count += 1
        if step == "stop" or (step == "take" and not run.take(i)):
            break
    return run.end


@dataclass
class _NameRun:
    """The words `descriptor` has read so far, and the rules it reads the next one by.

    Each word is "take" (part of the name, if the name may go on), "join" ("và"
    between two parts), "skip" (a comma or dash inside the name) or "stop".
    """

    text: str
    toks: list[re.Match[str]]
    p: Patterns
    mode: str
    stops: frozenset[str]
    limit: int
    max_lower: int
    end: int
    count: int = 0
    lower_run: int = 0
    listed: bool = False
    inside: int = 0

    def after(self, i: int) -> str:
        return self.toks[i + 1].group() if i + 1 < len(self.toks) else ""

    def punctuation(self, i: int) -> str:
        """A comma or dash: inside a name ("Tài nguyên - Môi trường", "… đầu tư, thương mại và du lịch tỉnh X")
        or after it."""
        t, nxt = self.toks[i], self.after(i)
        ahead = " ".join(x.group() for x in self.toks[i + 1:i + 6])
        joins = t.group() == "-" or AND_AHEAD.search(" " + ahead)
        if (self.mode == "title" and joins and is_cap(nxt) and nxt not in self.p.heads
                and not self.p.province.match(self.text, self.toks[i + 1].start())):
            return "skip"
        if self.mode == "free" and nxt and not is_cap(nxt) and nxt not in self.stops:  # "bô xít - alumin - nhôm"
            return "skip"
        scoped = SCOPED_LIST.match(self.text, t.start()) if self.mode == "title" and t.group() == "," else None
        if scoped and not any(is_cap(x) for x in scoped.group().split()[1:-2]):
            self.listed = True  # "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh Phú Thọ"
            return "skip"
        return "stop"

    def word(self, i: int) -> str:
        """A word: part of the name, "và" joining two of its parts, or a stop word after it."""
        t, w, nxt = self.toks[i], self.toks[i].group(), self.after(i)
        if not w[0].isalnum():
            return "stop"
        if i and f"{self.toks[i - 1].group()} {w}".lower() in self.p.compounds:
            return "take"  # "Đổi mới": a stop word that is half of a name's word
        if not (w in self.stops or (self.text.startswith(w + " ", t.start()) and f"{w} {nxt}" in self.stops)):
            return "take"
        if w in CONJUNCTIONS and (is_cap(nxt) or self.mode == "free" or self.listed) and nxt not in self.stops:
            return "join"
        if w in CONJUNCTIONS and self.mode == "title" and SCOPED_AND.match(self.text, t.end()):
            self.listed = True  # "Trung tâm Xúc tiến thương mại và đầu tư TP.HCM": lower-case words, then the scope
            return "join"
        return "stop"

    def take(self, i: int) -> bool:
        """Add word `i` to the name unless a scope, another head or a person's name starts there, or the name
        is long enough."""
        t, w, p, text = self.toks[i], self.toks[i].group(), self.p, self.text
        if self.count and (re.match(ADMIN + r"(?!\w)", text[t.start():]) or p.province.match(text, t.start())):
            return False
        if self.count and is_cap(w) and w in p.heads and self.mode == "title":
            return False
        if self.count and name_ahead(self.toks, i, p):
            return False  # "Giám đốc Sở Tài nguyên - Môi trường Nguyễn Trường Khoa": the holder's name
        self.lower_run = 0 if is_cap(w) or w.isdigit() else self.lower_run + 1
        if (self.lower_run > self.max_lower and not self.listed) or self.count >= self.limit + 6 * self.listed:
            return False
        self.count += 1
        self.end = t.end()
        return True


# --------------------------------------------------------------------- recognizers


@recognizer("legal")
def legal_documents(s: Sentence, p: Patterns) -> list[Mention]:
    """Numbered legal documents: "Nghị định số 68/2017/NĐ-CP", a bare "45/2012/NĐ-CP"."""
    if "/" not in s.text and not any(k in s.text for k in p.kinds):
        return []  # the common case, decided without a regex
    found, taken = _numbered_documents(s, p)
    for m in p.legal_title_only.finditer(s.text) if "uật" in s.text else ():  # "Luật Tổ chức Chính phủ (sửa đổi)"
        law = _law_by_title(s, m, p)
        if law:
            found.append(law)
    for m in p.legal_bare.finditer(s.text):
        alias = p.legal_alias.search(s.text, max(0, m.start() - 40), m.start())
        if m.group(1)[0].isupper() or alias:
            kind, cls = p.kinds[m.group(1)]
            attrs = {"alias": kind} if alias else {"bare": kind}
            found.append(mention(s, m.start(), m.end(), "LegalDocument", cls, kind, kind=kind, **attrs))
    for m in p.legal_number.finditer(s.text):
        if m.start() in taken or "/" not in m.group():
            continue
        code = _number_parts(m.group())[0]
        if code in p.kind_codes:
            kind, cls = p.kind_codes[code]
            found.append(_legal(s, m.start(), m.end(), m.group(), kind, cls, p))
    return found


def _numbered_documents(s: Sentence, p: Patterns) -> tuple[list[Mention], set[int]]:
    """Documents by kind and number ("Luật Đầu tư số 61/2020/QH14" with its title), and where the numbers start."""
    found, taken = [], set()
    for m in p.legal.finditer(s.text):
        kind, cls = p.kinds[m.group(1)]
        found.append(_legal(s, m.start(), m.end(), m.group(2), kind, cls, p))
        taken.add(m.start(2))
    for m in p.legal_titled.finditer(s.text):  # "Luật Đầu tư số 61/2020/QH14": the title is a name too
        if m.start(3) not in taken:
            kind, cls = p.kinds[m.group(1)]
            found.append(_legal(s, m.start(), m.end(), m.group(3), kind, cls, p, title=f"{kind} {m.group(2)}"))
            taken.add(m.start(3))
    return found, taken


def _law_by_title(s: Sentence, m: re.Match[str], p: Patterns) -> Mention | None:
    """A law cited by its title alone: "Luật Tổ chức Chính phủ", "Luật Sử dụng năng lượng tiết kiệm và hiệu quả"."""
    end = _whole_word(s, descriptor(s.text, m.end(), p, "title", 8))  # "Luật Hợp tác xã": "xã" is no commune
    while body := p.title_body.match(s.text, end) if end > m.end() else None:
        end = body.end()  # "Luật Tổ chức HĐND và UBND": the bodies a title names are part of it
    tail = re.match(rf" (?:{AND})(?: [^\W\d_A-ZĐ][^\W\d_]*){{1,3}}(?=\s*(?:[,.;:()]|số\s|năm\s|ngày\s|đã\s|$))",
                    s.text[end:])
    end += tail.end() if tail else 0  # "Luật Sử dụng năng lượng tiết kiệm và hiệu quả [ngày 28 tháng 6 năm 2010]"
    # "Luật Phổ biến, giáo dục pháp luật ngày 20 tháng 6 năm 2012": a comma inside the title, lower case after it
    comma = re.match(r", ([^\W\d_A-ZĐ][^\W\d_]*(?: [^\W\d_A-ZĐ][^\W\d_]*){0,4})(?=\s+(?:ngày|số|năm)\s|\s*[;.]|$)",
                     s.text[end:]) if end > m.end() else None
    if (comma and not any(w in p.stopwords for w in comma.group(1).split())
            and s.text[m.end():end].strip().lower() != "sửa đổi"):  # "Luật sửa đổi, bổ sung …" is no title
        end += comma.end()
    title = re.split(rf"\s+(?:(?:{AND})\s+|,\s*)?(?:{_alt(p.titled)})\s", s.text[m.end():end])[0].rstrip(" ,")
    if title.lower() in {"sửa đổi", "sửa đổi, bổ sung"}:
        return None  # "Luật sửa đổi, bổ sung một số điều của …": the amending law, cut before its name
    number = _alt(p.lex.kb.legal_kinds.number_words)
    if end <= m.end() or re.match(rf"\s+(?:{number})\s+\d", s.text[m.end() + len(title):]):
        return None
    kind = m.group(1)
    return mention(s, m.start(), m.end() + len(title), "LegalDocument", p.kinds[kind][1], f"{kind} {title}",
                   kind=kind, title=f"{kind} {title}", issuers=p.titled[kind])


def _number_parts(number: str) -> tuple[str, list[str]]:
    """Kind code and issuer codes of a document number: "68/2017/NĐ-CP" -> ("NĐ", ["CP"])."""
    tail = re.split(r"/", number)[-1]
    parts = [re.sub(r"\d+$", "", x) for x in re.split(r"-", tail) if x]
    if len(parts) == 1:
        return "", parts
    return parts[0], parts[1:]


PERIODS, RELATIONS = knowledge().periods, knowledge().relations
DAY = _alt(RELATIONS.date_lead)  # "ngày"
# "ngày 23/9/2024", "ngày 23 tháng 9 năm 2024"
DATED = re.compile(rf"\s*,?\s*(?:{DAY})\s+(\d{{1,2}})\s*(?:/|-|{re.escape(PERIODS.month)})\s*(\d{{1,2}})\s*"
                   rf"(?:/|-|{re.escape(PERIODS.year)})\s*(\d{{4}})")
SUBJECT = re.compile(rf"\s*(?:(?:{OF})\s+[^,;.()]+?\s+)?((?:{_alt(knowledge().legal_kinds.subject_openers)})"
                     r"\s+[^,;.()“”\"]+)")  # "của UBND tỉnh về …"
# A dated citation ("Nghị định số 98/2017/NĐ-CP ngày 18/8/2017 của Chính phủ quy định chức năng, nhiệm vụ, …;") also
# opens its subject with "quy định"/"hướng dẫn", and its subject runs on over commas to the ";" that ends the citation
# or to the next document cited (", Nghị định số …").
_NEXT_KIND = rf"(?:,|\s(?:{AND}))\s*(?:{_alt([k.name for k in knowledge().legal_kinds.kinds])})\s"  # ", Nghị định số …"
CITED_SUBJECT = re.compile(rf"\s*(?:(?:{OF})\s+[^,;.()]+?\s+)?((?:{_alt(knowledge().legal_kinds.subject_openers)}|"
                           rf"{_alt(knowledge().legal_kinds.citations.cited_subject_openers)})"
                           rf"\s+(?:[^;.()“”\"]+?(?=\s*;|{_NEXT_KIND})|[^,;.()“”\"]+))")


def _legal(s: Sentence, start: int, end: int, number: str, kind: str, cls: str, p: Patterns,
           title: str = "") -> Mention:
    number = re.sub(r" [-–] ", "-", number)  # "QĐ – UBND" is "QĐ-UBND"
    rest = s.text[end:]
    date = ""
    dm = DATED.match(rest)
    if dm:
        day = day_of(dm)
        date = day.isoformat() if day else ""
        rest = rest[dm.end():]
    subject = ""
    sm = (CITED_SUBJECT if dm else SUBJECT).match(rest)
    if sm:
        subject = sm.group(1).strip()
    dashed = re.fullmatch(r"(\d+)-([A-ZĐ]+)-(\S+)", number)
    if dashed and dashed.group(2) in p.kind_codes:  # "3306-QĐ-UBND" is "3306/QĐ-UBND" (Party numbers: "80-QĐ/ĐU")
        number = f"{dashed.group(1)}/{dashed.group(2)}-{dashed.group(3)}"
    _, issuers = _number_parts(number)
    return mention(s, start, end, "LegalDocument", cls, f"{kind} {number}", number=number, kind=kind,
                   date=date, subject=subject, issuers=" ".join(issuers), title=title)


NEIGHBOUR = re.compile(rf"(?<!\w)(?:{_spaced(GRAMMAR.neighbour_words)})"
                       rf"(?:\s+(?:{_alt(GRAMMAR.neighbour_links)}))?\s+(?:(?:{_alt(PROVINCE_WORDS)})\s+)?$")
# the later items of a list of neighbours: "giáp Vân Nam (Trung Quốc), Lào Cai, Yên Bái, Điện Biên và Sơn La"
NEIGHBOURS = re.compile(rf"(?<!\w)(?:{_spaced(GRAMMAR.neighbour_words)})(?:\s+(?:{_alt(GRAMMAR.neighbour_links)}))?"
                        rf"(?:\s*(?:{_alt(PROVINCE_WORDS)}|(?:và|,)|\([^()]*\)|[A-ZĐÀ-Ỹ][^\s,;.:()]*))*\s*$")
ORIGIN = re.compile(rf"(?<!\w)(?:{_alt(GRAMMAR.origin_words)})\s+$")  # "quê quán tỉnh Hưng Yên"
VENUE = re.compile("".join(rf"(?<!{w} )" for w in GRAMMAR.work_words)  # "công tác tại tỉnh X": worked there
                   + rf"(?<!\w)(?:{_alt(GRAMMAR.venue_words)})\s+(?:[^,.;:]{{0,30}},\s*)?$")
REGION = re.compile(rf"(?:{_alt(GRAMMAR.region_words)})\s*$")
TOPIC_LEVELS = _alt([*_either_case(PROVINCE_WORDS), *CITY_CAPITALS])  # "Tỉnh", "TP." opening a clause


@recognizer("province")
def provinces(s: Sentence, p: Patterns) -> list[Mention]:
    """Provinces by name or alias, with the prefix rules of the guidelines.

    "thành phố Thái Nguyên" is a city inside the province, not the province;
    "huyện Yên Bình" a district; a province-only name such as "Hồ Chí Minh"
    needs its city prefix.
    """
    found = []
    for m in p.province.finditer(s.text):
        name = p.lex.province_surface[m.group()]
        before = s.text[max(0, m.start() - 14):m.start()]
        prefix = re.search(rf"({ADMIN}|Thủ đô)\s*$", before)
        level = prefix.group(1) if prefix else ""
        if level in BELOW_PROVINCE:
            continue
        province = p.lex.provinces[name]
        if LOCAL.admin_levels.get(level) == "city" and province.kind != CITY_WORD:
            continue
        if m.group() in PREFIX_ONLY and not level:
            continue
        if REGION.search(before):
            continue  # "vùng Thủ đô Hà Nội" is a region
        opener = _alt(p.lex.kb.local_agencies.topic_openers)
        lead = m.start() - (len(before) - prefix.start()) if prefix else m.start()
        clause = re.split(r"[,;:]", s.text[:lead])[-1]
        topic = re.fullmatch(rf"\s*(?:(?:{opener})\s+)?(?:{TOPIC_LEVELS})?\s*", clause)
        # "tổ chức ở Hà Nội", "tại Nhà Quốc hội, Thủ đô Hà Nội", a document's "Hà Nội, ngày 23 tháng 9"
        venue = VENUE.search(s.text, max(0, lead - 45), lead) or re.match(rf"\s*,\s*(?:{DAY})\s+\d", s.text[m.end():])
        neighbour = (NEIGHBOUR.search(s.text, max(0, lead - 20), lead)  # "huyện Đức Hòa giáp TP.HCM"
                     or NEIGHBOURS.search(s.text, max(0, lead - 120), lead))
        aside = s.text.count("(", 0, lead) > s.text.count(")", 0, lead)  # "(…, tỉnh Bình Định cũ)": a place noted
        origin = ORIGIN.search(s.text, max(0, lead - 25), lead)
        found.append(mention(s, m.start(), m.end(), "Province", "Province", name, province=name,
                             topic=bool(topic) and not neighbour and not aside and not origin, venue=bool(venue),
                             origin=bool(origin),
                             neighbour=bool(neighbour)))
    return found


def _scoped(s: Sentence, start: int, end: int, cls: str, head: str, desc: str, p: Patterns,
            level: str = "") -> Mention:
    """An agency with a territorial scope read after its name."""
    scope_end, admin, province = scope_after(s.text, end, p)
    if scope_end > end and (province or admin):
        end = scope_end
    desc = re.sub(rf" {INNER_ABBREVIATION.pattern}", "", desc)  # the name without the abbreviations it defines
    return mention(s, start, end, "Agency", cls, f"{head} {desc}".strip(), head=head, descriptor=desc,
                   admin=admin or level, province=province)


# The grammars of agency names. Each proposes the bodies of one shape; `agencies` runs them in this order and then
# settles them together (a plural scope, a board named with its committee, a misread known name), so they are
# registered here rather than as recognizers of their own.
AGENCY_GRAMMARS: Registry[Recognizer] = Registry("agency grammar")
agency_grammar = AGENCY_GRAMMARS.register


@recognizer("agency")
def agencies(s: Sentence, p: Patterns) -> list[Mention]:
    """State and Party bodies: the gazetteer, then the grammar of local bodies."""
    known = _known_names(s, p)
    found = known + [m for grammar in AGENCY_GRAMMARS.values() for m in grammar(s, p)]
    # "Sở Công Thương, Sở Nông nghiệp … của 19 tỉnh, thành phố": bodies of many provinces, not one
    found = [m for m in found if m.attrs.get("province") or m.attrs.get("known") or m.attrs.get("party_of")
             or not GENERIC_AFTER.match(s.text, m.end)]
    boards = _boards(s, found, p)
    spans = {(b.start, b.end) for b in boards}
    found = [m for m in found if (m.start, m.end) not in spans] + boards  # the board, not the body, at that span
    # A grammar reading that only adds lower-case words to a known name is a misreading
    # ("Cục Công Thương địa phương trong việc"); one that adds a scope is a local unit.
    known_at = {m.start: m.end for m in known}
    return [m for m in found if "known" in m.attrs or m.start not in known_at or m.end <= known_at[m.start]
            or m.attrs.get("province") or m.attrs.get("admin")]


def _known_names(s: Sentence, p: Patterns) -> list[Mention]:
    """Bodies the gazetteer knows, by name or alias."""
    found = []
    for m in p.agency.finditer(s.text):
        name = known_agency(m.group(), p)
        if not name or LOCAL_SCOPE.match(s.text, m.end()):
            continue  # "Ủy ban MTTQ Việt Nam tỉnh Bắc Kạn" is the province's chapter, not the central body
        found.append(mention(s, m.start(), m.end(), "Agency", p.lex.agencies[name].cls, name, known=name))
    return found


@agency_grammar("short name after a post")
def short_names(s: Sentence, p: Patterns) -> list[Mention]:
    """Known bodies without their head word after a post that ends with it: "Bộ trưởng Công Thương"."""
    t, found = s.text, []
    lowered = t.lower()
    for m in p.ministry_short.finditer(t) if p.short_name_posts.search(lowered) else ():
        name = _short_name(t, m, p) if m.group()[0].isupper() else None
        if name:
            found.append(mention(s, m.start(), m.end(), "Agency", p.lex.agencies[name].cls, name, known=name))
    return found


def _short_name(t: str, m: re.Match[str], p: Patterns) -> str | None:
    """The known body a short name after a post stands for (None if the post is not the body's)."""
    for post, names in p.short_names:  # "Bộ trưởng Công Thương", "Phó ban Kinh tế Trung ương"
        if post.search(t[:m.start()]):
            return names.get(m.group().lower())
    return None


@agency_grammar("council")
def councils(s: Sentence, p: Patterns) -> list[Mention]:
    """People's committees and councils with their scope: "UBND tỉnh Gia Lai", "HĐND huyện Chư Pưh"."""
    if "nhân dân" not in s.text.lower() and "ND" not in s.text:
        return []
    return [_council(s, m, p) for m in p.council.finditer(s.text)]


def _council(s: Sentence, m: re.Match[str], p: Patterns) -> Mention:
    t = s.text
    info = p.councils.get(m.group(1)) or p.councils[m.group(1).lower()]
    admin = m.group(2) or ""
    end = m.end()
    glued = province_at(t, m.end(1), p)  # "UBND TP.HCM": the alias carries its own "TP."
    if glued and glued.end() > end and glued.group().startswith(CITY_PREFIXES):
        admin, end = CITY_WORD, m.end(1)
    prov = province_at(t, end, p)
    province = district = ""
    if prov and admin in PROVINCE_ADMIN:
        province, end = p.lex.province_surface[prov.group()], prov.end()
    elif admin and admin != PROVINCE_WORD:
        district, end = _council_district(t, end, p)
    return mention(s, m.start(), end, "Agency", info.cls, info.canonical, head=info.canonical,
                   admin=admin, province=province, district=district)


def _council_district(t: str, end: int, p: Patterns) -> tuple[str, int]:
    """The district a council serves, read after its admin word ("" if none)."""
    name_end = place_name(t, end, 3)
    name = t[end:name_end].split()
    person = len(name) == 3 and name[0] in p.surnames | p.weak_surnames  # "… UBND thành phố Lâm Quang Vĩnh"
    if name_end > end and not person:
        return " ".join(name), name_end
    return "", end


@agency_grammar("provincial body")
def provincial_bodies(s: Sentence, p: Patterns) -> list[Mention]:
    """"Công an thành phố Đà Nẵng": a body read only with its province (or the article's, "Công an tỉnh")."""
    t, found = s.text, []
    for m in p.provincial_body.finditer(t):
        body = p.provincial_bodies[m.group(1)]
        prov = province_at(t, m.end(), p)
        if prov and prov.group() not in PREFIX_ONLY and (m.group(2) or "") in PROVINCE_ADMIN:
            found.append(mention(s, m.start(), prov.end(), "Agency", body.cls, body.canonical,
                                 head=body.canonical, admin=m.group(2) or "",
                                 province=p.lex.province_surface[prov.group()]))
        elif not prov and m.group(2) in PROVINCE_WORDS and not re.match(r"\s*[A-ZĐ]", t[m.end(2):]):
            # "Giám đốc Công an tỉnh": the article's province
            found.append(mention(s, m.start(), m.end(2), "Agency", body.cls, body.canonical,
                                 head=body.canonical, admin=m.group(2)))
    return found


@agency_grammar("party committee")
def party_committees(s: Sentence, p: Patterns) -> list[Mention]:
    """Party committees: "Tỉnh ủy Cao Bằng", "Huyện ủy Gio Linh", "Đảng ủy Khối …", "Đảng ủy Tập đoàn Viettel"."""
    found = []
    for m in p.party.finditer(s.text):
        head = p.committees[m.group(1).lower()]
        if head == "Đảng ủy" and not m.group(1)[0].isupper():
            continue  # "đảng ủy" in lower case is the generic word
        committee = _party_committee(s, m, head, p)
        if committee:
            found.append(committee)
    return found


def _party_committee(s: Sentence, m: re.Match[str], head: str, p: Patterns) -> Mention | None:
    t = s.text
    prov = province_at(t, m.end(), p)
    bloc = re.match(r" Khối\s+", t[m.end():]) if head == "Đảng ủy" else None
    if bloc:  # "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh": the Party committee of a bloc
        return _bloc_committee(s, m, m.end() + bloc.end(), head, p)
    owned = None if prov else _committee_of(s, m, head, p)
    if owned:
        return owned
    end, province = m.end(), ""
    if prov:
        province, end = p.lex.province_surface[prov.group()], prov.end()
    admin = p.lex.kb.local_agencies.party_committees[head]
    district = ""
    if not province and LOCAL.admin_levels.get(admin) in {"district", "city"}:  # "Huyện ủy Gio Linh"
        own = re.match(rf" {re.escape(admin)}(?= [A-ZĐ])", t[end:])  # "Huyện ủy huyện Nam Đàn": its own level
        district, end = _committee_district(t, end + (own.end() if own else 0), p)
    return mention(s, m.start(), end, "Agency", "PartyCommittee", head, head=head,
                   admin=admin, province=province, district=district)


def _bloc_committee(s: Sentence, m: re.Match[str], at: int, head: str, p: Patterns) -> Mention | None:
    """"Đảng ủy Khối Doanh nghiệp Trung ương" (a central committee) or a province's bloc committee."""
    t = s.text
    desc_end = descriptor(t, at, p, "title" if is_cap(t[at:at + 1]) else "free", 10)
    desc_end += len(re.match(r"(?: Trung ương(?!\w))?", t[desc_end:]).group())
    desc = t[at:desc_end].strip()
    if desc.endswith("Trung ương"):
        return mention(s, m.start(), desc_end, "Agency", "PartyCommittee", head, head=head, party_of=f"Khối {desc}")
    if desc_end > at:
        return _scoped(s, m.start(), desc_end, "PartyCommittee", "Đảng ủy Khối", desc, p)
    return None


def _committee_of(s: Sentence, m: re.Match[str], head: str, p: Patterns) -> Mention | None:
    """The Party committee of a company or a central body: "Đảng ủy Tập đoàn Viettel", "Đảng ủy Chính phủ"."""
    t = s.text
    firm = p.company_head.match(t, m.end() + 1) if head == "Đảng ủy" else None
    if firm and firm.group()[0].isupper():
        firm_end = _whole_word(s, _company_name(t, firm.end() + 1, p))
        if firm_end > firm.end() + 1:
            return mention(s, m.start(), firm_end, "Agency", "PartyCommittee", head, head=head,
                           party_of=t[firm.start():firm_end])
    body = p.agency.match(t, m.end() + 1) if t[m.end():m.end() + 1] == " " else None
    central = known_agency(body.group(), p) if body else ""
    if central:  # "Đảng ủy Chính phủ", "Đảng ủy Bộ Công Thương"
        return mention(s, m.start(), body.end(), "Agency", "PartyCommittee", head, head=head, party_of=central)
    return None


def _committee_district(t: str, end: int, p: Patterns) -> tuple[str, int]:
    """The district of a district's Party committee, and where its name ends."""
    name_end = place_name(t, end + 1, 3, p) if t[end:end + 1] == " " else end
    district, end = t[end:name_end].strip(), max(end, name_end)
    later = DISTRICT_LATER.match(t, end) if not district else None
    if later:  # "Bí thư Huyện ủy, Chủ tịch HĐND huyện Chư Pưh": the district named once for both
        district = t[later.end():place_name(t, later.end(), 3, p)].strip()
    return district, end


@agency_grammar("party committee alias")
def party_aliases(s: Sentence, p: Patterns) -> list[Mention]:
    """"Ban Chấp hành Đảng bộ tỉnh X": the province's Party committee under its long name."""
    t, found = s.text, []
    for m in p.party_alias.finditer(t) if any(a in t for a in LOCAL.party_committee_aliases) else ():
        end, province = m.end(), ""
        prov = province_at(t, end, p)
        if prov:
            province, end = p.lex.province_surface[prov.group()], prov.end()
        admin = m.group(1) or PROVINCE_WORD
        head = COMMITTEE_OF[CITY_WORD if LOCAL.admin_levels.get(admin) == "city" else PROVINCE_WORD]
        found.append(mention(s, m.start(), end, "Agency", "PartyCommittee", head, head=head, admin=admin,
                             province=province))
    return found


@agency_grammar("department")
def departments(s: Sentence, p: Patterns) -> list[Mention]:
    """A province's departments by their listed names: "Sở CT", "Sở Công thương"."""
    found = []
    for m in p.department.finditer(s.text) if DEPARTMENT in s.text else ():
        name = p.departments.get(m.group(1).lower(), m.group(1))
        found.append(_scoped(s, m.start(), m.end(), "Department", DEPARTMENT, name, p, PROVINCE_WORD))
    return found


@agency_grammar("department by its words")
def other_departments(s: Sentence, p: Patterns) -> list[Mention]:
    """"Sở" and the capitalised name after it, where the name is not a listed one."""
    t, found = s.text, []
    listed = {m.start() for m in p.department.finditer(t)} if DEPARTMENT in t else set()
    for m in re.finditer(rf"(?<!\w){DEPARTMENT}\s+(?=[^\W\d_])", t) if DEPARTMENT in t else ():
        if m.start() in listed:
            continue
        end = descriptor(t, m.end(), p, "title", 6)
        if end > m.end():
            found.append(_scoped(s, m.start(), end, "Department", DEPARTMENT, t[m.end():end], p, PROVINCE_WORD))
    return found


@agency_grammar("unit")
def units(s: Sentence, p: Patterns) -> list[Mention]:
    """Units named by a head and a descriptor: "Cục Xúc tiến thương mại", "Ban Quản lý các KCN tỉnh X"."""
    t, found = s.text, []
    lowered = t.lower()
    for m in p.unit_head.finditer(t) if any(w in lowered for w in p.unit_heads_lower) else ():
        if not m.group()[0].isupper():
            continue  # a unit's name starts with a capital: "ban quản lý dự án" is no body
        if re.search(rf"(?<!\w)(?:{ADMIN})\s+$", t[max(0, m.start() - 12):m.start()]):
            continue  # "huyện Vụ Bản": a place named like a unit
        unit = _unit(s, m, p)
        if unit:
            found.append(unit)
    return found


def _unit(s: Sentence, m: re.Match[str], p: Patterns) -> Mention | None:
    t = s.text
    head = p.unit_heads.get(m.group()) or p.unit_heads_lower[m.group().lower()]
    named = _unit_end(t, m, head, p)
    if named is None:
        return None
    end, document = named
    desc = t[m.end():end].strip()
    if not _unit_descriptor_fits(t, m, head, desc):
        return None
    desc = re.sub(r"(?<= )số (?=\d)", "", desc) if document else desc  # "Nghị quyết số 18-NQ/TW" is "… 18-NQ/TW"
    written = next((w for w in head.words if w.lower() == m.group().lower()), m.group())  # "Đoàn Đại biểu …"
    unit = _scoped(s, m.start(), end, head.cls, written, desc, p)
    if document:
        unit.attrs["implements"] = document.group(2)
    return _unit_level(unit, head, p)


def _unit_end(t: str, m: re.Match[str], head: dict, p: Patterns) -> tuple[int, re.Match[str] | None] | None:
    """Where a unit's name ends, and the document a steering committee carries out (None: no unit here)."""
    end = descriptor(t, m.end(), p, head.mode, head.limit, head.max_lower)
    implements = p.implements.match(t, m.end()) if head.to_document else None
    document = p.legal.match(t, implements.end()) if implements else None
    end = document.end() if document else end  # "Ban Chỉ đạo tổng kết việc thực hiện Nghị quyết số 18-NQ/TW"
    if head.bare and end <= m.end():
        return m.end(), document  # the head is the whole name: "Đoàn đại biểu Quốc hội tỉnh Gia Lai"
    if end <= m.end() or _generic_before(t, m.start(), p):
        return None
    return end, document


def _unit_descriptor_fits(t: str, m: re.Match[str], head: dict, desc: str) -> bool:
    """The words after a head name a unit of that head (unit_heads' "free_starts", "needs_number", "not_before")."""
    opens = head.free_starts
    if opens and not is_cap(desc) and not any(desc == w or desc.startswith(w + " ") for w in opens):
        return False  # "Ban Quản lý điều chỉnh tăng vốn": a verb after the bare head, no name
    if head.needs_number and not re.search(r"\bsố\s+\d+$", desc):
        return False  # "Đội QLTT số 9" is a team; "Đội Cảnh sát" without its number is not read
    # "Ban Thường vụ Tỉnh ủy" is the committee itself; "Ban Giám đốc" no body
    return not any(t.startswith(w, m.end() + 1) for w in head.not_before)


def _unit_level(unit: Mention, head: dict, p: Patterns) -> Mention | None:
    """A unit's level: central, or a province's (None: a unit that needs a scope and has none)."""
    attrs = unit.attrs
    provincial_centre = attrs.get("descriptor", "").lower() in p.centre_names  # only a province has one
    if head.needs_scope and not (attrs.get("province") or attrs.get("admin")):
        if not provincial_centre:
            return None
        attrs["admin"] = PROVINCE_WORD
    if not head.provincial and not (attrs.get("province") or attrs.get("admin")):
        attrs["level"] = "central"
    desc = attrs.get("descriptor", "")
    central = rf"(?:\d+\s+)?(?:{_alt(head.central_openers)})\b" if head.central_openers else ""
    if central and not attrs.get("province") and re.match(central, desc):
        attrs.update(level="central", admin="")  # "Ban Chỉ đạo Nhà nước các công trình …", "Ban Chỉ đạo 389 quốc gia"
    if REGIONAL.search(desc) and not attrs.get("province"):
        attrs.update(level="central", admin="")  # "Chi cục Hải quan khu vực II": a region's, not the province's
    return unit


REGIONAL = re.compile(rf"\b(?:{_alt(LOCAL.regional_markers)})\b", re.IGNORECASE)


@agency_grammar("centre")
def centres(s: Sentence, p: Patterns) -> list[Mention]:
    """Provincial centres named by initials only: "TTKC Cao Bằng"."""
    found = []
    for m in p.centres.finditer(s.text) if any(a in s.text for a in LOCAL.centre_abbreviations) else ():
        name = p.lex.kb.local_agencies.centre_abbreviations[m.group(1)]
        found.append(_scoped(s, m.start(), m.end(), "StateCentre", "Trung tâm", name, p, PROVINCE_WORD))
    return found


@agency_grammar("ministry unit")
def ministry_units(s: Sentence, p: Patterns) -> list[Mention]:
    """"Văn phòng Bộ", "Thanh tra Bộ" without the ministry's name: the article's ministry."""
    t = s.text
    named = any(u in t for u in LOCAL.ministry_context_units)
    return [mention(s, m.start(), m.end(), "Agency", "MinistryUnit", m.group(), head=m.group().split()[0],
                    needs_ministry=True)
            for m in (p.context_unit.finditer(t) if named else ()) if not re.match(r"\s+[A-ZĐ]", t[m.end():])]


@recognizer("bare agency")
def bare_agencies(s: Sentence, p: Patterns) -> list[Mention]:
    """A head alone ("Sở", "Ban Chỉ đạo") before a verb or a stop: `resolve` gives it the last body of its kind."""
    t, found = s.text, []
    for m in p.bare.finditer(t) if any(h in t for h in LOCAL.bare_heads) else ():
        if not _generic_before(t, m.start(), p):
            cls = p.lex.kb.local_agencies.bare_heads[m.group(1)]
            found.append(mention(s, m.start(), m.end(), "Agency", cls, m.group(1), bare=m.group(1)))
    return found


COUNCIL_WORDS = list(_by_word(LOCAL.councils))
DISTRICT_WORDS = [w for w, level in LOCAL.admin_levels.items() if level == "district"]
DISTRICT_LATER = re.compile(rf"\s*,\s*(?:[^\W\d_]+\s+){{1,4}}?(?:{_alt(COUNCIL_WORDS)})\s+"
                            rf"(?:{_alt(DISTRICT_WORDS)})\s+(?=[A-ZĐ])")
LOCAL_SCOPE = re.compile(rf"\s+(?:{_alt(LOCAL.chapter_scopes)})\s+[A-ZĐ]")
_MANY = LOCAL.many_provinces
GENERIC_AFTER = re.compile(rf"[^.;:()]{{0,100}}?\s(?:{_alt(_MANY['links'])})\s+(?:{_alt(_MANY['counts'])}|\d+)"
                           rf"\s+(?:{_alt(_MANY['places'])})")
BOARD_PARENTS = frozenset(LOCAL.board_parents)


def _boards(s: Sentence, found: list[Mention], p: Patterns) -> list[Mention]:
    """A unit named with the committee or council it serves: "Ban Tổ chức Tỉnh ủy Gia Lai",
    "Ban Pháp chế HĐND thành phố Huế", "Văn phòng UBND tỉnh Quảng Ngãi"."""
    out = []
    for c in found:
        if c.cls not in BOARD_PARENTS or "party_of" in c.attrs:
            continue
        b = p.board_before.search(s.text, max(0, c.start - 60), c.start)
        desc = (b.group(2) or "").strip() if b else ""
        head = {"ban": "Ban", "văn phòng": "Văn phòng"}.get(b.group(1).lower(), b.group(1)) if b else ""
        if not b or (head == "Ban") != bool(desc) or any(w in p.stopwords.difference(CONJUNCTIONS)
                                                             for w in desc.lower().split()):
            continue
        if any(desc.startswith(w) for w in (p.unit_heads["Ban"].not_before if "Ban" in p.unit_heads else ())):
            continue
        # "Trưởng ban Dân vận Tỉnh ủy", "Chánh Văn phòng UBND tỉnh": the post keeps its head word, the unit
        # starts at its own name (or, with none, at the body it serves)
        titled = b.group(1)[0].islower() or re.search(r"(?i:chánh)\s+$", s.text[:b.start(1)])
        start = (b.start(1) if not titled else
                 b.start(2) + len(b.group(2)) - len(b.group(2).lstrip()) if desc else c.start)
        out.append(mention(s, start, c.end, "Agency", "CommitteeUnit", f"{head} {desc}".strip(),
                           board=f"{head} {desc}".strip(), parent_cls=c.cls,
                           **{k: v for k, v in c.attrs.items() if k in {"head", "admin", "province", "district"}}))
    return out


def known_agency(surface: str, p: Patterns) -> str:
    """The gazetteer name of an agency written with any capitals after its first letter ("" if none)."""
    if not surface[:1].isupper() or (surface.isupper() and " " in surface):
        return ""  # a page's upper-case header ("BỘ CÔNG THƯƠNG") is layout, not a mention
    return p.lex.agency_surface.get(surface) or p.lex.agency_surface.get(normalize_name(surface), "")


def _generic_before(text: str, pos: int, p: Patterns) -> bool:
    """True after "các", "những"…: a plural or generic reference, not one body."""
    window = text[max(0, pos - 12):pos]
    if re.search(r"[:;]\s*$", window):
        return False  # "gồm 3 đơn vị: Vụ …": the list's items are named bodies
    before = re.findall(r"[^\W\d_]+", window.lower())  # "(các cụm …": brackets are no word
    markers = p.lex.kb.local_agencies.generic_markers
    return bool(before) and (before[-1] in markers or " ".join(before[-2:]) in markers)


ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI", "7": "VII", "8": "VIII", "9": "IX"}


def _zone_name(text: str, pos: int, p: Patterns) -> int:
    """End of a zone's proper name: capitalised words, numerals ("Sông Công II"), and a second part after a
    dash ("Điện Nam - Điện Ngọc") unless that part is a province ("VSIP - Bắc Ninh" says where it is)."""
    end = pos
    for i, t in enumerate(words_from(text, pos)):
        w = t.group()
        if t.start() > (end if i else pos) + 1 or i >= 6:
            break
        if is_cap(w) or (w.isdigit() and i > 0 and len(w) <= 2
                         and not re.match(r"[.,]\d|\s*(?:ha|héc|km)(?!\w)", text[t.end():])):  # "Kim Hoa 50 ha"
            end = t.end()
            continue
        bridge = LOWER_BRIDGE.match(text, t.start()) if i == 1 and w not in p.stopwords else None
        if bridge and w not in p.admin_levels and not p.province.match(text, bridge.end()):
            end = t.end()  # "Cảng biển Hải Hà", "Chăn nuôi Khatoco": a common noun's second syllable
            continue
        break
    numbered = re.match(r" số \d{1,2}(?![\w/]|[.,]\d)", text[end:]) if end > pos else None
    if numbered:  # "Cụm công nghiệp Vạn Hà số 2": a second cluster of the same place
        end += numbered.end()
    part = re.match(r" [-–] Khu vực [IVX\d]+(?!\w)", text[end:]) if end > pos else None
    if part:  # "Đông Bắc Sông Cầu – Khu vực I"
        return end + part.end()
    dash = re.match(r" [-–] (?=\w)", text[end:]) if end > pos else None
    if dash and not p.province.match(text, end + dash.end()) and not p.zone_phase.match(text, end + dash.end()):
        second = _zone_name(text, end + dash.end(), p)
        if second > end + dash.end():
            return second
    return end


LOWER_BRIDGE = re.compile(r"[^\W\d_A-ZĐ][^\W\d_]* (?=[A-ZĐ])")
# between listed zones: a bracketed district, an area ("Tân Ngại 21,12 ha (huyện Châu Thành), Sa Bình …")
ZONE_SEP = re.compile(rf"(?:\s+(?:(?:{_alt(ZONES.area_approximators)}) )?\d[\d.,]*\s*(?:{_alt(ZONES.area_units)}))?"
                      rf"(?:\s*\([^()]{{1,40}}\))?\s*(?:,|;|{_alt(CONJUNCTIONS)}|,\s*(?:{_alt(CONJUNCTIONS)}))\s*")
_CLAUSE_CHARS = r"(?:[^.;:()]|(?<=\d)[.](?=\d))"  # within a clause: no stop, no colon ("1.324 ha" is fine)
LIST_INTRO = re.compile(rf"{_CLAUSE_CHARS}{{0,80}}?\s(?:{_alt(GRAMMAR.list_intros)})\s*:?\s*(?=[A-ZĐ])"
                        rf"|{_CLAUSE_CHARS}{{0,80}}?:\s*(?=[A-ZĐ])")


ZONE_DISTRICT = re.compile(rf"(?:{_alt(ZONES.district_words)})\s+(?=[A-ZĐ])")


MINISTRY_UNIT_HEADS = [w for h in LOCAL.unit_heads if h.cls == "MinistryUnit" for w in h.words]
SHARED_HEAD = re.compile(rf"(?<!\w)các\s+({_alt(MINISTRY_UNIT_HEADS)})\s*:\s*")  # "các Cục: …"
SHARED_ITEM = re.compile(r"[A-ZĐ][^;:.()]{1,50}?(?=\s*(?:;|\.|$))")
ITEM_SEP = re.compile(r"\s*;\s*")


@recognizer("shared head")
def shared_heads(s: Sentence, p: Patterns) -> list[Mention]:
    """Units listed after the head they share, each known to the gazetteer: "các Cục: Hàng hải; Đường sắt"."""
    found = []
    for m in SHARED_HEAD.finditer(s.text) if "các " in s.text else ():
        item = SHARED_ITEM.match(s.text, m.end())
        while item:
            name = (known_agency(f"{m.group(1)} {item.group()}", p)
                    or known_agency(f"{m.group(1)} {item.group()} Việt Nam", p))
            if not name:
                break
            found.append(mention(s, item.start(), item.end(), "Agency", p.lex.agencies[name].cls, name, known=name))
            sep = ITEM_SEP.match(s.text, item.end())
            item = SHARED_ITEM.match(s.text, sep.end()) if sep else None
    return found


@recognizer("zone")
def zones(s: Sentence, p: Patterns) -> list[Mention]:
    """Named industrial parks and clusters, one mention per item of a list."""
    found, t = [], s.text
    for m in p.zone_head.finditer(t):
        counted = bool(re.search(r"\d\s*$", t[:m.start()]))  # "5 khu công nghiệp … là A, B và C"
        plural = counted or _generic_before(t, m.start(), p) or bool(re.match(r"\s*(?:mới\s*)?\(", t[m.end():]))
        first = _zone_list_start(t, m, plural, p)
        if first is None or re.match(rf"(?i:{_alt(PROVINCE_WORDS)})\s", t[first[0]:]):
            continue  # "các khu công nghiệp Thành phố Hồ Chí Minh": the city's parks, no name
        pos, distant = first
        names = _zone_spans(t, m, pos, plural, p)
        if distant and len(names) < 2:
            continue  # a list far from its noun must look like one
        found += _zone_mentions(s, m, names, plural, p)
    return found


def _zone_list_start(t: str, m: re.Match[str], plural: bool, p: Patterns) -> tuple[int, bool] | None:
    """Where the first name after a zone's head starts, and whether it is a list further on ("… là A, B")."""
    pos = m.end()
    lead = p.zone_list_lead.match(t[pos:]) if plural else re.match(r"\s+", t[pos:])
    if lead is None:
        return None
    distant = plural and not is_cap(t[pos + lead.end():].split(" ", 1)[0]) and LIST_INTRO.match(t, pos)
    return (distant.end(), True) if distant else (pos + lead.end(), False)


def _named_zone(m: re.Match[str]) -> bool:
    """"… Khu công nghiệp Quảng Trị thuộc …": a capitalised head inside a sentence opens a proper name."""
    return m.group()[0].isupper() and m.start() > 0


def _zone_spans(t: str, m: re.Match[str], pos: int, plural: bool, p: Patterns) -> list[tuple[int, int]]:
    """The spans of the names after a zone's head: one, or each item of a list."""
    names: list[tuple[int, int]] = []
    qualifier = None if plural else p.zone_qualifier.match(t, pos)  # "Khu công nghiệp công nghệ cao Phú Yên"
    district = None if plural else ZONE_DISTRICT.match(t[pos:])
    while True:
        end = _zone_name(t, qualifier.end() if qualifier else pos, p)
        if district and not names:  # "Cụm công nghiệp - Tiểu thủ công nghiệp huyện Mang Yang"
            end = place_name(t, pos + district.end(), 3, p)
        extension = p.zone_extension.match(t, end) if end > pos else None
        end = extension.end() if extension else end  # "Đại An mở rộng": the park's extension, a zone itself
        if end <= pos or (p.province.fullmatch(t, pos, end) and not names and not plural and not _named_zone(m)):
            break
        names.append((pos, end))
        sep = ZONE_SEP.match(t, end) if plural else None  # "Xóm Rụt (huyện Lương Sơn), Đồng Tâm I, Đồng Tâm II"
        if not sep:
            break
        pos = sep.end()
    return names


def _zone_mentions(s: Sentence, m: re.Match[str], names: list[tuple[int, int]], plural: bool,
                   p: Patterns) -> list[Mention]:
    t, found, stem = s.text, [], ""
    head = p.zone_heads.get(m.group()) or p.zone_heads[m.group().lower()]
    for i, (a, b) in enumerate(names):
        raw = t[a:b]
        if (p.province.fullmatch(raw) and len(names) == 1 and not _named_zone(m)) or raw.split()[0] in p.zone_heads:
            continue  # "khu công nghiệp (KCN)" defines an abbreviation, it names no zone
        if len(raw.split()) >= 3 and raw.isupper():
            continue  # "CỤM CÔNG NGHIỆP NHẰM ĐẨY MẠNH …": an upper-case headline, not a name
        if i and stem and re.fullmatch(r"[IVX]+|\d{1,2}", raw):  # "Đồng Văn I, II, III": the stem before
            raw = f"{stem} {raw}"
        numbered = re.fullmatch(r"(.+?\s+số|.+?)\s+(?:[IVX]+|\d{1,2})", raw)
        stem = numbered.group(1) if numbered else ""
        name = re.sub(r"(?<!số )(?<=\s)(\d)$", lambda d: ROMAN.get(d.group(1), d.group(1)), raw)
        name = re.sub(r"^(?:xã|phường)\s+", "", name)  # "Cụm CN xã Tử Du" is named after its commune
        start = m.start() if i == 0 and not plural else a
        found.append(mention(s, start, b, "IndustrialZone", head.cls, f"{head.canonical} {name}",
                             head=head.canonical, zone=name, province=_place_after(t, b, p),
                             written=raw if raw != name else ""))  # "Canh Vinh 1", keyed as "Canh Vinh I"
    return found


PLACE_LEAD = re.compile(rf"\s*(?:\(|,|-)\s*(?:(?:{_alt([*PROVINCE_WORDS, *CITY_CAPITALS])})\s*)?")


def _place_after(text: str, pos: int, p: Patterns) -> str:
    """A province written right after a name: "KCN Đình Vũ, thành phố Hải Phòng", "KCN Yên Phong (Bắc Ninh)"."""
    lead = PLACE_LEAD.match(text[pos:])
    found = province_at(text, pos + lead.end(), p) if lead else None
    return p.lex.province_surface[found.group()] if found and found.group() not in PREFIX_ONLY else ""


@recognizer("company")
def companies(s: Sentence, p: Patterns) -> list[Mention]:
    """Named enterprises and cooperatives: "Công ty TNHH X", "Tập đoàn công nghệ cao Samsung"."""
    found, t = [], s.text
    for m in p.company_head.finditer(t):
        if _generic_before(t, m.start(), p):
            continue
        head = m.group()
        pos = m.end()
        form = p.company_form.match(t, pos + 1) if t[pos:pos + 1] == " " else None
        if form:
            pos = form.end()
        name_start = _descriptive_words(t, pos) if head[0].isupper() else pos
        name_start += len(t[name_start:]) - len(t[name_start:].lstrip())
        cls = p.company_heads[head].cls
        end = _company_name(t, name_start, p)
        if t[name_start:end] == "Việt Nam" and name_start > pos + 1:
            name_start = pos + 1  # "Tập đoàn điện lực Việt Nam": the lower-case words are its name, not a description
        if " " not in t[name_start:end] and not t[name_start:end].isascii():
            # "Hợp tác xã Dịch vụ điện": a Vietnamese name of one capitalised word goes on in lower case
            # (a brand such as "Samsung" does not: "Samsung mở rộng đầu tư")
            end = max(end, descriptor(t, name_start, p, "title", 4))
        if end <= name_start:
            continue
        end = _whole_word(s, end)  # "… Năng lượng Quốc gia": "Quốc gia" is one word
        closed = ABBREVIATED.match(t, end)  # "Tập đoàn Công nghiệp - Viễn thông quân đội (Viettel)"
        if closed and not any(w in p.stopwords for w in closed.group(1).split()):
            end = closed.end(1)
        country = re.match(r" \(Việt Nam\)", t[end:])  # "Công ty TNHH Brother Industries (Việt Nam)"
        end += country.end() if country else 0
        core = t[name_start:end]
        if any(core == h or core.startswith(h + " ") for h in p.agency_heads) or p.spam.search(core):
            continue  # "Công ty … Cục": a body's name; "Công ty Cổ phần Tập đoàn N&G" is one company
        if name_start > pos + 1 and p.title.match(core):
            continue  # "Tập đoàn có Tổng Giám đốc mới": a post after a verb, not a name
        short = re.match(r"\s*\(([A-Z][\w&.-]{1,15})\)", t[end:])  # "(Vinamilk)", "(SATRA)"
        found.append(mention(s, m.start(), end, "Company", cls, core, head=head[0].upper() + head[1:],
                             form=form.group() if form else "", core=core, short=short.group(1) if short else ""))
    return found


ABBREVIATED = re.compile(r"((?:\s+[^\W\d_A-ZĐ][^\W\d_]*){1,3})\s*\([A-Z][\w&.-]{1,15}\)")


def _whole_word(s: Sentence, end: int) -> int:
    """`end`, moved to the end of the segmenter's word that it cuts ("Quốc|gia" -> "Quốc gia")."""
    for tok in s.tokens:
        if tok.start < end < tok.end and re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", tok.text):
            return tok.end
    return end


def _descriptive_words(text: str, pos: int) -> int:
    """Skip up to three lower-case words before a capitalised name ("Tập đoàn công nghệ cao Samsung")."""
    toks = words_from(text, pos)[:4]
    for k, t in enumerate(toks):
        if is_cap(t.group()):
            return t.start() if k > 0 and all(x.group().isalpha() for x in toks[:k]) else pos
        if not t.group()[0].islower():
            return pos
    return pos


def _company_name(text: str, pos: int, p: Patterns) -> int:
    """Capitalised or Latin words, joined by "-", "&" or up to two lower-case words
    ("Samsung Electronics Việt Nam - Thái Nguyên", "Điện lực miền Bắc", "GO!")."""
    toks = words_from(text, pos)
    end, i = pos, 0
    while i < len(toks) and i < 14:
        t, w = toks[i], toks[i].group()
        spaced = text[end:t.start()] == (" " if i else "")
        glued = t.start() == end and i and (w != "." or text[t.end():t.end() + 1].isalnum())  # "GO!", not "Foxconn."
        initial = i and t.start() == end and text[end - 1:end] == "." and is_cap(w)  # "R.K"
        if i > 1 and spaced and name_ahead(toks, i, p):
            break  # "Giám đốc Công ty Cổ phần May Sông Hồng Nguyễn Văn A": the holder's name
        if ((spaced or initial) and (is_cap(w) or (w.isdigit() and i))) or (w in {"!", "&", "."} and glued):
            end, i = t.end(), i + 1
        elif spaced and i and (w in {"-", "&"} or (w.isalpha() and not is_cap(w))) and w not in p.stopwords:
            # "Đầu tư hạ tầng Tân Mỹ", "Đầu tư và Phát triển": lower-case words between capitalised ones
            bridge = toks[i:i + 7]  # "Hợp tác xã Dịch vụ chế biến hải sản Phú Sáng"
            if w == "-" and i + 1 < len(toks) and toks[i + 1].group() in CREDIT_WORDS:
                break  # "… Hải Phòng - Theo báo Đầu Tư": the page's credit
            cap = next((k for k, b in enumerate(bridge) if is_cap(b.group())), None)
            inner = [b.group() for b in bridge[:cap]] if cap is not None else []
            pairs = {f"{a} {b}" for a, b in pairwise(inner)}  # "đề xuất": a stop word of two syllables
            if cap is None or any((b in p.stopwords and b not in CONJUNCTIONS) or not (b.isalpha() or b in {"-", "&"})
                                  or p.admin_levels.get(b) in {"district", "commune"} for b in inner) or (
                    pairs & p.stopwords):
                break
            end, i = bridge[cap].end(), i + cap + 1
        else:
            break
    return end


@recognizer("known company")
def known_companies(s: Sentence, p: Patterns) -> list[Mention]:
    """Groups the press names by brand alone: "Viettel", "EVN", "Vingroup" (companies.json, 'known')."""
    return [mention(s, m.start(), m.end(), "Company", "Company", p.brands[m.group()], head="", core=m.group())
            for m in p.brand.finditer(s.text)]  # `resolve` maps the brand to its group (or to a name in brackets)


LATIN_FIRM = re.compile(r"[A-Z][A-Za-z0-9&.-]*(?: [A-Z][A-Za-z0-9&.-]*){0,3}"
                        rf"(?= \([^()]{{2,20}}\)|(?=\s*(?:,|…|\.\.\.|;|\.|(?:{AND})\s|$)))")
LIST_ITEM = re.compile(rf"[^,;…]{{1,80}}?(?:\s*\([^()]{{1,20}}\))?\s*(?:,\s*(?:(?:{AND})\s+)?|\s+(?:{AND})\s+"
                       r"|(?=…|;|\.\s|\.$|$))")


@recognizer("listed company")
def listed_companies(s: Sentence, p: Patterns) -> list[Mention]:
    """Firms the press lists by brand after "doanh nghiệp lớn như": "BP (Anh), JTA (Quatar), Jinko Solar, TCL
    (Hồng Kông), Mitsubishi": each item in Latin capitals is a company (Vietnamese names need their head)."""
    found = []
    for m in p.firms_like.finditer(s.text) if "như" in s.text or "gồm" in s.text else ():
        pos = m.end()
        while item := LIST_ITEM.match(s.text, pos):
            firm = LATIN_FIRM.match(s.text, pos)
            if firm and not p.province.match(s.text, pos) and not firm.group().isdigit():
                found.append(mention(s, firm.start(), firm.end(), "Company", "Company", firm.group(), head="",
                                     core=firm.group()))
            if item.end() == pos:
                break
            pos = item.end()
    return found


@recognizer("foreign company")
def foreign_companies(s: Sentence, p: Patterns) -> list[Mention]:
    """Companies written in Latin script and closed by their legal form: "Sunrise Electronics Pte. Ltd.",
    "Orion Gas Holdings" (a Vietnamese head, "Công ty …", is read by `companies`)."""
    found = []
    for m in p.foreign_company.finditer(s.text):
        if not _generic_before(s.text, m.start(), p):
            core = m.group().rstrip(",")
            found.append(mention(s, m.start(), m.start() + len(core), "Company", "Company", core, head="",
                                 core=core))
    return found


@recognizer("user")
def user_entries(s: Sentence, p: Patterns) -> list[Mention]:
    """Entities from the user's own gazetteer (`kg build --gazetteer`), by exact name or alias."""
    if p.user is None:
        return []
    found = []
    for m in p.user.finditer(s.text):
        type_, cls, name = p.lex.extra[m.group()]
        found.append(mention(s, m.start(), m.end(), type_, cls, name, user=True))
    return found


@recognizer("role")
def roles(s: Sentence, p: Patterns) -> list[Mention]:
    """Posts ("Bộ trưởng", "Phó Chủ tịch"): not entities, but what memberships hang on."""
    aliases = p.lex.kb.titles.title_aliases
    return [mention(s, m.start(), m.end(), "Role", "Role",
                    aliases.get(m.group()) or p.title_names.get(m.group().lower(), m.group()))  # one name a post
            for m in p.title.finditer(s.text)]


CAP_RUN = re.compile(rf"{CAP_WORD}(?:\s{CAP_WORD})+")
PLACE_WORDS = re.compile(rf"(?:{ADMIN}|số \d+\w*|{_alt(GRAMMAR.place_words)})\s*$")


LISTED_BEFORE = re.compile(rf"{CAP_WORD}(?:\s{CAP_WORD}){{2,3}}\s*(?:,|,?\s+(?:{_alt(CONJUNCTIONS)}))\s*$")
LIST_NEXT = re.compile(rf"\s*(?:,|{_alt(CONJUNCTIONS)}|;|\.|$)")
# "ông Vương Quốc Tuấn": an address before a name makes it a person's (relations.json)
ADDRESSED = re.compile(rf"(?<!\w)(?:{_alt(_either_case(knowledge().relations.gendered_addresses))})\s+$")


def places_in(run: re.Match[str], places: list[tuple[int, int]]) -> bool:
    return any(run.start() <= a < run.end() for a, _ in places)


@recognizer("person")
def persons(s: Sentence, p: Patterns) -> list[Mention]:
    """Personal names: a surname and 1–3 more capitalised syllables.

    A name with a common surname and three or more syllables stands alone;
    a shorter one, or one whose surname is also an ordinary word ("Hà",
    "Công"), needs a title or honorific before it, or a dash and a post
    after it, or to be one word for underthesea's segmenter.
    """
    found, t = [], s.text
    token_spans = {(k.start, k.end) for k in s.tokens}
    places = [(m.start(), m.end()) for m in p.province.finditer(t) if m.group() not in PREFIX_ONLY]
    for run in CAP_RUN.finditer(t):
        i = _surname_at(run, places, p)
        if i is None:
            continue
        sylls = list(re.finditer(r"\S+", run.group()))
        word, n = sylls[i].group(), len(sylls) - i
        start, end = run.start() + sylls[i].start(), run.end()
        if len(sylls) - i >= 3 and p.title.match(t, run.start() + sylls[-1].start()):
            end = run.start() + sylls[-2].end()  # "Phạm Văn Thiều Chủ tịch …": the title is no part of the name
            n -= 1
        strong = n >= 3 and (word in p.surnames or (start, end) in token_spans or sylls[i + 1].group() == "Thị")
        if _reads_as_person(t, start, end, strong, n == 2 and word in p.surnames, p):
            found.append(mention(s, start, end, "Person", "Person", t[start:end]))
    return found


def _surname_at(run: re.Match[str], places: list[tuple[int, int]], p: Patterns) -> int | None:
    """The syllable of a capitalised run that opens a name (a surname followed by one to three syllables)."""
    words = list(re.finditer(r"\S+", run.group()))
    last = len(words)
    free = [(k, x.group()) for k, x in enumerate(words)
            if not any(a <= run.start() + x.start() < b for a, b in places)]
    spots = [k for k, w in free if w in p.surnames and 2 <= last - k <= 4]
    spots += [k for k, w in free if w in p.weak_surnames and 2 <= last - k <= 4]
    # "Phương Thị Thanh": the word before "Thị" is a family name, whichever it is
    spots += [k - 1 for k, w in free if w == "Thị" and k >= 1 and 2 <= last - k + 1 <= 4]
    if not spots:
        return None
    if spots[0] == 1 and words[0].group() in p.weak_surnames and last <= 4 and not places_in(run, places):
        return 0  # "Châu Ngô Anh Nhân": a second family name before the first
    return spots[0]


def _reads_as_person(t: str, start: int, end: int, strong: bool, short: bool, p: Patterns) -> bool:
    """A name stands alone when `strong`; otherwise a title, or (`short`, two syllables) a list of names,
    says it is a person's."""
    if p.not_names.match(t, start, end) and not ADDRESSED.search(t[:start]):
        return False  # "Hàn Quốc", "ngành Công Thương" (but "ông Vương Quốc Tuấn", "Phùng Thị Kim Nga")
    window = max(0, start - 120)
    titled = bool(p.honorific.search(t, window, start) or p.title_before.search(t, window, start)
                  or p.title_after.match(t, end))
    if (PLACE_WORDS.search(t, window, start) or NOT_VIETNAMESE.search(t, start, end)) and not titled:
        return False  # "đường Lê Lợi"; "Hoàng Huy Mall", a shopping centre: no Vietnamese syllable ends in "ll"
    # "…, Nguyễn Quốc Trị, Hoàng Trung, Võ Văn Hưng": a short name between names of a list
    listed = (short and bool(LISTED_BEFORE.search(t, window, start))
              and bool(LIST_NEXT.match(t[end:])))
    return titled or strong or listed


NOT_VIETNAMESE = re.compile(r"(?i)\b\w*(?:[fjwz]\w*|(?:ll|ss|tt|ff|ck))\b")  # letters or endings Vietnamese lacks
CREDIT_OPENING = re.compile(rf"\s*(?:{_alt(TITLES.credit_sources)})\s")
CREDIT_WORDS = frozenset({*TITLES.credit_sources, *TITLES.credit_photos})  # "Theo", "Ảnh"


def byline(s: Sentence, p: Patterns) -> list[Mention]:
    """The author's name alone on the last line of an article, or with its credit: "Hoàng Lâm (thực hiện)"."""
    if CREDIT_OPENING.match(s.text):
        return []  # "Theo TN": the source a page credits, not its writer
    credits = _alt(p.lex.kb.titles.byline_credits)
    text = re.sub(rf"\s*\((?:{credits})\)$", "", s.text.strip()) if credits else s.text.strip()
    prefixes = _alt(p.lex.kb.titles.byline_prefixes)
    text = re.sub(rf"^(?:{prefixes})\s*:\s*", "", text)  # "Tin, ảnh: Lê Dung"
    out = []
    for part in re.finditer(r"[^,–-]+", text):  # "Hữu Đại – Xuân Trường": two writers
        name = part.group().strip()
        if (re.fullmatch(rf"(?:{CAP_WORD}\s){{1,3}}{CAP_WORD}", name) and len(name) <= 40
                and not p.province.fullmatch(name) and not p.agency.search(name) and not p.spam.search(name)):
            start = s.text.index(text) + part.start() + part.group().index(name)
            out.append(mention(s, start, start + len(name), "Person", "Person", name, byline=True))
        else:
            return []
    return out


# --------------------------------------------------------------------- selection


def select(candidates: list[Mention], spam: list[tuple[int, int]]) -> list[Mention]:
    """Keep the longest non-overlapping candidates; nested provinces survive."""
    def overlaps(a: Mention, b: tuple[int, int]) -> bool:
        return a.start < b[1] and b[0] < a.end

    order = sorted(candidates, key=lambda m: (-(m.end - m.start), RANK[m.type], m.start))
    kept: list[Mention] = []
    for c in order:
        if any(overlaps(c, span) for span in spam):
            continue
        clash = [k for k in kept if overlaps(c, (k.start, k.end))]
        if not clash:
            kept.append(c)
        elif c.type == "Province" and all(k.type in CONTAINERS and k.start <= c.start and c.end <= k.end
                                          for k in clash):
            kept.append(evolve(c, nested=True))
    return sorted(kept, key=lambda m: (m.start, m.end))


def _trim_roles(candidates: list[Mention], s: Sentence, p: Patterns) -> list[Mention]:
    """Settle a title that overlaps an agency's name.

    "Phó Thủ tướng Chính phủ Trần Hồng Hà": the agency gives up the title's
    words when the rest is an agency ("Chính phủ") and a name follows;
    "Trưởng Ban Quản lý …": the title gives up the word that opens the
    agency's name and keeps its own name ("Trưởng ban").
    """
    roles = [c for c in candidates if c.type == "Role"]
    out = []
    for c in candidates:
        if c.type == "Agency":
            role = next((r for r in roles if r.start <= c.start < r.end < c.end), None)
            rest = s.text[role.end:c.end].strip() if role else ""
            if role and rest in p.lex.agency_surface and re.match(rf"\s+{CAP_WORD}", s.text[c.end:]):
                name = p.lex.agency_surface[rest]
                c = mention(s, c.end - len(rest), c.end, "Agency", p.lex.agencies[name].cls, name, known=name)
        elif c.type == "Role":
            inner = [a for a in candidates if a.type == "Agency" and c.start < a.start < c.end < a.end
                     and s.text[c.end:a.end].strip() not in p.lex.agency_surface]
            if inner:
                start = inner[0].start
                c = replace(c, end=start - 1, text=c.text[:start - 1 - c.start], name=c.name[0] + c.name[1:].lower())
        out.append(c)
    return out


CREDIT_LINE = re.compile(rf"(?:{_alt(TITLES.credit_sources)})\s*:?\s*(?:(?:{_alt(TITLES.credit_papers)})\s+)?"
                         r"(?:[A-ZĐ][^\W_]*[\s.]*){1,6}")


def _own_paragraph(sentences: list[Sentence], i: int) -> bool:
    """Sentence `i` is a whole paragraph, with more text after it."""
    return (0 < i < len(sentences) - 1 and sentences[i - 1].paragraph != sentences[i].paragraph
            != sentences[i + 1].paragraph)


def recognize(sentences: list[Sentence], lex: Lexicon | None = None) -> list[Mention]:
    """All mentions of a document's sentences, in reading order."""
    p = patterns(lex or lexicon())
    mentions: list[Mention] = []
    for i, s in enumerate(sentences):
        if i == len(sentences) - 1 and i > 0 and CREDIT_LINE.fullmatch(s.text.strip()):
            continue  # "Theo Sài Gòn Giải Phóng": the paper a page credits names no province
        candidates = _trim_roles([m for fn in RECOGNIZERS.values() for m in fn(s, p)], s, p)
        if (i == len(sentences) - 1 and i > 0) or (i == 1 and _own_paragraph(sentences, 1)):
            candidates += byline(s, p)  # the writer's name closes an article or stands under its title
        lower = s.text.lower()
        suspicious = p.spam_anchors.search(lower)
        spam = [(m.start(), m.end()) for m in p.spam.finditer(s.text)] if suspicious else []
        mentions += select(candidates, spam)
    extra = _defined_abbreviations(sentences, mentions)
    return sorted(mentions + extra, key=lambda m: (m.sentence, m.start)) if extra else mentions


DEFINED = re.compile(r"\s*\(([A-ZĐ][A-ZĐ&]{2,7})\)")


def _defined_abbreviations(sentences: list[Sentence], mentions: list[Mention]) -> list[Mention]:
    """A body's initials the article defines and then uses alone: "Ban quản lý các khu chế xuất, khu công
    nghiệp Tp. Hồ Chí Minh (HEPZA) … Phó Trưởng ban HEPZA" (`resolve` gives them the body's key)."""
    defined = {}
    for m in mentions:
        d = DEFINED.match(sentences[m.sentence].text, m.end) if m.type == "Agency" and "known" not in m.attrs else None
        if d and d.group(1) not in defined:
            defined[d.group(1)] = (m.sentence, m.start, m.cls)
            m.attrs["defines"] = d.group(1)
    if not defined:
        return []
    taken = {(m.sentence, m.start) for m in mentions}
    pattern = re.compile(rf"(?<![\w(])({_alt(defined)})(?![\w)])")
    found = []
    for s in sentences:
        for x in pattern.finditer(s.text):
            sentence, start, cls = defined[x.group()]
            if (s.index, x.start()) not in taken and (s.index, x.start()) > (sentence, start):
                found.append(mention(s, x.start(), x.end(), "Agency", cls, x.group(), abbreviation=x.group()))
    return found
