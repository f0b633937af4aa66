"""How metric results are logged, against real Keras 3: scalars as floats, an array result
as an array even with one entry (F1Score on a one-unit sigmoid output), in history and evaluate."""

import numpy as np

import nanokeras as nk


def _logged(lib):
    rng = np.random.RandomState(0)
    x = rng.randn(20, 5).astype("float32")
    y = (rng.rand(20) > 0.5).astype("float32")[:, None]
    model = lib.Sequential([lib.Input((5,)), lib.layers.Dense(1, activation="sigmoid", kernel_initializer="ones")])
    model.compile("sgd", "binary_crossentropy", metrics=[lib.metrics.F1Score(threshold=0.5)])
    history = model.fit(x, y, epochs=2, verbose=0, shuffle=False, validation_data=(x, y)).history
    return history, model.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0, return_dict=True)


def test_one_entry_array_results_stay_arrays_as_in_keras(keras):
    ours, theirs = _logged(nk), _logged(keras)
    assert sorted(ours[0]) == sorted(theirs[0])
    for key in theirs[0]:
        for a, b in zip(ours[0][key], theirs[0][key]):
            assert type(a) is type(b) and np.shape(a) == np.shape(b)
            np.testing.assert_allclose(a, b, rtol=1e-5)
    for a, b in zip(ours[1], theirs[1]):
        assert type(a) is type(b) and np.shape(a) == np.shape(b)
    assert {k: type(v) for k, v in ours[2].items()} == {k: type(v) for k, v in theirs[2].items()}
