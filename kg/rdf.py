"""Build the RDF graph (the graph contract: docs/graph-contract.md).

IRIs are pure functions of canonical keys, so two runs give the same triples
and graphs built from separate batches merge by plain union. Every mention,
relation, membership and observation points to the sentence it came from
(`kg:evidence`, `kg:inSentence`), and sentences to their document with their
text and offsets.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from itertools import groupby, pairwise
from typing import NamedTuple

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from . import territory
from .gazetteer import Lexicon, lexicon
from .knowledge import entity_types
from .model import Entity, Extraction, Observation, Relation, Sentence
from .quantity import Figure, figure, indicator_of
from .resolve import SCOPE, entity_key
from .tenure import post_end, post_start


class _Namespace(Namespace):
    """An rdflib Namespace that makes each term once (the build asks for the same few terms millions of times):
    kept as an attribute of the namespace, later asks of it are plain attribute reads, not calls."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = _term(self, name)
        self.__dict__[name] = term
        return term


@cache
def _term(ns: Namespace, name: str) -> URIRef:
    return URIRef(str(ns) + name)


# rdflib's closed namespaces check every term asked of them (slow, and a build asks millions of times): the
# same IRIs, each made once
RDF, RDFS, XSD, DCTERMS, SKOS = (_Namespace(str(ns)) for ns in (RDF, RDFS, XSD, DCTERMS, SKOS))
KG = _Namespace("https://w3id.org/kg-vn/ontology#")
ID = Namespace("https://w3id.org/kg-vn/id/")

# How much of a fact's provenance a build writes (`kg build --evidence`): "full", every fact's sentence and
# every mention's words and offsets; "sentences", no mentions; "none", no sentences either (no kg:Sentence,
# kg:evidence, kg:endEvidence, nor the rdf:Statement nodes that only carry evidence): documents still say
# what they mention.
EVIDENCE_LEVELS = ("full", "sentences", "none")
_ID_RE = re.escape(str(ID)).encode()
_DROPPED = {
    "sentences": re.compile(rb"^<" + _ID_RE + rb"doc/[^>/]+/m\d+> "),
    "none": re.compile(rb"^<" + _ID_RE + rb"(?:doc/[^>/]+/[ms]\d+|statement/[^>]+)> |^<[^>]+> <"
                       + re.escape(str(KG)).encode() + rb"(?:evidence|endEvidence)> "),
}


def at_evidence_level(quads: bytes, level: str = "full") -> bytes:
    """A document's N-Quads with the provenance `level` leaves out removed (the same bytes at "full")."""
    if level == "full" or not quads:
        return quads
    drop = _DROPPED[level]
    return b"".join(line for line in quads.splitlines(keepends=True) if not drop.match(line))


ORG = _Namespace("http://www.w3.org/ns/org#")
ELI = _Namespace("http://data.europa.eu/eli/ontology#")
SCHEMA = _Namespace("https://schema.org/")
PROV = _Namespace("http://www.w3.org/ns/prov#")
QB = _Namespace("http://purl.org/linked-data/cube#")
TIME = _Namespace("http://www.w3.org/2006/time#")
IND = Namespace("https://w3id.org/kg-vn/indicator/")

PREFIXES = {"kg": KG, "id": ID, "org": ORG, "eli": ELI, "schema": SCHEMA, "skos": SKOS, "dcterms": DCTERMS,
            "prov": PROV, "rdfs": RDFS, "xsd": XSD, "qb": QB, "time": TIME, "ind": IND}
PREDICATES = {"org:subOrganizationOf": ORG.subOrganizationOf, "org:memberOf": ORG.memberOf,
              "eli:passed_by": ELI.passed_by, "schema:containedInPlace": SCHEMA.containedInPlace,
              "schema:areaServed": SCHEMA.areaServed, "eli:amends": ELI.amends, "eli:based_on": ELI.based_on,
              "eli:repeals": ELI.repeals, "kg:replaces": KG.replaces, "kg:implements": KG.implements}
SHORT_PREFIXES = {k: str(v) for k, v in PREFIXES.items() if k != "id"}  # "id:" would hide which kind of node


