"""Keras 2's legacy HDF5 format (`.h5`): full models and weights, read and written.

`legacy_h5_format` reads and writes the files, `legacy_config` translates Keras 2's
config dialect, `training_config` the compile arguments and optimizer state.
"""
