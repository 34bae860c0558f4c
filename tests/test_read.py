import pytest

from kg.read import InputError, find_sources, read_document


def test_title_and_identifier(tmp_path):
    f = tmp_path / "bai_01.txt"
    f.write_text("\ufeffTiêu đề bài viết\nNội dung.", encoding="utf-8")
    doc = read_document(f)
    assert (doc.id, doc.title) == ("bai_01", "Tiêu đề bài viết")


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "empty file"),
    (b"\x00\x01\x02binary", "binary"),
    (b"Ti\x81u \x90 hay", "not valid UTF-8"),
    ("Tiêu đề ở".encode()[:-1], "truncated"),
])
def test_bad_files_name_the_file_and_the_problem(tmp_path, content, problem):
    f = tmp_path / "xau.txt"
    f.write_bytes(content)
    with pytest.raises(InputError, match=problem) as info:
        read_document(f)
    assert "xau.txt" in str(info.value)


def test_utf16_with_byte_order_mark_reads_like_utf8(tmp_path):
    f = tmp_path / "u16.txt"
    f.write_bytes("Sở Công Thương Nghệ An\nNội dung.".encode("utf-16"))
    assert read_document(f).title == "Sở Công Thương Nghệ An"


def test_folders_are_read_recursively_and_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x", encoding="utf-8")
    (tmp_path / "1.txt").write_text("x", encoding="utf-8")
    (tmp_path / "note.md").write_text("x", encoding="utf-8")
    assert [p.name for p in find_sources([tmp_path]).files] == ["1.txt", "2.txt"]


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        find_sources([tmp_path / "khong-co"])
