"""Relation rules: link resolved entities with the contract's properties.

Each rule is registered by name, reads one document's keyed mentions and
entities, and returns `Relation`s with the sentence they rest on. Rules
may add entities the text implies but does not name (the issuer "Chính phủ"
of a "…/NĐ-CP" decree, the ministry of a known unit).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, reduce
from itertools import pairwise
from typing import NamedTuple

from .gazetteer import Lexicon, lexicon
from .gazetteer import one_of as _any
from .knowledge import knowledge
from .model import Entity, Mention, Relation, Sentence
from .recognize import DATED
from .registry import Registry
from .resolve import entity_key, province_phrase, sentence_province
from .tenure import day_of, post_ended

SUB_ORGANIZATION = "org:subOrganizationOf"
MEMBER_OF = "org:memberOf"
PASSED_BY = "eli:passed_by"
CONTAINED_IN = "schema:containedInPlace"
AREA_SERVED = "schema:areaServed"
AMENDS = "eli:amends"
BASED_ON = "eli:based_on"
REPEALS = "eli:repeals"
REPLACES = "kg:replaces"
IMPLEMENTS = "kg:implements"


# The rules' classes and words live in data/relations.json, read here only; the patterns below put
# spacing and punctuation around its words, so they match as the text writes them.
_W = knowledge().relations


def _cased(words: Sequence[str], spaced: bool = False) -> str:
    """Alternatives whose first letter may be in either case ("[Pp]hó"); if `spaced`, any spacing between words."""
    def one(w: str) -> str:
        rest = r"\s+".join(map(re.escape, w[1:].split(" "))) if spaced else re.escape(w[1:])
        return f"[{w[0].upper()}{w[0]}]{rest}"
    return "|".join(map(one, words))


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


def _capitals(words: Sequence[str]) -> list[str]:
    return [_capital(w) for w in words]


UNIT_CLASSES = set(_W.unit_classes)
PARENT_CLASSES = set(_W.parent_classes)
EXPLICIT_PARENT_CLASSES = set(_W.explicit_parent_classes)  # a parent only where "thuộc" or a bracket says so
NESTED_UNITS = {tuple(pair) for pair in _W.nested_units}  # (unit, the unit it may sit in): "Đội …, Chi cục"
STATED_PARENT_CLASSES = set(_W.stated_parent_classes)  # their name says whose unit they are
LISTING_PARENT_CLASSES = set(_W.listing_parent_classes)  # "các đơn vị thuộc Bộ: A; B"
BOARD_CLASSES = set(_W.board_classes)
PARTY_COMMITTEES: dict[str, str] = _W.party_committees  # a province's kind -> its Party committee's name
COMMITTEE_MEMBER_ISSUER: str = _W.committee_member_issuer  # the body of a "Tỉnh ủy viên"

# Issuer, sub-organization, membership and board phrases, built from the lists' words.
_ADDRESS, _COPULA = _any(_W.addresses), _any(_W.copulas)
_CONJ, _POST_CONJ, _UNDER = _any(_W.conjunctions), _any(_W.post_conjunctions), _any(_W.under_words)
_TERM = rf",?\s*(?:{_any(_W.term_words)})\s+\d{{4}}\s*[-–]\s*\d{{4}}\s*,?"  # ", nhiệm kỳ 2016-2021,"
DOC_DATE = rf"(?:\s*,?\s*(?:{_any(_W.date_lead)})\s+[\d/ -]+(?:{_any(_W.date_parts)}|\d|\s)*)?"
ISSUER_GAP = re.compile(DOC_DATE + rf"\s*(?:{_any(_W.issuer_links)})\s*")  # "… ngày 12/3/2024 của"
COORDINATED = re.compile(DOC_DATE + rf"\s*(?:,\s*(?:{_CONJ})|,|{_CONJ})\s*")

_QUALIFIED = reduce(lambda inner, q: rf"(?:\s+{re.escape(q)}{inner})?", reversed(_W.unit_qualifiers), "")
UNIT_WORD = rf"(?:(?:{_COPULA})\s+)?(?:{_any(_W.unit_words)}){_QUALIFIED}\s+"  # "(đơn vị sự nghiệp trực thuộc"
UNDER = re.compile(rf"\s*(?:\(\s*(?:{UNIT_WORD})?(?:{_UNDER})?|(?:[-–,]\s*)?(?:{UNIT_WORD})?(?:{_UNDER}))\s*")
LOOSE = re.compile(r"\s*(?:-|–|,)?\s*")  # "X - Bộ Y", "X, Bộ Y", "X Bộ Y"
UNDER_END = re.compile(rf"(?:{_UNDER})\s*$")  # "các đơn vị thuộc" before a ministry and its list
UNIT_LIST = re.compile(rf"\s+(?:{_any(_W.list_verbs)})\s+(?:\d+\s+)?(?:{_any(_W.unit_list_nouns)})?"
                       r"[^:;.]{0,30}:\s*")

POST_JOIN = re.compile(rf"\s*(?:,|{_POST_CONJ}|,\s*(?:{_POST_CONJ}))?\s*(?:(?:{_any(_W.post_prefixes)})\s+)?",
                       re.UNICODE)
BEFORE_NAME = re.compile(rf"\s*(?:{_TERM})?"  # "… nhiệm kỳ 2011-2016 đối với ông"
                         rf"\s*(?:{_any(_W.to_person)})\s+(?:{_ADDRESS})\s*")
AFTER_NAME = re.compile(rf"\s*(?:-|–|,|\(|{_COPULA})\s*")
# "ông A, nguyên Bí thư Huyện ủy X", "ông B- nguyên Giám đốc Sở Y", "ông C (nguyên Bí thư Tỉnh ủy Z)"
FORMER = re.compile(rf"\s*(?:,|-|–|\()\s*(?:{_any(knowledge().posts.former_words)})\s+")
IN_PLACE_OF = re.compile(rf"(?:{_any(knowledge().posts.replace_words)})\s+(?:{_ADDRESS})\s*$")  # "…, thay cho ông"
BARE_ROLES = re.compile(rf"\s*(?:-|–|,|\()\s*(?:\x00\s*(?:,|{_CONJ})\s*)+")
RANK = re.compile(rf"^(?:{_any(_W.rank_prefixes)})\s+")  # "phó chủ tịch" is a "chủ tịch"
_SERVE = _any(_W.serve_verbs)
SERVES = re.compile(rf"(?:[\s,\x00]|{_POST_CONJ})*(?:{_SERVE})\s+")  # "<person> làm <role>"
DO_LINK = rf"\s*,?\s*(?:{_any(_W.head_links)})\s+"  # "<body>, do <person>"
CAREER = re.compile(rf"(?:(?:{_any(_W.career_verbs)})\s+(?:(?:{_any(_W.career_holds)})\s+)?"
                    rf"(?:{_any(_W.career_many)})\s+(?:{_any(_W.career_posts)})"
                    rf"|(?<!\w)(?:{_cased(_W.gendered_addresses)})\s+(?:(?:{_any(_W.career_adverbs)})\s+)*"
                    rf"(?:{_any(_W.career_copulas)}))\s*:?\s*")
ADDRESSED = re.compile(rf"\s*(?:{_cased(_W.gendered_addresses)})\b")
LIST_LEAD = re.compile(rf"\s*(?:{_TERM}\s*)?"  # "… nhiệm kỳ 2016-2021, đối với"
                       rf"(?:(?:{_any(_W.list_leads)})\s+)?(?:(?:{_any(_W.list_counts)})\s+)?"
                       rf"(?:(?:{_any([*_W.addresses, *_capitals(_W.addresses)])})"
                       rf"(?:\s*,\s*(?:{_any(_W.gendered_addresses)}))?\s*)?:?\s*")
LIST_NEXT = re.compile(rf"\s*(?:,|{_CONJ}|,\s*(?:{_CONJ}))\s*(?:(?:{_ADDRESS})\s+)?")

_DEPUTY, _HEAD, _NOUN = _W.deputy_prefixes, _W.board_head, _W.board_noun
BOARD_HEAD = _capital(_HEAD)  # "Trưởng [Ban …]"
BOARD_LEAD = re.compile(rf"\s*((?:(?:{_any(_capitals(_DEPUTY))})\s+)?{re.escape(BOARD_HEAD)}"
                        rf"|(?:{_any(_capitals(_W.board_lead_members))})(?:\s+(?:{_cased(_W.standing)}))?)"
                        rf"\s+(?={re.escape(_capital(_NOUN))}\b)")
BOARD_LIST = re.compile(rf"\s*(?:(?:{_any(_W.board_list_adverbs)})\s+)?(?:{_any(_W.board_list_verbs)})\s*:?\s*")
BOARD_PLACE = re.compile(rf"\s*(?:{_SERVE})\s+((?:(?:{_cased(_DEPUTY, True)})\s+)?{_cased([f'{_HEAD} {_NOUN}'], True)}"
                         rf"|{_cased(_W.board_members, True)})(?:\s+(?:{_any(_W.standing)}))?\s*(?:[.;]|$)")
DEPUTY_HEAD = re.compile(rf"^((?:{_any(_capitals(_DEPUTY))}) ){re.escape(_HEAD)}")  # "Phó trưởng ban" -> "Phó Trưởng"


@dataclass
class Doc:
    """One document's keyed mentions and entities, as the rules see them.

    The mentions come in reading order (sentence by sentence, as `recognize` gives them); what the rules
    look up across the document (a sentence's mentions, where a key is first named, the last person
    before a sentence) is indexed once here, so a rule's work grows with the article, not its square.
    """

    sentences: list[Sentence]
    mentions: list[Mention]
    entities: dict[str, Entity]
    province: str
    lex: Lexicon
    index: _Index = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = _Index.of(self.mentions)

    def first_sentence(self, key: str) -> int:
        return self.index.first.get(key, 0)

    def known_agency(self, name: str) -> str:
        """Key of a gazetteer agency, adding its entity if the text only implies it."""
        a = self.lex.agencies[name]
        key = entity_key("Agency", a.name)
        if key not in self.entities:
            self.entities[key] = Entity(key, "Agency", a.cls, a.name, set(a.aliases))
        return key

    def top_level(self, sentence: int) -> list[Mention]:
        return list(self.index.top.get(sentence, ()))

    def in_sentence(self, sentence: int) -> list[Mention]:
        """Every mention of one sentence, nested ones too, in reading order."""
        return self.index.every.get(sentence, [])

    def last_person_before(self, sentence: int) -> Mention | None:
        """The last person named in a sentence before this one."""
        persons, at = self.index.persons, bisect_left(self.index.person_sentences, sentence) - 1
        return persons[at] if at >= 0 else None


@dataclass
class _Index:
    """A document's mentions looked up by sentence and by key, built in one pass."""

    top: dict[int, list[Mention]]  # sentence -> its top-level mentions
    every: dict[int, list[Mention]]  # sentence -> all its mentions
    first: dict[str, int]  # key -> the sentence it is first named in
    persons: list[Mention]
    person_sentences: list[int]  # the sentence of each person, in reading order (non-decreasing)
    dominant: dict[str, str] = field(default_factory=dict)  # head word -> `_dominant`'s answer

    @classmethod
    def of(cls, mentions: list[Mention]) -> _Index:
        top: dict[int, list[Mention]] = {}
        every: dict[int, list[Mention]] = {}
        first: dict[str, int] = {}
        for m in mentions:
            every.setdefault(m.sentence, []).append(m)
            first.setdefault(m.key, m.sentence)
            if not m.nested:
                top.setdefault(m.sentence, []).append(m)
        persons = [m for m in mentions if m.type == "Person"]
        return cls(top, every, first, persons, [m.sentence for m in persons])


