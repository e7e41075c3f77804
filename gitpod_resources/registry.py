"""Container registry rules: providers, support status, and how URL and server are composed.

Gitpod 2022.11 pushes workspace images to ``<url>/base-images`` and ``<url>/workspace-images``;
the "server" is only the key of the docker ``auths`` map, so it is always the bare host of the URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from . import aws, gcp, sources, validation
from .errors import RuleError
from .releases import Release

#: Repositories image-builder pushes to, below the registry URL (2022.11).
PUSHED_REPOSITORIES = ("base-images", "workspace-images")
#: Secret names the installer config refers to in an admin console install: kots-install.sh
#: creates ``container-registry`` from the admin console's ``external-container-registry``;
#: the admin console creates ``container-registry-s3-backend`` (:data:`SERVER_KEY_CLAIM`).
EXTERNAL_SECRET = "container-registry"
S3_BACKEND_SECRET = "container-registry-s3-backend"
#: Secret the installer generates for the in-cluster registry.
IN_CLUSTER_SECRET = "builtin-registry-auth"
#: Username Google registries take with a service-account JSON key as the password.
GOOGLE_JSON_KEY_USER = "_json_key"
#: Data keys the S3 backend secret must hold (the registry chart reads exactly these).
S3_ACCESS_KEY = "s3AccessKey"
S3_SECRET_KEY = "s3SecretKey"

#: Docker Hub's registry host names: the image name's domain, the Docker CLI's index, and the
#: host containerd sends Docker Hub requests to.
DOCKER_HUB_HOSTS = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})
#: The key ``docker login`` writes for Docker Hub in a Docker config file.
DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/"


def is_docker_hub(host: str) -> bool:
    """Whether a registry host (no scheme, no path) is Docker Hub."""
    return host.lower() in DOCKER_HUB_HOSTS


@dataclass(frozen=True)
class InClusterRegistry:
    """The in-cluster registry a release ships: the twuni docker-registry chart and the
    Distribution image it runs."""

    release: Release
    chart: str
    distribution: str


#: Chart.yaml of install/installer/third_party/charts/docker-registry and the registry image in
#: the render test's output.golden, at each tag (:data:`IN_CLUSTER_REGISTRY_CLAIM`).
IN_CLUSTER_REGISTRIES: tuple[InClusterRegistry, ...] = (
    InClusterRegistry(Release.R0, "1.16.0", "2.7.1"),
    InClusterRegistry(Release.R1, "1.16.0", "2.7.1"),
    InClusterRegistry(Release.R2, "2.2.2", "2.8.1"),
    InClusterRegistry(Release.R3, "2.2.2", "2.8.1"),
)

#: Since this day ECR creates a missing repository on push, but only when a repository creation
#: template whose ``appliedFor`` holds ``CREATE_ON_PUSH`` matches the name (2022.11 predates it).
ECR_CREATE_ON_PUSH_SINCE = date(2025, 12, 19)
ECR_CREATE_ON_PUSH_APPLIED_FOR = "CREATE_ON_PUSH"


class Option(StrEnum):
    """What a reader can choose in the admin console's "Container registry" group."""

    IN_CLUSTER = "in-cluster"
    IN_CLUSTER_S3 = "in-cluster-s3"
    GCR = "gcr"
    GAR = "gar"
    GENERIC = "generic"
    ECR = "ecr"


@dataclass(frozen=True)
class Provider:
    option: Option
    name: str
    home: str
    supported: bool
    why: str


