"""Posts in time: when a post began ("… từ ngày 1/11/2017") and whether, and when, it ended.

A membership (kg/relate.py) says that a person holds or held a post; the
article's date says when that was stated; appointment news often says when
the post began. Only a date the sentence ties to its one post is kept: a
sentence that gives several posts, or that also ends one ("miễn nhiệm",
"nghỉ hưu"), is left undated rather than guessed. A post is ended only where
the words touch it: "nguyên" right before its role, "miễn nhiệm chức" right
before it, "nghỉ hưu" right after its holder's name. The words are in
`kg/data/posts.json`.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from .gazetteer import one_of
from .knowledge import knowledge


def _words(phrases: tuple[str, ...] | list[str]) -> str:
    return one_of(phrases, longest_first=True)


def _dated(words: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """One of `words`, then within the clause "từ ngày d/m[/yyyy]"."""
    p = knowledge().posts
    return re.compile(rf"(?<!\w)(?:{_words(words)})(?!\w)[^;]{{0,200}}?(?<!\w)(?:{_words(p.from_words)})\s+"
                      r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])", re.IGNORECASE)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    p = knowledge().posts
    start = re.compile(rf"(?<!\w)(?:{_words(p.start_words)})(?!\w).{{0,200}}?(?<!\w)(?:{_words(p.from_words)})\s+"
                       r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])", re.IGNORECASE)
    end = re.compile(rf"(?<!\w)(?:{_words(p.end_words)})(?!\w)", re.IGNORECASE)
    return start, end


@cache
def _end_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    p = knowledge().posts
    # "nguyên" in lower case anywhere; "Nguyên" only where a sentence or clause starts ("Thái Nguyên Giám đốc …")
    former = re.compile(rf"(?:(?<!\w)(?:{_words(p.former_words)})|(?:^|[,;:(\-–]\s*)"
                        rf"(?:{_words([w.capitalize() for w in p.former_words])}))\s+$")
    relieved = re.compile(rf"(?<!\w)(?:{_words(p.end_words)})\s+(?:(?:{_words(p.post_words)})\s+)?$", re.IGNORECASE)
    retired = re.compile(rf"\s*[(,]?\s*(?:đã\s+)?(?:{_words(p.retire_words)})(?!\w)", re.IGNORECASE)
    return former, relieved, retired, _dated((*p.end_words, *p.retire_words))


def post_ended(sentence: str, role_start: int, ends: tuple[int, ...] = ()) -> bool:
    """Whether the post whose role begins at `role_start` is said to have ended: "ông A, nguyên Giám đốc Sở X",
    "miễn nhiệm chức Phó Chủ tịch UBND tỉnh đối với ông B", or, right after one of `ends` (where its holder's
    name or its body ends), "Giám đốc Sở Y Nguyễn Văn C nghỉ hưu"."""
    former, relieved, retired, _ = _end_patterns()
    before = sentence[:role_start]
    return bool(former.search(before) or relieved.search(before) or any(retired.match(sentence, e) for e in ends))


def post_end(sentence: str, written: date | None = None) -> date | None:
    """The day the one post of `sentence` ended, when the sentence says it ("nghỉ hưu từ ngày 1/12/2024")."""
    m = _end_patterns()[3].search(sentence)
    return day_of(m, written) if m else None


def day_of(m: re.Match[str], written: date | None = None) -> date | None:
    """The date of groups (day, month, year?), the year from `written` when left out; None if no such day
    ("30/2/2024", a slip of the pen, is no date rather than an invalid xsd:date)."""
    year = int(m.group(3)) if m.group(3) else (written.year if written else None)
    if year is None:
        return None
    try:
        return date(year, int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def post_start(sentence: str, written: date | None = None, holder: str = "",
               persons: list[tuple[int, str]] = ()) -> date | None:
    """The day the one post of `sentence` began, when the sentence says it; `written`, the article's date,
    gives a year the sentence leaves out ("từ ngày 7/11"). With `persons` (start offset, key of each person
    named in the sentence), the date is `holder`'s only when `holder` is the last person named before it:
    "ông A đảm nhiệm … từ ngày 19/11/2014 theo Quyết định … của Bộ trưởng B" dates A's post, not B's."""
    start, end = _patterns()
    m = start.search(sentence)
    if m is None or end.search(sentence):
        return None
    named = [key for at, key in sorted(persons) if at < m.start(1)]
    if persons and (not named or named[-1] != holder):
        return None
    return day_of(m, written)
