"""How a build runs in its process: garbage collection tuned for a batch pipeline."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def few_collections() -> Iterator[None]:
    """Collect garbage less often while building.

    The stages allocate millions of short-lived objects and hardly any
    cycles; Python's default (a collection every 700 allocations) spends a
    tenth of a build scanning. Long-lived objects (models, gazetteers) are
    frozen out of the scans, which also keeps forked workers' pages shared.
    The `kg` command holds it over a whole run (build and export); `build`
    over itself.
    """
    global _depth
    _depth += 1
    if _depth > 1:  # nested (the command around `build`): the outermost level owns the settings
        try:
            yield
        finally:
            _depth -= 1
        return
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        _depth -= 1
        gc.set_threshold(*threshold)
        gc.unfreeze()


_depth = 0
