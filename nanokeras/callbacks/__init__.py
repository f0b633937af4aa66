"""`keras.callbacks`: hooks into training."""

from nanokeras.callbacks.callback import Callback
from nanokeras.callbacks.callback_list import CallbackList
from nanokeras.callbacks.history import History
from nanokeras.callbacks.progbar_logger import ProgbarLogger
