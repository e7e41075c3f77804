"""Putting it together: registry, object storage and database for one cloud, in one config.

Each part is composed by its own rules (:mod:`registry`, :mod:`storage`, :mod:`database`); this
module only picks the recipe per cloud and merges the fragments, refusing any key two parts set
to different values (for example two different ``metadata.region`` values).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from . import config, database, registry, storage
from .database import DatabaseSetup
from .errors import RuleError
from .registry import RegistrySetup
from .storage import StorageSetup


class Cloud(StrEnum):
    AWS = "aws"
    GCP = "gcp"
    #: Any cluster with its own registry (Harbor, say): no cloud service at all.
    ON_PREM = "on-prem"


@dataclass(frozen=True)
class Stack:
    cloud: Cloud
    registry: RegistrySetup
    storage: StorageSetup
    database: DatabaseSetup


def aws(region: str, registry_bucket: str, storage_bucket: str, db_host: str) -> Stack:
    """In-cluster registry on S3, S3 object storage and an external MySQL (e.g. RDS)."""
    return Stack(
        Cloud.AWS,
        registry.in_cluster_s3(registry_bucket, region),
        storage.s3(region, storage_bucket),
        database.external(db_host),
    )


def gcp(region: str, project: str, db_instance: str, repository: str = "gitpod") -> Stack:
    """Artifact Registry, Cloud Storage and Cloud SQL, all in one project and region."""
    return Stack(
        Cloud.GCP,
        registry.gar(region, project, repository),
        storage.gcs(region, project),
        database.cloud_sql(project, region, db_instance),
    )


def on_prem(registry_host: str, db_host: str, project: str = "gitpod") -> Stack:
    """Any cluster with its own registry: a registry such as Harbor (URL ``<host>/<project>``),
    in-cluster MinIO for object storage (nothing to create) and an external MySQL."""
    return Stack(
        Cloud.ON_PREM,
        registry.generic(registry_host, project),
        storage.in_cluster(),
        database.external(db_host),
    )


def build(cloud: str, inputs: dict[str, str]) -> Stack:
    builders: dict[Cloud, Any] = {Cloud.AWS: aws, Cloud.GCP: gcp, Cloud.ON_PREM: on_prem}
    for c in Cloud:
        if cloud == c.value:
            stack: Stack = builders[c](**inputs)
            return stack
    raise RuleError("cloud", cloud, f"one of {', '.join(c.value for c in Cloud)}")


def _merge(into: dict[str, Any], part: dict[str, Any], path: str = "") -> None:
    for key, value in part.items():
        where = f"{path}{key}"
        if key not in into:
            into[key] = value
        elif isinstance(into[key], dict) and isinstance(value, dict):
            _merge(into[key], value, where + ".")
        elif into[key] != value:
            raise RuleError(where, value, f"the value another part already set, {into[key]!r}")


def installer_config(stack: Stack) -> dict[str, Any]:
    """One installer config with all three dependencies, merged from each part's rules."""
    doc: dict[str, Any] = {}
    for part in (
        config.installer_config(stack.registry),
        storage.installer_config(stack.storage),
        database.installer_config(stack.database),
    ):
        _merge(doc, part)
    order = ("apiVersion", "metadata", "containerRegistry", "objectStorage", "database")
    return {k: doc[k] for k in sorted(doc, key=lambda k: order.index(k) if k in order else 99)}


def installer_yaml(stack: Stack) -> str:
    return config.to_yaml(installer_config(stack))


def kots_groups(stack: Stack) -> list[tuple[str, list[tuple[str, str]]]]:
    """(admin console group title, its rows), in the order the admin console shows the groups."""
    return [
        (config.KOTS_GROUPS["container_registry"], config.kots_fields(stack.registry)),
        (config.KOTS_GROUPS["storage"], storage.kots_fields(stack.storage)),
        (config.KOTS_GROUPS["database"], database.kots_fields(stack.database)),
    ]


def secret_commands(stack: Stack) -> list[str]:
    out = [config.secret_command(stack.registry), storage.secret_command(stack.storage)]
    out += database.secret_commands(stack.database)
    return [c for c in out if c]


def secret_command(stack: Stack) -> str:
    return "\n".join(secret_commands(stack))
