"""The S3 probe against the moto server on loopback, over TLS, with moto's IAM checks on: every
request after the set-up needs a key IAM knows and a policy that allows the action.

moto 5.2.5 checks a bucket listing as s3:ListBucket, as AWS does (a key allowed only
s3:ListObjectsV2, the API call's name, is refused), so the policies below mean the same on both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from .configs import ALL_ACTIONS, object_storage, registry_s3
from .conftest import Probe, Ran
from .servers import Moto, Tls, iam_user


def bucket(moto: Moto, name: str, region: str) -> None:
    s3 = moto.client("s3", region)
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})


ProbeS3 = Callable[..., Ran]


@pytest.fixture
def probe_s3(probe: Probe, moto: Moto, tls: Tls) -> ProbeS3:
    """``probe_s3(config, bucket=(name, region), actions=[...], env={...})``: the probe over the
    test CA, once the bucket is made (if named) and moto's checks are on; the key in its
    environment is an IAM user's allowed ``actions`` (every one by default), unless ``env``."""

    def run(
        config: str,
        bucket_in: tuple[str, str] | None = None,
        actions: Sequence[str] = ALL_ACTIONS,
        env: dict[str, str] | None = None,
    ) -> Ran:
        if bucket_in is not None:
            bucket(moto, *bucket_in)
        if env is None:
            env = iam_user(moto, "probe", list(actions), ["*"])
        moto.enforce()
        return probe(config, "--ca-file", str(tls.ca), env=env)

    return run


#: The object storage bucket most tests make, in the config's region.
STORAGE_BUCKET = ("gitpod-storage", "eu-west-2")


def keys_after(moto: Moto, bucket_name: str | None = None) -> set[str]:
    """Every object left in a bucket (checked with the checks off again)."""
    moto._auth("inf")
    s3 = moto.client("s3")
    names = [bucket_name] if bucket_name else [b["Name"] for b in s3.list_buckets()["Buckets"]]
    return {
        f"{n}/{o['Key']}" for n in names for o in s3.list_objects_v2(Bucket=n).get("Contents", [])
    }


def test_the_registry_bucket_with_a_key_that_may_do_everything_passes(
    probe_s3: ProbeS3, moto: Moto
) -> None:
    config = registry_s3(moto.host, "gitpod-registry", "eu-west-2")
    ran = probe_s3(config, ("gitpod-registry", "eu-west-2"))
    assert ran.code == 0, ran
    assert ran.codes == [], ran
    passed = ran.steps("passed")
    assert ("registry storage", "region") in passed, ran
    assert ("registry storage", "key") in passed, ran
    assert keys_after(moto, "gitpod-registry") == set(), "the probe's object is left"


def test_the_registry_bucket_in_another_region_fails(probe_s3: ProbeS3, moto: Moto) -> None:
    config = registry_s3(moto.host, "gitpod-registry", "eu-west-2")
    ran = probe_s3(config, ("gitpod-registry", "eu-central-1"))
    assert ran.code == 1, ran
    assert ran.codes == ["PRB204"], ran
    line = ran.line("PRB204")
    assert "eu-central-1" in line and ":6:13:" in line, line  # at the region


def test_a_missing_bucket_fails(probe_s3: ProbeS3, moto: Moto) -> None:
    ran = probe_s3(registry_s3(moto.host, "no-such-bucket", "eu-west-2"))
    assert ran.code == 1, ran
    assert ran.codes == ["PRB203"], ran
    assert ":5:13:" in ran.line("PRB203")  # at the bucket


@pytest.mark.parametrize("action", ["s3:PutObject", "s3:GetObject", "s3:ListBucket"])
def test_a_key_without_an_action_fails_and_the_rest_is_still_probed(
    probe_s3: ProbeS3, moto: Moto, action: str
) -> None:
    config = object_storage(moto.host, "gitpod-storage", "eu-west-2")
    ran = probe_s3(config, STORAGE_BUCKET, [a for a in ALL_ACTIONS if a != action])
    assert ran.code == 1, ran
    assert ran.codes == ["PRB206"], ran
    assert action.removeprefix("s3:") in ran.line("PRB206")
    assert ("object storage", "key") in ran.steps("passed"), ran  # what it may do
    assert keys_after(moto, "gitpod-storage") == set()


