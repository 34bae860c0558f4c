"""Settings for the whole test session."""

from collections.abc import Iterator

import pytest

from kg.runtime import few_collections


@pytest.fixture(scope="session", autouse=True)
def _collect_garbage_as_kg_does() -> Iterator[None]:
    """The tests run `kg` in-process, outside the `kg` command's own main(), which collects garbage less often;
    without the same setting, the caches the first builds fill make every later collection scan a million
    objects, and the suite takes half as long again."""
    with few_collections():
        yield
