"""Merge annotators' folders (corpus/, gold.json, SOURCES.md each) into one blind set.

Used once per set, when the annotators hand their folders over:
    python tests/real/merge_sets.py OUT_DIR ANNOTATOR_DIR...
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path


def merge(out: Path, parts: list[Path]) -> None:
    (out / "corpus").mkdir(parents=True, exist_ok=True)
    documents: dict = {}
    relations: list = []
    seen: set = set()
    types: dict[str, str] = {}
    sources = []
    for part in parts:
        gold = json.loads((part / "gold.json").read_text(encoding="utf-8"))
        for doc, body in gold["documents"].items():
            if doc in documents:
                raise SystemExit(f"{part}: document {doc} is already in another part")
            for e in body["entities"]:
                if types.setdefault(e["name"], e["type"]) != e["type"] and not e.get("optional"):
                    print(f"note: {e['name']!r} is a {e['type']} in {doc}, a {types[e['name']]} elsewhere")
            documents[doc] = body
        for r in gold["relations"]:
            key = json.dumps(r, sort_keys=True, ensure_ascii=False)
            if key not in seen:
                seen.add(key)
                relations.append(r)
        for f in sorted((part / "corpus").glob("*.txt")):
            shutil.copy(f, out / "corpus" / f.name)
        sources.append(f"<!-- {part.name} -->\n" + (part / "SOURCES.md").read_text(encoding="utf-8"))
    (out / "gold.json").write_text(json.dumps({"documents": documents, "relations": relations},
                                              ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "SOURCES.md").write_text("\n\n".join(sources), encoding="utf-8")


if __name__ == "__main__":
    merge(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])
