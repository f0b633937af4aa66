"""Against real Keras 3: `Normalization.mean`/`.variance`, the optimizer's int32 step counter (and the
summary byte counts it gives), `keras.preprocessing` names and `smart_resize`, and
`summary(layer_range=...)`."""

import numpy as np
import pytest

import nanokeras as nk


# ------------------------------------------------------------ Normalization.mean / .variance
def _statistics(layer):
    """What a learner reads: `mean`/`variance` as arrays with dtype and shape, or the error's type."""
    out = []
    for name in ("mean", "variance"):
        try:
            value = getattr(layer, name)
        except AttributeError:
            out.append((name, "AttributeError"))
            continue
        if value is None:
            out.append((name, None))
        else:
            array = np.asarray(value)
            out.append((name, array.dtype.name, array.shape, array.tolist()))
    return out


def _normalization_cases(lib):
    data = np.array([[1.0, 2.0], [3.0, 6.0]], "float32")
    cube = np.arange(24, dtype="float32").reshape(2, 3, 4)
    seen = []
    layer = lib.layers.Normalization()
    seen.append(_statistics(layer))  # before adapt: mean None, no variance
    layer.adapt(data)
    seen.append(_statistics(layer))
    layer.adapt(data * 2)  # re-adapt
    seen.append(_statistics(layer))
    layer = lib.layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0])
    seen.append(_statistics(layer))  # given, not built yet
    layer.build((None, 2))
    seen.append(_statistics(layer))
    layer = lib.layers.Normalization(mean=3.0, variance=2.0)
    layer(np.ones((2, 3, 2), "float32"))
    seen.append(_statistics(layer))
    layer = lib.layers.Normalization(axis=None)
    layer.adapt(np.arange(6, dtype="float32").reshape(3, 2))
    seen.append(_statistics(layer))
    layer = lib.layers.Normalization(axis=(1, 2))
    layer.adapt(cube)
    seen.append(_statistics(layer))
    layer = lib.layers.Normalization(axis=1)
    layer.adapt(cube)
    seen.append(_statistics(layer))
    layer = lib.layers.Normalization(invert=True)
    layer.adapt(data)
    seen.append(_statistics(layer))
    layer = lib.layers.Normalization()
    layer.adapt(np.array([[1, 2], [3, 6]]))  # int data
    seen.append(_statistics(layer))
    layer = lib.layers.Normalization()
    layer.build((None, 3))  # built, never adapted
    seen.append(_statistics(layer))
    return seen


def test_normalization_mean_and_variance_attributes_match_keras(keras):
    assert _statistics_equal(_normalization_cases(nk), _normalization_cases(keras))


def _statistics_equal(ours, theirs):
    assert len(ours) == len(theirs)
    for case_ours, case_theirs in zip(ours, theirs):
        for a, b in zip(case_ours, case_theirs):
            assert a[:3] == b[:3], (case_ours, case_theirs)
            if len(a) == 4:
                np.testing.assert_allclose(a[3], b[3], rtol=1e-6)
    return True


def test_normalization_mean_has_numpy_and_weights_unchanged(keras):
    # The TF "Basic regression" tutorial: `normalizer.mean.numpy()`.
    x = np.array([[1.0, 2.0], [3.0, 6.0]], "float32")
    layer = nk.layers.Normalization(name="norm")
    layer.adapt(x)
    assert layer.mean.numpy().tolist() == [[2.0, 4.0]]
    assert layer.variance.numpy().tolist() == [[1.0, 4.0]]
    theirs = keras.layers.Normalization(name="norm")
    theirs.adapt(x)
    assert [w.path for w in layer.weights] == [w.path for w in theirs.weights]
    for a, b in zip(layer.get_weights(), theirs.get_weights()):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_allclose(a, b)
    np.testing.assert_allclose(np.asarray(layer(x)), np.asarray(theirs(x)), rtol=1e-6)


def test_normalization_mean_after_loading_matches_keras(keras, tmp_path):
    x = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 1.0]], "float32")
    for writer, reader in ((keras, nk), (nk, keras), (nk, nk)):
        inputs = writer.Input((2,))
        norm = writer.layers.Normalization()
        norm.adapt(x)
        path = str(tmp_path / f"{writer.__name__}_{reader.__name__}.keras")
        writer.Model(inputs, norm(inputs)).save(path)
        loaded = reader.models.load_model(path)
        layer = loaded.layers[-1]
        np.testing.assert_allclose(np.asarray(layer.mean), np.asarray(norm.mean), rtol=1e-6)
        np.testing.assert_allclose(np.asarray(layer.variance), np.asarray(norm.variance), rtol=1e-6)
        assert np.asarray(layer.mean).shape == (1, 2)


