"""What must exist before Gitpod 2022.11 is installed, as the commands that create it.

Gitpod's installer creates none of its external components: not the S3 bucket the in-cluster
registry stores images in, not the object storage bucket or the IAM user whose keys go into the
secrets, not the Artifact Registry repository or the service account whose key Gitpod pushes
with, not the Harbor project its images go to. Each function here takes the reader's values,
validates them with the rules' own specs, and returns :class:`Prerequisites`: a snippet that sets
the reader's values as shell variables (run first), then the steps, shell text that reads those
variables and never holds a secret (a key or password goes into a file or a variable the next
command reads, or is typed at a prompt), notes, and the claims a page cites beside them.

- :func:`aws_s3`: the buckets (``aws s3api create-bucket`` with the ``LocationConstraint`` the
  region needs, public access blocked), the IAM policy for what Gitpod does with them, the user
  and its access key.
- :func:`gar`: the Artifact Registry repository, the service account Gitpod pushes with, its
  role on that repository, and its key.
- :func:`gcs`: the service account object storage uses (Gitpod creates the buckets itself).
- :func:`harbor`: the Harbor project, a robot account that may push and pull in it, and a
  private CA as Gitpod takes it (``customCACert``).

Statements about Gitpod are claims with their sources at the release tags (``data/claims.yaml``);
facts about AWS, Google Cloud, Harbor and Distribution cite the provider's versioned sources.
"""

from __future__ import annotations

import inspect
import json
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import aws, config, database, gcp, registry, storage, validation
from .errors import RuleError

# --- what every function returns ---------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One block a reader runs: what it does, and the shell text (one or more commands)."""

    title: str
    command: str


@dataclass(frozen=True)
class Prerequisites:
    """Everything to create before the install, for one component, computed by the rules."""

    #: Shell lines that set the reader's values; every step reads them, so they come first.
    variables: str
    #: The steps, in the order they must run.
    steps: tuple[Step, ...]
    #: What the reader should know (Markdown: names in backticks).
    notes: tuple[str, ...] = ()
    #: Ids of the claims (:mod:`gitpod_resources.sources`) a page cites beside the commands.
    claims: tuple[str, ...] = ()

    @property
    def script(self) -> str:
        """The variables and every step as one bash script, as a reader runs them in order."""
        return self.variables + "".join(step.command for step in self.steps)


@dataclass(frozen=True)
class AwsPrerequisites(Prerequisites):
    #: The IAM policy document the steps write and attach, with the bucket names filled in.
    policy: dict[str, Any] = field(default_factory=dict)
    #: The bucket(s) the steps create, and their region.
    buckets: tuple[str, ...] = ()
    region: str = ""


@dataclass(frozen=True)
class GcpPrerequisites(Prerequisites):
    #: The roles granted to the service account, and where (a repository or the project).
    roles: tuple[str, ...] = ()
    #: The local file the key is written to: what the ``kubectl create secret`` command reads.
    key_file: str = ""


@dataclass(frozen=True)
class HarborPrerequisites(Prerequisites):
    #: The request bodies the steps send to Harbor's API (``POST /projects``, ``POST /robots``).
    project_request: dict[str, Any] = field(default_factory=dict)
    robot_request: dict[str, Any] = field(default_factory=dict)
    #: The registry choice these prerequisites serve (URL ``<host>/<project>``).
    setup: registry.RegistrySetup | None = None
    #: With a private CA: the installer config's ``customCACert`` (else empty).
    ca_config: dict[str, Any] = field(default_factory=dict)
    #: The Harbor web interface's way to the same project and robot account.
    ui_steps: tuple[str, ...] = ()


def _command(*parts: str) -> str:
    """One shell command, one argument group per line, joined with backslash continuations."""
    return " \\\n  ".join(parts) + "\n"


def _exports(pairs: list[tuple[str, str]], comment: str = "") -> str:
    """``export A=a B=b`` with each value quoted for the shell (no quotes where none are needed)."""
    line = "export " + " ".join(f"{name}={shlex.quote(value)}" for name, value in pairs)
    return f"{line}   # {comment}\n" if comment else line + "\n"


# --- input specs -------------------------------------------------------------------------------


def _iam_name(kind: str, max_len: int) -> validation.Spec:
    """An IAM user or policy name (the IAM API's ``userNameType`` and ``policyNameType``: the
    pattern ``[\\w+=,.@-]+``, 1-64 and 1-128 characters; a rules test holds these to botocore's
    model)."""
    return validation.Spec(
        f"iam_{kind}",
        f"an IAM {kind} name: 1-{max_len} letters, digits and + = , . @ _ -",
        (
            validation.Check("required"),
            validation.length(1, max_len),
            validation.characters(r"[A-Za-z0-9_+=,.@\-]+", r"[^A-Za-z0-9_+=,.@\-]"),
        ),
    )


