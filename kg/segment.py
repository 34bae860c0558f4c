"""Vietnamese word segmentation: underthesea's own CRF model, scored with memoised n-grams.

underthesea's `word_tokenize` builds 43 feature strings for every syllable
(the syllable two to the left … two to the right, their pairs and triples,
lower-cased, title-cased, in the dictionary), hands them to its CRF tagger,
and the tagger looks each one up again. Most of that time is spent making
strings. The model is linear, though: a syllable's score is the sum of the
weights of its features, and each feature depends on a unigram, bigram or
trigram of syllables at a fixed offset. Syllables and their n-grams repeat
heavily in any Vietnamese text, so this module reads the same model file,
scores each n-gram once per process, and decodes with the same Viterbi.
The output is underthesea's, word for word (the tests check it on every
corpus in the repository); only the time differs.
"""

from __future__ import annotations

import pickle
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path

import underthesea
from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text
from underthesea.pipeline.text_normalize.token_normalize import token_normalize
from underthesea.pipeline.word_tokenize import regex_tokenize
from underthesea.pipeline.word_tokenize.regex_tokenize import regex_patterns

MODEL = Path(regex_tokenize.__file__).parent / "models" / "ws_crf_vlsp2013_20230727"

# underthesea's tokenizer regex (its own copy, never the module global that
# `fixed_words` rewrites): each alternative is one named group, so the match
# is the token.
_TOKEN = re.compile("(" + "|".join(regex_patterns) + ")", re.VERBOSE | re.UNICODE)

# The n-gram spans the model's feature templates look at, relative to the
# syllable being tagged: five unigrams, four bigrams, three trigrams.
_UNIGRAMS = (-2, -1, 0, 1, 2)
_BIGRAMS = (-2, -1, 0, 1)
_TRIGRAMS = (-2, -1, 0)
_BOS, _EOS = "\x00BOS", "\x00EOS"
_ATTRIBUTES = frozenset(("", "lower", "isdigit", "istitle", "is_in_dict"))  # the kinds of value a feature reads
# Entries per n-gram table before it starts a new generation, keeping the
# previous one (what is asked again moves to the new): the frequent n-grams
# stay, and memory stays bounded (two generations) however much text goes through. The bounds are reached
# within the first 10 MB of news text, so a build's memory is flat from there: at 1 << 16 the unigrams
# (syllables, and every new number or foreign word) reached theirs only after about 50 MB; the common
# syllables of Vietnamese are a few thousand.
_TABLE_LIMIT = 1 << 16
_UNIGRAM_LIMIT = 1 << 14


@dataclass(frozen=True)
class Model:
    """A two-label CRF reduced to what decoding needs.

    `weights` maps a feature string to weight(B-W) − weight(I-W): adding the
    same amount to both labels at a position changes no path's rank, so one
    number per feature is enough.
    """

    weights: dict[str, float]
    transitions: tuple[float, float, float, float]  # B→B, B→I, I→B, I→I
    features: tuple[str, ...]
    dictionary: frozenset[str]


def _cqdb_strings(data: bytes, start: int) -> list[str]:
    """The strings of a CRFsuite quark database (CQDB chunk at `start`), by id."""
    bwd_size, bwd_offset = struct.unpack_from("<II", data, start + 16)
    strings = []
    for i in range(bwd_size):
        (offset,) = struct.unpack_from("<I", data, start + bwd_offset + 4 * i)
        _, size = struct.unpack_from("<II", data, start + offset)
        strings.append(data[start + offset + 8:start + offset + 8 + size - 1].decode("utf-8"))
    return strings


def read_crfsuite(path: Path) -> tuple[list[str], dict[str, dict[str, float]], dict[tuple[str, str], float]]:
    """(labels, attribute → label → weight, (label, label) → weight) of a CRFsuite model file.

    The format is CRFsuite's `crf1d` model: a header with chunk offsets, a
    FEAT chunk of (type, source, target, weight) records and two CQDB string
    tables. Weights are read as the doubles they are, not a rounded dump.
    """
    data = path.read_bytes()
    if data[:4] != b"lCRF" or data[8:12] != b"FOMC":
        raise ValueError(f"{path}: not a CRFsuite model")
    off_features, off_labels, off_attrs = struct.unpack_from("<III", data, 28)
    labels, attrs = _cqdb_strings(data, off_labels), _cqdb_strings(data, off_attrs)
    (count,) = struct.unpack_from("<I", data, off_features + 8)
    state: dict[str, dict[str, float]] = {}
    transitions: dict[tuple[str, str], float] = {}
    for kind, src, dst, weight in struct.iter_unpack("<IIId", data[off_features + 12:off_features + 12 + 20 * count]):
        if kind == 0:
            state.setdefault(attrs[src], {})[labels[dst]] = weight
        else:
            transitions[labels[src], labels[dst]] = weight
    return labels, state, transitions


