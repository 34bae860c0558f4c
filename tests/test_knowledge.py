"""kg's own knowledge: every data file loads into typed records, a broken one is named, every key is read."""

import json
import re
from dataclasses import fields, is_dataclass
from importlib import resources
from pathlib import Path

import pytest

from kg import knowledge as kb
from kg.errors import DataError, KgError, UsageError
from kg.export import EXPORTERS
from kg.read import READERS
from kg.recognize import RECOGNIZERS
from kg.relate import RULES

ROOT = Path(__file__).resolve().parents[1]


def raw(name: str) -> dict:
    return json.loads(resources.files("kg.data").joinpath(name).read_text(encoding="utf-8"))


def records() -> list[type]:
    """Every dataclass a data file loads into."""
    return [v for v in vars(kb).values() if is_dataclass(v) and v.__module__ == kb.__name__]


def test_every_data_file_loads_and_is_one_field_of_knowledge():
    loaded = kb.knowledge()
    shipped = {p.name for p in resources.files("kg.data").iterdir() if p.name.endswith(".json")}
    assert shipped == {f"{f.name}.json" for f in fields(kb.Knowledge)}
    assert loaded.local_agencies.unit_heads[0].cls == "MinistryUnit"
    assert [t.name for t in loaded.entity_types.types] == [
        "Agency", "Province", "LegalDocument", "IndustrialZone", "Person", "Company"]


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("councils"), "kg/data/local_agencies.json: missing key 'councils'"),
    (lambda d: d.update(counsils=[]), "kg/data/local_agencies.json: unknown key 'counsils'"),
    (lambda d: d["unit_heads"][0].update(limit="ten"), "kg/data/local_agencies.json.unit_heads[0].limit: expected int"),
    (lambda d: d.update(departments="Công Thương"), "kg/data/local_agencies.json.departments: expected a list"),
])
def test_a_broken_data_file_is_named_with_its_key(change, message):
    data = raw("local_agencies.json")
    change(data)
    with pytest.raises(DataError) as refused:
        kb.parse(kb.LocalAgenciesFile, data, "kg/data/local_agencies.json")
    assert str(refused.value).startswith(message)
    assert isinstance(refused.value, KgError)


def test_every_key_of_every_data_file_is_read_by_the_code():
    """A key no code reads is dead knowledge: each field must be read somewhere in kg/ as `.field`."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "kg").glob("*.py") if p.name != "knowledge.py")
    unread = [f"{cls.__name__}.{f.name}" for cls in records() for f in fields(cls)
              if not re.search(rf"\.{f.name}\b", code)]
    assert unread == []


def test_the_registries_list_their_entries_and_name_the_choices():
    assert EXPORTERS.names() == ["ttl", "nt", "nq", "trig", "jsonld", "html"]
    assert {".txt", ".html", ".htm", ".jsonl"} == set(READERS.names())
    assert "legal" in RECOGNIZERS.names() and len(RULES) >= 5
    with pytest.raises(UsageError, match=r"unknown format 'docx' \(choose from ttl, nt, nq, trig, jsonld, html\)"):
        EXPORTERS.get("docx")