PROVIDERS: tuple[Provider, ...] = (
    Provider(
        Option.ECR,
        "Amazon Elastic Container Registry (ECR)",
        "https://aws.amazon.com/ecr/",
        False,
        "ECR does not fully implement the Docker Registry v2 API: a push to a repository that "
        "does not exist yet is rejected instead of creating it, and Gitpod pushes to "
        "repositories it never creates.",
    ),
    Provider(
        Option.IN_CLUSTER_S3,
        "In-cluster registry on Amazon S3",
        "https://aws.amazon.com/s3/",
        True,
        "The recommended choice on AWS: the in-cluster registry is a facade for an S3 bucket "
        "that holds every image, and it creates repositories on push.",
    ),
    Provider(
        Option.GCR,
        "Google Container Registry (GCR)",
        "https://cloud.google.com/container-registry",
        True,
        "Gitpod's own 2022.11 installation tests use it. Needs both the registry URL and the "
        "bare server host.",
    ),
    Provider(
        Option.GAR,
        "Google Artifact Registry (GAR)",
        "https://cloud.google.com/artifact-registry",
        True,
        "2022.11's image builder follows its non-Docker-API upload URLs. Needs both the "
        "registry URL and the bare server host; the repository must exist.",
    ),
    Provider(
        Option.GENERIC,
        "Docker Registry v2 server (Harbor, self-hosted Distribution)",
        "https://distribution.github.io/distribution/",
        True,
        "Any server that creates repositories on push.",
    ),
    Provider(
        Option.IN_CLUSTER,
        "In-cluster registry",
        "https://distribution.github.io/distribution/",
        True,
        "The convenient default: stored on a persistent volume in the cluster.",
    ),
)


OPTION_SPEC = validation.Spec(
    "option",
    "one of " + ", ".join(o.value for o in Option),
    (validation.Check("known"), validation.Check("fail")),
)


def provider(option: Option | str) -> Provider:
    validation.run(OPTION_SPEC, option, "option", tuple(o.value for o in Option))
    return next(p for p in PROVIDERS if p.option == option)


@dataclass(frozen=True)
class S3Backend:
    bucket: str
    region: str
    endpoint: str
    secret: str = S3_BACKEND_SECRET


@dataclass(frozen=True)
class RegistrySetup:
    """Everything a reader enters for one registry choice, computed by the rules."""

    option: Option
    in_cluster: bool
    url: str | None = None
    server: str | None = None
    username: str | None = None
    s3: S3Backend | None = None

    @property
    def secret(self) -> str:
        if self.in_cluster:
            return self.s3.secret if self.s3 else IN_CLUSTER_SECRET
        return EXTERNAL_SECRET

    def push_targets(self, domain: str = "gitpod.example.com") -> tuple[str, ...]:
        """Where image-builder pushes: ``<registry>/base-images`` and ``.../workspace-images``."""
        base = f"registry.{domain}" if self.in_cluster else (self.url or "").rstrip("/")
        return tuple(f"{base}/{r}" for r in PUSHED_REPOSITORIES)


# --- composing ---------------------------------------------------------------------------------

HOST_SPEC = validation.REGISTRY_HOST
HOST_FORM = HOST_SPEC.form
URL_SPEC = validation.REGISTRY_URL
URL_FORM = URL_SPEC.form
#: Docker's reference grammar reads the first segment of an image name as its registry only
#: when it has a '.' or a ':' or is 'localhost'; otherwise the whole name is a Docker Hub
#: repository (``splitDockerDomain`` in github.com/distribution/reference, normalize.go, which
#: containerd and the Docker CLI share).
NOT_A_HOST_HINT = (
    "a registry host has a dot or a port, or is 'localhost'; otherwise Docker reads the name "
    "as a Docker Hub repository"
)
_PORT_CHECK = validation.Check(
    "reject",
    pattern=rf"[^:]*:(?:{validation.OUT_OF_RANGE_PORT})",
    hint=validation.PORT_HINT,
)
#: The host of a generic registry: a registry host that is not Amazon ECR.
GENERIC_HOST_SPEC = validation.Spec(
    "generic_host",
    HOST_FORM,
    (
        *HOST_SPEC.checks,
        _PORT_CHECK,
        validation.Check("fullmatch", pattern=r".*[.:].*|localhost", hint=NOT_A_HOST_HINT),
        validation.Check(
            "reject",
            pattern=aws.ecr_host_regex(),
            subject="before_colon",
            allowed="a registry that creates repositories on push",
            hint="Amazon ECR is not supported; use the in-cluster registry on S3",
        ),
    ),
)


def validate_host(value: object, field: str = "host") -> str:
    return validation.run(HOST_SPEC, value, field)


def is_registry_host(segment: str) -> bool:
    """Whether Docker takes an image name's first segment for its registry (see
    :data:`NOT_A_HOST_HINT`)."""
    return "." in segment or ":" in segment or segment == "localhost"


