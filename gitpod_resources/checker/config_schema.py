"""JSON Schemas for editors: the installer config of each 2022.11 release, and the admin console's
ConfigValues export, generated from the same schema data the checker uses
(:func:`gitpod_resources.schema.installer_config`, :data:`~gitpod_resources.schema.ADDED_IN`,
the KOTS items of :mod:`gitpod_resources.config`).

An installer config schema accepts what the release's loader loads, written the canonical way:
keys in their own case, strings as strings, booleans as ``true``/``false``. It refuses every
document the loader refuses (unknown keys, values of the wrong type, integers outside Go's
``int64``; duplicate keys the editor's YAML reader refuses itself). ``null`` is accepted
wherever the loader takes it (everywhere: a pointer field becomes nil, any other keeps its
default). Validation the installer does after loading (required keys, ``kind: secret``) is the
checker's, not the schema's.

Every key has a description and a link to the part of the guide that explains it; the site
publishes the files under ``schema/`` (``macros/hooks.py``).
"""

from __future__ import annotations

import json
from typing import Any

from gitpod_resources import config, schema
from gitpod_resources.schema import ListOf, Mapping, ObjectRef, Open, Release, Scalar

from .model import SITE_URL

DRAFT = "http://json-schema.org/draft-07/schema#"
#: Where the site publishes them, relative to its root.
ADMIN_CONSOLE_PATH = "schema/admin-console-config-values.json"
KOTS_API_VERSION = "kots.io/v1beta1"
#: Go's int64, the integer fields of the installer config.
INT64 = (-(2**63), 2**63 - 1)
#: The largest float: the installer's YAML-to-JSON step refuses .inf anywhere, even in a section
#: whose keys are not checked (JSON has no Infinity). NaN no JSON Schema can tell apart.
FLOAT_MAX = 1.7976931348623157e308
#: Any value of a section this guide does not describe: finite numbers only, at any depth.
ANY_VALUE = {
    "minimum": -FLOAT_MAX,
    "maximum": FLOAT_MAX,
    "additionalProperties": {"$ref": "#/definitions/value"},
    "items": {"$ref": "#/definitions/value"},
}
#: The section of the check page about editors (keys this guide does not cover link there).
EDITOR_REF = "check.md#editor"


def installer_path(release: Release) -> str:
    return f"schema/{release.value}/installer-config.json"


def url(path: str) -> str:
    """The published URL of a file under the site's root."""
    return f"{SITE_URL}{path}"


def _guide_url(ref: str) -> str:
    page, _, anchor = ref.partition("#")
    path = "" if page == "index.md" else page.removesuffix(".md") + "/"
    return f"{SITE_URL}{path}" + (f"#{anchor}" if anchor else "")


_REG = "container-registry.md"
_STO = "object-storage.md"
_DB = "database.md"
_OTHER = "Not covered by this guide: the schema gives its type, the installer's documentation "
_OTHER += "what it does."

