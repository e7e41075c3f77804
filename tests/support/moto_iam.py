"""IAM enforced on the local moto server, and where moto's checks differ from AWS's.

moto checks a request's signature and the caller's IAM policies only after its first
``INITIAL_NO_AUTH_ACTION_COUNT`` requests (moto's ``/moto-api/reset-auth`` sets that count for a
running server and restarts the counting). :func:`administrator` spends three unauthenticated
requests on an administrator of one partition (a user with ``Action: *``), from then on every
request needs a key of a user whose policies allow it. IAM users are per partition in moto as in
AWS: a China or GovCloud proof has an administrator of that partition.

moto 5.2.5 checks most S3 requests against the IAM action AWS documents for them (listings as
``s3:ListBucket``, uploads and every multipart step as ``s3:PutObject``, downloads and HEAD on an
object as ``s3:GetObject``, ``s3:ListBucketMultipartUploads``, ``s3:ListMultipartUploadParts``,
``s3:AbortMultipartUpload``, ``s3:GetBucketLocation``, ``s3:CreateBucket``, ``s3:DeleteBucket``),
with these differences, which :data:`MOTO_DIFFERENCES` lists and a live test holds moto to:

- HEAD on a bucket is checked as ``s3:HeadBucket``; AWS checks ``s3:ListBucket``.
- A batched delete (``DeleteObjects``) is checked as ``s3:DeleteObject`` on the *bucket's* ARN
  (refused, every key is refused in the answer); AWS checks ``s3:DeleteObject`` on each
  object's ARN.
- A presigned URL (no ``Authorization`` header) gets an error while IAM is enforced: moto reads
  the credentials from that header only, so presigned requests cannot be checked here.
- ``PutPublicAccessBlock`` is checked as ``s3:CreateBucket``; AWS checks
  ``s3:PutBucketPublicAccessBlock`` (only the administrator runs it here).

:func:`in_motos_terms` adds, for a policy written in AWS's terms, the statements moto needs to
allow the same requests (never an action the policy does not grant in AWS's terms).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

import requests

from tests.support.live_registry import S3Server

ADMIN = "moto-admin"
ADMIN_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
#: The requests :func:`administrator` makes before IAM is enforced.
BOOTSTRAP_REQUESTS = 3


@dataclass(frozen=True)
class Difference:
    """An S3 request moto checks against another action or resource than AWS."""

    request: str
    aws_action: str
    aws_resource: str
    moto_action: str
    moto_resource: str


MOTO_DIFFERENCES = (
    Difference("HeadBucket", "s3:ListBucket", "bucket", "s3:HeadBucket", "bucket"),
    Difference("DeleteObjects", "s3:DeleteObject", "object", "s3:DeleteObject", "bucket"),
    Difference(
        "PutPublicAccessBlock",
        "s3:PutBucketPublicAccessBlock",
        "bucket",
        "s3:CreateBucket",
        "bucket",
    ),
)


def set_auth_count(server: S3Server, count: float) -> None:
    """Enforce IAM after ``count`` more requests (``inf``: never, moto's default)."""
    requests.post(
        f"{server.url}/moto-api/reset-auth", data=str(count).encode(), timeout=5
    ).raise_for_status()


def administrator(server: S3Server, region: str) -> tuple[str, str]:
    """The access key of an administrator of ``region``'s partition; IAM is enforced after."""
    set_auth_count(server, BOOTSTRAP_REQUESTS)
    iam = server.client(region, "iam", ("bootstrap", "bootstrap"))
    iam.create_user(UserName=ADMIN)
    iam.put_user_policy(
        UserName=ADMIN, PolicyName="everything", PolicyDocument=json.dumps(ADMIN_POLICY)
    )
    key = iam.create_access_key(UserName=ADMIN)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def as_list(value: Any) -> list[str]:
    return list(value) if isinstance(value, list) else [value]


def in_motos_terms(policy: dict[str, Any]) -> dict[str, Any]:
    """``policy`` plus the statements moto needs to allow what it allows on AWS.

    For each of :data:`MOTO_DIFFERENCES` whose AWS action a statement grants on the resource
    kind AWS checks (a bucket ARN, or an object ARN ``<bucket>/*``), a statement grants moto's
    action on moto's resource. Nothing else is added.
    """
    out = copy.deepcopy(policy)
    added = []
    for statement in policy["Statement"]:
        if statement.get("Effect") != "Allow":
            continue
        actions = as_list(statement["Action"])
        resources = as_list(statement["Resource"])
        for diff in MOTO_DIFFERENCES:
            if diff.aws_action not in actions:
                continue
            for resource in resources:
                is_object = resource.endswith("/*")
                if is_object != (diff.aws_resource == "object"):
                    continue
                bucket = resource.removesuffix("/*")
                moto_resource = bucket if diff.moto_resource == "bucket" else f"{bucket}/*"
                added.append(
                    {
                        "Sid": f"Moto{diff.request}{len(added)}",
                        "Effect": "Allow",
                        "Action": [diff.moto_action],
                        "Resource": moto_resource,
                    }
                )
    out["Statement"] = [*out["Statement"], *added]
    return out
