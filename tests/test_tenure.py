"""Posts in time: the article's date on a membership, when the post began and whether and when it ended, where
the sentence says."""

import json
from datetime import date
from pathlib import Path

import pytest
from helpers import run
from typer.testing import CliRunner

from kg.cli import app
from kg.tenure import post_end, post_ended, post_start

runner = CliRunner()
WRITTEN = date(2021, 11, 20)

# sentences of real appointment news -> the start of their one post (with the article's date, and without)
STARTS = [
    ("ông Phạm Đức Thắng đã được bổ nhiệm làm Tổng Giám đốc Petrolimex từ ngày 1/11/2017",
     "2017-11-01", "2017-11-01"),
    ("Ông Lưu Văn Tuyển sẽ đảm nhận vị trí Tổng Giám đốc của doanh nghiệp này kể từ ngày 18/7, với nhiệm kỳ 5 năm",
     "2021-07-18", None),
    ("Ông Nguyễn Đình Việt nhận nhiệm vụ Chủ tịch UBND tỉnh khóa XV, nhiệm kỳ 2021-2026 từ ngày 7/11",
     "2021-11-07", None),
    ("Bộ trưởng Bộ Công Thương đã ký quyết định bổ nhiệm ông A giữ chức Cục trưởng Cục Xúc tiến thương mại "
     "kể từ ngày 15/3/2024", "2024-03-15", "2024-03-15"),
    ("HĐND tỉnh bầu ông B giữ chức Chủ tịch UBND tỉnh từ ngày 12/10/2018", "2018-10-12", "2018-10-12"),
    # a sentence that also ends a post, or a date that starts no post: undated
    ("miễn nhiệm chức vụ Tổng Giám đốc của ông C và bổ nhiệm ông D từ ngày 26/9/2012", None, None),
    ("ông Hồ Văn Hữu, giám đốc Sở GTVT thôi chức để chờ nghỉ hưu từ ngày 1/8/2020", None, None),
    ("Tỉnh Lào Cai mới chính thức vận hành từ ngày 01/7/2025", None, None),
    ("Tiến độ thực hiện dự án không quá 36 tháng kể từ ngày được nhà nước bàn giao đất", None, None),
    ("ông E được bổ nhiệm giữ chức Giám đốc từ ngày 31/2/2020", None, None),  # no such day
]


@pytest.mark.parametrize(("sentence", "dated", "undated"), STARTS)
def test_the_start_of_a_post_is_read_only_where_the_sentence_ties_a_date_to_it(sentence, dated, undated):
    assert post_start(sentence, WRITTEN) == (date.fromisoformat(dated) if dated else None)
    assert post_start(sentence) == (date.fromisoformat(undated) if undated else None)


def test_a_dated_article_dates_its_posts_and_their_start(tmp_path: Path):
    article = {"id": "dak-lak-2021", "date": "2021-11-20", "title": "Nhân sự mới tại Đắk Lắk",
               "text": "Ngày 19/11, Ban Thường vụ Tỉnh ủy Đắk Lắk công bố quyết định nhân sự.\n"
                       "Ông Phạm Đức Thắng được bổ nhiệm giữ chức Giám đốc Sở Công Thương tỉnh Đắk Lắk "
                       "từ ngày 1/11/2021.\nBí thư Tỉnh ủy Đắk Lắk Nguyễn Đình Trung dự buổi lễ."}
    (tmp_path / "a.jsonl").write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "g.nq"
    assert runner.invoke(app, ["build", str(tmp_path / "a.jsonl"), "-o", str(out), "-q", "--validate"]).exit_code == 0
    result = runner.invoke(app, ["query", str(out), "-f", "csv", """
        SELECT ?person ?role ?stated ?began WHERE {
          ?m org:member/rdfs:label ?person ; org:role/rdfs:label ?role ; kg:statedOn ?stated .
          OPTIONAL { ?m org:memberDuring/time:hasBeginning/time:inXSDDate ?began } } ORDER BY ?person"""])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == ["Nguyễn Đình Trung,Bí thư,2021-11-20,",
                                              "Phạm Đức Thắng,Giám đốc,2021-11-20,2021-11-01"]


