"""A real registry on a local S3 server, for the live proofs (tests/live/).

Debian's ``docker-registry`` (Distribution 2.8) is started (``tests/support/local_servers.py``)
with a whole configuration on a free
loopback port, in a sandbox directory, with a clean environment: it panics on an inherited
``AWS_CA_BUNDLE``, and no AWS credential or profile of this machine may leak into a proof. moto,
in server mode on loopback, is the S3 server. An OCI image is pushed through the Registry HTTP
API V2 and pulled back by digest.

Shared by ``test_registry_on_s3.py`` (the recipe keeps every image in the bucket) and
``test_prerequisites_aws.py`` (a push with only the guide's IAM policy); a test module never
imports another.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import boto3
import requests
from moto.server import ThreadedMotoServer

from gitpod_resources.probe.registry import OCI_MANIFEST, Image, probe_image
from tests.support.local_servers import Registry, start_registry, stop

#: The chart's default ``configData`` (twuni docker-registry 2.2.2 ``values.yaml``), minus storage.
CHART_HEALTH = {"storagedriver": {"enabled": True, "interval": "10s", "threshold": 3}}
START_TIMEOUT = 15.0


def say(message: str, tag: str = "registry-check") -> None:
    print(f"[{tag}] {message}", flush=True)


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def blob_data_key(digest: str) -> str:
    """Distribution's content-addressed layout: ``blobs/sha256/<2 hex>/<hex>/data``."""
    algorithm, _, hex_ = digest.partition(":")
    return f"docker/registry/v2/blobs/{algorithm}/{hex_[:2]}/{hex_}/data"


# --- the S3 server -----------------------------------------------------------------------------


@dataclass
class S3Server:
    host_port: str
    #: Credentials :meth:`client` signs with unless told otherwise.
    access_key: str = "registry-check-access-key"
    secret_key: str = "registry-check-secret-key"

    @property
    def url(self) -> str:
        return f"http://{self.host_port}"

    def client(self, region: str, service: str = "s3", key: tuple[str, str] | None = None) -> Any:
        access, secret = key or (self.access_key, self.secret_key)
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=region,
            aws_access_key_id=access,
            aws_secret_access_key=secret,
        )

    def reset(self) -> None:
        """No bucket, no object, no IAM user: moto's state back to empty."""
        requests.post(f"{self.url}/moto-api/reset", timeout=5).raise_for_status()


@contextmanager
def threaded_moto() -> Iterator[S3Server]:
    """moto in server mode on a free loopback port (stopping costs ~0.5 s: werkzeug polls)."""
    werkzeug_log = logging.getLogger("werkzeug")
    level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)  # one log line per S3 request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield S3Server(f"{host}:{port}")
    finally:
        server.stop()
        werkzeug_log.setLevel(level)


# --- the registry ------------------------------------------------------------------------------


def registry_config(storage_s3: dict[str, Any], health: Any) -> dict[str, Any]:
    """A whole Distribution config: the chart's defaults plus the given ``storage.s3``."""
    return {
        "version": 0.1,
        "log": {"level": "info", "fields": {"service": "registry"}},
        "storage": {"s3": dict(storage_s3), "cache": {"blobdescriptor": "inmemory"}},
        # Port 0: the registry binds a free port and logs it ("listening on ...").
        "http": {
            "addr": "127.0.0.1:0",
            "secret": secrets.token_hex(16),  # the chart's haSharedSecret
            "headers": {"X-Content-Type-Options": ["nosniff"]},
        },
        "health": health,
    }


@dataclass
class RegistryLauncher:
    """Starts ``docker-registry serve`` with a config in sandboxes under ``root``; stops every
    process it started (:meth:`stop_all`)."""

    root: Path
    started: list[Registry] = field(default_factory=list)

    def start(self, config: dict[str, Any]) -> Registry:
        assert "filesystem" not in config["storage"], "the S3 recipe has no filesystem storage"
        registry = start_registry(
            self.root / f"registry-{len(self.started)}", config, timeout=START_TIMEOUT
        )
        self.started.append(registry)
        say(f"docker-registry on {registry.url}: GET /v2/ -> {registry.status}")
        return registry

    def stop_all(self) -> None:
        for registry in self.started:
            stop(registry.process, timeout=5)


# --- an OCI image and the Registry HTTP API V2 -------------------------------------------------


#: The probe's image (``gitpod-resources probe registry`` pushes the same): one small layer whose
#: one file names the repository, reproducible.
oci_image = probe_image


def push(http: requests.Session, registry: str, repository: str, tag: str, image: Image) -> None:
    for digest, data in image.blobs.items():
        started = http.post(f"{registry}/v2/{repository}/blobs/uploads/", timeout=10)
        assert started.status_code == 202, (started.status_code, started.text)
        location = urljoin(registry, started.headers["Location"])
        done = http.put(
            location,
            params={"digest": digest},
            data=data,
            headers={"Content-Type": "application/octet-stream"},
            timeout=10,
        )
        assert done.status_code == 201, (done.status_code, done.text)
        assert done.headers["Docker-Content-Digest"] == digest
    put = http.put(
        f"{registry}/v2/{repository}/manifests/{tag}",
        data=image.manifest,
        headers={"Content-Type": OCI_MANIFEST},
        timeout=10,
    )
    assert put.status_code == 201, (put.status_code, put.text)
    assert put.headers["Docker-Content-Digest"] == image.digest
    say(f"pushed {repository}:{tag} = {image.digest} (config + layer + manifest)")


def pull_and_verify(http: requests.Session, registry: str, repository: str, image: Image) -> None:
    got = http.get(
        f"{registry}/v2/{repository}/manifests/{image.digest}",
        headers={"Accept": OCI_MANIFEST},
        timeout=10,
    )
    assert got.status_code == 200, (got.status_code, got.text)
    assert sha256(got.content) == image.digest, "manifest pulled by digest has another digest"
    manifest = got.json()
    for descriptor in [manifest["config"], *manifest["layers"]]:
        blob = http.get(f"{registry}/v2/{repository}/blobs/{descriptor['digest']}", timeout=10)
        assert blob.status_code == 200, (blob.status_code, blob.text)
        assert sha256(blob.content) == descriptor["digest"], descriptor
        assert len(blob.content) == descriptor["size"], descriptor
        served_by = urlsplit(blob.url).netloc
        say(
            f"pulled {repository}@{descriptor['digest'][:19]}...: digest ok, served by "
            f"{served_by}{' (registry redirected to the bucket)' if blob.history else ''}"
        )


def repository_exists(http: requests.Session, registry: str, repository: str) -> bool:
    got = http.get(f"{registry}/v2/{repository}/tags/list", timeout=10)
    if got.status_code == 404:
        assert got.json()["errors"][0]["code"] == "NAME_UNKNOWN", got.text
        return False
    assert got.status_code == 200, (got.status_code, got.text)
    return True


def bucket_keys(s3: Any, bucket: str) -> set[str]:
    keys: set[str] = set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys |= {o["Key"] for o in page.get("Contents", [])}
    return keys
