"""Live proof of the AWS recipe: the in-cluster registry on S3, run for real.

The site's own in-cluster-on-S3 example (read from the built page, as a reader copies it) is mapped
onto Distribution's ``storage.s3`` the way Gitpod's installer and the docker-registry chart do
(:mod:`tests.support.distribution`). Only the endpoint host is swapped for a local S3 server (moto)
and ``secure`` is turned off for plain HTTP. Debian's ``docker-registry`` (Distribution 2.8) then
serves that configuration on loopback; an OCI image is pushed through the Registry HTTP API V2 to
the two repositories Gitpod pushes to, pulled back, and looked for in the bucket.

Run alone with readable output: ``make registry-check``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import re
import secrets
import shlex
import subprocess
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import boto3
import pytest
import requests
import yaml
from bs4 import Tag
from moto.server import ThreadedMotoServer

from gitpod_resources.registry import IN_CLUSTER_REGISTRIES, PUSHED_REPOSITORIES
from tests.conftest import Site, require
from tests.examples import Example, examples
from tests.support import distribution

pytestmark = pytest.mark.registry

REGISTRY_BIN = Path("/usr/bin/docker-registry")
#: Where Debian's package keeps images when it uses its own (filesystem) configuration.
DEBIAN_DEFAULT_ROOT = Path("/var/lib/docker-registry")
PAGE = "container-registry/index.html"
PROOF_PAGE = "tested/index.html"
FIX_ANCHOR = "registry-on-s3-missing-bucket"
PROOF_URL = f"{PROOF_PAGE.removesuffix('index.html')}#{FIX_ANCHOR}"
#: What the reader exports before running the site's ``kubectl create secret`` command.
READER_ENV = {
    "AWS_ACCESS_KEY_ID": "registry-check-access-key",
    "AWS_SECRET_ACCESS_KEY": "registry-check-secret-key",
}
#: The chart's default ``configData`` (twuni docker-registry 2.2.2 ``values.yaml``), minus storage.
CHART_HEALTH = {"storagedriver": {"enabled": True, "interval": "10s", "threshold": 3}}
START_TIMEOUT = 15.0
HEALTH_TIMEOUT = 15.0
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"

T = TypeVar("T")


def say(message: str) -> None:
    print(f"[registry-check] {message}", flush=True)


def wait_for(what: str, probe: Callable[[], T | None], timeout: float) -> T:
    """Poll ``probe`` until it returns a value, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}", pytrace=False)
        time.sleep(0.05)


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def blob_data_key(digest: str) -> str:
    """Distribution's content-addressed layout: ``blobs/sha256/<2 hex>/<hex>/data``."""
    algorithm, _, hex_ = digest.partition(":")
    return f"docker/registry/v2/blobs/{algorithm}/{hex_[:2]}/{hex_}/data"


# --- the site's recipe -------------------------------------------------------------------------


@dataclass
class Recipe:
    example: Example
    installer: dict[str, Any]
    secret_data: dict[str, str]


def secret_data_from_command(command: str) -> dict[str, str]:
    """The secret's data as the site's ``kubectl create secret generic`` command would create it."""
    argv = shlex.split(command.replace("\\\n", " "))
    assert argv[:4] == ["kubectl", "create", "secret", "generic"], argv
    data = {}
    for arg in argv[5:]:
        flag, _, rest = arg.partition("=")
        if flag == "--namespace":
            continue  # where the secret is created, not what it holds
        assert flag == "--from-literal", f"unexpected flag in the site's command: {arg}"
        key, _, value = rest.partition("=")
        data[key] = READER_ENV[value.removeprefix("$")] if value.startswith("$") else value
    return data


@pytest.fixture
def recipe(site: Site) -> Recipe:
    """The first in-cluster-on-S3 example of the container-registry page, as built."""
    found = [e for e in examples(site.soup(PAGE), PAGE) if e.kind == "registry:in-cluster-s3"]
    assert found, f"{PAGE}: no in-cluster-s3 example"
    ex = found[0]
    command = ex.code("Secret")
    assert command is not None, f"{PAGE}: the in-cluster-s3 example has no secret command"
    return Recipe(ex, ex.yaml(), secret_data_from_command(command))


