"""Keras 2's `keras.wrappers.scikit_learn`: `KerasClassifier` and `KerasRegressor` (`build_fn=`).

Keras 2.0 to 2.11 had these (then the `scikeras` package took them over); Keras 3 has
`keras.wrappers.SKLearnClassifier`/`SKLearnRegressor` instead, which take a function of
`(X, y)` and one-hot encode the labels. Here the Keras 2 ones work as they did, with a note:
`build_fn` gets the keyword arguments it names, `fit`/`predict`/`evaluate` the ones they take.

Example:
    >>> import numpy as np, warnings, nanokeras as keras
    >>> def create_model(units=4):
    ...     model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units, activation="relu"),
    ...                               keras.layers.Dense(1, activation="sigmoid")])
    ...     model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    ...     return model
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     from nanokeras.wrappers.scikit_learn import KerasClassifier
    >>> clf = KerasClassifier(build_fn=create_model, units=8, epochs=2, batch_size=4, verbose=0)
    >>> X, y = np.random.default_rng(0).normal(size=(12, 3)), np.array([0, 1] * 6)
    >>> _ = clf.fit(X, y)
    >>> sorted(set(clf.predict(X).ravel().tolist())) <= [0, 1]
    True
"""

import copy
import inspect
import types

import numpy as np

from nanokeras.utils import keras2_notes
from nanokeras.wrappers.sklearn_wrapper import BaseEstimator, ClassifierMixin, RegressorMixin, require_sklearn

keras2_notes.note("scikit_learn_wrappers")

# What `from keras.wrappers.scikit_learn import *` gives (Keras 2's wrappers), not numpy, copy, ...
__all__ = ["BaseWrapper", "KerasClassifier", "KerasRegressor"]


def _accepts(function, name):
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters


def _model_methods():
    from nanokeras.models import Sequential

    return (Sequential.fit, Sequential.predict, Sequential.predict_classes, Sequential.evaluate)


class BaseWrapper(BaseEstimator):
    """`build_fn` (a function, a callable object, or None to use the subclass's `__call__`)
    returns a compiled model; `sk_params` are its arguments and those of `fit`, `predict`
    and `evaluate` (e.g. `epochs=10, batch_size=32, verbose=0`)."""

    def __init__(self, build_fn=None, **sk_params):
        require_sklearn(type(self).__name__)
        self.build_fn = build_fn
        self.sk_params = sk_params
        self.check_params(sk_params)

    def check_params(self, params):
        """Raises ValueError for a parameter nothing here takes."""
        targets = list(_model_methods())
        if self.build_fn is None:
            targets.append(self.__call__)
        elif not isinstance(self.build_fn, (types.FunctionType, types.MethodType)):
            targets.append(self.build_fn.__call__)
        else:
            targets.append(self.build_fn)
        for name in params:
            if not any(_accepts(fn, name) for fn in targets):
                if name == "nb_epoch":
                    raise ValueError("`nb_epoch` is not a legal parameter: use `epochs`.")
                raise ValueError(f"{name} is not a legal parameter: neither `build_fn` nor the model's "
                                 "fit/predict/evaluate take it.")

    def get_params(self, deep=True):
        params = self.sk_params.copy()
        params.update({"build_fn": self.build_fn})
        return params

    def set_params(self, **params):
        self.check_params(params)
        self.sk_params.update(params)
        return self

    def filter_sk_params(self, fn, override=None):
        """The `sk_params` that `fn` takes, updated with `override`."""
        result = {name: value for name, value in self.sk_params.items() if _accepts(fn, name)}
        result.update(override or {})
        return result

    def __sklearn_is_fitted__(self):
        # scikit-learn's own test (attributes ending in `_`) misses a fitted `KerasRegressor`,
        # so a `Pipeline` ending in one refused to score ("not fitted yet"): fitted means a model.
        return getattr(self, "model", None) is not None

    def _build(self):
        if self.build_fn is None:
            return self.__call__(**self.filter_sk_params(self.__call__))
        if not isinstance(self.build_fn, (types.FunctionType, types.MethodType)):
            return self.build_fn(**self.filter_sk_params(self.build_fn.__call__))
        return self.build_fn(**self.filter_sk_params(self.build_fn))

    def fit(self, x, y, **kwargs):
        """Builds a new model with `build_fn` and trains it; returns the `History`."""
        from nanokeras.models import Sequential
        from nanokeras.utils import to_categorical

        self.model = self._build()
        loss = self.model.loss
        loss_name = getattr(loss, "__name__", getattr(loss, "name", loss))
        y = np.asarray(y)
        if loss_name == "categorical_crossentropy" and y.ndim != 2:
            y = to_categorical(y)
        fit_args = copy.deepcopy(self.filter_sk_params(Sequential.fit))
        fit_args.update(kwargs)
        return self.model.fit(np.asarray(x), y, **fit_args)