def compact(iri: str, prefixes: dict[str, str] = SHORT_PREFIXES) -> str:
    """"org:memberOf" for an IRI in a known namespace, else the IRI itself."""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


class GraphFormat(NamedTuple):
    """How a graph file of one extension is parsed: by rdflib, and by Oxigraph when kg loads it into a store."""

    rdflib: str
    oxigraph: str | None  # a pyoxigraph.RdfFormat name


GRAPH_FORMATS = {".ttl": GraphFormat("turtle", "TURTLE"), ".nt": GraphFormat("nt", "N_TRIPLES"),
                 ".nq": GraphFormat("nquads", "N_QUADS"), ".trig": GraphFormat("trig", "TRIG"),
                 ".jsonld": GraphFormat("json-ld", "JSON_LD"), ".json": GraphFormat("json-ld", None),
                 ".rdf": GraphFormat("xml", "RDF_XML"), ".xml": GraphFormat("xml", None),
                 ".owl": GraphFormat("xml", None)}
STORE_FORMATS = {suffix: f.oxigraph for suffix, f in GRAPH_FORMATS.items() if f.oxigraph}
# Prefixes written in Turtle and TriG: one per kind of entity keeps local names free of escaped "/".
SEGMENTS = {t.name: t.segment for t in entity_types().values()}
UNIQUE_SLUGS = {t.name.lower() for t in entity_types().values() if t.unique_slug}  # keys' type part is lower case
WRITTEN_PREFIXES = {**{k: str(v) for k, v in PREFIXES.items() if k != "id"},
                    **{segment: f"{ID}{segment}/" for segment in SEGMENTS.values()}}


@lru_cache(maxsize=4096)  # most calls come through `entity_iri`, cached itself
def slug(text: str) -> str:
    """ASCII slug: "Sở Công Thương" -> "so-cong-thuong"."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:10]


PROVINCE = "province"  # the type part of a province's key: "province:thái nguyên @2025" -> …/thai-nguyen-2025


@lru_cache(maxsize=8192)  # the names a few hundred articles share: memory flat from there
def entity_iri(key: str) -> URIRef:
    """IRI of an entity from its key: readable slug, plus a short hash where slugs could collide.

    Provinces and legal documents have unique slugs (a name from the gazetteer,
    a document number); for other names diacritics matter ("Hùng" ≠ "Hưng"), and
    so they do in a scope (a legal document's issuer or citing article: kg/identity.py).
    """
    type_, _, name = key.partition(":")
    segment = next((v for k, v in SEGMENTS.items() if k.lower() == type_), "entity")
    if type_ in UNIQUE_SLUGS and (SCOPE not in name or type_ == PROVINCE):  # a province's scope is its era
        return ID[f"{segment}/{slug(name)}"]
    return ID[f"{segment}/{slug(name)}-{digest(key)[:6]}"]


@lru_cache(maxsize=4096)
def document_iri(doc_id: str) -> URIRef:
    safe = doc_id if re.fullmatch(r"[A-Za-z0-9_.-]+", doc_id) else f"{slug(doc_id)}-{digest(doc_id)[:6]}"
    return ID[f"doc/{safe}"]


def sentence_iri(doc_id: str, index: int) -> Iri:
    return Iri(f"{document_iri(doc_id)}/s{index}")


@cache
def ontology() -> Graph:
    """The project's ontology (ontology/kg.ttl, shipped in the package as kg.ontology)."""
    onto = Graph()
    onto.parse(data=resources.files("kg.ontology").joinpath("kg.ttl").read_text(encoding="utf-8"), format="turtle")
    return onto


def label_of(term: URIRef, lang: str = "vi") -> str:
    """The ontology's label for a class or property, in one language."""
    return next((str(x) for x in ontology().objects(term, RDFS.label) if getattr(x, "language", None) == lang), "")


@cache
def class_hierarchy() -> tuple[tuple[URIRef, URIRef], ...]:
    """rdfs:subClassOf pairs of the ontology, so a graph file is typed on its own."""
    onto = ontology()
    return tuple(sorted((s, o) for s, o in onto.subject_objects(RDFS.subClassOf)
                        if isinstance(s, URIRef) and isinstance(o, URIRef) and str(s).startswith(str(KG))))


class Lit(NamedTuple):
    """A literal as the build writes it: cheaper than an rdflib Literal, converted when a Graph is wanted."""

    lexical: str
    language: str = ""
    datatype: str = ""


class Iri(str):
    """An IRI the build made itself (safe by construction): no rdflib validation on the hot path."""

    __slots__ = ()


_INTEGER = str(XSD.integer)


def lit(value: object, lang: str = "", datatype: URIRef | str = "") -> Lit:
    """A literal, its text in NFC: the same value whatever the encoding it was read in."""
    if isinstance(value, int) and not datatype:
        return Lit(str(value), "", _INTEGER)
    text = str(value)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return Lit(text, lang, str(datatype) if datatype else "")


# Characters an IRI may hold as they are (RFC 3987): ASCII letters, digits and delimiters, and the
# "ucschar" ranges; anything else is percent-encoded as UTF-8. "%" stays only before two hex digits.
_IRI_KEEP = re.compile("[A-Za-z0-9._~:/?#@!$&'()*+,;=-]|%[0-9A-Fa-f]{2}|[\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
                       "\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd\U00040000-\U0004fffd"
                       "\U00050000-\U0005fffd\U00060000-\U0006fffd\U00070000-\U0007fffd\U00080000-\U0008fffd"
                       "\U00090000-\U0009fffd\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd"
                       "\U000d0000-\U000dfffd\U000e1000-\U000efffd]")


def _percent_encode(text: str) -> str:
    """`text` with every character an IRI cannot hold percent-encoded ("a b" -> "a%20b"); "[" and "]" are
    kept in the authority only (an IPv6 host), a second "#" is encoded."""
    scheme, sep, rest = text.partition("://")
    authority_end = len(scheme) + len(sep) + len(re.match(r"[^/?#]*", rest).group()) if sep else 0
    out, fragment = [], False
    for i, ch in enumerate(text):
        if ch in "[]":
            keep = i < authority_end
        elif ch == "#":
            keep, fragment = not fragment, True
        else:
            keep = _IRI_KEEP.match(text, i) is not None
        out.append(ch if keep else "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")))
    return "".join(out)


