"""Dataset loaders on small files the tests write into a temporary KERAS_HOME (no network)."""

import gzip
import io
import os
import tarfile
import urllib.request

import numpy as np
import pytest

from nanokeras import datasets
from nanokeras.utils import file_utils


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def no_network(*args, **kwargs):
        raise urllib.error.URLError("offline (test)")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    (tmp_path / "datasets").mkdir()
    return tmp_path / "datasets"


def test_mnist_from_cache(home):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 255, (6, 28, 28), dtype=np.uint8), "y_train": np.arange(6, dtype=np.uint8),
              "x_test": rng.integers(0, 255, (2, 28, 28), dtype=np.uint8), "y_test": np.arange(2, dtype=np.uint8)}
    np.savez(home / "mnist.npz", **arrays)
    # A named file is not checked against the official hash (the default name is).
    (x_train, y_train), (x_test, y_test) = datasets.mnist.load_data(path=str(home / "mnist.npz"))
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    assert x_test.shape == (2, 28, 28) and y_test.dtype == np.uint8


def test_offline_error_names_the_file_and_folder(home):
    with pytest.raises(OSError, match=r"put it at .*mnist.npz"):
        datasets.mnist.load_data()


def test_fashion_mnist_idx_files(home):
    folder = home / "fashion-mnist"
    folder.mkdir()
    images = np.arange(3 * 784, dtype=np.uint8).reshape(3, 28, 28)
    labels = np.array([1, 2, 3], dtype=np.uint8)
    for prefix in ("train", "t10k"):
        with gzip.open(folder / f"{prefix}-labels-idx1-ubyte.gz", "wb") as f:
            f.write(b"\0" * 8 + labels.tobytes())
        with gzip.open(folder / f"{prefix}-images-idx3-ubyte.gz", "wb") as f:
            f.write(b"\0" * 16 + images.tobytes())
    (x_train, y_train), (x_test, y_test) = datasets.fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train, images)
    np.testing.assert_array_equal(y_test, labels)


def test_boston_split_matches_keras_shuffle(home):
    x = np.arange(50 * 13, dtype="float64").reshape(50, 13)
    y = np.arange(50, dtype="float64")
    np.savez(home / "b.npz", x=x, y=y)
    (x_train, y_train), (x_test, y_test) = datasets.boston_housing.load_data(path=str(home / "b.npz"), test_split=0.2)
    order = np.arange(50)
    np.random.RandomState(113).shuffle(order)
    np.testing.assert_array_equal(y_train, order[:40])
    np.testing.assert_array_equal(x_test[:, 0], order[40:] * 13)
    with pytest.raises(ValueError, match="test_split"):
        datasets.boston_housing.load_data(test_split=1.0)


def _cifar_records(n, label_bytes, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 100, (n, label_bytes), dtype=np.uint8)
    images = rng.integers(0, 255, (n, 3, 32, 32), dtype=np.uint8)
    raw = np.concatenate([labels, images.reshape(n, -1)], axis=1).tobytes()
    return raw, labels, images.transpose(0, 2, 3, 1)


def _tar(path, folder, files):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_cifar10_binary_archive(home, monkeypatch):
    files, expected = {}, []
    for i, name in enumerate([f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]):
        raw, labels, images = _cifar_records(3, 1, i)
        files[name] = raw
        expected.append((labels, images))
    _tar(home / "cifar-10-binary.tar.gz", "cifar-10-batches-bin", files)
    monkeypatch.setattr(datasets.cifar10, "MD5", file_utils.hash_file(home / "cifar-10-binary.tar.gz", "md5"))
    (x_train, y_train), (x_test, y_test) = datasets.cifar10.load_data()
    assert x_train.shape == (15, 32, 32, 3) and y_train.shape == (15, 1) and y_train.dtype == np.uint8
    np.testing.assert_array_equal(x_train[3:6], expected[1][1])
    np.testing.assert_array_equal(y_test, expected[5][0])


def test_cifar100_extracted_folder_and_label_modes(home):
    folder = home / "cifar-100-binary"
    folder.mkdir()
    raw, labels, images = _cifar_records(4, 2, 9)
    (folder / "train.bin").write_bytes(raw)
    (folder / "test.bin").write_bytes(raw)
    (x_train, fine), _ = datasets.cifar100.load_data()
    (_, coarse), _ = datasets.cifar100.load_data(label_mode="coarse")
    np.testing.assert_array_equal(x_train, images)
    np.testing.assert_array_equal(fine[:, 0], labels[:, 1])
    np.testing.assert_array_equal(coarse[:, 0], labels[:, 0])
    with pytest.raises(ValueError, match="label_mode"):
        datasets.cifar100.load_data(label_mode="medium")


