#!/usr/bin/env bash
# Is the graph the same? Builds every test corpus with the code at REV (default HEAD) and with the working
# tree, and compares the N-Quads and Turtle byte for byte. For changes of structure, not of behaviour:
#   scripts/same_graph.sh            # working tree against HEAD
#   scripts/same_graph.sh v0.1.0     # … against a tag or commit
set -uo pipefail
cd "$(dirname "$0")/.."
rev=${1:-HEAD}
python=${PYTHON:-.venv/bin/python}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/old" >/dev/null 2>&1; rm -rf "$work"' EXIT
git worktree add -q --detach "$work/old" "$rev" || exit 2

corpora="examples/corpus tests/dev ../shared/eval/real/corpus ../shared/corpus/seeds $(ls -d tests/real/blind*/corpus 2>/dev/null)"
build() {  # code folder, corpus, output folder
  PYTHONPATH="$1" "$python" -P -c "from kg.cli import main; main()" build "$2" -o "$3" -f nq,ttl --no-cache -q \
    >/dev/null 2>"$3.err" || { echo "build failed: $2 with $1 ($(tail -1 "$3.err"))"; return 1; }
}
differ=0
for corpus in $corpora; do
  [ -d "$corpus" ] || continue
  name=$(echo "$corpus" | tr '/.' '__')
  build "$work/old" "$corpus" "$work/a-$name" && build "$PWD" "$corpus" "$work/b-$name" || { differ=1; continue; }
  for f in graph.nq graph.ttl; do
    cmp -s "$work/a-$name/$f" "$work/b-$name/$f" || { echo "differs: $corpus $f"; differ=1; }
  done
done
[ "$differ" = 0 ] && echo "same graph bytes on every corpus ($rev and the working tree)"
exit "$differ"
