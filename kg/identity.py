"""Identity across articles: which names are one thing nationwide, and which need a scope in their key.

An entity's key is its node's IRI, and it is computed in each article alone (no state shared between
articles), so two articles that give one key make one node. A name alone is not always an identity:

- **Legal documents numbered by their issuer.** Every province numbers its own "Quyết định số
  01/2024/QĐ-UBND" from 01 each year, and so does each Sở ("…/QĐ-SCT"). A number is *national* when
  every issuer code of its suffix is a national body's (the `abbr` of `data/agencies.json`: NĐ-CP,
  QĐ-TTg, QH15, TT-BCT, NQ/TW…, and `data/legal_kinds.json` `former_national_codes`: QĐ-BCN); such a
  key stays the number. Any other number (the codes of `data/legal_kinds.json` `local_issuers`, a
  Sở's, an unknown one) is scoped by its issuer: the body the article says passed it (`eli:passed_by`:
  "của UBND tỉnh X", or the suffix read in the article's province), else the article's province,
  else the article itself (never merged with another).
- **Namesakes.** A person holding a post in a province's body within the article (`org:memberOf` a
  body with a province, or a district's body in the article's province) is scoped by that province,
  the first such post's if several, as it is since the 2025 mergers (an official of Bình Định before
  1 July 2025 and of Gia Lai after is one person). Anyone else keeps the bare name, as before: national
  officials (one Bộ trưởng, one Thủ tướng), people with a company's post, and people the article gives
  no post (a byline, "ông X"), whose province kg does not guess.

The year of a number without one ("01/NQ-CP") is read in `resolve` (`Resolver.year`), where each
mention's date is at hand. Labels never change: only keys, hence IRIs.
"""

from __future__ import annotations

from dataclasses import replace

from .gazetteer import Lexicon
from .model import Entity, Mention, Relation
from .normalize import normalize_name
from .relate import MEMBER_OF, PASSED_BY
from .resolve import scoped

DOCUMENT_SCOPE = "doc:"  # a document whose issuer is unknown is the citing article's alone


def identify(mentions: list[Mention], entities: dict[str, Entity], relations: list[Relation], province: str,
             doc_id: str, lex: Lexicon) -> tuple[list[Mention], dict[str, Entity], list[Relation]]:
    """The article's mentions, entities and relations, with the keys of local documents and people scoped."""
    renamed = {**_documents(entities, relations, province, doc_id, lex),
               **_people(mentions, entities, relations, province, lex)}
    renamed = {old: new for old, new in renamed.items() if new != old}
    if not renamed:
        return mentions, entities, relations
    mentions = [replace(m, key=renamed[m.key]) if m.key in renamed else m for m in mentions]
    entities = {renamed.get(k, k): replace(e, key=renamed[k]) if k in renamed else e for k, e in entities.items()}
    relations = [replace(r, subject=renamed.get(r.subject, r.subject), object=renamed.get(r.object, r.object))
                 if r.subject in renamed or r.object in renamed else r for r in relations]
    return mentions, entities, relations


def national(codes: str, lex: Lexicon) -> bool:
    """Whether a number's issuer codes ("CP", "TTg", "BTC BCT") are all national bodies' (case aside:
    "QĐ-TTG" is written too), former ones included ("BCN"); a number without a code is not."""
    known = {c.upper() for c in (*lex.issuer_codes, *lex.kb.legal_kinds.former_national_codes)}
    return bool(codes.split()) and all(c.upper() in known for c in codes.split())


def _by_subject(relations: list[Relation], predicate: str) -> dict[str, list[Relation]]:
    """The relations of one predicate, by their subject's key."""
    out: dict[str, list[Relation]] = {}
    for r in relations:
        if r.predicate == predicate:
            out.setdefault(r.subject, []).append(r)
    return out


def _documents(entities: dict[str, Entity], relations: list[Relation], province: str, doc_id: str,
               lex: Lexicon) -> dict[str, str]:
    """Each local document's key scoped by its issuer, else the article's province, else the article."""
    issuers = _by_subject(relations, PASSED_BY)
    out = {}
    for key, e in entities.items():
        if e.type != "LegalDocument" or "number" not in e.attrs or national(e.attrs.get("issuers", ""), lex):
            continue
        passed = sorted(issuers.get(key, []), key=lambda r: (r.sentence, r.object))
        if passed:  # the first the article names, if it names several (one node for them, as before)
            out[key] = scoped(key, _name(passed[0].object))
        else:
            out[key] = scoped(key, normalize_name(province) if province else DOCUMENT_SCOPE + doc_id)
    return out


def _people(mentions: list[Mention], entities: dict[str, Entity], relations: list[Relation], province: str,
            lex: Lexicon) -> dict[str, str]:
    """Each person holding a post in a province's body scoped by that province; anyone else unscoped."""
    user = {m.key for m in mentions if m.user}  # a user's gazetteer says who is who: kept as it is
    posts = _by_subject(relations, MEMBER_OF)
    out = {}
    for key, e in entities.items():
        if e.type != "Person" or key in user:
            continue
        where, district = "", False
        for r in sorted(posts.get(key, []), key=lambda r: (r.sentence, r.object)):
            body = entities.get(r.object)
            if body is None or body.type != "Agency":
                continue  # a company's post says nothing of where the person is
            if body.attrs.get("province"):
                where = body.attrs["province"]
                break
            district = district or body.attrs.get("level") == "district"
        where = where or (province if district else "")  # "Chủ tịch UBND huyện X": a district of the article's
        if where:
            out[key] = scoped(key, normalize_name(_after_mergers(where, lex)))
    return out


def _after_mergers(province: str, lex: Lexicon) -> str:
    """The province as it is since the 1 July 2025 mergers ("Bình Định" -> "Gia Lai")."""
    p = lex.provinces.get(province)
    return p.merged_into if p and p.merged_into else province



def _name(key: str) -> str:
    """A key without its type: "agency:ủy ban nhân dân tỉnh gia lai" -> "ủy ban nhân dân tỉnh gia lai"."""
    return key.partition(":")[2]