@lru_cache(maxsize=4096)
def web_address(url: str) -> Iri | Lit:
    """An http(s) address as an IRI every RDF parser accepts (characters an IRI cannot hold percent-encoded),
    or, when it is no such address even then, the text as a literal: a bad URL never breaks a graph file."""
    url = url.strip()
    iri = _percent_encode(url)
    if re.match(r"https?://[^/?#]", iri) and _valid_iri(iri):
        return Iri(iri)
    return lit(url)


def _valid_iri(iri: str) -> bool:
    """Whether Oxigraph, the strictest parser kg writes for, accepts `iri` (RFC 3987)."""
    from pyoxigraph import NamedNode

    try:
        NamedNode(iri)
    except ValueError:
        return False
    return True


def rdflib_term(term: object) -> URIRef | Literal:
    """The rdflib form of a term of the build."""
    if isinstance(term, Lit):
        return Literal(term.lexical, lang=term.language or None,
                       datatype=URIRef(term.datatype) if term.datatype else None)
    if isinstance(term, Iri):
        return URIRef(term)
    return term


def decimal_literal(value: Decimal) -> Literal:
    """xsd:decimal in canonical form ("143000.0", "-0.2"), so every format writes the same literal."""
    text = format(value.normalize() if value != value.to_integral() else value.to_integral(), "f")
    return lit(text if "." in text else f"{text}.0", datatype=XSD.decimal)


