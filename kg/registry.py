"""One small registry for the parts users extend: readers, recognizers, relation rules, exporters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from .errors import UsageError

T = TypeVar("T")


class Registry(Generic[T]):
    """Named entries of one kind, kept in the order they were registered (which is the order they run).

    `register` is a decorator; `get` names the choices when a name is unknown.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, T] = {}

    def add(self, name: str, entry: T) -> T:
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        self._entries[name] = entry
        return entry

    def register(self, *names: str) -> Callable[[T], T]:
        """Register the decorated function under each of `names`."""

        def decorate(fn: T) -> T:
            for name in names:
                self.add(name, fn)
            return fn

        return decorate

    def get(self, name: str) -> T:
        if name not in self._entries:
            raise UsageError(f"unknown {self.kind} {name!r} (choose from {', '.join(self._entries)})")
        return self._entries[name]

    def names(self) -> list[str]:
        return list(self._entries)

    def values(self) -> list[T]:
        return list(self._entries.values())

    def items(self) -> list[tuple[str, T]]:
        return list(self._entries.items())

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