IAM_USER_SPEC = _iam_name("user", 64)
IAM_POLICY_SPEC = _iam_name("policy", 128)
#: A service account ID (the IAM API's ``accountId``: 6-30 characters matching
#: ``[a-z]([-a-z0-9]*[a-z0-9])``; projects.serviceAccounts.create).
SERVICE_ACCOUNT_SPEC = validation.Spec(
    "gcp_service_account",
    "a service account ID: 6-30 lowercase letters, digits and '-', starting with a letter and "
    "ending with a letter or digit",
    (
        validation.Check("required"),
        validation.length(6, 30),
        validation.Check(
            "lowercase", pattern=r"[a-z](?:[\-a-z0-9]*[a-z0-9])?", hint="IDs are lowercase: {lower}"
        ),
        validation.characters(
            r"[a-z](?:[\-a-z0-9]*[a-z0-9])?",
            r"[^a-z0-9\-]",
            "it must start with a letter and end with a letter or digit",
        ),
    ),
)
#: A Harbor robot account name (Harbor v2.12.0 ``validateName``: ``^[a-z0-9]+(?:[._-][a-z0-9]+)*$``;
#: Harbor adds ``robot$<project>+`` in front).
ROBOT_SPEC = validation.Spec(
    "harbor_robot",
    "a robot account name: lowercase letters and digits, single '.', '_' or '-' between them",
    (
        validation.Check("required"),
        validation.characters(
            r"[a-z0-9]+(?:[._\-][a-z0-9]+)*",
            r"[^a-z0-9._\-]",
            "separators go between letters or digits, one at a time",
        ),
    ),
)
#: A Harbor project: the first part of the repository path (Harbor reads the project from it),
#: so one path part as Docker's reference grammar takes it, at most 255 characters (``ProjectReq``).
PROJECT_SPEC = validation.Spec(
    "harbor_project",
    "a Harbor project name: lowercase letters and digits, with '.', '_', '__' or '-' between "
    "them, at most 255 characters",
    (
        validation.Check("required"),
        validation.length(1, 255),
        validation.Check("contains", literal="/", hint="a project is one path part, no '/'"),
        validation.characters(
            r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*",
            r"[^a-z0-9._\-]",
            "separators go between letters or digits",
        ),
    ),
)
#: A user name for the reader's own shell variable: anything without whitespace or quotes.
ADMIN_USER_SPEC = validation.Spec(
    "admin_user",
    "a user name without whitespace, quotes, backslashes or ':'",
    (
        validation.Check("required"),
        validation.Check("fullmatch", pattern=f"[^{validation.WHITESPACE}'\":\\\\]+"),
    ),
)


# --- AWS: buckets, IAM policy, user and key ----------------------------------------------------

#: The shell variables the AWS steps read (set by :attr:`Prerequisites.variables`).
ENV_REGION = "S3_REGION"
ENV_REGISTRY_BUCKET = "REGISTRY_BUCKET"
ENV_STORAGE_BUCKET = "STORAGE_BUCKET"
ENV_IAM_USER = "IAM_USER"
ENV_IAM_POLICY = "IAM_POLICY"
#: Set by the step that creates the policy (its ARN, partition and account included).
ENV_POLICY_ARN = "POLICY_ARN"
DEFAULT_IAM_USER = "gitpod-s3"
DEFAULT_IAM_POLICY = "gitpod-s3"
POLICY_FILE = "gitpod-s3-policy.json"
#: Where the access key goes (mode 600): the key ID and the secret, separated by a tab.
ACCESS_KEY_FILE = "gitpod-s3-access-key.txt"
POLICY_VERSION = "2012-10-17"
PUBLIC_ACCESS_BLOCK = (
    "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
)

#: Distribution's documented policy for its S3 driver (claim registry.s3-permissions).
REGISTRY_BUCKET_ACTIONS = ("s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads")
REGISTRY_OBJECT_ACTIONS = (
    "s3:PutObject",
    "s3:GetObject",
    "s3:DeleteObject",
    "s3:ListMultipartUploadParts",
    "s3:AbortMultipartUpload",
)
#: What content-service does with a named bucket (claim storage.s3-operations): HEAD and
#: ListObjectsV2 are s3:ListBucket, the location lookup s3:GetBucketLocation; uploads, multipart
#: parts and copies s3:PutObject, downloads and stats s3:GetObject, single and batched deletes
#: s3:DeleteObject, an aborted multipart upload s3:AbortMultipartUpload.
STORAGE_BUCKET_ACTIONS = ("s3:ListBucket", "s3:GetBucketLocation")
STORAGE_OBJECT_ACTIONS = (
    "s3:PutObject",
    "s3:GetObject",
    "s3:DeleteObject",
    "s3:AbortMultipartUpload",
)
#: With no bucket named, Gitpod creates (and on user deletion deletes) a bucket per user.
PER_USER_BUCKET_ACTIONS = ("s3:CreateBucket", "s3:DeleteBucket", *STORAGE_BUCKET_ACTIONS)
#: Bucket name patterns of that mode: Gitpod's per-user buckets and the admin console's check's.
PER_USER_BUCKET_PATTERNS = ("gitpod-user-*", "kots-check-*")


def _statement(sid: str, actions: tuple[str, ...], resources: list[str]) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Action": list(actions),
        "Resource": resources[0] if len(resources) == 1 else resources,
    }