class Sink(list):
    """Triples collected in order; `add` as on an rdflib Graph, without a Graph's indexes (much faster)."""

    add = list.append


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def _entity(g: Sink, e: Entity, lex: Lexicon) -> None:
    node = entity_iri(e.key)
    g.add((node, RDF.type, KG[e.cls]))
    g.add((node, RDFS.label, lit(e.label, lang="vi")))
    for alt in sorted(e.alt_labels):
        g.add((node, SKOS.altLabel, lit(alt, lang="vi")))
    a = e.attrs
    if e.type == "LegalDocument":
        if a.get("number"):
            g.add((node, KG.documentNumber, lit(a["number"])))
        else:  # a law cited by its title only
            g.add((node, DCTERMS.title, lit(e.label, lang="vi")))
        if a.get("date"):
            g.add((node, ELI.date_document, lit(a["date"], datatype=XSD.date)))
        if a.get("subject"):
            g.add((node, KG.subject, lit(a["subject"], lang="vi")))
    if e.type == "Province" and e.label in lex.provinces:
        _province_facts(g, node, e.key, e.label, lex)
    if e.type == "Agency" and e.label in lex.agencies:
        known = lex.agencies[e.label]
        if known.valid_until:
            g.add((node, KG.validUntil, lit(known.valid_until, datatype=XSD.date)))
        if known.succeeded_by:
            successor = entity_iri(entity_key("Agency", known.succeeded_by))
            g.add((node, KG.succeededBy, successor))
            g.add((successor, RDF.type, KG[lex.agencies[known.succeeded_by].cls]))
            g.add((successor, RDFS.label, lit(known.succeeded_by, lang="vi")))


def _province_facts(g: Sink, node: URIRef, key: str, name: str, lex: Lexicon, links: bool = True) -> None:
    """Codes of the unit (GSO until and since 1 July 2025, ISO 3166-2:VN), and the merger: a unit that ended
    `kg:mergedInto` the merged one, which is `prov:wasDerivedFrom` each unit it took in, both with the date.
    The units linked to are described too (type, name, codes), without their own links (`links`)."""
    p = lex.provinces[name]
    since = territory.since_merger_key(key, lex)
    merger = lit(lex.kb.provinces.merger.date, datatype=XSD.date)
    if p.code and not since:
        g.add((node, KG.provinceCode, lit(p.code)))
    if p.code_2025 and (since or not p.two_units):
        g.add((node, KG.provinceCode2025, lit(p.code_2025)))
    if p.iso and not since:  # ISO has no codes yet for the merged units (provinces.json, iso_source)
        g.add((node, KG.isoCode, lit(p.iso)))
    if not links:
        return
    if since:
        g.add((node, KG.mergerDate, merger))
        for old in p.formed_from:
            _province_link(g, node, PROV.wasDerivedFrom, territory.unit_key(old, False, lex), old, lex)
        return
    into = p.merged_into or (name if p.two_units else None)
    if into:
        g.add((node, KG.mergerDate, merger))
        _province_link(g, node, KG.mergedInto, territory.unit_key(into, True, lex), into, lex)


def _province_link(g: Sink, node: URIRef, predicate: URIRef, key: str, name: str, lex: Lexicon) -> None:
    target = entity_iri(key)
    g.add((node, predicate, target))
    g.add((target, RDF.type, KG.Province))
    g.add((target, RDFS.label, lit(name, lang="vi")))
    _province_facts(g, target, key, name, lex, links=False)


def _sentence(g: Sink, s: Sentence) -> URIRef:
    node = sentence_iri(s.doc_id, s.index)
    g.add((node, RDF.type, KG.Sentence))
    g.add((node, KG.inDocument, document_iri(s.doc_id)))
    g.add((node, KG.sentenceIndex, lit(s.index)))
    g.add((node, KG.text, lit(s.text, lang="vi")))
    g.add((node, KG.startOffset, lit(s.start)))
    g.add((node, KG.endOffset, lit(s.end)))
    return node


def _relation(g: Sink, r: Relation, evidence: URIRef, written: date | None = None,
              began: date | None = None, ended: date | None = None) -> None:
    s, o = entity_iri(r.subject), entity_iri(r.object)
    if r.predicate == "org:memberOf":
        g.add((s, ORG.memberOf, o))
        role = ID[f"role/{slug(r.role)}"] if r.role else None
        node = ID[f"membership/{digest(r.subject, r.object, r.role)}"]
        g.add((node, RDF.type, ORG.Membership))
        g.add((node, ORG.member, s))
        g.add((node, ORG.organization, o))
        if role is not None:
            g.add((node, ORG.role, role))
            g.add((role, RDF.type, KG.Role))
            g.add((role, RDFS.label, lit(r.role, lang="vi")))
        g.add((node, KG.evidence, evidence))
        if r.ended:
            g.add((node, KG.endEvidence, evidence))
        _tenure(g, node, written, began, ended, r.ended)
        return
    p = PREDICATES[r.predicate]
    g.add((s, p, o))
    node = ID[f"statement/{digest(r.subject, r.predicate, r.object)}"]
    g.add((node, RDF.type, KG.Statement))
    g.add((node, RDF.subject, s))
    g.add((node, RDF.predicate, p))
    g.add((node, RDF.object, o))
    g.add((node, KG.evidence, evidence))