def _missing_bucket_paragraphs(site: Site) -> list[Tag]:
    heading = site.soup(PROOF_PAGE).find(id=FIX_ANCHOR)
    assert isinstance(heading, Tag), f"{PROOF_PAGE}: no #{FIX_ANCHOR}"
    paragraphs = []
    for sibling in heading.find_next_siblings():
        if not isinstance(sibling, Tag) or sibling.name != "p":
            break
        paragraphs.append(sibling)
    assert len(paragraphs) >= 2, f"{PROOF_PAGE}#{FIX_ANCHOR}: symptom, then fix"
    return paragraphs


def site_fix(site: Site) -> str:
    """What the site tells a reader to do when the bucket does not exist (its own words)."""
    for paragraph in _missing_bucket_paragraphs(site):
        text = " ".join(paragraph.get_text().split())
        if text.startswith("Fix:"):
            return text
    pytest.fail(f"{PROOF_PAGE}#{FIX_ANCHOR}: no paragraph starting 'Fix:'", pytrace=False)


def error_code_the_site_names(site: Site) -> str:
    """The error the site says the registry logs, the first ``code`` of the symptom paragraph."""
    code = _missing_bucket_paragraphs(site)[0].find("code")
    assert isinstance(code, Tag), f"{PROOF_PAGE}#{FIX_ANCHOR}: name the error in `code`"
    return code.get_text()


# --- servers -----------------------------------------------------------------------------------


@dataclass
class S3Server:
    host_port: str

    @property
    def url(self) -> str:
        return f"http://{self.host_port}"

    def client(self, region: str) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=region,
            aws_access_key_id=READER_ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=READER_ENV["AWS_SECRET_ACCESS_KEY"],
        )


@pytest.fixture(scope="module")
def moto_server() -> Iterator[S3Server]:
    """moto in server mode on a free loopback port, stopped after this module's tests (stopping
    costs ~0.5 s: werkzeug polls for shutdown)."""
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


@pytest.fixture
def s3_server(moto_server: S3Server) -> S3Server:
    """The moto server, emptied: each test starts with no bucket and no object."""
    requests.post(f"{moto_server.url}/moto-api/reset", timeout=5).raise_for_status()
    say(f"S3 server (moto) on {moto_server.url}")
    return moto_server


@dataclass
class Registry:
    url: str
    sandbox: Path
    log: Path
    process: subprocess.Popen[bytes]

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def registry_config(storage_s3: distribution.S3StorageParameters, health: Any) -> dict[str, Any]:
    """A whole Distribution config: the chart's defaults plus the installer's ``storage.s3``."""
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


@pytest.fixture
def start_registry(tmp_path: Path) -> Iterator[Callable[[dict[str, Any]], Registry]]:
    """Start ``docker-registry serve`` with a config; every process started is stopped."""
    require(REGISTRY_BIN.exists(), "apt-get install docker-registry")
    started: list[Registry] = []

    def start(config: dict[str, Any]) -> Registry:
        assert "filesystem" not in config["storage"], "the S3 recipe has no filesystem storage"
        sandbox = tmp_path / f"registry-{len(started)}"
        (sandbox / "tmp").mkdir(parents=True)
        config_file = sandbox / "config.yml"
        config_file.write_text(yaml.safe_dump(config, sort_keys=False))
        log = sandbox / "registry.log"
        # A clean environment: the registry panics on an inherited AWS_CA_BUNDLE, and no AWS_*
        # credential or profile of this machine may leak into the proof.
        env = {"PATH": "/usr/bin:/bin", "HOME": str(sandbox), "TMPDIR": str(sandbox / "tmp")}
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [str(REGISTRY_BIN), "serve", str(config_file)],
                cwd=sandbox,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        registry = Registry("", sandbox, log, process)
        started.append(registry)

        def listening() -> str | None:
            if process.poll() is not None:
                pytest.fail(f"docker-registry exited:\n{registry.log_tail()}", pytrace=False)
            found = re.search(r"listening on (127\.0\.0\.1:\d+)", log.read_text(errors="replace"))
            return found.group(1) if found else None

        registry.url = "http://" + wait_for("the registry to listen", listening, START_TIMEOUT)

        def answers() -> int | None:
            try:
                return requests.get(f"{registry.url}/v2/", timeout=2).status_code
            except requests.ConnectionError:
                return None

        status = wait_for("/v2/ to answer", answers, START_TIMEOUT)
        say(f"docker-registry on {registry.url}: GET /v2/ -> {status}")
        return registry

    try:
        yield start
    finally:
        for registry in started:
            if registry.process.poll() is None:
                registry.process.terminate()
                try:
                    registry.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    registry.process.kill()
                    registry.process.wait(timeout=5)


