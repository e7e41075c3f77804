"""The prerequisite commands (gitpod_resources.prerequisites): their rules against the providers'
own data, their shell text as bash runs it, and bad input.

botocore is the oracle for the LocationConstraint values, the ARN partitions and the IAM name
rules; Distribution's documented IAM policy and Harbor's API definitions (v2.12.0) are
transcribed with their sources. The Google Cloud and Harbor commands cannot run here: bash runs
them with ``gcloud``, ``curl``, ``jq`` and ``kubectl`` as shell functions that record what they
were given (and answer as the real ones would: an email, a robot account), so what is checked is
the command lines, the variables each one reads, the request bodies, and the files written.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import botocore.session
import jsonschema
import pytest

from gitpod_resources import (
    aws,
    checker,
    config,
    database,
    gcp,
    prerequisites,
    registry,
    schema,
    sources,
    storage,
    validation,
)
from gitpod_resources.errors import RuleError
from gitpod_resources.releases import RELEASES
from tests.conftest import require
from tests.examples import created_secrets

BASH = shutil.which("bash")
HARBOR_API = Path(__file__).resolve().parent.parent / "support" / "harbor_v2.12.0_api.json"
#: One region of each partition.
ONE_PER_PARTITION = {p.id: p.regions[0].code for p in aws.partitions()}

#: Distribution's documented policy for its S3 driver, verbatim ("S3 permission scopes",
#: docs/content/storage-drivers/s3.md lines 87-113 at v3.0.0, commit 9ed95e73).
DISTRIBUTION_POLICY = """
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:ListBucket",
        "s3:GetBucketLocation",
        "s3:ListBucketMultipartUploads"
      ],
      "Resource": "arn:aws:s3:::S3_BUCKET_NAME"
    },
    {
      "Effect": "Allow",
      "Action": [
        "s3:PutObject",
        "s3:GetObject",
        "s3:DeleteObject",
        "s3:ListMultipartUploadParts",
        "s3:AbortMultipartUpload"
      ],
      "Resource": "arn:aws:s3:::S3_BUCKET_NAME/*"
    }
  ]
}
"""


def botocore_model(service: str) -> Any:
    return botocore.session.get_session().get_service_model(service)


def run(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``script`` in bash, stopping at the first failure or undefined variable."""
    require(BASH is not None, "bash runs the commands")
    return subprocess.run(
        [BASH or "bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def ok(script: str, cwd: Path) -> str:
    done = run(script, cwd)
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stderr}\n{script}"
    return done.stdout


def variables_of(snippet: str) -> dict[str, str]:
    """The ``export NAME=value`` assignments of a variables snippet, as the shell reads them."""
    out: dict[str, str] = {}
    for word in shlex.split(snippet, comments=True):
        if word == "export":
            continue
        name, eq, value = word.partition("=")
        assert eq and re.fullmatch(r"[A-Z_][A-Z0-9_]*", name), word
        out[name] = value
    return out


# --- S3: LocationConstraint, partitions ----------------------------------------------------------


def test_the_location_constraint_data_is_botocores() -> None:
    shape = botocore_model("s3").shape_for("BucketLocationConstraint")
    source, as_of = aws.location_constraints_source()
    assert "botocore" in source and as_of
    doc = json.loads(
        (Path(aws.__file__).parent / "data" / aws.LOCATION_CONSTRAINTS_FILE).read_text()
    )
    assert doc["values"] == shape.enum


@pytest.mark.parametrize("region", aws.region_codes())
def test_every_region_outside_us_east_1_names_itself_as_the_location_constraint(
    region: str,
) -> None:
    enum = set(botocore_model("s3").shape_for("BucketLocationConstraint").enum)
    constraint = aws.location_constraint(region)
    assert constraint == (None if region == "us-east-1" else region)
    assert aws.location_constraint_documented(region) == (constraint is None or region in enum)
    command = prerequisites.create_bucket_command(region, "BUCKET")
    argv = shlex.split(command.replace("\\\n", " "))
    assert argv[:3] == ["aws", "s3api", "create-bucket"]
    assert argv[argv.index("--region") + 1] == "$S3_REGION"
    assert ("--create-bucket-configuration" in argv) == (constraint is not None)
    if constraint is not None:
        after = argv[argv.index("--create-bucket-configuration") + 1]
        assert after == "LocationConstraint=$S3_REGION"


def test_every_documented_location_constraint_is_a_region_the_rules_know() -> None:
    enum = botocore_model("s3").shape_for("BucketLocationConstraint").enum
    assert set(enum) - {"EU"} <= set(aws.region_codes())


def test_the_arn_partition_of_every_region_is_botocores() -> None:
    doc = botocore.session.get_session().get_data("partitions")
    for code in aws.region_codes():
        matching = [
            p for p in doc["partitions"] if code in p["regions"] or re.match(p["regionRegex"], code)
        ]
        assert len(matching) == 1, code
        assert aws.arn_partition(code) == matching[0]["outputs"]["name"], code


@pytest.mark.parametrize("partition", sorted(ONE_PER_PARTITION))
def test_the_policy_names_buckets_in_the_regions_partition(partition: str) -> None:
    region = ONE_PER_PARTITION[partition]
    policy = prerequisites.s3_policy(
        region, registry_bucket="gitpod-registry-x", storage_bucket="gitpod-storage-x"
    )
    resources = [
        r
        for s in policy["Statement"]
        for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])
    ]
    assert resources and all(r.startswith(f"arn:{partition}:s3:::") for r in resources)
    assert (
        aws.s3_bucket_arn("gitpod-registry-x", region) == f"arn:{partition}:s3:::gitpod-registry-x"
    )


