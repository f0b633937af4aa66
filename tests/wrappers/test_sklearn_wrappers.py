"""keras.wrappers: Keras 3's SKLearn* estimators and Keras 2's KerasClassifier/KerasRegressor."""

import importlib
import sys
import warnings

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.utils import keras2_notes
from tests.utils.keras2_helpers import fresh_notes, recorded_notes, strict_keras3  # noqa: F401

sklearn = pytest.importorskip("sklearn", reason="scikit-learn (the `examples` extra) runs these wrappers")
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402


def _data(n=48, features=5, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    return x, (x[:, 0] + x[:, 1] > 0).astype("int64")


def _classifier(X, y, units=6):
    model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(units, activation="relu"),
                              keras.layers.Dense(y.shape[1], activation="softmax")])
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    return model


def _regressor(X, y):
    model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.05), "mse")
    return model


FIT = {"epochs": 3, "batch_size": 8, "verbose": 0}


def test_classifier_one_hot_encodes_and_gives_labels_back():
    x, y = _data()
    labels = np.array(["cat", "dog"])[y]
    est = keras.wrappers.SKLearnClassifier(_classifier, model_kwargs={"units": 3}, fit_kwargs=FIT)
    assert est.fit(x, labels) is est
    assert est.classes_.tolist() == ["cat", "dog"]
    assert est.model_.layers[0].units == 3 and est.model_.output_shape == (None, 2)
    predicted = est.predict(x)
    assert predicted.shape == (48,) and set(predicted) <= {"cat", "dog"}
    scores = est.decision_function(x)
    assert scores.shape == (48, 2)
    np.testing.assert_array_equal(predicted, est.classes_[scores.argmax(axis=1)])
    assert est.score(x, labels) == pytest.approx(np.mean(predicted == labels))
    assert est.epoch_ == 3 and len(est.history_.history["loss"]) == 3


def test_classifier_in_cross_validation_and_grid_search():
    x, y = _data()
    est = keras.wrappers.SKLearnClassifier(_classifier, fit_kwargs=FIT)
    scores = cross_val_score(est, x, y, cv=3)
    assert scores.shape == (3,) and np.all((0 <= scores) & (scores <= 1))
    search = GridSearchCV(est, {"model_kwargs": [{"units": 2}, {"units": 4}]}, cv=2).fit(x, y)
    assert search.best_params_["model_kwargs"]["units"] in (2, 4)


def test_a_compiled_model_is_cloned_unless_warm_start():
    x, y = _data()
    model = _classifier(x, keras.utils.to_categorical(y))
    est = keras.wrappers.SKLearnClassifier(model, fit_kwargs=FIT).fit(x, y)
    assert est.model_ is not model and est.model_.compiled
    first = est.model_
    est.fit(x, y)
    assert est.model_ is not first
    warm = keras.wrappers.SKLearnClassifier(model, warm_start=True, fit_kwargs=FIT).fit(x, y)
    kept = warm.model_
    weights = [w.copy() for w in kept.get_weights()]
    warm.fit(x, y)
    assert warm.model_ is kept
    assert any(not np.array_equal(a, b) for a, b in zip(weights, kept.get_weights()))


def test_classifier_refuses_what_it_cannot_learn():
    x, y = _data()
    uncompiled = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2)])
    with pytest.raises(RuntimeError, match="must be compiled"):
        keras.wrappers.SKLearnClassifier(uncompiled).fit(x, y)
    with pytest.raises(ValueError, match="only one class"):
        keras.wrappers.SKLearnClassifier(_classifier, fit_kwargs=FIT).fit(x, np.zeros(48, "int64"))
    with pytest.raises(ValueError, match="binary and multiclass"):
        keras.wrappers.SKLearnClassifier(_classifier, fit_kwargs=FIT).fit(x, np.linspace(0, 1, 48))


def test_regressor_and_transformer():
    x, _ = _data()
    target = x @ np.array([1.0, -2.0, 0.5, 0.0, 1.0], "float32")
    reg = keras.wrappers.SKLearnRegressor(_regressor, fit_kwargs={"epochs": 30, "verbose": 0}).fit(x, target)
    assert reg.predict(x).shape == (48,)
    assert reg.score(x, target) > 0.5  # R²: the linear target is learnable
    embed = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3)])
    embed.compile("adam", "mse")
    transformer = keras.wrappers.SKLearnTransformer(embed, fit_kwargs={"verbose": 0})
    pipe = make_pipeline(transformer, sklearn.linear_model.LogisticRegression())
    pipe.fit(x, (target > 0).astype(int))
    assert transformer.transform(x).shape == (48, 3)


def test_without_scikit_learn_the_wrappers_say_what_to_install(monkeypatch):
    from nanokeras.wrappers import sklearn_wrapper

    monkeypatch.setattr(sklearn_wrapper, "sklearn", None)
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        keras.wrappers.SKLearnClassifier(_classifier)


# ------------------------------------------------------------------------- Keras 2
def _create_model(optimizer="adam", units=8):
    model = keras.Sequential()
    model.add(keras.layers.Dense(units, input_dim=5, activation="relu"))
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(loss="binary_crossentropy", optimizer=optimizer, metrics=["accuracy"])
    return model


