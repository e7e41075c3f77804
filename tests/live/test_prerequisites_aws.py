"""Live proof of the AWS prerequisites: the guide's commands, run against S3 and IAM with IAM on.

The commands :func:`gitpod_resources.prerequisites.aws_s3` returns (the ones the AWS pages show)
run in bash exactly as written, with the reader's variables; the ``aws`` bash finds is
:mod:`tests.support.aws_cli`, which makes the same API calls with boto3 against moto in server
mode on loopback. IAM is enforced (:mod:`tests.support.moto_iam`): three unauthenticated requests
make an administrator of the region's partition, who runs the guide's commands; everything after
that is signed by a key and allowed only by that key's policies. Then the user the commands
created works with its key alone: the storage operations content-service makes, the per-user
buckets, and a push through Debian's ``docker-registry`` (Distribution 2.8) configured the way
Gitpod's installer configures it, with the user's key.

Where moto 5.2.5 checks other actions than AWS (:data:`tests.support.moto_iam.MOTO_DIFFERENCES`):
it checks HEAD on a bucket as ``s3:HeadBucket`` where AWS checks ``s3:ListBucket``, a batched
delete as ``s3:DeleteObject`` on the bucket's ARN and deletes even when that is refused, and it
answers a presigned URL with an error while IAM is on. (Bucket listings are ``s3:ListBucket`` in
moto as in AWS, not ``s3:ListObjects``/``s3:ListObjectsV2``:
:func:`test_moto_checks_what_the_support_module_says` holds moto to this list.) The proofs add
moto's action wherever the guide's policy grants AWS's (never anything else), leave the batched
deletes unproven as to permission, and check a presigned pull URL by its signer and that signer's
``s3:GetObject``.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import stat
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import botocore.exceptions
import pytest
import requests

from gitpod_resources import aws, config, prerequisites, registry, storage
from tests.conftest import require
from tests.support import aws_cli, distribution, moto_iam
from tests.support.aws_cli import AwsCli
from tests.support.live_registry import (
    CHART_HEALTH,
    OCI_MANIFEST,
    RegistryLauncher,
    S3Server,
    bucket_keys,
    oci_image,
    push,
    registry_config,
    say,
    sha256,
    threaded_moto,
)
from tests.support.local_servers import REGISTRY_BIN

BASH = shutil.which("bash")
#: A standard region, the one without a LocationConstraint, China, GovCloud.
REGIONS = ("eu-west-2", "us-east-1", "cn-north-1", "us-gov-west-1")
#: What a push through Distribution 2.8 cannot do without, each refused alone in
#: :func:`test_each_permission_the_push_uses_is_needed`; without s3:DeleteObject a push leaves
#: its upload files behind. The policy's other two: the driver never asks a bucket's location
#: (it has a regionendpoint), and nothing cancels an upload here (s3:AbortMultipartUpload).
NEEDED_FOR_A_PUSH = (
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:PutObject",
    "s3:GetObject",
    "s3:ListMultipartUploadParts",
)


def tell(message: str) -> None:
    say(message, "prerequisites-aws")


# --- the reader's shell, the local server -------------------------------------------------------


@dataclass
class Shell:
    server: S3Server
    work: Path
    bin_dir: Path
    cli: AwsCli

    def run(self, script: str, key: tuple[str, str]) -> subprocess.CompletedProcess[str]:
        """``script`` in bash, stopping at the first failing command or undefined variable."""
        return subprocess.run(
            [BASH or "bash", "-euo", "pipefail", "-c", script],
            cwd=self.work,
            env=aws_cli.environment(self.bin_dir, key, self.work),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def ok(self, script: str, key: tuple[str, str]) -> str:
        done = self.run(script, key)
        assert done.returncode == 0, f"exit {done.returncode}\n{done.stderr}"
        return done.stdout

    def user_key(self) -> tuple[str, str]:
        """The key the guide's last step wrote (key ID, tab, secret)."""
        key_id, secret = (self.work / prerequisites.ACCESS_KEY_FILE).read_text().split()
        return key_id, secret