def test_the_registry_policy_is_distributions_documented_policy() -> None:
    documented = json.loads(DISTRIBUTION_POLICY.replace("S3_BUCKET_NAME", "gitpod-registry-x"))
    policy = prerequisites.s3_policy("eu-west-2", registry_bucket="gitpod-registry-x")
    assert policy["Version"] == documented["Version"]
    assert [{k: v for k, v in s.items() if k != "Sid"} for s in policy["Statement"]] == documented[
        "Statement"
    ]


def test_the_storage_policy_grants_no_bucket_creation_or_deletion() -> None:
    policy = prerequisites.s3_policy("eu-west-2", storage_bucket="gitpod-storage-x")
    actions = {a for s in policy["Statement"] for a in s["Action"]}
    assert not {"s3:CreateBucket", "s3:DeleteBucket"} & actions
    assert actions <= set(
        prerequisites.REGISTRY_BUCKET_ACTIONS + prerequisites.REGISTRY_OBJECT_ACTIONS
    )


def test_the_per_user_policy_covers_gitpods_and_the_admin_consoles_bucket_names() -> None:
    policy = prerequisites.s3_policy("cn-north-1", per_user_buckets=True)
    buckets, objects = policy["Statement"]
    assert buckets["Resource"] == ["arn:aws-cn:s3:::gitpod-user-*", "arn:aws-cn:s3:::kots-check-*"]
    assert objects["Resource"] == [f"{r}/*" for r in buckets["Resource"]]
    assert {"s3:CreateBucket", "s3:DeleteBucket"} <= set(buckets["Action"])
    assert storage.PER_USER_BUCKET.startswith("gitpod-user-")


# --- the AWS commands as bash runs them ----------------------------------------------------------

FAKE_AWS = r"""
aws() {
  printf '%s\n' "$*" >> aws-calls.txt
  case "$*" in
    "iam create-policy "*) echo "arn:$FAKE_PARTITION:iam::123456789012:policy/$IAM_POLICY" ;;
    "iam create-access-key "*) printf 'AKIAFAKE\tfake-secret\n' ;;
  esac
}
"""


