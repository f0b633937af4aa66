"""`keras.callbacks`: hooks into training."""

from nanokeras.callbacks.backup_and_restore import BackupAndRestore
from nanokeras.callbacks.callback import Callback
from nanokeras.callbacks.callback_list import CallbackList
from nanokeras.callbacks.csv_logger import CSVLogger
from nanokeras.callbacks.early_stopping import EarlyStopping
from nanokeras.callbacks.history import History
from nanokeras.callbacks.lambda_callback import LambdaCallback
from nanokeras.callbacks.learning_rate_scheduler import LearningRateScheduler
from nanokeras.callbacks.model_checkpoint import ModelCheckpoint
from nanokeras.callbacks.monitor_callback import MonitorCallback
from nanokeras.callbacks.progbar_logger import ProgbarLogger
from nanokeras.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from nanokeras.callbacks.remote_monitor import RemoteMonitor
from nanokeras.callbacks.swap_ema_weights import SwapEMAWeights
from nanokeras.callbacks.tensorboard import TensorBoard
from nanokeras.callbacks.terminate_on_nan import TerminateOnNaN

# What `from keras.callbacks import *` gives: the callbacks, not their modules (`history`, ...).
__all__ = sorted(
    {_n for _n, _v in globals().items() if not _n.startswith("_") and type(_v).__name__ != "module"}
    - {"MonitorCallback"}  # the base of the monitoring callbacks, not in Keras's namespace
)
