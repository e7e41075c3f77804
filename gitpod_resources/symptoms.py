"""What a reader sees when an install with external components fails, and where it comes from.

The troubleshooting page's symptom sections (HTTP 503 from the registry, ``NoSuchBucket``,
refused keys and passwords, refused pushes) rest on claims of ``data/claims.yaml``: what Gitpod
2022.11's installer deploys and its components do, read at the release tags, and what the
registry Gitpod deploys (Distribution, at the versions 2022.11 ships) and Harbor answer, read at
their pinned commits. :func:`restart_command` is the one command those sections give that no
other rule computes.
"""

from __future__ import annotations

from . import config
from .errors import RuleError

#: The Deployment of the in-cluster registry, and the container that reads the S3 key.
REGISTRY_DEPLOYMENT = "registry"


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
