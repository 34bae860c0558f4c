"""Relation rules: link resolved entities with the contract's properties.

Each rule is registered by name, reads one document's keyed mentions and
entities, and returns `Relation`s with the sentence they rest on. Rules
may add entities the text implies but does not name (the issuer "Chính phủ"
of a "…/NĐ-CP" decree, the ministry of a known unit).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from .gazetteer import Lexicon, lexicon
from .model import Entity, Mention, Relation, Sentence
from .resolve import entity_key, province_phrase

SUB_ORGANIZATION = "org:subOrganizationOf"
MEMBER_OF = "org:memberOf"
PASSED_BY = "eli:passed_by"
CONTAINED_IN = "schema:containedInPlace"
AREA_SERVED = "schema:areaServed"
AMENDS = "eli:amends"

UNIT_CLASSES = {"MinistryUnit", "SubDepartment", "StateCentre", "ManagementBoard"}
PARENT_CLASSES = {"Ministry", "Department", "PeoplesCommittee", "CentralAgency"}


@dataclass
class Doc:
    """One document's keyed mentions and entities, as the rules see them."""

    sentences: list[Sentence]
    mentions: list[Mention]
    entities: dict[str, Entity]
    province: str
    lex: Lexicon

    def first_sentence(self, key: str) -> int:
        return next((m.sentence for m in self.mentions if m.key == key), 0)

    def known_agency(self, name: str) -> str:
        """Key of a gazetteer agency, adding its entity if the text only implies it."""
        a = self.lex.agencies[name]
        key = entity_key("Agency", a.name)
        if key not in self.entities:
            self.entities[key] = Entity(key, "Agency", a.cls, a.name, set(a.aliases))
        return key

    def top_level(self, sentence: int) -> list[Mention]:
        return [m for m in self.mentions if m.sentence == sentence and "nested" not in m.attrs]


Rule = Callable[[Doc], list[Relation]]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[name] = fn
        return fn

    return register


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
    for key, e in doc.entities.items():
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
    """Who passed a legal document: its number's suffix, else "của <agency>" after it."""
    out = []
    for m in doc.mentions:
        if m.type != "LegalDocument":
            continue
        issuers = []
        for code in m.attrs.get("issuers", "").split():
            if code in doc.lex.issuer_codes:
                issuers.append(doc.known_agency(doc.lex.issuer_codes[code]))
            elif code in doc.lex.data["legal_kinds"]["local_issuers"] and doc.province:
                issuers.append(_local_issuer(doc, code))
        if not issuers:
            after = [x for x in doc.top_level(m.sentence) if x.start >= m.end]
            gap = doc.sentences[m.sentence].text[m.end:after[0].start] if after else ""
            if after and after[0].type == "Agency" and re.fullmatch(r"(?:\s*,?\s*ngày\s+[\d/ -]+(?:tháng|năm|\d|\s)*)?"
                                                                  r"\s*(?:của|do)\s*", gap):
                issuers.append(after[0].key)
        out += [_rel(doc, m.key, PASSED_BY, k, m.sentence) for k in issuers if k]
    return out


def _local_issuer(doc: Doc, code: str) -> str:
    """"…/QĐ-UBND": the People's Committee of the province in context."""
    cls = doc.lex.data["legal_kinds"]["local_issuers"][code]
    province = doc.province
    phrase = province_phrase(doc.lex, province)
    heads = {c["class"]: c["canonical"] for c in doc.lex.data["local_agencies"]["councils"]}
    head = heads.get(cls)  # the names of councils live in local_agencies.json
    if head is None:
        name = f"{'Tỉnh ủy' if doc.lex.provinces[province].kind == 'tỉnh' else 'Thành ủy'} {province}"
    else:
        name = f"{head} {phrase}"
    key = entity_key("Agency", name)
    if key not in doc.entities:
        doc.entities[key] = Entity(key, "Agency", cls, name, set(), {"province": province, "level": "province"})
    return key


