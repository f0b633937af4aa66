"""`keras.distillation`: knowledge distillation, a student model trained on a teacher's outputs."""

from nanokeras.distillation.distillation_loss import DistillationLoss, FeatureDistillation, LogitsDistillation
from nanokeras.distillation.distiller import Distiller

__all__ = ["DistillationLoss", "Distiller", "FeatureDistillation", "LogitsDistillation"]
