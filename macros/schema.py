"""The shape of a Gitpod 2022.11 installer config and the admin console's registry item names.

Source: the ``Config`` struct of ``install/installer/pkg/config/v1/config.go`` in gitpod-io/gitpod
(commit 0067e7e6d7cfdbf751630d3bf4b8b938ba413031, the 2022.11/2023.01 line: it still has Azure
storage, removed 2023-02-01), read 2026-11-29. The installer loads the file with
``sigs.k8s.io/yaml.UnmarshalStrict`` (``install/installer/pkg/config/loader.go``), so a key the
struct does not have, or a duplicate key, fails the whole load.

Sections this module does not describe key by key are :data:`OPEN`: nothing under them is
reported as unknown. ``metadata``, ``containerRegistry``, ``objectStorage`` and ``database`` are
described key by key (closed): a typo there is reported with the closest known key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from . import config


class Scalar(StrEnum):
    """A scalar the installer decodes into a Go ``bool`` or ``string``."""

    BOOL = "a boolean (true or false, unquoted)"
    STRING = "a string"
    INT = "a whole number (unquoted)"


@dataclass(frozen=True)
class Mapping:
    keys: dict[str, Schema]


@dataclass(frozen=True)
class ListOf:
    item: Schema


@dataclass(frozen=True)
class ObjectRef:
    """``{kind: secret, name: <name>}``: both required, ``secret`` the only kind."""

    keys: dict[str, Schema] = field(
        default_factory=lambda: {"kind": Scalar.STRING, "name": Scalar.STRING}
    )


@dataclass(frozen=True)
class Open:
    """A section whose keys this guide does not check."""


Schema = Scalar | Mapping | ListOf | ObjectRef | Open

OPEN = Open()
REF = ObjectRef()
#: The only ``kind`` an ObjectRef may have (``ObjectRefKindList`` in ``validation.go``).
OBJECT_REF_KIND = "secret"

CONTAINER_REGISTRY = Mapping(
    {
        "inCluster": Scalar.BOOL,
        "external": Mapping({"url": Scalar.STRING, "certificate": REF, "credentials": REF}),
        "s3storage": Mapping(
            {
                "bucket": Scalar.STRING,
                "region": Scalar.STRING,
                "endpoint": Scalar.STRING,
                "certificate": REF,
            }
        ),
        "privateBaseImageAllowList": ListOf(Scalar.STRING),
    }
)

METADATA = Mapping({"region": Scalar.STRING, "shortname": Scalar.STRING})

#: ``Resources`` (``requests`` and ``limits`` are Kubernetes resource lists: any resource name).
RESOURCES = Mapping({"requests": OPEN, "limits": OPEN})

OBJECT_STORAGE = Mapping(
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
        # Still in the 2022.11 line; removed from the installer on 2023-02-01 (AZURE_REMOVED).
        "azure": Mapping({"credentials": REF}),
        "maximumBackupCount": Scalar.INT,
        "blobQuota": Scalar.INT,
        "resources": RESOURCES,
    }
)

DATABASE = Mapping(
    {
        "inCluster": Scalar.BOOL,
        "external": Mapping({"certificate": REF}),
        "cloudSQL": Mapping({"serviceAccount": REF, "instance": Scalar.STRING}),
        # Added 2022-12-13 (SSL_CA_CERT_SINCE): after the 2022.11 release, in the same line.
        "ssl": Mapping({"caCert": REF}),
    }
)

#: Keys a block needs once it is written, by the block's dotted path: ``validate:"required"``
#: fields and non-pointer ObjectRefs (whose kind and name are required). Two differ between
#: 2022.11 and the struct above: ``objectStorage.s3.credentials`` was required until 2023-01-06
#: (and cluster validation still reads it), ``objectStorage.s3.bucket`` optional until 2022-12-09.
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "objectStorage.s3": ("endpoint", "credentials"),
    "objectStorage.cloudStorage": ("project", "serviceAccount"),
    "objectStorage.azure": ("credentials",),
    "database.external": ("certificate",),
    "database.cloudSQL": ("instance", "serviceAccount"),
}

#: The whole 2022.11 installer config; ``apiVersion`` is stripped by the loader before decoding.
INSTALLER_CONFIG = Mapping(
    {
        "apiVersion": Scalar.STRING,
        "kind": Scalar.STRING,
        "domain": Scalar.STRING,
        "metadata": METADATA,
        "repository": Scalar.STRING,
        "observability": OPEN,
        "analytics": OPEN,
        "database": DATABASE,
        "messageBus": OPEN,
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
        "telemetry": OPEN,
        "experimental": OPEN,
    }
)

#: ``kind`` values of the installer config (``InstallationKind``); anything else is not one.
INSTALLATION_KINDS = ("Full", "Meta", "IDE", "WebApp", "Workspace")

#: Keys later installers added: a 2022.11 installer rejects them (strict load). Path -> added.
LATER_KEYS: dict[str, str] = {
    "containerRegistry.enableAdditionalECRAuth": "2023-08-14",
    "containerRegistry.subassemblyBucket": "2023-10-17",
}

#: Admin console items of the group ``container_registry`` (install/kots/manifests/
#: kots-config.yaml @9b21205): the items the guide shows, plus the additional-credentials pair.
KOTS_REGISTRY_ITEMS: frozenset[str] = frozenset(config.KOTS_ITEMS) | {
    "reg_docker_config_enable",
    "reg_docker_config",
}
#: Item names of the registry group start with this; other groups' items are not checked here.
KOTS_REGISTRY_PREFIX = "reg_"


def _kots_group(group: str) -> frozenset[str]:
    return frozenset(i.name for i in config.KOTS_ITEMS.values() if i.group == group)


#: Admin console items of the groups ``storage`` ("Object storage") and ``database``
#: ("Database") at 9b21205, and the prefix every item name of that group starts with.
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