# ------------------------------------------------------------ the optimizer's step counter
def _trained(lib, x, y, optimizer="adam"):
    lib.utils.set_random_seed(0)
    model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, activation="softmax")])
    model.compile(optimizer, "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    return model


def _data():
    rng = np.random.default_rng(0)
    return rng.random((8, 4), dtype=np.float32), np.arange(8) % 3


@pytest.mark.parametrize("optimizer", ["adam", "sgd", "rmsprop"])
def test_iterations_dtype_and_summary_bytes_after_fit_match_keras(keras, optimizer, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "100")
    x, y = _data()
    texts, dtypes = [], []
    for lib in (keras, nk):
        lib.backend.clear_session()
        model = _trained(lib, x, y, optimizer)
        dtypes.append(np.dtype(str(model.optimizer.iterations.dtype)))
        capsys.readouterr()
        model.summary()
        texts.append(capsys.readouterr().out)
    assert dtypes[1] == dtypes[0] == np.int32
    assert texts[1] == texts[0]
    assert "Total params: 47 (188.00 B)" in texts[1] or optimizer != "adam"


def test_optimizer_state_round_trips_with_keras_files(keras, tmp_path):
    x, y = _data()
    for writer, reader in ((keras, nk), (nk, keras)):
        model = _trained(writer, x, y)
        path = str(tmp_path / f"{writer.__name__}.keras")
        model.save(path)
        loaded = reader.models.load_model(path)
        assert int(loaded.optimizer.iterations) == int(model.optimizer.iterations) == 4
        assert np.dtype(str(loaded.optimizer.iterations.dtype)) == np.int32
        for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
            np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6)
        weights = str(tmp_path / f"{writer.__name__}.weights.h5")
        model.save_weights(weights)
        target = _trained(reader, x, y)
        target.load_weights(weights)
        assert int(target.optimizer.iterations) == 4
        assert np.dtype(str(target.optimizer.iterations.dtype)) == np.int32


def test_a_file_with_an_int64_step_counter_loads(tmp_path):
    # Keras on TensorFlow (and nanokeras before) writes the counter as int64.
    import h5py

    x, y = _data()
    model = _trained(nk, x, y)
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    with h5py.File(path, "r+") as f:
        value = f["optimizer/vars/0"][()]
        del f["optimizer/vars/0"]
        f.create_dataset("optimizer/vars/0", data=np.int64(value))
    target = _trained(nk, x, y)
    target.optimizer.iterations.assign(0)
    target.load_weights(path)
    assert int(target.optimizer.iterations) == 4 and target.optimizer.iterations.dtype == np.int32


# ------------------------------------------------------------ keras.preprocessing names
def _public(module):
    return {name for name in dir(module) if not name.startswith("_")}


@pytest.mark.parametrize("path", ["preprocessing", "preprocessing.image", "preprocessing.sequence"])
def test_preprocessing_has_every_keras_name(keras, path):
    theirs, ours = keras, nk
    for part in path.split("."):
        theirs, ours = getattr(theirs, part), getattr(ours, part)
    assert _public(theirs) - _public(ours) == set()


def test_preprocessing_dataset_functions_are_the_utils_ones():
    assert nk.preprocessing.image_dataset_from_directory is nk.utils.image_dataset_from_directory
    assert nk.preprocessing.text_dataset_from_directory is nk.utils.text_dataset_from_directory
    assert nk.preprocessing.timeseries_dataset_from_array is nk.utils.timeseries_dataset_from_array


_RESIZES = [
    ((34, 50, 3), (20, 20), "bilinear", "channels_last"),
    ((2, 50, 34, 3), (10, 15), "bilinear", "channels_last"),
    ((3, 33, 47), (8, 8), "bicubic", "channels_first"),
    ((2, 3, 33, 47), (40, 30), "nearest", "channels_first"),
    ((7, 9, 1), (7, 9), "lanczos3", "channels_last"),
    ((31, 17, 2), (5, 11), "lanczos5", "channels_last"),
    ((31, 17, 2), (64, 64), "bilinear", "channels_last"),
    ((5, 5, 3), (2, 9), "area", "channels_last"),
]