def _policy(
    partition: str, registry_bucket: str | None, storage_bucket: str | None, per_user: bool
) -> dict[str, Any]:
    """The policy document for bucket names given as text (names or ``${VARIABLE}``)."""
    arn = f"arn:{partition}:s3:::"
    statements: list[dict[str, Any]] = []
    if registry_bucket is not None:
        statements += [
            _statement("RegistryBucket", REGISTRY_BUCKET_ACTIONS, [arn + registry_bucket]),
            _statement("RegistryObjects", REGISTRY_OBJECT_ACTIONS, [f"{arn}{registry_bucket}/*"]),
        ]
    if storage_bucket is not None:
        statements += [
            _statement("StorageBucket", STORAGE_BUCKET_ACTIONS, [arn + storage_bucket]),
            _statement("StorageObjects", STORAGE_OBJECT_ACTIONS, [f"{arn}{storage_bucket}/*"]),
        ]
    if per_user:
        buckets = [arn + p for p in PER_USER_BUCKET_PATTERNS]
        statements += [
            _statement("PerUserBuckets", PER_USER_BUCKET_ACTIONS, buckets),
            _statement("PerUserObjects", STORAGE_OBJECT_ACTIONS, [f"{b}/*" for b in buckets]),
        ]
    return {"Version": POLICY_VERSION, "Statement": statements}


def _check_uses(registry_bucket: str | None, storage_bucket: str | None, per_user: bool) -> None:
    if registry_bucket is None and storage_bucket is None and not per_user:
        raise RuleError(
            "buckets",
            None,
            "a registry bucket, a storage bucket, or per-user buckets",
            "name at least one",
        )
    if storage_bucket is not None and per_user:
        raise RuleError(
            "per_user_buckets",
            True,
            "False when a storage bucket is named",
            "Gitpod creates per-user buckets only when objectStorage.s3.bucket is empty",
        )
    if registry_bucket is not None and registry_bucket == storage_bucket:
        raise RuleError(
            "storage_bucket",
            storage_bucket,
            "a bucket other than the registry's",
            "the registry and object storage each need their own bucket",
        )


def s3_policy(
    region: str,
    *,
    registry_bucket: str | None = None,
    storage_bucket: str | None = None,
    per_user_buckets: bool = False,
) -> dict[str, Any]:
    """The IAM policy document for what Gitpod 2022.11 does with its S3 buckets in ``region``.

    - ``registry_bucket``: the in-cluster registry's bucket, with Distribution's documented
      permissions (claim registry.s3-permissions).
    - ``storage_bucket``: the object storage bucket (``objectStorage.s3.bucket``), with what
      content-service does there (claim storage.s3-operations): no s3:CreateBucket (the
      bucket exists) and no s3:DeleteBucket (user deletion would delete the shared bucket once
      it is empty: claim storage.user-deletion).
    - ``per_user_buckets``: no bucket named; Gitpod creates and deletes ``gitpod-user-*`` buckets,
      and the admin console's check ``kots-check-*`` (claim storage.preflight-buckets).

    ARNs carry the region's partition (:func:`aws.arn_partition`). Sources: the claims named.
    """
    aws.validate_region(region)
    for name, value in (("registry_bucket", registry_bucket), ("storage_bucket", storage_bucket)):
        if value is not None:
            aws.validate_bucket_name(value, name)
    _check_uses(registry_bucket, storage_bucket, per_user_buckets)
    return _policy(aws.arn_partition(region), registry_bucket, storage_bucket, per_user_buckets)


def create_bucket_command(region: str, bucket_variable: str) -> str:
    """``aws s3api create-bucket`` for the bucket in ``$<bucket_variable>`` in ``$S3_REGION``,
    computed for ``region``: ``--region`` always (the request must go to the region's endpoint),
    and ``--create-bucket-configuration LocationConstraint=`` except for us-east-1
    (:func:`aws.location_constraint`; claim aws.s3-location-constraint)."""
    parts = [
        "aws s3api create-bucket",
        f'--bucket "${bucket_variable}"',
        f'--region "${ENV_REGION}"',
    ]
    if aws.location_constraint(region) is not None:
        parts.append(f'--create-bucket-configuration LocationConstraint="${ENV_REGION}"')
    return _command(*parts)


def block_public_access_command(bucket_variable: str) -> str:
    """``aws s3api put-public-access-block`` with all four settings on: Gitpod signs every request
    (and the registry's redirects are presigned), so nothing needs public access."""
    return _command(
        "aws s3api put-public-access-block",
        f'--bucket "${bucket_variable}"',
        f'--region "${ENV_REGION}"',
        f"--public-access-block-configuration {PUBLIC_ACCESS_BLOCK}",
    )


def _policy_file_command(partition: str, registry: bool, storage: bool, per_user: bool) -> str:
    doc = _policy(
        partition,
        f"${{{ENV_REGISTRY_BUCKET}}}" if registry else None,
        f"${{{ENV_STORAGE_BUCKET}}}" if storage else None,
        per_user,
    )
    # Unquoted delimiter: the shell fills in the bucket variables (JSON has no other '$').
    return f"cat > {POLICY_FILE} <<EOF\n{json.dumps(doc, indent=2)}\nEOF\n"


