"""How a build runs in its process: garbage collection tuned for a batch pipeline; interruptions that hold."""

from __future__ import annotations

import gc
import signal
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


_stop: list[int] = []  # the signals received: a library that swallows KeyboardInterrupt does not lose them


def _interrupt(signum, frame) -> None:
    _stop.append(signum)
    raise KeyboardInterrupt


def catch_interruptions() -> None:
    """Ctrl-C and SIGTERM raise KeyboardInterrupt (so temporary files go and the previous output stays) and
    are remembered: `check_interrupted` raises again where an import or a library swallowed the first."""
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)


def check_interrupted() -> None:
    """Raise KeyboardInterrupt if a signal came, even one whose exception something swallowed."""
    if _stop:
        raise KeyboardInterrupt


def default_signals() -> None:
    """In a worker process: the default handlers (the parent decides what an interruption does)."""
    _stop.clear()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
