"""kg's own knowledge: each data file in `kg/data/` as frozen dataclasses, checked when it loads.

A data file that lacks a key, has one the code does not read, or holds a
value of the wrong shape stops kg at start with a `DataError` naming the
file and the key, instead of a `KeyError` in the middle of a build. Keys
named `source` or ending in `_source` are notes on where a list comes from;
every other key is a field below, and a test checks that the code reads
each field.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from functools import cache
from importlib import resources
from typing import Any, TypeVar, Union

from .errors import DataError

T = TypeVar("T")


def key(name: str, default: Any = MISSING) -> Any:
    """A field whose JSON key is not a Python name ("class")."""
    if default is MISSING:
        return field(metadata={"key": name})
    return field(default=default, metadata={"key": name})


def _is_note(name: str) -> bool:
    return name == "source" or name.endswith("_source")


def parse(cls: type[T], raw: Any, where: str) -> T:
    """`raw` (parsed JSON) as an instance of the dataclass `cls`; `where` names the file and key for errors."""
    if not isinstance(raw, dict):
        raise DataError(f"{where}: expected an object, found {type(raw).__name__}")
    hints = typing.get_type_hints(cls)
    values, known = {}, set()
    for f in fields(cls):
        name = f.metadata.get("key", f.name)
        known.add(name)
        if name in raw:
            values[f.name] = _value(hints[f.name], raw[name], f"{where}.{name}")
        elif f.default is MISSING and f.default_factory is MISSING:
            raise DataError(f"{where}: missing key {name!r}")
    unknown = [k for k in raw if k not in known and not _is_note(k)]
    if unknown:
        raise DataError(f"{where}: unknown key {unknown[0]!r} (kg reads {', '.join(sorted(known))})")
    return cls(**values)


def _value(hint: Any, raw: Any, where: str) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        if raw is None and type(None) in args:
            return None
        return _value(next(a for a in args if a is not type(None)), raw, where)
    if is_dataclass(hint):
        return parse(hint, raw, where)
    if origin is tuple:
        if not isinstance(raw, list):
            raise DataError(f"{where}: expected a list, found {type(raw).__name__}")
        return tuple(_value(args[0], x, f"{where}[{i}]") for i, x in enumerate(raw))
    if origin is dict:
        if not isinstance(raw, dict):
            raise DataError(f"{where}: expected an object, found {type(raw).__name__}")
        return {k: _value(args[1], v, f"{where}.{k}") for k, v in raw.items()}
    if hint is Any:
        return raw
    if not isinstance(raw, hint) or (hint is int and isinstance(raw, bool)):
        raise DataError(f"{where}: expected {hint.__name__}, found {type(raw).__name__} {raw!r:.40}")
    return raw


def read(name: str, cls: type[T]) -> T:
    """One data file shipped inside the package, as `cls`."""
    where = f"kg/data/{name}"
    try:
        raw = json.loads(resources.files("kg.data").joinpath(name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{where}: cannot read ({exc})") from None
    return parse(cls, raw, where)


# --- provinces.json ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceEntry:
    name: str
    kind: str
    code: str | None
    code_2025: str | None
    merged_into: str | None
    aliases: tuple[str, ...] = ()
    formed_from: tuple[str, ...] = ()
    iso: str | None = None  # ISO 3166-2:VN, of the unit until 30 June 2025


@dataclass(frozen=True)
class Merger:
    date: str


@dataclass(frozen=True)
class Territory:
    """Which of two units of one name an article means: the suffix of the unit since the merger, and the words
    that tell (kg/territory.py)."""

    suffix: str
    after_name: tuple[str, ...]
    before_name: tuple[str, ...]
    after_article: tuple[str, ...]


@dataclass(frozen=True)
class Places:
    cities: dict[str, str]
    economic_zones: dict[str, str]


@dataclass(frozen=True)
class ProvincesFile:
    merger: Merger
    territory: Territory
    provinces: tuple[ProvinceEntry, ...]
    places: Places


# --- agencies.json ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyEntry:
    name: str
    cls: str = key("class")
    aliases: tuple[str, ...] = ()
    abbr: tuple[str, ...] = ()
    parent: str | None = None
    valid_until: str | None = None
    succeeded_by: str | None = None


@dataclass(frozen=True)
class AgenciesFile:
    agencies: tuple[AgencyEntry, ...]


# --- local_agencies.json, zones.json, companies.json: heads of names ---------------------------


@dataclass(frozen=True)
class Head:
    """Words that open a name of one class ("Ban Quản lý", "Khu công nghiệp")."""

    words: tuple[str, ...]
    cls: str = key("class")
    canonical: str = ""


@dataclass(frozen=True)
class UnitHead:
    """The head of a unit's name and how its name goes on (see `recognize.descriptor`)."""

    words: tuple[str, ...]
    cls: str = key("class")
    mode: str = "title"
    provincial: bool = False
    needs_scope: bool = False
    needs_number: bool = False
    to_document: bool = False
    bare: bool = False
    limit: int = 10
    max_lower: int = 6
    free_starts: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()
    central_openers: tuple[str, ...] = ()