def iam_commands() -> tuple[str, ...]:
    """The policy from :data:`POLICY_FILE`, the user, the attachment (``$POLICY_ARN`` is the ARN
    IAM returns, its partition and account included), then the access key, written to
    :data:`ACCESS_KEY_FILE` (mode 600) and read into the variables the secret commands read
    (:data:`config.ENV_ACCESS_KEY`, :data:`config.ENV_SECRET_KEY`)."""
    region = f'--region "${ENV_REGION}"'
    user = f'--user-name "${ENV_IAM_USER}"'
    create_policy = _command(
        f"{ENV_POLICY_ARN}=$(aws iam create-policy",
        f'--policy-name "${ENV_IAM_POLICY}"',
        f"--policy-document file://{POLICY_FILE}",
        region,
        "--query Policy.Arn --output text)",
    )
    create_user = _command("aws iam create-user", user, region)
    attach = _command(
        "aws iam attach-user-policy", user, f'--policy-arn "${ENV_POLICY_ARN}"', region
    )
    key = _command(
        "(umask 077 && aws iam create-access-key",
        user,
        region,
        "--query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text",
        f"> {ACCESS_KEY_FILE})",
    )
    read = (
        f"read -r {config.ENV_ACCESS_KEY} {config.ENV_SECRET_KEY} < {ACCESS_KEY_FILE}"
        "   # what the secret commands read\n"
    )
    return (create_policy + create_user + attach, key + read)


def _aws_notes(
    region: str, registry_bucket: str | None, storage_bucket: str | None, per_user: bool
) -> tuple[str, ...]:
    partition = aws.partition_of(region)
    notes = []
    if aws.location_constraint(region) is None:
        notes.append(
            f"In `{region}` a bucket is created without a `LocationConstraint`: S3 refuses "
            f"`{region}` as one."
        )
    else:
        notes.append(
            f"Outside `{aws.GLOBAL_REGION}`, S3 creates a bucket only with a "
            f"`LocationConstraint` naming the region the request goes to: here `{region}`, "
            f"sent with `--region {region}`."
        )
    if not aws.location_constraint_documented(region):
        notes.append(
            f"AWS's S3 API model lists no `LocationConstraint` value for `{region}`: the "
            f"command follows S3's rule for every region but `{aws.GLOBAL_REGION}` "
            "(an inference)."
        )
    if partition.id != aws.arn_partition(aws.GLOBAL_REGION):
        notes.append(
            f"`{region}` is in the partition {partition.name}: the policy's ARNs start with "
            f"`arn:{partition.id}:`, and the IAM user, its key and the buckets belong to an "
            f"account of that partition."
        )
    notes.append(
        "Bucket names are shared by every account of a partition: if a name is taken, "
        "`create-bucket` fails with `BucketAlreadyExists`; pick another and enter it in the "
        "config too."
    )
    if registry_bucket is not None:
        notes.append(
            "Gitpod's registry writes every object with server-side encryption SSE-S3 "
            "(AES256): the bucket needs no encryption setting and the user no KMS permission."
        )
    if storage_bucket is not None:
        notes.append(
            f"The admin console's help names `{storage.S3_IAM_POLICY}`; this policy grants what "
            "Gitpod 2022.11 does with the named bucket, and no `s3:DeleteBucket`: when a user "
            "is deleted, Gitpod tries to delete the bucket of the user's content, which here is "
            "the shared bucket (it logs the refusal and goes on)."
        )
    if per_user:
        notes.append(
            f"With no bucket named, Gitpod creates a bucket `{storage.PER_USER_BUCKET}` per "
            "user in `metadata.region` and deletes it with the user; the admin console's check "
            "creates and removes a `kots-check-*` bucket. The policy allows both name patterns."
        )
    notes.append(
        f"The last step writes the key to `{ACCESS_KEY_FILE}` (mode 600) and reads it into "
        f"`{config.ENV_ACCESS_KEY}` and `{config.ENV_SECRET_KEY}`, which the secret commands "
        "read."
    )
    return tuple(notes)


