"""Read input articles into `Document`s.

An article is a UTF-8 text file whose first non-empty line is its title; the
file name without extension is the document's identifier (the graph
contract's `dcterms:identifier`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .model import Document

SUFFIXES = (".txt",)


class InputError(Exception):
    """An input that cannot be used; the message names the file and the problem."""


def find_sources(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders (recursively) into article files, sorted for determinism."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
        elif path.is_file():
            found.append(path)
        elif path.is_symlink():
            raise InputError(f"{path}: broken symbolic link")
        else:
            raise InputError(f"{path}: no such file or folder")
    unique = dict.fromkeys(p.resolve() for p in found)
    return sorted(unique, key=lambda p: (p.stem, str(p)))


def decode(data: bytes, source: str) -> str:
    """Decode UTF-8 or, when a byte-order mark says so, UTF-16; fail naming the file."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{source}: not valid UTF-16 despite its byte-order mark") from None
    if b"\x00" in data[:4096]:
        raise InputError(f"{source}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r})") from None


def read_document(path: str | Path) -> Document:
    """Read one article file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    text = decode(data, str(path))
    if not text.strip():
        raise InputError(f"{path}: empty file")
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Document(id=path.stem, text=text, source=str(path), title=title)


def read_documents(paths: Iterable[Path]) -> Iterator[Document | InputError]:
    """Yield each document, or the error that stopped it, in order."""
    for path in paths:
        try:
            yield read_document(path)
        except InputError as exc:
            yield exc