@dataclass(frozen=True)
class LocalAgenciesFile:
    admin_levels: dict[str, str]
    councils: tuple[Head, ...]
    provincial_bodies: tuple[Head, ...]
    party_committees: dict[str, str]
    party_committee_aliases: tuple[str, ...]
    departments: tuple[str, ...]
    department_abbreviations: dict[str, str]
    unit_heads: tuple[UnitHead, ...]
    ministry_context_units: tuple[str, ...]
    bare_heads: dict[str, str]
    bare_followers: tuple[str, ...]
    generic_markers: tuple[str, ...]
    name_stopwords: tuple[str, ...]
    abbreviations: dict[str, str]
    topic_openers: tuple[str, ...]
    name_compounds: tuple[str, ...]
    centre_abbreviations: dict[str, str]
    board_heads: tuple[str, ...]
    city_prefixes: tuple[str, ...]
    body_heads: tuple[str, ...]
    chapter_scopes: tuple[str, ...]
    many_provinces: dict[str, tuple[str, ...]]
    board_parents: tuple[str, ...]
    province_default_classes: tuple[str, ...]
    provinceless_classes: tuple[str, ...]
    regional_markers: tuple[str, ...]
    free_name_words: tuple[str, ...]


@dataclass(frozen=True)
class ZonesFile:
    heads: tuple[Head, ...]
    qualifiers: tuple[str, ...]
    phases: tuple[str, ...]
    extensions: tuple[str, ...]
    list_leads: tuple[str, ...]
    short_forms: dict[str, str]
    district_words: tuple[str, ...]
    area_approximators: tuple[str, ...]
    area_units: tuple[str, ...]


@dataclass(frozen=True)
class KnownCompany:
    core: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompaniesFile:
    heads: tuple[Head, ...]
    forms: tuple[str, ...]
    foreign_suffixes: tuple[str, ...]
    known: tuple[KnownCompany, ...]
    listing_nouns: tuple[str, ...]
    listing_words: tuple[str, ...]


# --- legal_kinds.json -------------------------------------------------------------------------


@dataclass(frozen=True)
class LegalKind:
    name: str
    cls: str = key("class")
    codes: tuple[str, ...] = ()
    recognized: bool = True


@dataclass(frozen=True)
class Citations:
    """How one legal document cites another: basis, replacement, repeal, implementation (kg/relate.py)."""

    basis_triggers: tuple[str, ...]
    basis_fillers: tuple[str, ...]
    issue_verbs: tuple[str, ...]
    own_number_leads: tuple[str, ...]
    preamble_ends: tuple[str, ...]
    self_words: tuple[str, ...]
    replace_triggers: tuple[str, ...]
    replaced_by_triggers: tuple[str, ...]
    repeal_triggers: tuple[str, ...]
    repealed_by_triggers: tuple[str, ...]
    whole_fillers: tuple[str, ...]
    implement_triggers: tuple[str, ...]
    implement_words: int
    implement_link: str
    adverbs: tuple[str, ...]
    in_force_words: tuple[str, ...]
    cited_subject_openers: tuple[str, ...]


