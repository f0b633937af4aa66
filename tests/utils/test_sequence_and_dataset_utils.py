"""`pad_sequences`, `timeseries_dataset_from_array`, `text_dataset_from_directory` and `BatchedDataset`."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.utils.batched_dataset import BatchedDataset


# ------------------------------------------------------------ pad_sequences
def test_pad_sequences_padding_truncation_value_dtype():
    sequences = [[1], [2, 3], [4, 5, 6]]
    np.testing.assert_array_equal(keras.utils.pad_sequences(sequences), [[0, 0, 1], [0, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(keras.utils.pad_sequences(sequences, padding="post", value=-1),
                                  [[1, -1, -1], [2, 3, -1], [4, 5, 6]])
    np.testing.assert_array_equal(keras.utils.pad_sequences(sequences, maxlen=2), [[0, 1], [2, 3], [5, 6]])
    np.testing.assert_array_equal(keras.utils.pad_sequences(sequences, maxlen=2, truncating="post"),
                                  [[0, 1], [2, 3], [4, 5]])
    assert keras.utils.pad_sequences(sequences).dtype == np.int32
    assert keras.utils.pad_sequences([[0.5]], dtype="float32", maxlen=2).tolist() == [[0.0, 0.5]]
    assert keras.utils.pad_sequences([[], [1]]).tolist() == [[0], [1]]
    assert keras.utils.pad_sequences([[[1, 2]], [[3, 4], [5, 6]]]).shape == (2, 2, 2)
    words = keras.utils.pad_sequences([["a"], ["b", "c"]], dtype=object, value="")
    assert words.tolist() == [["", "a"], ["b", "c"]]
    assert keras.utils.pad_sequences([[1, 2]], maxlen=0).shape == (1, 0)


@pytest.mark.parametrize("kwargs,match", [
    ({"padding": "middle"}, "`padding` must be"), ({"truncating": "both"}, "`truncating` must be"),
    ({"maxlen": -1}, "maxlen"), ({"value": "x"}, "dtype=object"),
])
def test_pad_sequences_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras.utils.pad_sequences([[1, 2]], **kwargs)


def test_pad_sequences_bad_sequences():
    with pytest.raises(ValueError, match="item 1 is 2, which has no length"):
        keras.utils.pad_sequences([[1], 2])
    with pytest.raises(ValueError, match="is empty"):
        keras.utils.pad_sequences([])
    with pytest.raises(ValueError, match="all items must have one shape"):
        keras.utils.pad_sequences([[[1, 2]], [[1, 2, 3]]])


# --------------------------------------------------------------- timeseries
def test_timeseries_windows_targets_strides_and_ranges():
    data, targets = np.arange(20).reshape(10, 2), np.arange(10) * 10
    batches = list(keras.utils.timeseries_dataset_from_array(data, targets, sequence_length=3, sampling_rate=2,
                                                             sequence_stride=2, batch_size=2))
    x, y = batches[0]
    np.testing.assert_array_equal(x[0], data[[0, 2, 4]])
    np.testing.assert_array_equal(x[1], data[[2, 4, 6]])
    np.testing.assert_array_equal(y, [0, 20])
    assert sum(len(b[0]) for b in batches) == 3  # starts 0, 2, 4 (the last window ends at step 8)
    windows = list(keras.utils.timeseries_dataset_from_array(data, None, sequence_length=2, batch_size=None,
                                                             start_index=3, end_index=7))
    assert len(windows) == 3 and windows[0].tolist() == data[3:5].tolist()


def test_timeseries_shuffle_is_seeded_and_covers_every_window():
    data = np.arange(50)
    dataset = keras.utils.timeseries_dataset_from_array(data, data, sequence_length=4, batch_size=8, shuffle=True,
                                                        seed=3)
    first = np.concatenate([y for _, y in dataset])
    again = np.concatenate([y for _, y in keras.utils.timeseries_dataset_from_array(
        data, data, sequence_length=4, batch_size=8, shuffle=True, seed=3)])
    np.testing.assert_array_equal(first, again)
    assert sorted(first.tolist()) == list(range(47)) and first.tolist() != list(range(47))
    assert len(dataset) == 6


@pytest.mark.parametrize("kwargs,match", [
    ({"sequence_length": 0}, "sequence_length"), ({"sequence_stride": 10}, "sequence_stride"),
    ({"sampling_rate": 0}, "sampling_rate"), ({"start_index": -1}, "start_index"),
    ({"start_index": 5, "end_index": 4}, "end_index"), ({"end_index": 20}, "end_index"),
    ({"format": "torch"}, "format"),
])
def test_timeseries_bad_arguments(kwargs, match):
    arguments = {"sequence_length": 3, **kwargs}
    with pytest.raises(ValueError, match=match):
        keras.utils.timeseries_dataset_from_array(np.arange(10), None, **arguments)


# --------------------------------------------------------------- text files
@pytest.fixture
def text_folder(tmp_path):
    for label, texts in (("neg", ["bad", "awful", "poor"]), ("pos", ["good", "great", "fine", "nice"])):
        (tmp_path / label).mkdir()
        for i, text in enumerate(texts):
            (tmp_path / label / f"{i}.txt").write_text(text + " é", encoding="utf-8")
    (tmp_path / "pos" / "notes.md").write_text("not a text sample")
    (tmp_path / ".hidden").mkdir()
    return tmp_path


def test_text_dataset_labels_class_names_and_order(text_folder):
    dataset = keras.utils.text_dataset_from_directory(text_folder, batch_size=3, shuffle=False, verbose=False)
    assert dataset.class_names == ["neg", "pos"] and len(dataset) == 3
    texts, labels = next(iter(dataset))
    assert texts.tolist() == ["bad é", "awful é", "poor é"] and labels.dtype == np.int32
    assert [len(x) for x, _ in dataset] == [3, 3, 1]
    assert dataset.file_paths[0].endswith("0.txt")
    categorical = keras.utils.text_dataset_from_directory(text_folder, label_mode="categorical", shuffle=False,
                                                          verbose=False)
    assert next(iter(categorical))[1][-1].tolist() == [0.0, 1.0]
    binary = keras.utils.text_dataset_from_directory(text_folder, label_mode="binary", verbose=False, seed=1)
    assert next(iter(binary))[1].shape[1:] == (1,)
    cut = keras.utils.text_dataset_from_directory(text_folder, max_length=4, shuffle=False, labels=None,
                                                  verbose=False)
    assert next(iter(cut))[:2].tolist() == ["bad ", "awfu"]
    only = keras.utils.text_dataset_from_directory(text_folder, class_names=["pos"], shuffle=False, verbose=False)
    assert sum(len(y) for _, y in only) == 4


def test_text_dataset_validation_split_keeps_subsets_apart(text_folder, capsys):
    train, val = keras.utils.text_dataset_from_directory(text_folder, validation_split=0.3, subset="both", seed=5,
                                                         batch_size=2)
    printed = capsys.readouterr().out
    assert "Found 7 files belonging to 2 classes." in printed and "Using 5 files for training." in printed
    train_texts = {t for x, _ in train for t in x.tolist()}
    val_texts = {t for x, _ in val for t in x.tolist()}
    assert len(train_texts) == 5 and len(val_texts) == 2 and not train_texts & val_texts
    assert val.class_names == ["neg", "pos"]


@pytest.mark.parametrize("kwargs,match", [
    ({"labels": "folders"}, "labels"), ({"label_mode": "sparse"}, "label_mode"),
    ({"validation_split": 0.2}, "subset"), ({"validation_split": 0.2, "subset": "training"}, "seed"),
    ({"class_names": ["cats"]}, "class_names"), ({"label_mode": "binary", "class_names": ["neg", "pos", "x"]},
                                                  "class_names"),
    ({"batch_size": 0}, "batch_size"),
])
def test_text_dataset_bad_arguments(text_folder, kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras.utils.text_dataset_from_directory(text_folder, verbose=False, **kwargs)


def test_text_dataset_without_text_files(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="No text files found"):
        keras.utils.text_dataset_from_directory(tmp_path, verbose=False)
    with pytest.raises(ValueError, match="not a directory"):
        keras.utils.text_dataset_from_directory(tmp_path / "missing", verbose=False)


# ------------------------------------------------------------ the dataset
def test_batched_dataset_transformations():
    data = BatchedDataset.from_arrays((np.arange(10), np.arange(10) * 2), batch_size=4)
    assert len(data) == 3 and data.cardinality() == 3
    assert [x.tolist() for x, _ in data.take(2)] == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert len(data.take(2)) == 2 and len(data.skip(1)) == 2
    rows = data.unbatch()
    assert [int(x) for x, _ in rows][:3] == [0, 1, 2]
    rebatched = rows.batch(3, drop_remainder=True)
    assert [x.tolist() for x, _ in rebatched][-1] == [6, 7, 8]
    assert [int(y) for _, y in rows.filter(lambda x, y: x % 5 == 0)] == [0, 10]
    repeated = data.repeat(2)
    assert len(repeated) == 6 and repeated.repeat().cardinality() == -1
    with pytest.raises(TypeError, match="unknown or infinite"):
        len(data.repeat())
    shuffled = rows.shuffle(4, seed=1)
    assert sorted(int(x) for x, _ in shuffled) == list(range(10))
    calls = []
    cached = data.map(lambda x, y: calls.append(1) or (x, y)).cache().prefetch(2)
    list(cached), list(cached)
    assert len(calls) == 3
    assert [x.tolist() for x in BatchedDataset.from_arrays(np.arange(3))] == [[0, 1, 2]]
    assert list(iter(data.as_numpy_iterator()))[0][0].tolist() == [0, 1, 2, 3]
    assert "cardinality=3" in repr(data)
