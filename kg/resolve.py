"""Resolve mentions to canonical entities, using the document's context.

The same thing gets the same key whatever the spelling or the document:
"UBND tỉnh" in an article about Thái Nguyên is "Ủy ban nhân dân tỉnh Thái
Nguyên"; a bare "Bộ" is the ministry last named (or whose unit is named);
"Sông Công 2" is "Sông Công II". Keys are `type:normalised canonical name`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

from .gazetteer import Lexicon, lexicon, one_of
from .knowledge import knowledge
from .model import Entity, Mention, Sentence, evolve
from .normalize import normalize_name

_LOCAL = knowledge().local_agencies
# the admin words of a body at a province's level ("tỉnh", "thành phố", "TP."), or none
PROVINCE_LEVELS = frozenset({"", *(w for w, level in _LOCAL.admin_levels.items() if level in {"province", "city"})})
# the same for a Party committee, but for "Tp." (left out of the list this replaces: kept, so the output is the same)
PARTY_LEVELS = PROVINCE_LEVELS - {"", "Tp."}
PROVINCE_DEFAULT_CLASSES = frozenset(_LOCAL.province_default_classes)
PROVINCELESS_CLASSES = frozenset(_LOCAL.provinceless_classes)
PROVINCE_WORD = next(w for w, level in _LOCAL.admin_levels.items() if level == "province")  # "tỉnh"
CITY_WORD = next(w for w, level in _LOCAL.admin_levels.items() if level == "city")  # "thành phố"
# "Khu công nghiệp" -> "KCN": the abbreviation a zone is also known by
ZONE_SHORT_FORMS: dict[str, str] = knowledge().zones.short_forms
MINISTRY = next(w for w, cls in _LOCAL.bare_heads.items() if cls == "Ministry")  # "Bộ"
PARTY_COMMITTEES: dict[str, str] = _LOCAL.party_committees  # "Tỉnh ủy" -> "tỉnh"
COMMITTEE_OF = {level: head for head, level in PARTY_COMMITTEES.items()}  # "tỉnh" -> "Tỉnh ủy"
# "Ủy ban nhân dân" -> "UBND": a council's initials, from its words in local_agencies.json
COUNCIL_INITIALS = {c.canonical: w for c in _LOCAL.councils for w in c.words if w.isupper()}


def entity_key(type_: str, name: str) -> str:
    return f"{type_.lower()}:{normalize_name(name)}"


SCOPE = " @"  # what follows it in a key says which of several things of one name the key is (kg/identity.py)


def scoped(key: str, scope: str) -> str:
    """A key narrowed to one issuer, year or province: "legaldocument:nghị quyết 01/nq-cp @2024"."""
    return f"{key}{SCOPE}{scope}" if scope else key


YEAR_IN_NUMBER = re.compile(r"/(?:19|20)\d\d/")  # "68/2017/NĐ-CP"; "01/NQ-CP" has none and recurs every year


@dataclass
class Context:
    """What a document has established so far: its province, its ministry…"""

    province: str = ""
    last: dict[str, str] = field(default_factory=dict)  # class -> key of the last such agency
    ministries: list[str] = field(default_factory=list)  # ministries named or implied, in order
    legal_aliases: dict[str, str] = field(default_factory=dict)  # "Nghị định" -> key, from "sau đây gọi tắt là"
    abbreviations: dict[str, str] = field(default_factory=dict)  # "HEPZA" -> key, from "Ban quản lý … (HEPZA)"
    short_names: dict[str, str] = field(default_factory=dict)  # "Viettel" -> key, from "Tập đoàn … (Viettel)"
    titles: dict[str, str] = field(default_factory=dict)  # "luật đấu thầu" -> key of "Luật Đấu thầu số 43/2013/QH13"


class Topics:
    """Where a document's paragraphs name their topic provinces, indexed once for `at`.

    `at` answers as a scan of the mentions in order would: it stops at the first topic province at or
    after the point, and keeps the last one of the point's paragraph before it.
    """

    def __init__(self, mentions: list[Mention], sentences: list[Sentence]) -> None:
        self.sentences = sentences
        self.reach: list[tuple[int, int]] = []  # the furthest (sentence, start) of the topics so far
        self.paragraphs: dict[int, list[tuple[int, str]]] = {}  # paragraph -> (topic number, province)
        for m in mentions:
            if m.type == "Province" and m.topic:
                self.reach.append(max(self.reach[-1], (m.sentence, m.start)) if self.reach else (m.sentence, m.start))
                self.paragraphs.setdefault(sentences[m.sentence].paragraph, []).append((len(self.reach) - 1, m.name))

    def at(self, sentence: int, position: int) -> str:
        """The province a paragraph is talking about at a point: the last one named at the head of a
        clause ("Với Hải Phòng, …", "Trong khi đó, tỉnh Hưng Yên …") earlier in the same paragraph."""
        paragraph = self.sentences[sentence].paragraph if sentence < len(self.sentences) else -1
        stop = bisect_left(self.reach, (sentence, position))  # the first topic at or after the point
        named = self.paragraphs.get(paragraph, [])
        before = bisect_left(named, (stop, "")) - 1
        return named[before][1] if before >= 0 else ""


def topic_province(mentions: list[Mention], sentences: list[Sentence], sentence: int, position: int) -> str:
    """The province a paragraph is talking about at a point (see `Topics`; build one to ask many times)."""
    return Topics(mentions, sentences).at(sentence, position)


MIN_TOPIC_WEIGHT = 1  # the title counts thrice, a province inside a name or as a venue half


def main_province(mentions: list[Mention], title_sentence: int = 0) -> str:
    """The province an article is about: the most named one (the title counts thrice)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for i, m in enumerate(mentions):
        name = m.attrs.get("province", "")
        if not name:
            continue
        if m.origin:  # "quê quán tỉnh Hưng Yên": a person's home
            continue
        weight = 1 if m.type == "Province" and not m.venue else 0.5
        counts[name] += (3 if m.sentence == title_sentence else 1) * weight
        first.setdefault(name, i)
    if not counts:
        return ""
    best = max(counts, key=lambda n: (counts[n], -first[n]))
    # a province named once as a venue ("họp tại Hà Nội"), or once like others in a national ranking
    # ("Bình Dương dẫn đầu …, tiếp đến là Bắc Giang …"), is not what the article is about
    tied = sum(1 for n in counts if counts[n] == counts[best]) > 1
    return best if counts[best] >= MIN_TOPIC_WEIGHT and not (tied and counts[best] < 2) else ""


