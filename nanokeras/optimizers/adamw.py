"""`AdamW`: Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

Example:
    >>> from nanokeras.optimizers import AdamW
    >>> AdamW().weight_decay
    0.004
"""

from nanokeras.optimizers.adam import Adam


class AdamW(Adam):
    """Adam plus `w -= w * weight_decay * lr` before each update.

    Args:
        learning_rate: float or schedule, default 0.001.
        weight_decay: default 0.004 (must not be None).
        beta_1, beta_2, epsilon, amsgrad: as in `Adam`.
        **kwargs: the common arguments of `Optimizer`.

    Example:
        >>> from nanokeras.optimizers import AdamW
        >>> opt = AdamW(learning_rate=1e-3, weight_decay=1e-2)
        >>> opt.exclude_from_weight_decay(var_names=["bias"])
    """

    _packable_update = True  # elementwise: runs on all weights packed in one array

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        if weight_decay is None:
            raise ValueError(
                "Argument `weight_decay` must be a float. Received: weight_decay=None "
                "(use `Adam` for no weight decay)."
            )
        super().__init__(
            learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
            amsgrad=amsgrad, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
