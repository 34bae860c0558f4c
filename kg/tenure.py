"""Posts in time: when a post began, read from the sentence that gives it ("… từ ngày 1/11/2017").

A membership (kg/relate.py) says that a person holds a post; the article's
date says when that was stated; appointment news often says when the post
began. Only a date the sentence ties to its one post is kept: a sentence that
gives several posts, or that also ends one ("miễn nhiệm", "nghỉ hưu"), is left
undated rather than guessed. The words are in `kg/data/posts.json`.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from .gazetteer import one_of
from .knowledge import knowledge


def _words(phrases: tuple[str, ...] | list[str]) -> str:
    return one_of(phrases, longest_first=True)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    p = knowledge().posts
    start = re.compile(rf"(?<!\w)(?:{_words(p.start_words)})(?!\w).{{0,200}}?(?<!\w)(?:{_words(p.from_words)})\s+"
                       r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])", re.IGNORECASE)
    end = re.compile(rf"(?<!\w)(?:{_words(p.end_words)})(?!\w)", re.IGNORECASE)
    return start, end


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
    year = int(m.group(3)) if m.group(3) else (written.year if written else None)
    if year is None:
        return None
    try:
        return date(year, int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
