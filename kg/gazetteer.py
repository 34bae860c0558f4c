"""Load the knowledge in `kg/data/` (gazetteers, titles, units, patterns).

Every list lives in exactly one data file, with a note on where it came
from; this module only reads them and builds the look-up tables and regular
expressions the recognizers share.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .normalize import normalize_name


def load(name: str) -> Any:
    """Parse one JSON data file shipped inside the package."""
    return json.loads(resources.files("kg.data").joinpath(name).read_text(encoding="utf-8"))


def alternation(words: list[str] | set[str], flags: int = 0) -> re.Pattern[str]:
    """A word-bounded regex matching any of `words`, longest first."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    body = "|".join(re.escape(w) for w in ordered)
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", flags)


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
    extra: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def province(self, surface: str) -> Province | None:
        name = self.province_surface.get(surface) or self.province_surface.get(normalize_name(surface))
        return self.provinces.get(name) if name else None


# Province names that are also a person's full name: read as the province
# only after "thành phố"/"TP." (otherwise "tư tưởng Hồ Chí Minh" is a city).
PREFIX_ONLY = {"Hồ Chí Minh"}


def _provinces(lex: Lexicon) -> None:
    for raw in load("provinces.json")["provinces"]:
        p = Province(raw["name"], raw["kind"], raw.get("code"), raw.get("code_2025"), raw.get("merged_into"),
                     tuple(raw.get("aliases", [])), tuple(raw.get("formed_from", [])))
        lex.provinces[p.name] = p
        for surface in (p.name, *p.aliases):
            lex.province_surface[surface] = p.name
            lex.province_surface[normalize_name(surface)] = p.name


def _agencies(lex: Lexicon) -> None:
    for raw in load("agencies.json")["agencies"]:
        a = KnownAgency(raw["name"], raw["class"], tuple(raw.get("aliases", [])), tuple(raw.get("abbr", [])),
                        raw.get("parent"), raw.get("valid_until"), raw.get("succeeded_by"))
        lex.agencies[a.name] = a
        for surface in (a.name, *a.aliases):
            lex.agency_surface[surface] = a.name
            lex.agency_surface[normalize_name(surface)] = a.name
        for code in a.abbr:
            lex.issuer_codes.setdefault(code, a.name)


@cache
def lexicon() -> Lexicon:
    """The package's own knowledge (user gazetteers are layered on top in `extend`)."""
    lex = Lexicon()
    _provinces(lex)
    _agencies(lex)
    for name in ("legal_kinds", "titles", "surnames", "units", "zones", "companies", "local_agencies", "spam"):
        lex.data[name] = load(f"{name}.json")
    return lex
