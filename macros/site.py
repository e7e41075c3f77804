"""Glue for mkdocs-macros: each macro validates its input through the rules and renders Markdown.

A macro never returns an error string: bad input raises RuleError, and ``on_error_fail`` turns
that into a failed build that names the page.
"""

from __future__ import annotations

from typing import Any, Protocol

from gitpod_resources import (
    aws,
    config,
    database,
    gcp,
    registry,
    schema,
    sources,
    stack,
    storage,
    symptoms,  # registers the troubleshooting page's claims
)
from gitpod_resources.registry import RegistrySetup
from macros import builder, builder_state, render, render_external, render_prerequisites, tables
from macros.literal_code import protect_code


class MacrosEnv(Protocol):
    """The part of mkdocs-macros' ``env`` this module uses (duck-typed, no MkDocs import)."""

    variables: Any
    markdown: str
    page: Any

    def macro(self, fn: Any, name: str = "") -> Any: ...

    def filter(self, fn: Any, name: str = "") -> Any: ...


def build_registry_setup(option: str, inputs: dict[str, str]) -> RegistrySetup:
    """Dispatch an example's option and inputs to the rule that composes it (as the builder)."""
    return builder_state.compose_registry(option, inputs)


def registry_example(option: str, **inputs: str) -> str:
    """All three tabs (admin console, installer config, secret) for one registry choice."""
    link = builder_link(f"registry:{option}", **inputs)
    return render.registry_example(build_registry_setup(option, inputs), inputs, link)


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


def in_cluster_registry_table() -> str:
    """Which docker-registry chart and Distribution image each release's installer deploys."""
    rows = [
        (r.release.value, render.code(r.chart), render.code(f"registry:{r.distribution}"))
        for r in registry.IN_CLUSTER_REGISTRIES
    ]
    table = render.table(("Release", "docker-registry chart", "Registry image"), rows)
    return table + "\n\n" + render.cite([sources.get("registry.in-cluster-versions")])


def provider_why(option: str) -> str:
    """Why a registry option is or is not supported, as the provider table says it."""
    return registry.provider(option).why


def define_env(env: MacrosEnv) -> None:
    for fn in (registry_example, field, key, s3_endpoint, provider_table):
        env.macro(fn)
    env.macro(provider_why)
    env.macro(in_cluster_registry_table)
    env.macro(builder.form_html, "builder_form")
    env.macro(builder.outputs_html, "builder_outputs")
    env.macro(builder.data_script, "builder_data")
    env.macro(builder_link)
    env.macro(registry.url_pattern, "url_pattern")
    # Reference tables (macros/tables.py): one anchored row per region, location or host.
    for table_fn in (
        tables.s3_endpoint_tables,
        tables.ar_location_table,
        tables.gcr_host_table,
        tables.gcr_timeline,
        tables.ecr_host_table,
    ):
        env.macro(table_fn)
    env.macro(check_reference, "check_reference")
    env.macro(cite)
    env.macro(namespace_snippet)
    env.macro(credentials_snippet)
    env.filter(render.code, "code")
    from gitpod_resources import prerequisites as pre

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
        "ar_writer_role": pre.AR_WRITER_ROLE,
        "releases": [schema.TAGS[r] for r in schema.RELEASES],
        "latest_release": schema.LATEST.value,
        "added_in": schema.ADDED_IN,
    }
    define_storage_and_database(env)
    define_platforms(env)


# --- object storage, database, putting it together ----------------------------------------------


def storage_example(option: str, **inputs: str) -> str:
    """All three tabs for one object storage choice."""
    link = builder_link(f"storage:{option}", **inputs)
    return render_external.storage_example(storage.build(option, inputs), inputs, link)


def database_example(option: str, **inputs: str) -> str:
    """All three tabs for one database choice."""
    link = builder_link(f"database:{option}", **inputs)
    return render_external.database_example(database.build(option, inputs), inputs, link)


def stack_example(cloud: str, **inputs: str) -> str:
    """Registry, object storage and database of one cloud in one set of tabs."""
    link = builder_link(cloud, **inputs)
    return render_external.stack_example(stack.build(cloud, inputs), inputs, link)


def db_env_snippet() -> str:
    """The shell lines that set the database secret's password and encryption keys."""
    return render.code_block("bash", database.env_snippet())