def implied_province(sentences: list[Sentence], lex: Lexicon) -> str:
    """The one province an article's cities and economic zones lie in ("TP. Nha Trang", "Khu kinh tế Vân
    Phong"), for an article that names no province ("toàn tỉnh thu hút 268 dự án")."""
    places = lex.kb.provinces.places
    found = set()
    for s in sentences:
        for m in _place_pattern(lex).finditer(s.text):
            found.add(places.cities[m.group(2)] if m.group(2) else places.economic_zones[m.group(4)])
    return found.pop() if len(found) == 1 else ""


@cache
def _place_pattern(lex: Lexicon) -> re.Pattern[str]:
    """"TP. Nha Trang", "Khu kinh tế Vân Phong": a city or an economic zone after its kind word."""
    places = lex.kb.provinces.places
    cities = _longest_first(places.cities)
    zones = _longest_first(places.economic_zones)
    city = _longest_first([w for w, level in lex.kb.local_agencies.admin_levels.items() if level == "city"])
    zone = "|".join(re.escape(w) for h in lex.kb.zones.heads if h.cls == "EconomicZone"
                    for w in (h.canonical, *(w for w in h.words if w.isupper())))  # "Khu kinh tế", "KKT"
    return re.compile(rf"(?<!\w)(?:({city})\s*({cities})|({zone})\s+({zones}))(?!\w)")


def _longest_first(words: Iterable[str]) -> str:
    return one_of(words, longest_first=True)


def sentence_province(mentions: list[Mention], m: Mention) -> str:
    """The province a sentence has named before a bare body ("Phó Chủ tịch UBND tỉnh Gia Lai … đối với ông A,
    Giám đốc Sở Xây dựng"): in an article about two provinces, the body is that one's ("" if none).

    `mentions` need hold only those of m's sentence (the others are left out anyway)."""
    named = [x.name for x in mentions if x.type == "Province" and x.sentence == m.sentence
             and x.start < m.start and not x.venue]
    return named[-1] if named else ""


