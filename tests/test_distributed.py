"""`kg build --dask` on a real local Dask cluster: shards whose union is the local build's graph."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import free_port
from rdflib import Dataset
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c.scheduler_address


def test_shards_merge_into_the_local_graph(cluster, tmp_path):
    result = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(tmp_path / "dist"),
                                 "--dask", cluster])
    assert result.exit_code == 0, result.output
    shards = sorted((tmp_path / "dist" / "shards").glob("*.nq"))
    assert shards
    union = Dataset()
    for shard in shards:
        union.parse(shard, format="nquads")
    local = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(tmp_path / "local.nq"), "-q"])
    assert local.exit_code == 0
    expected = Dataset().parse(tmp_path / "local.nq", format="nquads")
    assert set(union.quads((None, None, None, None))) == set(expected.quads((None, None, None, None)))
    assert len(set(union.quads((None, None, None, None)))) > 1000


@pytest.mark.parametrize("level", ["sentences", "none"])
def test_a_lean_dask_build_merges_into_the_lean_local_graph(cluster, tmp_path, level):
    """`--evidence` on the cluster: `kg merge` of its shards gives the bytes of the same level built locally."""
    corpus = str(ROOT / "examples" / "corpus")
    result = runner.invoke(app, ["build", corpus, "-o", str(tmp_path / "dist"), "--dask", cluster, "--evidence", level])
    assert result.exit_code == 0, result.output
    merged = runner.invoke(app, ["merge", str(tmp_path / "dist" / "shards"), "-o", str(tmp_path / "dask.nq"), "-q"])
    assert merged.exit_code == 0, merged.output
    local = runner.invoke(app, ["build", corpus, "-o", str(tmp_path / "local.nq"), "-q", "--evidence", level])
    assert local.exit_code == 0, local.output
    lean = (tmp_path / "dask.nq").read_bytes()
    assert lean == (tmp_path / "local.nq").read_bytes()
    assert b"#Mention>" not in lean and (b"#Sentence>" in lean) == (level == "sentences")


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    pytest.importorskip("distributed")
    result = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(tmp_path / "d"),
                                 "--dask", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2 and "Dask scheduler" in result.output


def test_the_readme_cluster_run_writes_the_graph_one_machine_writes(tmp_path):
    """As the README runs it: `dask scheduler`, `dask worker … --nworkers 2 --nthreads 1`, `kg build --dask`,
    `kg merge … -o graph.ttl`: the Turtle a build on one machine writes, byte for byte."""
    pytest.importorskip("distributed")
    dask = Path(sys.executable).with_name("dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    started = [subprocess.Popen([str(dask), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
               for args in (["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                            ["worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard"])]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        corpus = str(ROOT / "examples" / "corpus")
        kg = [sys.executable, "-m", "kg"]
        for args in (["build", corpus, "-o", str(tmp_path / "out"), "--dask", address, "-q"],
                     ["merge", str(tmp_path / "out" / "shards"), "-o", str(tmp_path / "graph.ttl"), "-q"],
                     ["build", corpus, "-o", str(tmp_path / "local.ttl"), "-q", "--no-cache"]):
            done = subprocess.run([*kg, *args], capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr
    finally:
        for process in started:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    turtle = (tmp_path / "graph.ttl").read_bytes()
    assert turtle == (tmp_path / "local.ttl").read_bytes() and b"a kg:Ministry" in turtle
