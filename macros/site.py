"""Glue for mkdocs-macros: each macro validates its input through the rules and renders Markdown.

A macro never returns an error string: bad input raises RuleError, and ``on_error_fail`` turns
that into a failed build that names the page.
"""

from __future__ import annotations

from typing import Any, Protocol

from . import aws, builder, config, gcp, registry, render
from .errors import RuleError
from .literal_code import protect_code
from .registry import Option, RegistrySetup


class MacrosEnv(Protocol):
    """The part of mkdocs-macros' ``env`` this module uses (duck-typed, no MkDocs import)."""

    variables: Any
    markdown: str
    page: Any

    def macro(self, fn: Any, name: str = "") -> Any: ...

    def filter(self, fn: Any, name: str = "") -> Any: ...


def build_registry_setup(option: str, inputs: dict[str, str]) -> RegistrySetup:
    """Dispatch an example's option and inputs to the rule that composes it."""
    opt = registry.provider(option).option
    builders: dict[Option, Any] = {
        Option.IN_CLUSTER: registry.in_cluster,
        Option.IN_CLUSTER_S3: registry.in_cluster_s3,
        Option.GCR: registry.gcr,
        Option.GAR: registry.gar,
        Option.GENERIC: registry.generic,
    }
    if opt not in builders:
        raise RuleError("option", option, "a supported registry option")
    setup: RegistrySetup = builders[opt](**inputs)
    return setup


def registry_example(option: str, **inputs: str) -> str:
    """All three tabs (admin console, installer config, secret) for one registry choice."""
    return render.registry_example(build_registry_setup(option, inputs), inputs)


def field(item: str) -> str:
    """An admin console field by item name, shown with its exact title."""
    return f"**{config.kots_title(item)}**"


def key(path: str) -> str:
    """An installer config key, checked against the keys the guide knows."""
    return render.code(config.installer_key(path))


def s3_endpoint(region: str) -> str:
    return render.code(aws.s3_endpoint(region))


def provider_table() -> str:
    rows = [
        (f"[{p.name}]({p.home})", "yes" if p.supported else "**no**", p.why)
        for p in registry.PROVIDERS
    ]
    return render.table(("Registry", "Supported by 2022.11", "Why"), rows)


def provider_why(option: str) -> str:
    """Why a registry option is or is not supported, as the provider table says it."""
    return registry.provider(option).why


def define_env(env: MacrosEnv) -> None:
    for fn in (registry_example, field, key, s3_endpoint, provider_table):
        env.macro(fn)
    env.macro(provider_why)
    env.macro(builder.form_html, "builder_form")
    env.macro(builder.outputs_html, "builder_outputs")
    env.macro(builder.data_script, "builder_data")
    env.macro(registry.url_pattern, "url_pattern")
    env.filter(render.code, "code")
    env.variables["rules"] = {
        "global_region": aws.GLOBAL_REGION,
        "global_s3_endpoint": aws.GLOBAL_S3_ENDPOINT,
        "gcr_hosts": [h.host for h in gcp.gcr_hosts()],
        "gcr_timeline": gcp.gcr_timeline(),
        "pushed_repositories": registry.PUSHED_REPOSITORIES,
        "external_secret": registry.EXTERNAL_SECRET,
        "s3_backend_secret": registry.S3_BACKEND_SECRET,
        "s3_secret_keys": (registry.S3_ACCESS_KEY, registry.S3_SECRET_KEY),
        "google_user": registry.GOOGLE_JSON_KEY_USER,
        "tabs": render.TAB_LABELS,
        "config_file": config.CONFIG_FILE,
        "api_version": config.INSTALLER_API_VERSION,
        "gcr_write_shutdown": gcp.GCR_WRITE_SHUTDOWN,
        "ecr_create_on_push_since": registry.ECR_CREATE_ON_PUSH_SINCE,
        "ecr_applied_for": registry.ECR_CREATE_ON_PUSH_APPLIED_FOR,
        "in_cluster_secret": registry.IN_CLUSTER_SECRET,
    }


def on_pre_page_macros(env: MacrosEnv) -> None:
    """Make code literal before Jinja sees the page (see :mod:`macros.literal_code`)."""
    src = getattr(getattr(env.page, "file", None), "src_uri", "<page>")
    env.markdown = protect_code(env.markdown, src)
