"""Territory in time: which province a name stands for, before or after the 1 July 2025 mergers.

A province that took in others on 1 July 2025 kept its name (Thái Nguyên took in Bắc Kạn), so the name
stands for two territories: the unit until 30 June 2025 (key "province:thái nguyên", IRI
`…/province/thai-nguyen`, as before) and the merged unit since 1 July 2025 (key "province:thái nguyên @2025",
IRI `…/province/thai-nguyen-2025`). A province whose territory did not change (Hà Nội, Huế) and a province
that ceased to be (Bắc Kạn) are one unit, as before.

Per article, one name is one unit, the first rule that decides:

1. the words right after the name in the article: "tỉnh Lào Cai (mới)", "Thái Nguyên sau sáp nhập" (the unit
   since the merger), "Lào Cai (cũ)", "Quảng Ngãi trước sáp nhập" (the unit until it), when they all agree;
2. the article's date (`dcterms:date`, from an HTML page or a JSON line): on or after 1 July 2025, the merged unit;
3. an undated article that says it is after the merger ("sau sáp nhập", "sáp nhập tỉnh"): the merged unit;
4. else the unit until the merger (what kg gave every mention before).

A figure has its own time: a figure whose period ends before 1 July 2025 is about the unit until then, one
whose period starts on or after it about the merged unit, whatever the article's date; a target ("đến năm
2030"), a period across the date and an unknown period follow the article's unit. Such a unit is the
figure's subject only: the article's `schema:mentions` lists the units its words name (a scorer that pairs
nodes by label cannot tell two nodes called "Thái Nguyên" in one article apart).

The words are data (provinces.json, `territory`); everything is read from one article, no global state.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from functools import cache

from .gazetteer import Lexicon
from .model import Document, Entity, Mention, Observation, Relation, Sentence, evolve
from .quantity import figure
from .resolve import entity_key, scoped


def unit_key(name: str, since_merger: bool, lex: Lexicon) -> str:
    """The key of the unit a province name stands for, until or since the merger (one key if one unit)."""
    key = entity_key("Province", name)
    p = lex.provinces.get(name)
    return scoped(key, lex.kb.provinces.territory.suffix) if since_merger and p and p.two_units else key


def since_merger_key(key: str, lex: Lexicon) -> bool:
    """Whether a province key is that of a unit formed on the merger date under an old name."""
    return key.endswith(scoped("", lex.kb.provinces.territory.suffix))


def merger_date(lex: Lexicon) -> date:
    return date.fromisoformat(lex.kb.provinces.merger.date)


def article_date(document: Document) -> date | None:
    """The article's date from its metadata ("2025-08-22", or the date part of a date-time), else None."""
    text = document.metadata.get("date", "")[:10]
    try:
        return date.fromisoformat(text) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) else None
    except ValueError:
        return None


@cache
def _clues(lex: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Patterns of the words after a name (since, until the merger) and of an undated article's words."""
    t = lex.kb.provinces.territory

    def after_name(words: tuple[str, ...]) -> re.Pattern[str]:
        # one bare word ("mới", "cũ") only before punctuation or the end: "Thái Nguyên mới đạt" is no clue
        forms = [re.escape(w) + (r"(?=\s*(?:[,.;:!?)\]–-]|$))" if re.fullmatch(r"\w+", w) else r"(?!\w)")
                 for w in sorted(words, key=len, reverse=True)]
        return re.compile(r"\s*(?:" + "|".join(forms) + ")", re.IGNORECASE)

    anywhere = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, t.after_article)) + r")(?!\w)", re.IGNORECASE)
    return after_name(t.after_name), after_name(t.before_name), anywhere


def units(document: Document, sentences: list[Sentence], mentions: list[Mention], entities: dict[str, Entity],
          relations: list[Relation], observations: list[Observation], lex: Lexicon
          ) -> tuple[list[Mention], dict[str, Entity], list[Relation], list[Observation]]:
    """The article's province keys set to the unit valid at its date, or at each figure's period."""
    names = {e.label for e in entities.values() if e.type == "Province" and _two(e.label, lex)}
    names |= {_name(o.subject, entities, lex) for o in observations} - {""}
    if not names:
        return mentions, entities, relations, observations
    text = {s.index: s.text for s in sentences}
    written = article_date(document)
    merger = merger_date(lex)
    since = {name: _since(name, mentions, text, written, merger, lex) for name in sorted(names)}
    renamed = {entity_key("Province", n): unit_key(n, True, lex) for n, after in since.items() if after}
    mentions = [replace(m, key=renamed[m.key]) if m.key in renamed else m for m in mentions]
    entities = {renamed.get(k, k): replace(e, key=renamed[k]) if k in renamed else e for k, e in entities.items()}
    relations = [replace(r, subject=renamed.get(r.subject, r.subject), object=renamed.get(r.object, r.object))
                 if r.subject in renamed or r.object in renamed else r for r in relations]
    dated = []
    for o in observations:
        name = _name(o.subject, entities, lex)
        if name:
            after = _figure_since(o, text.get(o.sentence, ""), written, merger, since[name])
            key = unit_key(name, after, lex)
            if key not in entities:  # a figure of another time than the article's words: its unit, unmentioned
                p = lex.provinces[name]
                base = entities.get(renamed.get(o.subject, o.subject))
                entities[key] = Entity(key, "Province", "Province", p.name,
                                       set(base.alt_labels) if base else set(p.aliases))
            o = evolve(o, subject=key)
        dated.append(o)
    return mentions, entities, relations, dated


def _two(name: str, lex: Lexicon) -> bool:
    p = lex.provinces.get(name)
    return bool(p and p.two_units)


def _name(key: str, entities: dict[str, Entity], lex: Lexicon) -> str:
    """The province name of a figure's subject key when it names two units, else ""."""
    e = entities.get(key)
    name = e.label if e is not None and e.type == "Province" else ""
    if not name and key.startswith("province:"):
        name = next((n for n in lex.provinces if entity_key("Province", n) == key), "")
    return name if _two(name, lex) else ""


def _since(name: str, mentions: list[Mention], text: dict[int, str], written: date | None, merger: date,
           lex: Lexicon) -> bool:
    """Whether the article's name stands for the unit since the merger (rules 1 to 4 of the module)."""
    after_name, before_name, anywhere = _clues(lex)
    said = set()
    for m in mentions:
        if m.type == "Province" and m.name == name:
            rest = text.get(m.sentence, "")[m.end:]
            if after_name.match(rest):
                said.add(True)
            elif before_name.match(rest):
                said.add(False)
    if len(said) == 1:
        return said.pop()
    if written is not None:
        return written >= merger
    return any(anywhere.search(t) for t in text.values())


def _figure_since(o: Observation, sentence: str, written: date | None, merger: date, article: bool) -> bool:
    """Whether a figure is about the unit since the merger: by its period when it falls on one side of the
    date and is not a target, else as the article's words."""
    f = figure(o, sentence, written)
    period = f.period
    if period.target or f.kind == "target":
        return article
    if period.end is not None and period.end < merger:
        return False
    if period.start is not None and period.start >= merger:
        return True
    return article
