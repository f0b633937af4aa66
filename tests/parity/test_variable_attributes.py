"""`keras.Variable`s kept as layer attributes are weights, as in real Keras 3: listed, trained and
saved (the saving guide's layer with an extra variable)."""

import numpy as np

import nanokeras as nk


def _define(lib):
    class WithOffset(lib.layers.Dense):
        def __init__(self, units, **kwargs):
            super().__init__(units, **kwargs)
            self.offset = lib.Variable(np.full((units,), 0.5), name="offset", dtype="float32")

        def call(self, inputs):
            return super().call(inputs) + self.offset

    class Holder(lib.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._hidden = lib.Variable(1.0, name="hidden")
            self.many = [lib.Variable(2.0, name="a"), lib.Variable(3.0, name="b", trainable=False)]
            self.by_key = {"x": lib.Variable(4.0, name="dx")}

        def call(self, x):
            return x * self._hidden + self.many[0] + self.many[1] + self.by_key["x"]

    return WithOffset, Holder


def _listing(lib):
    lib.backend.clear_session()
    WithOffset, Holder = _define(lib)
    model = lib.Sequential([lib.Input((4,)), WithOffset(3, name="with_offset"), Holder(name="holder")])
    stateful = lib.layers.LSTM(2, stateful=True, name="stateful")
    stateful(np.ones((3, 4, 5), "float32"))
    return ([(v.path, v.trainable) for v in model.weights], len(model.trainable_weights),
            [v.path for v in stateful.weights])  # a stateful RNN's states are not weights


def test_variables_kept_as_attributes_are_listed_as_in_keras(keras):
    assert _listing(nk) == _listing(keras)


def test_training_the_attribute_variables_matches_keras(keras):
    start = _start_weights(keras)
    for ours, theirs in zip(_fit_from(nk, start), _fit_from(keras, start)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def _start_weights(lib):
    lib.backend.clear_session()
    WithOffset, Holder = _define(lib)
    model = lib.Sequential([lib.Input((4,)), WithOffset(3), Holder()])
    return [np.asarray(w) for w in model.get_weights()]


def _fit_from(lib, start):
    lib.backend.clear_session()
    WithOffset, Holder = _define(lib)
    model = lib.Sequential([lib.Input((4,)), WithOffset(3), Holder()])
    model.set_weights(start)
    model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse")
    x = np.linspace(-1, 1, 32, dtype="float32").reshape(8, 4)
    y = np.linspace(0, 1, 24, dtype="float32").reshape(8, 3)
    model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    return [np.asarray(w) for w in model.get_weights()]


def _holder_model(lib, with_offset):
    lib.backend.clear_session()
    WithOffset, Holder = _define(lib)
    layers = [WithOffset(3, name="wo")] if with_offset else []
    return lib.Sequential([lib.Input((4,)), *layers, Holder(name="h")])


def test_files_with_attribute_variables_cross_both_ways(keras, tmp_path):
    # Keras's Dense (and so a subclass of it) saves only kernel and bias: Keras itself cannot load
    # such a subclass's file back without overriding `load_own_variables` (its saving guide does),
    # so the way back uses a model of plain layers only.
    for source_lib, target_lib, with_offset in ((keras, nk, True), (nk, keras, False)):
        start = [np.asarray(w) for w in _holder_model(keras, with_offset).get_weights()]
        start = [w + 0.25 for w in start]
        source = _holder_model(source_lib, with_offset)
        source.set_weights(start)
        path = tmp_path / f"{source_lib.__name__}.weights.h5"
        source.save_weights(path)
        target = _holder_model(target_lib, with_offset)
        target.load_weights(path)
        loaded = [np.asarray(w) for w in target.get_weights()]
        if with_offset:  # `offset` (first) is not in the file: it keeps its initial value, as in Keras
            assert loaded[0].tolist() == [0.5, 0.5, 0.5]
            loaded, start = loaded[1:], start[1:]
        for a, b in zip(loaded, start):
            np.testing.assert_array_equal(a, b)


def _aggregation_and_synchronization(lib):
    out = []
    for kwargs in ({}, {"aggregation": None, "synchronization": None}, {"aggregation": "sum", "synchronization": "on_read"},
                   {"aggregation": "only_first_replica", "synchronization": "on_write"}):
        v = lib.Variable(1.0, **kwargs)
        out.append((v.aggregation, v.synchronization))
    layer = lib.layers.Layer()
    out.append(layer.add_weight((), aggregation="mean").aggregation)
    out.append([v.aggregation for v in lib.metrics.Mean().variables])
    for bad in ({"aggregation": "bad"}, {"synchronization": "bad"}):
        try:
            lib.Variable(1.0, **bad)
            out.append("accepted")
        except ValueError as error:
            out.append(("ValueError", list(bad)[0] in str(error)))
    return out


def test_variable_aggregation_and_synchronization_as_keras(keras):
    assert _aggregation_and_synchronization(nk) == _aggregation_and_synchronization(keras)