def _keras2_wrappers():
    sys.modules.pop("nanokeras.wrappers.scikit_learn", None)
    return importlib.import_module("nanokeras.wrappers.scikit_learn")


def test_keras2_classifier_as_tutorials_use_it(fresh_notes):
    with recorded_notes() as notes:
        scikit_learn = _keras2_wrappers()
    assert len(notes) == 1 and keras2_notes.IDIOMS["scikit_learn_wrappers"].since in notes[0]
    x, y = _data()
    clf = scikit_learn.KerasClassifier(build_fn=_create_model, epochs=2, batch_size=8, verbose=0)
    assert cross_val_score(clf, x, y, cv=3).shape == (3,)
    grid = GridSearchCV(clf, {"optimizer": ["sgd", "adam"], "units": [2, 4]}, cv=2).fit(x, y)
    assert set(grid.best_params_) == {"optimizer", "units"}
    labels = np.where(y == 1, "yes", "no")
    clf.fit(x, labels)
    assert clf.classes_.tolist() == ["no", "yes"] and clf.n_classes_ == 2
    assert set(clf.predict(x).ravel()) <= {"no", "yes"}
    proba = clf.predict_proba(x)
    assert proba.shape == (48, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert 0.0 <= clf.score(x, labels) <= 1.0


def test_keras2_classifier_checks_its_parameters(fresh_notes):
    with recorded_notes():
        scikit_learn = _keras2_wrappers()
    with pytest.raises(ValueError, match="not a legal parameter"):
        scikit_learn.KerasClassifier(build_fn=_create_model, epoch=3)
    with pytest.raises(ValueError, match="use `epochs`"):
        scikit_learn.KerasClassifier(build_fn=_create_model, nb_epoch=3)
    clf = scikit_learn.KerasClassifier(build_fn=_create_model, verbose=0)
    assert clf.get_params()["build_fn"] is _create_model
    clf.set_params(units=3, epochs=1)
    assert clf.sk_params == {"verbose": 0, "units": 3, "epochs": 1}
    x, y = _data()
    clf.fit(x, y)
    assert clf.model.layers[0].units == 3

    def no_accuracy():
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy")
        return model

    bare = scikit_learn.KerasClassifier(build_fn=no_accuracy, epochs=1, verbose=0)
    bare.fit(x, y)
    with pytest.raises(ValueError, match=r"metrics=\['accuracy'\]"):
        bare.score(x, y)


def test_keras2_classifier_one_hot_for_categorical_crossentropy(fresh_notes):
    with recorded_notes():
        scikit_learn = _keras2_wrappers()

    def softmax_model():
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        return model

    x, _ = _data()
    y = np.arange(48) % 3
    clf = scikit_learn.KerasClassifier(build_fn=softmax_model, epochs=1, verbose=0)
    clf.fit(x, y)
    assert clf.predict_proba(x).shape == (48, 3)
    assert set(clf.predict(x).ravel()) <= {0, 1, 2}
    assert 0.0 <= clf.score(x, y) <= 1.0


def test_keras2_regressor_scores_minus_the_loss(fresh_notes):
    with recorded_notes():
        scikit_learn = _keras2_wrappers()
    x, _ = _data()
    target = x[:, 0] * 2.0

    def build():
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        return model

    reg = scikit_learn.KerasRegressor(build_fn=build, epochs=2, batch_size=8, verbose=0)
    reg.fit(x, target)
    assert reg.predict(x).shape == (48,)
    assert reg.score(x, target) == pytest.approx(-reg.model.evaluate(x, target, verbose=0), rel=1e-6)


def test_keras2_wrappers_refused_in_strict_mode(fresh_notes):
    with strict_keras3(), pytest.raises(ValueError, match="SKLearnClassifier"):
        _keras2_wrappers()
    sys.modules.pop("nanokeras.wrappers.scikit_learn", None)


def test_regressor_in_a_pipeline_scores_in_cross_validation():
    # machinelearningmastery's regression tutorial: StandardScaler + KerasRegressor in a Pipeline.
    from sklearn.model_selection import KFold, cross_val_score
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from nanokeras.wrappers.scikit_learn import KerasRegressor

    def baseline_model():
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
        model.compile(loss="mean_squared_error", optimizer="adam")
        return model

    rng = np.random.default_rng(0)
    x = rng.random((18, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline = Pipeline([("standardize", StandardScaler()),
                             ("mlp", KerasRegressor(build_fn=baseline_model, epochs=1, batch_size=6, verbose=0))])
        scores = cross_val_score(pipeline, x, x.sum(axis=1), cv=KFold(n_splits=3), error_score="raise")
        assert scores.shape == (3,) and np.all(np.isfinite(scores)) and np.all(scores < 0)  # minus the MSE
        unfitted = KerasRegressor(build_fn=baseline_model)
        from sklearn.utils.validation import check_is_fitted
        with pytest.raises(Exception, match="not fitted"):
            check_is_fitted(unfitted)