Rule = Callable[[Doc], list[Relation]]
RULES: Registry[Rule] = Registry("relation rule")
rule = RULES.register  # every rule runs on every document, in this order


def _rel(doc: Doc, s: str, p: str, o: str, sentence: int, role: str = "") -> Relation:
    return Relation(s, p, o, doc.mentions[0].doc_id if doc.mentions else "", sentence, role)


@rule("area-served")
def area_served(doc: Doc) -> list[Relation]:
    """A provincial body serves its province ("Sở Công Thương Thái Nguyên")."""
    out = []
    for key, e in doc.entities.items():
        if e.type == "Agency" and e.attrs.get("level") == "province" and e.attrs.get("province"):
            province = entity_key("Province", e.attrs["province"])
            if province in doc.entities:
                out.append(_rel(doc, key, AREA_SERVED, province, doc.first_sentence(key)))
    return out


@rule("contained-in")
def contained_in(doc: Doc) -> list[Relation]:
    """A zone lies in the province named with it, or else the article's province."""
    out = []
    for key, e in list(doc.entities.items()):  # _ensure_province adds provinces as it goes
        if e.type == "IndustrialZone" and e.attrs.get("province"):
            province = entity_key("Province", e.attrs["province"])
            _ensure_province(doc, e.attrs["province"])
            out.append(_rel(doc, key, CONTAINED_IN, province, doc.first_sentence(key)))
    return out


def _ensure_province(doc: Doc, name: str) -> str:
    key = entity_key("Province", name)
    if key not in doc.entities and name in doc.lex.provinces:
        p = doc.lex.provinces[name]
        doc.entities[key] = Entity(key, "Province", "Province", p.name, set(p.aliases))
    return key


@rule("issuer")
def issuer(doc: Doc) -> list[Relation]:
    """Who passed a legal document: "của <agency>" after it, else its number's suffix.

    The text outranks the suffix when they name the same kind of body: "-NQ/TW" is shared by
    the Party Central Committee, the Politburo and the Secretariat, and "-QĐ-UBND" by every
    province's committee, so "của Bộ Chính trị" / "của UBND tỉnh X" says which one. A body of
    another kind after "của" (a Sở after a "-QĐ-TTg" decision) is whose implementation it is.
    """
    out = []
    for m in doc.mentions:
        if m.type != "LegalDocument":
            continue
        stated = _stated_issuer(doc, m)
        suffix = _suffix_issuers(doc, m)
        if stated and (not suffix or doc.entities[stated].cls in {cls for cls, _ in suffix}):
            issuers = [stated]
        else:
            issuers = _number_issuers(doc, suffix)
        out += [_rel(doc, m.key, PASSED_BY, k, m.sentence) for k in issuers if k]
    return out


