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
        # Not "credentials*": conf/local/credentials.example.yml must not be loaded.
        "credentials": [
            "credentials.yml",
            "credentials_*.yml",
            "**/credentials.yml",
            "**/credentials_*.yml",
        ],
    },
}

from prreview.hooks import PreloadHooks, ReportHooks  # noqa: E402 - after the loader settings

HOOKS = (PreloadHooks(), ReportHooks())