@pytest.mark.parametrize("region", ["eu-west-2", "us-east-1", "cn-north-1", "us-gov-west-1"])
def test_the_aws_commands_read_only_their_variables_and_write_the_policy(
    tmp_path: Path, region: str
) -> None:
    pre = prerequisites.aws_s3(
        region, registry_bucket="gitpod-registry-x", storage_bucket="gitpod-storage-x"
    )
    values = variables_of(pre.variables)
    assert values == {
        "S3_REGION": region,
        "REGISTRY_BUCKET": "gitpod-registry-x",
        "STORAGE_BUCKET": "gitpod-storage-x",
        "IAM_USER": prerequisites.DEFAULT_IAM_USER,
        "IAM_POLICY": prerequisites.DEFAULT_IAM_POLICY,
    }
    assert aws.validate_region(values["S3_REGION"]).code == region
    fake = FAKE_AWS.replace("$FAKE_PARTITION", aws.arn_partition(region))
    # The reader's own AWS CLI identity, as their shell has it before they start.
    own = "export AWS_ACCESS_KEY_ID=AKIAREADEROWN AWS_SECRET_ACCESS_KEY=reader-own-secret\n"
    shown = '"$S3_ACCESS_KEY_ID" "$POLICY_ARN" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY"'
    out = ok(own + fake + pre.script + f'printf "%s %s %s %s\\n" {shown}\n', tmp_path)
    new_key, arn, own_key, own_secret = out.splitlines()[-1].split()
    assert (new_key, arn) == (
        "AKIAFAKE",
        f"arn:{aws.arn_partition(region)}:iam::123456789012:policy/gitpod-s3",
    )
    # Loading the new user's key leaves the reader's own identity (aws eks get-token's) alone.
    assert (own_key, own_secret) == ("AKIAREADEROWN", "reader-own-secret")
    written = json.loads((tmp_path / prerequisites.POLICY_FILE).read_text())
    assert written == pre.policy
    key_file = tmp_path / prerequisites.ACCESS_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    calls = (tmp_path / "aws-calls.txt").read_text().splitlines()
    assert [" ".join(c.split()[:2]) for c in calls] == [
        "s3api create-bucket",
        "s3api put-public-access-block",
        "s3api create-bucket",
        "s3api put-public-access-block",
        "iam create-policy",
        "iam create-user",
        "iam attach-user-policy",
        "iam create-access-key",
    ]
    assert all(f"--region {region}" in c for c in calls), calls


def test_no_secret_is_typed_into_a_command() -> None:
    for pre in (
        prerequisites.aws_s3("eu-west-2", registry_bucket="gitpod-registry-x"),
        prerequisites.gar("europe-west2", "my-gcp-project"),
        prerequisites.gcs("europe-west2", "my-gcp-project"),
        prerequisites.harbor("harbor.example.com", private_ca=True),
    ):
        # A key ID, or a password or secret given as text rather than read ("$...", "$(...)").
        typed = r"AKIA[0-9A-Z]{8,}|(?:password|secret)[=:]\s*(?![\s$\"'])"
        assert not re.search(typed, pre.script, re.I), pre.script


# --- Google Cloud, with gcloud as a recording shell function -------------------------------------

FAKE_GCLOUD = r"""
gcloud() {
  printf '%s\n' "$*" >> gcloud-calls.txt
  case "$*" in
    "iam service-accounts create "*) echo "$4@$FAKE_PROJECT.iam.gserviceaccount.com" ;;
    "iam service-accounts keys create "*) echo '{"type": "service_account"}' > "$5" ;;
  esac
}
"""


def gcloud_calls(pre: prerequisites.Prerequisites, tmp_path: Path, project: str) -> list[str]:
    """The gcloud calls of ``pre``'s commands, run in ``tmp_path``; every service account key they
    write there is the reader's alone (mode 600)."""
    ok(FAKE_GCLOUD.replace("$FAKE_PROJECT", project) + pre.script, tmp_path)
    calls = (tmp_path / "gcloud-calls.txt").read_text().splitlines()
    for call in calls:
        if call.startswith("iam service-accounts keys create "):
            key = tmp_path / call.split()[4]
            assert stat.S_IMODE(key.stat().st_mode) == 0o600, call
    return calls


def test_the_artifact_registry_commands(tmp_path: Path) -> None:
    pre = prerequisites.gar("europe-west2", "my-gcp-project", "gitpod")
    values = variables_of(pre.variables)
    assert gcp.validate_project_id(values["GCP_PROJECT"]) == "my-gcp-project"
    assert gcp.validate_ar_location(values["AR_LOCATION"]).code == "europe-west2"
    assert gcp.validate_repository(values["AR_REPOSITORY"]) == "gitpod"
    sa = "gitpod-registry@my-gcp-project.iam.gserviceaccount.com"
    calls = gcloud_calls(pre, tmp_path, "my-gcp-project")
    assert calls == [
        "services enable artifactregistry.googleapis.com --project=my-gcp-project",
        "artifacts repositories create gitpod --repository-format=docker "
        "--location=europe-west2 --project=my-gcp-project",
        "iam service-accounts create gitpod-registry --project=my-gcp-project "
        "--display-name=Gitpod registry --format=value(email)",
        "artifacts repositories add-iam-policy-binding gitpod --location=europe-west2 "
        f"--project=my-gcp-project --member=serviceAccount:{sa} "
        "--role=roles/artifactregistry.writer",
        f"iam service-accounts keys create gcp-sa-key.json --iam-account={sa}",
    ]
    # The key file is the config's, the one the registry secret command reads.
    assert pre.key_file == config.SA_KEY_FILE
    setup = registry.gar("europe-west2", "my-gcp-project", "gitpod")
    assert f"$(cat {pre.key_file})" in (config.secret_command(setup) or "")
    assert pre.roles == ("roles/artifactregistry.writer",)


