"""Project settings: configuration layout and hooks."""

import warnings

from prreview.config import ProjectConfigLoader

CONFIG_LOADER_CLASS = ProjectConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    "merge_strategy": {"parameters": "soft"},
    "config_patterns": {
        "catalog": ["catalog*", "catalog*/**", "**/catalog*"],
        "parameters": ["parameters*", "parameters*/**", "**/parameters*"],
        "credentials": ["credentials*", "credentials*/**", "**/credentials*"],
    },
}

# mlflow warns at import about pyfunc type hints that this project never uses (kedro-mlflow
# imports it on every command); keep the console for warnings that matter.
warnings.filterwarnings(
    "ignore", message=r"Add type hints to the `predict` method", category=UserWarning
)