@pytest.fixture(scope="module")
def server() -> Iterator[S3Server]:
    require(BASH is not None, "bash runs the guide's commands")
    with threaded_moto() as found:
        try:
            yield found
        finally:
            moto_iam.set_auth_count(found, math.inf)


@pytest.fixture
def shell(server: S3Server, tmp_path: Path) -> Iterator[Shell]:
    """An empty server with IAM off until a test makes its administrator, and a shell."""
    server.reset()
    moto_iam.set_auth_count(server, math.inf)
    work = tmp_path / "reader"
    work.mkdir()
    try:
        with aws_cli.shim(tmp_path, server.url) as (bin_dir, cli):
            yield Shell(server, work, bin_dir, cli)
    finally:
        moto_iam.set_auth_count(server, math.inf)


def denied(call: Any, **params: Any) -> str:
    """The error code of a call that must fail."""
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call(**params)
    return str(caught.value.response["Error"]["Code"])


def attached_policy(iam: Any, user: str) -> tuple[str, dict[str, Any]]:
    """(ARN, document) of the one managed policy attached to ``user``."""
    attached = iam.list_attached_user_policies(UserName=user)["AttachedPolicies"]
    assert len(attached) == 1, attached
    arn = attached[0]["PolicyArn"]
    version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    doc = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]
    return arn, json.loads(doc) if isinstance(doc, str) else doc


def in_motos_terms(shell: Shell, admin: tuple[str, str], region: str) -> dict[str, Any]:
    """The user's policy, as the guide created it, plus moto's actions for the same requests
    (:func:`moto_iam.in_motos_terms`), as the policy's new default version."""
    iam = shell.server.client(region, "iam", admin)
    arn, doc = attached_policy(iam, prerequisites.DEFAULT_IAM_USER)
    translated = moto_iam.in_motos_terms(doc)
    iam.create_policy_version(
        PolicyArn=arn, PolicyDocument=json.dumps(translated), SetAsDefault=True
    )
    return translated


# --- the buckets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("region", REGIONS)
def test_the_bucket_commands_create_a_private_bucket_in_the_region(
    shell: Shell, region: str
) -> None:
    bucket = f"gitpod-registry-{region}"
    pre = prerequisites.aws_s3(region, registry_bucket=bucket)
    admin = moto_iam.administrator(shell.server, region)
    shell.ok(pre.variables + pre.steps[0].command, admin)

    s3 = shell.server.client(region, key=admin)
    location = s3.get_bucket_location(Bucket=bucket)["LocationConstraint"]
    assert (location or aws.GLOBAL_REGION) == region
    blocked = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert blocked == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    (create,) = [c for c in shell.cli.calls if c.operation == "CreateBucket"]
    assert create.region == region
    expected = aws.location_constraint(region)
    assert create.params.get("CreateBucketConfiguration") == (
        None if expected is None else {"LocationConstraint": expected}
    )
    tell(f"{region}: bucket {bucket} created, location {location!r}, public access blocked")


def _without_constraint(command: str) -> str:
    return " \\\n  ".join(
        part for part in command.split(" \\\n  ") if "--create-bucket-configuration" not in part
    )


@pytest.mark.parametrize(
    ("region", "change", "error"),
    [
        ("eu-west-2", "none", "IllegalLocationConstraintException"),
        ("eu-west-2", "eu-west-1", "IllegalLocationConstraintException"),
        ("cn-north-1", "none", "IllegalLocationConstraintException"),
        ("us-east-1", "us-east-1", "InvalidLocationConstraint"),
    ],
)
def test_s3_refuses_a_bucket_with_any_other_location_constraint(
    shell: Shell, region: str, change: str, error: str
) -> None:
    """The rule's command succeeds (above); the same command with no constraint, another
    region's, or us-east-1's is refused: the branches of :func:`aws.location_constraint` are
    what S3 (as moto models it) takes."""
    pre = prerequisites.aws_s3(region, registry_bucket="gitpod-registry-test")
    admin = moto_iam.administrator(shell.server, region)
    command = _without_constraint(prerequisites.create_bucket_command(region, "REGISTRY_BUCKET"))
    if change != "none":
        constraint = f"--create-bucket-configuration LocationConstraint={change}"
        command = command.rstrip("\n") + f" \\\n  {constraint}\n"
    done = shell.run(pre.variables + command, admin)
    assert done.returncode == aws_cli.API_ERROR, done.stderr
    assert f"({error})" in done.stderr, done.stderr
    tell(f"{region} with LocationConstraint {change}: {error}")