@cache
def model() -> Model:
    """underthesea's bundled word-segmentation model, loaded once per process."""
    labels, state, transitions = read_crfsuite(MODEL / "models.bin")
    if sorted(labels) != ["B-W", "I-W"]:
        raise ValueError(f"{MODEL}: expected labels B-W and I-W, found {labels}")
    weights = {attr: w.get("B-W", 0.0) - w.get("I-W", 0.0) for attr, w in state.items()}
    t = tuple(transitions.get(pair, 0.0) for pair in
              (("B-W", "B-W"), ("B-W", "I-W"), ("I-W", "B-W"), ("I-W", "I-W")))
    return Model(weights, t, tuple(_unpickle(MODEL / "features.bin")), frozenset(_unpickle(MODEL / "dictionary.bin")))


def _unpickle(path: Path) -> object:
    """One of the model's lists, written by joblib as a plain pickle (C unpickler: 4× faster than joblib's)."""
    with path.open("rb") as f:
        return pickle.load(f)


_normalize_token = lru_cache(maxsize=_UNIGRAM_LIMIT)(token_normalize)  # bounded, like the unigrams' scores


_CHUNK = re.compile(r"\S+")
# A run of letters is one token of underthesea's regex (its "word"), unless an earlier alternative matches at its
# start: "Th.S" (an unescaped dot, which also takes a space: "Th S") and the punctuation "ʺ", a letter to isalpha.
_NOT_PLAIN = ("Th", "ʺ")


def syllables(text: str) -> list[str]:
    """underthesea's tokens of `text`: its character normaliser, regex tokenizer and token normaliser.

    The text is taken a run of non-spaces at a time: a run of letters alone (most of them) is its own token,
    without trying the regex's dozen alternatives; any other run is tokenised by the regex on the whole text
    (so lookarounds and "$" see what they see in one scan), from where the scan has got to (a token may run
    over a space into the next run).
    """
    text = normalize_characters_in_text(text)
    tokens: list[str] = []
    scanned = 0  # the end of the last token
    for chunk in _CHUNK.finditer(text):
        start, end = chunk.span()
        if start >= scanned:
            word = chunk.group()
            if word.isalpha() and not word.startswith(_NOT_PLAIN):
                tokens.append(_normalize_token(word))
                scanned = end
                continue
        elif scanned >= end:
            continue
        for m in _TOKEN.finditer(text, max(start, scanned)):
            if m.start() >= end:
                break
            tokens.append(_normalize_token(m.group()))
            scanned = m.end()
    return tokens


def _values(tokens: tuple[str, ...], dictionary: frozenset[str], needed: frozenset[str] = _ATTRIBUTES
            ) -> dict[str, str]:
    """The value each kind of feature gives an n-gram, as underthesea's featurizer writes it (only the kinds
    `needed`: a table whose templates never look at a kind does not compute it)."""
    if _BOS in tokens or _EOS in tokens:
        edge = "BOS" if _BOS in tokens else "EOS"
        return dict.fromkeys(_ATTRIBUTES, edge)
    text = " ".join(tokens)
    lower = text.lower()
    values = {"": text, "lower": lower, "is_in_dict": str(lower in dictionary)}
    if "isdigit" in needed:  # ASCII digits only, as the featurizer counts them
        values["isdigit"] = str(text.isascii() and text.isdigit())
    if "istitle" in needed:  # every word starts with a character that upper-casing leaves alone
        values["istitle"] = str(all(word[:1].upper() == word[:1] for word in tokens))  # tokens hold no space
    return values