def _suffix_issuers(doc: Doc, m: Mention) -> list[tuple[str, str]]:
    """(class, code) of each body the number's suffix names ("…/NĐ-CP": Chính phủ), without adding it."""
    local = doc.lex.kb.legal_kinds.local_issuers
    found = []
    for code in m.attrs.get("issuers", "").split():
        if code in doc.lex.issuer_codes:
            found.append((doc.lex.agencies[doc.lex.issuer_codes[code]].cls, code))
        elif code in local and doc.province:
            found.append((local[code], code))
    return found


def _number_issuers(doc: Doc, suffix: list[tuple[str, str]]) -> list[str]:
    """The bodies the suffix names, added to the graph."""
    return [doc.known_agency(doc.lex.issuer_codes[code]) if code in doc.lex.issuer_codes
            else _local_issuer(doc, code) for _, code in suffix]


def _stated_issuer(doc: Doc, m: Mention) -> str | None:
    """The agency in "<document> [ngày …] của|do <agency>", if the text names one."""
    after = [x for x in doc.top_level(m.sentence) if x.start >= m.end]
    if not after or after[0].type != "Agency" or after[0].key not in doc.entities:
        return None
    gap = doc.sentences[m.sentence].text[m.end:after[0].start]
    return after[0].key if ISSUER_GAP.fullmatch(gap) else None


def _local_issuer(doc: Doc, code: str, province: str = "") -> str:
    """"…/QĐ-UBND": the People's Committee of the province in context."""
    cls = doc.lex.kb.legal_kinds.local_issuers[code]
    province = province or doc.province
    phrase = province_phrase(doc.lex, province)
    heads = {c.cls: c.canonical for c in doc.lex.kb.local_agencies.councils}
    head = heads.get(cls)  # the names of councils live in local_agencies.json
    name = (f"{PARTY_COMMITTEES[doc.lex.provinces[province].kind]} {province}" if head is None
            else f"{head} {phrase}")
    key = entity_key("Agency", name)
    if key not in doc.entities:
        doc.entities[key] = Entity(key, "Agency", cls, name, set(), {"province": province, "level": "province"})
    return key


@rule("sub-organization")
def sub_organization(doc: Doc) -> list[Relation]:
    """Units inside their parent: a known unit's ministry, "X - Bộ Y", "các đơn vị thuộc Bộ: A; B"."""
    out = _known_parents(doc)
    out += _units_of_the_one_ministry(doc, {r.subject for r in out})
    for s in doc.sentences:
        top = doc.top_level(s.index)
        pairs = (_next_to_parent(s, top) + _ministry_lists(s, top) + _moved_under(s, top, _grammar(doc.lex))
                 + _listed_units(s, top))
        out += [_rel(doc, unit.key, SUB_ORGANIZATION, parent.key, s.index) for unit, parent in pairs]
    return out


def _known_parents(doc: Doc) -> list[Relation]:
    """A unit's parent from the gazetteer or its name, where the article names that parent."""
    out = []
    for m in doc.mentions:
        if m.type != "Agency":
            continue
        e = doc.entities.get(m.key)
        parent = e.attrs.get("parent") if e else None
        known = doc.lex.agencies.get(e.label) if e else None
        stated = bool(known and known.parent and known.user)  # the user's gazetteer says so, for any class
        if known and known.parent and (stated or known.cls in STATED_PARENT_CLASSES):
            parent = known.parent
        if (parent and not stated and not _named(doc, parent) and parent not in m.text
                and not (e and e.attrs.get("parent"))):
            parent = None  # a parent the gazetteer knows but the article never names ("… của Quốc hội" names it)
        if parent:
            out.append(_rel(doc, m.key, SUB_ORGANIZATION, doc.known_agency(parent), m.sentence))
        elif e and e.attrs.get("parent_key") in doc.entities:  # a board inside the committee it is named after
            out.append(_rel(doc, m.key, SUB_ORGANIZATION, e.attrs["parent_key"], m.sentence))
    return out


CENTRAL_CLASSES = frozenset({"Ministry", "CentralAgency", "PartyBody", "ParliamentaryBody"})


def _units_of_the_one_ministry(doc: Doc, placed: set[str]) -> list[Relation]:
    """Unknown "Vụ …" units of an article that names one ministry and no other central body with units (nor a
    "Tổng cục", which has its own)."""
    holders = tuple(f"{h} " for h in _W.unit_holding_heads)  # "Tổng cục Năng lượng" has its own "Vụ"
    central = {m.key for m in doc.mentions if m.type == "Agency" and m.key in doc.entities
               and (doc.entities[m.key].cls in CENTRAL_CLASSES or doc.entities[m.key].label.startswith(holders))
               and doc.entities[m.key].label not in _W.no_unit_bodies}
    if len(central) != 1 or doc.entities[ministry := next(iter(central))].cls != "Ministry":
        return []
    heads = tuple(f"{h} " for h in _W.ministry_only_heads)
    units = {m.key: m.sentence for m in doc.mentions if m.type == "Agency" and m.key in doc.entities
             and m.key not in placed and doc.entities[m.key].cls == "MinistryUnit"
             and doc.entities[m.key].label.startswith(heads) and not doc.entities[m.key].attrs.get("parent")}
    return [_rel(doc, key, SUB_ORGANIZATION, ministry, sentence) for key, sentence in units.items()]


def _next_to_parent(s: Sentence, top: list[Mention]) -> list[tuple[Mention, Mention]]:
    """(unit, parent) of a unit right before its parent: "X (Y)", "X (đơn vị trực thuộc Y)", "X - Bộ Y"."""
    return [(a, b) for a, b in pairwise(top) if a.type == b.type == "Agency" and a.cls in UNIT_CLASSES
            and a.key != b.key and _may_hold(a, b, s.text[a.end:b.start])]


def _may_hold(unit: Mention, parent: Mention, gap: str) -> bool:
    """Whether the text between a unit and a body puts the unit inside it."""
    explicit = bool(UNDER.fullmatch(gap))  # "X (Y)", "X (đơn vị trực thuộc Y)", "X - cơ quan trực thuộc Y"
    stated = explicit or bool(LOOSE.fullmatch(gap))
    return ((parent.cls in PARENT_CLASSES and stated) or (parent.cls in EXPLICIT_PARENT_CLASSES and explicit)
            or ((unit.cls, parent.cls) in NESTED_UNITS and stated))


