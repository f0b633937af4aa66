"""Sentiment of short movie reviews: TextVectorization -> Embedding -> Bidirectional LSTM -> Dense.

The corpus (examples/data/movie_reviews.tsv, 900 sentences) is kept in the repo.
Negations ("not funny") flip a sentence's sentiment, so word order matters: a
bag of words cannot read them, a recurrent layer can. Padding is masked
(`mask_zero=True`), so short and long sentences are read alike.

    python examples/text_classifier.py

Runs the same with real Keras 3: replace the import by `import keras` (on
JAX/PyTorch, Keras's TextVectorization then needs TensorFlow installed).
"""

import os

import numpy as np

import nanokeras as keras

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "movie_reviews.tsv")


def load_reviews(path=DATA):
    """`(texts, labels)`: the sentences and 1 for positive, 0 for negative."""
    texts, labels = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            label, text = line.rstrip("\n").split("\t")
            texts.append(text)
            labels.append(1 if label == "positive" else 0)
    return np.array(texts), np.array(labels, dtype="float32")


def train(epochs=12, seed=0, verbose=0):
    """Trains the classifier; returns `(model that reads text, test accuracy)`."""
    keras.utils.set_random_seed(seed)
    texts, labels = load_reviews()
    split = int(len(texts) * 0.8)
    train_texts, test_texts = texts[:split], texts[split:]
    train_labels, test_labels = labels[:split], labels[split:]

    vectorize = keras.layers.TextVectorization(max_tokens=2000, output_sequence_length=20)
    vectorize.adapt(train_texts)

    model = keras.Sequential([
        keras.Input(shape=(20,), dtype="int64"),
        keras.layers.Embedding(vectorize.vocabulary_size(), 32, mask_zero=True),
        keras.layers.Bidirectional(keras.layers.LSTM(24)),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(vectorize(train_texts), train_labels, batch_size=32, epochs=epochs,
              validation_split=0.1, verbose=verbose)
    _, accuracy = model.evaluate(vectorize(test_texts), test_labels, verbose=0)

    # One model from raw text to probability, for predictions on new sentences.
    inputs = keras.Input(shape=(1,), dtype="string")
    end_to_end = keras.Model(inputs, model(vectorize(inputs)))
    return end_to_end, accuracy


def main():
    model, accuracy = train(verbose=2)
    print(f"test accuracy: {accuracy:.3f}")
    sentences = ["the acting was wonderful", "the plot was not clever", "the ending was not boring at all",
                 "honestly, the script felt lazy", "what a truly stunning film!"]
    probabilities = model.predict(np.array(sentences), verbose=0)[:, 0]
    for sentence, p in zip(sentences, probabilities):
        print(f"{p:5.2f}  {'positive' if p > 0.5 else 'negative':8s}  {sentence}")


if __name__ == "__main__":
    main()