@pytest.mark.parametrize("shape,size,interpolation,data_format", _RESIZES)
def test_smart_resize_matches_keras(keras, shape, size, interpolation, data_format):
    x = np.random.default_rng(1).random(shape, dtype=np.float32) * 255
    results = []
    for lib in (keras, nk):
        try:
            results.append(lib.preprocessing.image.smart_resize(x, size, interpolation=interpolation,
                                                                data_format=data_format))
        except Exception as error:
            results.append(type(error))
    theirs, ours = results
    if isinstance(theirs, type):
        assert ours is theirs
        return
    assert type(ours) is np.ndarray and ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("dtype", ["uint8", "int32", "int64", "float64", "float16", "bool"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_smart_resize_dtypes_match_keras(keras, dtype, interpolation):
    x = (np.random.default_rng(2).random((20, 30, 3)) * 200).astype(dtype)
    theirs = keras.preprocessing.image.smart_resize(x, (10, 10), interpolation=interpolation)
    ours = nk.preprocessing.image.smart_resize(x, (10, 10), interpolation=interpolation)
    assert ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours.astype("float32"), theirs.astype("float32"), rtol=1e-3, atol=1e-2)


@pytest.mark.parametrize("kwargs", [dict(size=(1, 2, 3)), dict(size=(4, 4), foo=1), dict(x=np.zeros((4, 4))),
                                    dict(size=5)])
def test_smart_resize_errors_match_keras(keras, kwargs):
    errors = []
    for lib in (keras, nk):
        call = dict(x=np.zeros((8, 8, 3), "float32"), size=(4, 4))
        call.update(kwargs)
        with pytest.raises(Exception) as info:
            lib.preprocessing.image.smart_resize(**call)
        errors.append(info.type)
    assert errors[1] is errors[0]


# ------------------------------------------------------------ summary(layer_range=...)
def _summary_models(lib):
    inputs = lib.Input((4,), name="inp")
    a = lib.layers.Dense(3, name="a")(inputs)
    b = lib.layers.Dense(3, name="b")(a)
    graph = lib.Model(inputs, lib.layers.Add(name="add")([a, b]), name="graph")
    inner = lib.Sequential([lib.layers.Dense(2, name="in1"), lib.layers.Dense(2, name="in2")], name="inner")
    chain = lib.Sequential([lib.Input((4,)), lib.layers.Dense(2, name="dense"), lib.layers.Dense(2, name="dense_1"),
                            inner, lib.layers.Dense(1, name="last")], name="chain")
    return {"graph": graph, "chain": chain}


_RANGES = [
    ("graph", dict(layer_range=["a", "b"])),
    ("graph", dict(layer_range=["b", "a"])),  # reversed: from the first `a`... to the last `b`... anyway
    ("graph", dict(layer_range=["inp", "a"])),
    ("graph", dict(layer_range=("a", "add"))),
    ("graph", dict(layer_range="ab")),  # a 2-character string is two patterns in Keras
    ("graph", dict(layer_range=["zz", "a"])),
    ("graph", dict(layer_range=["a"])),
    ("graph", dict(layer_range=[1, "a"])),
    ("graph", dict(layer_range=5)),
    ("chain", dict(layer_range=["dense", "dense"])),  # re.match: "dense" also matches "dense_1"
    ("chain", dict(layer_range=["dense_1", "inner"], expand_nested=True)),
    ("chain", dict(layer_range=["inner", "last"], show_trainable=True)),
    ("chain", dict(layer_range=["d.*", "in"])),
    ("chain", dict(layer_range=["in1", "in2"])),  # nested layers are not in the range
    ("chain", dict(layer_range=["last$", "dense_1"])),
]


@pytest.mark.parametrize("which,kwargs", _RANGES)
def test_summary_layer_range_prints_what_keras_prints(keras, which, kwargs):
    texts = []
    for lib in (keras, nk):
        lib.backend.clear_session()
        model = _summary_models(lib)[which]
        lines = []
        try:
            model.summary(print_fn=lambda text, line_break=None: lines.append(text), line_length=80, **kwargs)
        except Exception as error:
            lines = [type(error).__name__]
        texts.append("".join(lines))
    assert texts[1] == texts[0]
    if which == "graph" and kwargs.get("layer_range") == ["a", "b"]:
        assert "(InputLayer)" not in texts[1] and "(Add)" not in texts[1] and "(Dense)" in texts[1]