def _ministry_lists(s: Sentence, top: list[Mention]) -> list[tuple[Mention, Mention]]:
    """(unit, ministry) from "các đơn vị thuộc Bộ X: A; B; C"."""
    found = []
    for i, m in enumerate(top):
        if (m.type == "Agency" and m.cls in LISTING_PARENT_CLASSES and UNDER_END.search(s.text[:m.start])
                and re.match(r"\s*:", s.text[m.end:])):
            found += [(x, m) for x in top[i + 1:] if x.type == "Agency" and x.cls in UNIT_CLASSES and x.key != m.key]
    return found


def _listed_units(s: Sentence, top: list[Mention]) -> list[tuple[Mention, Mention]]:
    """(unit, parent) from a body's list of its units: "Tổng cục Năng lượng gồm 14 đơn vị: Văn phòng; Vụ A; Vụ B"."""
    found = []
    for i, parent in enumerate(top):
        lead = UNIT_LIST.match(s.text, parent.end) if parent.type == "Agency" else None
        if not lead:
            continue
        edge = lead.end()
        for unit in top[i + 1:]:
            if unit.type != "Agency" or not re.fullmatch(r"[^.:()]{0,40}", s.text[edge:unit.start]):
                break
            if unit.cls in UNIT_CLASSES and unit.key != parent.key:
                found.append((unit, parent))
            edge = unit.end
    return found


def _named(doc: Doc, name: str) -> bool:
    return entity_key("Agency", name) in doc.index.first


class _Grammar(NamedTuple):
    """The phrases of appointments and reorganisations (titles.json), compiled once per lexicon."""

    appointed: re.Pattern[str]
    moved_under: re.Pattern[str]
    renamed: re.Pattern[str]
    do_filler: re.Pattern[str]  # between a body and its head: ", do ông"
    titles: tuple[str, ...]  # every post, in lower case
    appoints: re.Pattern[str]  # `appointed` anywhere in a text, not only at the end of a gap


@cache
def _grammar(lex: Lexicon) -> _Grammar:
    t = lex.kb.titles
    honorifics = "|".join(map(re.escape, t.honorifics))
    return _Grammar(re.compile(t.appointed), re.compile(t.moved_under), re.compile(t.renamed),
                    re.compile(rf"{DO_LINK}(?:(?:{honorifics}|,|{_POST_CONJ}|\x00)\s*)*"),
                    tuple(x.lower() for x in t.titles), re.compile(t.appointed.removesuffix(r"\s*$")))


def _moved_under(s: Sentence, top: list[Mention], g: _Grammar) -> list[tuple[Mention, Mention]]:
    """(unit, parent) from "A (được) chuyển về (trực thuộc) B", the 2025 reorganisations' phrase.

    "… và đổi tên thành C" after it puts C, the unit's new name, inside B instead of A.
    """
    found = []
    for i, (a, b) in enumerate(pairwise(top)):
        if not (a.type == b.type == "Agency" and a.cls in UNIT_CLASSES and b.cls in PARENT_CLASSES
                and g.moved_under.fullmatch(s.text[a.end:b.start])):
            continue
        c = top[i + 2] if i + 2 < len(top) else None
        renamed = c is not None and c.type == "Agency" and g.renamed.fullmatch(s.text[b.end:c.start])
        unit = c if renamed and c.cls in UNIT_CLASSES else a
        if unit.key != b.key:
            found.append((unit, b))
    return found


Post = tuple[int, int, Mention, Mention]  # start, end, role, agency


def _replaced(s: Sentence, items: list[Mention], held: list[tuple[Mention, Mention, Mention]]
              ) -> list[tuple[Mention, Mention, Mention]]:
    """The post the sentence gives, ended for the person it names as replaced ("… giữ chức Giám đốc Sở Công Thương,
    thay cho ông B", "bà A sẽ thay ông B đảm nhiệm chức Chủ tịch HĐQT FPT"): only where the sentence gives one
    post and no other role stands between that post and the replaced name, so whose post it was is sure."""
    if len(held) != 1:
        return []
    holder, role, body = held[0]
    roles = [m for m in items if m.type == "Role" and m is not role]
    out = []
    for x in (m for m in items if m.type == "Person" and m.key != holder.key):
        phrase = IN_PLACE_OF.search(s.text, 0, x.start)
        if phrase is None:
            continue
        gap = (role.end, phrase.start()) if role.end <= phrase.start() else (x.end, role.start)
        if gap[0] <= gap[1] and not any(gap[0] <= r.start < gap[1] for r in roles):
            out.append((x, role, body))
    return out


@rule("membership")
def membership(doc: Doc) -> list[Relation]:
    """A person's posts, before the name ("Bộ trưởng Bộ Công Thương Nguyễn Hồng Diên") or after it
    ("ông Trịnh Việt Hùng - Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"): one Membership per post; and the
    head a body is given ("Ban Chỉ đạo … do Chủ tịch UBND tỉnh Nguyễn Văn A làm Trưởng ban")."""
    out = []
    for s in doc.sentences:
        items = doc.top_level(s.index)
        posts: list[Post] = [(a.start, b.end, a, b) for a, b in pairwise(items)
                             if a.type == "Role" and b.type == "Agency" and not s.text[a.end:b.start].strip()]
        posts = sorted(posts + _implied_posts(doc, items, posts), key=lambda p: p[0])
        persons = [m for m in items if m.type == "Person"]
        claimed: set[int] = set()
        found = _posts_before_names(s, persons, posts, claimed)
        found += _posts_after_names(s, persons, posts, claimed, _grammar(doc.lex),
                                    [m for m in items if m.type == "Role"])
        found += _coappointed(s, persons, found, _grammar(doc.lex))
        held = [(person, role, body) for person, (_, _, role, body) in found]
        held += _heads_named_by_do(doc, s, items, posts)
        held += _career(doc, s, items, posts, claimed)
        held += _deputies(s, items, posts)
        out += [_rel(doc, person.key, MEMBER_OF, body, s.index, role) for person, role, body in _board(doc, s, items)]
        out += [_rel(doc, person.key, MEMBER_OF, body, s.index, role)
                for person, role, body in _board_places(doc, s, items)]
        out += [replace(_rel(doc, person.key, MEMBER_OF, body.key, s.index, role.name),
                        ended=post_ended(s.text, role.start, (person.end, body.end)))
                for person, role, body in held]
        out += [replace(_rel(doc, person.key, MEMBER_OF, body.key, s.index, role.name), ended=True)
                for person, role, body in _replaced(s, items, held)]
        out += [_rel(doc, person.key, MEMBER_OF, body, s.index, role)
                for person, role, body in _listed_and_implied_posts(doc, s, items, posts)]
    return out


