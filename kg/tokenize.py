"""Split a document into sentences and words with underthesea.

Lines are split first (a title or a photo caption is its own sentence, even
without a full stop), then underthesea's sentence splitter and word segmenter
run on each line. Only the bundled CRF models are used: nothing is downloaded.

Work and memory per sentence must not grow with the article: every later
stage looks at a sentence's mentions pairwise. So a line longer than
`MAX_LINE` is cut (after a sentence mark, else at a space) into pieces the
splitter and segmenter take one at a time, and a sentence longer than
`MAX_SENTENCE` (text without sentence marks) is cut between two words, after
a clause mark where there is one. Both bounds are well above real text (the
longest sentence of the bundled and real corpora has 922 characters, the
longest line 1,475), so they change nothing there.
"""

from __future__ import annotations

import os
import re
from array import array
from bisect import bisect_right
from functools import cache

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never let underthesea reach for a hub

from underthesea.pipeline import sent_tokenize as punkt

from .model import Document, Sentence, Token
from .normalize import normalize
from .segment import word_tokenize

MAX_SENTENCE = 2000  # characters (about 400 words): no sentence is longer
MAX_LINE = 5000  # characters the sentence splitter and word segmenter get at once
CLAUSE_MARKS = frozenset({",", ";", ":", "-", "–", ")", "…"})  # a sensible place to cut an overlong sentence
_LINE_CUT = re.compile(r"[.!?…][\"”’)]*\s")  # where a line may be cut best: after a sentence mark
ABBREVIATION_LIMIT = 32  # characters: longer than any abbreviation underthesea can match ("s.t.a.l.k.e.r")


class _Splitter(punkt.PunktSentenceTokenizer):
    """underthesea's sentence splitter, with the same sentences, in time linear in the text.

    At each full stop it reads the word before, back over letters, digits and dots, to see whether it
    is an abbreviation: in "ab.ab.ab.…" that is the whole run at every stop. Reading no further than
    `ABBREVIATION_LIMIT` characters gives the same answer, as no abbreviation is that long.
    """

    def _get_preceding_word(self, text: str, pos: int) -> str | None:
        start, floor = pos - 1, max(-1, pos - 1 - ABBREVIATION_LIMIT)
        while start > floor and (text[start].isalnum() or text[start] == "."):
            start -= 1
        return text[start + 1:pos] or None


@cache
def _splitter() -> _Splitter:
    punkt._load_model()  # underthesea's abbreviations, read from its package
    splitter = _Splitter(punkt.sentence_tokenizer.abbrev_types)
    readable = [a for a in splitter.abbrev_types if all(c.isalnum() or c == "." for c in a)]  # the others never match
    if max(map(len, readable)) >= ABBREVIATION_LIMIT:
        raise RuntimeError("an abbreviation of underthesea's is longer than ABBREVIATION_LIMIT: raise it")
    return splitter


def sent_tokenize(text: str) -> list[str]:
    """Sentences of `text`, exactly as `underthesea.sent_tokenize(text)` gives them."""
    return _splitter().sentences_from_text(text)


def _locate(pieces: list[str], text: str) -> list[tuple[str, int, int]]:
    """Find each piece in `text` in order; pieces the tool rewrote are skipped."""
    spans, cursor = [], 0
    for piece in pieces:
        at = text.find(piece, cursor)
        if at < 0:
            continue
        spans.append((piece, at, at + len(piece)))
        cursor = at + len(piece)
    return spans


def _line_pieces(line: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of a line, each at most `MAX_LINE` long: the whole line when it fits, else
    cut after the last sentence mark in the second half of the limit, else at the last space, else at it."""
    pieces, start = [], 0
    while len(line) - start > MAX_LINE:
        limit = start + MAX_LINE
        marks = [m.end() for m in _LINE_CUT.finditer(line, start + MAX_LINE // 2, limit)]
        space = line.rfind(" ", start + 1, limit)
        cut = marks[-1] if marks else space if space > start else limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, len(line)))
    return pieces


def _bounded(line: str, start: int, end: int, words: list[Token]) -> list[tuple[int, int]]:
    """(start, end) of the pieces of a sentence of `line`, each at most `MAX_SENTENCE` long; `words` are the
    line's words, in order.

    A cut falls between two words: after the last clause mark in the second half of the limit, else after
    the last word that fits; a run without a word boundary (no space in 2,000 characters) is cut at the limit.
    """
    pieces = []
    ends = [w.end for w in words]
    while end - start > MAX_SENTENCE:
        limit, half = start + MAX_SENTENCE, start + MAX_SENTENCE // 2
        last = bisect_right(ends, limit) - 1  # the last word ending within the limit
        cut = next((ends[i] for i in range(last, -1, -1) if ends[i] <= half or words[i].text in CLAUSE_MARKS), 0)
        if cut <= half:
            cut = ends[last] if last >= 0 and ends[last] > start else limit
        pieces.append((start, cut))
        start = cut
        while start < end and line[start].isspace():
            start += 1
    pieces.append((start, end))
    return pieces


def _sentences(line: str) -> list[tuple[int, int, tuple[Token, ...]]]:
    """(start, end, words) of each sentence of one piece of a line, each at most `MAX_SENTENCE` long.

    The piece is segmented once into words (underthesea's model, through `segment`) and underthesea's
    sentence splitter cuts it; each sentence keeps its words, with offsets into the sentence.
    """
    words = [Token(*w) for w in _locate(word_tokenize(line), line)]
    spans = []
    k = 0
    for _, found_start, found_end in _locate(sent_tokenize(line), line):
        pieces = (_bounded(line, found_start, found_end, words) if found_end - found_start > MAX_SENTENCE
                  else [(found_start, found_end)])
        for start, end in pieces:
            while k < len(words) and words[k].start < start:
                k += 1
            inside = []
            while k < len(words) and words[k].end <= end:
                w, a, b = words[k]
                inside.append(Token(w, a - start, b - start))
                k += 1
            spans.append((start, end, tuple(inside)))
    return spans


def split_sentences(text: str) -> list[tuple[int, int, tuple[Token, ...], int]]:
    """(start, end, words, line number) of each sentence of normalised text, line by line.

    A line longer than `MAX_LINE` is taken in pieces (see `_line_pieces`), so neither underthesea's
    splitter nor the segmenter ever sees more than that at once.
    """
    spans: list[tuple[int, int, tuple[Token, ...], int]] = []
    line_start = 0
    for number, line in enumerate(text.split("\n")):
        if line.strip():
            for piece_start, piece_end in _line_pieces(line):
                at = line_start + piece_start
                spans += [(at + start, at + end, words, number)
                          for start, end, words in _sentences(line[piece_start:piece_end])]
        line_start += len(line) + 1
    return spans


def tokenize(document: Document) -> list[Sentence]:
    """Sentences of a document, normalised, with tokens and original offsets.

    The offsets are kept as machine integers (8 bytes a character, where a tuple of Python ints takes
    36): in a big article they were the largest part of what the pipeline holds.
    """
    text, mapping = normalize(document.text)
    offsets = array("q", mapping)
    del mapping
    sentences = []
    for index, (start, end, tokens, paragraph) in enumerate(split_sentences(text)):
        mapped = offsets[start:end]
        original_end = mapped[-1] + 1 if mapped else offsets[start]
        sentences.append(Sentence(
            doc_id=document.id, index=index, text=text[start:end], start=mapped[0], end=original_end,
            offsets=mapped, tokens=tokens, paragraph=paragraph,
        ))
    return sentences
