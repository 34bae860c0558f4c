"""The `kg` command: a thin layer over the library (`kg.pipeline`, `kg.query`, `kg.export`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import track
from rich.table import Table
from typer.core import TyperGroup

from . import __version__
from .errors import KgError
from .export import EXPORTERS, export, plan_outputs, write_atomic, written_paths
from .query import load_graph, read_query, rows, run, stats, to_csv, to_json
from .runtime import catch_interruptions, few_collections

out = Console()
err = Console(stderr=True)


class _Commands(TyperGroup):
    """Every command runs here: a `KgError` (a problem the user can fix) is caught once, printed as one
    line, and becomes the exit code; anything else is a bug, reported by `main`."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:  # the machine's, not kg's: a full disk, a folder it may not write in
            what = f"{exc.filename or ctx.info_name}: {exc.strerror or exc}"
            err.print(f"[red]error:[/red] {escape(what)}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None


app = typer.Typer(cls=_Commands, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Build an RDF knowledge graph from Vietnamese industry-and-trade articles.")


def fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def build(
    inputs: list[Path] = typer.Argument(..., help="Article files (.txt, .html, .jsonl) and folders of them."),
    output: Path = typer.Option(Path("out"), "-o", "--output",
                                help="Output folder (graph.ttl, graph.html…) or one .ttl/.nt/.nq/.trig/.jsonld file."),
    formats: list[str] = typer.Option(["ttl,html"], "--format", "-f",
                                      help=f"Formats, comma-separated or repeated: {', '.join(EXPORTERS)}."),
    gazetteers: list[Path] = typer.Option(
        [], "--gazetteer", "-g", help="CSV of your own entities (type,name,aliases,class,parent); repeatable."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Documents processed in parallel processes."),
    cache: Path | None = typer.Option(None, "--cache",
                                      help="Cache of built documents (default: .kg-cache beside the output)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Build every document again, use no cache."),
    dask: str | None = typer.Option(None, "--dask", metavar="SCHEDULER",
                                    help="Run on a Dask cluster; writes sharded N-Quads to OUTPUT/shards/."),
    store: Path | None = typer.Option(None, "--store", help="Also load the graph into this Oxigraph store (a folder)."),
    validate: bool = typer.Option(False, "--validate",
                                  help="Check the graph against the SHACL shapes; write nothing if it fails."),
    evidence: str = typer.Option("full", "--evidence", help="Provenance written: full (every fact's sentence, "
                                 "every mention's words), sentences (no mentions), none (no sentences)."),
    strict: bool = typer.Option(False, "--strict", help="Stop at the first file that cannot be read."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
) -> None:
    """Read articles (.txt, .html, .jsonl; folders recursively), extract entities, relations and
    statistics, write the graph. Exit code: 0 all read, 1 some files skipped, 2 nothing built."""
    from .gazetteer import with_gazetteers
    from .pipeline import build as run_build
    from .pipeline import default_cache_dir

    lex = with_gazetteers(gazetteers)
    chosen = plan_outputs(output, ",".join(formats))
    level = evidence_level(evidence)
    if dask:
        from .distributed import build_on_dask

        finish(build_on_dask(inputs, dask, output, lex, evidence=level), quiet)
        return

    def progress(items, total):
        show = not quiet and total > 20 and sys.stderr.isatty()
        return track(items, total=total, description="Building", console=err, disable=not show)

    result = run_build(inputs, lex=lex, progress=progress, strict=strict, workers=workers,
                       cache_dir=default_cache_dir(output, cache, no_cache), exclude=written_paths(output),
                       evidence=level)
    if result.documents == 0:
        for f in result.failures:
            err.print(f"[red]failed:[/red] {escape(f)}", highlight=False, soft_wrap=True)
        fail("no document could be read")
    try:
        if validate:
            check_before_writing(result, level)
        written = export(result.output, output, chosen, workers)
        if store is not None:
            from .store import replace_documents

            replace_documents(store, result.nquads)
            written.append(store)
        finish(result, quiet, written)
    finally:
        result.close()


@app.command("merge")
def merge_command(
    shards: list[Path] = typer.Argument(..., help="Shards of `kg build --dask` (OUTPUT/shards/*.nq) or folders."),
    output: Path = typer.Option(Path("out"), "-o", "--output",
                                help="Output folder, or one file (.nq, .ttl…, each also .gz)."),
    formats: list[str] = typer.Option(["nq"], "--format", "-f", help=f"Formats: {', '.join(EXPORTERS)}."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes writing Turtle."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing."),
) -> None:
    """Merge the shards of Dask builds into one graph, in bounded memory: the files one machine would write."""
    from .distributed import merge_shards

    chosen = plan_outputs(output, ",".join(formats))
    result = merge_shards(shards)
    try:
        written = export(result.output, output, chosen, workers)
    finally:
        result.close()
    if not quiet:
        for path in written:
            out.print(f"wrote {path}", highlight=False)


def evidence_level(level: str) -> str:
    """An --evidence value, checked."""
    from .rdf import EVIDENCE_LEVELS

    if level not in EVIDENCE_LEVELS:
        fail(f"--evidence {level!r}: use one of {', '.join(EVIDENCE_LEVELS)}")
    return level


def check_before_writing(result, evidence: str = "full") -> None:
    """`kg build --validate`: a graph that breaks the shapes is not written."""
    from .validate import describe
    from .validate import validate as check

    report = check(result.graph, evidence)
    if not report.conforms:
        for line in describe(report):
            err.print(f"[red]violation:[/red] {escape(line)}", highlight=False, soft_wrap=True)
        fail(f"the graph breaks {len(report.violations)} rule(s) of the shapes; nothing was written", 1)


def finish(result, quiet: bool, written: list[Path] | None = None) -> None:
    """The summary, the skipped files, and exit code 1 when some were skipped."""
    if not quiet:
        summary(result, result.shards if written is None else written)
    for f in result.failures:
        err.print(f"[yellow]skipped:[/yellow] {escape(f)}", highlight=False, soft_wrap=True)
    if result.failures:
        raise typer.Exit(1)


def summary(result, written: list[Path]) -> None:
    table = Table(title="kg build", show_header=True, header_style="bold")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(result.documents))
    for kind, n in sorted(result.entities.items()):
        table.add_row(f"entities: {kind}", str(n))
    for prop, n in sorted(result.relations.items()):
        table.add_row(f"relations: {prop}", str(n))
    table.add_row("statistics", str(result.observations))
    if result.built:
        table.add_row("triples", str(result.triples))
    if result.cached:
        table.add_row("documents from the cache", str(result.cached))
    table.add_row("failed files", str(len(result.failures)))
    table.add_row("time", f"{result.seconds:.1f} s")
    out.print(table)
    for path in written:
        out.print(f"wrote {path}", highlight=False)


@app.command("stats")
def stats_command(graph: Path = typer.Argument(..., help="A graph file (.ttl, .nt, .nq, .trig, .jsonld).")) -> None:
    """Count instances per class and triples per property."""
    counts = stats(load_graph(graph))
    for title, items in (("class", counts["classes"]), ("property", counts["properties"])):
        table = Table(show_header=True, header_style="bold")
        table.add_column(title)
        table.add_column("count", justify="right")
        for name, n in items:
            table.add_row(name, str(n))
        out.print(table)


@app.command()
def query(
    graph: Path = typer.Argument(..., help="A graph file, or an Oxigraph store folder."),
    sparql: str = typer.Argument(..., help="A .rq file, or the query text itself."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
) -> None:
    """Run a SPARQL SELECT, ASK or CONSTRUCT query over a graph file or a store."""
    text = read_query(Path(sparql)) if names_a_file(sparql) else sparql
    if fmt not in {"table", "csv", "json"}:
        fail(f"unknown format {fmt!r} (choose table, csv or json)")
    if graph.is_dir():
        from .store import open_store, query_store

        answer = query_store(open_store(graph), text)
        if answer.kind == "CONSTRUCT":
            sys.stdout.write(answer.triples.decode("utf-8"))
            return
        print_rows(answer.header, answer.body, fmt)
        return
    result = run(load_graph(graph), text)
    if result.type == "CONSTRUCT":
        sys.stdout.write(result.graph.serialize(format="turtle"))
        return
    print_rows(*rows(result), fmt)


def names_a_file(sparql: str) -> bool:
    """Whether `kg query`'s argument is a file: a .rq/.sparql name, or a short word without the braces, angle
    brackets or spaces every query has that names an existing file; query text never touches the file system."""
    if sparql.endswith((".rq", ".sparql")):
        return True
    if len(sparql) > 255 or any(c in sparql for c in "{}<> \t\n"):
        return False
    try:
        return Path(sparql).is_file()
    except OSError:
        return False


def print_rows(header: list[str], body: list[tuple[str, ...]], fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(to_csv(header, body))
    elif fmt == "json":
        sys.stdout.write(to_json(header, body))
    else:
        table = Table(show_header=True, header_style="bold")
        for h in header:
            table.add_column(h, overflow="fold")
        for r in body:
            table.add_row(*r)
        out.print(table)
        out.print(f"{len(body)} row(s)", highlight=False)


@app.command()
def load(
    graph: Path = typer.Argument(..., help="A graph file (.nq and .trig keep one named graph per document)."),
    store: Path = typer.Option(..., "--store", help="The Oxigraph store folder (created if missing)."),
) -> None:
    """Load a graph file into an on-disk Oxigraph store."""
    from .store import load_file

    count = load_file(store, graph)
    out.print(f"loaded {graph} into {store} ({count} quads in the store)", highlight=False)


@app.command()
def serve(
    store: Path = typer.Option(..., "--store", help="The Oxigraph store folder to serve."),
    port: int = typer.Option(7878, "--port", help="Port on 127.0.0.1."),
    allow_update: bool = typer.Option(False, "--allow-update", help="Accept SPARQL Update and graph writes."),
    timeout: float = typer.Option(30, "--timeout", help="Longest time a query may run, in seconds."),
    allow_service: bool = typer.Option(False, "--allow-service",
                                       help="Let queries call other endpoints with SERVICE (refused by default)."),
    backends: int = typer.Option(2, "--backends", min=1,
                                 help="Oxigraph processes answering queries side by side (1 with --allow-update)."),
    max_result_mb: int = typer.Option(1024, "--max-result-mb", min=1,
                                      help="Largest answer sent, in MB; a larger one is cut off."),
) -> None:
    """Serve a store over the SPARQL 1.1 Protocol on 127.0.0.1 (read-only unless --allow-update)."""
    from .store import serve as run_server

    mode = "read-write" if allow_update else "read-only"
    err.print(f"SPARQL endpoint ({mode}): http://127.0.0.1:{port}/query — Ctrl-C stops it", highlight=False)
    run_server(store, port, allow_update, timeout, allow_service, backends, max_result_mb)


PASSWORD_ENV = typer.Option("KG_PASSWORD", "--password-env", metavar="VAR",
                            help="Environment variable holding the password of --user (never on the command line).")
USER = typer.Option(None, "--user", metavar="NAME",
                    help="Log in as NAME (Basic or Digest); password from KG_PASSWORD or ~/.netrc.")
UPDATE = typer.Option(None, "--update", metavar="URL",
                      help="The store's SPARQL Update endpoint: the whole change in one request.")
UNION = typer.Option(False, "--union-default-graph",
                     help="With --update: keep the store's default graph the union of its named graphs, so a "
                          "store in its default configuration answers queries without GRAPH.")


@app.command()
def push(
    graph: Path = typer.Argument(..., help="A graph file; .nq and .trig send one named graph per document."),
    endpoint: str | None = typer.Option(None, "--endpoint", metavar="URL",
                                        help="The store's Graph Store Protocol URL (one request per graph)."),
    update: str | None = UPDATE,
    query_url: str | None = typer.Option(None, "--query", metavar="URL",
                                         help="The store's SPARQL query endpoint (lists its graphs for --prune)."),
    append: bool = typer.Option(False, "--append", help="Add to the graphs instead of replacing them."),
    prune: bool = typer.Option(False, "--prune",
                               help="Drop the store's document graphs that the file does not hold."),
    default_graph: str | None = typer.Option(None, "--graph", help="Named graph for a file without named graphs."),
    union_default_graph: bool = UNION,
    user: str | None = USER,
    password_env: str = PASSWORD_ENV,
) -> None:
    """Load a graph into a triple store: SPARQL Update in one request (--update) or the Graph Store Protocol."""
    from .remote import Server
    from .remote import push as send

    server = Server(store=endpoint, update=update, query=query_url, user=user, password_env=password_env)
    done = send(graph, server, replace=not append, default_graph=default_graph, prune=prune,
                union_default_graph=union_default_graph)
    how = "in one update request" if done.one_request else "one request per graph"
    out.print(f"{'appended' if append else 'replaced'} {len(done.sent)} graph(s) at {update or endpoint} ({how})",
              highlight=False)
    if prune:
        names = ", ".join(f"<{g}>" for g in done.pruned)
        out.print(f"pruned {len(done.pruned)} graph(s)" + (f": {names}" if names else ""), highlight=False)


@app.command()
def remove(
    docs: list[str] = typer.Argument(..., metavar="DOC...",
                                     help="Document identifiers (e.g. bac-ninh-2024) or article files."),
    store: Path | None = typer.Option(None, "--store", help="The Oxigraph store folder (changed all or nothing)."),
    endpoint: str | None = typer.Option(None, "--endpoint", metavar="URL",
                                        help="A store server's Graph Store Protocol URL."),
    update: str | None = UPDATE,
    union_default_graph: bool = UNION,
    user: str | None = USER,
    password_env: str = PASSWORD_ENV,
) -> None:
    """Remove documents (their named graphs) from a store folder or a store server. Exit code 1 when some
    were not there."""
    from .remote import Server
    from .remove import remove as run_remove

    if update and not endpoint:
        fail("--update goes with --endpoint URL (the Graph Store Protocol URL tells which documents are there)")
    server = Server(store=endpoint, update=update, user=user, password_env=password_env) if endpoint else None
    if union_default_graph and not update:
        fail("--union-default-graph goes with --update URL (the default graph changes in the same request)")
    done = run_remove(docs, store=store, server=server, union_default_graph=union_default_graph)
    if done.removed:
        out.print(f"removed {len(done.removed)} document(s): {', '.join(done.removed)}", highlight=False)
    for doc in done.absent:
        err.print(f"[yellow]not in the store:[/yellow] {escape(doc)}", highlight=False, soft_wrap=True)
    if done.absent:
        raise typer.Exit(1)


@app.command("validate")
def validate_command(
    graph: Path = typer.Argument(..., help="A graph file."),
    evidence: str = typer.Option("full", "--evidence", help="The level it was built at: full, sentences, none "
                                 "(without sentences, facts need none)."),
) -> None:
    """Check a graph against the graph contract's SHACL shapes (ontology/shapes.ttl)."""
    from .validate import describe, validate

    report = validate(load_graph(graph), evidence_level(evidence))
    if report.conforms:
        out.print(f"{graph}: conforms to the shapes", highlight=False)
        return
    for line in describe(report):
        out.print(line, highlight=False, soft_wrap=True)
    err.print(f"{graph}: {len(report.violations)} violation(s)", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


@app.command()
def view(
    graph: Path = typer.Argument(..., help="A graph file."),
    output: Path = typer.Option(Path("view.html"), "-o", "--output", help="The HTML file to write."),
    focus: str | None = typer.Option(None, "--focus", help="Draw the neighbourhood of the entity with this name "
                                     "(or IRI); a name several entities carry lists them."),
    depth: int = typer.Option(2, "--depth", min=0, help="How many steps from the focus."),
    types: str | None = typer.Option(None, "--types", help="Only these classes, e.g. Agency,Province."),
    max_nodes: int | None = typer.Option(None, "--max-nodes", min=1,
                                         help="Refuse to draw more nodes than this [default: 20,000]."),
) -> None:
    """Write an interactive HTML view of a graph (opens offline): search, filters, details, evidence."""
    from .view import MAX_NODES, render

    max_nodes = max_nodes or MAX_NODES
    if focus and graph.suffix.lower() == ".nq":  # read only the lines the neighbourhood needs
        from .part import read_part

        source = read_part(graph, focus, depth, None if types else max_nodes)
    else:
        source = load_graph(graph)
    page = render(source, focus=focus, depth=depth, max_nodes=max_nodes,
                  types=[t.strip() for t in types.split(",") if t.strip()] if types else None)
    write_atomic(output, page.encode("utf-8"))
    out.print(f"wrote {output}", highlight=False)


@app.command()
def version() -> None:
    """Print kg's version."""
    out.print(__version__)


def main() -> None:
    """The `kg` command: any unexpected failure is one line naming it, never a traceback."""
    catch_interruptions()
    try:
        with few_collections():
            app()
    except Exception as exc:
        err.print(f"[red]error:[/red] {type(exc).__name__}: {escape(str(exc))} (a bug in kg: please report it)",
                  highlight=False, soft_wrap=True)
        sys.exit(3)


if __name__ == "__main__":
    main()