@dataclass(frozen=True)
class LegalKindsFile:
    kinds: tuple[LegalKind, ...]
    local_issuers: dict[str, str]
    former_national_codes: dict[str, str]
    amend_triggers: tuple[str, ...]
    amended_by_triggers: tuple[str, ...]
    alias_triggers: tuple[str, ...]
    titled_kinds: dict[str, str]
    title_bodies: tuple[str, ...]
    implemented_kinds: tuple[str, ...]
    bare_followers: tuple[str, ...]
    number_words: tuple[str, ...]
    subject_openers: tuple[str, ...]
    citations: Citations


# --- titles.json, surnames.json, units.json, spam.json ----------------------------------------


@dataclass(frozen=True)
class ShortNamePost:
    """Posts after which a known body drops its head word ("Bộ trưởng Công Thương")."""

    head: str
    posts: tuple[str, ...]
    cls: str = key("class", "")
    any_case: bool = False


@dataclass(frozen=True)
class TitlesFile:
    titles: tuple[str, ...]
    honorifics: tuple[str, ...]
    byline_credits: tuple[str, ...]
    byline_prefixes: tuple[str, ...]
    appointed: str
    moved_under: str
    renamed: str
    implied_bodies: dict[str, tuple[str, ...]]
    bare_posts: dict[str, str]
    title_aliases: dict[str, str]
    committee_members: tuple[str, ...]
    credit_sources: tuple[str, ...]
    credit_papers: tuple[str, ...]
    credit_photos: tuple[str, ...]
    short_name_posts: tuple[ShortNamePost, ...]


@dataclass(frozen=True)
class SurnamesFile:
    common: tuple[str, ...]
    ambiguous: tuple[str, ...]
    not_names: tuple[str, ...]


@dataclass(frozen=True)
class UnitsFile:
    measures: tuple[str, ...]
    counts: tuple[str, ...]
    aliases: dict[str, str]
    not_units: tuple[str, ...]
    approximators: tuple[str, ...]
    not_provincial: tuple[str, ...]
    verbs: tuple[str, ...]
    provincial: tuple[str, ...]
    glued: tuple[str, ...]
    rate_units: tuple[str, ...]
    vote_words: tuple[str, ...]
    continuing_verbs: tuple[str, ...]
    many_provinces: tuple[str, ...]
    countries: tuple[str, ...]
    magnitudes: dict[str, int]
    not_figure_after: tuple[str, ...]
    decrease_words: tuple[str, ...]
    leading_words: tuple[str, ...]
    indicator_trailing: tuple[str, ...]
    indicator_verbs: tuple[str, ...]
    description_stops: tuple[str, ...]
    post_words: tuple[str, ...]
    plural_words: tuple[str, ...]
    many_markers: tuple[str, ...]
    ranking_openers: tuple[str, ...]
    local_classes: tuple[str, ...]
    link_words: tuple[str, ...]
    together_words: tuple[str, ...]
    respective_words: tuple[str, ...]


@dataclass(frozen=True)
class PostsFile:
    """The words that date a post ("bổ nhiệm … từ ngày 1/11/2017") and end it ("nguyên …", "nghỉ hưu", "thay ông …")."""

    start_words: tuple[str, ...]
    end_words: tuple[str, ...]
    from_words: tuple[str, ...]
    former_words: tuple[str, ...]
    post_words: tuple[str, ...]
    replace_words: tuple[str, ...]
    retire_words: tuple[str, ...]


@dataclass(frozen=True)
class QuantitiesFile:
    """What a figure is, as data: unit codes, and the words that make it a change, a share or a target."""

    codes: dict[str, str]
    change_words: tuple[str, ...]
    share_words: tuple[str, ...]
    index_words: tuple[str, ...]
    plan_words: tuple[str, ...]
    target_words: tuple[str, ...]
    until_year: tuple[str, ...]
    sector_phrases: tuple[str, ...]


@dataclass(frozen=True)
class PeriodsFile:
    """The words of reporting periods ("6 tháng đầu năm", "quý II/2024", "cùng kỳ năm trước")."""

    year: str
    month: str
    quarter: str
    parts_of_year: tuple[str, ...]
    before_year: tuple[str, ...]
    before_span: tuple[str, ...]
    start_of_year: tuple[str, ...]
    start_of_year_openers: tuple[str, ...]
    until_month: tuple[str, ...]
    until_now: tuple[str, ...]
    until_now_openers: tuple[str, ...]
    now: tuple[str, ...]
    not_after: tuple[str, ...]
    same_period: tuple[str, ...]
    compared_with: tuple[str, ...]
    baselines: tuple[str, ...]
    previous: tuple[str, ...]


