"""Helpers the tests import: run the pipeline on a few sentences, read its output, fetch a Debian tool."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path

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


def debian_tool(command: str, package: str) -> str:
    """A program from Debian the tests need, installed by the project's script when missing (else skip)."""
    if shutil.which(command) is None:
        script = Path(__file__).resolve().parents[1] / "scripts" / "apt.sh"
        subprocess.run(["bash", str(script), command, package], capture_output=True, check=False, timeout=900)
    found = shutil.which(command)
    if found is None:
        missing(f"{command} (Debian package {package}) could not be installed here")
    return found


def missing(what: str) -> None:
    """A tool the tests install could not be had: in CI (CI=true) the test fails, so a broken install is
    never a green run; elsewhere (no apt, no root) it is skipped."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(what)
    pytest.skip(what)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def needs_dates(query: Path) -> bool:
    """A shipped query about dates, which the undated plain-text examples answer with no rows."""
    return "Needs dated articles" in query.read_text(encoding="utf-8")


def same_order(row) -> tuple[str, ...]:
    """What SPARQL leaves to the engine compared as the same: GROUP_CONCAT's order (lists compared as sets)
    and the spelling of a computed decimal ("270000000.0" or "270000000")."""
    def cell(value: str) -> str:
        try:
            return str(Decimal(value).normalize()) if value.strip() else value
        except InvalidOperation:
            return ", ".join(sorted(value.split(", ")))
    return tuple(cell(v) for v in row)


def rows_of(bindings: list[dict], header: list[str]) -> list[tuple[str, ...]]:
    """SPARQL JSON result bindings as sorted rows of `header`'s columns, compared as `same_order` says."""
    return sorted(same_order(b[h]["value"] if h in b else "" for h in header) for b in bindings)


@contextmanager
def oxigraph_server(location: Path, *options: str) -> Iterator[str]:
    """A real Oxigraph server on a free loopback port, as a user starts it (`oxigraph serve`); its base URL.
    Its output is discarded: a full pipe would block it."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                               *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/query?query=ASK%7B%7D")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
