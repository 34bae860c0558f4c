"""User gazetteers (`kg build --gazetteer FILE.csv`) are checked like data: every problem is a
`FILE:LINE: problem` error (exit 2) and nothing is written; a good one builds a graph that parses and
conforms, with the parent relation the README promises."""

import csv
import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rdflib import RDFS, Graph, Namespace
from typer.testing import CliRunner

from kg.cli import app
from kg.gazetteer import MAX_NAME, USER_TYPES, alternation, user_classes

ORG = Namespace("http://www.w3.org/ns/org#")
ARTICLE = ("Hội đồng Thẩm định tỉnh Thái Nguyên họp với Bộ Công Thương\n"
           "Hội đồng Thẩm định tỉnh Thái Nguyên (HĐTĐ) đã họp với Công ty Gang thép Sao Mai tại KCN Nam Phổ Yên. "
           "Ủy ban nhân dân tỉnh Thái Nguyên chủ trì; xuất khẩu đạt 17,6 tỷ USD.")
HEADER = "type,name,aliases,class,parent\n"
COUNCIL = "Agency,Hội đồng Thẩm định tỉnh Thái Nguyên,HĐTĐ,Council,"
runner = CliRunner()


def build(folder: Path, gazetteer_text: str, *options: str):
    """`kg build` of the one-article corpus with a gazetteer holding `gazetteer_text`, to N-Triples."""
    (folder / "corpus").mkdir(exist_ok=True)
    (folder / "corpus" / "bai.txt").write_text(ARTICLE, encoding="utf-8")
    gazetteer = folder / "g.csv"
    gazetteer.write_text(gazetteer_text, encoding="utf-8")
    out = folder / "out" / "graph.nt"
    result = runner.invoke(app, ["build", str(folder / "corpus"), "-o", str(out), "-f", "nt", "-q", "--no-cache",
                                 "-g", str(gazetteer), *options])
    return result, gazetteer, out


def assert_refused(tmp_path: Path, text: str, *problems: tuple[int, str]) -> str:
    """The build stops with exit 2, each problem given as `g.csv:LINE: …fragment…`, and writes nothing."""
    result, gazetteer, _ = build(tmp_path, text)
    assert result.exit_code == 2, result.output
    for line, fragment in problems:
        assert re.search(rf"{re.escape(str(gazetteer))}:{line}: [^\n]*{re.escape(fragment)}", result.output), \
            result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()
    return result.output


@pytest.mark.parametrize(("text", "line", "fragment"), [
    (HEADER + "Agency,Hội đồng Thẩm định,,Planet,\n", 2, "class 'Planet' is not a class of Agency"),
    (HEADER + "Agency,Hội đồng Thẩm định,,Bad Class>,\n", 2, "class 'Bad Class>'"),
    (HEADER + "Company,Công ty Gang thép Sao Mai,,Council,\n", 2, "class 'Council' is not a class of Company"),
    (HEADER + "Agency,Hội đồng Thẩm định,,Council,Bộ Không Có\n", 2, "parent 'Bộ Không Có' is no agency"),
    (HEADER + "Company,Công ty Gang thép Sao Mai,,,Bộ Công Thương\n", 2, "only an Agency has one"),
    (HEADER + "Agency,Hội đồng A,,Council,Hội đồng A\n", 2, "'Hội đồng A' is its own parent"),
    (HEADER + "Planet,Sao Hỏa,,,\n", 2, "type 'Planet' is not one of"),
    (HEADER + "Company,,,,\n", 2, "name is empty"),
    (HEADER + "Company,Công ty A,;..;Sao Mai,,\n", 2, "alias '..' has no letter or digit"),
    (HEADER + "Company,Công ty A,,[/x] [b]y,\n", 2, "class '[/x] [b]y'"),  # shown as written, not as markup
    (HEADER + "Company,Công ty\x00A,,,\n", 2, "name has a control character (U+0000)"),
    (HEADER + f"Company,{'a' * 10_000},,,\n", 2, f"name has 10000 characters, more than {MAX_NAME}"),
    (HEADER + "Company,Công ty A, B,,,\n", 2, "6 values but the header names 5 columns"),
    ("Company,Công ty Gang thép Sao Mai,,,\n", 1, "no header: the first line is an entry"),
    ("kind,label\nCompany,Công ty A\n", 1, "no header"),
    ("type,name,alias\nCompany,Công ty A,B\n", 1, "unknown column 'alias'"),
    ("type,name,name\nCompany,Công ty A,B\n", 1, "column 'name' twice"),
    ("", 1, "no header and no entries"),
    ("\n\n", 1, "no header and no entries"),
])
def test_a_bad_gazetteer_is_refused_with_its_file_and_line(tmp_path, text, line, fragment):
    assert_refused(tmp_path, text, (line, fragment))


def test_an_unbalanced_quote_is_reported_and_does_not_swallow_the_next_row(tmp_path):
    text = HEADER + 'Company,"Công ty Gang thép Sao Mai,,,\nPlanet,Sao Hỏa,,,\n'
    assert_refused(tmp_path, text, (2, "a quote is opened and not closed"), (3, "type 'Planet'"))


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    text = HEADER + "Planet,Sao Hỏa,,,\nCompany,Công ty A,,,\nAgency,Hội đồng B,,Nope,\nAgency,C,,Council,D\n"
    output = assert_refused(tmp_path, text, (2, "type 'Planet'"), (4, "class 'Nope'"), (5, "parent 'D'"))
    assert ":3:" not in output


