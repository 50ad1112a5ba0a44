"""Configuration loading: conf/local/credentials*.yml also applies to ``--env prod``.

Kedro reads base + the run environment only, so with ``--env prod`` the token a user
keeps in conf/local would be ignored. Secrets stay in one git-ignored place for every
environment.
"""

from __future__ import annotations

from typing import Any

from kedro.config import MissingConfigException, OmegaConfigLoader

LOCAL_ENV = "local"


class ProjectConfigLoader(OmegaConfigLoader):
    def __getitem__(self, key: str) -> dict[str, Any]:
        config = super().__getitem__(key)
        if key != "credentials" or (self.env or self.default_run_env) == LOCAL_ENV:
            return config
        local = OmegaConfigLoader(
            conf_source=str(self.conf_source),
            base_env=LOCAL_ENV,
            default_run_env=LOCAL_ENV,
            config_patterns={"credentials": self.config_patterns["credentials"]},
        )
        try:
            local_credentials = local["credentials"]
        except MissingConfigException:
            return config
        return {**config, **local_credentials}
