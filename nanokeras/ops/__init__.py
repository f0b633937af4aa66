"""`keras.ops`: differentiable tensor operations on numpy arrays.

Outside a `GradientTape` they return numpy arrays and cost what numpy costs;
inside one they record themselves so gradients can be computed.
"""

from nanokeras.ops.numpy import *  # noqa: F401,F403
from nanokeras.ops.math import *  # noqa: F401,F403
from nanokeras.ops.nn import *  # noqa: F401,F403
from nanokeras.ops.core import *  # noqa: F401,F403
from nanokeras.ops.crossentropy import *  # noqa: F401,F403