@rule("sub-organization")
def sub_organization(doc: Doc) -> list[Relation]:
    """Units inside their parent: a known unit's ministry, "X - Bộ Y", "các đơn vị thuộc Bộ: A; B"."""
    out = []
    for m in doc.mentions:
        if m.type != "Agency":
            continue
        e = doc.entities.get(m.key)
        parent = e.attrs.get("parent") if e else None
        known = doc.lex.agencies.get(e.label) if e else None
        if known and known.cls == "MinistryUnit" and known.parent:
            parent = known.parent
        if parent:
            out.append(_rel(doc, m.key, SUB_ORGANIZATION, doc.known_agency(parent), m.sentence))
    for s in doc.sentences:
        top = doc.top_level(s.index)
        for a, b in pairwise(top):
            gap = s.text[a.end:b.start]
            explicit = bool(re.fullmatch(r"\s*(?:\(\s*(?:(?:là\s+)?(?:đơn vị|cơ quan)\s+)?(?:trực thuộc|thuộc)?"
                                         r"|(?:trực thuộc|thuộc))\s*", gap))  # "X (Y)", "X (đơn vị trực thuộc Y)"
            loose = bool(re.fullmatch(r"\s*(?:-|–|,)?\s*", gap))  # "X - Bộ Y", "X, Bộ Y", "X Bộ Y"
            parent_ok = (b.cls in PARENT_CLASSES and (explicit or loose)) or (b.cls == "MinistryUnit" and explicit)
            if a.type == b.type == "Agency" and a.cls in UNIT_CLASSES and parent_ok and a.key != b.key:
                out.append(_rel(doc, a.key, SUB_ORGANIZATION, b.key, s.index))
        for i, m in enumerate(top):
            if (m.type == "Agency" and m.cls == "Ministry" and re.search(r"(?:thuộc|trực thuộc)\s*$", s.text[:m.start])
                    and re.match(r"\s*:", s.text[m.end:])):
                out += [_rel(doc, x.key, SUB_ORGANIZATION, m.key, s.index) for x in top[i + 1:]
                        if x.type == "Agency" and x.cls in UNIT_CLASSES and x.key != m.key]
    return out


POST_JOIN = re.compile(r"\s*(?:,|;|và|kiêm|,\s*kiêm|,\s*và)?\s*(?:tân\s+|nguyên\s+)?", re.UNICODE)
AFTER_NAME = re.compile(r"\s*(?:-|–|,|\(|là)\s*")


@rule("membership")
def membership(doc: Doc) -> list[Relation]:
    """A person's posts, before the name ("Bộ trưởng Bộ Công Thương Nguyễn Hồng Diên") or after it
    ("ông Trịnh Việt Hùng - Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"): one Membership per post."""
    out = []
    for s in doc.sentences:
        items = doc.top_level(s.index)
        posts: list[tuple[int, int, Mention, Mention]] = []
        for a, b in pairwise(items):
            if a.type == "Role" and b.type == "Agency" and re.fullmatch(r"\s*", s.text[a.end:b.start]):
                posts.append((a.start, b.end, a, b))
        claimed: set[int] = set()
        persons = [m for m in items if m.type == "Person"]
        for person in persons:
            chain, edge = [], person.start
            for post in reversed(posts):
                gap = s.text[post[1]:edge]
                if post[1] <= edge and (re.fullmatch(r"\s*", gap) if not chain else POST_JOIN.fullmatch(gap)):
                    chain.append(post)
                    edge = post[0]
                elif post[1] <= edge:
                    break
            for post in chain:
                claimed.add(post[0])
                out.append(_rel(doc, person.key, MEMBER_OF, post[3].key, s.index, post[2].name))
        for person in persons:
            edge, first = person.end, True
            for post in posts:
                if post[0] < edge or post[0] in claimed:
                    continue
                gap = s.text[edge:post[0]]
                if not (AFTER_NAME.fullmatch(gap) if first else POST_JOIN.fullmatch(gap)) or (";" in gap and not first):
                    break
                claimed.add(post[0])
                out.append(_rel(doc, person.key, MEMBER_OF, post[3].key, s.index, post[2].name))
                edge, first = post[1], False
    return out


@rule("amends")
def amends(doc: Doc) -> list[Relation]:
    """"A sửa đổi, bổ sung … B" gives A amends B; "B được sửa đổi … bởi A" the same."""
    kinds = doc.lex.data["legal_kinds"]
    forward = "|".join(map(re.escape, kinds["amend_triggers"]))
    backward = "|".join(map(re.escape, kinds["amended_by_triggers"]))
    out = []
    for s in doc.sentences:
        docs = [m for m in doc.top_level(s.index) if m.type == "LegalDocument"]
        for a, b in pairwise(docs):
            gap = s.text[a.end:b.start]
            if a.key == b.key:
                continue
            if re.search(backward, gap):
                out.append(_rel(doc, b.key, AMENDS, a.key, s.index))
            elif re.search(forward, gap):
                out.append(_rel(doc, a.key, AMENDS, b.key, s.index))
    return out


def relate(sentences: list[Sentence], mentions: list[Mention], entities: dict[str, Entity], province: str,
           lex: Lexicon | None = None) -> list[Relation]:
    """Every rule's relations for one document, without repeats."""
    doc = Doc(sentences, mentions, entities, province, lex or lexicon())
    found: dict[tuple, Relation] = {}
    for fn in RULES.values():
        for r in fn(doc):
            found.setdefault((r.subject, r.predicate, r.object, r.role), r)
    return list(found.values())