#: (description, guide section) of every installer config key, by dotted path (``[]``: an item).
INSTALLER_KEYS: dict[str, tuple[str, str]] = {
    "apiVersion": ("The config's version: v1 for Gitpod Self-Hosted 2022.11.", "check.md"),
    "kind": ("What the installer installs: Full (default), Meta, IDE, WebApp or Workspace.", ""),
    "domain": ("The domain Gitpod is served on, e.g. gitpod.example.com.", ""),
    "metadata": ("Where the installation runs.", f"{_STO}#s3"),
    "metadata.region": (
        "The installation's region (default local); with S3 object storage, the region of "
        "the storage bucket.",
        f"{_STO}#s3",
    ),
    "metadata.shortname": ("A short name of the installation (default default).", ""),
    "repository": ("The registry Gitpod's own images are pulled from.", ""),
    "observability": ("Logging and tracing. " + _OTHER, ""),
    "analytics": ("Usage analytics. " + _OTHER, ""),
    "database": (
        "The database: in-cluster MySQL, an external MySQL or Google Cloud SQL.",
        f"{_DB}#which-one-wins",
    ),
    "database.inCluster": (
        "true: MySQL in the cluster; false: the external or cloudSQL block.",
        f"{_DB}#which-one-wins",
    ),
    "database.external": ("An external MySQL, reached through a secret.", f"{_DB}#external"),
    "database.external.certificate": (
        "The secret with host, port, username, password and encryptionKeys.",
        f"{_DB}#external",
    ),
    "database.cloudSQL": ("Google Cloud SQL through the Cloud SQL proxy.", f"{_DB}#cloud-sql"),
    "database.cloudSQL.serviceAccount": (
        "The secret with the service account key, username, password and encryptionKeys.",
        f"{_DB}#cloud-sql",
    ),
    "database.cloudSQL.instance": (
        "The instance's connection name, PROJECT:REGION:INSTANCE.",
        f"{_DB}#cloud-sql",
    ),
    "database.ssl": ("TLS to the database with your own CA.", f"{_DB}#tls"),
    "database.ssl.caCert": ("The secret whose ca.crt is the CA to trust.", f"{_DB}#tls"),
    "objectStorage": (
        "Object storage: in-cluster MinIO, Amazon S3, Google Cloud Storage or Azure.",
        f"{_STO}#which-one-wins",
    ),
    "objectStorage.inCluster": (
        "true: MinIO in the cluster; false: the s3, cloudStorage or azure block.",
        f"{_STO}#which-one-wins",
    ),
    "objectStorage.s3": ("Amazon S3 or another S3 API.", f"{_STO}#s3"),
    "objectStorage.s3.endpoint": (
        "The S3 host, without scheme or path, e.g. s3.amazonaws.com.",
        f"{_STO}#s3",
    ),
    "objectStorage.s3.credentials": (
        "The secret with accessKeyId and secretAccessKey.",
        f"{_STO}#s3",
    ),
    "objectStorage.s3.bucket": (
        "One bucket for all workspace data (optional: without it Gitpod creates buckets).",
        f"{_STO}#s3",
    ),
    "objectStorage.s3.allowInsecureConnection": (
        "true: plain HTTP to the endpoint (default false).",
        f"{_STO}#s3",
    ),
    "objectStorage.cloudStorage": ("Google Cloud Storage.", f"{_STO}#gcs"),
    "objectStorage.cloudStorage.serviceAccount": (
        "The secret with the service account key (service-account.json).",
        f"{_STO}#gcs",
    ),
    "objectStorage.cloudStorage.project": ("The Google Cloud project ID.", f"{_STO}#gcs"),
    "objectStorage.azure": (
        "Azure Blob Storage (a MinIO gateway in the cluster).",
        f"{_STO}#azure",
    ),
    "objectStorage.azure.credentials": (
        "The secret with accountName and accountKey.",
        f"{_STO}#azure",
    ),
    "objectStorage.maximumBackupCount": (
        "How many backups of a workspace are kept (a whole number).",
        f"{_STO}#which-one-wins",
    ),
    "objectStorage.blobQuota": (
        "The most bytes a workspace may store (a whole number; 0: no quota).",
        f"{_STO}#which-one-wins",
    ),
    "objectStorage.resources": (
        "Resource requests and limits of the in-cluster MinIO.",
        f"{_STO}#in-cluster",
    ),
    "objectStorage.resources.requests": (
        "Kubernetes resource requests (cpu, memory).",
        f"{_STO}#in-cluster",
    ),
    "objectStorage.resources.limits": (
        "Kubernetes resource limits (cpu, memory).",
        f"{_STO}#in-cluster",
    ),
    "containerRegistry": (
        "The container registry for workspace images: in-cluster or external.",
        f"{_REG}#in-cluster",
    ),
    "containerRegistry.inCluster": (
        "true: a registry in the cluster; false: the external block.",
        f"{_REG}#in-cluster",
    ),
    "containerRegistry.external": ("A registry outside the cluster.", f"{_REG}#generic"),
    "containerRegistry.external.url": (
        "Registry host and path, without scheme, e.g. europe-west2-docker.pkg.dev/PROJECT/REPO.",
        f"{_REG}#generic",
    ),
    "containerRegistry.external.certificate": (
        "The docker-registry secret (.dockerconfigjson) for the registry's server.",
        f"{_REG}#generic",
    ),
    "containerRegistry.s3storage": (
        "S3 storage for the in-cluster registry.",
        f"{_REG}#in-cluster-s3",
    ),
    "containerRegistry.s3storage.bucket": ("The S3 bucket's name.", f"{_REG}#in-cluster-s3"),
    "containerRegistry.s3storage.region": ("The bucket's AWS region.", f"{_REG}#in-cluster-s3"),
    "containerRegistry.s3storage.endpoint": (
        "The S3 host of the bucket's region, without scheme.",
        f"{_REG}#in-cluster-s3",
    ),
    "containerRegistry.s3storage.certificate": (
        "The secret with s3AccessKey and s3SecretKey.",
        f"{_REG}#in-cluster-s3",
    ),
    "containerRegistry.privateBaseImageAllowList": (
        "Registries whose private base images workspaces may use.",
        f"{_REG}#generic",
    ),
    "containerRegistry.privateBaseImageAllowList[]": ("A registry host.", f"{_REG}#generic"),
    "certificate": ("The secret with Gitpod's TLS certificate (default https-certificates).", ""),
    "httpProxy": ("The secret with the HTTP proxy settings. " + _OTHER, ""),
    "imagePullSecrets": ("Secrets for pulling Gitpod's own images. " + _OTHER, ""),
    "imagePullSecrets[]": ("A docker-registry secret.", ""),
    "workspace": ("Workspace settings. " + _OTHER, ""),
    "openVSX": ("The Open VSX registry. " + _OTHER, ""),
    "authProviders": ("Secrets that each hold an auth provider. " + _OTHER, ""),
    "authProviders[]": ("A secret holding an auth provider.", ""),
    "blockNewUsers": ("Who may sign up. " + _OTHER, ""),
    "license": ("The secret with the license. " + _OTHER, ""),
    "sshGatewayHostKey": ("The secret with the SSH gateway's host key. " + _OTHER, ""),
    "disableDefinitelyGp": ("Not covered by this guide (default true).", ""),
    "customCACert": ("The secret with a CA to trust. " + _OTHER, ""),
    "dropImageRepo": ("Not covered by this guide.", ""),
    "customization": ("Annotations, labels and environment of components. " + _OTHER, ""),
    "components": ("Per-component settings. " + _OTHER, ""),
    "experimental": ("Experimental settings. " + _OTHER, ""),
}
#: The two keys of every object reference.
REF_KEYS = {
    "kind": "Always secret, the only kind.",
    "name": "The Kubernetes secret's name, in Gitpod's namespace.",
}


