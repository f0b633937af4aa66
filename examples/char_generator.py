"""A character-level GRU that learns to write like the opening of *Alice's Adventures in Wonderland*.

The text (Lewis Carroll, 1865, public domain) is kept in examples/data. The
model reads 40 characters and predicts the next one; sampling then writes new
text one character at a time, with a *temperature*: low values pick the likely
characters (safe, repetitive), high values take more risks (varied, misspelt).

    python examples/char_generator.py

Runs the same with real Keras 3: replace the import by `import keras`.
"""

import os

import numpy as np

import nanokeras as keras

TEXT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "alice_chapter1.txt")
WINDOW = 40


def load_text(path=TEXT):
    with open(path, encoding="utf-8") as f:
        return " ".join(f.read().split())  # one line: paragraph breaks become spaces


def make_windows(text, characters, step=2):
    """Every `step`-th window of WINDOW characters (as ids) and the character that follows it."""
    ids = np.array([characters.index(c) for c in text])
    starts = np.arange(0, len(ids) - WINDOW, step)
    return ids[starts[:, None] + np.arange(WINDOW)], ids[starts + WINDOW]


def build(vocabulary_size):
    model = keras.Sequential([
        keras.Input(shape=(WINDOW,), dtype="int32"),
        keras.layers.Embedding(vocabulary_size, 24),
        keras.layers.GRU(128),
        keras.layers.Dense(vocabulary_size, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def sample(probabilities, temperature, rng):
    """One character id drawn from `probabilities` sharpened (T < 1) or flattened (T > 1)."""
    logits = np.log(np.maximum(probabilities, 1e-9)) / temperature
    p = np.exp(logits - logits.max())
    return int(rng.choice(len(p), p=p / p.sum()))


def generate(model, characters, seed_text, length=200, temperature=0.5, seed=0):
    rng = np.random.default_rng(seed)
    window = [characters.index(c) for c in seed_text[-WINDOW:]]
    out = []
    for _ in range(length):
        probabilities = model.predict(np.array([window]), verbose=0)[0]
        next_id = sample(probabilities, temperature, rng)
        out.append(characters[next_id])
        window = window[1:] + [next_id]
    return "".join(out)


def train(epochs=15, seed=0, verbose=0):
    """Returns `(model, characters, history)`."""
    keras.utils.set_random_seed(seed)
    text = load_text()
    characters = sorted(set(text))
    x, y = make_windows(text, characters)
    model = build(len(characters))
    history = model.fit(x, y, batch_size=64, epochs=epochs, verbose=verbose)
    return model, characters, history


def main():
    model, characters, history = train(verbose=2)
    text = load_text()
    seed_text = text[:WINDOW]
    print(f"\nseed: {seed_text!r}")
    for temperature in (0.2, 0.5, 1.0):
        print(f"\ntemperature {temperature}:\n{seed_text}{generate(model, characters, seed_text, 160, temperature)}")


if __name__ == "__main__":
    main()
