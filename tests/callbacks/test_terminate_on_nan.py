import numpy as np
import pytest

import nanokeras as keras
from tests.callbacks.helpers import small_model


def diverging_data():
    x = np.full((64, 3), 1e20, dtype="float32")
    y = np.ones((64, 1), dtype="float32")
    return x, y


def test_stops_on_nan_loss(capsys):
    model = small_model(lr=1.0)
    x, y = diverging_data()
    history = model.fit(x, y, epochs=5, batch_size=8, verbose=0, shuffle=False,
                        callbacks=[keras.callbacks.TerminateOnNaN()])
    assert len(history.history["loss"]) == 1
    assert "Invalid loss, terminating training" in capsys.readouterr().out


def test_raise_error_mode():
    model = small_model(lr=1.0)
    x, y = diverging_data()
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch"):
        model.fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[keras.callbacks.TerminateOnNaN(raise_error=True)])


def test_finite_loss_keeps_training():
    cb = keras.callbacks.TerminateOnNaN()
    model = small_model()
    cb.set_model(model)
    cb.on_train_batch_end(0, {"loss": 1.0})
    assert not model.stop_training


def test_diverging_training_prints_no_numpy_warning(recwarn):
    model = small_model(lr=1.0)
    x, y = diverging_data()
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    assert not np.isfinite(history.history["loss"][-1])
    assert [str(w.message) for w in recwarn] == []
    assert np.geterr()["over"] == "warn"  # the setting is restored after fit
