"""Config fragments for Gitpod 2022.11: admin console (KOTS) fields, installer config, secrets.

The field titles and item names are those of ``install/kots/manifests/kots-config.yaml`` (the last
KOTS commit, 9b21205); the installer keys are those of ``install/installer/pkg/config/v1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from . import goyaml
from .errors import RuleError
from .registry import (
    GOOGLE_JSON_KEY_USER,
    S3_ACCESS_KEY,
    S3_SECRET_KEY,
    RegistrySetup,
)

INSTALLER_API_VERSION = "v1"
CONFIG_FILE = "gitpod.config.yaml"


@dataclass(frozen=True)
class KotsItem:
    name: str
    title: str
    group: str


#: Admin console items by name (group ``container_registry``, title "Container registry").
KOTS_ITEMS: dict[str, KotsItem] = {
    i.name: i
    for i in (
        KotsItem("reg_incluster", "Use in-cluster container registry", "container_registry"),
        KotsItem("reg_incluster_storage", "In-cluster Storage provider", "container_registry"),
        KotsItem("reg_incluster_storage_s3_region", "Storage region", "container_registry"),
        KotsItem("reg_incluster_storage_s3_endpoint", "Endpoint", "container_registry"),
        KotsItem("reg_incluster_storage_s3_bucketname", "S3 bucket name", "container_registry"),
        KotsItem("reg_incluster_storage_s3_accesskey", "S3 access key", "container_registry"),
        KotsItem("reg_incluster_storage_s3_secretkey", "S3 secret key", "container_registry"),
        KotsItem("reg_url", "Container registry URL", "container_registry"),
        KotsItem("reg_server", "Container registry server", "container_registry"),
        KotsItem("reg_username", "Container registry username", "container_registry"),
        KotsItem("reg_password", "Container registry password", "container_registry"),
        # group storage, title "Object storage"
        KotsItem("store_provider", "Storage provider", "storage"),
        KotsItem("store_region", "Storage region", "storage"),
        KotsItem("store_s3_endpoint", "Endpoint", "storage"),
        KotsItem("store_s3_bucket", "S3 bucket name", "storage"),
        KotsItem("store_s3_access_key_id", "Access Key", "storage"),
        KotsItem("store_s3_secret_access_key", "Secret Key", "storage"),
        KotsItem("store_gcp_project", "Project ID", "storage"),
        KotsItem("store_gcp_credentials", "Service account key", "storage"),
        KotsItem("store_azure_account_name", "Account name", "storage"),
        KotsItem("store_azure_access_key", "Access key", "storage"),
        # group database, title "Database"
        KotsItem("db_incluster", "Use MySQL in-cluster", "database"),
        KotsItem("db_cloudsql_enabled", "Use Google Cloud SQL Proxy", "database"),
        KotsItem("db_cloudsql_instance", "CloudSQL connection name", "database"),
        KotsItem("db_encryption_keys", "Encryption keys", "database"),
        KotsItem("db_host", "Host", "database"),
        KotsItem("db_username", "Username", "database"),
        KotsItem("db_password", "Password", "database"),
        KotsItem("db_port", "Port", "database"),
        KotsItem("db_gcp_credentials", "GCP service account key", "database"),
    )
}

#: Admin console group titles by group name.
KOTS_GROUPS: dict[str, str] = {
    "container_registry": "Container registry",
    "storage": "Object storage",
    "database": "Database",
}

#: Installer config keys (dotted paths) of 2022.11 that this guide covers.
INSTALLER_KEYS: frozenset[str] = frozenset(
    {
        "apiVersion",
        "domain",
        "metadata.region",
        "containerRegistry.inCluster",
        "containerRegistry.external.url",
        "containerRegistry.external.certificate",
        "containerRegistry.s3storage.bucket",
        "containerRegistry.s3storage.region",
        "containerRegistry.s3storage.endpoint",
        "containerRegistry.s3storage.certificate",
        "containerRegistry.privateBaseImageAllowList",
        "objectStorage",
        "objectStorage.inCluster",
        "objectStorage.s3",
        "objectStorage.cloudStorage",
        "objectStorage.s3.endpoint",
        "objectStorage.s3.bucket",
        "objectStorage.s3.credentials",
        "objectStorage.s3.allowInsecureConnection",
        "objectStorage.cloudStorage.project",
        "objectStorage.cloudStorage.serviceAccount",
        "database",
        "database.inCluster",
        "database.external",
        "database.cloudSQL",
        "database.ssl",
        "database.external.certificate",
        "database.cloudSQL.instance",
        "database.cloudSQL.serviceAccount",
        "database.ssl.caCert",
    }
)


def kots_title(item: str) -> str:
    """The exact title the admin console shows for an item name."""
    try:
        return KOTS_ITEMS[item].title
    except KeyError:
        raise RuleError("item", item, "a KOTS item name such as 'reg_url'") from None


def installer_key(path: str) -> str:
    """Return ``path`` if it is an installer config key this guide knows, else raise."""
    if path not in INSTALLER_KEYS:
        raise RuleError(
            "key", path, "an installer config key such as 'containerRegistry.inCluster'"
        )
    return path


# --- admin console ----------------------------------------------------------------------------

#: What the reader types where the value is a secret: never a key-like literal.
PLACEHOLDER_ACCESS_KEY = "<your S3 access key ID>"
PLACEHOLDER_SECRET_KEY = "<your S3 secret access key>"
PLACEHOLDER_SA_KEY = "<the service account key JSON, whole>"
PLACEHOLDER_USERNAME = "<registry username>"
PLACEHOLDER_PASSWORD = "<registry password or token>"


def kots_fields(setup: RegistrySetup) -> list[tuple[str, str]]:
    """(exact field title, value to enter) in the order the admin console shows them."""
    rows: list[tuple[str, str]] = []

    def add(item: str, value: str) -> None:
        rows.append((kots_title(item), value))

    add("reg_incluster", "checked" if setup.in_cluster else "unchecked")
    if setup.in_cluster:
        if setup.s3 is None:
            add("reg_incluster_storage", "None")
            return rows
        add("reg_incluster_storage", "S3")
        add("reg_incluster_storage_s3_region", setup.s3.region)
        add("reg_incluster_storage_s3_endpoint", setup.s3.endpoint)
        add("reg_incluster_storage_s3_bucketname", setup.s3.bucket)
        add("reg_incluster_storage_s3_accesskey", PLACEHOLDER_ACCESS_KEY)
        add("reg_incluster_storage_s3_secretkey", PLACEHOLDER_SECRET_KEY)
        return rows
    assert setup.url is not None and setup.server is not None
    add("reg_url", setup.url)
    add("reg_server", setup.server)
    google = setup.username == GOOGLE_JSON_KEY_USER
    add("reg_username", GOOGLE_JSON_KEY_USER if google else PLACEHOLDER_USERNAME)
    add("reg_password", PLACEHOLDER_SA_KEY if google else PLACEHOLDER_PASSWORD)
    return rows


# --- installer config -------------------------------------------------------------------------


def _secret_ref(name: str) -> dict[str, str]:
    return {"kind": "secret", "name": name}


def secret_ref(name: str) -> dict[str, str]:
    """An installer ``ObjectRef`` to a Secret: ``{kind: secret, name: <name>}``."""
    return _secret_ref(name)


def installer_config(setup: RegistrySetup) -> dict[str, Any]:
    """The ``containerRegistry`` section (with ``apiVersion``) as a mapping."""
    section: dict[str, Any] = {"inCluster": setup.in_cluster}
    if setup.in_cluster and setup.s3 is not None:
        section["s3storage"] = {
            "bucket": setup.s3.bucket,
            "region": setup.s3.region,
            "endpoint": setup.s3.endpoint,
            "certificate": _secret_ref(setup.s3.secret),
        }
    elif not setup.in_cluster:
        section["external"] = {"url": setup.url, "certificate": _secret_ref(setup.secret)}
    return {"apiVersion": INSTALLER_API_VERSION, "containerRegistry": section}


#: PyYAML's emitter in C (libyaml) when the wheel has it: a fifth of the pure emitter's time.
def to_yaml(doc: dict[str, Any]) -> str:
    """Block-style YAML in the key order given, as a reader would write it, with every string
    the installer would read as another type quoted (:class:`goyaml.Dumper`)."""
    dumped: str = yaml.dump(doc, Dumper=goyaml.Dumper, sort_keys=False, default_flow_style=False)
    return dumped


def installer_yaml(setup: RegistrySetup) -> str:
    return to_yaml(installer_config(setup))


# --- secrets ----------------------------------------------------------------------------------

#: Environment variables the secret commands read, so no credential is typed into a snippet. The S3
#: key has names of its own: loaded into ``AWS_ACCESS_KEY_ID``, the new user's key would replace
#: the reader's own AWS CLI identity in that shell (and ``aws eks get-token`` with it).
ENV_ACCESS_KEY = "S3_ACCESS_KEY_ID"
ENV_SECRET_KEY = "S3_SECRET_ACCESS_KEY"
ENV_REGISTRY_USERNAME = "REGISTRY_USERNAME"
ENV_REGISTRY_PASSWORD = "REGISTRY_PASSWORD"
SA_KEY_FILE = "gcp-sa-key.json"


#: The shell variable every secret command reads its namespace from: Gitpod reads its secrets
#: from the namespace it is installed in, and kubectl would otherwise use the current one
#: (usually ``default``). The reader sets it once, to :data:`NAMESPACE_EXAMPLE` or their own.
ENV_NAMESPACE = "GITPOD_NAMESPACE"
NAMESPACE_EXAMPLE = "gitpod"


def _command(*parts: str) -> str:
    return " \\\n  ".join(parts) + "\n"


def kubectl_command(first: str, *parts: str) -> str:
    """A ``kubectl`` command in Gitpod's namespace, one argument group per line, joined with
    backslash continuations."""
    return _command(first, f'--namespace="${ENV_NAMESPACE}"', *parts)


def namespace_snippet() -> str:
    """The line that sets the namespace the secret commands create their secrets in."""
    return f"export {ENV_NAMESPACE}={NAMESPACE_EXAMPLE}   # the namespace Gitpod is installed in\n"


#: What :func:`credentials_snippet` asks for, per kind: (variable, prompt, secret?).
CREDENTIALS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "s3": (
        (ENV_ACCESS_KEY, "S3 access key ID: ", False),
        (ENV_SECRET_KEY, "S3 secret access key: ", True),
    ),
    "registry": (
        (ENV_REGISTRY_USERNAME, "Registry username: ", False),
        (ENV_REGISTRY_PASSWORD, "Registry password or token: ", True),
    ),
}


def credentials_snippet(*kinds: str) -> str:
    """Shell lines that ask for the credentials the secret commands read (``s3``, ``registry``),
    a secret without echoing it, so none is typed into a command or the shell's history."""
    if not kinds:
        raise RuleError("kinds", kinds, f"one or more of {', '.join(CREDENTIALS)}")
    lines = []
    for kind in kinds:
        if kind not in CREDENTIALS:
            raise RuleError("kind", kind, f"one of {', '.join(CREDENTIALS)}")
        for variable, prompt, secret in CREDENTIALS[kind]:
            flags = "-rsp" if secret else "-rp"
            lines.append(f"read {flags} '{prompt}' {variable}" + (" && echo" if secret else ""))
    return "\n".join(lines) + "\n"