def test_a_domain_scoped_project_keeps_its_colon_in_the_commands(tmp_path: Path) -> None:
    pre = prerequisites.gar("us", "example.com:my-project")
    assert variables_of(pre.variables)["GCP_PROJECT"] == "example.com:my-project"
    calls = gcloud_calls(pre, tmp_path, "my-project.example.com")
    assert "--project=example.com:my-project" in calls[1]


def test_the_cloud_storage_commands_create_no_bucket(tmp_path: Path) -> None:
    pre = prerequisites.gcs("europe-west2", "my-gcp-project")
    sa = "gitpod-storage@my-gcp-project.iam.gserviceaccount.com"
    calls = gcloud_calls(pre, tmp_path, "my-gcp-project")
    assert calls == [
        "iam service-accounts create gitpod-storage --project=my-gcp-project "
        "--display-name=Gitpod storage --format=value(email)",
        *(
            f"projects add-iam-policy-binding my-gcp-project --member=serviceAccount:{sa} "
            f"--role={role} --condition=None"
            for role in storage.GCS_ROLES
        ),
        f"iam service-accounts keys create {storage.GCS_SA_KEY_FILE} --iam-account={sa}",
    ]
    assert not any("buckets create" in c for c in calls)
    setup = storage.gcs("europe-west2", "my-gcp-project")
    assert f"={pre.key_file}" in (storage.secret_command(setup) or "")
    assert any(prerequisites.GCS_BUCKET in note for note in pre.notes)


def test_the_cloud_sql_proxy_account(tmp_path: Path) -> None:
    """The proxy's service account: the role the admin console names, and the key file the
    Cloud SQL secret command reads."""
    pre = prerequisites.cloudsql("my-gcp-project")
    sa = "gitpod-cloudsql@my-gcp-project.iam.gserviceaccount.com"
    calls = gcloud_calls(pre, tmp_path, "my-gcp-project")
    assert calls == [
        "iam service-accounts create gitpod-cloudsql --project=my-gcp-project "
        "--display-name=Gitpod Cloud SQL --format=value(email)",
        f"projects add-iam-policy-binding my-gcp-project --member=serviceAccount:{sa} "
        "--role=roles/cloudsql.client --condition=None",
        f"iam service-accounts keys create {pre.key_file} --iam-account={sa}",
    ]
    setup = database.cloud_sql("my-gcp-project", "europe-west2", "gitpod-mysql")
    (command,) = database.secret_commands(setup)
    assert f"=credentials.json={pre.key_file}" in command.replace("--from-file", "")


def test_build_is_each_function_with_text_inputs() -> None:
    """A page's macro passes text: build gives what the function gives for the same values."""
    assert prerequisites.build(
        "aws", {"region": "cn-north-1", "registry_bucket": "b-b-b"}
    ) == prerequisites.aws_s3("cn-north-1", registry_bucket="b-b-b")
    assert prerequisites.build(
        "harbor", {"host": "h.example.com", "private_ca": "yes"}
    ) == prerequisites.harbor("h.example.com", private_ca=True)
    assert prerequisites.build("gcs", {"region": "europe-west2", "project": "p-p-p-p"}) == (
        prerequisites.gcs("europe-west2", "p-p-p-p")
    )


# --- Harbor, with curl, jq and kubectl as recording shell functions ------------------------------

FAKE_HARBOR = r"""
curl() {
  local out="" url="${@: -1}"
  while [ $# -gt 0 ]; do
    printf '%s\n' "$1" >> curl-args.txt
    if [ "$1" = --output ]; then out="$2"; fi
    shift
  done
  cat > "body-${url##*/}.json"
  if [ -n "$out" ]; then
    printf '{"name": "robot$%s+%s", "secret": "from-harbor"}\n' \
      "$HARBOR_PROJECT" "$HARBOR_ROBOT" > "$out"
  fi
}
jq() {
  "$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[2]))[sys.argv[1][1:]])' "$2" "$3"
}
kubectl() { printf '%s\n' "$@" > kubectl-args.txt; }
export GITPOD_NAMESPACE=gitpod
"""


