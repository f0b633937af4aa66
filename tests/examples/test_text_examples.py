"""The text and sequence examples reach their numbers: sentiment >= 0.9, transformer >= 0.95, the generator learns."""

import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "examples"))

import char_generator  # noqa: E402
import text_classifier  # noqa: E402
import tiny_transformer  # noqa: E402


def test_text_classifier_reaches_090_and_reads_raw_text():
    model, accuracy = text_classifier.train(epochs=6)
    assert accuracy >= 0.9
    probabilities = model.predict(np.array(["the acting was wonderful", "the script felt lazy"]), verbose=0)[:, 0]
    assert probabilities[0] > 0.5 > probabilities[1]


def test_tiny_transformer_reaches_095_and_prints_its_predictions(capsys):
    tiny_transformer.main()
    printed = capsys.readouterr().out
    accuracy = float(printed.split("test accuracy: ")[1].split()[0])
    assert accuracy >= 0.95 and printed.count("predicted") == 3


def test_char_generator_learns_and_samples_with_a_temperature():
    model, characters, history = char_generator.train(epochs=3)
    assert history.history["loss"][-1] < 0.8 * history.history["loss"][0]
    seed = char_generator.load_text()[:char_generator.WINDOW]
    cold = char_generator.generate(model, characters, seed, length=40, temperature=0.1, seed=1)
    hot = char_generator.generate(model, characters, seed, length=40, temperature=2.0, seed=1)
    assert len(cold) == len(hot) == 40 and set(cold + hot) <= set(characters)
    assert len(set(hot)) >= len(set(cold))  # a high temperature spreads the choices
