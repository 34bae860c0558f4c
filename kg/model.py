"""The plain data every pipeline stage takes and returns.

A `Sentence` carries its position in the *original* document text (the
`Document`'s text, in NFC; end exclusive), so provenance points at what the
user wrote; a `Mention` or an `Observation` carries positions in its
sentence's normalised text, which `Sentence.original_span` maps back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple, TypeVar

from .knowledge import entity_types
from .normalize import canonical

# The six entity types the graph contract scores, in display order (kg/data/entity_types.json).
ENTITY_TYPES = tuple(entity_types())


@dataclass(frozen=True)
class Document:
    """One input article: its identifier is the file name without extension.

    Its text, title, identifier and metadata are held in NFC with "\n" line
    ends (`canonical`): offsets count characters of that text, the same for
    every encoding of the article.
    """

    id: str
    text: str
    source: str = ""
    title: str = ""
    metadata: dict[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for name in ("id", "text", "title"):
            object.__setattr__(self, name, canonical(getattr(self, name)))
        object.__setattr__(self, "metadata", {k: canonical(v) for k, v in self.metadata.items()})


class Token(NamedTuple):
    """A word as underthesea segments it ("Thái Nguyên" is one token); a tuple, as there are millions."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence in normalised text, with the map back to the original."""

    doc_id: str
    index: int
    text: str
    start: int
    end: int
    offsets: Sequence[int] = field(repr=False, compare=False, default=())  # an array in a built sentence
    tokens: tuple[Token, ...] = field(repr=False, compare=False, default=())
    paragraph: int = 0

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original-document offsets of a span of this sentence's normalised text."""
        if not self.offsets:
            return self.start + start, self.start + end
        last = len(self.offsets) - 1
        begin = self.offsets[min(start, last)]
        finish = self.offsets[min(end - 1, last)] + 1 if end > start else begin
        return begin, max(finish, begin)


@dataclass(frozen=True)
class Mention:
    """A span of a sentence that names an entity of some type.

    `key` is the canonical key once the mention is resolved; `attrs` carries
    what the recognizer read from the span (a document number, a province);
    the flags say how the span stands in its sentence.
    """

    doc_id: str
    sentence: int
    start: int
    end: int
    text: str
    type: str
    cls: str
    name: str
    attrs: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    key: str = ""
    nested: bool = field(default=False, compare=False)  # inside another mention (the province of a body's name)
    topic: bool = field(default=False, compare=False)  # a province a heading or opening phrase is about
    venue: bool = field(default=False, compare=False)  # where something took place ("tại Hà Nội"): weaker evidence
    origin: bool = field(default=False, compare=False)  # a person's home ("quê quán tỉnh Hưng Yên"): no evidence
    neighbour: bool = field(default=False, compare=False)  # named as a neighbour ("giáp tỉnh X"): not the subject
    user: bool = field(default=False, compare=False)  # from the user's gazetteer
    byline: bool = field(default=False, compare=False)  # the author's line
    needs_ministry: bool = field(default=False, compare=False)  # a unit whose ministry the context supplies


@dataclass
class Entity:
    """One real-world thing: the node every mention of it resolves to."""

    key: str
    type: str
    cls: str
    label: str
    alt_labels: set[str] = field(default_factory=set)
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Relation:
    """A fact between two entities, with the sentence it was read from."""

    subject: str
    predicate: str
    object: str
    doc_id: str
    sentence: int
    role: str = ""
    ended: bool = False  # a post the sentence gives as ended ("nguyên Giám đốc …"): kg/tenure.py


@dataclass(frozen=True)
class Observation:
    """A statistic: value and unit about a province, with its evidence."""

    subject: str
    value: Decimal
    unit: str
    doc_id: str
    sentence: int
    start: int
    end: int
    indicator: str = ""
    period: str = ""
    text: str = ""
    shared: bool = False  # one figure given to several provinces ("A, B và C cùng tăng 8,1%")


@dataclass
class Extraction:
    """Everything the pipeline found in one document."""

    document: Document
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)


@dataclass
class DocResult:
    """What one document adds to the graph: all a build keeps of it (and all the cache stores)."""

    doc_id: str
    quads: bytes  # N-Quads lines, in the document's named graph (its entities' descriptions included)
    mentioned: dict[str, str]  # entity key -> type, for the summary
    facts: list[tuple[str, str, str, str]]
    observations: int
    # the summary's digests of `mentioned` and `facts` (see `pipeline.Tally`), made where the document was
    # processed (a worker); None: made when the result is added up (a result from the cache)
    counted: tuple[list[tuple[int, str]], list[tuple[int, str]]] | None = field(default=None, compare=False)


_T = TypeVar("_T")


def evolve(obj: _T, **changes: Any) -> _T:
    """`dataclasses.replace` for these plain classes, without calling `__init__`: a frozen class's `__init__`
    sets each of its fields through `object.__setattr__`, and a build copies mentions and relations a few hundred
    thousand times (resolved, renamed)."""
    names = _copied_fields(type(obj))
    if names is None or not changes.keys() <= names:
        return replace(obj, **changes)  # its checks, or its TypeError for a name that is not a field
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__, **changes)
    return new


@cache
def _copied_fields(cls: type) -> frozenset[str] | None:
    """The fields of a class whose copy with changes is its `__dict__` with them, as `replace` would make it;
    None for a class where it is not: one that checks its fields after init, keeps some in slots, or sets some
    itself (`init=False`)."""
    found = fields(cls)
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__") or not all(f.init for f in found):
        return None
    return frozenset(f.name for f in found)