URL_HOST_FORM = "a URL that starts with the registry's host, such as 'harbor.example.com/gitpod'"


def validate_url_host(url: str, field: str = "url") -> str:
    """``url`` if its first segment is a registry host; else RuleError saying where Docker would
    push instead (Docker Hub)."""
    first = url.partition("/")[0]
    if is_registry_host(first):
        return url
    hint = (
        f"{first!r} has no dot and no port and is not 'localhost', so Docker reads "
        f"'{url}/base-images' as the Docker Hub repository 'docker.io/{url}/base-images'"
    )
    raise RuleError(field, url, URL_HOST_FORM, hint)


PORT_FORM = "a port number 1-65535 after the host's colon"


def port_of(host: str) -> str | None:
    """The digits after a host's colon (``harbor.example.com:5000`` -> ``5000``), or None."""
    _, colon, port = host.partition(":")
    return port if colon and port.isascii() and port.isdigit() else None


def validate_port_of(host: str, field: str = "host") -> str:
    """``host`` unless it names a port outside 1-65535."""
    port = port_of(host)
    if port is not None and not 1 <= int(port) <= 65535:
        raise RuleError(field, host, PORT_FORM, f"port {port} is outside 1-65535")
    return host


def validate_url(value: object, field: str = "url") -> str:
    """A registry URL as Gitpod takes it: ``host[:port][/path]``, no scheme, no trailing slash."""
    return validation.run(URL_SPEC, value, field)


def registry_server(url: str, field: str = "url") -> str:
    """The "Container registry server" for a URL: its bare host, the docker ``auths`` key."""
    return validate_url(url, field).partition("/")[0]


def in_cluster() -> RegistrySetup:
    return RegistrySetup(Option.IN_CLUSTER, in_cluster=True)


def in_cluster_s3(bucket: str, region: str) -> RegistrySetup:
    """The in-cluster registry as a facade for an S3 bucket (the AWS recipe)."""
    aws.validate_bucket_name(bucket, "bucket")
    endpoint = aws.s3_endpoint(region, "region")
    return RegistrySetup(
        Option.IN_CLUSTER_S3, in_cluster=True, s3=S3Backend(bucket, region, endpoint)
    )


def gcr(host: str, project: str, path: str = "gitpod") -> RegistrySetup:
    """Google Container Registry: URL ``<host>/<project>/<path>``, server ``<host>``."""
    h = gcp.validate_gcr_host(host, "host").host
    where = gcp.project_path(gcp.validate_project_id(project, "project"))
    url = validate_url(f"{h}/{where}/{path}" if path else f"{h}/{where}", "path")
    return RegistrySetup(
        Option.GCR, in_cluster=False, url=url, server=h, username=GOOGLE_JSON_KEY_USER
    )


def gar(location: str, project: str, repository: str = "gitpod") -> RegistrySetup:
    """Artifact Registry: URL ``<location>-docker.pkg.dev/<project>/<repository>``."""
    host = gcp.ar_docker_host(location, "location")
    where = gcp.project_path(gcp.validate_project_id(project, "project"))
    gcp.validate_repository(repository, "repository")
    return RegistrySetup(
        Option.GAR,
        in_cluster=False,
        url=f"{host}/{where}/{repository}",
        server=host,
        username=GOOGLE_JSON_KEY_USER,
    )


def generic(host: str, path: str = "gitpod") -> RegistrySetup:
    """Any Docker Registry v2 server that creates repositories on push."""
    h = validation.run(GENERIC_HOST_SPEC, host, "host")
    url = validate_url(f"{h}/{path}" if path else h, "path")
    return RegistrySetup(Option.GENERIC, in_cluster=False, url=url, server=h)


def url_pattern(option: Option | str) -> tuple[str, str]:
    """(URL, server) as patterns with ``<placeholders>``, for prose that explains the rule."""
    opt = provider(option).option
    gar_host = f"<location>{gcp.GAR_HOST_SUFFIX}"
    patterns = {
        Option.GCR: ("<host>/<project-id>/gitpod", "<host>"),
        Option.GAR: (f"{gar_host}/<project-id>/<repository>", gar_host),
        Option.GENERIC: ("<host>/<path>", "<host>"),
    }
    if opt not in patterns:
        raise RuleError("option", option, "an external registry option: gcr, gar or generic")
    return patterns[opt]