def _implied_posts(doc: Doc, items: list[Mention], posts: list[Post]) -> list[Post]:
    """Posts of which there is one body ("Chủ tịch Quốc hội", "Phó Thống đốc"), written without it: the role
    as the graph writes it and a stand-in mention of the body, so they chain with the posts around them."""
    titles = doc.lex.kb.titles
    implied = {k.lower(): v for k, v in titles.implied_bodies.items()}
    members = {t.lower() for t in titles.committee_members}
    in_posts = {p[2].start for p in posts}
    out = []
    for m in items:
        if m.type != "Role" or m.start in in_posts:
            continue
        if m.name.lower() in implied:
            role, name = implied[m.name.lower()]
            body = replace(m, type="Agency", cls=doc.lex.agencies[name].cls, start=m.end, key=doc.known_agency(name))
            out.append((m.start, m.end, replace(m, name=role), body))
        elif m.name.lower() in members and doc.province:  # "Tỉnh ủy viên": of the province in context
            key = _local_issuer(doc, COMMITTEE_MEMBER_ISSUER, sentence_province(doc.in_sentence(m.sentence), m))
            cls = doc.lex.kb.legal_kinds.local_issuers[COMMITTEE_MEMBER_ISSUER]
            body = replace(m, type="Agency", cls=cls, start=m.end, key=key)
            out.append((m.start, m.end, m, body))
    return out


def _career(doc: Doc, s: Sentence, items: list[Mention], posts: list[Post],
            claimed: set[int]) -> list[tuple[Mention, Mention, Mention]]:
    """A career told after the name was given: "Ông Hải đã kinh qua các chức vụ: Bí thư Huyện ủy A; Phó Chủ tịch
    UBND tỉnh B", "Trước đó, ông là Phó tổng giám đốc PVN": the posts are the person's last named."""
    m = CAREER.search(s.text)
    if not m:
        return []
    before = [x for x in items if x.type == "Person" and x.start < m.start()]
    if any(x.type == "Person" and x.start >= m.start() for x in items):
        return []  # another name follows: its own posts are read around it
    person = before[-1] if before else doc.last_person_before(s.index)
    if person is None or (not before and not ADDRESSED.match(s.text, m.start())
                          and person.sentence < s.index - 1):
        return []
    return [(person, post[2], post[3]) for post in posts if post[0] >= m.end() and post[0] not in claimed]


def _post_base(role: str) -> str:
    """A post without its rank: "Phó Chủ tịch" and "chủ tịch" are both "chủ tịch"."""
    return RANK.sub("", role.lower())


def _deputies(s: Sentence, items: list[Mention], posts: list[Post]) -> list[tuple[Mention, Mention, Mention]]:
    """A post named without its body after the same post with it, in one sentence, is in that body: "Chủ tịch
    UBND tỉnh A; 2 Phó Chủ tịch là các ông: B và C", "chức vụ chủ tịch UBND tỉnh X đối với ông A và chức vụ
    phó chủ tịch đối với ông B"."""
    in_posts = {p[2].start for p in posts}
    found = []
    for m in items:
        if m.type != "Role" or m.start in in_posts:
            continue
        same = [p for p in posts if p[1] <= m.start and _post_base(p[2].name) == _post_base(m.name)]
        if same:
            found += [(person, m, same[-1][3]) for person in _persons_after(s, items, m.end)]
    return found


def _board(doc: Doc, s: Sentence, items: list[Mention]) -> list[tuple[Mention, str, str]]:
    """The members a decision gives a board: "Phó Trưởng Ban Chỉ đạo gồm: Bộ trưởng Bộ Công Thương A (Phó Trưởng
    ban thường trực), Thứ trưởng Bộ Tài chính B": each name in the list, with the post the sentence opens with
    (or the one in brackets after the name)."""
    lead = BOARD_LEAD.match(s.text)
    body = next((m for m in items if m.type == "Agency" and lead and m.start >= lead.end(1)), None)
    if not lead or body is None or body.cls not in BOARD_CLASSES or not BOARD_LIST.match(s.text, body.end):
        return []
    role = lead.group(1) + (f" {_NOUN}" if lead.group(1).endswith(BOARD_HEAD) else "")  # "Phó Trưởng Ban Chỉ đạo"
    found = []
    for person in (m for m in items if m.type == "Person" and m.start > body.end):
        own = re.match(r"\s*\(([^()]{2,40})\)", s.text[person.end:])
        own_post = own and own.group(1).lower().startswith(_grammar(doc.lex).titles)
        found.append((person, own.group(1).strip() if own_post else role, body.key))
    return found


def _board_places(doc: Doc, s: Sentence, items: list[Mention]) -> list[tuple[Mention, str, str]]:
    """The places a decision gives in the board it sets up, the board named before: "Thủ tướng A làm Trưởng Ban
    Chỉ đạo; Phó Thủ tướng B làm Phó Trưởng ban. Các Phó Thủ tướng: C, D và E làm ủy viên"."""
    found = []
    for m in BOARD_PLACE.finditer(s.text):
        near = doc.in_sentence(s.index - 1) + doc.in_sentence(s.index)  # this sentence and the one before
        board = next((x for x in reversed(near) if x.type == "Agency" and x.cls in BOARD_CLASSES
                      and (x.sentence < s.index or x.end <= m.start())), None)
        if board is None:
            continue
        clause = s.text.rfind(";", 0, m.start()) + 1  # the names of this clause take this place
        role = m.group(1)[0].upper() + m.group(1)[1:].lower()  # "ủy viên" -> "Ủy viên", "Phó Trưởng ban"
        role = DEPUTY_HEAD.sub(rf"\g<1>{BOARD_HEAD}", role)
        found += [(x, role, board.key) for x in items if x.type == "Person" and clause <= x.start < m.start()]
    return found


def _listed_and_implied_posts(doc: Doc, s: Sentence, items: list[Mention],
                              posts: list[Post]) -> list[tuple[Mention, str, str]]:
    """(person, role, body key) for posts whose body the title implies or that several people share.

    "Phó Thủ tướng Bùi Thanh Sơn" is in Chính phủ, "Phó Thống đốc …" in the State Bank (one body
    holds that post); "Cục trưởng Nguyễn Anh Sơn" in the one Cục the article names most; and a post
    before a list gives each name the post: "bổ nhiệm 10 Thứ trưởng cho các ông, bà: A, B, C".
    """
    bare = {k.lower(): v for k, v in doc.lex.kb.titles.bare_posts.items()}
    in_posts = {p[2].start: p for p in posts}
    found = []
    for m in items:
        if m.type != "Role":
            continue
        post = in_posts.get(m.start)
        if post:
            role, body, end = post[2].name, post[3].key, post[3].end
        elif m.name.lower() in bare:
            role, body, end = m.name, _dominant(doc, bare[m.name.lower()]), m.end
        else:
            continue
        listed = _persons_after(s, items, end)
        if not body or not listed or (post and len(listed) < 2):
            continue  # a post with its body before one name is the plain rule's
        found += [(person, role, body) for person in listed]
    return found


def _persons_after(s: Sentence, items: list[Mention], end: int) -> list[Mention]:
    """The names that follow a post: one right after it, or a list ("cho các ông, bà: A, B và C")."""
    after = [m for m in items if m.start >= end]
    listed: list[Mention] = []
    for m in after:
        if m.type != "Person":
            if listed and m.type in {"Role", "Agency"}:
                continue  # "… ông A, Giám đốc Sở X (số phiếu 55/60) và ông B": A's own post between two names
            break
        begin = listed[-1].end if listed else end
        gap = s.text[begin:m.start]
        if listed:  # the names' own posts and a bracketed aside are read over
            gap = re.sub(r"^\s*,\s*\x00(?:\s*\x00)*\s*(?:\([^()]*\))?", "",
                         _blank(s.text, begin, m.start, [x for x in items if begin <= x.start and x.end <= m.start]))
        if not (LIST_NEXT if listed else LIST_LEAD).fullmatch(gap):
            break
        listed.append(m)
    return listed


