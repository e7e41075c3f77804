"""How Gitpod 2022.11 reads an admin console (KOTS) value: two readers, two rules.

An admin console value reaches the install twice, and the two readers disagree on anything but
the exact values the admin console itself writes:

* The **KOTS templates** compare exact strings. ``ConfigOptionEquals "reg_incluster" "0"``
  decides whether the registry's Secret exists (install/kots/manifests/
  gitpod-registry-secret.yaml:9), ``ConfigOptionEquals "reg_incluster_storage" "s3"`` the S3
  backend's (gitpod-registry-s3-backend.yaml:12), ``ConfigOptionEquals "db_incluster" "0"``
  with ``"db_cloudsql_enabled" "0"`` or ``"1"`` the database's and Cloud SQL's
  (gitpod-database-secret.yaml:12, gitpod-cloudsql-secret.yaml:12), ``"store_provider"`` the
  storage Secrets (gitpod-storage-{s3,gcp,azure}-secret.yaml:12), and
  ``"reg_docker_config_enable" "1"`` the extra registry credentials
  (gitpod-custom-registry-credentials.yaml:9). The admin console's own fields use the same
  comparisons (kots-config.yaml:38-119 for the registry, :137-188 for the database).
* The **installer** gets the raw values as environment variables
  (gitpod-kots-config.yaml:30-31, :43-50, :54) and ``BuildFromEnvvars`` reads them
  (install/installer/pkg/config/v1/envvars.go): a bool item through ``isTruthy`` (:21-39, any of
  1, y, yes, on, true, t in any case; anything else is off, no trimming), the registry storage
  as ``== "s3"`` (:273), the storage provider by exact ``switch`` (:295-330, else "unknown
  storage provider").

Every line cited is the same at the four 2022.11 release tags 2022.11.0, 2022.11.1,
release-2022.11.2 and 2022.11.3 of gitpod-io/gitpod (checked with ``git grep`` at each tag).
"""

from __future__ import annotations

from dataclasses import dataclass

#: ``isTruthy`` (envvars.go:21-39 at the 2022.11 tags): compared after ``strings.ToUpper``.
INSTALLER_TRUE = ("1", "y", "yes", "on", "true", "t")
#: The values the admin console writes for a bool item, and what the templates compare with.
ON, OFF = "1", "0"


def installer_on(text: str) -> bool:
    """A bool item as the installer reads it (``isTruthy``: case-insensitive, untrimmed)."""
    return any(text.upper() == t.upper() for t in INSTALLER_TRUE)


@dataclass(frozen=True)
class BoolReading:
    """A bool item's value as both readers take it."""

    text: str
    #: The installer's branch (``isTruthy``).
    installer: bool

    @property
    def templates(self) -> bool | None:
        """True for "1", False for "0", None when ``ConfigOptionEquals`` matches neither."""
        return {ON: True, OFF: False}.get(self.text)

    @property
    def agree(self) -> bool:
        return self.templates is not None


def read_bool(text: str) -> BoolReading:
    return BoolReading(text, installer_on(text))


#: What an item's select offers (kots-config.yaml:41-45 and :202-210 at the 2022.11 tags).
REGISTRY_STORAGE_VALUES = ("none", "s3")
#: The one value of ``reg_incluster_storage`` the installer (envvars.go:273) and the templates
#: (gitpod-registry-s3-backend.yaml:12) take for S3.
REGISTRY_STORAGE_S3 = "s3"

#: The Secrets the templates create, by the item comparison that creates them (constant names:
#: gitpod-kots-config.yaml:33-34, :49, :51; the manifests' metadata.name).
REGISTRY_SECRET = "container-registry"
#: The registry login the templates make for ``reg_incluster`` "0" (gitpod-registry-secret.yaml:7
#: and :9); kots-install.sh:136-146 copies it into :data:`REGISTRY_SECRET`.
EXTERNAL_LOGIN_SECRET = "external-container-registry"
DATABASE_SECRET = "database"
CLOUDSQL_SECRET = "cloudsql"
DOCKER_CONFIG_SECRET = "custom-registry-credentials"


def on_words() -> str:
    """The installer's true values, for messages: '1, y, yes, on, true or t (any case)'."""
    return ", ".join(INSTALLER_TRUE[:-1]) + f" or {INSTALLER_TRUE[-1]} (any case)"