# --- the IAM policy, user and key ----------------------------------------------------------------


@pytest.mark.parametrize("region", REGIONS)
def test_the_iam_commands_give_a_new_user_only_the_policy(shell: Shell, region: str) -> None:
    partition = aws.arn_partition(region)
    registry_bucket, storage_bucket = "gitpod-registry-test", "gitpod-storage-test"
    pre = prerequisites.aws_s3(
        region, registry_bucket=registry_bucket, storage_bucket=storage_bucket
    )
    admin = moto_iam.administrator(shell.server, region)
    shown = 'printf "key=%s own=%s\\n" "$S3_ACCESS_KEY_ID" "$AWS_ACCESS_KEY_ID"\n'
    out = shell.ok(pre.script + shown, admin)

    iam = shell.server.client(region, "iam", admin)
    user = prerequisites.DEFAULT_IAM_USER
    arn, doc = attached_policy(iam, user)
    assert arn.startswith(f"arn:{partition}:iam::"), arn
    assert doc == pre.policy
    resources = [r for s in doc["Statement"] for r in moto_iam.as_list(s["Resource"])]
    assert all(r.startswith(f"arn:{partition}:s3:::") for r in resources), resources
    assert iam.list_user_policies(UserName=user)["PolicyNames"] == []
    assert iam.list_groups_for_user(UserName=user)["Groups"] == []

    key_file = shell.work / prerequisites.ACCESS_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = shell.user_key()
    keys = iam.list_access_keys(UserName=user)["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in keys] == [key[0]]
    assert f"key={key[0]}" in out, "the last step reads the key into the variables"
    assert f"own={admin[0]}" in out, "the reader's own AWS CLI identity is left alone"

    # The key is the user's and the policy is all it has: a write to its bucket, no new bucket.
    s3 = shell.server.client(region, key=key)
    s3.put_object(Bucket=storage_bucket, Key="probe", Body=b"x")
    assert denied(s3.create_bucket, Bucket="someone-elses-bucket") == "AccessDenied"
    # The partition in the ARNs is the one that counts: another partition's ARNs allow nothing.
    other = "aws-cn" if partition == "aws" else "aws"
    wrong = json.loads(json.dumps(doc).replace(f"arn:{partition}:", f"arn:{other}:"))
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(wrong), SetAsDefault=True)
    assert denied(s3.put_object, Bucket=storage_bucket, Key="probe", Body=b"x") == "AccessDenied"
    tell(f"{region}: user {user} with {arn} ({len(doc['Statement'])} statements), key works")


def test_the_secret_commands_read_the_key_the_last_step_wrote(shell: Shell) -> None:
    region, bucket = "eu-west-2", "gitpod-storage-test"
    pre = prerequisites.aws_s3(region, storage_bucket=bucket)
    admin = moto_iam.administrator(shell.server, region)
    command = storage.secret_command(storage.s3(region, bucket))
    assert command is not None
    fake_kubectl = 'kubectl() { printf "%s\\n" "$@"; }\nexport GITPOD_NAMESPACE=gitpod\n'
    out = shell.ok(pre.script + fake_kubectl + command, admin)
    key_id, secret = shell.user_key()
    assert f"--from-literal={storage.S3_ACCESS_KEY_ID}={key_id}" in out.splitlines()
    assert f"--from-literal={storage.S3_SECRET_ACCESS_KEY}={secret}" in out.splitlines()


# --- what Gitpod does with the buckets, as the user -----------------------------------------------


