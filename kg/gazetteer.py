"""The lexicon: look-up tables of names (provinces, agencies, companies, user entries) over `kg.knowledge`.

Every list lives in exactly one data file, with a note on where it came
from; this module only reads them and builds the look-up tables and regular
expressions the recognizers share.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from .errors import GazetteerError
from .knowledge import Knowledge, entity_types, knowledge
from .normalize import normalize_name


def _trie(words: list[str]) -> str:
    """The words as one regex shaped like a trie: each position tries one branch per character,
    which is many times faster than a flat alternation of hundreds of names; greedy optional
    groups keep the longest match first. Built without recursion, so a long name has no depth limit."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    done: dict[int, str] = {}  # id of a node -> its pattern, children before parents
    todo: list[tuple[dict, bool]] = [(root, False)]
    while todo:
        node, children_done = todo.pop()
        if not children_done:
            todo.append((node, True))
            todo += [(child, False) for ch, child in node.items() if ch]
            continue
        branches = [re.escape(ch) + done.pop(id(child)) for ch, child in sorted(node.items()) if ch]
        body = "" if not branches else branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        done[id(node)] = f"(?:{body})?" if body and "" in node else body
    return done[id(root)]


def one_of(words: Iterable[str], longest_first: bool = False) -> str:
    """Literal words as the alternatives of a regular expression: in the order given, where several fit at one
    place the first wins; with `longest_first`, "TP." is tried before "TP"."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True) if longest_first else words))


def alternation(words: list[str] | set[str], flags: int = 0) -> re.Pattern[str]:
    """A word-bounded regex matching any of `words`, the longest where several start at one place.
    Python's regex compiler recurses once per nested group: hundreds of names each a prefix of the next
    (only a user gazetteer can have them) fall back to a flat alternation, which matches the same."""
    try:
        return re.compile(rf"(?<![\w])(?:{_trie(sorted(set(words)))})(?![\w])", flags)
    except RecursionError:
        return re.compile(rf"(?<![\w])(?:{one_of(sorted(set(words)), longest_first=True)})(?![\w])", flags)


@dataclass(frozen=True)
class Province:
    name: str
    kind: str
    code: str | None
    code_2025: str | None
    merged_into: str | None
    aliases: tuple[str, ...]
    formed_from: tuple[str, ...] = ()
    iso: str | None = None  # ISO 3166-2:VN code of the unit until 30 June 2025

    @property
    def two_units(self) -> bool:
        """Whether the name stands for two territories: the one until 30 June 2025 and the one since 1 July 2025
        that took in others (Thái Nguyên with Bắc Kạn); a province left as it was (Hà Nội, Huế) is one unit."""
        return len(self.formed_from) > 1


@dataclass(frozen=True)
class KnownAgency:
    name: str
    cls: str
    aliases: tuple[str, ...]
    abbr: tuple[str, ...]
    parent: str | None
    valid_until: str | None = None
    succeeded_by: str | None = None
    user: bool = False  # from a user gazetteer: its parent holds as the user states it


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
        p = Province(raw.name, raw.kind, raw.code, raw.code_2025, raw.merged_into, raw.aliases, raw.formed_from,
                     raw.iso)
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
COLUMNS = ("type", "name", "aliases", "class", "parent")  # of a user gazetteer; type and name required
MAX_NAME = 300  # characters in a name or alias: four times the longest body's name kg knows (67)
MAX_REPORTED = 20  # problems listed for one file; the rest are counted


@dataclass(frozen=True)
class UserEntry:
    """One checked row of a user gazetteer; `parent` is the name of a known agency."""

    line: int
    type: str
    name: str
    aliases: tuple[str, ...]
    cls: str
    parent: str | None


@cache
def user_classes() -> dict[str, tuple[str, ...]]:
    """The classes a user entry of each type may name: the type and its subclasses in the ontology,
    so every class written is one the ontology declares and the shapes check."""
    from .rdf import KG, class_hierarchy  # rdf reads the lexicon: imported here, not at the top

    below: dict[str, list[str]] = {}
    for c, o in class_hierarchy():
        if str(o).startswith(str(KG)):
            below.setdefault(str(o).removeprefix(str(KG)), []).append(str(c).removeprefix(str(KG)))
    found = {}
    for top in USER_TYPES:
        seen, todo = {top}, [top]
        while todo:
            new = set(below.get(todo.pop(), ())) - seen
            seen |= new
            todo += new
        found[top] = tuple(sorted(seen))
    return found


def read_user_gazetteer(path: str, lex: Lexicon | None = None) -> list[UserEntry]:
    """Entries of a user CSV (header type,name[,aliases separated by ";"][,class][,parent]), checked like
    data: each problem is a `file.csv:LINE: problem`, all of a file's are reported at once, and a file
    with any is not used. A parent must be an agency of the file, one `lex` (kg's own) knows, or a
    provincial body kg's grammar names (`provincial_bodies`)."""
    lines = _lines(path)
    problems: list[tuple[int, str]] = []
    rows = [(n, _fields(n, text, problems)) for n, text in lines if text.strip()]
    if not rows:
        raise GazetteerError(f"{path}:1: no header and no entries (the first line names the columns: "
                             f"{','.join(COLUMNS)})")
    header = _header(*rows[0], problems)
    entries = []
    for line, fields in rows[1:] if header else ():
        entry = _entry(line, header, fields, problems) if fields is not None else None
        if entry:
            entries.append(entry)
    entries = _with_parents(entries, lex or lexicon(), problems)
    if problems:
        raise GazetteerError(_report(path, problems))
    return entries


def _lines(path: str) -> list[tuple[int, str]]:
    """The file's lines, numbered from 1 (a quoted value never spans lines: names have no line breaks)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise GazetteerError(f"{path}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8") \
            from None
    return [(n, line.removesuffix("\r")) for n, line in enumerate(text.split("\n"), start=1)]


def _fields(line: int, text: str, problems: list[tuple[int, str]]) -> list[str] | None:
    try:
        return [f.strip() for f in next(csv.reader([text], strict=True))]
    except csv.Error as exc:
        problems.append((line, 'a quote is opened and not closed on this line (a quote inside a value is '
                               'doubled: "Công ty ""Sao Mai""")' if "end of data" in str(exc)
                         else f"not a CSV row ({exc})"))
        return None