def _dominant(doc: Doc, head: str) -> str:
    """The key of the body of one kind ("Bộ", "Cục") the article names most, if one leads (counted once)."""
    if head not in doc.index.dominant:
        doc.index.dominant[head] = _count_dominant(doc, head)
    return doc.index.dominant[head]


def _count_dominant(doc: Doc, head: str) -> str:
    counts: dict[str, int] = {}
    for m in doc.mentions:
        e = doc.entities.get(m.key)
        if m.type == "Agency" and e and e.label.startswith(head + " "):
            counts[m.key] = counts.get(m.key, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return ""
    return ranked[0][0]


def _posts_before_names(s: Sentence, persons: list[Mention], posts: list[Post],
                        claimed: set[int]) -> list[tuple[Mention, Post]]:
    """"Post Org, Post Org Name": the chain of posts that ends right at the name.

    A ";" ends the chain, as does a post that is the appositive of an earlier name
    ("ông A, Phó Cục trưởng Cục X; Phó Giám đốc Sở Y B": Cục X is A's, not B's).
    """
    found = []
    for person in persons:
        chain: list[Post] = []
        edge = person.start
        for post in reversed(posts):
            if post[1] > edge:
                continue
            gap = s.text[post[1]:edge]
            if chain and (not POST_JOIN.fullmatch(gap) or _appositive(s, persons, post)):
                break
            if not chain and gap.strip() and not BEFORE_NAME.fullmatch(gap):
                break  # "miễn nhiệm chức Chủ tịch HĐND tỉnh đối với ông A", "… của ông B"
            chain.append(post)
            edge = post[0]
        claimed.update(post[0] for post in chain)
        found += [(person, post) for post in chain]
    return found


def _appositive(s: Sentence, persons: list[Mention], post: Post) -> bool:
    """The post follows a name as its appositive ("Lê Văn A, Giám đốc Sở …")."""
    return any(p.end <= post[0] and AFTER_NAME.fullmatch(s.text[p.end:post[0]]) for p in persons)


def _posts_after_names(s: Sentence, persons: list[Mention], posts: list[Post],
                       claimed: set[int], g: _Grammar, roles: list[Mention] = ()) -> list[tuple[Mention, Post]]:
    """"Name - Post Org, Post Org", or a post the name is given later in its clause
    ("ông A, nguyên Giám đốc Sở X, được bổ nhiệm giữ chức Giám đốc Sở Y": Sở Y only; a former
    post is not a membership). Another name or a ";" ends the search."""
    found = []
    for person in persons:
        edge, first = person.end, True
        for post in posts:
            if post[0] < edge or post[0] in claimed:
                continue
            # "Thái Văn Hằng - Ủy viên ban thường vụ, phó chủ tịch UBND tỉnh": posts without a body between
            gap = _blank(s.text, edge, post[0], [r for r in roles if edge <= r.start and r.end <= post[0]])
            clause_end = (s.text.find(";", post[1]) + 1 or len(s.text) + 1) - 1
            former = FORMER.fullmatch(gap) and not g.appoints.search(s.text[post[1]:clause_end])
            if first and former:
                pass  # a former post, no new one given in its clause: the article states it as the person's
            elif first and not AFTER_NAME.fullmatch(gap) and not BARE_ROLES.fullmatch(gap):
                if ";" in gap or any(edge <= p.start < post[0] for p in persons):
                    break
                if not g.appointed.search(gap):
                    continue
            elif not first and (any(edge <= p.start < post[0] for p in persons) or (not POST_JOIN.fullmatch(gap)
                                and not (g.appointed.search(gap) and ";" not in gap))):
                break  # "Bà A - Ủy viên …, Bí thư …, giữ chức Trưởng ban …": the new post after the old ones;
                # "ông A, Giám đốc Sở X và ông B được bổ nhiệm …": B's post, not A's
            claimed.add(post[0])
            found.append((person, post))
            edge, first = post[1], False
    return found


JOINED_NAMES = re.compile(rf"\s*(?:,|{_CONJ})\s*(?:(?:{_ADDRESS})\s+)?")  # "ông A và ông B", "A, B"


def _coappointed(s: Sentence, persons: list[Mention], found: list[tuple[Mention, Post]],
                 g: _Grammar) -> list[tuple[Mention, Post]]:
    """The post given to several names at once: "ông A và ông B đã được bổ nhiệm … giữ chức Thứ trưởng Bộ X"
    gives it to A as to B, when the names are joined by "và" or a comma and A has no post of its own."""
    holders = {p.start for p, _ in found}
    out = []
    for person, post in found:
        if not g.appointed.search(s.text[person.end:post[0]]):
            continue
        before = [p for p in persons if p.end <= person.start]
        at = person
        while before and JOINED_NAMES.fullmatch(s.text, before[-1].end, at.start):
            at = before.pop()
            if at.start in holders:
                break
            out.append((at, post))
    return out


def _heads_named_by_do(doc: Doc, s: Sentence, items: list[Mention],
                       posts: list[Post]) -> list[tuple[Mention, Mention, Mention]]:
    """(person, role, body) from "<body> do [posts] <person> làm <role>" ("… do ông A làm Trưởng ban")."""
    filler = _grammar(doc.lex).do_filler
    in_posts = {p[2].start for p in posts}
    found = []
    persons = [m for m in items if m.type == "Person"]
    for person in persons:
        role = next((m for m in items if m.type == "Role" and m.start > person.end and m.start not in in_posts), None)
        if (role is None or any(person.end <= p.start < role.start for p in persons)
                or not SERVES.fullmatch(_blank(s.text, person.end, role.start, items))):
            continue
        for body in (m for m in reversed(items) if m.type == "Agency" and m.end <= person.start):
            if filler.fullmatch(_blank(s.text, body.end, person.start, items)):
                found.append((person, role, body))
                break
    return found


def _blank(text: str, start: int, end: int, items: list[Mention]) -> str:
    """text[start:end] with each mention inside it reduced to one NUL, so a pattern can skip posts."""
    inner = sorted((m for m in items if start <= m.start and m.end <= end), key=lambda m: m.start)
    out, at = [], start
    for m in inner:
        out += [text[at:m.start], "\x00"]
        at = m.end
    return "".join(out) + text[at:end]


AMENDED_PART_WORDS = 8  # "sửa đổi, bổ sung một số điều của" … at most this many words before the document


@rule("amends")
def amends(doc: Doc) -> list[Relation]:
    """"A sửa đổi, bổ sung … B" gives A amends B; "B được sửa đổi … bởi A" the same.

    A list after the verb ("bởi A1 và A2", "… của B1, B2 và B3") shares it. A verb in
    brackets names a draft ("Luật X (sửa đổi)"), not an amendment, and a document just
    amended in the sentence is an object there, never the subject of a further amendment.
    """
    kinds = doc.lex.kb.legal_kinds
    forward = re.compile("|".join(map(re.escape, kinds.amend_triggers)))
    backward = re.compile("|".join(map(re.escape, kinds.amended_by_triggers)))
    out = []
    for s in doc.sentences:
        docs = [m for m in doc.top_level(s.index) if m.type == "LegalDocument"]
        amended: set[str] = set()
        for i, (a, b) in enumerate(pairwise(docs)):
            gap = _outside_brackets(s.text[a.end:b.start])
            listed = _coordinated(s.text, docs, i + 1)
            if backward.search(gap):
                out += [_rel(doc, x.key, AMENDS, a.key, s.index) for x in listed if x.key != a.key]
            elif a.key not in amended and _amends_next(gap, forward):
                out += [_rel(doc, a.key, AMENDS, x.key, s.index) for x in listed if x.key != a.key]
                amended.update(x.key for x in listed)
    return out


def _outside_brackets(text: str) -> str:
    """The text with bracketed asides blanked: "(sửa đổi)" after a title is part of a name."""
    return re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text)