def test_imdb_object_arrays_are_read_as_data(home):
    ragged = np.empty(2, dtype=object)
    ragged[0], ragged[1] = [1, 2], [3]
    np.savez(home / "imdb_obj.npz", x_train=ragged, y_train=np.array([0, 1]), x_test=ragged, y_test=np.array([1, 0]))
    (xt, yt), (xs, ys) = datasets.imdb.load_data(path=str(home / "imdb_obj.npz"), seed=0, start_char=None,
                                                 index_from=0, num_words=10)
    assert sorted(map(tuple, xt)) == [(1, 2), (3,)] and sorted(yt.tolist()) == [0, 1]


def test_imdb_processing_matches_keras_rules(home):
    x_train = np.array([[5, 6, 7], [8, -1, -1], [1, 2, -1]])
    x_test = np.array([[9, 10, 11], [4, -1, -1]])
    np.savez(home / "imdb.npz", x_train=x_train, y_train=np.array([0, 1, 1]), x_test=x_test, y_test=np.array([1, 0]))
    path = str(home / "imdb.npz")
    (xt, yt), (xs, ys) = datasets.imdb.load_data(path=path, seed=0)
    order = np.arange(3)
    rng = np.random.RandomState(0)
    rng.shuffle(order)
    rows = [[5, 6, 7], [8], [1, 2]]
    assert list(xt) == [[1] + [w + 3 for w in rows[i]] for i in order]
    assert xt.dtype == object and yt.tolist() == [[0, 1, 1][i] for i in order]
    (xt, _), (xs, _) = datasets.imdb.load_data(path=path, num_words=9, skip_top=4, seed=0)
    assert all(all(w == 2 or 4 <= w < 9 for w in x) for x in list(xt) + list(xs))
    (xt, _), (xs, _) = datasets.imdb.load_data(path=path, maxlen=3, seed=0)
    assert all(len(x) < 3 for x in list(xt) + list(xs)) and len(xt) == 1


def test_reuters_split(home):
    x = np.arange(20).reshape(10, 2)
    np.savez(home / "r.npz", x=x, y=np.arange(10))
    (xt, yt), (xs, ys) = datasets.reuters.load_data(path=str(home / "r.npz"), test_split=0.3, start_char=None,
                                                    index_from=0)
    assert len(xt) == 7 and len(xs) == 3
    for seq, label in zip(list(xt) + list(xs), list(yt) + list(ys)):
        assert seq == [2 * label, 2 * label + 1] or 2 in seq  # max index is the vocabulary limit -> oov
    assert len(datasets.reuters.get_label_names()) == 46


def test_get_file_checks_hash_and_downloads_atomically(tmp_path, monkeypatch):
    source = tmp_path / "src.bin"
    source.write_bytes(b"hello")
    good = file_utils.hash_file(source)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    path = file_utils.get_file("a.bin", origin=source.as_uri(), file_hash=good)
    with open(path, "rb") as file:
        assert file.read() == b"hello"
    assert file_utils.get_file("a.bin", origin="http://invalid.invalid/x", file_hash=good) == path  # cached
    with pytest.raises(ValueError, match="does not match the expected sha256"):
        file_utils.get_file("b.bin", origin=source.as_uri(), file_hash="0" * 64)
    assert sorted(os.listdir(tmp_path / "home" / "datasets")) == ["a.bin"]  # no partial files
    assert file_utils.validate_file(path, file_utils.hash_file(path, "md5"))


def test_california_housing_versions_and_split_match_keras_shuffle(home):
    x = np.arange(800 * 8, dtype="float32").reshape(800, 8)
    y = np.arange(800, dtype="float32")
    np.savez(home / "c.npz", x=x, y=y)
    (x_train, y_train), (x_test, _) = datasets.california_housing.load_data(path=str(home / "c.npz"))
    order = np.arange(800)
    np.random.RandomState(113).shuffle(order)
    np.testing.assert_array_equal(y_train, order[:640])
    np.testing.assert_array_equal(x_test[:, 0], order[640:] * 8)
    (x_small, _), (x_small_test, _) = datasets.california_housing.load_data(version="small",
                                                                            path=str(home / "c.npz"), test_split=0.5)
    assert len(x_small) == len(x_small_test) == 300 and x_small.max() < 600 * 8
    with pytest.raises(ValueError, match="version"):
        datasets.california_housing.load_data(version="medium", path=str(home / "c.npz"))