def province_phrase(lex: Lexicon, province: str) -> str:
    """"tỉnh Thái Nguyên" or "thành phố Hà Nội", by the province's kind."""
    kind = lex.provinces[province].kind if province in lex.provinces else PROVINCE_WORD
    return f"{kind} {province}"


class Resolver:
    """Turns one document's mentions into keyed mentions and entities."""

    def __init__(self, mentions: list[Mention], lex: Lexicon, sentences: list[Sentence] | None = None) -> None:
        self.lex = lex
        self.mentions = mentions
        self.sentences = sentences or []
        self.entities: dict[str, Entity] = {}
        self.ctx = Context(province=main_province(mentions))
        if not self.ctx.province:  # the province an article's cities or economic zones lie in
            self.ctx.province = implied_province(self.sentences, lex)
            if self.ctx.province:
                p = lex.provinces[self.ctx.province]
                self.add("Province", "Province", p.name, *p.aliases, code=p.code or "")
        self.resolved: list[Mention] = []
        units = [m.attrs.get("known", "") for m in mentions if m.cls == "MinistryUnit"]
        parents = [lex.agencies[u].parent for u in units if u and lex.agencies[u].parent]
        self.implied_ministries = [p for p in parents if p and lex.agencies[p].cls == "Ministry"]
        self.named_ministries = [m.attrs["known"] for m in mentions if m.cls == "Ministry" and "known" in m.attrs]
        # Bodies named "<head> tỉnh|thành phố <province>": People's Committees and Councils, provincial police
        self.council_classes = {*(c.cls for c in lex.kb.local_agencies.councils),
                                *(b.cls for b in lex.kb.local_agencies.provincial_bodies)}
        # Indexes, so that resolving one mention never scans the whole document
        self.by_sentence: dict[int, list[Mention]] = {}
        for m in mentions:
            self.by_sentence.setdefault(m.sentence, []).append(m)
        self.ministries_at = [i for i, m in enumerate(mentions) if m.cls == "Ministry" and "known" in m.attrs]
        self.company_ends: dict[str, str] = {}  # each end of a company's label after a space -> the first label
        self.numbered: Mention | None = None  # the last legal document resolved with its number
        # a number without a year ("01/NQ-CP"): the years the article's dates give it, by mention
        self.dated: dict[str, list[tuple[int, str]]] = {}
        for i, m in enumerate(mentions):
            number = m.attrs.get("number", "") if m.type == "LegalDocument" else ""
            if number and m.attrs.get("date") and not YEAR_IN_NUMBER.search(number):
                self.dated.setdefault(normalize_name(m.attrs["number"]), []).append((i, m.attrs["date"][:4]))
        self._topics: Topics | None = None

    def add(self, type_: str, cls: str, label: str, *alts: str, scope: str = "", **attrs: str) -> str:
        """Record an entity (or more names for a known one) and return its key (narrowed by `scope`, if any)."""
        known = self.lex.agencies.get(label) if type_ == "Agency" else None
        key = scoped(entity_key(type_, label), scope)
        entity = self.entities.get(key)
        if entity is None:
            entity = self.entities[key] = Entity(key, type_, known.cls if known else cls, label)
            if type_ == "Company":
                for at in (i for i, c in enumerate(label) if c == " "):
                    self.company_ends.setdefault(label[at + 1:], label)
        entity.alt_labels.update(a for a in alts if a and a != entity.label)
        entity.attrs.update({k: v for k, v in attrs.items() if v})
        return key

    def ministry(self, position: int) -> str:
        """The ministry a bare "Bộ" points to: last named, else next named, else implied by a unit."""
        before = bisect_left(self.ministries_at, position)  # the ministries named before `position`
        if before:
            return self.mentions[self.ministries_at[before - 1]].attrs["known"]
        if self.named_ministries:
            return self.named_ministries[0]
        return self.implied_ministries[0] if self.implied_ministries else ""

    def resolve(self, index: int, m: Mention) -> Mention | None:
        handler = getattr(self, f"_{m.type.lower()}", None)
        if handler is None:
            return m
        if m.user:
            aliases = [s for s, (t, _, n) in self.lex.extra.items() if n == m.name and t == m.type]
            key = self.add(m.type, m.cls, m.name, *aliases, m.text)
        else:
            key = handler(index, m)
        if not key:
            return None
        if "defines" in m.attrs:
            self.ctx.abbreviations.setdefault(m.attrs["defines"], key)
        self.ctx.last[m.cls] = key
        resolved = evolve(m, key=key)
        self.resolved.append(resolved)
        if resolved.type == "LegalDocument" and "number" in resolved.attrs:
            self.numbered = resolved
        return resolved

    # one handler per type -------------------------------------------------

    def _province(self, i: int, m: Mention) -> str:
        p = self.lex.provinces[m.name]
        return self.add("Province", "Province", p.name, *p.aliases, m.text, code=p.code or "")

    def _legaldocument(self, i: int, m: Mention) -> str:
        if "alias" in m.attrs:  # "(sau đây gọi tắt là Nghị định)": the document just named
            if self.numbered:
                self.ctx.legal_aliases[m.attrs["alias"]] = self.numbered.key
                return self.numbered.key
            return ""
        if "bare" in m.attrs:  # a later bare "Nghị định" is that document, if one was so named
            return self.ctx.legal_aliases.get(m.attrs["bare"], "")
        if "number" not in m.attrs:  # a law cited by its title, the numbered one if the article gave its number
            known = self.ctx.titles.get(normalize_name(m.attrs["title"]))
            return known or self.add("LegalDocument", m.cls, m.attrs["title"], issuers=m.attrs.get("issuers", ""))
        number = m.attrs["number"]
        label = f"{m.attrs['kind']} {number}"
        key = self.add("LegalDocument", m.cls, label, f"{m.attrs['kind']} số {number}", number,
                       m.attrs.get("title", ""), scope=self.year(i, number),
                       **{k: m.attrs.get(k, "") for k in ("number", "date", "subject", "issuers")})
        if m.attrs.get("title"):
            self.ctx.titles.setdefault(normalize_name(m.attrs["title"]), key)
        # One node per document whatever its kind word: the number is the identity.
        return key

    def year(self, i: int, number: str) -> str:
        """The year of a number that has none ("01/NQ-CP", "500/QĐ-TTg": every year has one): its date's, else
        that of the last mention of it dated before, else of the first dated after; "" if the article dates none."""
        dated = self.dated.get(normalize_name(number), [])
        before = [year for at, year in dated if at <= i]
        return before[-1] if before else dated[0][1] if dated else ""

    def _person(self, i: int, m: Mention) -> str:
        # a byline in capitals ("MINH NGUYỆT") is written as names are everywhere else, so that every article
        # gives a person the same label, and the union of their graphs one rdfs:label
        name = " ".join(w.capitalize() for w in m.name.split()) if m.name.isupper() else m.name
        return self.add("Person", "Person", name)

    def _company(self, i: int, m: Mention) -> str:
        core, head, form = m.attrs["core"], m.attrs.get("head", ""), m.attrs.get("form", "")
        if core in self.ctx.short_names:  # "… (Viettel)" named earlier: a later "Tập đoàn Viettel" is that company
            return self.add("Company", m.cls, self.entities[self.ctx.short_names[core]].label, m.text)
        fuller = self.company_ends.get(core) if not head and len(core.split()) >= 2 else None
        if fuller:  # "Công ty CP Xây dựng DIC Holdings" … "DIC Holdings": the end of a name given in full
            return self.add("Company", m.cls, fuller, m.text)
        core = self.lex.company_names.get(normalize_name(core), core)  # "Dầu khí Việt Nam" is Petrovietnam
        alts = [f"{head} {core}" if head else "", f"{head} {form} {core}" if form else "", m.text,
                m.attrs.get("short", "")]
        key = self.add("Company", m.cls, core, *alts)
        if m.attrs.get("short"):
            self.ctx.short_names.setdefault(m.attrs["short"], key)
        return key

    def _industrialzone(self, i: int, m: Mention) -> str:
        province = (m.attrs.get("province") or self._nested_province(m)
                    or (self.topics().at(m.sentence, m.start) if self.sentences else "")
                    or self.ctx.province)
        zone, head = m.attrs["zone"], m.attrs["head"]
        short = ZONE_SHORT_FORMS.get(head, head)
        written = m.attrs.get("written", "")
        return self.add("IndustrialZone", m.cls, m.name, f"{short} {zone}", zone, m.text,
                        f"{head} {written}" if written else "", province=province)

    def topics(self) -> Topics:
        if self._topics is None:
            self._topics = Topics(self.mentions, self.sentences)
        return self._topics

    def _nested_province(self, m: Mention) -> str:
        inner = [x for x in self.by_sentence.get(m.sentence, []) if x.type == "Province" and x.sentence == m.sentence
                 and m.start <= x.start and x.end <= m.end]
        return inner[0].name if inner else ""

    def _agency(self, i: int, m: Mention) -> str:
        a = m.attrs
        if "abbreviation" in a:  # initials the article defined after a body's name
            return self.ctx.abbreviations.get(a["abbreviation"], "")
        if "known" in a:
            known = self.lex.agencies[a["known"]]
            return self.add("Agency", known.cls, known.name, *known.aliases, m.text)
        if "bare" in a:
            return self._bare(i, m)
        if m.needs_ministry:
            return self._ministry_unit(i, m)
        if "board" in a:
            return self._board(i, m)
        if m.cls in self.council_classes:
            return self._council(m, a.get("head", ""), a.get("admin", ""))
        if m.cls == "PartyCommittee":
            return self._party_committee(m)
        return self._body(m)

    def _bare(self, i: int, m: Mention) -> str:
        """A bare "Bộ" is the ministry in context; another bare head the last body of its class."""
        if m.attrs["bare"] == MINISTRY:
            name = self.ministry(i)
            return self.add("Agency", "Ministry", name) if name else ""
        return self.ctx.last.get(m.cls, "")

    def _ministry_unit(self, i: int, m: Mention) -> str:
        """A unit named without its ministry ("Vụ Pháp chế"): the ministry in context's."""
        ministry = self.ministry(i)
        if not ministry:
            return ""
        name = (f"{m.text} {ministry.removeprefix(MINISTRY + ' ')}" if m.text.endswith(MINISTRY)
                else f"{m.text} {ministry}")
        return self.add("Agency", "MinistryUnit", name, m.text, parent=ministry)

    def _board(self, i: int, m: Mention) -> str:
        """"Ban Tổ chức Tỉnh ủy Gia Lai": a board named after the body it serves."""
        a = m.attrs
        parent = self._agency(i, replace(m, cls=a["parent_cls"], attrs={k: v for k, v in a.items()
                                                                       if k not in {"board", "parent_cls"}}))
        if not parent:
            return ""
        e = self.entities[parent]
        return self.add("Agency", m.cls, f"{a['board']} {e.label}", m.text, parent_key=parent,
                        province=e.attrs.get("province", ""), level=e.attrs.get("level", ""))

    def _party_committee(self, m: Mention) -> str:
        a, head = m.attrs, m.attrs.get("head", "")
        if "party_of" in a:  # the Party committee of a central body
            return self.add("Agency", "PartyCommittee", f"{head} {a['party_of']}", m.text)
        if a.get("descriptor"):  # "Đảng ủy Khối … tỉnh"
            province = a.get("province") or self.ctx.province
            if not province or a.get("admin") not in PROVINCE_LEVELS:
                return ""
            phrase = province_phrase(self.lex, province)
            return self.add("Agency", m.cls, f"{head} {a['descriptor']} {phrase}", m.text,
                            f"{head} {a['descriptor']} {province}", province=province, level="province")
        if a.get("district"):
            return self.add("Agency", "PartyCommittee", f"{head} {a['district']}", m.text, level="district")
        province = self.lex.provinces.get(a.get("province", ""))
        if PARTY_COMMITTEES.get(head) == CITY_WORD and province and province.kind == PROVINCE_WORD:
            # "Thành ủy Bắc Ninh": the committee of the provincial city, not of the province
            return self.add("Agency", "PartyCommittee", f"{head} {a['province']}", m.text, level="district")
        return self._provincial_party(m)

    def _provincial_party(self, m: Mention) -> str:
        """"Tỉnh ủy Gia Lai", "Thành ủy Hà Nội": named by the province's kind, with the Party's long name."""
        admin = m.attrs.get("admin", "")
        province = m.attrs.get("province") or self.ctx.province
        if not province or admin not in PARTY_LEVELS:
            return ""
        short = COMMITTEE_OF[admin if admin == PROVINCE_WORD else self.lex.provinces[province].kind]
        phrase = province_phrase(self.lex, province)
        return self.add("Agency", "PartyCommittee", f"{short} {province}",
                        f"{_LOCAL.party_committee_aliases[0]} {phrase}", f"{short} {phrase}",
                        province=province, level="province")

    def _body(self, m: Mention) -> str:
        """Any other body: a province's when it has one ("Sở Công Thương tỉnh Gia Lai"), else central."""
        a = m.attrs
        desc, head = self._expand(a.get("descriptor", "")), self._expand(a.get("head", ""))
        province = a.get("province", "")
        if not province and (a.get("admin", "") in PROVINCE_LEVELS - {""} or m.cls in PROVINCE_DEFAULT_CLASSES):
            province = self._sentence_province(m) or self.ctx.province
        if a.get("level") == "central" or not province:
            return self._central(m, head, desc)
        phrase = province_phrase(self.lex, province)
        if m.cls == "Department":
            return self.add("Agency", m.cls, f"{head} {desc} {province}", f"{head} {desc} {phrase}", m.text,
                            province=province, level="province")
        named = f"{head} {desc}".strip()
        return self.add("Agency", m.cls, f"{named} {phrase}", f"{named} {province}", m.text,
                        province=province, level="province")

    def _central(self, m: Mention, head: str, desc: str) -> str:
        """A central body, or one of an article about no province if its class may have none."""
        if m.attrs.get("level") != "central" and m.cls not in PROVINCELESS_CLASSES and not (
                m.attrs.get("implements")):  # "Ban Chỉ đạo … thực hiện Nghị quyết 18-NQ/TW" in no province's article
            return ""
        name = f"{head} {desc}"
        known = self.lex.agency_surface.get(normalize_name(name))
        if known:
            return self.add("Agency", self.lex.agencies[known].cls, known, name)
        return self.add("Agency", m.cls, name, m.text)

    def _sentence_province(self, m: Mention) -> str:
        named = sentence_province(self.by_sentence.get(m.sentence, []), m)
        return named if named != self.ctx.province else ""

    def _expand(self, text: str) -> str:
        """"các KCN" is "các khu công nghiệp": one name whatever the abbreviation."""
        table = self.lex.kb.local_agencies.abbreviations
        return " ".join(table.get(w, w) for w in text.split())

    def _council(self, m: Mention, head: str, admin: str) -> str:
        a = m.attrs
        if a.get("district"):
            return self.add("Agency", m.cls, f"{head} {admin} {a['district']}", m.text, level="district")
        province = a.get("province") or self._sentence_province(m) or self.ctx.province
        if not province:
            return ""
        p = self.lex.provinces[province]
        if _LOCAL.admin_levels.get(admin) == "city" and p.kind == PROVINCE_WORD:
            return self.add("Agency", m.cls, f"{head} {CITY_WORD} {province}", m.text, level="district")
        short = COUNCIL_INITIALS.get(head, head)
        phrase = province_phrase(self.lex, province)
        # a province renamed (Thừa Thiên Huế, Huế since 2025): its bodies under the former name too
        former = [f"{head} {PROVINCE_WORD} {old}" for old in p.formed_from
                  if len(p.formed_from) == 1 and old != province]
        return self.add("Agency", m.cls, f"{head} {phrase}", f"{short} {phrase}", f"{head} {province}",
                        f"{short} {province}", *former, province=province, level="province")


def resolve(sentences: list[Sentence], mentions: list[Mention],
            lex: Lexicon | None = None) -> tuple[list[Mention], dict[str, Entity], str]:
    """Key every mention; return the kept mentions, the entities and the main province."""
    resolver = Resolver(mentions, lex or lexicon(), sentences)
    kept = []
    for i, m in enumerate(mentions):
        r = resolver.resolve(i, m)
        if r is not None:
            kept.append(r)
    return kept, resolver.entities, resolver.ctx.province
