"""Container registry rules: providers, support status, and how URL and server are composed.

Gitpod 2022.11 pushes workspace images to ``<url>/base-images`` and ``<url>/workspace-images``;
the "server" is only the key of the docker ``auths`` map, so it is always the bare host of the URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from . import aws, gcp, validation
from .errors import RuleError
from .releases import Release

#: Repositories image-builder pushes to, below the registry URL (2022.11).
PUSHED_REPOSITORIES = ("base-images", "workspace-images")
#: Secret names the installer config refers to in an admin console install: kots-install.sh
#: creates ``container-registry`` from the admin console's ``external-container-registry``;
#: the admin console creates ``container-registry-s3-backend`` (claim registry.server-key).
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
#: the render test's output.golden, at each tag (claim registry.in-cluster-versions).
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