def local_storage(recipe: Recipe, s3: S3Server) -> distribution.S3StorageParameters:
    """The installer's ``storage.s3`` with only the endpoint host and ``secure`` changed."""
    storage = distribution.s3_storage(recipe.installer, recipe.secret_data)
    shown = {k: ("<from the secret>" if k.endswith("key") else v) for k, v in storage.items()}
    say(f"site example: {PAGE} {recipe.example.inputs}")
    say(f"storage.s3 as the installer + chart set it: {shown}")
    say(f"  the registry would call {distribution.effective_endpoint_url(storage)}")
    local = distribution.S3StorageParameters(
        **{**storage, "regionendpoint": s3.host_port, "secure": False}
    )
    say(
        f"for this test ONLY: regionendpoint {storage['regionendpoint']} -> {s3.host_port} "
        f"(local S3), secure true -> false (plain HTTP); region, bucket, keys, encrypt unchanged"
    )
    say(f"  the registry now calls {distribution.effective_endpoint_url(local)}")
    changed = {k for k, v in storage.items() if local[k] != v}
    assert changed == {"regionendpoint", "secure"}, changed
    return local


# --- an OCI image and the Registry HTTP API V2 -------------------------------------------------


@dataclass
class Image:
    config: bytes
    layer: bytes
    manifest: bytes

    @property
    def blobs(self) -> dict[str, bytes]:
        return {sha256(self.config): self.config, sha256(self.layer): self.layer}

    @property
    def digest(self) -> str:
        return sha256(self.manifest)


def oci_image(repository: str) -> Image:
    """A small, valid, reproducible OCI image whose one file names the repository."""
    content = f"pushed to {repository} by the registry check\n".encode()
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("etc/gitpod-registry-check")
        info.size, info.mtime, info.mode = len(content), 0, 0o644
        tar.addfile(info, io.BytesIO(content))
    layer = gzip.compress(tar_bytes.getvalue(), mtime=0)
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {},
            "rootfs": {"type": "layers", "diff_ids": [sha256(tar_bytes.getvalue())]},
        },
        sort_keys=True,
    ).encode()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "digest": sha256(config), "size": len(config)},
            "layers": [{"mediaType": OCI_LAYER, "digest": sha256(layer), "size": len(layer)}],
        },
        sort_keys=True,
    ).encode()
    return Image(config, layer, manifest)


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


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


# --- the proof ---------------------------------------------------------------------------------


def test_registry_keeps_every_image_in_the_bucket(
    recipe: Recipe,
    s3_server: S3Server,
    start_registry: Callable[[dict[str, Any]], Registry],
) -> None:
    began = time.monotonic()
    storage = local_storage(recipe, s3_server)
    s3 = s3_server.client(storage["region"])
    s3.create_bucket(
        Bucket=storage["bucket"],
        CreateBucketConfiguration={"LocationConstraint": storage["region"]},
    )
    say(f"created bucket {storage['bucket']} in {storage['region']}")
    registry = start_registry(registry_config(storage, CHART_HEALTH))
    http = requests.Session()
    tag = "registry-check"

    images = {repo: oci_image(repo) for repo in PUSHED_REPOSITORIES}
    for repository, image in images.items():
        assert not repository_exists(http, registry.url, repository), repository
        push(http, registry.url, repository, tag, image)
        assert repository_exists(http, registry.url, repository), repository
    say(f"repositories created on push: {', '.join(PUSHED_REPOSITORIES)}")
    catalog = http.get(f"{registry.url}/v2/_catalog", timeout=10).json()["repositories"]
    assert set(PUSHED_REPOSITORIES) <= set(catalog), catalog

    for repository, image in images.items():
        pull_and_verify(http, registry.url, repository, image)

    keys = bucket_keys(s3, storage["bucket"])
    say(f"bucket {storage['bucket']} holds {len(keys)} objects")
    for repository, image in images.items():
        stored = {**image.blobs, image.digest: image.manifest}
        for digest, data in stored.items():
            key = blob_data_key(digest)
            assert key in keys, f"{digest} ({repository}) is not in the bucket as {key}"
            obj = s3.get_object(Bucket=storage["bucket"], Key=key)
            assert obj["Body"].read() == data, f"{key} holds other bytes"
            # encrypt: true reached S3: every object was written with server-side encryption.
            assert obj.get("ServerSideEncryption") == "AES256", (
                key,
                obj.get("ServerSideEncryption"),
            )
            say(f"  in the bucket, SSE {obj['ServerSideEncryption']}: {key}")
        tag_link = (
            f"docker/registry/v2/repositories/{repository}/_manifests/tags/{tag}/current/link"
        )
        assert tag_link in keys, f"{repository}:{tag} is not in the bucket"
        link = s3.get_object(Bucket=storage["bucket"], Key=tag_link)["Body"].read().decode()
        assert link == image.digest, (tag_link, link)

    # Nothing on the registry's own disk: its sandbox (cwd, HOME, TMPDIR) holds only the config
    # and its log, no file there holds a layer, and Debian's default root holds none of ours.
    local = files_under(registry.sandbox)
    assert {p.name for p in local} == {"config.yml", "registry.log"}, local
    layers = [image.layer for image in images.values()]
    for path in local:
        content = path.read_bytes()
        assert not any(layer in content for layer in layers), f"{path} holds a layer"
    if DEBIAN_DEFAULT_ROOT.is_dir():
        hexes = {d.partition(":")[2] for i in images.values() for d in [*i.blobs, i.digest]}
        names = {p.name for p in DEBIAN_DEFAULT_ROOT.rglob("*")}
        assert not hexes & names, f"{DEBIAN_DEFAULT_ROOT} holds blobs of this test"
    say(f"registry's local disk holds no blob: {[p.name for p in local]}")

    assert http.get(f"{registry.url}/v2/", timeout=10).status_code == 200
    say(f"done in {time.monotonic() - began:.1f}s")


