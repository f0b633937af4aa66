"""`keras.mixed_precision`: the dtype-policy functions under the names mixed-precision
tutorials use (`set_global_policy("mixed_float16")`), and `LossScaleOptimizer`.

nanokeras accepts the mixed policies and reports what Keras reports, but computes in float32
(numpy gains no speed from half precision): see `nanokeras/backend/dtype_policy.py`.

Example:
    >>> import nanokeras as keras
    >>> keras.mixed_precision.set_global_policy("mixed_float16")
    >>> keras.mixed_precision.global_policy()
    <DTypePolicy "mixed_float16">
    >>> keras.mixed_precision.set_global_policy("float32")
"""

from nanokeras.backend.dtype_policy import DTypePolicy, dtype_policy, set_dtype_policy
from nanokeras.optimizers.loss_scale_optimizer import LossScaleOptimizer

# Keras 3 keeps both spellings: `Policy`/`global_policy`/`set_global_policy` are TF 2's.
Policy = DTypePolicy
global_policy = dtype_policy
set_global_policy = set_dtype_policy

__all__ = ["DTypePolicy", "LossScaleOptimizer", "Policy", "dtype_policy", "global_policy",
           "set_dtype_policy", "set_global_policy"]
