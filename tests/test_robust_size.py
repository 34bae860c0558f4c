"""One big article: no sentence beyond the bound whatever the punctuation, and work that grows with the text.

Times are measured by bench/robustness.py, not here: these tests count instead.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Namespace
from typer.testing import CliRunner
from underthesea import sent_tokenize as underthesea_sentences

from kg.cli import app
from kg.gazetteer import lexicon
from kg.measure import measure
from kg.model import Document
from kg.normalize import normalize
from kg.recognize import recognize
from kg.relate import issuer_mentions, relate
from kg.resolve import resolve
from kg.tokenize import MAX_SENTENCE, sent_tokenize, split_sentences, tokenize

ROOT = Path(__file__).resolve().parents[1]
KG = Namespace("https://w3id.org/kg-vn/ontology#")
runner = CliRunner()
SYLLABLES = ("Sở", "Công", "Thương", "tỉnh", "Thái", "Nguyên", "khu", "công", "nghiệp", "Bộ", "trưởng", "ông",
             "Nguyễn", "Văn", "An", "tăng", "12,5%", "năm", "2024", "(KCN)", ",", "-", "và", "của", "Quyết",
             "định", "số", "868/QĐ-TTg", "x" * 300)


def body(articles: int = 2) -> str:
    """The body paragraphs (titles left out) of the first bundled example articles."""
    paths = sorted((ROOT / "examples" / "corpus").glob("*.txt"))[:articles]
    return "\n".join(line for p in paths for line in p.read_text(encoding="utf-8").splitlines()[1:] if line.strip())


def flat(text: str) -> str:
    """The text without sentence marks nor line breaks: one line no sentence splitter can cut."""
    return re.sub(r"[.!?;:,…\n]+", " ", text).strip()


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 2500), st.floats(0.0, 1.0), st.booleans())
def test_no_sentence_exceeds_the_bound_whatever_the_punctuation(seed, words, spaces, lines):
    rng = random.Random(seed)
    text = ""
    for _ in range(words):
        text += rng.choice(SYLLABLES) + (" " if rng.random() < spaces else "")
        if lines and rng.random() < 0.001:
            text += "\n"
    text, _ = normalize(text)
    sentences = split_sentences(text)
    previous_end = 0
    for start, end, tokens, _ in sentences:
        assert 0 < end - start <= MAX_SENTENCE
        assert previous_end <= start and text[start:end].strip() == text[start:end]
        previous_end = end
        for t in tokens:  # every word inside its sentence, where the sentence's text has it
            assert text[start + t.start:start + t.end] == t.text
    # no run of tiny pieces: of two pieces in a row, together at least the bound
    assert len(sentences) <= 2 * len(text) / (MAX_SENTENCE / 2) + 4 * (text.count("\n") + 1)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["ab", "TP", "Th.S", "ts", "1.500", "a.w.a.k.e", "s.t.a.l.k.e.r", "Hà", ".", "...",
                                 " ", "!", "?", "\n", "x" * 40, "e.g"]), max_size=200))
def test_sentence_splitter_is_underthesea_s(pieces):
    """The splitter reads at most 32 characters back for an abbreviation ("ab.ab.ab.…" was quadratic) and
    still cuts exactly where underthesea's does."""
    text = "".join(pieces)
    assert sent_tokenize(text) == underthesea_sentences(text)


def test_real_sentences_are_not_cut():
    """The bound is far above a real sentence: an example article's sentences are underthesea's, whole."""
    text, _ = normalize(body(5))
    assert max(end - start for start, end, _, _ in split_sentences(text)) < MAX_SENTENCE / 2


class Counting(list):
    """A list that counts the items read from it, however they are read (loop, reversed, slice)."""

    reads = 0

    def __iter__(self):
        for item in super().__iter__():
            Counting.reads += 1
            yield item

    def __reversed__(self):
        for item in super().__reversed__():
            Counting.reads += 1
            yield item

    def __getitem__(self, index):
        item = super().__getitem__(index)
        Counting.reads += len(item) if isinstance(index, slice) else 1
        return item


def reads_per_stage(copies: int) -> int:
    """Items the resolution, relation and figure stages read from the document's sentence and mention lists,
    for an article made of `copies` copies of the same paragraphs."""
    lex = lexicon()
    text = "Tổng hợp tin các địa phương\n" + "\n".join([body()] * copies)
    sentences = tokenize(Document(id="big", text=text))
    mentions = recognize(sentences, lex)
    Counting.reads = 0
    kept, entities, province = resolve(Counting(sentences), Counting(mentions), lex)
    relations = relate(Counting(sentences), Counting(kept), entities, province, lex)
    kept = sorted(kept + issuer_mentions(Counting(kept), relations, entities, lex),
                  key=lambda m: (m.sentence, m.start, -m.end))
    measure(Counting(sentences), Counting(kept), province, lex)
    return Counting.reads


def test_work_grows_linearly_with_one_article():
    """Twice the article, about twice the reads: no stage scans the whole document per sentence or mention
    (when they did, twice the article read them 3.8 times as often)."""
    two, four = reads_per_stage(2), reads_per_stage(4)
    assert four < 2.3 * two


def test_an_article_without_punctuation_builds_in_bounded_sentences(tmp_path):
    text = flat(body(5))
    (tmp_path / "flat.txt").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["build", str(tmp_path / "flat.txt"), "-o", str(tmp_path / "out"), "-f", "nq",
                                 "--no-cache"])
    assert result.exit_code == 0, result.output
    graph = Dataset(default_union=True).parse(tmp_path / "out" / "graph.nq", format="nquads")
    texts = {int(graph.value(s, KG.sentenceIndex)): str(graph.value(s, KG.text)) for s in graph.subjects(
        predicate=KG.sentenceIndex)}
    assert texts, "the article's names and figures are found in its pieces"
    assert all(len(t) <= MAX_SENTENCE for t in texts.values())
    assert max(texts) < len(text) / (MAX_SENTENCE / 2)  # pieces of at least half the bound, none tiny
