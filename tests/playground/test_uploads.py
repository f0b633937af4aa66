"""nanokeras/playground/uploads.py: CSV uploads are numbers or a clear refusal."""

import numpy as np
import pytest

from nanokeras.playground import uploads
from nanokeras.playground.uploads import parse_csv


def test_reads_what_np_loadtxt_reads(tmp_path):
    text = "f1, f2 ,label\n0.5,1,0\n-2,.25,1\n3e-2,+4.,1\n7,8,0\n\n"
    table = parse_csv(text.encode())
    path = tmp_path / "data.csv"
    path.write_text(text)
    expected = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)  # the code panel's line
    np.testing.assert_array_equal(table.x, expected[:, :2].astype("float32"))
    np.testing.assert_array_equal(table.y, [0, 1, 1, 0])
    assert table.has_header and table.x.dtype == np.float32 and table.y.dtype == np.int32


def test_without_header_and_with_windows_line_ends_and_a_byte_order_mark():
    table = parse_csv("\ufeff1,2,3\r\n4,5,3\r\n6,7,9\r\n8,9,9\r\n".encode("utf-8"))
    assert not table.has_header
    assert table.y.tolist() == [0, 0, 1, 1] and table.classes.tolist() == [3.0, 9.0]


def test_labels_become_class_numbers_and_several_classes_are_kept():
    rows = "\n".join(f"{i},{-i},{label}" for i, label in enumerate([-1, 5, 2, 2, -1, 5]))
    table = parse_csv(rows.encode())
    assert table.classes.tolist() == [-1.0, 2.0, 5.0]
    assert table.y.tolist() == [0, 2, 1, 1, 0, 2]


@pytest.mark.parametrize("text, words", [
    ("a,b,c\n1,2\n3,4,0\n5,6,1\n7,8,0\n", ["Line 2", "2 comma-separated column(s); expected 3"]),
    ("1,2,0,9\n3,4,1,9\n", ["Line 1", "4 comma-separated"]),
    ("x,y\n1,2\n", ["Line 1 (header)", "expected 3"]),
    ("1,2,0\n3,abc,1\n5,6,0\n7,8,1\n", ["Line 2, column 2", "'abc' is not a number"]),
    ("1,2,0\n3,nan,1\n5,6,0\n7,8,1\n", ["'nan' is not a number"]),
    ("1,2,0\n3,inf,1\n5,6,0\n7,8,1\n", ["'inf' is not a number"]),
    ("1,2,0\n3,,1\n5,6,0\n7,8,1\n", ["Line 2, column 2", "'' is not a number"]),
    ("1,2,0\n3,__import__('os'),1\n5,6,0\n7,8,1\n", ["is not a number"]),
    ("1,2,0\n3,1_000,1\n5,6,0\n7,8,1\n", ["'1_000' is not a number"]),
    ("1,2,0.5\n3,4,1\n5,6,0\n7,8,1\n", ["whole numbers", "row 1", "0.5"]),
    ("1,2,1\n3,4,1\n5,6,1\n7,8,1\n", ["at least two classes"]),
    ("1,2,0\n3,4,1\n", ["2 data rows; at least 4"]),
    ("", ["The file is empty"]),
    ("x1,x2,label\n", ["a header but no data rows"]),
    ("1,1e400,0\n3,4,1\n5,6,0\n7,8,1\n", ["too large"]),
    ("1,1e39,0\n3,4,1\n5,6,0\n7,8,1\n", ["too large for float32"]),
])
def test_bad_files_are_refused_with_where_and_why(text, words):
    with pytest.raises(ValueError) as raised:
        parse_csv(text.encode())
    for word in words:
        assert word in str(raised.value)


def test_too_many_classes_rows_or_bytes():
    with pytest.raises(ValueError, match="11 different values; the playground takes at most 10"):
        parse_csv("\n".join(f"{i},{i},{i}" for i in range(11)).encode())
    with pytest.raises(ValueError, match="at most 20000"):
        parse_csv(b"1,2,0\n" * 20001)
    with pytest.raises(ValueError, match=r"100\.0 MB; the playground takes CSV files up to 5 MB"):
        parse_csv(b"1" * 100_000_000)


def test_binary_files_are_refused():
    with pytest.raises(ValueError, match="not text"):
        parse_csv(b"\x89PNG\r\n\x1a\n\xff\xfe")


def test_limit_message():
    assert "5 MB" in uploads.too_large_message(6 * 1024 * 1024)
