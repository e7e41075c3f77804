"""Probe an S3 bucket as Gitpod 2022.11 uses it: the in-cluster registry's storage backend
(Distribution's S3 driver) or object storage (content-service's minio-go client).

Through the configured endpoint (``https://`` + the host, as both clients add it), with the AWS
credential chain's key: the bucket exists; its region, from the S3 API, is the one the client
signs for; and the key may write, read, list and delete (one temporary object, removed again).
With no bucket named (object storage), Gitpod creates one bucket per user in ``metadata.region``:
the probe creates a temporary bucket there, uses it the same way and deletes it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3  # type: ignore[import-untyped]
import botocore.config  # type: ignore[import-untyped]
import botocore.exceptions  # type: ignore[import-untyped]

from gitpod_resources import storage

from .context import Context, Result
from .findings import Where

#: What the probe writes: below this prefix, a random name.
OBJECT_PREFIX = "gitpod-probe/"
BUCKET_PREFIX = "gitpod-probe-"
#: The region an empty LocationConstraint means, and the legacy name ``EU``'s region.
DEFAULT_LOCATION = "us-east-1"
LEGACY_LOCATIONS = {"EU": "eu-west-1"}
#: Error codes of a key S3 does not know or a signature it does not accept.
KEY_REFUSED = frozenset({"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken"})
DENIED = frozenset({"AccessDenied", "AllAccessDisabled", "Forbidden", "403"})
#: The IAM action behind each operation (a listing is s3:ListBucket).
ACTIONS = {
    "put_object": "s3:PutObject",
    "get_object": "s3:GetObject",
    "list_objects_v2": "s3:ListBucket",
    "delete_object": "s3:DeleteObject",
    "create_bucket": "s3:CreateBucket",
    "delete_bucket": "s3:DeleteBucket",
}
NETWORK_ERRORS = (
    botocore.exceptions.EndpointConnectionError,
    botocore.exceptions.ConnectTimeoutError,
    botocore.exceptions.ReadTimeoutError,
    botocore.exceptions.SSLError,
    botocore.exceptions.ConnectionClosedError,
)


@dataclass(frozen=True)
class BucketTarget:
    """One bucket as the config sets it up."""

    #: ``registry storage`` or ``object storage``, for messages and progress.
    label: str
    #: True: Distribution's S3 driver (signs for ``region``, path-style, server-side
    #: encryption); False: minio-go (the region the endpoint fixes, else the bucket's).
    registry: bool
    bucket: str | None
    endpoint: str
    region: str
    bucket_at: Where
    region_at: Where
    endpoint_at: Where


def location_region(constraint: str | None) -> str:
    """The region a GetBucketLocation answer means."""
    if not constraint:
        return DEFAULT_LOCATION
    return LEGACY_LOCATIONS.get(constraint, constraint)


def endpoint_host(endpoint: str) -> str:
    return endpoint.partition("/")[0].partition(":")[0].lower()


def _code(err: botocore.exceptions.ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", ""))


def _said(err: Exception) -> str:
    if isinstance(err, botocore.exceptions.ClientError):
        error = err.response.get("Error", {})
        status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
        return f"HTTP {status} {error.get('Code', '')}: {error.get('Message', '')}".strip(": ")
    return f"{type(err).__name__}: {err}"


class StopProbeError(Exception):
    """A finding was reported that leaves nothing more to probe for this bucket."""


@dataclass
class _Probe:
    ctx: Context
    target: BucketTarget
    session: Any
    #: Where the key came from, for messages (never the key).
    key_source: str = "the AWS credential chain"

    def client(self, region: str) -> Any:
        limits = self.ctx.limits
        path_style = self.target.registry or not storage.minio_is_amazon(
            endpoint_host(self.target.endpoint)
        )
        config = botocore.config.Config(
            signature_version="s3v4",
            connect_timeout=limits.timeout,
            read_timeout=limits.timeout,
            retries={"max_attempts": limits.attempts, "mode": "standard"},
            s3={"addressing_style": "path" if path_style else "auto"},
        )
        return self.session.client(
            "s3",
            endpoint_url=f"https://{self.target.endpoint}",
            region_name=region,
            config=config,
            verify=self.ctx.ca_file,
        )

    def call(self, client: Any, operation: str, where: Where, **kw: Any) -> Any:
        """One S3 call; a refused key or an unreachable endpoint stops this bucket's probe."""
        t = self.target
        try:
            return getattr(client, operation)(**kw)
        except NETWORK_ERRORS as err:
            self.ctx.found(
                t.label,
                "endpoint",
                t.endpoint_at,
                "PRB202",
                f"https://{t.endpoint} cannot be reached: {_said(err)}",
                "check the endpoint host, and that this machine reaches it over HTTPS",
            )
            raise StopProbeError from err
        except botocore.exceptions.ClientError as err:
            if _code(err) in KEY_REFUSED:
                self.ctx.found(
                    t.label,
                    "key",
                    t.bucket_at,
                    "PRB201",
                    f"S3 at {t.endpoint} refuses the key from {self.key_source} ({_said(err)})",
                    "use the access key ID and secret access key you put in the secret",
                )
                raise StopProbeError from err
            raise