def harbor_schema(definition: str) -> dict[str, Any]:
    api = json.loads(HARBOR_API.read_text())
    return {"$ref": f"#/definitions/{definition}", "definitions": api["definitions"]}


def assert_fits(body: dict[str, Any], definition: str) -> None:
    """Valid against Harbor's definition, and no key the definition lacks (at any depth)."""
    jsonschema.validate(body, harbor_schema(definition))
    definitions = json.loads(HARBOR_API.read_text())["definitions"]

    def walk(value: Any, name: str) -> None:
        props = definitions[name].get("properties", {})
        assert set(value) <= set(props), (name, set(value) - set(props))
        for key, item in value.items():
            ref = props[key].get("$ref") or props[key].get("items", {}).get("$ref")
            if ref:
                for element in item if isinstance(item, list) else [item]:
                    walk(element, ref.rsplit("/", 1)[-1])

    walk(body, definition)


@pytest.mark.parametrize("private_ca", [False, True], ids=["public-ca", "private-ca"])
def test_the_harbor_commands(tmp_path: Path, private_ca: bool) -> None:
    pre = prerequisites.harbor("harbor.example.com:8443", "gitpod", "gitpod", private_ca=private_ca)
    values = variables_of(pre.variables)
    assert values["HARBOR_HOST"] == "harbor.example.com:8443"
    fake = FAKE_HARBOR.replace('"$PYTHON"', shlex.quote(sys.executable))
    setup = registry.generic("harbor.example.com:8443", "gitpod")
    assert pre.setup == setup
    secret = config.secret_command(setup) or ""
    ok(fake + pre.script + secret, tmp_path)

    project = json.loads((tmp_path / "body-projects.json").read_text())
    robot = json.loads((tmp_path / "body-robots.json").read_text())
    assert (
        project
        == pre.project_request
        == {"project_name": "gitpod", "metadata": {"public": "false"}}
    )
    assert robot == pre.robot_request
    assert_fits(project, "ProjectReq")
    assert_fits(robot, "RobotCreate")
    assert robot["permissions"][0]["namespace"] == "gitpod"
    assert {a["action"] for a in robot["permissions"][0]["access"]} == {"push", "pull"}

    args = (tmp_path / "curl-args.txt").read_text().splitlines()
    api = json.loads(HARBOR_API.read_text())["base_path"]
    assert f"https://harbor.example.com:8443{api}/projects" in args
    assert f"https://harbor.example.com:8443{api}/robots" in args
    assert ("--cacert" in args) == private_ca
    assert args.count("--user") == 2 and "admin" in args  # curl asks for the password
    robot_file = tmp_path / prerequisites.ROBOT_FILE
    assert stat.S_IMODE(robot_file.stat().st_mode) == 0o600
    # The registry secret gets the robot's name and secret from the variables the step set.
    kubectl = (tmp_path / "kubectl-args.txt").read_text().splitlines()
    assert "--docker-username=robot$gitpod+gitpod" in kubectl
    assert "--docker-password=from-harbor" in kubectl
    assert "--docker-server=harbor.example.com:8443" in kubectl
    assert ("registry.custom-ca" in pre.claims) == private_ca


def test_the_private_ca_is_customcacert_with_its_secret() -> None:
    command = prerequisites.ca_secret_command()
    assert created_secrets(command) == {prerequisites.CA_SECRET: {prerequisites.CA_KEY}}
    assert f'--namespace="${config.ENV_NAMESPACE}"' in command
    assert f"--from-file=ca.crt={prerequisites.CA_FILE}" in command
    fragment = prerequisites.ca_config()
    assert fragment == {"customCACert": {"kind": "secret", "name": "ca-certificate"}}
    assert schema.lookup("customCACert") is not None
    setup = registry.generic("harbor.example.com", "gitpod")
    base = config.installer_config(setup)
    for release in RELEASES:
        plain = checker.check_bytes(config.to_yaml(base).encode(), "a.yaml", release=release)
        with_ca = checker.check_bytes(
            config.to_yaml({**base, **fragment}).encode(), "b.yaml", release=release
        )
        codes = sorted(f.code for f in with_ca.findings)
        assert codes == sorted(f.code for f in plain.findings), (release, codes)
        assert not [c for c in codes if c.startswith("CFG")], (release, codes)