def define_storage_and_database(env: MacrosEnv) -> None:
    for fn in (storage_example, database_example, stack_example, db_env_snippet):
        env.macro(fn)
    env.variables["store"] = {
        "in_cluster_region": storage.IN_CLUSTER_REGION,
        "s3_secret": storage.S3_SECRET,
        "s3_keys": (storage.S3_ACCESS_KEY_ID, storage.S3_SECRET_ACCESS_KEY),
        "s3_iam_policy": storage.S3_IAM_POLICY,
        "gcs_secret": storage.GCS_SECRET,
        "gcs_key": storage.GCS_KEY_FILE_KEY,
        "gcs_roles": storage.GCS_ROLES,
        "azure_removed": storage.AZURE_REMOVED,
        "gcp_regions_source": gcp.ar_data_source(),
        "provider_labels": {o.value: label for o, (_, label) in storage.KOTS_PROVIDER.items()},
    }
    env.variables["db"] = {
        "name": database.DATABASE_NAME,
        "mysql_version": database.EXPECTED_MYSQL_VERSION,
        "default_port": database.DEFAULT_PORT,
        "default_username": database.DEFAULT_USERNAME,
        "external_secret": database.EXTERNAL_SECRET,
        "external_keys": database.EXTERNAL_SECRET_KEYS,
        "cloudsql_secret": database.CLOUDSQL_SECRET,
        "cloudsql_keys": database.CLOUDSQL_SECRET_KEYS,
        "cloudsql_role": database.CLOUDSQL_ROLE,
        "cloudsql_proxy_host": database.CLOUDSQL_PROXY_HOST,
        "cloudsql_proxy_port": database.CLOUDSQL_PROXY_PORT,
        "ca_secret": database.CA_SECRET,
        "ca_key": database.KEY_CA_CERT,
        "ssl_ca_cert_since": database.SSL_CA_CERT_SINCE,
        "rds_57_standard_support_end": database.RDS_MYSQL_57_STANDARD_SUPPORT_END,
        "env_password": database.ENV_PASSWORD,
        "env_encryption_keys": database.ENV_ENCRYPTION_KEYS,
        "instance_pattern": database.CONNECTION_PATTERN,
        "instance_name_form": database.INSTANCE_NAME_FORM,
    }


#: The page mkdocs-macros renders (docs-relative), for links relative to it; set per page.
_PAGE = ["index.md"]


def builder_link(target: str, **values: str) -> str:
    """A link to the configuration builder with an example's values filled in (the format:
    :func:`macros.builder_state.state`), relative to the page."""
    return builder_state.link_markdown(_PAGE[0], target, **values)


def on_pre_page_macros(env: MacrosEnv) -> None:
    """Make code literal before Jinja sees the page (see :mod:`macros.literal_code`)."""
    src = getattr(getattr(env.page, "file", None), "src_uri", "<page>")
    env.markdown = protect_code(env.markdown, src)
    _PAGE[0] = src if src.endswith(".md") else _PAGE[0]


def credentials_snippet(*kinds: str) -> str:
    """The block that asks for the credentials the page's secret commands read."""
    return render.code_block("bash", config.credentials_snippet(*kinds))


def namespace_snippet() -> str:
    """The block that sets the namespace every secret command creates its secret in."""
    return render.code_block("bash", config.namespace_snippet())


def cite(*claim_ids: str) -> str:
    """The sources of the claims a section makes (``gitpod_resources.sources``), as one small
    line."""
    return render.cite([sources.get(c) for c in claim_ids])


def check_reference() -> str:
    """Every checker code with its example and fix, from the checker's own registry."""
    from macros import check_page

    return check_page.reference()


# --- platform pages: prerequisites, the database's user, checks --------------------------------


def prerequisites(kind: str, **inputs: str) -> str:
    """The commands that create what one component needs before the install, for these inputs."""
    from gitpod_resources import prerequisites as pre

    return render_prerequisites.block(kind, inputs, pre.build(kind, inputs))


def aws_prerequisites(regions: list[str], **inputs: str) -> str:
    """The AWS prerequisites, one content tab per region (they differ by region and partition)."""
    return render_prerequisites.aws_by_region(regions, inputs)


def region_table(regions: list[str]) -> str:
    """What each region changes on the AWS page (partition, endpoint, constraint, ARNs)."""
    return render_prerequisites.region_table(regions)


def database_user(option: str, **inputs: str) -> str:
    """Only the database and user to create before the install (a platform page's database step;
    the page's whole config comes later)."""
    return render_external.database_user_block(database.build(option, inputs), inputs)


def encryption_key_warning(details_at: str = "") -> str:
    """Where a reader chooses the database: the admin console's public default key (its details
    folded below it, or a link to ``details_at`` on a page that has them)."""
    return render_external.encryption_key_warning(details_at)


def encryption_key_details() -> str:
    """The key list in detail, for the database page's own section."""
    return render_external.encryption_key_details()


def check_commands(platform: str, private_ca: str = "no") -> str:
    """``gitpod-resources check`` and ``probe`` as a platform page's last step."""
    return render_prerequisites.check_commands(platform, private_ca)


def harbor_prerequisites(**inputs: str) -> str:
    """Harbor's project and robot account, with a public and with a private CA (linked tabs)."""
    return render_prerequisites.harbor_by_ca(inputs)


def ca_config_by_ca() -> str:
    """The config's ``customCACert`` in the own-CA tab (nothing in the public-CA one)."""
    return render_prerequisites.ca_config_by_ca()


def check_commands_by_ca(platform: str) -> str:
    """The check and probe commands, with a public and with a private CA (linked tabs)."""
    return render_prerequisites.checks_by_ca(platform)


def kubectl_logs(deployment: str) -> str:
    """``kubectl logs`` of one of Gitpod's Deployments, as a block."""
    return render.code_block("bash", symptoms.logs_command(deployment))


def kubectl_restart(deployment: str) -> str:
    """``kubectl rollout restart`` of one of Gitpod's Deployments, as a block."""
    return render.code_block("bash", symptoms.restart_command(deployment))


def define_platforms(env: MacrosEnv) -> None:
    for fn in (
        prerequisites,
        aws_prerequisites,
        region_table,
        database_user,
        encryption_key_warning,
        encryption_key_details,
        check_commands,
        harbor_prerequisites,
        check_commands_by_ca,
        ca_config_by_ca,
        kubectl_logs,
        kubectl_restart,
    ):
        env.macro(fn)