def _tenure(g: Sink, membership: URIRef, written: date | None, began: date | None,
            ended: date | None = None, former: bool = False) -> None:
    """A post in time: the date of the article that states it held (kg:statedOn) or ended (kg:endedBy), and
    when it began and ended where the sentence says."""
    if written:
        g.add((membership, KG.endedBy if former else KG.statedOn, lit(written.isoformat(), datatype=XSD.date)))
    if began or ended:
        during = URIRef(f"{membership}/during")
        g.add((membership, ORG.memberDuring, during))
        g.add((during, RDF.type, TIME.Interval))
        _ends(g, during, began, ended)


def _ends(g: Sink, interval: URIRef, start: date | None, end: date | None) -> None:
    """A W3C Time interval's known ends, each a time:Instant with its xsd:date (posts and periods alike)."""
    for edge, day in ((TIME.hasBeginning, start), (TIME.hasEnd, end)):
        if day:
            instant = ID[f"instant/{day.isoformat()}"]
            g.add((interval, edge, instant))
            g.add((instant, RDF.type, TIME.Instant))
            g.add((instant, TIME.inXSDDate, lit(day.isoformat(), datatype=XSD.date)))


def _iso_date(text: str) -> bool:
    """A real date written YYYY-MM-DD (ASCII digits): typed xsd:date; anything else stays plain text."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


_MENTION = (SCHEMA.mentions, RDF.type, KG.Mention, KG.mentionOf, KG.inSentence, KG.surfaceForm, KG.startOffset,
            KG.endOffset)


def add_extraction(g: Sink, x: Extraction, lex: Lexicon) -> None:
    """The triples one document contributes of itself (its entities are added by `document_triples`)."""
    doc = document_iri(x.document.id)
    g.add((doc, RDF.type, KG.SourceDocument))
    g.add((doc, DCTERMS.identifier, lit(x.document.id)))
    if x.document.title:
        g.add((doc, DCTERMS.title, lit(x.document.title, lang="vi")))
    if x.document.source:
        g.add((doc, KG.sourceFile, lit(x.document.source.replace("\\", "/").rsplit("/", 1)[-1])))
    meta = x.document.metadata
    if meta.get("date"):
        g.add((doc, DCTERMS.date, lit(meta["date"], datatype=XSD.date) if _iso_date(meta["date"])
               else lit(meta["date"])))
    if meta.get("url"):
        g.add((doc, DCTERMS.source, web_address(meta["url"])))
    if meta.get("author"):  # dcterms:creator's range is an agent: the author is a node with a name
        author = ID[f"author/{slug(meta['author'])}-{digest('author', meta['author'])[:6]}"]
        g.add((doc, DCTERMS.creator, author))
        g.add((author, RDF.type, DCTERMS.Agent))
        g.add((author, RDFS.label, lit(meta["author"], lang="vi")))
    sentences = {s.index: s for s in x.sentences}
    written = _written(meta)
    used: dict[int, URIRef] = {}

    def evidence(index: int) -> URIRef:
        if index not in used:
            used[index] = _sentence(g, sentences[index])
        return used[index]

    mentions, a, mention, of, at, words, begins, ends = _MENTION  # every mention: terms looked up once
    for k, m in enumerate(x.mentions):
        entity = entity_iri(m.key)
        g.add((doc, mentions, entity))
        node = Iri(f"{doc}/m{k}")
        start, end = sentences[m.sentence].original_span(m.start, m.end)
        g.add((node, a, mention))
        g.add((node, of, entity))
        g.add((node, at, evidence(m.sentence)))
        g.add((node, words, lit(m.text, lang="vi")))
        g.add((node, begins, lit(start)))
        g.add((node, ends, lit(end)))
    posts = Counter(r.sentence for r in {(r.subject, r.object, r.role, r.sentence): r
                                           for r in x.relations if r.predicate == "org:memberOf"}.values())
    named: dict[int, list[tuple[int, str]]] = {}
    for m in x.mentions:
        if m.key.startswith("person:"):
            named.setdefault(m.sentence, []).append((m.start, m.key))
    for r in x.relations:
        began = ended = None
        if r.predicate == "org:memberOf" and posts.get(r.sentence) == 1:
            text = sentences[r.sentence].text
            began = None if r.ended else post_start(text, written, r.subject, named.get(r.sentence, []))
            ended = post_end(text, written) if r.ended else None
        _relation(g, r, evidence(r.sentence), written, began, ended)
    for o in x.observations:
        shared = [o.subject] if o.shared else []  # one figure, several provinces: a node each
        node = ID[f"observation/{digest(o.doc_id, o.sentence, o.start, o.value, o.unit, *shared)}"]
        g.add((node, RDF.type, SCHEMA.Observation))
        g.add((node, SCHEMA.observationAbout, entity_iri(o.subject)))
        g.add((node, SCHEMA.value, decimal_literal(o.value)))
        g.add((node, SCHEMA.unitText, lit(o.unit)))
        if o.indicator:
            g.add((node, SCHEMA.variableMeasured, lit(o.indicator, lang="vi")))
        if o.period:
            g.add((node, KG.period, lit(o.period, lang="vi")))
            year = re.fullmatch(r"năm (\d{4})", o.period, re.IGNORECASE)
            if year:
                g.add((node, SCHEMA.observationDate, lit(year.group(1), datatype=XSD.gYear)))
        g.add((node, KG.evidence, evidence(o.sentence)))
        _figure(g, node, o, figure(o, sentences[o.sentence].text, written))
    if x.observations:
        g += _structure()


@cache
def _structure() -> tuple[tuple[URIRef, URIRef, URIRef | Literal], ...]:
    """The Data Cube structure of kg's data sets, as ontology/kg.ttl defines it: copied into each document that
    has statistics, so that a store (or a validator) sees the cube's structure next to its data."""
    onto = ontology()
    specs = set(onto.objects(KG.statisticsStructure, QB.component))
    return tuple(sorted((s, p, o) for s in {KG.statisticsStructure, *specs} for p, o in onto.predicate_objects(s)
                        if p != RDFS.isDefinedBy and not (p in (RDFS.label, RDFS.comment) and s in specs)))