def _amends_next(gap: str, forward: re.Pattern) -> bool:
    """The gap between two documents holds an amending verb whose object is the second one."""
    verbs = list(forward.finditer(gap))
    return bool(verbs) and ";" not in gap and len(gap[verbs[-1].end():].split()) <= AMENDED_PART_WORDS


def _coordinated(text: str, docs: list[Mention], i: int) -> list[Mention]:
    """docs[i] and the documents listed with it ("A, B và C", each perhaps with its date)."""
    listed = [docs[i]]
    for x in docs[i + 1:]:
        if not COORDINATED.fullmatch(text[listed[-1].end:x.start]):
            break
        listed.append(x)
    return listed


# --- citations: one legal document's basis, the ones it replaces, repeals or details ----------------------------

_C = knowledge().legal_kinds.citations
_CITE_GAP = rf"{DOC_DATE}(?:\s*(?:{_any(_W.issuer_links)})(?:\s*\x00)+)?\s*,?\s*"  # "ngày 12/3/2024 của \x00, "
_ADVERBS = rf"(?:(?:{_any(_C.adverbs)})\s+)?"
_WHOLE = rf"(?:(?:{_any(_C.whole_fillers)})\s+)?"
_IN_FORCE = rf"(?:(?:{_any(_C.in_force_words)})[^;\x00]{{0,60}}?\s*(?:,|{_CONJ})\s+)?"  # "có hiệu lực từ ngày ký và"
_ENDS = _cased([*_C.repeal_triggers, *_C.replace_triggers])
OWN_CLAUSE = re.compile(rf"\s*(?:(?:{_any(_C.preamble_ends)})\s+\d+\s*[.:]\s*)?(?=(?:{_ENDS})\s)")  # "Điều 3. Bãi bỏ …"
BASIS = re.compile(rf"(?<!\w)(?:{_cased(_C.basis_triggers)})\s+(?:(?:{_any(_C.basis_fillers)})\s+)?")
ISSUED_BASIS = re.compile(rf"{_CITE_GAP}(?:{_any(_C.issue_verbs)})\s+$")  # "A … được ban hành " before "căn cứ B"
ISSUES = re.compile(rf"(?<!\w)(?:{_any(_C.issue_verbs)})\s+$")  # "…, UBND tỉnh ban hành " before A
LISTED_BASIS = re.compile(rf"{_CITE_GAP}(?:,|;|{_CONJ}|,\s*(?:{_CONJ}))\s*")  # "B1 ngày … của \x00 và B2"
PLACE_DATE = re.compile(rf"\s*[^\W\d][^\d,;:.]{{0,30}}{DATED.pattern}")  # "Hà Nội, ngày 23 tháng 9 năm 2025"
OWN_NUMBER = re.compile(rf"(?:^|\s)(?:{_any(_C.own_number_leads)})\s*$")  # "Số: " before the page's own number
PREAMBLE_END = re.compile(rf"\s*(?:{_any(_C.preamble_ends)})\s+[\dIVXLC]+\b")
_IMPLEMENT_TAIL = rf"(?:(?:\s+[^\s;\x00]+){{0,{_C.implement_words - 1}}}\s+{re.escape(_C.implement_link)})?\s+"
FORWARD = {  # predicate -> the gap "A <gap> B" that says A <predicate> B
    REPLACES: re.compile(rf"{_CITE_GAP}{_IN_FORCE}\(?\s*{_ADVERBS}(?:{_cased(_C.replace_triggers)})\s+{_WHOLE}"),
    REPEALS: re.compile(rf"{_CITE_GAP}{_IN_FORCE}\(?\s*{_ADVERBS}(?:{_cased(_C.repeal_triggers)})\s+{_WHOLE}"),
    IMPLEMENTS: re.compile(rf"{_CITE_GAP}{_ADVERBS}(?:{_any(_C.implement_triggers)}){_IMPLEMENT_TAIL}"),
}
BACKWARD = {  # predicate -> the gap "A <gap> B" that says B <predicate> A
    REPLACES: re.compile(rf"{_CITE_GAP}\(?\s*{_ADVERBS}(?:{_any(_C.replaced_by_triggers)})\s+"),
    REPEALS: re.compile(rf"{_CITE_GAP}\(?\s*{_ADVERBS}(?:{_any(_C.repealed_by_triggers)})\s+"),
}


def _own_document(doc: Doc) -> Mention | None:
    """The document the page itself is, when it says so: the first number on a "Số:" line ("Số: 2646/QĐ-BCT"),
    dated by the place-and-date line after it ("Hà Nội, ngày 23 tháng 9 năm 2025") if the number was not."""
    own = next((m for m in doc.mentions if m.type == "LegalDocument" and m.text[:1].isdigit() and m.key in doc.entities
                and OWN_NUMBER.search(doc.sentences[m.sentence].text[:m.start])), None)
    if own is not None:
        after = doc.sentences[own.sentence].text[own.end:].strip() or (
            doc.sentences[own.sentence + 1].text if own.sentence + 1 < len(doc.sentences) else "")
        dated = PLACE_DATE.match(after)
        attrs = doc.entities[own.key].attrs
        day = day_of(dated) if dated else None
        if day and not attrs.get("date"):
            attrs["date"] = day.isoformat()
    return own


def _citing(doc: Doc, s: Sentence, own: Mention | None) -> list[Mention]:
    """The sentence's documents in reading order, "<kind> này" as the page's own document where the page is one."""
    docs = [m for m in doc.top_level(s.index) if m.type == "LegalDocument"]
    if own is None or (own.sentence, own.start) >= (s.index, len(s.text)):
        return docs
    kind = doc.entities[own.key].label.rsplit(" ", 1)[0] if own.key in doc.entities else ""
    self_ref = re.compile(rf"(?<!\w)(?:{_cased([kind])})\s+(?:{_any(_C.self_words)})(?!\w)") if kind else None
    for m in self_ref.finditer(s.text) if self_ref else ():
        if not any(d.start <= m.start() < d.end for d in docs):
            docs.append(replace(own, sentence=s.index, start=m.start(), end=m.end(), text=m.group()))
    lead = OWN_CLAUSE.match(s.text) if s.index > own.sentence else None
    if lead:  # "Điều 2. Bãi bỏ Quyết định số …": the page's own document speaks
        docs.append(replace(own, sentence=s.index, start=lead.end(), end=lead.end(), text=""))
    return sorted(docs, key=lambda m: m.start)