def test_a_key_without_delete_object_leaves_the_object_and_says_so(
    probe_s3: ProbeS3, moto: Moto
) -> None:
    config = object_storage(moto.host, "gitpod-storage", "eu-west-2")
    ran = probe_s3(config, STORAGE_BUCKET, [a for a in ALL_ACTIONS if a != "s3:DeleteObject"])
    assert ran.codes == ["PRB206"], ran
    line = ran.line("PRB206")
    [left] = keys_after(moto, "gitpod-storage")
    assert "DeleteObject" in line and left.partition("/")[2] in line, line


def test_an_unknown_key_is_refused(probe_s3: ProbeS3, moto: Moto) -> None:
    env = {"AWS_ACCESS_KEY_ID": "AKIAPROBEUNKNOWN0000", "AWS_SECRET_ACCESS_KEY": "not-a-key"}
    config = object_storage(moto.host, "gitpod-storage", "eu-west-2")
    ran = probe_s3(config, STORAGE_BUCKET, env=env)
    assert ran.code == 1, ran
    assert ran.codes == ["PRB201"], ran


def test_object_storage_in_another_region_than_metadata_region_warns(
    probe_s3: ProbeS3, moto: Moto
) -> None:
    """The endpoint fixes no region (minio-go looks the bucket up): requests reach it; only the
    buckets Gitpod creates would go to metadata.region."""
    config = object_storage(moto.host, "gitpod-storage", "eu-west-2")
    ran = probe_s3(config, ("gitpod-storage", "eu-central-1"))
    assert ran.code == 0, ran
    assert ran.codes == ["PRB205"], ran
    assert ":3:11:" in ran.line("PRB205")  # at metadata.region


def test_object_storage_without_a_bucket_creates_and_removes_one(
    probe_s3: ProbeS3, moto: Moto
) -> None:
    ran = probe_s3(object_storage(moto.host, None, "eu-west-2"))
    assert ran.code == 0, ran
    assert ran.codes == ["STO107"], ran  # check's warning: no bucket named
    assert ("object storage", "bucket") in ran.steps("passed"), ran
    moto._auth("inf")
    assert moto.client("s3").list_buckets()["Buckets"] == []


def test_object_storage_without_a_bucket_and_no_create_bucket_fails(
    probe_s3: ProbeS3, moto: Moto
) -> None:
    actions = [a for a in ALL_ACTIONS if a != "s3:CreateBucket"]
    ran = probe_s3(object_storage(moto.host, None, "eu-west-2"), actions=actions)
    assert ran.code == 1, ran
    assert ran.probe_codes == ["PRB206"], ran
    assert "CreateBucket" in ran.line("PRB206")


def test_an_endpoint_nobody_listens_on_is_unreachable(probe: Probe, tls: Tls) -> None:
    from tests.support.local_servers import free_port

    env = {"AWS_ACCESS_KEY_ID": "AKIAPROBE", "AWS_SECRET_ACCESS_KEY": "secret"}
    ran = probe(
        object_storage(f"127.0.0.1:{free_port()}", "gitpod-storage", "eu-west-2"),
        "--ca-file",
        str(tls.ca),
        env=env,
    )
    assert ran.code == 1, ran
    assert ran.codes == ["PRB202"], ran


def test_the_guides_variables_come_before_the_credential_chain(
    probe: Probe, moto: Moto, tls: Tls
) -> None:
    """S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, which the guide's secret commands read, are the
    key in the secret: the probe uses them over an AWS_* key of the machine."""
    bucket(moto, "gitpod-storage", "eu-west-2")
    keys = iam_user(moto, "storage", ALL_ACTIONS, ["*"])
    moto.enforce()
    env = {
        "S3_ACCESS_KEY_ID": keys["AWS_ACCESS_KEY_ID"],
        "S3_SECRET_ACCESS_KEY": keys["AWS_SECRET_ACCESS_KEY"],
        "AWS_ACCESS_KEY_ID": "AKIAPROBEUNKNOWN0000",
        "AWS_SECRET_ACCESS_KEY": "not-a-key",
    }
    config = object_storage(moto.host, "gitpod-storage", "eu-west-2")
    ran = probe(config, "--ca-file", str(tls.ca), env=env)
    assert ran.code == 0, ran
    wrong = {**env, "S3_SECRET_ACCESS_KEY": "not-the-key"}
    ran = probe(config, "--ca-file", str(tls.ca), env=wrong)
    assert ran.codes == ["PRB201"], ran
    assert "S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY" in ran.line("PRB201")
    ran = probe(config, "--ca-file", str(tls.ca), env={"S3_ACCESS_KEY_ID": "AKIA"})
    assert ran.code == 3 and "S3_SECRET_ACCESS_KEY: not set" in ran.err, ran