# --- every function: variables first, claims registered -----------------------------------------

ALL = {
    "aws": lambda: prerequisites.aws_s3(
        "eu-west-2", registry_bucket="gitpod-registry-x", storage_bucket="gitpod-storage-x"
    ),
    "aws-per-user": lambda: prerequisites.aws_s3("us-east-1", per_user_buckets=True),
    "gar": lambda: prerequisites.gar("europe-west2", "my-gcp-project"),
    "gcs": lambda: prerequisites.gcs("europe-west2", "my-gcp-project"),
    "harbor": lambda: prerequisites.harbor("harbor.example.com", private_ca=True),
    "cloudsql": lambda: prerequisites.cloudsql("my-gcp-project"),
}


@pytest.mark.parametrize("name", ALL)
def test_every_variable_a_step_reads_is_set_before(name: str) -> None:
    pre = ALL[name]()
    defined = set(variables_of(pre.variables)) | {
        config.ENV_NAMESPACE,  # the page sets it first (namespace_snippet)
    }
    for step in pre.steps:
        # In order: a variable is read after the snippet or an earlier command set it.
        events = [
            (m.start(), "set", m[1]) for m in re.finditer(r"(?m)^([A-Z_][A-Z0-9_]*)=", step.command)
        ]
        for m in re.finditer(r"read -r ([A-Z_ ]+) <", step.command):
            events += [(m.end(), "set", name) for name in m[1].split()]
        events += [
            (m.start(), "use", m[1]) for m in re.finditer(r"\$\{?([A-Z_][A-Z0-9_]*)", step.command)
        ]
        for _, kind, variable in sorted(events):
            if kind == "set":
                defined.add(variable)
            else:
                assert variable in defined, (step.title, variable)
    done = subprocess.run(
        [BASH or "bash", "-n", "-c", pre.script], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", ALL)
def test_every_claim_a_function_names_is_registered_with_sources(name: str) -> None:
    pre = ALL[name]()
    assert pre.claims
    for claim_id in pre.claims:
        assert sources.get(claim_id).sources, claim_id


# --- bad input: one line naming the field and the allowed form -----------------------------------

BAD = [
    (lambda: prerequisites.aws_s3("eu-west-22", registry_bucket="b-b-b"), "region"),
    (lambda: prerequisites.aws_s3("europe-west2", registry_bucket="b-b-b"), "region"),
    (lambda: prerequisites.aws_s3("eu-west-2", registry_bucket="Bad_Bucket"), "registry_bucket"),
    (lambda: prerequisites.aws_s3("eu-west-2"), "buckets"),
    (
        lambda: prerequisites.aws_s3("eu-west-2", storage_bucket="b-b-b", per_user_buckets=True),
        "per_user_buckets",
    ),
    (
        lambda: prerequisites.aws_s3("eu-west-2", registry_bucket="b-b-b", storage_bucket="b-b-b"),
        "storage_bucket",
    ),
    (lambda: prerequisites.aws_s3("eu-west-2", registry_bucket="b-b-b", user="a b"), "user"),
    (lambda: prerequisites.aws_s3("eu-west-2", registry_bucket="b-b-b", user="u" * 65), "user"),
    (
        lambda: prerequisites.aws_s3("eu-west-2", registry_bucket="b-b-b", policy_name=""),
        "policy_name",
    ),
    (lambda: prerequisites.gar("eu-west-2", "my-gcp-project"), "location"),
    (lambda: prerequisites.gar("europe-west2", "My-Project"), "project"),
    (lambda: prerequisites.gar("europe-west2", "my-gcp-project", "Gitpod"), "repository"),
    (
        lambda: prerequisites.gar("europe-west2", "my-gcp-project", service_account="sa"),
        "service_account",
    ),
    (
        lambda: prerequisites.gar("europe-west2", "my-gcp-project", service_account="Gitpod-sa"),
        "service_account",
    ),
    (
        lambda: prerequisites.gcs("europe-west2", "my-gcp-project", service_account="gitpod-"),
        "service_account",
    ),
    (lambda: prerequisites.gcs("europe-west2-a", "my-gcp-project"), "metadata.region"),
    (lambda: prerequisites.harbor("harbor"), "host"),
    (lambda: prerequisites.harbor("https://harbor.example.com"), "host"),
    (lambda: prerequisites.harbor("harbor.example.com", "Gitpod"), "project"),
    (lambda: prerequisites.harbor("harbor.example.com", "a/b"), "project"),
    (lambda: prerequisites.harbor("harbor.example.com", robot="a+b"), "robot"),
    (lambda: prerequisites.harbor("harbor.example.com", admin_user="a b"), "admin_user"),
    (lambda: prerequisites.cloudsql("My-Project"), "project"),
    (lambda: prerequisites.cloudsql("my-gcp-project", "sql"), "service_account"),
    (lambda: prerequisites.build("azure", {}), "kind"),
    (lambda: prerequisites.build("aws", {"regoin": "eu-west-2"}), "regoin"),
    (lambda: prerequisites.build("aws", {"registry_bucket": "b-b-b"}), "region"),
    (
        lambda: prerequisites.build("harbor", {"host": "h.example.com", "private_ca": "1"}),
        "private_ca",
    ),
    (
        lambda: prerequisites.build("aws", {"region": "eu-west-2", "per_user_buckets": "true"}),
        "per_user_buckets",
    ),
]


@pytest.mark.parametrize(("call", "field"), BAD, ids=[f"{i}-{f}" for i, (_, f) in enumerate(BAD)])
def test_bad_input_is_one_line_naming_the_field(call: Any, field: str) -> None:
    with pytest.raises(RuleError) as caught:
        call()
    message = str(caught.value)
    assert caught.value.field == field, message
    assert message.startswith(f"{field}: ") and "expected" in message and "\n" not in message


def test_the_iam_name_specs_are_iams() -> None:
    model = botocore_model("iam")
    for shape_name, spec, field in (
        ("userNameType", prerequisites.IAM_USER_SPEC, "user"),
        ("policyNameType", prerequisites.IAM_POLICY_SPEC, "policy_name"),
    ):
        shape = model.shape_for(shape_name)
        meta = shape.metadata
        assert meta["pattern"] == r"[\w+=,.@-]+", meta
        longest = "a" * meta["max"]
        for good in (longest, "a", "Gitpod_S3+x=y,z.w@v-u"):
            validation.run(spec, good, field)
        for bad in (longest + "a", "a b", "a/b", "a:b", "é"):
            with pytest.raises(RuleError):
                validation.run(spec, bad, field)


#: Each variable a snippet sets, and the rule that must accept its value.
VALIDATORS: dict[str, Any] = {
    "S3_REGION": aws.validate_region,
    "REGISTRY_BUCKET": aws.validate_bucket_name,
    "STORAGE_BUCKET": aws.validate_bucket_name,
    "IAM_USER": lambda v: validation.run(prerequisites.IAM_USER_SPEC, v, "user"),
    "IAM_POLICY": lambda v: validation.run(prerequisites.IAM_POLICY_SPEC, v, "policy_name"),
    "GCP_PROJECT": gcp.validate_project_id,
    "AR_LOCATION": gcp.validate_ar_location,
    "AR_REPOSITORY": gcp.validate_repository,
    "REGISTRY_SA": lambda v: validation.run(prerequisites.SERVICE_ACCOUNT_SPEC, v, "sa"),
    "STORAGE_SA": lambda v: validation.run(prerequisites.SERVICE_ACCOUNT_SPEC, v, "sa"),
    "CLOUDSQL_SA": lambda v: validation.run(prerequisites.SERVICE_ACCOUNT_SPEC, v, "sa"),
    "HARBOR_HOST": lambda v: validation.run(registry.GENERIC_HOST_SPEC, v, "host"),
    "HARBOR_PROJECT": lambda v: validation.run(prerequisites.PROJECT_SPEC, v, "project"),
    "HARBOR_ROBOT": lambda v: validation.run(prerequisites.ROBOT_SPEC, v, "robot"),
    "HARBOR_ADMIN_USER": lambda v: validation.run(prerequisites.ADMIN_USER_SPEC, v, "admin"),
}


@pytest.mark.parametrize("name", ALL)
def test_every_variable_the_snippet_sets_passes_the_rules_spec(name: str) -> None:
    values = variables_of(ALL[name]().variables)
    assert values
    for variable, value in values.items():
        assert variable in VALIDATORS, f"{variable}: no rule checks it"
        VALIDATORS[variable](value)
