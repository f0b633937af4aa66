"""A tiny decoder-only transformer that learns to repeat what it saw three tokens ago.

Each sequence is 12 random digits; at every position the model must output the
digit from three positions earlier (0 before that). Nothing in a token says
where it is: the position embeddings carry that, and causal self-attention
(`use_causal_mask=True`: a position sees only itself and the past) learns to
look exactly three steps back.

    python examples/tiny_transformer.py

Runs the same with real Keras 3: replace the import by `import keras`.
"""

import numpy as np

import nanokeras as keras

LENGTH, VOCABULARY, DELAY = 12, 10, 3


def make_data(count, seed):
    """Digits 1..9 as inputs; targets: the input shifted right by DELAY (0 where there is nothing)."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, VOCABULARY, size=(count, LENGTH)).astype("int32")
    y = np.zeros_like(x)
    y[:, DELAY:] = x[:, :-DELAY]
    return x, y


class TokenAndPositionEmbedding(keras.layers.Layer):
    """The sum of a token's embedding and its position's embedding (as keras.io's transformer example)."""

    def __init__(self, length, vocabulary, dim, **kwargs):
        super().__init__(**kwargs)
        self.tokens = keras.layers.Embedding(vocabulary, dim)
        self.positions = keras.layers.Embedding(length, dim)
        self.length, self.vocabulary, self.dim = length, vocabulary, dim

    def call(self, x):
        positions = keras.ops.arange(0, keras.ops.shape(x)[-1], 1)
        return self.tokens(x) + self.positions(positions)

    def get_config(self):
        return {**super().get_config(), "length": self.length, "vocabulary": self.vocabulary, "dim": self.dim}


def build(dim=32, heads=2):
    inputs = keras.Input(shape=(LENGTH,), dtype="int32")
    x = TokenAndPositionEmbedding(LENGTH, VOCABULARY, dim)(inputs)
    attended = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)(x, x, use_causal_mask=True)
    x = keras.layers.LayerNormalization()(x + attended)
    feed_forward = keras.layers.Dense(dim)(keras.layers.Dense(2 * dim, activation="relu")(x))
    x = keras.layers.LayerNormalization()(x + feed_forward)
    outputs = keras.layers.Dense(VOCABULARY, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.005), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def train(epochs=12, seed=0, verbose=0):
    """Returns `(model, test accuracy)`."""
    keras.utils.set_random_seed(seed)
    x, y = make_data(3000, seed=1)
    x_test, y_test = make_data(500, seed=2)
    model = build()
    model.fit(x, y, batch_size=64, epochs=epochs, validation_split=0.1, verbose=verbose)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    return model, accuracy


def main():
    model, accuracy = train(verbose=2)
    print(f"test accuracy: {accuracy:.3f}")
    x, y = make_data(3, seed=3)
    predicted = model.predict(x, verbose=0).argmax(axis=-1)
    for row, target, guess in zip(x, y, predicted):
        print("input    ", " ".join(map(str, row)))
        print("expected ", " ".join(map(str, target)))
        print("predicted", " ".join(map(str, guess)), "\n")


if __name__ == "__main__":
    main()
