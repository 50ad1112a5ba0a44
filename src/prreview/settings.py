"""Project settings: configuration layout and hooks."""

from prreview.config import ProjectConfigLoader

CONFIG_LOADER_CLASS = ProjectConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    "merge_strategy": {"parameters": "soft"},
    "config_patterns": {
        "catalog": ["catalog*", "catalog*/**", "**/catalog*"],
        "parameters": ["parameters*", "parameters*/**", "**/parameters*"],
        # kedro-mlflow's own pattern, declared here so hooks that run before it can
        # read mlflow.yml too.
        "mlflow": ["mlflow*", "mlflow*/**", "**/mlflow*"],
        # Not "credentials*": conf/local/credentials.example.yml must not be loaded.
        "credentials": [
            "credentials.yml",
            "credentials_*.yml",
            "**/credentials.yml",
            "**/credentials_*.yml",
        ],
    },
}

from prreview.hooks import (  # noqa: E402 - after the loader settings
    PreloadHooks,
    ReportHooks,
    TrackingStoreHooks,
)

HOOKS = (TrackingStoreHooks(), PreloadHooks(), ReportHooks())
