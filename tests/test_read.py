import unicodedata

import pytest

from kg.read import InputError, decode, find_sources, read_document


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


@pytest.mark.parametrize("text", [
    "Tin “chia sẻ” của Sở Công Thương",  # a tone mark then a curly quote: 0xD2 0x94 is also a UTF-8 pair
    "“Ổn định” – Ơ… Ư”",
    "Cục Quản lý thị trường tỉnh Hà Tĩnh",
])
def test_windows_1258_with_decomposed_tone_marks_reads_as_nfc(tmp_path, text):
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # combining in Windows-1258; ă â ê ô ơ ư whole
    parts = [unicodedata.normalize("NFD", ch) for ch in text]
    stored = "".join(unicodedata.normalize("NFC", "".join(c for c in p if c not in tones))
                     + "".join(c for c in p if c in tones) for p in parts)
    f = tmp_path / "cp1258.txt"
    f.write_bytes(stored.encode("cp1258"))
    assert decode(f.read_bytes(), str(f)) == text


def test_decoded_text_is_nfc_with_newline_line_ends():
    text = "Tiêu đề\r\nSở Công Thương\rhọp."
    assert decode(unicodedata.normalize("NFD", text).encode("utf-8"), "x") == "Tiêu đề\nSở Công Thương\nhọp."