def _written(meta: dict[str, str]) -> date | None:
    """The article's date, which settles a year its periods imply ("7 tháng đầu năm") and "đến nay"."""
    return date.fromisoformat(meta["date"]) if _iso_date(meta.get("date", "")) else None


def _figure(g: Sink, node: URIRef, o: Observation, f: Figure) -> None:
    """An observation as data: value in the base unit, unit code, kind, period as dates and as a W3C Time
    interval, and its place in an RDF Data Cube data set per indicator."""
    g.add((node, KG.normalizedValue, decimal_literal(f.value)))
    g.add((node, SCHEMA.unitCode, lit(f.code)))
    g.add((node, KG.figureKind, KG[f.kind]))
    start, end = f.period.start, f.period.end
    if start:
        g.add((node, KG.periodStart, lit(start.isoformat(), datatype=XSD.date)))
    if end:
        g.add((node, KG.periodEnd, lit(end.isoformat(), datatype=XSD.date)))
    if start is None and end is None:
        g.add((node, KG.periodUnknown, lit("true", datatype=XSD.boolean)))
        g.add((node, KG.refPeriod, KG.unknownPeriod))
    else:
        interval = ID[f"period/{start.isoformat() if start else 'open'}_{end.isoformat() if end else 'open'}"]
        g.add((node, KG.refPeriod, interval))
        g.add((interval, RDF.type, TIME.Interval))
        _ends(g, interval, start, end)
    concept = indicator_of(o.indicator, f.code)
    dataset = ID[f"dataset/{concept.rsplit('/', 1)[-1] if concept else 'other'}"]
    g.add((node, RDF.type, QB.Observation))
    g.add((node, QB.dataSet, dataset))
    g.add((dataset, RDF.type, QB.DataSet))
    g.add((dataset, QB.structure, KG.statisticsStructure))
    if concept:
        g.add((node, KG.indicator, URIRef(concept)))
        g.add((dataset, KG.indicator, URIRef(concept)))


