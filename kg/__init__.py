"""kg: a knowledge-graph builder for Vietnamese industry-and-trade text.

    from kg import build
    result = build(["examples/corpus"])
    result.graph.serialize("graph.ttl")
"""

__version__ = "0.1.0"

__all__ = ["__version__", "build", "extract"]


def __getattr__(name: str):
    """Load the pipeline (and underthesea) only when it is used."""
    if name in {"build", "extract"}:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