@dataclass(frozen=True)
class SpamFile:
    patterns: tuple[str, ...]


# --- grammar.json -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GrammarFile:
    """Words around names that decide how a recognizer reads them (a venue, a neighbour, a list)."""

    venue_words: tuple[str, ...]
    work_words: tuple[str, ...]
    origin_words: tuple[str, ...]
    neighbour_words: tuple[str, ...]
    neighbour_links: tuple[str, ...]
    region_words: tuple[str, ...]
    place_words: tuple[str, ...]
    list_intros: tuple[str, ...]
    owner_words: tuple[str, ...]


# --- relations.json ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RelationsFile:
    """The words and classes of the relation rules (kg/relate.py)."""

    unit_classes: tuple[str, ...]
    parent_classes: tuple[str, ...]
    ministry_only_heads: tuple[str, ...]
    unit_holding_heads: tuple[str, ...]
    no_unit_bodies: tuple[str, ...]
    explicit_parent_classes: tuple[str, ...]
    nested_units: tuple[tuple[str, ...], ...]
    stated_parent_classes: tuple[str, ...]
    listing_parent_classes: tuple[str, ...]
    board_classes: tuple[str, ...]
    party_committees: dict[str, str]
    committee_member_issuer: str
    date_lead: tuple[str, ...]
    date_parts: tuple[str, ...]
    issuer_links: tuple[str, ...]
    unit_words: tuple[str, ...]
    unit_qualifiers: tuple[str, ...]
    under_words: tuple[str, ...]
    list_verbs: tuple[str, ...]
    unit_list_nouns: tuple[str, ...]
    copulas: tuple[str, ...]
    conjunctions: tuple[str, ...]
    post_conjunctions: tuple[str, ...]
    post_prefixes: tuple[str, ...]
    term_words: tuple[str, ...]
    to_person: tuple[str, ...]
    addresses: tuple[str, ...]
    gendered_addresses: tuple[str, ...]
    rank_prefixes: tuple[str, ...]
    list_leads: tuple[str, ...]
    list_counts: tuple[str, ...]
    career_verbs: tuple[str, ...]
    career_holds: tuple[str, ...]
    career_many: tuple[str, ...]
    career_posts: tuple[str, ...]
    career_adverbs: tuple[str, ...]
    career_copulas: tuple[str, ...]
    deputy_prefixes: tuple[str, ...]
    board_head: str
    board_noun: str
    board_lead_members: tuple[str, ...]
    board_members: tuple[str, ...]
    standing: tuple[str, ...]
    board_list_adverbs: tuple[str, ...]
    board_list_verbs: tuple[str, ...]
    head_links: tuple[str, ...]
    serve_verbs: tuple[str, ...]


# --- entity_types.json ------------------------------------------------------------------------


@dataclass(frozen=True)
class EntityType:
    """One kind of node the graph contract scores: everything kg decides per type, in one row."""

    name: str
    segment: str
    default_class: str
    colour: str
    shape: str
    rank: int
    unique_slug: bool


@dataclass(frozen=True)
class EntityTypesFile:
    types: tuple[EntityType, ...]
    role_rank: int


@dataclass(frozen=True)
class Knowledge:
    """Every data file, loaded and checked."""

    entity_types: EntityTypesFile
    relations: RelationsFile
    grammar: GrammarFile
    provinces: ProvincesFile
    agencies: AgenciesFile
    local_agencies: LocalAgenciesFile
    zones: ZonesFile
    companies: CompaniesFile
    legal_kinds: LegalKindsFile
    titles: TitlesFile
    surnames: SurnamesFile
    units: UnitsFile
    periods: PeriodsFile
    quantities: QuantitiesFile
    posts: PostsFile
    spam: SpamFile


@cache
def knowledge() -> Knowledge:
    """All of `kg/data/`, read once per process."""
    return Knowledge(**{f.name: read(f"{f.name}.json", typing.get_type_hints(Knowledge)[f.name])
                        for f in fields(Knowledge)})


def entity_types() -> dict[str, EntityType]:
    """The entity types by name, in display order."""
    return {t.name: t for t in knowledge().entity_types.types}
