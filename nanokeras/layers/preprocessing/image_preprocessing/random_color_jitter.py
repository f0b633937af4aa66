"""`RandomColorJitter`: while training, random brightness, contrast, saturation and hue, in that order."""

import functools

from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    apply_in_turn,
)
from nanokeras.layers.preprocessing.image_preprocessing.random_brightness import RandomBrightness
from nanokeras.layers.preprocessing.image_preprocessing.random_contrast import RandomContrast
from nanokeras.layers.preprocessing.image_preprocessing.random_hue import RandomHue
from nanokeras.layers.preprocessing.image_preprocessing.random_saturation import RandomSaturation

_STEPS = (("brightness_factor", RandomBrightness), ("contrast_factor", RandomContrast),
          ("saturation_factor", RandomSaturation), ("hue_factor", RandomHue))


class RandomColorJitter(BaseImagePreprocessingLayer):
    """Applies, in this order, `RandomBrightness`, `RandomContrast`, `RandomSaturation` and `RandomHue`
    with the factors given (a step whose factor is None is skipped), all on `value_range`.
    Each factor reads as that layer's `factor` does.

    Args:
        value_range: the images' range.
        brightness_factor, contrast_factor, saturation_factor, hue_factor: the steps' factors, or None.
        seed: an int for reproducible draws.
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.RandomColorJitter(brightness_factor=(0.1, 0.1), saturation_factor=(0.0, 0.0))
        >>> layer(np.array([[[[100.0, 50.0, 0.0]]]], "float32"))[0, 0, 0].tolist()  # + 25.5, then gray
        [125.5, 125.5, 125.5]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None, saturation_factor=None,
                 hue_factor=None, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        check_value_range("RandomColorJitter", value_range)
        self.value_range = value_range  # kept as given, as Keras's config keeps it
        self._set_seed(seed)
        self.brightness_factor, self.contrast_factor = brightness_factor, contrast_factor
        self.saturation_factor, self.hue_factor = saturation_factor, hue_factor
        self._steps = []
        for argument, layer_class in _STEPS:
            factor = getattr(self, argument)
            if factor is None:
                continue
            # The step checks its factor (its error then names this layer's argument); its images' layout
            # is this layer's (Keras leaves the steps on the default layout).
            try:
                step = layer_class(factor=factor, value_range=value_range, seed=seed, data_format=self.data_format)
            except ValueError as error:
                raise ValueError(f"RandomColorJitter: invalid `{argument}` ({error})") from None
            step._noise = self._noise  # one random stream for the four draws, as Keras's one seed generator
            self._steps.append(step)

    def get_random_transformation(self, data, training=True, seed=None):
        return {"steps": [step.get_random_transformation(data) for step in self._steps]}

    def _augment(self, images, transformation):
        return apply_in_turn(images, [functools.partial(step._augment, transformation=step_transformation)
                                      for step, step_transformation in zip(self._steps, transformation["steps"])])

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range, "brightness_factor": self.brightness_factor,
                       "contrast_factor": self.contrast_factor, "saturation_factor": self.saturation_factor,
                       "hue_factor": self.hue_factor, "seed": self.seed})
        return config