def test_a_date_is_the_post_of_the_last_person_named_before_it():
    sentence = ("Trước đó, ông Nguyễn Quốc Khánh đảm nhiệm cương vị Tổng giám đốc Tập đoàn Dầu khí Việt Nam từ ngày "
                "19/11/2014 theo Quyết định số 10599/QĐ-BCT của Bộ trưởng Bộ Công Thương Vũ Huy Hoàng.")
    persons = [(sentence.index("Nguyễn"), "person:khanh"), (sentence.index("Vũ Huy"), "person:hoang")]
    assert post_start(sentence, WRITTEN, "person:khanh", persons) == date(2014, 11, 19)
    assert post_start(sentence, WRITTEN, "person:hoang", persons) is None  # the minister's post began otherwise


# sentences of real news, the role whose post is read, and whether the sentence gives that post as ended
ENDINGS = [
    ("bầu bổ sung chức danh Phó Chủ tịch UBND tỉnh đối với ông Vương Quốc Nam, nguyên Bí thư Huyện ủy Kế Sách",
     "Bí thư", True),
    ("bầu bổ sung chức danh Phó Chủ tịch UBND tỉnh đối với ông Vương Quốc Nam, nguyên Bí thư Huyện ủy Kế Sách",
     "Phó Chủ tịch", False),
    ("miễn nhiệm đối với nguyên Phó Chủ tịch UBND tỉnh Nguyễn Bích Ngọc (nghỉ hưu theo chế độ)", "Phó Chủ tịch", True),
    ("tổ phó là ông Nguyễn Hoàng Anh (nguyên Bí thư tỉnh ủy Cao Bằng)", "Bí thư", True),
    ("các ông Văn Công Minh- nguyên Giám đốc Sở Y tế, nghỉ hưu theo quy định", "Giám đốc", True),
    ("Nguyên Bộ trưởng Bộ Công Thương Vũ Huy Hoàng bị khởi tố", "Bộ trưởng", True),
    ("miễn nhiệm chức vụ Ủy viên UBND tỉnh đối với ông Nguyễn Ngọc Vân", "Ủy viên", True),
    ("cho thôi giữ chức Giám đốc Sở Công Thương đối với ông Trần Văn C", "Giám đốc", True),
    ("Giám đốc Sở Giao thông vận tải Hồ Văn Hữu nghỉ hưu từ ngày 1/8/2020", "Giám đốc", True),
    # the province's name ends in "Nguyên"; a post held now; an appointment
    ("Sở Công Thương tỉnh Thái Nguyên Giám đốc Nguyễn Văn D cho biết", "Giám đốc", False),
    ("Phó Chủ tịch UBND tỉnh Thái Nguyên Đặng Xuân Trường dự hội nghị", "Phó Chủ tịch", False),
    ("bổ nhiệm ông E giữ chức Giám đốc Sở Công Thương từ ngày 1/11/2017", "Giám đốc", False),
    ("Chủ tịch UBND tỉnh ký quyết định miễn nhiệm ông F", "Chủ tịch", False),
]


@pytest.mark.parametrize(("sentence", "role", "ended"), ENDINGS)
def test_a_post_is_ended_only_where_the_words_touch_it(sentence, role, ended):
    at = sentence.index(role)
    holder = next((sentence.index(n) + len(n) for n in ("Hồ Văn Hữu", "Nguyễn Bích Ngọc") if n in sentence), None)
    assert post_ended(sentence, at, (holder,) if holder else ()) is ended


def test_the_end_of_a_post_is_dated_where_the_sentence_says():
    assert post_end("Giám đốc Sở Giao thông vận tải Hồ Văn Hữu nghỉ hưu từ ngày 1/8/2020", WRITTEN) == date(2020, 8, 1)
    assert post_end("ông G thôi giữ chức Tổng Giám đốc kể từ ngày 15/3", WRITTEN) == date(2021, 3, 15)
    assert post_end("ông G thôi giữ chức Tổng Giám đốc kể từ ngày 15/3") is None  # no year anywhere
    assert post_end("bổ nhiệm ông H giữ chức Giám đốc từ ngày 1/11/2017", WRITTEN) is None


