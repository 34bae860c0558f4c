"""The one error type users see.

Every problem a user can fix (a file that cannot be read, an unknown format,
a store that is missing, a query that does not parse) is a `KgError` whose
message names the file or the option and the problem. The CLI catches
`KgError` once, prints the message and exits with `exit_code`; anything else
is a bug in kg and is reported as one.
"""

from __future__ import annotations


class KgError(Exception):
    """A problem the user can fix; the message names the file or option and the problem."""

    exit_code = 2


class InputError(KgError):
    """An input that cannot be used; the message names the file and the problem."""


class GazetteerError(KgError):
    """A user gazetteer that cannot be used; the message names the file, line and problem."""


class DataError(KgError):
    """A data file of kg's own knowledge (`kg/data/*.json`) that does not have the shape the code reads."""


class QueryError(KgError):
    """A graph file that cannot be parsed, or a query that cannot run on it."""


class StoreError(KgError):
    """A store or endpoint that cannot be opened, read or written."""


class UsageError(KgError):
    """An option value kg cannot use (an unknown format, a file extension it cannot write)."""


class ViewTooLarge(UsageError):
    """A selection with more nodes than a browser lays out usefully; the message says how to draw a part."""


class WriteError(KgError):
    """Output that could not be written: each output file is either the new one, whole, or the previous one."""


class Interrupted(KgError):
    """Ctrl-C or a killed worker: the message says what was (not) written."""

    exit_code = 130


class AmbiguousFocus(UsageError):
    """A `--focus` name several entities carry; the message lists them (name, class, IRI) to choose one."""
