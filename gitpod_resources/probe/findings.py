"""The probe's finding codes (``PRB``): one per problem a live probe can meet, each with the
troubleshooting section that explains it (``troubleshooting.md#<code>``: symptom, cause, fix).

Findings are the checker's own :class:`~gitpod_resources.checker.model.Finding`, so the probe's
output goes through the same writers as ``check``'s. The claims are ids of
:mod:`gitpod_resources.sources`: what each finding says about Gitpod rests on them.
"""

from __future__ import annotations

from dataclasses import dataclass

# The modules that register the claims CODES names (gitpod_resources.sources).
from gitpod_resources import database, registry, schema, storage  # noqa: F401
from gitpod_resources.checker.model import SITE_URL, Finding, Severity
from gitpod_resources.schema import Release

#: The guide's page with one section per code.
PAGE = "troubleshooting.md"


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    #: What went wrong, as the troubleshooting section's title says it.
    title: str
    claims: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return self.code.lower()

    @property
    def docs_url(self) -> str:
        return f"{SITE_URL}{PAGE.removesuffix('.md')}/#{self.anchor}"


E, W = Severity.ERROR, Severity.WARNING
_SERVER_KEY = ("registry.server-key", "registry.push-repositories")
#: The S3 clients: who holds the key (the secrets), and how requests reach the bucket.
_S3_KEY = ("registry.s3-backend", "storage.s3-client")
_S3_ROUTE = ("registry.distribution-s3-driver", "storage.s3-routing")

CODES: dict[str, Code] = {
    c.code: c
    for c in (
        # --- container registry ---------------------------------------------------------------
        Code("PRB101", E, "The registry does not answer", ("registry.push-repositories",)),
        Code("PRB102", E, "The registry refuses the login", ("registry.server-key",)),
        Code("PRB103", E, "The server key does not authenticate the push", _SERVER_KEY),
        Code("PRB104", E, "The credentials may not push", ("registry.push-repositories",)),
        Code("PRB105", E, "No new repository on push", ("registry.push-repositories",)),
        Code("PRB106", E, "The push fails", ("registry.push-repositories",)),
        Code("PRB107", W, "The probe's image is left in the registry"),
        # --- S3: the registry's bucket and object storage -------------------------------------
        Code("PRB201", E, "S3 refuses the key", _S3_KEY),
        Code("PRB202", E, "The S3 endpoint does not answer", _S3_ROUTE),
        Code("PRB203", E, "The bucket does not exist", ("registry.s3-backend", "storage.region")),
        Code("PRB204", E, "The bucket is in another region", _S3_ROUTE),
        Code("PRB205", W, "metadata.region is not the bucket's region", ("storage.region",)),
        Code("PRB206", E, "The key may not do what Gitpod does", _S3_KEY),
        # --- database -------------------------------------------------------------------------
        Code("PRB301", E, "The database server does not answer", ("database.connection",)),
        Code("PRB302", E, "The database refuses the login", ("database.connection",)),
        Code("PRB303", E, "No verified TLS connection", ("installer.database-ssl",)),
        Code("PRB304", W, "The server is not MySQL 5.7", ("database.preflight",)),
        Code("PRB305", E, "The database gitpod does not exist", ("database.migrations",)),
        Code("PRB306", E, "The user may not change the database gitpod", ("database.migrations",)),
        Code("PRB307", E, "The user may not create gitpod-sessions", ("database.init-job",)),
    )
}


@dataclass(frozen=True)
class Where:
    """Where in the config a finding points: the value it is about, by line, column and path."""

    path: str
    line: int
    column: int


def finding(
    file: str, release: Release, where: Where, code: str, message: str, fix: str
) -> Finding:
    c = CODES[code]
    return Finding(
        file,
        where.line,
        where.column,
        where.path,
        c.code,
        c.severity,
        message,
        fix,
        c.docs_url,
        1,
        release,
    )
