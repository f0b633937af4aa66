"""Keras 3's scikit-learn wrappers: a compiled model (or a function building one) as an estimator.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> def build(X, y):
    ...     model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(y.shape[1], activation="softmax")])
    ...     model.compile("adam", "categorical_crossentropy")
    ...     return model
    >>> X, y = np.random.default_rng(0).normal(size=(20, 3)), np.array([0, 1] * 10)
    >>> est = keras.wrappers.SKLearnClassifier(build, fit_kwargs={"epochs": 2, "verbose": 0}).fit(X, y)
    >>> est.predict(X[:4]).shape, est.classes_.tolist()
    ((4,), [0, 1])
"""

import copy

import numpy as np

try:
    import sklearn
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
except ImportError:  # the classes exist; making one says what to install
    sklearn = None

    class BaseEstimator:
        pass

    class ClassifierMixin:
        pass

    class RegressorMixin:
        pass

    class TransformerMixin:
        pass


def require_sklearn(name):
    if sklearn is None:
        raise ImportError(f"{name} needs scikit-learn: pip install scikit-learn "
                          "(or nanokeras's `examples` extra).")


def _validate(estimator, *args, **kwargs):
    """sklearn's data validation (`validate_data` from 1.6, the estimator method before)."""
    try:
        from sklearn.utils.validation import validate_data
    except ImportError:
        return estimator._validate_data(*args, **kwargs)
    return validate_data(estimator, *args, **kwargs)


def _check_compiled(model):
    if not getattr(model, "compiled", False) or not model.loss or not model.optimizer:
        raise RuntimeError("The model given to the scikit-learn wrapper must be compiled, with a loss "
                           "and an optimizer: call `model.compile(optimizer, loss)` before wrapping it "
                           "(or return a compiled model from the function).")


class _TargetReshaper(TransformerMixin, BaseEstimator):
    """1-D targets as one column for the model, and its 1-column outputs back to 1-D."""

    def fit(self, y):
        self.ndim_ = y.ndim
        return self

    def transform(self, y):
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def inverse_transform(self, y):
        return np.squeeze(y, axis=1) if self.ndim_ == 1 and y.ndim == 2 else y


class SKLBase(BaseEstimator):
    """What the three wrappers share.

    Args:
        model: a compiled `keras.Model` (cloned, with its compile settings, at each `fit`
            unless `warm_start`), or a function `model(X=..., y=..., **model_kwargs)`
            returning a compiled model.
        warm_start: reuse the fitted model (and its weights) on the next `fit`.
        model_kwargs: more keyword arguments for `model` when it is a function.
        fit_kwargs: keyword arguments for `model.fit` (those given to `fit` win).

    Attributes:
        model_: the fitted model. history_: the `History` its `fit` returned.
    """

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        require_sklearn(type(self).__name__)
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def __sklearn_clone__(self):
        model = self.model if callable(self.model) and not hasattr(self.model, "fit") else copy.deepcopy(self.model)
        return type(self)(model=model, warm_start=self.warm_start, model_kwargs=self.model_kwargs,
                          fit_kwargs=self.fit_kwargs)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    def _more_tags(self):  # scikit-learn before 1.6
        return {"non_deterministic": True}

    @property
    def epoch_(self):
        """The number of epochs the last `fit` ran."""
        history = getattr(self, "history_", None)
        return len(history.epoch) if history is not None else 0

    def _get_model(self, X, y):
        from nanokeras.models import Model
        from nanokeras.models import clone_model

        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        if isinstance(self.model, Model):
            return clone_model(self.model)
        if not callable(self.model):
            raise TypeError(f"`model` must be a compiled keras Model or a function returning one, got {self.model!r}.")
        return self.model(X=X, y=y, **(self.model_kwargs or {}))

    def fit(self, X, y, **kwargs):
        """Trains a fresh model (see `warm_start`) on `X`, `y`; `kwargs` go to `model.fit`."""
        X, y = _validate(self, X, y)
        y = self._process_target(y, reset=True)
        model = self._get_model(X, y)
        _check_compiled(model)
        fit_kwargs = dict(self.fit_kwargs or {})
        fit_kwargs.update(kwargs)
        self.history_ = model.fit(X, y, **fit_kwargs)
        self.model_ = model
        return self

    def predict(self, X):
        """The fitted model's predictions, in the targets' original form."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = _validate(self, X, reset=False)
        return self._reverse_process_target(self.model_.predict(X, verbose=0))

    def _process_target(self, y, reset=False):
        from sklearn.utils.multiclass import type_of_target

        if type_of_target(y) == "unknown":
            raise ValueError(f"Unknown label type for y: {y!r}")
        if reset:
            self._target_encoder = _TargetReshaper().fit(y)
        return self._target_encoder.transform(y)

    def _reverse_process_target(self, y):
        return self._target_encoder.inverse_transform(y)


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """A Keras classifier as a scikit-learn estimator: labels are one-hot encoded for the model
    (so it ends in one softmax unit per class), and `predict` gives labels back.

    Attributes:
        classes_: the class labels seen by `fit`.
    """

    def decision_function(self, X):
        """The model's raw outputs (one column per class)."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = _validate(self, X, reset=False)
        return self.model_.predict(X, verbose=0)

    def _process_target(self, y, reset=False):
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import OneHotEncoder
        from sklearn.utils.multiclass import type_of_target

        target_type = type_of_target(y)
        if target_type not in ("binary", "multiclass"):
            raise ValueError(f"Only binary and multiclass target types are supported. Target type: {target_type}")
        if reset:
            self._target_encoder = make_pipeline(_TargetReshaper(), OneHotEncoder(sparse_output=False)).fit(y)
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError("Classifier can't train when only one class is present.")
        return self._target_encoder.transform(y)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags

    def _more_tags(self):
        return {"poor_score": True, "non_deterministic": True}


class SKLearnRegressor(RegressorMixin, SKLBase):
    """A Keras regressor as a scikit-learn estimator (`score` is R²)."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags

    def _more_tags(self):
        return {"poor_score": True, "non_deterministic": True}


class SKLearnTransformer(TransformerMixin, SKLBase):
    """A Keras model as a scikit-learn transformer: `transform(X)` is the model's output
    (an embedding step in a pipeline, say)."""

    def transform(self, X):
        """The fitted model's outputs for `X`."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = _validate(self, X, reset=False)
        return self.model_.predict(X, verbose=0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags

    def _more_tags(self):
        return {"preserves_dtype": [], "non_deterministic": True}
