"""`keras.wrappers`: Keras models as scikit-learn estimators (needs `scikit-learn`).

`SKLearnClassifier`, `SKLearnRegressor` and `SKLearnTransformer` are Keras 3's wrappers;
`keras.wrappers.scikit_learn.KerasClassifier`/`KerasRegressor` are Keras 2's (`build_fn=`).
scikit-learn is imported when this package is, never by `import nanokeras`.
"""

from nanokeras.wrappers.sklearn_wrapper import SKLearnClassifier, SKLearnRegressor, SKLearnTransformer

__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]
