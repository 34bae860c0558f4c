"""Normalise Vietnamese text while keeping a map back to the original.

The same word reaches us composed (NFC) or decomposed (NFD), with the tone
mark on either vowel ("Uỷ"/"Ủy", "hoà"/"hòa"), with odd spaces and dashes.
Every later stage works on one spelling; `offsets[i]` is the original
position of normalised character `i`, so provenance stays exact.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from itertools import chain

# Characters that are noise or look-alikes: zero-width marks vanish, spaces
# and dashes become their plain forms, Icelandic "ð" (a common mis-encoding
# of "đ") becomes "đ".
_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\r"}
_REPLACE = {
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\t": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "ð": "đ", "Ð": "Đ", "\u2028": "\n", "\u2029": "\n", "\x0b": "\n", "\x0c": "\n",
}

_TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook, tilde, dot below


@cache
def _tone_moves() -> dict[str, str]:
    """New-style tone placement ("oà", "uỷ") to the old style ("òa", "ủy").

    Both spell the same syllable; the old style is the one of official names
    such as "Ủy ban". Only open syllables are rewritten (see `_retone`).
    """
    moves = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            for f in (first, first.upper()):
                for s in (second, second.upper()):
                    new = f + unicodedata.normalize("NFC", s + tone)
                    old = unicodedata.normalize("NFC", f + tone) + s
                    moves[new] = old
    return moves


@cache
def _tone_pattern() -> re.Pattern[str]:
    # "hoàn", "quý": in a closed syllable or after "q" the mark already sits where it belongs
    pairs = "|".join(map(re.escape, _tone_moves()))
    return re.compile(rf"(?<![qQ])(?:{pairs})(?![^\W\d_])")


def _retone(text: str) -> str:
    """Move tone marks to the old-style vowel in open syllables only (same length: offsets hold)."""
    moves = _tone_moves()
    return _tone_pattern().sub(lambda m: moves[m.group()], text)


_SPACES = " \t\u00a0\u2002\u2003\u2009\u202f"


@cache
def _special() -> re.Pattern[str]:
    """What the NFC path rewrites: runs of spaces, noise, look-alikes, control characters."""
    chars = "".join(re.escape(c) for c in sorted({*_DROP, *_REPLACE}) if c not in _SPACES)
    odd = _SPACES.replace(" ", "")
    # only spaces that change: two or more, odd kinds, or at a line's start or end (single spaces are copied)
    ws = rf"[{_SPACES}]*[{odd}][{_SPACES}]*| {{2,}}|(?<![^\n]) +| +(?=\r?\n|$)"
    return re.compile(rf"(?P<ws>{ws})|(?P<ch>[{chars}]|[\x00-\x09\x0b-\x1f\x7f-\x9f])")


def _normalize_nfc(text: str) -> tuple[str, tuple[int, ...]]:
    """Text already composed: copy the plain runs whole, rewrite only the special spots."""
    out: list[str] = []
    offsets: list[range | list[int]] = []
    pos, last = 0, ""
    for m in _special().finditer(text):
        if m.start() > pos:
            out.append(text[pos:m.start()])
            offsets.append(range(pos, m.start()))
            last = text[m.start() - 1]
        pos = m.end()
        if m.group("ws"):
            k = pos
            while k < len(text) and text[k] in _DROP:
                k += 1
            following = text[k:k + 1]
            if last not in ("", "\n") and following not in ("", "\n"):
                out.append(" ")
                offsets.append([m.start()])
                last = " "
            continue
        ch = m.group()
        new = "" if ch in _DROP or ch not in _REPLACE else _REPLACE[ch]
        if new:
            out.append(new)
            offsets.append([m.start()])
            last = new
    out.append(text[pos:])
    offsets.append(range(pos, len(text)))
    return "".join(out), tuple(chain.from_iterable(offsets))


def normalize(text: str) -> tuple[str, tuple[int, ...]]:
    """Return the normalised text and, per character, its original offset."""
    if unicodedata.is_normalized("NFC", text):
        clean, offsets = _normalize_nfc(text)  # the common case: plain runs copied whole
        return _retone(clean), offsets
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        if cluster in _DROP or (unicodedata.category(cluster[0]) == "Cc" and cluster not in _REPLACE
                                and cluster != "\n"):
            i = j
            continue
        cluster = _REPLACE.get(cluster, cluster)
        composed = unicodedata.normalize("NFC", cluster)
        for ch in composed:
            if ch == " " and (not out or out[-1] in " \n"):
                continue  # collapse runs of spaces; no space at a line start
            if ch == "\n" and out and out[-1] == " ":
                out.pop()
                offsets.pop()
            out.append(ch)
            offsets.append(i)
        i = j
    return _retone("".join(out)), tuple(offsets)


def canonical(text: str) -> str:
    """The text every offset counts in: NFC, line ends as "\n".

    UTF-8 NFC or NFD, UTF-16 and Windows-1258 (decomposed tone marks) spell the
    same article differently; this is the one spelling a `Document` holds, so an
    article gives the same graph, offsets included, whatever its encoding.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


@lru_cache(maxsize=8192)  # the names a few hundred articles share: memory flat from there
def normalize_name(text: str) -> str:
    """Comparison key of a name: normalised, lower case, single spaces."""
    clean, _ = normalize(text)
    return " ".join(clean.lower().split())