def test_parents_that_go_round_are_refused(tmp_path):
    text = HEADER + "Agency,Hội đồng A,,Council,Hội đồng B\nAgency,Hội đồng B,,Council,Hội đồng A\n"
    assert_refused(tmp_path, text, (2, "loop: Hội đồng A → Hội đồng B → Hội đồng A"), (3, "loop"))


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    result, gazetteer, out = build(tmp_path, "")
    gazetteer.write_bytes(HEADER.encode() + "Company,Công ty Sao Mai,,,\n".encode("cp1258"))
    result = runner.invoke(app, ["build", str(tmp_path / "corpus"), "-o", str(out), "--no-cache",
                                 "-g", str(gazetteer)])
    assert result.exit_code == 2 and f"{gazetteer}:2: not UTF-8" in result.output and not out.exists()


def test_a_council_gets_the_parent_its_line_names_and_the_graph_conforms(tmp_path):
    text = HEADER + COUNCIL + "Bộ Công Thương\nAgency,Tổ Thẩm định,,Team,HĐTĐ\n"
    result, _, out = build(tmp_path, text)
    assert result.exit_code == 0, result.output
    g = Graph().parse(out)
    label = {str(o): s for s, o in g.subject_objects(RDFS.label)}
    council = label["Hội đồng Thẩm định tỉnh Thái Nguyên"]
    assert set(g.objects(council, ORG.subOrganizationOf)) == {label["Bộ Công Thương"]}
    validated = runner.invoke(app, ["validate", str(out)])
    assert validated.exit_code == 0 and "conforms" in validated.output, validated.output


def test_a_parent_may_be_a_provincial_body_the_grammar_names(tmp_path):
    result, _, out = build(tmp_path, HEADER + COUNCIL + "UBND tỉnh Thái Nguyên\n")
    assert result.exit_code == 0, result.output
    g = Graph().parse(out)
    parents = {str(o) for o in g.objects(None, ORG.subOrganizationOf)}
    committee = next(s for s, o in g.subject_objects(RDFS.label) if str(o) == "Ủy ban nhân dân tỉnh Thái Nguyên")
    assert str(committee) in parents  # the same node as the committee the article names


def test_long_and_nested_names_build_their_regex():
    """A 10,000-character name (the trie is built without recursion), and 520 names each a prefix of the
    next (too deep for Python's regex compiler as a trie: a flat alternation, the longest first)."""
    assert alternation(["a" * 10_000]).search("x " + "a" * 10_000 + " y")
    nested = alternation(["b" * n for n in range(1, 521)])
    assert nested.search("x " + "b" * 500 + " y").group() == "b" * 500


# ---------------------------------------------------------------- any rows: a clean error or a graph that parses

CLASSES = sorted({c for cs in user_classes().values() for c in cs})
WORDS = st.sampled_from(["Hội đồng Thẩm định tỉnh Thái Nguyên", "HĐTĐ", "Bộ Công Thương", "Công ty Gang thép Sao Mai",
                         "Thái Nguyên", "KCN Nam Phổ Yên", "UBND tỉnh Thái Nguyên", "Tỉnh ủy Thái Nguyên", "Sao Mai",
                         "họp", "USD", "17,6", "Hội đồng", "Nguyễn Văn A"])
NAME = st.one_of(WORDS, st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=20))
FIELD = st.one_of(NAME, st.text(max_size=12), st.just(""), st.just('"'), st.text(min_size=295, max_size=305))


@st.composite
def plausible_row(draw) -> dict[str, str]:
    """A row a user might write: a real type, one of its classes, a parent only on an agency."""
    kind = draw(st.sampled_from(sorted(USER_TYPES)))
    return {"type": kind, "name": draw(NAME), "aliases": ";".join(draw(st.lists(NAME, max_size=2))),
            "class": draw(st.one_of(st.just(""), st.sampled_from(user_classes()[kind]))),
            "parent": draw(st.one_of(st.just(""), WORDS)) if kind == "Agency" else ""}


ANY_ROW = st.fixed_dictionaries({
    "type": st.one_of(st.sampled_from(sorted(USER_TYPES)), FIELD),
    "name": FIELD,
    "aliases": st.lists(FIELD, max_size=3).map(";".join),
    "class": st.one_of(st.just(""), st.sampled_from(CLASSES), FIELD),
    "parent": st.one_of(st.just(""), WORDS, FIELD),
})
ROWS = st.lists(st.one_of(plausible_row(), plausible_row(), ANY_ROW), min_size=1, max_size=4)


def as_csv(rows: list[dict[str, str]], raw: bool) -> str:
    """The rows as a CSV file: written by the csv module (quoted as it should be) or joined by hand."""
    if raw:
        return HEADER + "".join(",".join(r.values()) + "\n" for r in rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["type", "name", "aliases", "class", "parent"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS, st.booleans())
def test_any_gazetteer_gives_a_clean_error_or_a_graph_that_parses(rows, raw):
    with tempfile.TemporaryDirectory() as folder:
        result, gazetteer, out = build(Path(folder), as_csv(rows, raw))
        assert result.exit_code in (0, 2), result.output
        event(f"exit {result.exit_code}")  # --hypothesis-show-statistics: how many built
        if result.exit_code == 2:
            lines = result.output.strip().split("\n")
            assert re.match(rf"error: {re.escape(str(gazetteer))}:\d+: \S", lines[0]), result.output
            assert all(line.startswith(f"{gazetteer}:") for line in lines[1:]), result.output
            assert not out.exists()
        else:
            assert len(Graph().parse(out, format="nt")) > 0
