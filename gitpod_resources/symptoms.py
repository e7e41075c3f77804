"""What a reader sees when an install with external components fails, and where it comes from.

The troubleshooting page's symptom sections (HTTP 503 from the registry, ``NoSuchBucket``,
refused keys and passwords, refused pushes) rest on the claims registered here: what Gitpod
2022.11's installer deploys and its components do, read at the release tags, and what the
registry Gitpod deploys (Distribution, at the versions 2022.11 ships) and Harbor answer, read at
their pinned commits. :func:`restart_command` is the one command those sections give that no
other rule computes.
"""

from __future__ import annotations

from . import config, sources
from .errors import RuleError
from .releases import Release

#: The installer's rendering of an AWS setup (in-cluster registry on S3), kept as a test fixture
#: at every tag: what the registry's chart deploys.
_GOLDEN = "install/installer/cmd/testdata/render/aws-setup/output.golden"
_DISTRIBUTION = "https://github.com/distribution/distribution/blob"
#: Distribution v2.7.1 (2022.11.0 and .1) and v2.8.1 (2022.11.2 and .3).
_V271 = ("2.7.1", "2461543d988979529609e8cb6fca9ca190dc48da")
_V281 = ("2.8.1", "b5ca020cfbe998e5af3457fda087444cf5116496")
_HARBOR = "https://github.com/goharbor/harbor/blob/9da38ae048a186acb022683b38bdea27dcf030e0"


def _distribution(path: str, first: int, last: int, at: tuple[str, str]) -> sources.Upstream:
    version, commit = at
    name = path.rsplit("/", 1)[-1]
    where = f"line {first}" if first == last else f"lines {first}-{last}"
    anchor = f"L{first}" if first == last else f"L{first}-L{last}"
    return sources.upstream(
        f"Distribution {name}, {where}, at v{version}",
        f"{_DISTRIBUTION}/{commit}/{path}#{anchor}",
        f"Distribution v{version}, the registry image of 2022.11 releases: {path}",
    )


def _harbor(path: str, first: int, last: int) -> sources.Upstream:
    return sources.upstream(
        f"Harbor {path.rsplit('/', 1)[-1]}, lines {first}-{last}, at v2.12.0",
        f"{_HARBOR}/{path}#L{first}-L{last}",
        f"goharbor/harbor v2.12.0: {path}",
    )


#: The Deployment of the in-cluster registry, and the container that reads the S3 key.
REGISTRY_DEPLOYMENT = "registry"

