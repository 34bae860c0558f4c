"""Read input articles into `Document`s: text files, HTML pages, JSON Lines.

An article's identifier is its file name without extension (for JSON Lines,
its `id` field); its title is the first non-empty line of a text file, the
page title of an HTML file, the `title` field of a JSON line. Readers are
registered by file extension. Every problem is an `InputError` that names
the file (and line) and says what is wrong; a reader never raises anything
else, so one bad file, line or name never stops a build. Decoded text is
made canonical (NFC, "\n" line ends) before anything else reads it, so
every encoding of an article gives the same document.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .model import Document
from .normalize import canonical
from .registry import Registry

MAX_BYTES = 20 * 1024 * 1024  # one article; a larger file is a dump, not an article
Reader = Callable[[Path, bytes], Iterator["Document | InputError"]]
READERS: Registry[Reader] = Registry("reader")
reader = READERS.register  # by file extension: adding an input format touches one function
_SURROGATE = re.compile("[\ud800-\udfff]")  # bytes of a name that are not UTF-8, or half a UTF-16 pair


def shown(path: str | Path) -> str:
    """A path as printable text: bytes of its name that are not UTF-8 shown as "\\xNN"."""
    text = os.fspath(path)
    return text if _SURROGATE.search(text) is None else os.fsencode(text).decode("utf-8", "backslashreplace")


def _bad_name(path: Path, what: str = "file") -> InputError | None:
    """A name that is not UTF-8 could not be written into the graph (nor printed): such a file is skipped."""
    if _SURROGATE.search(str(path)) is None:
        return None
    return InputError(f"{shown(path)}: the {what} name is not valid UTF-8 (rename it); not read")


@dataclass
class Sources:
    """The article files found, and the paths that could not be used at all."""

    files: Files = field(default_factory=lambda: Files([]))
    problems: list[InputError] = field(default_factory=list)


class Files(Sequence[Path]):
    """Paths kept as their strings (a `Path` holds its parts too: 370 bytes against 80), made into `Path`s as they
    are read: a corpus of many files then costs the build little memory."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self._names = [str(p) for p in paths]

    def __len__(self) -> int:
        return len(self._names)

    def __getitem__(self, index: int | slice) -> Path | list[Path]:  # as a list's
        if isinstance(index, slice):
            return [Path(name) for name in self._names[index]]
        return Path(self._names[index])

    def __iter__(self) -> Iterator[Path]:
        return map(Path, self._names)


class _Excluded:
    """Paths a build never reads (its own output and cache), known by device and inode (links, "..")."""

    def __init__(self, paths: Iterable[str | Path]) -> None:
        self.names: set[str] = set()
        self.ids: set[tuple[int, int]] = set()
        for p in paths:
            try:
                st = os.stat(p)
            except (OSError, ValueError):
                continue  # not there yet: nothing of it to read
            self.names.add(Path(p).name)
            self.ids.add((st.st_dev, st.st_ino))

    def __contains__(self, path: Path) -> bool:
        if path.name not in self.names:
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) in self.ids


