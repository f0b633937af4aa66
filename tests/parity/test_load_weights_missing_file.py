"""`load_weights` of a file that does not exist, as the "Save and load models" tutorials name it:
the error is of the type Keras raises (ValueError for an extension Keras does not read,
FileNotFoundError for a missing `.weights.h5`)."""

import pytest

import nanokeras as nk


def _error(lib, path):
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(2)])
    try:
        model.load_weights(path)
    except Exception as error:  # the type is what is compared
        return error
    return None


@pytest.mark.parametrize("name", ["training_1/cp.ckpt", "nope.weights.h5"])
def test_missing_weights_file_error_type(keras, tmp_path, name):
    theirs, ours = _error(keras, str(tmp_path / name)), _error(nk, str(tmp_path / name))
    assert theirs is not None and isinstance(ours, type(theirs))
