"""kg's word segmenter gives underthesea's words exactly, on real articles and on any text."""

from pathlib import Path

import underthesea
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.segment import _TOKEN, _normalize_token, normalize_characters_in_text, syllables, word_tokenize

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT / "examples" / "corpus", ROOT / "tests" / "dev"]
SYLLABLES = st.sampled_from(["Bộ", "Công", "Thương", "công", "thương", "Sở", "ban", "hành", "Nghị", "định",
                             "68/2017/NĐ-CP", "KCN", "TP.HCM", "7,7%", "2.500", "tỷ", "đồng", "ha", "(", ")", ",",
                             ".", "-", "iPhone", "ABC", "²", "١", "ǅx", "İ", "ΣΑΣ", "\n", "http://a.vn", "1/1/2024",
                             "Thesis", "ThưS", "Th", "ʺtrích", "TP.", "v.v", "°C", ":D", "e-mail", "Mr.", "don't",
                             "a.b.vn", "x@y.vn"])
TEXT = st.lists(st.one_of(st.text(max_size=12), SYLLABLES), max_size=30).map(" ".join)


def test_same_words_as_underthesea_on_every_line_of_the_repository_corpora():
    lines = [line for corpus in CORPORA for path in sorted(corpus.rglob("*"))
             if path.suffix in {".txt", ".html", ".jsonl"}
             for line in path.read_text(encoding="utf-8", errors="replace").split("\n") if line.strip()]
    assert len(lines) > 150
    differing = [line for line in lines if word_tokenize(line) != underthesea.word_tokenize(line)]
    assert differing == []


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_same_words_as_underthesea_on_any_text(text):
    assert word_tokenize(text) == underthesea.word_tokenize(text)


@settings(max_examples=1500, deadline=None)
@given(TEXT)
def test_tokens_taken_a_run_at_a_time_are_those_of_one_regex_scan(text):
    """`syllables` skips the regex for runs of letters: the tokens of underthesea's scan of the whole text."""
    scan = [_normalize_token(m.group()) for m in _TOKEN.finditer(normalize_characters_in_text(text))]
    assert syllables(text) == scan


def test_small_tables_that_start_many_generations_give_the_same_words(monkeypatch):
    """The n-gram tables' memory bound (a new generation when full, the previous kept) changes no word."""
    from kg import segment

    lines = [line for path in sorted((ROOT / "examples" / "corpus").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    monkeypatch.setattr(segment, "_TABLE_LIMIT", 50)
    monkeypatch.setattr(segment, "_UNIGRAM_LIMIT", 50)
    segment._tables.cache_clear()
    try:
        words = [word_tokenize(line) for line in lines]
        assert max(len(table.previous) for table in segment._tables()) == 50  # generations were started
    finally:
        segment._tables.cache_clear()
    assert words == [underthesea.word_tokenize(line) for line in lines]


def test_a_name_is_one_word_and_a_verb_another():
    assert word_tokenize("Bộ Công Thương ban hành Thông tư") == ["Bộ", "Công Thương", "ban hành", "Thông tư"]
