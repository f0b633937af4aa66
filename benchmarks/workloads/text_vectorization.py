"""(i) `TextVectorization.adapt` then vectorizing the same 100,000 short sentences.

Sentences of 4 to 12 words drawn from 5,000 made-up words (some capitalised, some
with punctuation), `TextVectorization(max_tokens=20000, output_sequence_length=16)`
with the default standardization and split. Reports sentences/s of `adapt(texts)`
followed by `layer(texts)` on the whole array. Keras needs TensorFlow for this layer,
so its peer runs on the TensorFlow backend.
"""

import time

from common import import_keras

TITLE = "(i) TextVectorization"
LIBRARIES = ("nanokeras", "keras-tensorflow")
METRICS = (("tv_sentences_per_s", "(i) TextVectorization adapt + call, 100k sentences", "sentences/s", "higher"),)
SENTENCES = 100_000


def sentences(n=SENTENCES):
    import numpy as np

    rng = np.random.default_rng(0)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    words = ["".join(rng.choice(letters, size=rng.integers(2, 9))) for _ in range(5000)]
    words = [w.capitalize() if i % 7 == 0 else w + ("," if i % 11 == 0 else "") for i, w in enumerate(words)]
    frequencies = 1.0 / np.arange(1, len(words) + 1)  # Zipf-like, as text is
    frequencies /= frequencies.sum()
    lengths = rng.integers(4, 13, size=n)
    picks = rng.choice(len(words), size=int(lengths.sum()), p=frequencies)
    out, start = [], 0
    for length in lengths:
        out.append(" ".join(words[i] for i in picks[start:start + length]) + ".")
        start += length
    return np.array(out)


def run(library):
    texts = sentences()
    keras = import_keras(library)
    warm = keras.layers.TextVectorization(max_tokens=200, output_sequence_length=16)
    warm.adapt(texts[:1000])
    warm(texts[:1000])
    start = time.perf_counter()
    layer = keras.layers.TextVectorization(max_tokens=20000, output_sequence_length=16)
    layer.adapt(texts)
    layer(texts)
    return {"tv_sentences_per_s": len(texts) / (time.perf_counter() - start)}