def test_the_storage_policy_allows_what_content_service_does(shell: Shell) -> None:
    """The S3 requests minio-go sends for content-service's calls (claim storage.s3-operations),
    made with boto3 as the user; what the policy leaves out is refused."""
    region, bucket = "eu-west-2", "gitpod-storage-test"
    pre = prerequisites.aws_s3(region, storage_bucket=bucket)
    admin = moto_iam.administrator(shell.server, region)
    shell.ok(pre.script, admin)
    in_motos_terms(shell, admin, region)
    s3 = shell.server.client(region, key=shell.user_key())

    s3.head_bucket(Bucket=bucket)  # BucketExists
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] == region
    key = "user-1/workspaces/ws-1/full.tar"
    s3.put_object(Bucket=bucket, Key=key, Body=b"backup", Metadata={"gitpod": "1"})
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == [key]
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"backup"
    assert s3.head_object(Bucket=bucket, Key=key)["ContentLength"] == len(b"backup")
    # From 16 MiB an upload is multipart (one part suffices here), aborted on failure.
    big = "user-1/workspaces/ws-1/big.tar"
    upload = s3.create_multipart_upload(Bucket=bucket, Key=big)["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key=big, UploadId=upload, PartNumber=1, Body=b"p")["ETag"]
    s3.complete_multipart_upload(
        Bucket=bucket,
        Key=big,
        UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]},
    )
    aborted = s3.create_multipart_upload(Bucket=bucket, Key="user-1/aborted")["UploadId"]
    s3.abort_multipart_upload(Bucket=bucket, Key="user-1/aborted", UploadId=aborted)
    s3.delete_object(Bucket=bucket, Key=big)
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": key}]})
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)

    assert denied(s3.create_bucket, Bucket="gitpod-user-1") == "AccessDenied"
    assert denied(s3.delete_bucket, Bucket=bucket) == "AccessDenied"
    tell("storage user: HEAD, location, put, list, get, stat, multipart, abort, deletes; no bucket")


def test_the_per_user_policy_lets_gitpod_create_and_delete_user_buckets(shell: Shell) -> None:
    region = "eu-west-2"
    pre = prerequisites.aws_s3(region, per_user_buckets=True)
    admin = moto_iam.administrator(shell.server, region)
    shell.ok(pre.script, admin)
    in_motos_terms(shell, admin, region)
    s3 = shell.server.client(region, key=shell.user_key())
    where = {"LocationConstraint": region}
    for bucket in (f"gitpod-user-{uuid.uuid4()}", "kots-check-123-456"):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration=where)
        s3.head_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="kots-check-file", Body=b"x")
        assert s3.get_object(Bucket=bucket, Key="kots-check-file")["Body"].read() == b"x"
        s3.delete_object(Bucket=bucket, Key="kots-check-file")
        s3.delete_bucket(Bucket=bucket)
    assert (
        denied(s3.create_bucket, Bucket="not-gitpods", CreateBucketConfiguration=where)
        == "AccessDenied"
    )


# --- the registry, pushing with only the policy ------------------------------------------------


def _registry_storage(
    shell: Shell, region: str, bucket: str, key: tuple[str, str]
) -> dict[str, Any]:
    """Distribution's ``storage.s3`` as Gitpod's installer sets it for this bucket and the
    user's key (:mod:`tests.support.distribution`), with only the endpoint host swapped for the
    local server and ``secure`` off (plain HTTP)."""
    setup = registry.in_cluster_s3(bucket, region)
    secret = {registry.S3_ACCESS_KEY: key[0], registry.S3_SECRET_KEY: key[1]}
    storage_s3 = dict(distribution.s3_storage(config.installer_config(setup), secret))
    return {**storage_s3, "regionendpoint": shell.server.host_port, "secure": False}


@pytest.fixture
def launcher(tmp_path: Path) -> Iterator[RegistryLauncher]:
    require(REGISTRY_BIN.exists(), "apt-get install docker-registry")
    started = RegistryLauncher(tmp_path / "registries")
    started.root.mkdir()
    try:
        yield started
    finally:
        started.stop_all()


