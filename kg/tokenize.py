"""Split a document into sentences and words with underthesea.

Lines are split first (a title or a photo caption is its own sentence, even
without a full stop), then underthesea's sentence splitter and word segmenter
run on each line. Only the bundled CRF models are used: nothing is downloaded.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never let underthesea reach for a hub

from underthesea import sent_tokenize

from .model import Document, Sentence, Token
from .normalize import normalize
from .segment import word_tokenize


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


def split_sentences(text: str) -> list[tuple[int, int, tuple[Token, ...], int]]:
    """(start, end, words) of each sentence of normalised text, line by line.

    Each line is segmented once into words (underthesea's model, through
    `segment`), and underthesea's sentence splitter cuts the line; each sentence keeps its words, with
    offsets into the sentence.
    """
    spans: list[tuple[int, int, tuple[Token, ...], int]] = []
    line_start = 0
    for number, line in enumerate(text.split("\n")):
        if line.strip():
            tokens = _locate(word_tokenize(line), line)
            k = 0
            for _, start, end in _locate(sent_tokenize(line), line):
                while k < len(tokens) and tokens[k][1] < start:
                    k += 1
                inside = []
                while k < len(tokens) and tokens[k][2] <= end:
                    w, a, b = tokens[k]
                    inside.append(Token(w, a - start, b - start))
                    k += 1
                spans.append((line_start + start, line_start + end, tuple(inside), number))
        line_start += len(line) + 1
    return spans


def tokenize(document: Document) -> list[Sentence]:
    """Sentences of a document, normalised, with tokens and original offsets."""
    text, offsets = normalize(document.text)
    sentences = []
    for index, (start, end, tokens, paragraph) in enumerate(split_sentences(text)):
        mapped = offsets[start:end]
        original_end = mapped[-1] + 1 if mapped else offsets[start]
        sentences.append(Sentence(
            doc_id=document.id, index=index, text=text[start:end], start=mapped[0], end=original_end,
            offsets=mapped, tokens=tokens, paragraph=paragraph,
        ))
    return sentences
