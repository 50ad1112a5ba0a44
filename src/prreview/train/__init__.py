"""Fine-tuning a review model: LoRA/QLoRA adapters on SFT chat records (no Kedro).

Importing this package is cheap; torch, transformers, trl and peft load when
:func:`train_adapter` runs.
"""

from prreview.train.profiles import (
    ALL_PROJECTIONS,
    PROFILES,
    LoraSettings,
    TrainSettings,
    profile,
    settings_from_params,
)
from prreview.train.records import coverage_length, to_prompt_completion
from prreview.train.trainer import (
    TrainingInputError,
    TrainResult,
    checkpoint_problem,
    resolve_base_model,
    train_adapter,
)

__all__ = [
    "ALL_PROJECTIONS",
    "PROFILES",
    "LoraSettings",
    "TrainResult",
    "TrainSettings",
    "TrainingInputError",
    "checkpoint_problem",
    "coverage_length",
    "profile",
    "resolve_base_model",
    "settings_from_params",
    "to_prompt_completion",
    "train_adapter",
]