def test_missing_bucket_fails_first_push_and_health_check(
    site: Site,
    recipe: Recipe,
    s3_server: S3Server,
    start_registry: Callable[[dict[str, Any]], Registry],
) -> None:
    """The same recipe with the bucket never created: the error a reader meets, and the fix."""
    fix = site_fix(site)
    code = error_code_the_site_names(site)
    storage = local_storage(recipe, s3_server)
    say(f"bucket {storage['bucket']} NOT created")
    hint = f"the site's fix ({PROOF_URL}): {fix}"

    # 1. The chart's own health settings (10s x 3): the first push meets the missing bucket.
    registry = start_registry(registry_config(storage, CHART_HEALTH))
    pushed = requests.post(f"{registry.url}/v2/base-images/blobs/uploads/", timeout=10)
    assert pushed.status_code == 500, f"first push: {pushed.status_code} {pushed.text}; {hint}"
    assert code in registry.log_tail(20000), f"registry log lacks {code!r}; {hint}"
    say(f"first push -> HTTP {pushed.status_code}; registry log: {code}")

    # 2. The health check, every 1s instead of the chart's 10s x 3 so that it turns within the
    # time budget; the storage settings stay as above.
    health = {"storagedriver": {"enabled": True, "interval": "1s", "threshold": 1}}
    say(f"health check for this registry ONLY: {CHART_HEALTH} -> {health}")
    registry = start_registry(registry_config(storage, health))

    def unhealthy() -> requests.Response | None:
        got = requests.get(f"{registry.url}/v2/", timeout=5)
        return got if got.status_code == 503 else None

    got = wait_for(f"/v2/ to turn 503 ({hint})", unhealthy, HEALTH_TIMEOUT)
    assert "health check failed" in got.text, f"{got.text}; {hint}"
    say(f"health check -> HTTP {got.status_code}: {got.json()['errors'][0]['detail']}")
    say(f"the site says ({PROOF_URL}): {fix}")


def test_the_page_names_the_distribution_version_the_check_runs(site: Site) -> None:
    """The proof page says which Distribution the live check runs; the binary agrees, and it is
    the line a 2022.11 release deploys (registry.IN_CLUSTER_REGISTRIES)."""
    require(REGISTRY_BIN.exists(), f"{REGISTRY_BIN} (Debian's docker-registry) is not installed")
    printed = subprocess.run(
        [str(REGISTRY_BIN), "--version"], capture_output=True, text=True, timeout=10
    ).stdout
    found = re.search(r"\b(\d+)\.(\d+)\.\d+", printed)
    assert found is not None, printed
    running = f"{found[1]}.{found[2]}"
    text = " ".join(site.soup(PROOF_PAGE).get_text(" ").split())
    said = set(re.findall(r"Debian's docker-registry \(Distribution (\d+\.\d+)\)", text))
    assert said == {running}, (said, printed)
    shipped = {r.distribution.rsplit(".", 1)[0] for r in IN_CLUSTER_REGISTRIES}
    assert running in shipped, (running, shipped)
