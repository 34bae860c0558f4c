"""Benchmark corpora: an honest one from every real article at hand, and the old generator for comparison.

The honest corpus takes the sentences of all real articles in the
repository (examples, tests/dev, tests/real/blind*, and ../shared/eval/real
when present), shuffles them across articles, joins clauses of different
sentences, and varies every person's name, every province and every figure,
so that kg's memoised segmenter meets about as many new n-grams as it would
in real news. `repeated_share` measures that: the share of word 5-grams
already seen earlier in the corpus.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ["examples/corpus", "tests/dev/corpus", "tests/real/blind*/corpus", "../shared/eval/real/corpus"]

# The old generator: five example articles with a few names and figures swapped.
OLD_PROVINCES = ["Bắc Ninh", "Nghệ An", "Đồng Nai", "Quảng Ninh", "Lâm Đồng", "Cần Thơ", "Hải Phòng", "Lào Cai",
                 "Gia Lai", "Tây Ninh", "Hưng Yên", "Phú Thọ", "Khánh Hòa", "Đắk Lắk", "Cà Mau", "An Giang"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Huy", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Nghĩa", "Phong", "Phúc", "Quang", "Sơn", "Tâm", "Thắng", "Thảo",
         "Thành", "Thủy", "Tiến", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Xuân", "Yến", "Đạt", "Đông", "Hương"]
MIDDLES = [*MIDDLE, "Hoàng", "Công", "Xuân", "Kim", "Bảo", "Anh", "Trọng", "Duy", "Mạnh", "Thu", "Hồng", "Tuấn"]


def real_files() -> list[Path]:
    """Every real article at hand, in a fixed order."""
    files: list[Path] = []
    for pattern in REAL:
        for folder in sorted(ROOT.glob(pattern)):
            files += sorted(folder.glob("*.txt"))
    return files


def old_variation(text: str, i: int) -> str:
    """Another article like this one: other provinces, other middle names, other figures."""
    text = text.replace("Thái Nguyên", OLD_PROVINCES[i % len(OLD_PROVINCES)]).replace(
        "Thái Bình", OLD_PROVINCES[(i + 7) % len(OLD_PROVINCES)])
    text = re.sub(r"(Nguyễn|Trịnh|Lê) (\w+) ", lambda m: f"{m.group(1)} {MIDDLE[(i + len(m.group(2))) % 8]} ", text)
    return re.sub(r"\d+,\d+", lambda m: f"{int(m.group().split(',')[0]) + i % 7},{m.group().split(',')[1]}", text)


def make_old_corpus(folder: Path, megabytes: float) -> tuple[int, int]:
    """The old generator (variations of the five examples): (documents, bytes)."""
    sources = sorted((ROOT / "examples" / "corpus").glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    total, count = 0, 0
    while total < megabytes * 1e6:
        src = sources[count % len(sources)]
        text = old_variation(src.read_text(encoding="utf-8"), count)
        (folder / f"{src.stem}-v{count:06d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
        count += 1
    return count, total


class Varier:
    """Sentences from every real article, recombined and with names, places and figures varied."""

    def __init__(self, files: list[Path], seed: int = 18) -> None:
        self.rng = random.Random(seed)
        data = json.loads((ROOT / "kg" / "data" / "provinces.json").read_text(encoding="utf-8"))
        self.provinces = sorted({p["name"] for p in data["provinces"]})
        surnames = json.loads((ROOT / "kg" / "data" / "surnames.json").read_text(encoding="utf-8"))["common"]
        self.surnames = list(surnames)
        names = "|".join(sorted((re.escape(p) for p in self.provinces), key=len, reverse=True))
        self.province_re = re.compile(rf"\b(?:{names})\b")
        upper = "A-ZÀ-ỸĐ"
        self.person_re = re.compile(rf"\b(?:{'|'.join(self.surnames)})(?: [{upper}][^\s,.;:()]*){{1,3}}")
        self.titles: list[str] = []
        self.sentences: list[str] = []
        self.lengths: list[int] = []  # paragraphs per article, sentences per paragraph: the real shapes
        for f in files:
            lines = [line.strip() for line in f.read_text(encoding="utf-8").split("\n") if line.strip()]
            if not lines:
                continue
            self.titles.append(lines[0])
            for para in lines[1:]:
                parts = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-ỸĐ\"“])", para) if s]
                self.sentences += parts
                self.lengths.append(len(parts))

    def figure(self, m: re.Match) -> str:
        """Other digits in the same shape: a year stays a recent year, a day and month stay a date."""
        text, rng = m.group(), self.rng
        if re.fullmatch(r"(?:19|20)\d\d", text):
            return str(rng.randrange(2010, 2027))
        if re.fullmatch(r"\d{1,2}/\d{1,2}(?:/\d{4})?", text):
            parts = [str(rng.randrange(1, 29)), str(rng.randrange(1, 13))]
            return "/".join(parts + ([str(rng.randrange(2010, 2027))] if text.count("/") == 2 else []))
        return "".join(str(rng.randrange(1 if i == 0 else 0, 10)) if c.isdigit() else c for i, c in enumerate(text))

    def vary(self, text: str) -> str:
        rng = self.rng
        text = self.province_re.sub(lambda m: rng.choice(self.provinces), text)
        text = self.person_re.sub(lambda m: f"{rng.choice(self.surnames)} {rng.choice(MIDDLES)} "
                                            f"{rng.choice(GIVEN)}", text)
        return re.sub(r"\d+(?:[.,/]\d+)*", self.figure, text)

    def sentence(self) -> str:
        """The first clause of a real sentence followed by as many clauses of other sentences (cut at ", ")."""
        rng = self.rng
        clauses = rng.choice(self.sentences).split(", ")
        for i in range(1, len(clauses)):
            other = rng.choice(self.sentences).split(", ")
            clauses[i] = other[rng.randrange(1, len(other))] if len(other) > 1 else clauses[i]
        text = ", ".join([c.rstrip(".") for c in clauses[:-1]] + clauses[-1:])
        return self.vary(text if text.endswith((".", "!", "?", "\"", "”")) else text + ".")

    def article(self) -> str:
        paras = [" ".join(self.sentence() for _ in range(self.rng.choice(self.lengths)))
                 for _ in range(max(3, self.rng.randrange(4, 14)))]
        return "\n".join([self.vary(self.rng.choice(self.titles)), *paras]) + "\n"


def make_corpus(folder: Path, megabytes: float, seed: int = 18) -> tuple[int, int]:
    """Write articles recombined from every real one until `megabytes` of text: (documents, bytes)."""
    varier = Varier(real_files(), seed)
    folder.mkdir(parents=True, exist_ok=True)
    total, count = 0, 0
    while total < megabytes * 1e6:
        text = varier.article()
        (folder / f"a{count:06d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
        count += 1
    return count, total


def repeated_share(texts: Iterable[str], n: int = 5, limit: int | None = None) -> float:
    """The share of word n-grams (syllables, as written) already seen earlier in the texts, read in order;
    `limit`: only the first so many bytes."""
    seen: set[int] = set()
    total = repeated = used = 0
    for text in texts:
        used += len(text.encode("utf-8"))
        for line in text.split("\n"):
            words = re.findall(r"\w+", line.lower())
            for i in range(len(words) - n + 1):
                key = hash(tuple(words[i:i + n]))
                total += 1
                if key in seen:
                    repeated += 1
                else:
                    seen.add(key)
        if limit and used >= limit:
            break
    return repeated / total if total else 0.0


def folder_texts(folder: Path) -> Iterable[str]:
    for f in sorted(folder.rglob("*.txt")):
        yield f.read_text(encoding="utf-8")
