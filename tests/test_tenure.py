"""Posts in time: the article's date on a membership, and when the post began where the sentence says."""

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.tenure import post_start

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
