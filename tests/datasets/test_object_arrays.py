"""Reading Keras's object arrays (imdb/reuters `.npz`) as data: never unpickled, only lists of ints built.

Valid files are written by numpy itself (`np.save`/`np.savez` pickle object arrays) or
assembled opcode by opcode below (the forms older Pythons and numpy wrote); hostile
files name other functions, classes or data and must be refused without running anything.
"""

import io
import struct

import numpy as np
import pytest

from nanokeras.datasets._object_arrays import load_npz_arrays, read_npy_object_array


def _npy(payload, shape):
    """A .npy (format 1.0) holding an object array whose data is `payload` (pickle opcodes)."""
    header = "{'descr': '|O', 'fortran_order': False, 'shape': %r, }" % (shape,)
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin-1") + payload


def _global(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def _int(value):
    return b"K" + bytes([value]) if value < 256 else b"J" + struct.pack("<i", value)


def _protocol2_array(items, module="numpy.core.multiarray", ints=_int):
    """How Python 2 / protocol 2 pickles an object ndarray of int lists (memo puts included)."""
    body = b"\x80\x02" + _global(module, "_reconstruct") + b"q\x01" + _global("numpy", "ndarray") + b"q\x02"
    body += b"K\x00\x85q\x03U\x01b\x87q\x04Rq\x05"
    body += b"(K\x01" + _int(len(items)) + b"\x85" + _global("numpy", "dtype") + b"q\x06U\x02O8K\x00K\x01\x87Rq\x07"
    body += b"(K\x03U\x01|NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK?tbI00\n]q\x08("
    for item in items:
        body += b"]q\x09(" + b"".join(ints(v) for v in item) + b"e"
    return body + b"etb."


def test_numpy_written_object_arrays_are_read_as_lists_of_ints():
    data = np.empty(3, dtype=object)
    data[0], data[1], data[2] = [1, 2, 300], [], [70000, 5]
    buffer = io.BytesIO()
    np.save(buffer, data, allow_pickle=True)
    assert read_npy_object_array(buffer.getvalue(), "test") == [[1, 2, 300], [], [70000, 5]]


def test_protocol_2_files_as_old_keras_datasets_are_read():
    items = [[1, 14, 22], [1, 194, 1153, 194]]
    assert read_npy_object_array(_npy(_protocol2_array(items), (2,)), "old") == items
    numpy2 = _protocol2_array(items, module="numpy._core.multiarray")
    assert read_npy_object_array(_npy(numpy2, (2,)), "numpy 2") == items


def test_npz_files_mix_plain_and_object_arrays(tmp_path):
    x = np.empty(2, dtype=object)
    x[0], x[1] = [3, 4], [5]
    np.savez(tmp_path / "data.npz", x=x, y=np.array([0, 1]))
    arrays = load_npz_arrays(tmp_path / "data.npz", ["x", "y"], "Reuters")
    assert arrays["x"] == [[3, 4], [5]] and arrays["y"].tolist() == [0, 1]
    with pytest.raises(ValueError, match=r"lacks the arrays \['z'\]"):
        load_npz_arrays(tmp_path / "data.npz", ["x", "z"], "Reuters")
    (tmp_path / "broken.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="not a readable .npz"):
        load_npz_arrays(tmp_path / "broken.npz", ["x"], "IMDB")


HOSTILE = {
    "calls os.system": b"\x80\x02" + _global("os", "system") + b"U\x02lsq\x00\x85R.",
    "names builtins.eval": b"\x80\x02" + _global("builtins", "eval") + b".",
    "a class other than ndarray": b"\x80\x02" + _global("numpy.core.multiarray", "_reconstruct")
                                  + _global("numpy", "dtype") + b"K\x00\x85U\x01b\x87R.",
    "calls numpy.ndarray directly": b"\x80\x02" + _global("numpy", "ndarray") + b"K\x00\x85R.",
    "unknown opcode (dict)": b"\x80\x02}.",
    "stops early": b"\x80\x02]",
    "not an array": b"\x80\x02]K\x01a.",
    "strings inside": _protocol2_array([[1, 2]]).replace(b"K\x01K\x02", b"U\x01a", 1),
    "float elements": _protocol2_array([[1]]).replace(b"]q\x09(K\x01e", b"]q\x09(G" + struct.pack(">d", 1.5) + b"e"),
    "a reference to nothing": b"\x80\x02h\x07.",
}


@pytest.mark.parametrize("payload", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_payloads_are_refused_without_running_anything(payload, monkeypatch):
    import os

    monkeypatch.setattr(os, "system", lambda *a: pytest.fail("os.system was called"))
    with pytest.raises(ValueError, match="refusing|not a valid|early|not an object array"):
        read_npy_object_array(_npy(payload, (1,)), "hostile")


def test_wrong_announced_shape_and_plain_arrays_are_refused():
    with pytest.raises(ValueError, match="announces shape"):
        read_npy_object_array(_npy(_protocol2_array([[1], [2]]), (3,)), "short")
    buffer = io.BytesIO()
    np.save(buffer, np.arange(3))
    with pytest.raises(ValueError, match="not an object array"):
        read_npy_object_array(buffer.getvalue(), "plain")
    with pytest.raises(ValueError, match="not a valid .npy"):
        read_npy_object_array(b"garbage", "junk")