def _header(line: int, fields: list[str] | None, problems: list[tuple[int, str]]) -> list[str] | None:
    """The column names of the first line, or None (and a problem) if it is not a header."""
    if fields is None:
        return None
    if "type" not in fields or "name" not in fields:
        what = "an entry" if fields and fields[0] in USER_TYPES else f"{','.join(fields)!r}"
        problems.append((line, f"no header: the first line is {what}; it must name the columns "
                               f"({','.join(COLUMNS)}; type and name required)"))
        return None
    bad = [f"unknown column {f!r}" for f in fields if f not in COLUMNS]
    bad += [f"column {f!r} twice" for i, f in enumerate(fields) if f in fields[:i]]
    for b in bad:
        problems.append((line, f"{b} in the header (columns: {', '.join(COLUMNS)})"))
    return None if bad else fields


def _entry(line: int, header: list[str], fields: list[str], problems: list[tuple[int, str]]) -> UserEntry | None:
    """One row as an entry, or None with its problems recorded."""
    found: list[str] = []
    if len(fields) > len(header):
        found.append(f"{len(fields)} values but the header names {len(header)} columns "
                     '(a value with a comma is quoted: "A, B")')
    row = dict(zip(header, fields, strict=False))  # missing values at the end are empty
    kind, name, cls = row.get("type", ""), row.get("name", ""), row.get("class", "")
    aliases = tuple(a.strip() for a in row.get("aliases", "").split(";") if a.strip())
    if kind not in USER_TYPES:
        found.append(f"type {kind!r} is not one of {', '.join(USER_TYPES)}")
    for label, value in [("name", name), *((f"alias {a[:40]!r}", a) for a in aliases)]:
        problem = _name_problem(value)
        if problem:
            found.append(f"{label} {problem}")
    if kind in USER_TYPES and cls and cls not in user_classes()[kind]:
        found.append(f"class {cls[:60]!r} is not a class of {kind} in the ontology "
                     f"(one of: {', '.join(user_classes()[kind])})")
    if row.get("parent") and kind != "Agency":
        found.append("a parent is given but only an Agency has one (org:subOrganizationOf)")
    problems += [(line, f) for f in found]
    return None if found else UserEntry(line, kind, name, aliases, cls or USER_TYPES[kind], row.get("parent") or None)


def _name_problem(name: str) -> str | None:
    """What makes a name or alias unusable: it is matched as written, so it needs a letter or digit,
    fits on a line and is not a whole paragraph."""
    control = next((c for c in name if unicodedata.category(c) == "Cc"), None)
    if not name:
        return "is empty"
    if len(name) > MAX_NAME:
        return f"has {len(name)} characters, more than {MAX_NAME}"
    if control:
        return f"has a control character (U+{ord(control):04X})"
    if not any(c.isalnum() for c in name):
        return "has no letter or digit"
    return None


