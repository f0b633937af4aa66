"""Reading an uploaded CSV file of two features and a label: numbers only, never evaluated.

Every field must look like a decimal number (`-1.5`, `3`, `2e-3`); anything else,
`nan` and `inf` included, is refused with the row and column where it was found.
The label column holds whole numbers, one per class. The rules are those of
`np.loadtxt(path, delimiter=",", skiprows=...)`, the line the code panel writes
to read the same file.

Example:
    >>> from nanokeras.playground.uploads import parse_csv
    >>> table = parse_csv(b"x1,x2,label\\n0.5,1,3\\n-2,.25,5\\n0,0,3\\n1e-1,2,5\\n")
    >>> table.x[:2].tolist(), table.y.tolist(), table.classes.tolist(), table.has_header
    ([[0.5, 1.0], [-2.0, 0.25]], [0, 1, 0, 1], [3.0, 5.0], True)
"""

import re
from collections import namedtuple

import numpy as np

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
MAX_CLASSES = 10

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")

Table = namedtuple("Table", "x y has_header classes")


def parse_csv(data):
    """A `Table` of features `x` (n, 2) float32 and labels `y` (n,) int32 (classes numbered 0, 1, ...).

    Raises:
        ValueError: the file is too large, not text, or not three numeric columns;
            the message says where and how to fix it.
    """
    if len(data) > MAX_BYTES:
        raise ValueError(too_large_message(len(data)))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("The file is not text (UTF-8): upload a CSV file such as `x1,x2,label`.") from None
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)]
    lines = [(number, line) for number, line in lines if line]
    if not lines:
        raise ValueError("The file is empty: upload a CSV file with one row per point, `x1,x2,label`.")
    has_header = not all(_NUMBER.fullmatch(field.strip()) for field in lines[0][1].split(","))
    if has_header:
        _check_columns(lines[0], "header")
        lines = lines[1:]
        if not lines:
            raise ValueError("The file has a header but no data rows: add one row per point, `x1,x2,label`.")
    if len(lines) > MAX_ROWS:
        raise ValueError(f"The file has {len(lines)} rows; the playground takes at most {MAX_ROWS}.")
    rows = []
    for line in lines:
        fields = _check_columns(line, "row")
        for column, field in enumerate(fields, 1):
            if not _NUMBER.fullmatch(field):
                raise ValueError(
                    f"Line {line[0]}, column {column}: {field[:40]!r} is not a number. Every value must be a "
                    "plain decimal number such as 0.5 or -3 (no missing values, text or nan)."
                )
        rows.append([float(field) for field in fields])
    table = np.array(rows, dtype=np.float64).reshape(-1, 3)
    return _table(table, has_header)


def too_large_message(size):
    return (f"The file is {size / 1e6:.1f} MB; the playground takes CSV files up to {MAX_BYTES / 1e6:.0f} MB "
            f"(at most {MAX_ROWS} rows). Upload a sample of your data.")


def _check_columns(line, what):
    number, text = line
    fields = [field.strip() for field in text.split(",")]
    if len(fields) != 3:
        raise ValueError(
            f"Line {number} ({what}) has {len(fields)} comma-separated column(s); expected 3: two features "
            "and a label, e.g. `0.5,1.2,0`."
        )
    return fields


def _table(table, has_header):
    if not np.all(np.isfinite(table)):
        raise ValueError("The file holds numbers too large for float64: scale your features.")
    features = table[:, :2]
    if np.any(np.abs(features) > np.finfo(np.float32).max):
        raise ValueError("Some features are too large for float32: scale your features.")
    labels = table[:, 2]
    if np.any(labels != np.round(labels)):
        row = int(np.argmax(labels != np.round(labels)))
        raise ValueError(
            f"Labels (the third column) must be whole numbers, one per class; data row {row + 1} has "
            f"{labels[row]!r}. The playground classifies; it does not fit regression targets."
        )
    classes, y = np.unique(labels, return_inverse=True)
    if len(classes) < 2:
        raise ValueError("All labels are the same: a classifier needs at least two classes.")
    if len(classes) > MAX_CLASSES:
        raise ValueError(f"The labels hold {len(classes)} different values; the playground takes at most "
                         f"{MAX_CLASSES} classes.")
    if len(table) < 4:
        raise ValueError(f"The file has {len(table)} data rows; at least 4 are needed to train and test.")
    return Table(features.astype("float32"), y.astype("int32").reshape(-1), has_header, classes)
