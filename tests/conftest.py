"""Shared helpers: run the pipeline on a few sentences written for the test."""

from __future__ import annotations

import pytest

from kg.model import Document, Extraction
from kg.pipeline import extract


def run(text: str, doc_id: str = "t") -> Extraction:
    """Extract from an article whose first line is a title."""
    return extract(Document(id=doc_id, text=text))


def labels(x: Extraction, type_: str) -> set[str]:
    """Canonical labels of the entities of one type that the text mentions."""
    mentioned = {m.key for m in x.mentions}
    return {e.label for k, e in x.entities.items() if e.type == type_ and k in mentioned}


def facts(x: Extraction, predicate: str) -> set[tuple[str, str]]:
    """(subject label, object label) pairs of one predicate."""
    return {(x.entities[r.subject].label, x.entities[r.object].label) for r in x.relations if r.predicate == predicate}


@pytest.fixture
def extract_text():
    return run