class KerasClassifier(ClassifierMixin, BaseWrapper):
    """Keras 2's classifier wrapper: labels of any values (`classes_`), `predict` gives them back."""

    def fit(self, x, y, sample_weight=None, **kwargs):
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] > 1:
            self.classes_ = np.arange(y.shape[1])
        elif (y.ndim == 2 and y.shape[1] == 1) or y.ndim == 1:
            self.classes_ = np.unique(y)
            y = np.searchsorted(self.classes_, y)
        else:
            raise ValueError(f"Invalid shape for y: {y.shape}; expected labels (n,) or (n, 1), or one-hot (n, classes).")
        self.n_classes_ = len(self.classes_)
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return super().fit(x, y, **kwargs)

    def predict(self, x, **kwargs):
        """The predicted class labels (from `classes_`)."""
        from nanokeras.models import Sequential

        kwargs = self.filter_sk_params(Sequential.predict, kwargs)
        proba = self.model.predict(np.asarray(x), **kwargs)
        classes = proba.argmax(axis=-1) if proba.shape[-1] > 1 else (proba > 0.5).astype("int32")
        return self.classes_[classes]

    def predict_proba(self, x, **kwargs):
        """Class probabilities, one column per class (two for a single sigmoid output)."""
        from nanokeras.models import Sequential

        kwargs = self.filter_sk_params(Sequential.predict, kwargs)
        probs = self.model.predict(np.asarray(x), **kwargs)
        if probs.shape[1] == 1:
            probs = np.hstack([1 - probs, probs])
        return probs

    def score(self, x, y, **kwargs):
        """The model's accuracy on `x`, `y` (it must be compiled with `metrics=['accuracy']`)."""
        from nanokeras.models import Sequential
        from nanokeras.utils import to_categorical

        y = np.searchsorted(self.classes_, np.asarray(y))
        kwargs = self.filter_sk_params(Sequential.evaluate, kwargs)
        loss = self.model.loss
        if getattr(loss, "__name__", loss) == "categorical_crossentropy" and y.ndim != 2:
            y = to_categorical(y)
        logs = self.model.evaluate(np.asarray(x), y, return_dict=True, **kwargs)
        for name in ("accuracy", "acc"):
            if name in logs:
                return logs[name]
        raise ValueError("The model is not configured to compute accuracy. You should pass "
                         "`metrics=['accuracy']` to the `model.compile()` method.")


class KerasRegressor(RegressorMixin, BaseWrapper):
    """Keras 2's regressor wrapper: `score` is minus the loss."""

    def predict(self, x, **kwargs):
        from nanokeras.models import Sequential

        kwargs = self.filter_sk_params(Sequential.predict, kwargs)
        return np.squeeze(self.model.predict(np.asarray(x), **kwargs))

    def score(self, x, y, **kwargs):
        from nanokeras.models import Sequential

        kwargs = self.filter_sk_params(Sequential.evaluate, kwargs)
        loss = self.model.evaluate(np.asarray(x), np.asarray(y), **kwargs)
        return -loss[0] if isinstance(loss, list) else -loss