def probe(
    ctx: Context,
    target: BucketTarget,
    session: Any | None = None,
    key_source: str = "the AWS credential chain",
) -> None:
    p = _Probe(ctx, target, session or boto3.session.Session(), key_source)
    try:
        if target.bucket is None:
            _temporary_bucket(p)
        else:
            region = _region(p, target.bucket)
            _use(p, target.bucket, region)
    except StopProbeError:
        return


def _region(p: _Probe, bucket: str) -> str:
    """The bucket's region from the S3 API, compared with the region the client will use."""
    ctx, t = p.ctx, p.target
    ctx.say(t.label, f"looking up the region of the bucket {bucket} at {t.endpoint}")
    lookup = p.client(DEFAULT_LOCATION)
    found: str | None = None
    try:
        answer = p.call(lookup, "get_bucket_location", t.bucket_at, Bucket=bucket)
        found = location_region(answer.get("LocationConstraint"))
    except botocore.exceptions.ClientError as err:
        if _code(err) == "NoSuchBucket":
            _missing(p, bucket)
        if _code(err) not in DENIED:
            raise
        found = _head_region(p, lookup, bucket)
    if found is None:
        ctx.step(t.label, "region", Result.SKIPPED, "the key may not read the bucket's location")
        return t.region
    _compare(p, bucket, found)
    return found


def _head_region(p: _Probe, client: Any, bucket: str) -> str | None:
    """The region S3 names in a HeadBucket answer (``x-amz-bucket-region``), even a denied one."""
    try:
        answer = p.call(client, "head_bucket", p.target.bucket_at, Bucket=bucket)
        headers = answer.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    except botocore.exceptions.ClientError as err:
        if _code(err) in ("404", "NoSuchBucket", "NotFound"):
            _missing(p, bucket)
        headers = err.response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    region = headers.get("x-amz-bucket-region")
    return str(region) if region else None


def _missing(p: _Probe, bucket: str) -> None:
    t = p.target
    if t.registry:
        why = "the registry stores every image in it and never creates it"
    else:
        why = (
            "Gitpod would try to create it in metadata.region, as the key of its secret; "
            "create it yourself so that its region and settings are yours"
        )
    p.ctx.found(
        t.label,
        "bucket",
        t.bucket_at,
        "PRB203",
        f"the bucket {bucket} does not exist at {t.endpoint}: {why}",
        f"create the bucket {bucket} in {t.region}, or name the bucket you created",
    )
    raise StopProbeError


def _compare(p: _Probe, bucket: str, found: str) -> None:
    ctx, t = p.ctx, p.target
    problem = _region_problem(t, bucket, found)
    if problem is None:
        ctx.passed(t.label, "region", f"the bucket {bucket} is in {found}, as configured")
    else:
        ctx.found(t.label, "region", *problem)


def _region_problem(t: BucketTarget, bucket: str, found: str) -> tuple[Where, str, str, str] | None:
    """Where, code, message and fix when the bucket's region ``found`` is not the one its
    requests are signed for (or, for Gitpod's storage, not the one it creates buckets in)."""
    if t.registry:
        if found == t.region:
            return None
        return (
            t.region_at,
            "PRB204",
            f"the bucket {bucket} is in {found}, not in the configured {t.region}: the "
            f"registry signs every request for {t.region} and S3 refuses them",
            f"set the region to {found}, with its regional endpoint",
        )
    fixed = storage.minio_region(endpoint_host(t.endpoint))
    if fixed and fixed != found:
        return (
            t.endpoint_at,
            "PRB204",
            f"the bucket {bucket} is in {found}, and the endpoint {t.endpoint} fixes the region "
            f"{fixed}: Gitpod's S3 client signs and sends every request for {fixed}",
            f"use the S3 endpoint of {found}",
        )
    if found != t.region:
        return (
            t.region_at,
            "PRB205",
            f"the bucket {bucket} is in {found} and metadata.region is {t.region}: requests "
            f"reach the bucket, but Gitpod creates every bucket it needs in {t.region}",
            f"set metadata.region to {found}",
        )
    return None


