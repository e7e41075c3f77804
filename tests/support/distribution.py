"""The in-cluster registry's S3 storage, as Distribution receives it.

Gitpod's installer (``install/installer/pkg/components/docker-registry/helm.go`` lines 50-72, the
same at the four 2022.11 tags) sets these values of the twuni ``docker-registry`` chart (1.16.0
with Distribution 2.7.1 in 2022.11.0 and 2022.11.1, 2.2.2 with 2.8.1 from 2022.11.2:
``registry.IN_CLUSTER_REGISTRIES``) when ``containerRegistry.inCluster`` is true and
``containerRegistry.s3storage`` is set:

- ``s3.region`` = ``s3storage.region``, ``s3.bucket`` = ``s3storage.bucket``,
  ``s3.regionEndpoint`` = ``s3storage.endpoint``;
- ``s3.encrypt`` = ``"true"`` and ``s3.secure`` = ``"true"``, hard-coded;
- ``secrets.s3.secretRef`` = ``s3storage.certificate.name``.

The chart (``templates/_helpers.tpl``) turns them into ``REGISTRY_STORAGE_S3_REGION``, ``_BUCKET``,
``_REGIONENDPOINT``, ``_ENCRYPT``, ``_SECURE``, and ``_ACCESSKEY``/``_SECRETKEY`` read from the
secret's data keys ``s3AccessKey``/``s3SecretKey``: that is Distribution's ``storage.s3`` section.
Nothing else is set: no ``rootdirectory``, ``skipverify``, KMS key or storage class.

How Distribution (2.7.1 and 2.8.1 alike, claim registry.distribution-s3-driver) treats the bare
host in ``regionendpoint`` (the installer never adds a
scheme; the admin console pre-fills a bare host):

- The s3-aws driver (``registry/storage/driver/s3-aws/s3.go``, ``New``) passes ``regionendpoint``
  unchanged to aws-sdk-go v1 (``awsConfig.WithEndpoint``), turns on path-style addressing
  (``WithS3ForcePathStyle(true)``: 2.8 has no ``forcepathstyle`` parameter), and sets
  ``WithDisableSSL(!secure)``. With a ``regionendpoint`` it does not check ``region`` against the
  SDK's region list.
- aws-sdk-go v1 (``aws/session/session.go`` ``resolveEndpoint`` calls
  ``aws/endpoints/endpoints.go`` ``AddScheme``) prefixes an endpoint that does not match
  ``^([^:]+)://`` with ``https://``, or ``http://`` when SSL is disabled; an endpoint that has a
  scheme is used as is, whatever ``secure`` says.
- Checked against Debian's build (2.8.2+ds1): its binary knows no ``forcepathstyle`` parameter,
  and ``tests/live/test_registry_on_s3.py`` shows a bare ``127.0.0.1:<port>`` with
  ``secure: false`` reaching a local S3 server path-style.

So the installer's bare host plus ``secure: true`` means ``https://<host>``, path-style
(``https://<host>/<bucket>/<key>``): the mapping below passes the host through untouched, and
:func:`effective_endpoint_url` states the URL the driver ends up calling. ``secure: false`` with
the same bare host means plain ``http://<host>``, which is what the live test relies on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypedDict

from gitpod_resources.errors import RuleError
from gitpod_resources.registry import S3_ACCESS_KEY, S3_SECRET_KEY

#: The installer hard-codes both (helm.go): server-side encryption and HTTPS to the endpoint.
INSTALLER_ENCRYPT = True
INSTALLER_SECURE = True

_SCHEME = re.compile(r"^([^:]+)://")


class S3StorageParameters(TypedDict):
    """Distribution's ``storage.s3`` parameters, named as its configuration names them."""

    region: str
    regionendpoint: str
    bucket: str
    accesskey: str
    secretkey: str
    encrypt: bool
    secure: bool


def _text(section: Mapping[str, Any], key: str, path: str) -> str:
    value = section.get(key)
    if not isinstance(value, str) or not value:
        raise RuleError(path, value, "a non-empty string", "the installer requires it")
    return value


def s3_storage(
    installer_config: Mapping[str, Any], secret_data: Mapping[str, str]
) -> S3StorageParameters:
    """``storage.s3`` for the in-cluster registry, from the installer config and its S3 secret.

    ``installer_config`` is the document :func:`gitpod_resources.config.installer_config` renders
    (with a ``containerRegistry`` key); ``secret_data`` holds the secret's data keys.
    """
    section = installer_config.get("containerRegistry")
    if not isinstance(section, Mapping):
        raise RuleError("containerRegistry", section, "a mapping", "the section is missing")
    if section.get("inCluster") is not True:
        raise RuleError(
            "containerRegistry.inCluster",
            section.get("inCluster"),
            "true",
            "the installer uses s3storage only for the in-cluster registry",
        )
    s3 = section.get("s3storage")
    if not isinstance(s3, Mapping):
        raise RuleError(
            "containerRegistry.s3storage", s3, "a mapping with bucket, region, endpoint"
        )
    for key in (S3_ACCESS_KEY, S3_SECRET_KEY):
        if not secret_data.get(key):
            raise RuleError(
                "secret", sorted(secret_data), f"data keys {S3_ACCESS_KEY} and {S3_SECRET_KEY}"
            )
    return S3StorageParameters(
        region=_text(s3, "region", "containerRegistry.s3storage.region"),
        regionendpoint=_text(s3, "endpoint", "containerRegistry.s3storage.endpoint"),
        bucket=_text(s3, "bucket", "containerRegistry.s3storage.bucket"),
        accesskey=secret_data[S3_ACCESS_KEY],
        secretkey=secret_data[S3_SECRET_KEY],
        encrypt=INSTALLER_ENCRYPT,
        secure=INSTALLER_SECURE,
    )


def effective_endpoint_url(parameters: S3StorageParameters) -> str:
    """The base URL Distribution 2.8's S3 client calls (aws-sdk-go v1 ``AddScheme``)."""
    endpoint = parameters["regionendpoint"]
    if _SCHEME.match(endpoint):
        return endpoint
    return f"{'https' if parameters['secure'] else 'http'}://{endpoint}"