def _with_parents(entries: list[UserEntry], lex: Lexicon, problems: list[tuple[int, str]]) -> list[UserEntry]:
    """The entries with each parent as the agency it names (by name or alias, in the file or kg's own),
    a parent no one knows, an agency its own parent, and parents going round in a loop being problems."""
    mine: dict[str, str] = {}
    for e in entries:
        if e.type == "Agency":
            _surfaces(mine, e.name, [e.name, *e.aliases])
    local = {surface: a.name for surface, a in provincial_bodies().items()}
    out, parent_of = [], {name: a.parent for name, a in lex.agencies.items()}
    for e in entries:
        parent = _lookup(e.parent, mine, lex.agency_surface, local) if e.parent else None
        if e.parent and parent is None:
            problems.append((e.line, f"parent {e.parent[:60]!r} is no agency of this file nor one kg knows "
                                     f"(add a line for it: Agency,{e.parent[:60]},,,)"))
        elif parent == e.name:
            problems.append((e.line, f"{e.name[:60]!r} is its own parent"))
        else:
            e = replace(e, parent=parent)
            if e.type == "Agency":
                parent_of[e.name] = parent
        out.append(e)
    for e in out:
        chain = [e.name]
        while parent_of.get(chain[-1]) and parent_of[chain[-1]] not in chain:
            chain.append(parent_of[chain[-1]])
        if e.parent and parent_of.get(chain[-1]) == e.name:
            problems.append((e.line, f"parents go round in a loop: {' → '.join([*chain, e.name])}"))
    return out


@cache
def provincial_bodies() -> dict[str, KnownAgency]:
    """The bodies kg's grammar names after each province, as a user's parent may name them ("UBND tỉnh
    Thái Nguyên", "Tỉnh ủy Thái Nguyên"), by each way of writing one, as written and normalised, with the
    name and class the graph gives it (a Party committee's class is the one `recognize` gives it)."""
    lex, table = lexicon(), {}
    local = lex.kb.local_agencies
    for p in lex.provinces.values():
        place = f"{p.kind} {p.name}"
        named = [(f"{body.canonical} {place}", body.cls, [f"{w} {place}" for w in body.words])
                 for body in (*local.councils, *local.provincial_bodies)]
        committee = lex.kb.relations.party_committees.get(p.kind)
        if committee:
            named.append((f"{committee} {p.name}", "PartyCommittee", []))
        for name, cls, surfaces in named:
            for surface in (name, *surfaces):
                table[surface] = table[normalize_name(surface)] = KnownAgency(name, cls, (), (), None)
    return table


def _lookup(surface: str, *tables: dict[str, str]) -> str | None:
    """The name `surface` stands for in the first table that has it, as written or normalised."""
    for table in tables:
        for s in (surface, normalize_name(surface)):
            if s in table:
                return table[s]
    return None


def _report(path: str, problems: list[tuple[int, str]]) -> str:
    ordered = sorted(problems, key=lambda p: p[0])
    lines = [f"{path}:{line}: {problem}" for line, problem in ordered[:MAX_REPORTED]]
    if len(ordered) > MAX_REPORTED:
        lines.append(f"{path}: and {len(ordered) - MAX_REPORTED} more problems")
    return "\n".join(lines)


def extend(lex: Lexicon, entries: list[UserEntry]) -> Lexicon:
    """A lexicon with the user's entries added (the package's own is left as it is)."""
    new = replace(lex, provinces=dict(lex.provinces), province_surface=dict(lex.province_surface),
                  agencies=dict(lex.agencies), agency_surface=dict(lex.agency_surface), extra=dict(lex.extra))
    for e in entries:
        surfaces = [e.name, *e.aliases]
        if e.type == "Agency":
            new.agencies[e.name] = KnownAgency(e.name, e.cls, e.aliases, (), e.parent, user=True)
            if e.parent and e.parent not in new.agencies:  # a provincial body: known to relate, not recognised
                new.agencies[e.parent] = provincial_bodies()[e.parent]
            _surfaces(new.agency_surface, e.name, surfaces)
        elif e.type == "Province" and e.name in new.provinces:
            _surfaces(new.province_surface, e.name, surfaces)
        else:
            for surface in surfaces:
                new.extra[surface] = (e.type, e.cls, e.name)
    return new


def with_gazetteers(paths: list[Path]) -> Lexicon:
    """The package's lexicon with the entries of the user's CSV gazetteers (`kg build -g`) added, in order:
    a parent may be an agency of an earlier file."""
    lex = lexicon()
    for path in paths:
        lex = extend(lex, read_user_gazetteer(str(path), lex))
    return lex
