"""The command line of ``gitpod-resources probe`` (no network library imported here: ``check``
and ``--help`` work without the ``probe`` extra)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from gitpod_resources import config, database
from gitpod_resources.cli import add_release_option

from .net import ATTEMPTS, DEFAULT_TIMEOUT

#: What a probe run may be narrowed to (``--only``).
TARGETS = ("registry", "storage", "database")
#: Environment variables the credentials come from (the ones the guide's secret commands read).
ENV_REGISTRY_USERNAME = config.ENV_REGISTRY_USERNAME
ENV_REGISTRY_PASSWORD = config.ENV_REGISTRY_PASSWORD
ENV_DB_PASSWORD = database.ENV_PASSWORD
ENV_S3_ACCESS_KEY = config.ENV_ACCESS_KEY
ENV_S3_SECRET_KEY = config.ENV_SECRET_KEY

DESCRIPTION = (
    "Prove that the registry, bucket and database a Gitpod 2022.11 config names work, before "
    "installing: runs 'check' first (and stops on its errors), then logs in to the registry and "
    "pushes a small image to a new repository (and deletes it), writes, reads, lists and "
    "deletes one object in each S3 bucket, and connects to the database as the configured user. "
    f"Credentials: {ENV_REGISTRY_USERNAME}/{ENV_REGISTRY_PASSWORD} or a Docker config file; "
    f"{ENV_S3_ACCESS_KEY}/{ENV_S3_SECRET_KEY} or the AWS credential chain; {ENV_DB_PASSWORD}. "
    "Exit 0: no errors; 1: errors; 2: unusable input; "
    "3: usage error (an option or credential missing or malformed); 4: internal error."
)


def add_arguments(p: argparse.ArgumentParser, formats: Sequence[str] = ("human", "json")) -> None:
    p.add_argument(
        "path", metavar="CONFIG", help="an installer config or ConfigValues export, or -"
    )
    p.add_argument("--format", choices=tuple(formats), default=formats[0])
    add_release_option(p)
    p.add_argument(
        "--only",
        action="append",
        choices=TARGETS,
        help="probe only this (repeat for more); default: everything the config uses",
    )
    p.add_argument(
        "--docker-config",
        metavar="FILE",
        help="a Docker config file (config.json, or a .dockerconfigjson) to take the registry "
        f"credentials from, under the server key; default: ~/.docker/config.json when "
        f"{ENV_REGISTRY_USERNAME} is not set",
    )
    p.add_argument(
        "--registry-username",
        metavar="NAME",
        help=f"the registry user (default ${ENV_REGISTRY_USERNAME}); the password is read from "
        f"${ENV_REGISTRY_PASSWORD}, never from the command line",
    )
    p.add_argument(
        "--registry-server",
        metavar="KEY",
        help="installer configs: the key of the auths entry in your registry secret "
        "(default: the URL's host, as the guide's command creates it)",
    )
    p.add_argument("--db-host", metavar="HOST", help="the database host (installer configs)")
    p.add_argument("--db-port", metavar="PORT", help="the database port (default 3306)")
    p.add_argument("--db-username", metavar="NAME", help="the database user (default gitpod)")
    p.add_argument(
        "--db-ca-file",
        metavar="FILE",
        help="the CA certificate of database.ssl.caCert's secret (required when the config "
        "sets it)",
    )
    p.add_argument(
        "--ca-file",
        metavar="FILE",
        help="PEM CA certificates to trust for the registry and S3 (a private CA)",
    )
    p.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"per network attempt (default {DEFAULT_TIMEOUT:g}); at most {ATTEMPTS} attempts",
    )