def graph_iri(doc_id: str) -> URIRef:
    """The named graph that holds one document's facts and the descriptions of the entities it names: the
    union of document graphs is the whole graph, so a store can add, replace or remove one document."""
    return URIRef(str(document_iri(doc_id)).replace("/doc/", "/graph/doc/"))


def document_triples(x: Extraction, lex: Lexicon | None = None) -> Sink:
    """One document's triples: the document, its sentences, mentions, relations and statistics, and what it
    says of its entities (types, names, facts, the classes above theirs)."""
    lex = lex or lexicon()
    sink = Sink()
    add_extraction(sink, x, lex)
    sink += entity_triples(x.entities.values(), lex)
    return sink


def entity_triples(entities: Iterable[Entity], lex: Lexicon | None = None) -> Sink:
    """Entity descriptions (types, names, facts from the gazetteers) and the class hierarchy they use."""
    lex = lex or lexicon()
    sink = Sink()
    ordered = sorted(entities, key=lambda e: e.key)
    for e in ordered:
        _entity(sink, e, lex)
    parents: dict[URIRef, list[URIRef]] = {}
    for c, o in class_hierarchy():
        parents.setdefault(c, []).append(o)
    # a class the ontology does not declare (added in a data file or a user gazetteer) sits under its type
    extra = sorted({(KG[e.cls], KG[e.type]) for e in ordered if e.cls != e.type and KG[e.cls] not in parents})
    for c, o in extra:
        parents[c] = [o]
    todo, wanted = [o for _, p, o in sink if p == RDF.type], set()
    while todo:
        cls = todo.pop()
        if cls in parents and cls not in wanted:
            wanted.add(cls)
            todo += parents[cls]
    sink += [(c, RDFS.subClassOf, o) for c, o in [*class_hierarchy(), *extra] if c in wanted]
    return sink


# ------------------------------------------------------------------ N-Triples, written directly

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


_TO_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')  # a backslash, a quote, a control character


def _escape(text: str) -> str:
    if not _TO_ESCAPE.search(text):  # most literals: one scan in C
        return text
    return _TO_ESCAPE.sub(lambda m: _ESCAPES.get(m.group()) or f"\\u{ord(m.group()):04X}", text)


_STRING = str(XSD.string)


_IRIS = {URIRef, Iri}


def nt_term(term: URIRef | Literal | Lit) -> str:
    kind = type(term)  # the exact type first: most terms are IRIs, and isinstance on rdflib's terms is slow
    if kind is URIRef or kind is Iri:
        return f"<{term}>"
    if kind is Lit:
        if term.language:
            return f'"{_escape(term.lexical)}"@{term.language}'
        if term.datatype and term.datatype != _STRING:
            return f'"{_escape(term.lexical)}"^^<{term.datatype}>'
        return f'"{_escape(term.lexical)}"'
    if isinstance(term, Literal):
        return nt_term(Lit(str(term), term.language or "", str(term.datatype or "")))
    return f"<{term}>"


def nt_lines(triples: Iterable[tuple]) -> list[str]:
    """"<s> <p> o" for each triple (N-Triples without the final " ."): subjects and predicates are IRIs, objects
    mostly (written here without a call: this runs for every triple of a build)."""
    return [f"<{s}> <{p}> <{o}>" if type(o) in _IRIS else f"<{s}> <{p}> {nt_term(o)}" for s, p, o in triples]


def quad_lines(triples: Iterable[tuple], graph: URIRef) -> bytes:
    """The N-Quads of triples in one named graph: sorted, unique lines of UTF-8.

    Sorted here, per document and in the worker, so that `nquads` only merges
    runs; one bytes object, so that it crosses between processes in one copy.
    """
    tail = f" <{graph}> .\n".encode()
    return b"".join(sorted({line.encode("utf-8") + tail for line in nt_lines(triples)}))


