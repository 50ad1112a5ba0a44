"""train: a LoRA (CPU) or QLoRA (GPU) adapter on the SFT training set, tracked in
MLflow."""

from prreview.pipelines.train.pipeline import create_pipeline

__all__ = ["create_pipeline"]
