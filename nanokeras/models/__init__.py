"""`keras.models`: `Sequential` and `Model`, plus loading, cloning and JSON."""

from nanokeras.models.model import Model
from nanokeras.models.sequential import Sequential
from nanokeras.saving.model_utils import clone_model, model_from_json
from nanokeras.saving.saving_api import load_model, save_model