def _described(node: dict[str, Any], text: str, ref: str) -> dict[str, Any]:
    link = _guide_url(ref or EDITOR_REF)
    return {
        "description": f"{text} Guide: {link}",
        "markdownDescription": f"{text}\n\n[Guide]({link})",
        **node,
    }


def _nullable(kind: str) -> list[str]:
    return [kind, "null"]


def _node(sch: schema.Schema, path: str, release: Release) -> dict[str, Any]:
    text, ref = INSTALLER_KEYS[path]
    if path in schema.ADDED_IN:
        text += f" From {schema.ADDED_IN[path].value} on."
    return _described(_shape(sch, path, release, ref), text, ref)


def _shape(sch: schema.Schema, path: str, release: Release, ref: str) -> dict[str, Any]:
    if isinstance(sch, Open):
        return {"$ref": "#/definitions/value"}
    if isinstance(sch, ObjectRef):
        props = {
            key: _described({"type": _nullable("string")}, REF_KEYS[key], ref) for key in sch.keys
        }
        return {"type": _nullable("object"), "properties": props, "additionalProperties": False}
    if isinstance(sch, Mapping):
        props = {
            key: _node(child, f"{path}.{key}" if path else key, release)
            for key, child in sch.keys.items()
        }
        return {"type": _nullable("object"), "properties": props, "additionalProperties": False}
    if isinstance(sch, ListOf):
        return {"type": _nullable("array"), "items": _node(sch.item, f"{path}[]", release)}
    if sch is Scalar.BOOL:
        return {"type": _nullable("boolean")}
    if sch is Scalar.INT:
        return {"type": _nullable("integer"), "minimum": INT64[0], "maximum": INT64[1]}
    return {"type": _nullable("string")}