def aws_s3(
    region: str,
    *,
    registry_bucket: str | None = None,
    storage_bucket: str | None = None,
    per_user_buckets: bool = False,
    user: str = DEFAULT_IAM_USER,
    policy_name: str = DEFAULT_IAM_POLICY,
) -> AwsPrerequisites:
    """The S3 buckets and the IAM user Gitpod 2022.11 needs on AWS, for ``region``.

    One IAM user with one policy for every bucket named (the AWS page's secrets read the same key
    variables): create each bucket (:func:`create_bucket_command`, public access blocked), write
    the policy (:func:`s3_policy`, ARNs of the region's partition), create it, the user, attach
    it, and create the user's access key. Sources: the claims aws.s3-location-constraint and
    aws.arn-partition, and the claims of :func:`s3_policy`.
    """
    policy = s3_policy(
        region,
        registry_bucket=registry_bucket,
        storage_bucket=storage_bucket,
        per_user_buckets=per_user_buckets,
    )
    validation.run(IAM_USER_SPEC, user, "user")
    validation.run(IAM_POLICY_SPEC, policy_name, "policy_name")
    pairs = [(ENV_REGION, region)]
    steps = []
    buckets = []
    for what, variable, bucket in (
        ("the container registry", ENV_REGISTRY_BUCKET, registry_bucket),
        ("object storage", ENV_STORAGE_BUCKET, storage_bucket),
    ):
        if bucket is None:
            continue
        pairs.append((variable, bucket))
        buckets.append(bucket)
        steps.append(
            Step(
                f"Create the bucket for {what}, with public access blocked",
                create_bucket_command(region, variable) + block_public_access_command(variable),
            )
        )
    variables = _exports(pairs) + _exports(
        [(ENV_IAM_USER, user), (ENV_IAM_POLICY, policy_name)],
        "the IAM user Gitpod uses, and its policy",
    )
    partition = aws.arn_partition(region)
    access, key = iam_commands()
    steps += [
        Step(
            "Write the IAM policy",
            _policy_file_command(
                partition, registry_bucket is not None, storage_bucket is not None, per_user_buckets
            ),
        ),
        Step("Create the policy and a user that has only it", access),
        Step("Create the user's access key", key),
    ]
    claims = ["aws.s3-location-constraint", "aws.arn-partition"]
    if registry_bucket is not None:
        claims += ["registry.s3-permissions", "registry.s3-encryption"]
    if storage_bucket is not None or per_user_buckets:
        claims += ["storage.s3-operations", "storage.user-deletion", "storage.admin-console"]
    if per_user_buckets:
        claims += ["storage.bucket-optional", "storage.preflight-buckets"]
    return AwsPrerequisites(
        variables=variables,
        steps=tuple(steps),
        notes=_aws_notes(region, registry_bucket, storage_bucket, per_user_buckets),
        claims=tuple(claims),
        policy=policy,
        buckets=tuple(buckets),
        region=region,
    )


# --- Google Cloud: Artifact Registry and Cloud Storage -------------------------------------------

ENV_GCP_PROJECT = database.ENV_GCP_PROJECT
ENV_AR_LOCATION = "AR_LOCATION"
ENV_AR_REPOSITORY = "AR_REPOSITORY"
ENV_REGISTRY_SA = "REGISTRY_SA"
ENV_REGISTRY_SA_EMAIL = "REGISTRY_SA_EMAIL"
ENV_STORAGE_SA = "STORAGE_SA"
ENV_STORAGE_SA_EMAIL = "STORAGE_SA_EMAIL"
DEFAULT_REGISTRY_SA = "gitpod-registry"
DEFAULT_STORAGE_SA = "gitpod-storage"
AR_API = "artifactregistry.googleapis.com"
AR_WRITER_ROLE = "roles/artifactregistry.writer"
#: The Cloud Storage buckets content-service creates (claim storage.gcs-buckets).
GCS_STAGE = "dev"
GCS_BUCKET = f"gitpod-{GCS_STAGE}-user-<user ID>"


def _create_service_account(name_variable: str, email_variable: str, display: str) -> str:
    """``gcloud iam service-accounts create`` printing the new account's email into a variable
    (the email gcloud returns; a domain-scoped project's differs from ``<name>@<project>...``)."""
    return _command(
        f'{email_variable}=$(gcloud iam service-accounts create "${name_variable}"',
        f'--project="${ENV_GCP_PROJECT}"',
        f"--display-name={shlex.quote(display)}",
        "--format='value(email)')",
    )


def _key_command(key_file: str, email_variable: str) -> str:
    return _command(
        f"(umask 077 && gcloud iam service-accounts keys create {key_file}",
        f'--iam-account="${email_variable}")',
    )


