"""Read input articles into `Document`s: text files, HTML pages, JSON Lines.

An article's identifier is its file name without extension (for JSON Lines,
its `id` field); its title is the first non-empty line of a text file, the
page title of an HTML file, the `title` field of a JSON line. Readers are
registered by file extension. Every problem is an `InputError` that names
the file (and line) and says what is wrong; a reader never raises anything
else, so one bad file never stops a build.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .model import Document
from .registry import Registry

MAX_BYTES = 20 * 1024 * 1024  # one article; a larger file is a dump, not an article
Reader = Callable[[Path, bytes], Iterator["Document | InputError"]]
READERS: Registry[Reader] = Registry("reader")
reader = READERS.register  # by file extension: adding an input format touches one function


@dataclass
class Sources:
    """The article files found, and the paths that could not be used at all."""

    files: list[Path] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


def find_sources(paths: Iterable[str | Path]) -> Sources:
    """Expand files and folders (recursively) into article files, sorted for determinism.

    A named path that does not exist is an error for the caller; a broken
    link inside a folder is a problem reported with the others.
    """
    found = Sources()
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_symlink() and not p.exists():
                    found.problems.append(InputError(f"{p}: broken symbolic link"))
                elif p.suffix.lower() in READERS and p.is_file():
                    files.append(p)
        elif path.is_file():
            files.append(path)
        elif path.is_symlink():
            found.problems.append(InputError(f"{path}: broken symbolic link"))
        else:
            raise InputError(f"{path}: no such file or folder")
    unique = dict.fromkeys(files)
    found.files = sorted(unique, key=lambda p: (p.stem, str(p)))
    return found


def _looks_vietnamese(text: str) -> bool:
    """Windows-1258 text decodes to letters, not to control characters and symbols."""
    odd = sum(1 for c in text if (ord(c) < 32 and c not in "\r\n\t") or 0x80 <= ord(c) < 0xA0)
    return odd == 0 and bool(re.search(r"[ăâđêôơưĂÂĐÊÔƠƯ]", text))


def decode(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without a byte-order mark), UTF-16 with a mark, or Windows-1258.

    UTF-8 comes first: a file with valid multi-byte UTF-8 sequences and a bad
    byte is a damaged UTF-8 file, reported as such, never read as another
    encoding.
    """
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
        if exc.reason == "unexpected end of data" and exc.end >= len(data) - 3:
            raise InputError(f"{source}: truncated (ends in the middle of a UTF-8 character)") from None
        utf8_like = len(re.findall(rb"[\xc2-\xf4][\x80-\xbf]+", data))
        if not utf8_like:
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError:
                text = ""
            if _looks_vietnamese(text):
                return text
        raise InputError(f"{source}: not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}) "
                         "nor Windows-1258 text") from None


def _document(doc_id: str, text: str, source: str, title: str = "", **metadata: str) -> Document:
    if not text.strip():
        raise InputError(f"{source}: no text")
    title = title.strip() or next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if title and first != title:
        text = f"{title}\n{text}"  # the title is the first line, as in a text file
    return Document(id=doc_id, text=text, source=source, title=title,
                    metadata={k: v.strip() for k, v in metadata.items() if v and v.strip()})


@reader(".txt")
def read_text(path: Path, data: bytes) -> Iterator[Document | InputError]:
    """A plain-text article: the first non-empty line is the title."""
    text = decode(data, str(path))
    if not text.strip():
        raise InputError(f"{path}: empty file")
    yield _document(path.stem, text, str(path))


@reader(".html", ".htm")
def read_html(path: Path, data: bytes) -> Iterator[Document | InputError]:
    """A web page: trafilatura keeps the article's text, title, date and author, not the menus."""
    import trafilatura  # loaded only for HTML inputs

    page = decode(data, str(path))
    if not page.strip():
        raise InputError(f"{path}: empty file")
    try:
        found = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
    except Exception as exc:
        raise InputError(f"{path}: cannot extract the article from this HTML ({type(exc).__name__})") from None
    if found is None or not (found.text or "").strip():
        raise InputError(f"{path}: no article text found in this HTML page")
    yield _document(path.stem, found.text, str(path), found.title or "", date=found.date or "",
                    author=found.author or "", url=found.url or "")


@reader(".jsonl")
def read_jsonl(path: Path, data: bytes) -> Iterator[Document | InputError]:
    """One article per line: {"id", "title", "text", "url", "date"}; a bad line is reported alone."""
    text = decode(data, str(path))
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"{where}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield InputError(f"{where}: expected an object with a \"text\" string")
            continue
        doc_id = str(record.get("id") or f"{path.stem}-{number}")
        if doc_id in seen:
            yield InputError(f"{where}: duplicate id {doc_id!r}")
            continue
        seen.add(doc_id)
        try:
            yield _document(doc_id, record["text"], where, str(record.get("title") or ""),
                            url=str(record.get("url") or ""), date=str(record.get("date") or ""),
                            author=str(record.get("author") or ""))
        except InputError as exc:
            yield exc


def _reader_for(path: Path) -> Reader:
    """The reader of a file's extension; a file named on the command line with another one is text."""
    suffix = path.suffix.lower()
    return READERS.get(suffix) if suffix in READERS else read_text


def read_path(path: Path, max_bytes: int = MAX_BYTES) -> Iterator[Document | InputError]:
    """Every document in one file, or the errors that stopped them."""
    try:
        size = path.stat().st_size
        if size > max_bytes and path.suffix.lower() != ".jsonl":
            raise InputError(f"{path}: too large for one article ({size / 2**20:.0f} MB > {max_bytes / 2**20:.0f} MB)")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
        yield from _reader_for(path)(path, data)
    except InputError as exc:
        yield exc


def read_document(path: str | Path) -> Document:
    """Read a one-article file, raising its error."""
    for item in read_path(Path(path)):
        if isinstance(item, InputError):
            raise item
        return item
    raise InputError(f"{path}: no article")
