import pytest

import nanokeras as keras
from tests.callbacks.helpers import regression_data, small_model


def test_hooks_are_called_with_positional_arguments():
    calls = []
    cb = keras.callbacks.LambdaCallback(
        on_train_begin=lambda logs: calls.append("train_begin"),
        on_epoch_begin=lambda epoch, logs: calls.append(("epoch_begin", epoch)),
        on_epoch_end=lambda epoch, logs: calls.append(("epoch_end", epoch, sorted(logs))),
        on_train_batch_end=lambda batch, logs: calls.append(("batch", batch)),
        on_train_end=lambda logs: calls.append("train_end"),
        on_test_end=lambda logs: calls.append("test_end"),
    )
    x, y = regression_data(16)
    small_model().fit(x, y, epochs=2, batch_size=8, verbose=0, validation_split=0.5, callbacks=[cb])
    assert calls == [
        "train_begin", ("epoch_begin", 0), ("batch", 0), "test_end", ("epoch_end", 0, ["loss", "val_loss"]),
        ("epoch_begin", 1), ("batch", 0), "test_end", ("epoch_end", 1, ["loss", "val_loss"]), "train_end",
    ]


def test_keras2_batch_alias_and_predict_hooks():
    calls = []
    cb = keras.callbacks.LambdaCallback(on_batch_begin=lambda b, logs: calls.append(("b", b)),
                                        on_predict_batch_end=lambda b, logs: calls.append(("p", b)))
    x, y = regression_data(16)
    model = small_model()
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[cb])
    model.predict(x, batch_size=16, verbose=0, callbacks=[cb])
    assert calls == [("b", 0), ("b", 1), ("p", 0)]


def test_rejects_unknown_hooks_and_non_callables():
    with pytest.raises(TypeError, match="on_epoch_ends"):
        keras.callbacks.LambdaCallback(on_epoch_ends=print)
    with pytest.raises(TypeError, match="callable"):
        keras.callbacks.LambdaCallback(on_epoch_end=3)