def nquads(chunks: list[bytes]) -> bytes:
    """Sorted, unique N-Quads of several `quad_lines` chunks: the same graph always gives the same bytes.

    `chunks` is emptied as it is read, so the graph is never held twice over.
    """
    quads: list[bytes] = []
    while chunks:
        quads += chunks.pop().split(b"\n")[:-1]  # no empty line after the last newline
    quads.sort()  # sorted runs: the sort merges them
    unique = [quad for quad, _ in groupby(quads)]
    del quads
    if unique:
        unique.append(b"")  # the last line's newline, without copying the whole
    return b"\n".join(unique)


def _lines(data: bytes, window: int = 1 << 23) -> Iterator[bytes]:
    """The lines of newline-terminated `data`, split a few megabytes at a time (not all held at once)."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", start + window) + 1 or len(data)
        yield from data[start:end].split(b"\n")[:-1]
        start = end


def triples_of(nquads_data: bytes) -> bytes:
    """The N-Triples of N-Quads as `nquads` writes them: graphs dropped, triples sorted and unique.

    No second sort is needed: the space before a line's graph sorts below any
    character that can follow a complete triple, so sorted quads list their
    triples in order, a triple's copies in several graphs side by side.
    """
    triples = [triple for triple, _ in groupby(line.rpartition(b" <")[0] for line in _lines(nquads_data))]
    if triples:
        triples.append(b"")
    return b" .\n".join(triples)


def each_triple_once(lines: Iterable[bytes]) -> Iterator[bytes]:
    """Sorted N-Quads lines with only the first of each triple's copies in several graphs (side by side, as in
    `triples_of`): what a format without graphs, or a view, needs of them."""
    return (next(copies) for _, copies in groupby(lines, key=lambda line: line.rpartition(b" <")[0]))


def count_entities(blocks: Iterable[bytes]) -> int:
    """How many entities sorted N-Quads describe (typed subjects with an entity IRI), found without
    parsing and a block of lines at a time: the view decides from it whether a graph is too large to draw."""
    count, last = 0, b""
    for block in blocks:
        for m in _typed_entity().finditer(block):
            subject = block[m.start():block.find(b" ", m.start())]
            if subject != last:  # a subject's lines are side by side, across blocks too
                count, last = count + 1, subject
    return count


@cache
def _typed_entity() -> re.Pattern[bytes]:
    segments = b"|".join(re.escape(f"{ID}{s}/".encode()) for s in SEGMENTS.values())
    return re.compile(rb"^<(?:" + segments + rb")[^>]*> <" + re.escape(str(RDF.type).encode()) + rb"> ",
                      re.MULTILINE)


def subject_spans(data: bytes, parts: int) -> list[tuple[int, int]]:
    """Offsets cutting sorted N-Quads (or N-Triples) into about `parts` equal pieces, never inside the lines of
    one subject: each piece then writes as Turtle on its own, and the pieces join into the whole's Turtle."""
    cuts = [0]
    for i in range(1, parts):
        cut = data.find(b"\n", max(cuts[-1], len(data) * i // parts)) + 1
        if not cut:
            break
        subject = data[cut:data.find(b" ", cut) + 1]
        while subject and data.startswith(subject, cut):
            cut = data.find(b"\n", cut) + 1
        if cut in (0, len(data)):
            break
        cuts.append(cut)
    cuts.append(len(data))
    return list(pairwise(cuts))


def extraction_nquads(extractions: list[Extraction], lex: Lexicon | None = None) -> bytes:
    """The N-Quads of whole extractions (the API's and the tests' way to the exporters)."""
    return nquads([quad_lines(document_triples(x, lex), graph_iri(x.document.id)) for x in extractions])


def to_graph(extractions: list[Extraction], lex: Lexicon | None = None) -> Graph:
    """The whole graph in one rdflib Graph: documents, sentences, mentions, entities, relations, statistics."""
    g = new_graph()
    g.addN((rdflib_term(s), p, rdflib_term(o), g) for x in extractions for s, p, o in document_triples(x, lex))
    return g