def installer(release: Release) -> dict[str, Any]:
    """The JSON Schema of ``release``'s installer config."""
    root = schema.installer_config(release)
    props = {key: _node(child, key, release) for key, child in root.keys.items()}
    props["apiVersion"] = {**props["apiVersion"], "type": "string", "const": "v1"}
    props["kind"] = {**props["kind"], "type": "string", "enum": list(schema.INSTALLATION_KINDS)}
    return {
        "$schema": DRAFT,
        "$id": url(installer_path(release)),
        "title": f"Gitpod Self-Hosted {release.value} installer config (apiVersion: v1)",
        "description": f"The installer config the {release.value} installer loads. Guide: "
        f"{_guide_url('check.md#editor')}",
        "type": "object",
        "properties": props,
        "additionalProperties": False,
        "definitions": {"value": ANY_VALUE},
    }


_KOTS_PAGES = {"container_registry": _REG, "storage": _STO, "database": _DB}
_KOTS_ANCHORS = {
    "reg_incluster_storage": "#in-cluster-s3",
    "reg_incluster": "#in-cluster",
    "reg_": "#generic",
    "store_s3": "#s3",
    "store_region": "#s3",
    "store_gcp": "#gcs",
    "store_azure": "#azure",
    "store_provider": "#which-one-wins",
    "db_cloudsql": "#cloud-sql",
    "db_incluster": "#which-one-wins",
    "db_encryption": "#encryption-keys",
    "db_": "#external",
}
#: An item's fields are strings; a number or boolean written there loads as its text.
SCALARS = ["string", "number", "boolean", "null"]
#: The fields of one item (kotskinds' ConfigValue).
ITEM_FIELDS = {
    "value": "The value entered.",
    "valuePlaintext": "A password value, unencrypted.",
    "default": "The default value.",
    "data": "A file's content, base64.",
    "dataPlaintext": "A file's content, unencrypted.",
    "filename": "The uploaded file's name.",
    "repeatableItem": "The repeatable item this value belongs to.",
}


def _item_ref(name: str, group: str) -> str:
    anchor = next((a for prefix, a in _KOTS_ANCHORS.items() if name.startswith(prefix)), "")
    return f"{_KOTS_PAGES[group]}{anchor}"


def _item(text: str, ref: str) -> dict[str, Any]:
    fields = {k: _described({"type": SCALARS}, v, ref) for k, v in ITEM_FIELDS.items()}
    return _described({"type": ["object", "null"], "properties": fields}, text, ref)


def admin_console() -> dict[str, Any]:
    """The JSON Schema of a ConfigValues export (``kubectl kots get config``)."""
    items = {
        item.name: _item(
            f'Admin console field "{item.title}" ({config.KOTS_GROUPS[item.group]}).',
            _item_ref(item.name, item.group),
        )
        for item in config.KOTS_ITEMS.values()
    }
    values = _described(
        {
            "type": "object",
            "properties": items,
            "additionalProperties": _item("Another admin console item.", EDITOR_REF),
        },
        "The admin console items by name, each {value: ...}.",
        "check.md",
    )
    spec = _described(
        {"type": "object", "properties": {"values": values}, "required": ["values"]},
        "The values.",
        "check.md",
    )
    return {
        "$schema": DRAFT,
        "$id": url(ADMIN_CONSOLE_PATH),
        "title": "Gitpod Self-Hosted 2022.11 admin console export (kind: ConfigValues)",
        "description": "The admin console's values as kubectl kots get config exports them. "
        f"Guide: {_guide_url('check.md#editor')}",
        "type": "object",
        "properties": {
            "apiVersion": _described(
                {"const": KOTS_API_VERSION}, "The KOTS API version.", "check.md"
            ),
            "kind": _described({"const": "ConfigValues"}, "Always ConfigValues.", "check.md"),
            "metadata": _described({"type": "object"}, "The export's name.", "check.md"),
            "spec": spec,
        },
        "required": ["apiVersion", "kind", "spec"],
    }


def files() -> dict[str, str]:
    """Every schema file the site publishes, by its path under the site's root."""
    out = {installer_path(r): installer(r) for r in schema.RELEASES}
    out[ADMIN_CONSOLE_PATH] = admin_console()
    return {path: json.dumps(doc, indent=2) + "\n" for path, doc in out.items()}
