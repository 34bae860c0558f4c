"""The lexicon: look-up tables of names (provinces, agencies, companies, user entries) over `kg.knowledge`.

Every list lives in exactly one data file, with a note on where it came
from; this module only reads them and builds the look-up tables and regular
expressions the recognizers share.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from .errors import GazetteerError
from .knowledge import Knowledge, entity_types, knowledge
from .normalize import normalize_name


def _trie(words: list[str]) -> str:
    """The words as one regex shaped like a trie: each position tries one branch per character,
    which is many times faster than a flat alternation of hundreds of names; greedy optional
    groups keep the longest match first."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return pattern(root)


def one_of(words: Iterable[str], longest_first: bool = False) -> str:
    """Literal words as the alternatives of a regular expression: in the order given, where several fit at one
    place the first wins; with `longest_first`, "TP." is tried before "TP"."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True) if longest_first else words))


def alternation(words: list[str] | set[str], flags: int = 0) -> re.Pattern[str]:
    """A word-bounded regex matching any of `words`, the longest where several start at one place."""
    return re.compile(rf"(?<![\w])(?:{_trie(sorted(set(words)))})(?![\w])", flags)


@dataclass(frozen=True)
class Province:
    name: str
    kind: str
    code: str | None
    code_2025: str | None
    merged_into: str | None
    aliases: tuple[str, ...]
    formed_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownAgency:
    name: str
    cls: str
    aliases: tuple[str, ...]
    abbr: tuple[str, ...]
    parent: str | None
    valid_until: str | None = None
    succeeded_by: str | None = None


@dataclass(eq=False)
class Lexicon:
    """Every table the pipeline reads, built once per process."""

    provinces: dict[str, Province] = field(default_factory=dict)
    province_surface: dict[str, str] = field(default_factory=dict)
    agencies: dict[str, KnownAgency] = field(default_factory=dict)
    agency_surface: dict[str, str] = field(default_factory=dict)
    issuer_codes: dict[str, str] = field(default_factory=dict)
    extra: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # surface -> (type, class, name)
    company_names: dict[str, str] = field(default_factory=dict)  # normalised alias -> a known group's core name
    kb: Knowledge = field(default_factory=knowledge)  # every data file, typed and checked

    def province(self, surface: str) -> Province | None:
        name = self.province_surface.get(surface) or self.province_surface.get(normalize_name(surface))
        return self.provinces.get(name) if name else None


# Province names that are also a person's full name: read as the province
# only after "thành phố"/"TP." (otherwise "tư tưởng Hồ Chí Minh" is a city).
PREFIX_ONLY = {"Hồ Chí Minh"}


def _surfaces(table: dict[str, str], name: str, surfaces: Iterable[str]) -> None:
    """Each way of writing `name`, as written and normalised, looks `name` up."""
    for surface in surfaces:
        table[surface] = name
        table[normalize_name(surface)] = name


def _provinces(lex: Lexicon) -> None:
    for raw in lex.kb.provinces.provinces:
        p = Province(raw.name, raw.kind, raw.code, raw.code_2025, raw.merged_into, raw.aliases, raw.formed_from)
        lex.provinces[p.name] = p
        _surfaces(lex.province_surface, p.name, spellings(p.name, *p.aliases))


def _agencies(lex: Lexicon) -> None:
    for raw in lex.kb.agencies.agencies:
        a = KnownAgency(raw.name, raw.cls, raw.aliases, raw.abbr, raw.parent, raw.valid_until, raw.succeeded_by)
        lex.agencies[a.name] = a
        _surfaces(lex.agency_surface, a.name, spellings(a.name, *a.aliases))
        for code in a.abbr:
            lex.issuer_codes.setdefault(code, a.name)


def spellings(*names: str) -> list[str]:
    """The names with the variants the press writes: "Bộ Nông nghiệp - Phát triển nông thôn" for
    "… và …", "KH-CN" for "KH&CN" (and back)."""
    out = list(names)
    for n in names:
        out += [n.replace(" và ", " - "), n.replace(" và ", " & "), n.replace("&", "-")]
        if " - " in n:  # "Bà Rịa- Vũng Tàu", "Bà Rịa – Vũng Tàu"
            out += [n.replace(" - ", sep) for sep in ("- ", " -", "-", " – ")]
        if re.fullmatch(r"[A-ZĐ]+(?:-[A-ZĐ]+)+", n):
            out.append(n.replace("-", "&"))
    return list(dict.fromkeys(out))


@cache
def lexicon() -> Lexicon:
    """The package's own knowledge (user gazetteers are layered on top in `extend`)."""
    lex = Lexicon()
    _provinces(lex)
    _agencies(lex)
    for k in lex.kb.companies.known:
        for a in (k.core, *k.aliases):
            lex.company_names[normalize_name(a)] = k.core
    return lex


# The top classes a user entry may name, and the class used when none is given.
USER_TYPES = {t.name: t.default_class for t in entity_types().values()}


def read_user_gazetteer(path: str) -> list[dict[str, str]]:
    """Entries of a user CSV: type,name[,aliases separated by ";"][,class][,parent]."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GazetteerError(f"{path}: cannot read ({exc})") from None
    entries = []
    for line, row in enumerate(rows, start=2):
        kind, name = (row.get("type") or "").strip(), (row.get("name") or "").strip()
        if kind not in USER_TYPES:
            raise GazetteerError(f"{path}:{line}: type {kind!r} is not one of {', '.join(USER_TYPES)}")
        if not name:
            raise GazetteerError(f"{path}:{line}: empty name")
        aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
        entries.append({"type": kind, "name": name, "aliases": aliases,
                        "class": (row.get("class") or "").strip() or USER_TYPES[kind],
                        "parent": (row.get("parent") or "").strip() or None})
    return entries


def extend(lex: Lexicon, entries: list[dict[str, Any]]) -> Lexicon:
    """A lexicon with the user's entries added (the package's own is left as it is)."""
    new = replace(lex, provinces=dict(lex.provinces), province_surface=dict(lex.province_surface),
                  agencies=dict(lex.agencies), agency_surface=dict(lex.agency_surface), extra=dict(lex.extra))
    for e in entries:
        surfaces = [e["name"], *e["aliases"]]
        if e["type"] == "Agency":
            cls = e["class"] if e["class"] != "Agency" else "Agency"
            new.agencies[e["name"]] = KnownAgency(e["name"], cls, tuple(e["aliases"]), (), e.get("parent"))
            _surfaces(new.agency_surface, e["name"], surfaces)
        elif e["type"] == "Province" and e["name"] in new.provinces:
            _surfaces(new.province_surface, e["name"], surfaces)
        else:
            for surface in surfaces:
                new.extra[surface] = (e["type"], e["class"], e["name"])
    return new


def with_gazetteers(paths: list[Path]) -> Lexicon:
    """The package's lexicon with the entries of the user's CSV gazetteers (`kg build -g`) added."""
    lex = lexicon()
    for path in paths:
        lex = extend(lex, read_user_gazetteer(str(path)))
    return lex
