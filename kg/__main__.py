"""`kg` and `python -m kg`: the CLI, with a broken data file reported like any other user error.

Loading `kg.cli` loads and checks kg's own knowledge (`kg/data/`); a file someone edited wrong is a
`DataError` naming the file and key, which must read as one line, not a traceback.
"""

from __future__ import annotations

import sys

from .errors import KgError


def main() -> None:
    try:
        from .cli import main as run
    except KgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    run()


if __name__ == "__main__":
    main()