@contextmanager
def _unless_denied(p: _Probe, operation: str, where: Where, extra: str = "") -> Iterator[None]:
    """Runs the block; S3 refusing ``operation`` to the key ends it with that finding instead."""
    try:
        yield
    except botocore.exceptions.ClientError as err:
        if _code(err) not in DENIED:
            raise
        _denied(p, operation, where, err, extra)


def _denied(p: _Probe, operation: str, where: Where, err: Exception, extra: str = "") -> None:
    t = p.target
    action = ACTIONS[operation]
    p.ctx.found(
        t.label,
        action,
        where,
        "PRB206",
        f"the key may not {action.removeprefix('s3:')} ({_said(err)}){extra}",
        f"allow {action} on the bucket to the key's IAM user (the admin console's help names "
        f"{storage.S3_IAM_POLICY})",
    )


def _use(p: _Probe, bucket: str, region: str) -> None:
    """Write, read, list and delete one temporary object."""
    ctx, t = p.ctx, p.target
    client = p.client(t.region if t.registry else region)
    key = OBJECT_PREFIX + secrets.token_hex(8)
    body = f"written by gitpod-resources probe to {bucket}\n".encode()
    where = t.bucket_at
    put: dict[str, Any] = {"Bucket": bucket, "Key": key, "Body": body}
    if t.registry:
        put["ServerSideEncryption"] = "AES256"  # Distribution's encrypt: true
    ctx.say(t.label, f"writing {key} to {bucket}")
    written = False
    with _unless_denied(p, "put_object", where):
        p.call(client, "put_object", where, **put)
        written = True
    if written:
        ctx.say(t.label, f"reading {key} back")
        with _unless_denied(p, "get_object", where):
            got = p.call(client, "get_object", where, Bucket=bucket, Key=key)["Body"].read()
            if got != body:
                raise AssertionError(f"{bucket}/{key} read back other bytes")
    ctx.say(t.label, f"listing {bucket}")
    with _unless_denied(p, "list_objects_v2", where):
        listed = p.call(client, "list_objects_v2", where, Bucket=bucket, Prefix=OBJECT_PREFIX)
        keys = {o.get("Key") for o in listed.get("Contents", [])}
        if written and key not in keys:
            raise AssertionError(f"{bucket}: the listing lacks the object just written")
    if written:
        ctx.say(t.label, f"deleting {key}")
        left = f"; the object {key} is left in {bucket}"
        with _unless_denied(p, "delete_object", where, left):
            p.call(client, "delete_object", where, Bucket=bucket, Key=key)
    failed = {s.name for s in ctx.steps if s.target == t.label and s.result.value == "failed"}
    done = [a for a in ("s3:PutObject", "s3:GetObject", "s3:ListBucket") if a not in failed]
    if written and "s3:DeleteObject" not in failed:
        done.append("s3:DeleteObject")
    if done:
        ctx.passed(t.label, "key", f"the key may {', '.join(a[3:] for a in done)} in {bucket}")


def _temporary_bucket(p: _Probe) -> None:
    """No bucket named: Gitpod creates one per user in metadata.region; so does the probe, once,
    and removes it."""
    ctx, t = p.ctx, p.target
    bucket = BUCKET_PREFIX + secrets.token_hex(6)
    client = p.client(t.region)
    ctx.say(t.label, f"creating the bucket {bucket} in {t.region}, as Gitpod does per user")
    create: dict[str, Any] = {"Bucket": bucket}
    if t.region != DEFAULT_LOCATION:
        create["CreateBucketConfiguration"] = {"LocationConstraint": t.region}
    try:
        p.call(client, "create_bucket", t.region_at, **create)
    except botocore.exceptions.ClientError as err:
        if _code(err) not in DENIED:
            raise
        _denied(p, "create_bucket", t.region_at, err)
        return
    ctx.passed(t.label, "bucket", f"created the bucket {bucket} in {t.region}")
    try:
        _use(p, bucket, t.region)
    finally:
        ctx.say(t.label, f"deleting the bucket {bucket}")
        try:
            p.call(client, "delete_bucket", t.region_at, Bucket=bucket)
        except botocore.exceptions.ClientError as err:
            extra = f"; the bucket {bucket} is left in {t.region}"
            _denied(p, "delete_bucket", t.region_at, err, extra)