def test_who_held_a_post_on_a_date_follows_the_articles(tmp_path: Path):
    """The shipped query posts-on-a-date.rq over two dated articles: a post stated in 2019, given as ended
    ("nguyên") in 2024, and a retirement with its date."""
    articles = [
        {"id": "cao-bang-2019", "date": "2019-05-10", "title": "Hội nghị",
         "text": "Bí thư Tỉnh ủy Cao Bằng Nguyễn Hoàng Anh chủ trì hội nghị.\n"
                 "Giám đốc Sở Công Thương tỉnh Cao Bằng Hoàng Văn Thạch báo cáo."},
        {"id": "cao-bang-2024", "date": "2024-03-01", "title": "Nhân sự",
         "text": "Tổ phó là ông Nguyễn Hoàng Anh (nguyên Bí thư Tỉnh ủy Cao Bằng).\n"
                 "Giám đốc Sở Công Thương tỉnh Cao Bằng Hoàng Văn Thạch nghỉ hưu từ ngày 1/2/2024."},
    ]
    corpus = tmp_path / "a.jsonl"
    corpus.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    out = tmp_path / "g.nq"
    assert runner.invoke(app, ["build", str(corpus), "-o", str(out), "-q", "--validate"]).exit_code == 0
    query = (Path(__file__).parents[1] / "examples" / "queries" / "posts-on-a-date.rq").read_text(encoding="utf-8")

    def held(day: str) -> list[str]:
        result = runner.invoke(app, ["query", str(out), "-f", "csv", query.replace("2024-06-30", day)])
        assert result.exit_code == 0, result.output
        return [",".join(line.split(",")[:3]) for line in result.stdout.splitlines()[1:]]

    both = ["Hoàng Văn Thạch,Giám đốc,Sở Công Thương Cao Bằng", "Nguyễn Hoàng Anh,Bí thư,Tỉnh ủy Cao Bằng"]
    assert held("2020-01-01") == both
    assert held("2018-01-01") == []  # nothing stated yet
    assert held("2024-06-30") == []  # one given as former, one retired on 1 February
    ended = runner.invoke(app, ["query", str(out), "-f", "csv", """
        SELECT ?person ?by ?end WHERE { ?m org:member/rdfs:label ?person ; kg:endedBy ?by ; kg:endEvidence ?s .
          OPTIONAL { ?m org:memberDuring/time:hasEnd/time:inXSDDate ?end } } ORDER BY ?person"""])
    assert ended.stdout.splitlines()[1:] == ["Hoàng Văn Thạch,2024-03-01,2024-02-01", "Nguyễn Hoàng Anh,2024-03-01,"]


# "thay ông X": the post the sentence gives was X's, and has ended; only when whose post it was is sure
REPLACED: list[tuple[str, set[tuple[str, str]]]] = [
    ("UBND tỉnh Thanh Hóa bổ nhiệm ông Lê Văn Trung giữ chức Giám đốc Sở Công Thương tỉnh Thanh Hóa, "
     "thay cho ông Trần Anh Chung.", {("Trần Anh Chung", "Giám đốc")}),
    ("Ông Lê Văn Hùng giữ chức Giám đốc Sở Công Thương tỉnh Nghệ An thay ông Nguyễn Văn Bình nghỉ hưu.",
     {("Nguyễn Văn Bình", "Giám đốc")}),
    # two posts given: whose post the replaced man held is unsure
    ("Ông Lê Văn Trung giữ chức Giám đốc Sở Công Thương tỉnh Thanh Hóa, ông Hoàng Văn Nam giữ chức Giám đốc "
     "Sở Xây dựng tỉnh Thanh Hóa, thay cho ông Trần Anh Chung.", set()),
    # another role stands between the post and the name: "Chủ tịch" was his, not "Giám đốc"
    ("Ông Lê Văn Trung, Giám đốc Sở Công Thương tỉnh Thanh Hóa kiêm nhiệm Chủ tịch thay cho ông Trần Anh Chung.",
     set()),
]


@pytest.mark.parametrize(("sentence", "ended"), REPLACED)
def test_a_post_given_in_place_of_someone_ends_his(sentence, ended):
    x = run(sentence)
    names = {key: e.label for key, e in x.entities.items()}
    assert {(names[r.subject], r.role) for r in x.relations if r.predicate == "org:memberOf" and r.ended} == ended
    assert all(not r.ended for r in x.relations if names.get(r.subject) in {"Lê Văn Trung", "Lê Văn Hùng"})