@rule("citations")
def citations(doc: Doc) -> list[Relation]:
    """A replaces, repeals or details B ("A thay thế B", "A bãi bỏ B", "A quy định chi tiết một số điều của B"),
    or B is so treated by A ("B được thay thế bởi A").

    Only two documents side by side count, with nothing between them but A's date and issuer and the words
    of the trigger, so two documents merely listed, or a part of B ("thay thế Điều 3 của B"), give nothing.
    """
    own = _own_document(doc)
    out = []
    for s in doc.sentences:
        docs = _citing(doc, s, own)
        items = doc.in_sentence(s.index)
        for i, (a, b) in enumerate(pairwise(docs)):
            gap = _blank(s.text, a.end, b.start, items)
            for predicate, pattern in FORWARD.items():
                if pattern.fullmatch(gap):  # "A thay thế B1 và B2"
                    out += [_rel(doc, a.key, predicate, x.key, s.index) for x in _coordinated(s.text, docs, i + 1)
                            if x.key != a.key]
            for predicate, pattern in BACKWARD.items():
                if pattern.fullmatch(gap):  # "B1 và B2 được thay thế bởi A"
                    out += [_rel(doc, b.key, predicate, x.key, s.index) for x in _coordinated_before(s.text, docs, i)
                            if x.key != b.key]
    return out


def _coordinated_before(text: str, docs: list[Mention], i: int) -> list[Mention]:
    """docs[i] and the documents listed just before it ("B1, B2 và B3")."""
    listed = [docs[i]]
    for x in reversed(docs[:i]):
        if not COORDINATED.fullmatch(text[x.end:listed[-1].start]):
            break
        listed.append(x)
    return listed


@rule("based-on")
def based_on(doc: Doc) -> list[Relation]:
    """A document's legal basis: "Căn cứ B1; B2 …" in the preamble of the page's own document (after its "Số:"
    line, before "Điều 1"), "Căn cứ B …, X ban hành A", or "A … được ban hành căn cứ B".

    The basis must follow "căn cứ" at once: "căn cứ vào tình hình thực tế" or "căn cứ chức năng, nhiệm vụ"
    is none, and a basis named in passing in a news sentence ("Căn cứ Nghị định …, Bộ có 30 đơn vị") has no
    document to be the basis of.
    """
    own = _own_document(doc)
    preamble = own is not None
    out = []
    for s in doc.sentences:
        if preamble and own.sentence < s.index and PREAMBLE_END.match(s.text):
            preamble = False
        docs = [m for m in doc.top_level(s.index) if m.type == "LegalDocument"]
        items = doc.in_sentence(s.index)
        for t in BASIS.finditer(s.text):
            bases = _bases(s, docs, items, t.end())
            if not bases:
                continue
            before = [m for m in docs if m.end <= t.start()]
            subjects = []
            if preamble and t.group()[0].isupper() and (own.sentence, own.start) < (s.index, t.start()):
                subjects = [own.key]
            elif before and ISSUED_BASIS.fullmatch(_blank(s.text, before[-1].end, t.start(), items)):
                subjects = [before[-1].key]  # "Quyết định A được ban hành căn cứ Nghị định B"
            elif t.start() == 0 or not s.text[:t.start()].strip():
                subjects = [m.key for m in docs if m.start > bases[-1].end and m not in bases
                            and ISSUES.search(s.text, bases[-1].end, m.start)][:1]  # "Căn cứ B, X ban hành A"
            out += [_rel(doc, a, BASED_ON, b.key, s.index) for a in subjects for b in bases if b.key != a]
    return out


def _bases(s: Sentence, docs: list[Mention], items: list[Mention], at: int) -> list[Mention]:
    """The documents of a "Căn cứ" list starting at `at`: the first right there, then those coordinated with it
    ("B1 ngày … của Chính phủ và B2") or opening a later clause of the list ("…; B2 … ;")."""
    first = next((m for m in docs if m.start == at), None)
    if first is None:
        return []
    listed = [first]
    for m in docs[docs.index(first) + 1:]:
        gap = s.text[listed[-1].end:m.start]
        if BASIS.search(gap):
            break  # a new "Căn cứ": its own list
        clause_opens = ";" in gap and not s.text[s.text.rfind(";", 0, m.start) + 1:m.start].strip()
        if clause_opens or LISTED_BASIS.fullmatch(_blank(s.text, listed[-1].end, m.start, items)):
            listed.append(m)
        # else a document inside an item's subject ("… sửa đổi … của Nghị định X"): the list may go on after it
    return listed


def issuer_mentions(mentions: list[Mention], relations: list[Relation], entities: dict[str, Entity],
                    lex: Lexicon) -> list[Mention]:
    """Each issuer code inside a document's number ("TTg" in "868/QĐ-TTg", "BTC" and "BCT" in "…/TTLT-BTC-BCT")
    as a mention of the body it names, where the article names that body no other way: the number is how
    the text says who passed it."""
    named = {m.key for m in mentions}
    issued = {(r.subject, r.sentence, r.object) for r in relations if r.predicate == PASSED_BY}
    issuers: dict[tuple[str, int], list[str]] = {}  # (document, sentence) -> its issuers, in the set's order
    for s, i, o in issued:
        issuers.setdefault((s, i), []).append(o)
    out = []
    for m in mentions:
        if m.type != "LegalDocument":
            continue
        for code in m.attrs.get("issuers", "").split():
            key = entity_key("Agency", lex.issuer_codes[code]) if code in lex.issuer_codes else next(
                (o for o in issuers.get((m.key, m.sentence), ()) if o in entities
                 and entities[o].cls == lex.kb.legal_kinds.local_issuers.get(code)), "")
            at = m.text.rfind(code)
            if key and key not in named and at >= 0 and (m.key, m.sentence, key) in issued:
                out.append(replace(m, start=m.start + at, end=m.start + at + len(code), text=code, type="Agency",
                                   cls=entities[key].cls, name=code, key=key, nested=True))
                named.add(key)
    return out


def relate(sentences: list[Sentence], mentions: list[Mention], entities: dict[str, Entity], province: str,
           lex: Lexicon | None = None) -> list[Relation]:
    """Every rule's relations for one document, without repeats."""
    doc = Doc(sentences, mentions, entities, province, lex or lexicon())
    found: dict[tuple, Relation] = {}
    for fn in RULES.values():
        for r in fn(doc):
            found.setdefault((r.subject, r.predicate, r.object, r.role, r.ended), r)
    return list(found.values())