def find_sources(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> Sources:
    """Expand files and folders (recursively) into article files, sorted for determinism.

    A named path that does not exist is an error for the caller; a broken
    link, an unreadable folder and a name that is not UTF-8 inside a folder
    are problems reported with the others. `exclude`: files and folders
    never read (a build's own output folder, files and cache).
    """
    found = Sources()
    files: list[Path] = []
    skip = _Excluded(exclude)
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise InputError(f"{shown(path)}: no such file or folder")
        bad = _bad_name(path, "folder" if path.is_dir() else "file")
        if bad:
            found.problems.append(bad)
        elif path.is_file() and path in skip:
            found.problems.append(InputError(f"{path}: written by this build, not read as an article"))
        elif path.is_dir():
            files += _walk(path, skip, found.problems)
        elif path.is_file():
            files.append(path)
        else:
            found.problems.append(InputError(f"{path}: broken symbolic link"))
    unique = dict.fromkeys(files)
    found.files = Files(sorted(unique, key=lambda p: (p.stem, str(p))))
    found.problems = list({str(p): p for p in found.problems}.values())  # a file named and in a folder: once
    return found


def _walk(top: Path, skip: _Excluded, problems: list[InputError]) -> list[Path]:
    """The article files under a folder; what cannot be listed or read is a problem, not a silence."""
    files: list[Path] = []

    def unreadable(exc: OSError) -> None:
        problems.append(InputError(f"{shown(exc.filename or top)}: cannot read this folder ({exc.strerror or exc})"))

    for folder, dirs, names in os.walk(top, onerror=unreadable):
        base = Path(folder)
        kept = []
        for d in sorted(dirs):
            bad = _bad_name(base / d, "folder")
            if bad:
                problems.append(bad)
            elif base / d not in skip:
                kept.append(d)
        dirs[:] = kept  # os.walk enters only these
        for name in sorted(names):
            found = _article(base / name, skip, problems)
            if found is not None:
                files.append(found)
    return files


def _article(p: Path, skip: _Excluded, problems: list[InputError]) -> Path | None:
    """`p` if it is an article file to read; a broken link or a bad name is a problem."""
    if p.is_symlink() and not p.exists():
        problems.append(InputError(f"{shown(p)}: broken symbolic link"))
        return None
    if p.suffix.lower() not in READERS or p in skip:
        return None
    bad = _bad_name(p)
    if bad:
        problems.append(bad)
        return None
    try:
        mode = p.stat().st_mode
    except OSError as exc:
        problems.append(InputError(f"{p}: cannot read ({exc.strerror or exc})"))
        return None
    return p if stat.S_ISREG(mode) else None


_VIETNAMESE = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
# What UTF-8 read as Windows-1258 is made of, and Vietnamese is not: control characters, a combining
# mark left alone (a tone mark follows a vowel and composes with it), Latin-1 symbols such as º ¿ ¡ ¹.
_ODD = re.compile("[\x00-\x08\x0b\x0e-\x1f\u0300-\u036f\xa1-\xaa\xac-\xaf\xb2-\xb6\xb8-\xba\xbc-\xbf]")
# Well-formed UTF-8 sequences of 2, 3 and 4 bytes; lead bytes are never continuation bytes, so each
# pattern finds alone the sequences a scan for all would find.
_UTF8_SEQUENCES = (re.compile(rb"[\xc2-\xdf][\x80-\xbf]"),
                   re.compile(rb"\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"),
                   re.compile(rb"\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"))
_CHANCE_PAIR = re.compile(rb"[\xd0-\xdf][\x80-\xbf]")  # U+0400-U+07FF
_HIGH = bytes(range(0x80, 0x100))


def _looks_vietnamese(composed: str) -> bool:
    """Text decoded from Windows-1258 (and composed, NFC) reads as Vietnamese: its letters, (almost) nothing odd."""
    if not _VIETNAMESE.search(composed):
        return False
    non_ascii = len(composed) - len(composed.encode("ascii", "ignore"))
    return len(_ODD.findall(composed)) * 50 <= non_ascii


def _utf8_evidence(data: bytes) -> tuple[int, int]:
    """(UTF-8 characters, stray high bytes) in bytes that are not valid UTF-8 as a whole.

    Windows-1258 makes a UTF-8 pair by chance where a tone mark (0xD2 hook,
    0xDE tilde) or a capital (Ơ, Ư, Đ) meets a curly quote, a dash or "…"
    (0x80-0xBF): "sẻ”" is 0x73 0x65 0xD2 0x94. Those pairs decode to U+0400-U+07FF
    (Cyrillic to N'Ko), which Vietnamese never uses: they count for neither side.
    """
    counts = [pattern.subn(b"", data)[1] for pattern in _UTF8_SEQUENCES]  # in C: files run to 20 MB
    high = len(data) - len(data.translate(None, _HIGH))
    stray = high - sum(n * size for n, size in zip(counts, (2, 3, 4), strict=True))
    chars = sum(counts) - _CHANCE_PAIR.subn(b"", data)[1]
    return chars, stray


def _windows_1258(data: bytes) -> str | None:
    """The text of Windows-1258 bytes, or None when they are damaged UTF-8 or something else.

    Vietnamese in Windows-1258 has ă â ê ô ơ ư đ as single bytes and its tone
    marks as combining bytes after the vowel (decomposed), so most of its high
    bytes do not form UTF-8; damaged UTF-8 has far more UTF-8 characters than
    stray bytes.
    """
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None
    chars, stray = _utf8_evidence(data)
    return text if chars < stray and _looks_vietnamese(text) else None


def decode(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without a byte-order mark, NFC or NFD), UTF-16 with a mark, or Windows-1258,
    into canonical text (NFC, "\n" line ends): the same text for every encoding of an article.

    UTF-8 comes first: a file with valid multi-byte UTF-8 sequences and a bad
    byte is a damaged UTF-8 file, reported as such, never read as another
    encoding.
    """
    return canonical(_decode(data, source))


def _decode(data: bytes, source: str) -> str:
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
        text = _windows_1258(data)
        if text is not None:
            return text
        raise InputError(f"{source}: not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}) "
                         "nor Windows-1258 text") from None


def _document(doc_id: str, text: str, source: str, title: str = "", **metadata: str) -> Document:
    for name, value in (("id", doc_id), ("text", text), ("title", title), *metadata.items()):
        half = _SURROGATE.search(value)
        if half:  # a JSON escape such as "\ud800": not a character, no output format can hold it
            raise InputError(f"{source}: the {name} holds {ascii(half.group())[1:-1]}, half of a UTF-16 "
                             "surrogate pair, not a character")
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
    """One article per line: {"id", "title", "text", "url", "date", "author"}; a bad line is reported alone.

    Lines end at "\n" only: a JSON string may hold U+2028 or U+0085 unescaped.
    """
    text = decode(data, str(path))
    seen: set[str] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            document = _record(_json(line, where), where, f"{path.stem}-{number}")
            if document.id in seen:
                raise InputError(f"{where}: duplicate id {document.id!r}")
            seen.add(document.id)
            yield document
        except InputError as exc:
            yield exc


def _json(line: str, where: str) -> object:
    """One line's JSON value; whatever stops Python's parser is this line's problem."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply") from None
    except ValueError:  # an integer longer than Python converts
        raise InputError(f"{where}: a number with more than {sys.get_int_max_str_digits()} digits") from None


_JSON_TYPES = {dict: "an object", list: "an array", bool: "true or false", type(None): "null"}


def _field(record: dict, name: str, where: str) -> str:
    """A field as text: a string, or a number written as a string; absent or null is ""."""
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise InputError(f"{where}: \"{name}\" must be a string, not {_JSON_TYPES.get(type(value), 'a number')}")


def _record(record: object, where: str, default_id: str) -> Document:
    """The article of one JSON line."""
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise InputError(f"{where}: expected an object with a \"text\" string")
    doc_id = _field(record, "id", where) or default_id
    return _document(doc_id, record["text"], where, _field(record, "title", where),
                     **{name: _field(record, name, where) for name in ("url", "date", "author")})


def _reader_for(path: Path) -> Reader:
    """The reader of a file's extension; a file named on the command line with another one is text."""
    suffix = path.suffix.lower()
    return READERS.get(suffix) if suffix in READERS else read_text


def read_path(path: Path, max_bytes: int = MAX_BYTES) -> Iterator[Document | InputError]:
    """Every document in one file, or the errors that stopped them."""
    try:
        bad = _bad_name(path)
        if bad:
            raise bad
        try:
            size = path.stat().st_size
            if size > max_bytes and path.suffix.lower() != ".jsonl":
                raise InputError(f"{path}: too large for one article "
                                 f"({size / 2**20:.0f} MB > {max_bytes / 2**20:.0f} MB)")
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
        yield from _reader_for(path)(path, data)
    except InputError as exc:
        yield exc


def single_document(path: Path) -> bool:
    """Whether a file holds one article, named after the file (a text or HTML file), not one per line."""
    return _reader_for(path) is not read_jsonl


def told_apart(files: Iterable[Path]) -> dict[Path, str]:
    """Identifiers for the article files of one build whose names collide (report.txt in two folders).

    A document's identifier is its file name without extension; where that is
    unique in the build it stays so (the graph contract and users' queries rely
    on it). Colliding files get their name with as few parent folders as tell
    them apart ("so-cong-thuong/report"), with the extension where only it
    differs: the same files always get the same identifiers. JSON lines carry
    their own identifiers and are not renamed.
    """
    groups: dict[str, list[Path]] = {}
    for f in files:
        if single_document(f):
            groups.setdefault(f.stem, []).append(f)
    ids: dict[Path, str] = {}
    for group in (g for g in groups.values() if len(g) > 1):
        folders = [f.resolve().parent.parts for f in group]
        for extension in (False, True):
            for depth in range(1, max(map(len, folders)) + 1):
                names = ["/".join([*parts[-depth:], f.name if extension else f.stem])
                         for f, parts in zip(group, folders, strict=True)]
                if len(set(names)) == len(names):
                    ids.update(zip(group, names, strict=True))
                    break
            else:
                continue
            break
    return ids


def read_document(path: str | Path) -> Document:
    """Read a one-article file, raising its error."""
    for item in read_path(Path(path)):
        if isinstance(item, InputError):
            raise item
        return item
    raise InputError(f"{path}: no article")