@pytest.mark.registry
@pytest.mark.parametrize("region", ["eu-west-2", "cn-north-1"])
def test_the_registry_pushes_with_only_the_policy(
    shell: Shell, launcher: RegistryLauncher, region: str
) -> None:
    bucket = "gitpod-registry-test"
    pre = prerequisites.aws_s3(region, registry_bucket=bucket)
    admin = moto_iam.administrator(shell.server, region)
    shell.ok(pre.script, admin)
    in_motos_terms(shell, admin, region)
    key = shell.user_key()
    storage_s3 = _registry_storage(shell, region, bucket, key)
    registry_ = launcher.start(registry_config(storage_s3, CHART_HEALTH))
    http = requests.Session()
    images = {repo: oci_image(f"{region}/{repo}") for repo in registry.PUSHED_REPOSITORIES}
    for repository, image in images.items():
        push(http, registry_.url, repository, "prerequisites", image)

    admin_s3 = shell.server.client(region, key=admin)
    keys = bucket_keys(admin_s3, bucket)
    # encrypt: true reached S3 (claim registry.s3-encryption): SSE-S3 on every object.
    for found in keys:
        assert admin_s3.head_object(Bucket=bucket, Key=found)["ServerSideEncryption"] == "AES256"
    # The registry cleaned up after each upload: it deletes (s3:DeleteObject on AWS).
    assert not [k for k in keys if "/_uploads/" in k], sorted(keys)

    user_s3 = shell.server.client(region, key=key)
    for repository, image in images.items():
        got = http.get(
            f"{registry_.url}/v2/{repository}/manifests/{image.digest}",
            headers={"Accept": OCI_MANIFEST},
            timeout=10,
        )
        assert got.status_code == 200 and sha256(got.content) == image.digest
        for digest, data in image.blobs.items():
            blob = http.get(
                f"{registry_.url}/v2/{repository}/blobs/{digest}",
                allow_redirects=False,
                timeout=10,
            )
            assert blob.status_code == 307, (blob.status_code, blob.text)
            # A URL presigned by the user (moto cannot check those while IAM is on): the
            # user may read that object, which is what S3 checks for it.
            target = urlsplit(urljoin(registry_.url, blob.headers["Location"]))
            credential = parse_qs(target.query)["X-Amz-Credential"][0]
            assert credential.startswith(f"{key[0]}/"), credential
            object_key = target.path.removeprefix(f"/{bucket}/")
            assert user_s3.get_object(Bucket=bucket, Key=object_key)["Body"].read() == data
    tell(f"{region}: pushed {', '.join(images)} with the user's key; {len(keys)} objects, SSE-S3")


def _without(policy: dict[str, Any], action: str) -> dict[str, Any]:
    out = json.loads(json.dumps(policy))
    for statement in out["Statement"]:
        statement["Action"] = [a for a in statement["Action"] if a != action]
    return out