def gar(
    location: str,
    project: str,
    repository: str = "gitpod",
    service_account: str = DEFAULT_REGISTRY_SA,
) -> GcpPrerequisites:
    """The Artifact Registry repository Gitpod 2022.11 pushes to, and the key it pushes with.

    Enable the API, create the ``docker`` repository (Artifact Registry creates none on push),
    a service account, grant it ``roles/artifactregistry.writer`` on that repository only, and
    write its JSON key to the file the secret command reads (:data:`config.SA_KEY_FILE`).
    Sources: the claims registry.gar-prerequisites, and registry.push-repositories for what
    Gitpod pushes.
    """
    setup = registry.gar(location, project, repository)
    validation.run(SERVICE_ACCOUNT_SPEC, service_account, "service_account")
    variables = _exports(
        [
            (ENV_GCP_PROJECT, project),
            (ENV_AR_LOCATION, location),
            (ENV_AR_REPOSITORY, repository),
            (ENV_REGISTRY_SA, service_account),
        ]
    )
    where = (f'--location="${ENV_AR_LOCATION}"', f'--project="${ENV_GCP_PROJECT}"')
    steps = (
        Step(
            "Enable the Artifact Registry API",
            _command(f"gcloud services enable {AR_API}", f'--project="${ENV_GCP_PROJECT}"'),
        ),
        Step(
            "Create the Docker repository",
            _command(
                f'gcloud artifacts repositories create "${ENV_AR_REPOSITORY}"',
                "--repository-format=docker",
                *where,
            ),
        ),
        Step(
            "Create the service account Gitpod pushes with",
            _create_service_account(ENV_REGISTRY_SA, ENV_REGISTRY_SA_EMAIL, "Gitpod registry"),
        ),
        Step(
            "Let it push to and pull from this repository only",
            _command(
                f'gcloud artifacts repositories add-iam-policy-binding "${ENV_AR_REPOSITORY}"',
                *where,
                f'--member="serviceAccount:${ENV_REGISTRY_SA_EMAIL}"',
                f"--role={AR_WRITER_ROLE}",
            ),
        ),
        Step("Create its key", _key_command(config.SA_KEY_FILE, ENV_REGISTRY_SA_EMAIL)),
    )
    notes = (
        f"Gitpod pushes to `{setup.url}/base-images` and `{setup.url}/workspace-images`: "
        f"`{AR_WRITER_ROLE}` on the repository covers both, and the pulls.",
        f"The key goes to `{config.SA_KEY_FILE}` (mode 600), which the secret command reads "
        f"as the password of `{registry.GOOGLE_JSON_KEY_USER}`. An organization policy that "
        "forbids service account keys (`iam.disableServiceAccountKeyCreation`) makes this "
        "step fail: the secret Gitpod 2022.11 reads holds the key itself.",
    )
    return GcpPrerequisites(
        variables=variables,
        steps=steps,
        notes=notes,
        claims=("registry.gar-prerequisites", "registry.push-repositories"),
        roles=(AR_WRITER_ROLE,),
        key_file=config.SA_KEY_FILE,
    )


def gcs(region: str, project: str, service_account: str = DEFAULT_STORAGE_SA) -> GcpPrerequisites:
    """The service account Gitpod 2022.11's Cloud Storage uses; there is no bucket to create.

    With ``objectStorage.cloudStorage`` content-service creates a bucket
    ``gitpod-dev-user-<user ID>`` per user, in ``metadata.region`` (``region``), in ``project``
    (claim storage.gcs-buckets): the account needs ``roles/storage.admin`` on the project to
    create them. Both roles the admin console's help names (:data:`storage.GCS_ROLES`;
    claim storage.admin-console) are granted, and the key is written to the file the secret
    command reads (:data:`storage.GCS_SA_KEY_FILE`).
    """
    setup = storage.gcs(region, project)
    validation.run(SERVICE_ACCOUNT_SPEC, service_account, "service_account")
    variables = _exports([(ENV_GCP_PROJECT, project), (ENV_STORAGE_SA, service_account)])
    grants = "".join(
        _command(
            f'gcloud projects add-iam-policy-binding "${ENV_GCP_PROJECT}"',
            f'--member="serviceAccount:${ENV_STORAGE_SA_EMAIL}"',
            f"--role={role}",
            "--condition=None",
        )
        for role in storage.GCS_ROLES
    )
    steps = (
        Step(
            "Create the service account object storage uses",
            _create_service_account(ENV_STORAGE_SA, ENV_STORAGE_SA_EMAIL, "Gitpod storage"),
        ),
        Step("Grant it the roles the admin console names, on the project", grants),
        Step("Create its key", _key_command(storage.GCS_SA_KEY_FILE, ENV_STORAGE_SA_EMAIL)),
    )
    notes = (
        f"No bucket to create: Gitpod 2022.11 creates one bucket per user, `{GCS_BUCKET}`, in "
        f"`metadata.region` (here `{setup.region}`) in the project `{project}`, with this "
        f"account; that is why it needs `{storage.GCS_ROLES[0]}` on the project.",
        f"The key goes to `{storage.GCS_SA_KEY_FILE}` (mode 600), which the secret command reads.",
    )
    return GcpPrerequisites(
        variables=variables,
        steps=steps,
        notes=notes,
        claims=("storage.gcs-buckets", "storage.admin-console"),
        roles=storage.GCS_ROLES,
        key_file=storage.GCS_SA_KEY_FILE,
    )


ENV_CLOUDSQL_SA = "CLOUDSQL_SA"
ENV_CLOUDSQL_SA_EMAIL = "CLOUDSQL_SA_EMAIL"
DEFAULT_CLOUDSQL_SA = "gitpod-cloudsql"


