"""Top-level classes and `keras.utils` helpers of issue 13, against real Keras 3."""

import io
import os
import tarfile

import numpy as np
import pytest

import nanokeras


def _function(lib, weights=None):
    a, b = lib.Input((3,), name="fa"), lib.Input((3,), name="fb")
    dense = lib.layers.Dense(2, name="fd")
    h = dense(a) * 2.0 + dense(b)
    out = [lib.ops.tanh(h), lib.ops.sum(h, axis=-1)]
    if weights is not None:
        dense.set_weights(weights)
    return lib.Function([a, b], out), dense


def test_function_outputs_match(keras):
    theirs, dense = _function(keras)
    ours, _ = _function(nanokeras, [np.asarray(w) for w in dense.get_weights()])
    rng = np.random.default_rng(0)
    x = [rng.normal(size=(4, 3)).astype("float32") for _ in range(2)]
    for mine, expected in zip(ours(x), theirs(x)):
        np.testing.assert_allclose(mine, np.asarray(expected), rtol=1e-6, atol=1e-6)
    assert [type(op).__name__ for op in ours.operations if type(op).__name__ == "Dense"] == ["Dense"]


SPECS = [
    dict(ndim=2), dict(min_ndim=3), dict(max_ndim=2), dict(axes={-1: 3}), dict(shape=(None, 3)),
    dict(shape=(None, 3, 1), allow_last_axis_squeeze=True), dict(dtype="float32"), dict(dtype="int32"),
]
SHAPES = [(2, 3), (2, 4), (2, 3, 1), (5,)]


@pytest.mark.parametrize("spec", SPECS, ids=[str(s) for s in SPECS])
def test_input_spec_accepts_and_refuses_what_keras_does(keras, spec):
    def accepts(lib, shape):
        class Checked(lib.layers.Layer):
            def __init__(self):
                super().__init__()
                self.input_spec = lib.InputSpec(**spec)

            def call(self, x):
                return x

        try:
            Checked()(np.zeros(shape, "float32"))
            return True
        except ValueError:
            return False

    for shape in SHAPES:
        assert accepts(nanokeras, shape) == accepts(keras, shape), shape
    assert nanokeras.InputSpec(**spec).get_config() == {
        k: (tuple(v) if isinstance(v, list) else v) for k, v in keras.InputSpec(**spec).get_config().items()}
    assert repr(nanokeras.InputSpec(**spec)) == repr(keras.InputSpec(**spec))


@pytest.mark.parametrize("name", ["float32", "float64", "float16", "mixed_float16"])
def test_dtype_policy_matches(keras, name):
    ours, theirs = nanokeras.DTypePolicy(name), keras.DTypePolicy(name)
    assert (ours.name, ours.compute_dtype, ours.variable_dtype, ours.quantization_mode) == \
        (theirs.name, theirs.compute_dtype, theirs.variable_dtype, theirs.quantization_mode)
    assert ours.get_config() == theirs.get_config() and repr(ours) == repr(theirs)


def test_name_scope_paths_match(keras):
    def paths(lib):
        with lib.name_scope("outer"):
            with lib.name_scope("inner"):
                a = lib.Variable(1.0, name="a")
            with lib.name_scope("x", override_parent="root"):
                b = lib.Variable(1.0, name="b")
        return a.path, b.path

    assert paths(nanokeras) == paths(keras)


def test_config_and_batch_tuples_match(keras):
    def use(lib):
        config = lib.utils.Config(b=1, a=2)
        config.c = [1, 2]
        return config.to_json(), list(config), len(config), config.as_dict()

    assert use(nanokeras) == use(keras)
    x, y = np.ones((2, 1)), np.zeros((2, 1))
    for args in ((x,), ([x, x],), (x, y), (x, y, y)):
        ours = nanokeras.utils.pack_x_y_sample_weight(*args)
        theirs = keras.utils.pack_x_y_sample_weight(*args)
        assert type(ours) is type(theirs) and len(nanokeras.tree.flatten(ours)) == len(keras.tree.flatten(theirs))
        assert [part is None for part in nanokeras.utils.unpack_x_y_sample_weight(ours)] == \
            [part is None for part in keras.utils.unpack_x_y_sample_weight(theirs)]


@pytest.mark.parametrize("kwargs", [dict(left_size=0.7), dict(right_size=3), dict(left_size=4, right_size=5),
                                    dict(left_size=0.5, shuffle=True, seed=11)])
def test_split_dataset_gives_keras_splits(keras, kwargs):
    x, y = np.arange(20, dtype="float32").reshape(10, 2), np.arange(10)
    theirs = keras.utils.split_dataset((x, y), **kwargs)
    ours_tf = nanokeras.utils.split_dataset((x, y), **kwargs)
    ours_np = nanokeras.utils.split_dataset((x, y), preferred_backend="numpy", **kwargs)
    for their_split, tf_split, np_split in zip(theirs, ours_tf, ours_np):
        expected = [(a.tolist(), b.tolist()) for a, b in their_split.as_numpy_iterator()]
        assert [(a.tolist(), b.tolist()) for a, b in tf_split.as_numpy_iterator()] == expected
        assert list(zip(np_split[0].tolist(), np_split[1].tolist())) == expected


def test_get_source_inputs_match(keras):
    def names(lib):
        a, b, c = lib.Input((2,), name="sa"), lib.Input((2,), name="sb"), lib.Input((2,), name="sc")
        y = lib.layers.Concatenate()([lib.layers.Dense(2)(c), a, b])
        return [t.name for t in lib.utils.get_source_inputs(y)]

    assert names(nanokeras) == names(keras)


def test_get_file_extracts_where_keras_does(keras, tmp_path):
    archive_path = tmp_path / "source.tar.gz"
    with tarfile.open(archive_path, "w:gz") as archive:
        info = tarfile.TarInfo("inner/file.txt")
        info.size = 5
        archive.addfile(info, io.BytesIO(b"hello"))
    for kwargs in (dict(fname="named.tar.gz"), dict(fname="plainname"), dict()):
        results = []
        for lib, cache in ((keras, tmp_path / "k"), (nanokeras, tmp_path / "n")):
            cache.mkdir(exist_ok=True)  # (Keras falls back to /tmp/.keras for a missing cache_dir)
            path = lib.utils.get_file(origin=archive_path.as_uri(), extract=True, cache_dir=str(cache), **kwargs)
            results.append((os.path.relpath(path, cache), sorted(os.listdir(path))))
        assert results[0] == results[1], kwargs
