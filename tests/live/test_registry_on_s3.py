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

import re
import shlex
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from bs4 import Tag

from gitpod_resources.registry import IN_CLUSTER_REGISTRIES, PUSHED_REPOSITORIES
from tests.conftest import Site, require
from tests.examples import Example, examples
from tests.support import distribution
from tests.support.live_registry import (
    CHART_HEALTH,
    RegistryLauncher,
    S3Server,
    blob_data_key,
    bucket_keys,
    oci_image,
    pull_and_verify,
    push,
    registry_config,
    repository_exists,
    say,
    threaded_moto,
)
from tests.support.local_servers import REGISTRY_BIN, Registry, wait_for

pytestmark = pytest.mark.registry

#: Where Debian's package keeps images when it uses its own (filesystem) configuration.
DEBIAN_DEFAULT_ROOT = Path("/var/lib/docker-registry")
PAGE = "container-registry/index.html"
PROOF_PAGE = "tested/index.html"
#: Where a reader who meets a missing bucket looks: the troubleshooting page's section.
FIX_PAGE = "troubleshooting/index.html"
FIX_ANCHOR = "no-such-bucket"
PROOF_URL = f"{FIX_PAGE.removesuffix('index.html')}#{FIX_ANCHOR}"
#: What the reader exports before running the site's ``kubectl create secret`` command.
READER_ENV = {
    "S3_ACCESS_KEY_ID": "registry-check-access-key",
    "S3_SECRET_ACCESS_KEY": "registry-check-secret-key",
}
HEALTH_TIMEOUT = 15.0


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
    """The paragraphs of the section, up to the next heading."""
    heading = site.soup(FIX_PAGE).find(id=FIX_ANCHOR)
    assert isinstance(heading, Tag), f"{FIX_PAGE}: no #{FIX_ANCHOR}"
    paragraphs = []
    for sibling in heading.find_next_siblings():
        if not isinstance(sibling, Tag) or re.fullmatch(r"h[1-6]", sibling.name or ""):
            break
        if sibling.name == "p":
            paragraphs.append(sibling)
    assert len(paragraphs) >= 2, f"{FIX_PAGE}#{FIX_ANCHOR}: symptom, then fix"
    return paragraphs


def site_fix(site: Site) -> str:
    """What the site tells a reader to do when the bucket does not exist (its own words)."""
    for paragraph in _missing_bucket_paragraphs(site):
        text = " ".join(paragraph.get_text().split())
        if text.startswith("Fix."):
            return text
    pytest.fail(f"{FIX_PAGE}#{FIX_ANCHOR}: no paragraph starting 'Fix.'", pytrace=False)


def error_code_the_site_names(site: Site) -> str:
    """The error the site says the registry logs, the first ``code`` of the symptom paragraph."""
    symptom = _missing_bucket_paragraphs(site)[0]
    assert symptom.get_text().startswith("Symptom."), f"{FIX_PAGE}#{FIX_ANCHOR}: symptom first"
    code = symptom.find("code")
    assert isinstance(code, Tag), f"{FIX_PAGE}#{FIX_ANCHOR}: name the error in `code`"
    return code.get_text()


# --- servers -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moto_server() -> Iterator[S3Server]:
    """moto in server mode on a free loopback port, stopped after this module's tests."""
    with threaded_moto() as server:
        yield server


@pytest.fixture
def s3_server(moto_server: S3Server) -> S3Server:
    """The moto server, emptied: each test starts with no bucket and no object."""
    moto_server.reset()
    say(f"S3 server (moto) on {moto_server.url}")
    return moto_server


@pytest.fixture
def start_registry(tmp_path: Path) -> Iterator[Callable[[dict[str, Any]], Registry]]:
    """Start ``docker-registry serve`` with a config; every process started is stopped."""
    require(REGISTRY_BIN.exists(), "apt-get install docker-registry")
    launcher = RegistryLauncher(tmp_path)
    try:
        yield launcher.start
    finally:
        launcher.stop_all()


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
    # The troubleshooting page quotes what the registry answers, code and detail.
    (error,) = got.json()["errors"]
    shown = " ".join(site.soup(FIX_PAGE).get_text(" ").split())
    for said in (error["code"], error["detail"]):
        assert said in shown, f"{FIX_PAGE} does not quote the registry's {said!r}"
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