# --- sources --------------------------------------------------------------------------------------

_CHART = "install/installer/third_party/charts/docker-registry/Chart.yaml"
_GOLDEN = "install/installer/cmd/testdata/render/minimal/output.golden"
_MK3 = "install/installer/pkg/components/image-builder-mk3/configmap.go"
_HELM = "install/installer/pkg/components/docker-registry/helm.go"
_KOTS_CONFIG = "install/kots/manifests/kots-config.yaml"
_VALIDATION = "install/installer/pkg/config/v1/validation.go"

IN_CLUSTER_REGISTRY_CLAIM = sources.claim(
    "registry.in-cluster-versions",
    "2022.11.0 and 2022.11.1 ship the docker-registry chart 1.16.0 with registry:2.7.1; "
    "2022.11.2 and 2022.11.3 ship chart 2.2.2 with registry:2.8.1.",
    *(sources.gitpod(_CHART, 10, 11, r.release) for r in IN_CLUSTER_REGISTRIES),
    *(sources.gitpod(_GOLDEN, 9808, 9808, r.release) for r in IN_CLUSTER_REGISTRIES),
)
PUSH_CLAIM = sources.claim(
    "registry.push-repositories",
    "image-builder-mk3 pushes to <url>/base-images and <url>/workspace-images, with one "
    "trailing slash of the URL removed (registry.<domain> for the in-cluster registry).",
    sources.gitpod(_MK3, 27, 34),
    sources.gitpod(_MK3, 52, 54),
)
S3_BACKEND_CLAIM = sources.claim(
    "registry.s3-backend",
    "With inCluster true and s3storage set, the installer gives the registry chart the region, "
    "bucket and endpoint (as regionEndpoint), encrypt and secure true, and the secret's "
    "s3AccessKey and s3SecretKey; persistence is off.",
    sources.gitpod(_HELM, 50, 72),
)
S3_ENDPOINT_DEFAULT_CLAIM = sources.claim(
    "registry.s3-endpoint-default",
    "The admin console pre-fills the registry's S3 endpoint with s3.amazonaws.com and says it "
    "should be s3.<region>.amazonaws.com outside us-east-1.",
    sources.gitpod(_KOTS_CONFIG, 55, 61),
)
S3_PREFLIGHT_CLAIM = sources.claim(
    "registry.s3-preflight",
    "The admin console's storage preflight connects to https:// plus the endpoint as entered.",
    sources.gitpod("components/kots-config-check/storage/entrypoint.sh", 107),
)
SERVER_KEY_CLAIM = sources.claim(
    "registry.server-key",
    "The admin console's registry secret keys its one auths entry by the server, or the URL "
    "when the server is empty; the image builder's push proxy looks credentials up by exact "
    "host.",
    sources.gitpod("install/kots/manifests/gitpod-registry-secret.yaml", 7, 12),
    sources.gitpod("install/installer/scripts/kots-install.sh", 133, 147),
    sources.gitpod("components/image-builder-bob/pkg/proxy/auth.go", 25, 36),
)
GOOGLE_PREFLIGHT_CLAIM = sources.claim(
    "registry.google-preflight",
    "The admin console's registry preflight rejects a server address with a path on gcr.io, "
    "asia.gcr.io, eu.gcr.io and us.gcr.io.",
    sources.gitpod("components/kots-config-check/registry/cmd/check.go", 23, 38),
)
ITEMS_CLAIM = sources.claim(
    "registry.admin-console-items",
    "The admin console's container registry items, their titles, defaults and when they show.",
    sources.gitpod(_KOTS_CONFIG, 24, 109),
)
VALIDATE_CLUSTER_CLAIM = sources.claim(
    "registry.validate-cluster",
    "installer validate cluster checks the secret of every registry block written: "
    ".dockerconfigjson for external, s3AccessKey and s3SecretKey for s3storage.",
    sources.gitpod(_VALIDATION, 149, 157),
)
IN_CLUSTER_SECRET_CLAIM = sources.claim(
    "registry.in-cluster-secret",
    "The installer generates builtin-registry-auth for the in-cluster registry.",
    sources.gitpod("install/installer/pkg/common/constants.go", 35),
    sources.gitpod("install/installer/pkg/components/docker-registry/secret.go", 37, 57),
)
DOCKER_HUB_CLAIM = sources.claim(
    "registry.docker-hub-credentials",
    "Gitpod 2022.11's components look Docker Hub credentials up under different host names: "
    "image-builder-mk3 under docker.io (through the Docker CLI's config file store), the push "
    "proxy, registry-facade and blobserve under registry-1.docker.io (containerd's host for "
    "docker.io).",
    sources.gitpod("components/image-builder-mk3/pkg/auth/auth.go", 94, 109),
    sources.gitpod("components/image-builder-bob/pkg/proxy/proxy.go", 27, 31),
    sources.gitpod("components/registry-facade/cmd/run.go", 234, 245),
    sources.upstream(
        "containerd registry.go, lines 186-194, at v1.6.8",
        "https://github.com/containerd/containerd/blob/9cd3357b7fd7218e4aec3eae239db1f68a5a6ec6/"
        "remotes/docker/registry.go#L186-L194",
        "containerd v1.6.8 (the version registry-facade, blobserve and the image builder's "
        "push proxy use): docker.io is reached as registry-1.docker.io",
    ),
    sources.upstream(
        "docker/cli file_store.go, lines 33-47, at v20.10.17",
        "https://github.com/docker/cli/blob/100c70180fde3601def79a59cc3e996aa553c9b9/"
        "cli/config/credentials/file_store.go#L33-L47",
        "docker/cli v20.10.17 (the version image-builder-mk3 uses): how a host finds its key",
    ),
)
DISTRIBUTION_S3_CLAIM = sources.claim(
    "registry.distribution-s3-driver",
    "Distribution's S3 driver, the same at v2.7.1 and v2.8.1: with a regionendpoint it skips the "
    "region check, uses path-style requests and the region for signing, and aws-sdk-go adds "
    "https:// to an endpoint without a scheme (http:// when secure is off).",
    *(
        sources.upstream(
            f"Distribution s3.go, lines {lines}, at v{version}",
            f"https://github.com/distribution/distribution/blob/{commit}/"
            f"registry/storage/driver/s3-aws/s3.go#L{lines.replace('-', '-L')}",
            f"Distribution v{version} (the registry image of 2022.11 releases)",
        )
        for version, commit in (
            ("2.7.1", "2461543d988979529609e8cb6fca9ca190dc48da"),
            ("2.8.1", "b5ca020cfbe998e5af3457fda087444cf5116496"),
        )
        for lines in ("195-197", "426-432")
    ),
    sources.upstream(
        "aws-sdk-go endpoints.go, lines 98-115, vendored in Distribution v2.8.1",
        "https://github.com/distribution/distribution/blob/b5ca020cfbe998e5af3457fda087444cf5116496/"
        "vendor/github.com/aws/aws-sdk-go/aws/endpoints/endpoints.go#L98-L115",
        "aws-sdk-go v1 AddScheme, as Distribution v2.8.1 vendors it",
    ),
)
GCR_TESTED_CLAIM = sources.claim(
    "registry.gcr-tested",
    "Gitpod's own installation tests configure Container Registry as reg_url "
    "gcr.io/<project>, reg_server gcr.io, username _json_key.",
    sources.gitpod("install/tests/manifests/kots-config-gcp-registry.yaml", 5, 19),
)
GAR_UPLOADS_CLAIM = sources.claim(
    "registry.gar-uploads",
    "The image builder's push proxy rewrites upload URLs outside the Docker API's /v2/ paths, "
    "which Artifact Registry answers with (its tests use europe-docker.pkg.dev).",
    sources.gitpod("components/image-builder-bob/pkg/proxy/proxy.go", 82, 127),
    sources.gitpod("components/image-builder-bob/pkg/proxy/proxy.go", 225, 235),
    sources.gitpod("components/image-builder-bob/pkg/proxy/proxy_test.go", 29, 47),
)
