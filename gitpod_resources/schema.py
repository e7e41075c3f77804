"""The shape of a Gitpod 2022.11 installer config, release by release, and the admin console's
item names.

Source: the ``Config`` struct of ``install/installer/pkg/config/v1/config.go`` in gitpod-io/gitpod
at the four release tags (:data:`RELEASES`). The file is the same at all four but for
``database.ssl``, which 2022.11.1 added. The installer loads a config with
``sigs.k8s.io/yaml.UnmarshalStrict`` (``install/installer/pkg/config/loader.go`` lines 86-131 at
each tag), so a key the struct does not have, or a duplicate key, fails the whole load; how the
checker models that load is :mod:`gitpod_resources.checker.loader`, and the test suite runs the real
loader over the same documents (``tests/installer_oracle/``).

Sections this module does not describe key by key are :data:`OPEN`: nothing under them is
reported as unknown. ``metadata``, ``containerRegistry``, ``objectStorage``, ``database`` and the
top-level scalars and object references are described key by key (closed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from . import config
from .releases import LATEST, RELEASE_FORM, RELEASES, TAGS, Release, Tag, release_span

__all__ = ["LATEST", "RELEASES", "RELEASE_FORM", "TAGS", "Release", "Tag", "release_span"]


class Scalar(StrEnum):
    """A scalar the installer decodes into a Go ``bool``, ``string`` or integer."""

    BOOL = "a boolean (true or false, unquoted)"
    STRING = "a string"
    INT = "a whole number (unquoted)"


@dataclass(frozen=True)
class Mapping:
    """A Go struct: its json keys, and the keys whose Go fields are pointers (``*T``).

    A pointer (or list) field set to null becomes nil (the default is gone); any other field set
    to null keeps its value. That is how ``encoding/json`` decodes, and what the installer then
    reads.
    """

    keys: dict[str, Schema]
    pointers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ListOf:
    item: Schema


@dataclass(frozen=True)
class ObjectRef:
    """``{kind: secret, name: <name>}``: both required, ``secret`` the only kind."""

    keys: dict[str, Schema] = field(
        default_factory=lambda: {"kind": Scalar.STRING, "name": Scalar.STRING}
    )
    pointers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Open:
    """A section whose keys this guide does not check."""


Schema = Scalar | Mapping | ListOf | ObjectRef | Open
#: What has keys: a struct or an object reference.
Struct = Mapping | ObjectRef

OPEN = Open()
REF = ObjectRef()
#: The only ``kind`` an ObjectRef may have (``ObjectRefKindList`` in ``validation.go``).
OBJECT_REF_KIND = "secret"


def _struct(keys: dict[str, Schema], *pointers: str) -> Mapping:
    unknown = set(pointers) - set(keys)
    assert not unknown, unknown
    return Mapping(keys, frozenset(pointers))


# config.go at 2022.11.3 (line numbers; the types after Database start 5 lines earlier at
# 2022.11.0): ContainerRegistry 303-308, ContainerRegistryExternal 310-313, S3Storage 315-320.
CONTAINER_REGISTRY = _struct(
    {
        "inCluster": Scalar.BOOL,
        "external": Mapping({"url": Scalar.STRING, "certificate": REF}),
        "s3storage": Mapping(
            {
                "bucket": Scalar.STRING,
                "region": Scalar.STRING,
                "endpoint": Scalar.STRING,
                "certificate": REF,
            }
        ),
        "privateBaseImageAllowList": ListOf(Scalar.STRING),
    },
    "inCluster",
    "external",
    "s3storage",
)

# Metadata 202-207.
METADATA = Mapping({"region": Scalar.STRING, "shortname": Scalar.STRING})

#: ``Resources`` 335-339 (``requests`` and ``limits`` are Kubernetes resource lists: open).
RESOURCES = Mapping({"requests": OPEN, "limits": OPEN})

# ObjectStorage 251-260, ObjectStorageS3 262-271, ObjectStorageCloudStorage 273-276,
# ObjectStorageAzure 278-280 (Azure is a storage provider in every 2022.11 release).
OBJECT_STORAGE = _struct(
    {
        "inCluster": Scalar.BOOL,
        "s3": Mapping(
            {
                "endpoint": Scalar.STRING,
                "credentials": REF,
                "bucket": Scalar.STRING,
                "allowInsecureConnection": Scalar.BOOL,
            }
        ),
        "cloudStorage": Mapping({"serviceAccount": REF, "project": Scalar.STRING}),
        "azure": Mapping({"credentials": REF}),
        "maximumBackupCount": Scalar.INT,
        "blobQuota": Scalar.INT,
        "resources": RESOURCES,
    },
    "inCluster",
    "s3",
    "cloudStorage",
    "azure",
    "maximumBackupCount",
    "blobQuota",
    "resources",
)

# Database 231-236, DatabaseExternal 238-240, DatabaseCloudSQL 242-245, SSLOptions 247-249.
_DATABASE_2022_11_0: dict[str, Schema] = {
    "inCluster": Scalar.BOOL,
    "external": Mapping({"certificate": REF}),
    "cloudSQL": Mapping({"serviceAccount": REF, "instance": Scalar.STRING}),
}
#: Keys a release added, by dotted path: the first release that has it.
ADDED_IN: dict[str, Release] = {"database.ssl": Release.R1}


def _database(release: Release) -> Mapping:
    keys: dict[str, Schema] = dict(_DATABASE_2022_11_0)
    pointers = ["inCluster", "external", "cloudSQL"]
    if RELEASES.index(release) >= RELEASES.index(ADDED_IN["database.ssl"]):
        keys["ssl"] = _struct({"caCert": REF}, "caCert")
        pointers.append("ssl")
    return _struct(keys, *pointers)


#: Keys a block needs once it is written, by the block's dotted path: ``validate:"required"``
#: fields and non-pointer ObjectRefs (whose kind and name are required) at the 2022.11 tags.
#: ``objectStorage.s3.bucket`` is optional in every 2022.11 release.
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "objectStorage.s3": ("endpoint", "credentials"),
    "objectStorage.cloudStorage": ("project", "serviceAccount"),
    "objectStorage.azure": ("credentials",),
    "database.external": ("certificate",),
    "database.cloudSQL": ("instance", "serviceAccount"),
}


@cache
def installer_config(release: Release = LATEST) -> Mapping:
    """The whole installer config of ``release`` (Config, config.go lines 156-200 at
    2022.11.3); ``apiVersion`` is removed by the loader before decoding."""
    return _struct(
        {
            "apiVersion": Scalar.STRING,
            "kind": Scalar.STRING,
            "domain": Scalar.STRING,
            "metadata": METADATA,
            "repository": Scalar.STRING,
            "observability": OPEN,
            "analytics": OPEN,
            "database": _database(release),
            "objectStorage": OBJECT_STORAGE,
            "containerRegistry": CONTAINER_REGISTRY,
            "certificate": REF,
            "httpProxy": REF,
            "imagePullSecrets": ListOf(REF),
            "workspace": OPEN,
            "openVSX": OPEN,
            "authProviders": ListOf(REF),
            "blockNewUsers": OPEN,
            "license": REF,
            "sshGatewayHostKey": REF,
            "disableDefinitelyGp": Scalar.BOOL,
            "customCACert": REF,
            "dropImageRepo": Scalar.BOOL,
            "customization": OPEN,
            "components": OPEN,
            "experimental": OPEN,
        },
        "analytics",
        "httpProxy",
        "license",
        "sshGatewayHostKey",
        "customCACert",
        "dropImageRepo",
        "customization",
        "components",
        "experimental",
    )


#: The config of the latest release (for code that does not depend on the release).
INSTALLER_CONFIG = installer_config(LATEST)
#: The key the loader removes before decoding (loader.go line 115: ``del(.apiVersion)``).
API_VERSION_KEY = "apiVersion"

#: The defaults of the closed sections, by dotted path: ``Factory`` and ``Defaults`` in
#: config.go lines 28-85 (the same at the four tags). A value written in the file replaces its
#: default; null replaces it only for a pointer field (``Mapping.pointers``).
DEFAULTS: dict[str, object] = {
    "kind": "Full",
    "repository": "eu.gcr.io/gitpod-core-dev/build",
    "certificate.kind": OBJECT_REF_KIND,
    "certificate.name": "https-certificates",
    "metadata.region": "local",
    "metadata.shortname": "default",
    "database.inCluster": True,
    "objectStorage.inCluster": True,
    "objectStorage.resources": {},
    "containerRegistry.inCluster": True,
    "disableDefinitelyGp": True,
}

#: ``kind`` values of the installer config (``InstallationKind``, config.go lines 282-290).
INSTALLATION_KINDS = ("Full", "Meta", "IDE", "WebApp", "Workspace")


@dataclass(frozen=True)
class LaterKey:
    """A key no 2022.11 release has: a 2022.11 installer refuses a file that writes it."""

    added: str
    commit: str


#: Keys later installers added on gitpod-io/gitpod's main branch (``git log -S`` on config.go):
#: no 2022.11 release has them.
LATER_KEYS: dict[str, LaterKey] = {
    "containerRegistry.external.credentials": LaterKey("2022-12-15", "37772682ab"),
    "telemetry": LaterKey("2023-01-17", "f366932fe4"),
    "messageBus": LaterKey("2023-01-19", "6ef48d59c6"),
    "containerRegistry.enableAdditionalECRAuth": LaterKey("2023-08-14", "59900e8dc2"),
    "containerRegistry.subassemblyBucket": LaterKey("2023-10-17", "f873b26493"),
}

#: Admin console items of the group ``container_registry`` (install/kots/manifests/
#: kots-config.yaml): the items the guide shows, plus the additional-credentials pair.
KOTS_REGISTRY_ITEMS: frozenset[str] = frozenset(config.KOTS_ITEMS) | {
    "reg_docker_config_enable",
    "reg_docker_config",
}
#: Item names of the registry group start with this; other groups' items are not checked here.
KOTS_REGISTRY_PREFIX = "reg_"


def _kots_group(group: str) -> frozenset[str]:
    return frozenset(i.name for i in config.KOTS_ITEMS.values() if i.group == group)


#: Admin console items of the groups ``storage`` ("Object storage") and ``database``
#: ("Database"), and the prefix every item name of that group starts with.
KOTS_STORAGE_ITEMS: frozenset[str] = _kots_group("storage")
KOTS_STORAGE_PREFIX = "store_"
KOTS_DATABASE_ITEMS: frozenset[str] = _kots_group("database")
KOTS_DATABASE_PREFIX = "db_"


def lookup(path: str, schema: Schema = INSTALLER_CONFIG) -> Schema | None:
    """The schema of a dotted path, ``OPEN`` below an open section, None if the path is unknown."""
    node = schema
    for part in path.split("."):
        if isinstance(node, Open):
            return node
        if isinstance(node, Mapping | ObjectRef) and part in node.keys:
            node = node.keys[part]
        else:
            return None
    return node
