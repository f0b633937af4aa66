"""The nanokeras playground: watch a Keras model learn, live, in the browser.

From a shell, `python -m nanokeras.playground` (or `nanokeras-playground`) opens a
page where you pick a dataset and a network, press Train, and watch a real `fit`
move the decision boundary, each hidden unit and the loss curves; the code panel
always shows the Keras program for what you see.

From Python, `show(model, x, y)` opens the same page on your own compiled model,
and `save_png(...)` draws the boundary and curves into a PNG file without a browser.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> from nanokeras import playground
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    >>> model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    >>> x = np.random.default_rng(0).normal(size=(40, 2)).astype("float32")
    >>> server = playground.show(model, x, (x[:, 0] > 0).astype("int32"), open_browser=False, block=False)
    nanokeras playground: http://127.0.0.1:.../
    >>> server.stop()
"""

from nanokeras.playground.render import save_png
from nanokeras.playground.show import serve, show

__all__ = ["show", "serve", "save_png"]