class _Scores(dict):
    """n-gram → the summed weights of the features it fires, one entry per offset.

    Filled on first sight, so each distinct unigram, bigram or trigram is
    turned into feature strings once.
    """

    def __init__(self, offsets: tuple[int, ...], size: int, limit: int) -> None:
        super().__init__()
        self.limit = limit
        m, by_feature = model(), _by_feature()
        self.dictionary = m.dictionary
        # per offset, (the lookup of a feature's weight by its value, the attribute giving the value)
        self.templates: list[list[tuple[Callable[[str, float], float], str]]] = []
        for offset in offsets:
            name = f"T[{offset}]" if size == 1 else f"T[{offset},{offset + size - 1}]"
            attrs = [(by_feature.get(f, {}).get, f[len(name) + 1:] if len(f) > len(name) else "") for f in m.features
                     if f == name or f.startswith(name + ".")]
            self.templates.append(attrs)
        self.needed = frozenset(attribute for attrs in self.templates for _, attribute in attrs)
        self.previous: dict[tuple[str, ...], tuple[float, ...]] = {}

    def __missing__(self, key: tuple[str, ...]) -> tuple[float, ...]:
        if len(self) >= self.limit:  # full: what it holds becomes the previous generation
            self.previous = {}  # the one before goes first: two generations at most, even while copying
            self.previous = dict(self)
            self.clear()
        score = self.previous.get(key)  # seen in the previous generation: a frequent n-gram, kept
        if score is None:
            values = _values(key, self.dictionary, self.needed)
            # the weights added in the order of the model's features, as underthesea's tagger adds them
            score = tuple([sum([get(values[attribute], 0.0) for get, attribute in attrs])
                           for attrs in self.templates])
        self[key] = score
        return score


@cache
def _by_feature() -> dict[str, dict[str, float]]:
    """The model's weights by feature, then value ("T[0].lower" → "xin" → w): a new n-gram is scored by lookups
    alone, without making a string per feature (most of a build's n-grams are new)."""
    table: dict[str, dict[str, float]] = {}
    for key, weight in model().weights.items():
        feature, _, value = key.partition("=")
        table.setdefault(feature, {})[value] = weight
    return table


@cache
def _tables() -> tuple[_Scores, _Scores, _Scores]:
    return (_Scores(_UNIGRAMS, 1, _UNIGRAM_LIMIT), _Scores(_BIGRAMS, 2, _TABLE_LIMIT),
            _Scores(_TRIGRAMS, 3, _TABLE_LIMIT))


def release() -> None:
    """Drop the n-gram tables (a build's largest memory after the model): once a build's documents are done,
    the export that follows never segments, and its pieces then reuse that memory instead of adding to it."""
    _tables.cache_clear()
    _normalize_token.cache_clear()


_TIE = 1e-9


def tag(tokens: list[str]) -> list[bool] | None:
    """For each token, whether it begins a word (B-W) rather than continuing one (I-W).

    None when two paths tie: they differ only by rounding, which underthesea's
    tagger settles by its own order of additions, so the caller asks it.
    """
    n = len(tokens)
    if not n:
        return []
    uni, bi, tri = _tables()
    t = [_BOS, _BOS, *tokens, _EOS, _EOS]
    us = [uni[(w,)] for w in t]
    bs = [bi[pair] for pair in pairwise(t)]
    ts = [tri[(a, b, c)] for a, b, c in zip(t, t[1:], t[2:], strict=False)]
    bb, bi_, ib, ii = model().transitions
    # position i of the sentence is t[i + 2]; a span starting at offset k starts at t[i + 2 + k]; the twelve
    # scores added in this order at every position (the order fixes the float sums)
    ds = [u0[0] + u1[1] + u2[2] + u3[3] + u4[4] + b0[0] + b1[1] + b2[2] + b3[3] + t0[0] + t1[1] + t2[2]
          for u0, u1, u2, u3, u4, b0, b1, b2, b3, t0, t1, t2
          in zip(us, us[1:], us[2:], us[3:], us[4:], bs, bs[1:], bs[2:], bs[3:], ts, ts[1:], ts[2:], strict=False)]
    begin, inside, back = ds[0], 0.0, []
    for d in ds[1:]:
        to_b_from_b, to_b_from_i = begin + bb, inside + ib
        to_i_from_b, to_i_from_i = begin + bi_, inside + ii
        if abs(to_b_from_b - to_b_from_i) < _TIE or abs(to_i_from_b - to_i_from_i) < _TIE:
            return None
        back.append((to_b_from_b > to_b_from_i, to_i_from_b > to_i_from_i))
        begin = max(to_b_from_b, to_b_from_i) + d
        inside = max(to_i_from_b, to_i_from_i)
    if abs(begin - inside) < _TIE:
        return None
    label = begin > inside
    path = [label]
    for from_b_to_b, from_b_to_i in reversed(back):
        label = from_b_to_b if label else from_b_to_i
        path.append(label)
    return path[::-1]


def word_tokenize(text: str) -> list[str]:
    """Words of `text`, exactly as `underthesea.word_tokenize(text)` gives them."""
    tokens = syllables(text)
    begins = tag(tokens)
    if begins is None:
        return underthesea.word_tokenize(text)
    words: list[str] = []
    for token, begin in zip(tokens, begins, strict=True):
        if begin or not words:
            words.append(token)
        else:
            words[-1] += " " + token
    return words