@pytest.mark.registry
def test_each_permission_the_push_uses_is_needed(shell: Shell, launcher: RegistryLauncher) -> None:
    """One registry; the user's policy swapped for the guide's without one action: the push
    fails on AccessDenied; without s3:DeleteObject it succeeds but leaves every upload's files
    in the bucket. With the guide's whole policy it succeeds and leaves none (the control)."""
    region, bucket = "eu-west-2", "gitpod-registry-test"
    pre = prerequisites.aws_s3(region, registry_bucket=bucket)
    admin = moto_iam.administrator(shell.server, region)
    shell.ok(pre.script, admin)
    iam = shell.server.client(region, "iam", admin)
    user = prerequisites.DEFAULT_IAM_USER
    guides, doc = attached_policy(iam, user)
    registry_ = launcher.start(
        registry_config(_registry_storage(shell, region, bucket, shell.user_key()), CHART_HEALTH)
    )
    http = requests.Session()

    def push_with(name: str, policy: dict[str, Any]) -> int:
        arn = iam.create_policy(
            PolicyName=name, PolicyDocument=json.dumps(moto_iam.in_motos_terms(policy))
        )["Policy"]["Arn"]
        for attached in iam.list_attached_user_policies(UserName=user)["AttachedPolicies"]:
            iam.detach_user_policy(UserName=user, PolicyArn=attached["PolicyArn"])
        iam.attach_user_policy(UserName=user, PolicyArn=arn)
        image = oci_image(f"{name}/base-images")
        started = http.post(f"{registry_.url}/v2/{name}/base-images/blobs/uploads/", timeout=10)
        if started.status_code != 202:
            return started.status_code
        location = urljoin(registry_.url, started.headers["Location"])
        digest, data = next(iter(image.blobs.items()))
        done = http.put(location, params={"digest": digest}, data=data, timeout=10)
        return done.status_code

    log_seen = 0
    for action in NEEDED_FOR_A_PUSH:
        name = "without-" + re.sub(r"[^a-z]", "", action.lower())
        status = push_with(name, _without(doc, action))
        log = registry_.log.read_text(errors="replace")
        assert status >= 500, f"the push succeeded without {action}"
        assert "AccessDenied" in log[log_seen:], f"without {action}: {log[log_seen:][-2000:]}"
        log_seen = len(log)
        tell(f"without {action}: push -> HTTP {status}, registry log: AccessDenied")
    # Without s3:DeleteObject the push goes through, but Distribution 2.8 ignores the keys a
    # batched delete refuses: every upload's files stay in the bucket.
    admin_s3 = shell.server.client(region, key=admin)
    for name, policy in (
        ("without-deleteobject", _without(doc, "s3:DeleteObject")),
        ("control", doc),
    ):
        assert push_with(name, policy) == 201, f"{name}: the push goes through"
        uploads = [
            k for k in bucket_keys(admin_s3, bucket) if f"/{name}/" in k and "/_uploads/" in k
        ]
        assert bool(uploads) == (name != "control"), (name, uploads)
        tell(f"{name}: push -> 201, {len(uploads)} upload files left in the bucket")
    assert guides  # the guide's policy was the one attached to begin with


# --- moto itself ----------------------------------------------------------------------------------


def test_moto_checks_what_the_support_module_says(shell: Shell) -> None:
    """:data:`moto_iam.MOTO_DIFFERENCES` is what this moto does: listings are s3:ListBucket as on
    AWS, HEAD on a bucket wants s3:HeadBucket, a batched delete wants s3:DeleteObject on the
    bucket's ARN (AWS: on each object's), and a presigned URL gets an error while IAM is on."""
    region, bucket = "eu-west-2", "gitpod-moto-check"
    admin = moto_iam.administrator(shell.server, region)
    iam = shell.server.client(region, "iam", admin)
    admin_s3 = shell.server.client(region, key=admin)
    admin_s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    admin_s3.put_object(Bucket=bucket, Key="k", Body=b"x")

    def user_with(name: str, actions: list[str], resource: str) -> Any:
        iam.create_user(UserName=name)
        statement = {"Effect": "Allow", "Action": actions, "Resource": resource}
        iam.put_user_policy(
            UserName=name,
            PolicyName="only",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}),
        )
        made = iam.create_access_key(UserName=name)["AccessKey"]
        return shell.server.client(region, key=(made["AccessKeyId"], made["SecretAccessKey"]))

    arn = f"arn:aws:s3:::{bucket}"
    lister = user_with("lister", ["s3:ListBucket"], arn)
    lister.list_objects_v2(Bucket=bucket)
    lister.list_objects(Bucket=bucket)
    assert denied(lister.head_bucket, Bucket=bucket) in ("403", "AccessDenied")
    user_with("header", ["s3:HeadBucket"], arn).head_bucket(Bucket=bucket)

    reader = user_with("reader", ["s3:GetObject"], f"{arn}/*")
    assert denied(reader.delete_object, Bucket=bucket, Key="k") == "AccessDenied"
    # A batched delete is checked on the bucket's ARN; refused, every key is refused in a 200.
    answer = reader.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "k"}]})
    assert [e["Code"] for e in answer.get("Errors", [])] == ["AccessDenied"], answer
    deleter = user_with("deleter", ["s3:DeleteObject"], arn)
    assert deleter.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "k"}]})["Deleted"]

    admin_s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    url = reader.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"})
    assert requests.get(url, timeout=10).status_code >= 500