def secret_command(setup: RegistrySetup) -> str | None:
    """The ``kubectl create secret`` command for the secret the config refers to.

    None for the plain in-cluster registry: the installer generates its own secret.
    """
    if setup.in_cluster:
        if setup.s3 is None:
            return None
        return kubectl_command(
            f"kubectl create secret generic {setup.s3.secret}",
            f'--from-literal={S3_ACCESS_KEY}="${ENV_ACCESS_KEY}"',
            f'--from-literal={S3_SECRET_KEY}="${ENV_SECRET_KEY}"',
        )
    assert setup.server is not None
    if setup.username == GOOGLE_JSON_KEY_USER:
        user, password = GOOGLE_JSON_KEY_USER, f'"$(cat {SA_KEY_FILE})"'
    else:
        user, password = f'"${ENV_REGISTRY_USERNAME}"', f'"${ENV_REGISTRY_PASSWORD}"'
    return kubectl_command(
        f"kubectl create secret docker-registry {setup.secret}",
        f"--docker-server={setup.server}",
        f"--docker-username={user}",
        f"--docker-password={password}",
    )


def secret_data_keys(setup: RegistrySetup) -> tuple[str, ...]:
    """The data keys the installer's cluster validation requires in the referenced secret."""
    if setup.in_cluster:
        return (S3_ACCESS_KEY, S3_SECRET_KEY) if setup.s3 else ()
    return (".dockerconfigjson",)