def cloudsql(project: str, service_account: str = DEFAULT_CLOUDSQL_SA) -> GcpPrerequisites:
    """The service account the Cloud SQL proxy Gitpod 2022.11 deploys connects with.

    The proxy mounts the key of the ``cloudSQL`` secret (claim database.cloudsql-proxy); the admin
    console's help asks for :data:`database.CLOUDSQL_ROLE` (claim database.admin-console), granted
    on the project. The key is written to the file the secret command reads
    (:data:`database.CLOUDSQL_SA_KEY_FILE`). The instance, its database and user are
    :func:`database.user_commands`' (Cloud SQL).
    """
    gcp.validate_project_id(project)
    validation.run(SERVICE_ACCOUNT_SPEC, service_account, "service_account")
    variables = _exports([(ENV_GCP_PROJECT, project), (ENV_CLOUDSQL_SA, service_account)])
    steps = (
        Step(
            "Create the service account the Cloud SQL proxy connects with",
            _create_service_account(ENV_CLOUDSQL_SA, ENV_CLOUDSQL_SA_EMAIL, "Gitpod Cloud SQL"),
        ),
        Step(
            "Let it connect to the project's instances",
            _command(
                f'gcloud projects add-iam-policy-binding "${ENV_GCP_PROJECT}"',
                f'--member="serviceAccount:${ENV_CLOUDSQL_SA_EMAIL}"',
                f"--role={database.CLOUDSQL_ROLE}",
                "--condition=None",
            ),
        ),
        Step(
            "Create its key",
            _key_command(database.CLOUDSQL_SA_KEY_FILE, ENV_CLOUDSQL_SA_EMAIL),
        ),
    )
    notes = (
        f"The installer runs the Cloud SQL proxy with this key; `{database.CLOUDSQL_ROLE}` is "
        "the role the admin console's help names for it.",
        f"The key goes to `{database.CLOUDSQL_SA_KEY_FILE}` (mode 600), which the secret command "
        "reads.",
    )
    return GcpPrerequisites(
        variables=variables,
        steps=steps,
        notes=notes,
        claims=("database.cloudsql-proxy", "database.admin-console"),
        roles=(database.CLOUDSQL_ROLE,),
        key_file=database.CLOUDSQL_SA_KEY_FILE,
    )


# --- Harbor (any cluster with its own registry) ------------------------------------------------

ENV_HARBOR_HOST = "HARBOR_HOST"
ENV_HARBOR_PROJECT = "HARBOR_PROJECT"
ENV_HARBOR_ROBOT = "HARBOR_ROBOT"
ENV_HARBOR_ADMIN = "HARBOR_ADMIN_USER"
HARBOR_API = "/api/v2.0"
ROBOT_FILE = "harbor-robot.json"
#: The private CA's certificate (PEM) the steps read, and the secret Gitpod reads it from: the
#: admin console's name for it (gitpod-ca-secret.yaml), under the key the installer mounts.
CA_FILE = "registry-ca.crt"
CA_SECRET = "ca-certificate"
CA_KEY = "ca.crt"
ROBOT_PERMISSIONS = ("pull", "push")


def _curl(path: str, cacert: bool, *extra: str) -> tuple[str, ...]:
    return (
        "curl --fail-with-body --silent --show-error",
        f'--user "${ENV_HARBOR_ADMIN}"',
        *((f"--cacert {CA_FILE}",) if cacert else ()),
        "--header 'Content-Type: application/json'",
        "--data @-",
        *extra,
        f'"https://${ENV_HARBOR_HOST}{HARBOR_API}{path}"',
    )


def _with_body(command: str, body: dict[str, Any]) -> str:
    """``command <<EOF`` with a JSON body (unquoted delimiter: the shell fills the variables)."""
    return f"{command.rstrip()} <<EOF\n{json.dumps(body, indent=2)}\nEOF\n"


def _project_request(project: str) -> dict[str, Any]:
    return {"project_name": project, "metadata": {"public": "false"}}


def _robot_request(project: str, robot: str) -> dict[str, Any]:
    return {
        "name": robot,
        "description": "Gitpod pushes workspace images",
        "duration": -1,
        "level": "project",
        "disable": False,
        "permissions": [
            {
                "kind": "project",
                "namespace": project,
                "access": [{"resource": "repository", "action": a} for a in ROBOT_PERMISSIONS],
            }
        ],
    }


def ca_secret_command() -> str:
    """The ``kubectl create secret`` command for ``customCACert``: the CA's PEM from
    :data:`CA_FILE` under the key ``ca.crt``, in Gitpod's namespace (claim registry.custom-ca)."""
    return config.kubectl_command(
        f"kubectl create secret generic {CA_SECRET}", f"--from-file={CA_KEY}={CA_FILE}"
    )


def ca_config() -> dict[str, Any]:
    """The installer config's ``customCACert``, referring to :func:`ca_secret_command`'s secret."""
    return {"customCACert": config.secret_ref(CA_SECRET)}


