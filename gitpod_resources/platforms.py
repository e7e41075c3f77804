"""A path per platform: the commands that close each platform page, checking what the reader built.

Every platform page ends the same way: ``gitpod-resources check`` on the config the page gave,
then ``gitpod-resources probe`` with the credentials the page's steps left in the shell. The probe
reads the variables the secret commands read (``probe --help``); the page's steps set some of them
without exporting them (the S3 key from the key file, the robot account from Harbor's answer), so
the probe command hands them over for that one command, with ``env``.
"""

from __future__ import annotations

import shlex
from enum import StrEnum

from . import config, database, prerequisites, registry
from .errors import RuleError

#: The command line the package installs (pyproject's console script).
COMMAND = "gitpod-resources"
#: What the probe reads (probe --help): the variables the secret commands read.
PROBE_REGISTRY_USERNAME = config.ENV_REGISTRY_USERNAME
PROBE_REGISTRY_PASSWORD = config.ENV_REGISTRY_PASSWORD


class Platform(StrEnum):
    AWS = "aws"
    GCP = "gcp"
    ON_PREM = "on-prem"


PLATFORM_FORM = f"one of {', '.join(p.value for p in Platform)}"


def platform(value: object, field: str = "platform") -> Platform:
    for p in Platform:
        if value == p.value:
            return p
    raise RuleError(field, value, PLATFORM_FORM)


def _command(*parts: str) -> str:
    return " \\\n  ".join(parts) + "\n"


def check_command(config_file: str = config.CONFIG_FILE) -> str:
    """``gitpod-resources check`` on the installer config the page wrote."""
    return f"{COMMAND} check {shlex.quote(config_file)}\n"


def probe_command(
    which: str, *, private_ca: bool = False, config_file: str = config.CONFIG_FILE
) -> str:
    """``gitpod-resources probe`` for a platform page, with what the page's steps left in the
    shell handed over under the names the probe reads:

    - AWS: the S3 key (:data:`config.ENV_ACCESS_KEY`, read from the key file, not exported);
      the in-cluster registry is probed through its bucket; the database at ``$DB_HOST``.
    - Google Cloud: the registry's service account key (``_json_key``, the key file); only the
      registry (Cloud Storage is not probed; Cloud SQL only through a proxy the reader runs).
    - On-prem: the robot account's name and secret; with a private CA, the CA file; the database
      at ``$DB_HOST`` (in-cluster MinIO is not probed).
    """
    p = platform(which)
    if private_ca and p is not Platform.ON_PREM:
        raise RuleError("private_ca", private_ca, "False except on-prem")
    env: list[str] = []
    options: list[str] = []
    db = f'--db-host "${database.ENV_HOST}"'
    if p is Platform.AWS:
        env = [
            f'env {config.ENV_ACCESS_KEY}="${config.ENV_ACCESS_KEY}" '
            f'{config.ENV_SECRET_KEY}="${config.ENV_SECRET_KEY}"'
        ]
        options = [db]
    elif p is Platform.GCP:
        env = [
            f"env {PROBE_REGISTRY_USERNAME}={registry.GOOGLE_JSON_KEY_USER} "
            f'{PROBE_REGISTRY_PASSWORD}="$(cat {config.SA_KEY_FILE})"'
        ]
        options = ["--only registry"]
    else:
        env = [
            f'env {PROBE_REGISTRY_USERNAME}="${config.ENV_REGISTRY_USERNAME}" '
            f'{PROBE_REGISTRY_PASSWORD}="${config.ENV_REGISTRY_PASSWORD}"'
        ]
        options = [db]
        if private_ca:
            options.append(f"--ca-file {prerequisites.CA_FILE}")
    return _command(*env, f"{COMMAND} probe {shlex.quote(config_file)} {' '.join(options)}")