REGISTRY_HEALTH_CLAIM = sources.claim(
    "registry.health-check",
    "The in-cluster registry's config turns on Distribution's storage health check (every 10s, "
    "failing after 3 failures in a row), which stats the root of the storage; while it fails, "
    "Distribution answers every request, / included, with HTTP 503, code UNAVAILABLE and "
    "'health check failed: please see /debug/health'. The chart's liveness and readiness probes "
    "GET / over HTTPS.",
    sources.gitpod(_GOLDEN, 4643, 4648),
    sources.gitpod(_GOLDEN, 4643, 4648, Release.R0),
    sources.gitpod(_GOLDEN, 9152, 9161),
    sources.gitpod(_GOLDEN, 9151, 9160, Release.R0),
    _distribution("registry/handlers/app.go", 354, 373, _V281),
    _distribution("registry/handlers/app.go", 353, 372, _V271),
    _distribution("registry/registry.go", 160, 167, _V281),
    _distribution("registry/registry.go", 105, 111, _V271),
    _distribution("health/health.go", 258, 273, _V281),
    _distribution("health/health.go", 258, 273, _V271),
    _distribution("registry/api/errcode/register.go", 58, 65, _V281),
)
REGISTRY_S3_KEY_CLAIM = sources.claim(
    "registry.s3-key-env",
    "The in-cluster registry (the Deployment registry) reads the S3 key from the secret's "
    "s3AccessKey and s3SecretKey as environment variables, which a container reads when it "
    "starts.",
    sources.gitpod(_GOLDEN, 9108, 9113),
    sources.gitpod(_GOLDEN, 9178, 9187),
    sources.gitpod(_GOLDEN, 9109, 9114, Release.R0),
    sources.gitpod(_GOLDEN, 9173, 9182, Release.R0),
)
REGISTRY_ERRORS_CLAIM = sources.claim(
    "registry.api-errors",
    "Distribution's registry API errors: UNAUTHORIZED (401, authentication required), DENIED "
    "(403, requested access to the resource is denied), UNSUPPORTED (405, the operation is "
    "unsupported), NAME_UNKNOWN (404, repository name not known to registry), UNKNOWN (500).",
    _distribution("registry/api/errcode/register.go", 16, 56, _V281),
    _distribution("registry/api/v2/errors.go", 54, 62, _V281),
)
HARBOR_MISSING_PROJECT_CLAIM = sources.claim(
    "registry.harbor-missing-project",
    "Harbor answers a push into a project that does not exist with HTTP 401, code "
    "UNAUTHORIZED, and the message 'project <name> not found' (its v2 API's authorization "
    "looks the project up first and turns any error into 401).",
    _harbor("src/server/middleware/v2auth/auth.go", 65, 90),
    _harbor("src/server/middleware/v2auth/auth.go", 161, 172),
    _harbor("src/pkg/project/dao/dao.go", 145, 155),
    _harbor("src/lib/errors/const.go", 22, 23),
    _harbor("src/lib/errors/const.go", 67, 70),
    _harbor("src/lib/http/error.go", 30, 40),
)
STORAGE_MISSING_BUCKET_CLAIM = sources.claim(
    "storage.missing-bucket",
    "content-service checks that the bucket exists and creates a missing one in the configured "
    "region, with the key of its secret, failing with 'cannot create bucket: ' and S3's answer; "
    "it reads the key from the secret's files as they are, a trailing newline included.",
    sources.gitpod("components/content-service/pkg/storage/minio.go", 174, 199),
    sources.gitpod("components/content-service/pkg/storage/minio.go", 41, 59),
)
DATABASE_WAITER_CLAIM = sources.claim(
    "database.waiter",
    "The database init job, the migrations job and server (among others) start with an init "
    "container database-waiter, which connects with the database secret's host, port, user and "
    "password; on MySQL's 'Access denied' it stops with 'Invalid credentials for the database. "
    "Check DB_USERNAME and DB_PASSWORD.' (its termination message), otherwise it retries every "
    "second until it times out.",
    sources.gitpod("install/installer/pkg/common/common.go", 419, 436),
    sources.gitpod("install/installer/pkg/common/common.go", 408, 425, Release.R0),
    sources.gitpod("install/installer/pkg/components/database/init/job.go", 77),
    sources.gitpod("install/installer/pkg/components/database/init/job.go", 53, 53, Release.R0),
    sources.gitpod("install/installer/pkg/components/migrations/job.go", 42),
    sources.gitpod("install/installer/pkg/components/server/deployment.go", 357),
    sources.gitpod("components/service-waiter/cmd/database.go", 68, 105),
    sources.gitpod("components/service-waiter/cmd/database.go", 48, 85, Release.R0),
    sources.gitpod("components/service-waiter/cmd/root.go", 103, 117),
)

#: The Deployments whose commands the troubleshooting page gives.
DEPLOYMENTS = (REGISTRY_DEPLOYMENT,)


def _deployment(name: str) -> str:
    if name not in DEPLOYMENTS:
        raise RuleError("deployment", name, f"one of {', '.join(DEPLOYMENTS)}")
    return name


def logs_command(deployment: str) -> str:
    """``kubectl logs`` of one of Gitpod's Deployments (:data:`DEPLOYMENTS`), in its namespace."""
    return config.kubectl_command(f"kubectl logs deployment/{_deployment(deployment)}")


def restart_command(deployment: str) -> str:
    """``kubectl rollout restart`` of one of Gitpod's Deployments, in its namespace: a container
    reads a secret given as environment variables only when it starts (claim
    registry.s3-key-env)."""
    return config.kubectl_command(f"kubectl rollout restart deployment/{_deployment(deployment)}")