def harbor(
    host: str,
    project: str = "gitpod",
    robot: str = "gitpod",
    *,
    private_ca: bool = False,
    admin_user: str = "admin",
) -> HarborPrerequisites:
    """The Harbor project Gitpod 2022.11 pushes to, a robot account for it, and a private CA.

    Harbor reads the project from the first part of a repository name and refuses a project that
    does not exist (claim registry.harbor-projects), so the project is created first, private,
    through ``POST /api/v2.0/projects``; then a robot account with repository push and pull in it
    (``POST /api/v2.0/robots``, Harbor 2.2 or later), whose name and secret go to a file (mode
    600) and into the variables the registry secret command reads. ``curl`` asks for the admin's
    password. With ``private_ca``, curl trusts :data:`CA_FILE`, and Gitpod gets it as
    ``customCACert`` (:func:`ca_secret_command`, :func:`ca_config`; claim registry.custom-ca).
    """
    validation.run(PROJECT_SPEC, project, "project")
    setup = registry.generic(host, project)
    validation.run(ROBOT_SPEC, robot, "robot")
    validation.run(ADMIN_USER_SPEC, admin_user, "admin_user")
    variables = _exports(
        [(ENV_HARBOR_HOST, host), (ENV_HARBOR_PROJECT, project), (ENV_HARBOR_ROBOT, robot)]
    ) + _exports(
        [(ENV_HARBOR_ADMIN, admin_user)], "a Harbor user that may create projects and robots"
    )
    shown_project = _project_request(f"${ENV_HARBOR_PROJECT}")
    shown_robot = _robot_request(f"${ENV_HARBOR_PROJECT}", f"${ENV_HARBOR_ROBOT}")
    create_project = _with_body(_command(*_curl("/projects", private_ca)), shown_project)
    robot_command = _with_body(
        _command(*_curl("/robots", private_ca, f"--output {ROBOT_FILE}")), shown_robot
    )
    read = (
        f"{config.ENV_REGISTRY_USERNAME}=$(jq -r .name {ROBOT_FILE})\n"
        f"{config.ENV_REGISTRY_PASSWORD}=$(jq -r .secret {ROBOT_FILE})"
        "   # what the secret command reads\n"
    )
    steps = [
        Step("Create the project, private", create_project),
        Step(
            "Create a robot account that may push and pull in it",
            f"(umask 077 && {robot_command.rstrip()}\n)\n" + read,
        ),
    ]
    notes = [
        f"Gitpod pushes to `{setup.url}/base-images` and `{setup.url}/workspace-images`: "
        f"repositories of the project `{project}`, which Harbor does not create on push.",
        f"`curl` asks for the password of `{admin_user}`; the robot's name "
        f"(`robot${project}+{robot}`) and secret go to `{ROBOT_FILE}` (mode 600), and `jq` "
        "reads them into the variables the secret command reads.",
    ]
    claims = ["registry.harbor-projects", "registry.push-repositories"]
    if private_ca:
        steps.append(Step("Give Gitpod your CA's certificate", ca_secret_command()))
        notes += [
            f"Put the certificate (PEM) of the CA that signed Harbor's certificate in "
            f"`{CA_FILE}`. Gitpod 2022.11 takes one CA, `customCACert`: the installer mounts it "
            "into the components that talk to the registry and into every workspace, image "
            "builds included. If Gitpod's own certificate comes from another private CA, put "
            "both certificates in the file (an inference: the file is a PEM bundle).",
            f"In the admin console the same secret, `{CA_SECRET}`, comes from the CA "
            "certificate item, shown only with your own TLS certificate (neither self-signed "
            "nor cert-manager).",
        ]
        claims += ["registry.custom-ca", "registry.custom-ca-admin-console"]
    ui_steps = (
        f"Projects, New Project: the name `{project}`, access level not public.",
        f"In the project, Robot Accounts, New Robot Account: the name `{robot}`, expiration "
        "never, permissions push and pull on repositories; copy the name and secret Harbor "
        "shows.",
    )
    return HarborPrerequisites(
        variables=variables,
        steps=tuple(steps),
        notes=tuple(notes),
        claims=tuple(claims),
        project_request=_project_request(project),
        robot_request=_robot_request(project, robot),
        setup=setup,
        ca_config=ca_config() if private_ca else {},
        ui_steps=ui_steps,
    )


# --- one entry point for pages -----------------------------------------------------------------

KINDS = ("aws", "gar", "gcs", "cloudsql", "harbor")
YES_NO = "'yes' or 'no'"


def _yes_no(value: str, field: str) -> bool:
    if value not in ("yes", "no"):
        raise RuleError(field, value, YES_NO)
    return value == "yes"


def build(kind: str, inputs: dict[str, str]) -> Prerequisites:
    """The prerequisites of ``kind`` (one of :data:`KINDS`) for a page's inputs, all text:
    ``per_user_buckets`` and ``private_ca`` are 'yes' or 'no'. An input the function does not
    take, or a missing one, is a :class:`RuleError` naming it."""
    builders: dict[str, Callable[..., Prerequisites]] = {
        "aws": aws_s3,
        "gar": gar,
        "gcs": gcs,
        "cloudsql": cloudsql,
        "harbor": harbor,
    }
    if kind not in builders:
        raise RuleError("kind", kind, f"one of {', '.join(KINDS)}")
    fn = builders[kind]
    params = inspect.signature(fn).parameters
    for name, value in inputs.items():
        if name not in params:
            raise RuleError(name, value, f"an input of {kind}: {', '.join(params)}")
    for name, param in params.items():
        if param.default is inspect.Parameter.empty and name not in inputs:
            raise RuleError(name, None, f"a value ({kind} needs it)")
    args: dict[str, Any] = dict(inputs)
    for flag in ("per_user_buckets", "private_ca"):
        if flag in args:
            args[flag] = _yes_no(args[flag], flag)
    return fn(**args)
