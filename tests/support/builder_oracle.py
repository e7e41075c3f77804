"""What the configuration builder must show for a state (its address bar's parameters), computed
from the rules and the checker directly, never from the builder's export.

Shared by the export's tests (``tests/rules/test_builder_export.py``, against the page's
algorithm in Python) and the browser tests (against the page's script). The reading of the
parameters here is this module's own: which rule takes which parameter, which prerequisites a
choice of options needs, which rule judges each field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from gitpod_resources import (
    aws,
    config,
    database,
    gcp,
    prerequisites,
    registry,
    stack,
    storage,
    validation,
)
from gitpod_resources.checker import Severity, check_bytes
from gitpod_resources.errors import RuleError
from tests.oracles import (
    ALL_KOTS_TITLES,
    CLUSTER_VALIDATION_SECRET_KEYS,
    TOP_LEVEL_KEYS,
    botocore_s3_host,
    secret_refs,
    unknown_keys,
)

#: ``customCACert *ObjectRef`` of install/installer/pkg/config/v1/config.go (line 191 at the tags),
#: and the key ``installer validate cluster`` requires in its secret (validation.go:262-264).
CUSTOM_CA_KEYS = {"customCACert": {"kind": None, "name": None}}
CUSTOM_CA_SECRET_KEYS = {"customCACert": {"ca.crt"}}

#: The rule that judges each field's value, as the rules compose the component (the field's
#: name in the message is the builder's parameter).
VALIDATORS: dict[str, Callable[[str, str], object]] = {
    "aws_region": aws.validate_region,
    "registry_bucket": aws.validate_bucket_name,
    "storage_bucket": aws.validate_bucket_name,
    "gcp_project": gcp.validate_project_id,
    "ar_location": gcp.validate_ar_location,
    "ar_repository": gcp.validate_repository,
    "gcr_host": gcp.validate_gcr_host,
    "registry_host": lambda v, f: validation.run(registry.GENERIC_HOST_SPEC, v, f),
    "db_host": database.validate_host,
    "db_instance": database.validate_instance_name,
    "gcp_region": gcp.validate_region,
}

#: Which parameters each option reads (this module's reading of the builder's address).
READS: dict[str, tuple[str, ...]] = {
    "registry:in-cluster-s3": ("aws_region", "registry_bucket"),
    "registry:gcr": ("gcr_host", "gcp_project"),
    "registry:gar": ("ar_location", "gcp_project", "ar_repository"),
    "registry:generic": ("registry_host", "registry_path", "private_ca"),
    "storage:s3": ("aws_region", "storage_bucket"),
    "storage:gcs": ("gcp_region", "gcp_project"),
    "database:external": ("db_host", "db_ca"),
    "database:cloudsql": ("gcp_project", "gcp_region", "db_instance"),
}


def reads(state: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    for c in ("registry", "storage", "database"):
        for p in READS.get(f"{c}:{state[c]}", ()):
            if p not in out:
                out.append(p)
    return out


@dataclass
class Expected:
    #: Messages of the fields the rules refuse, by parameter (empty: the rules compose it).
    errors: dict[str, str]
    kots: list[list[Any]] | None = None
    yaml: str | None = None
    secrets: list[str] | None = None
    #: (title of a step, command) of every prerequisite step, in order, and the variables.
    prereq_commands: list[str] | None = None
    #: (code, message, fix) of every finding the checker reports on the YAML.
    findings: list[tuple[str, str, str]] | None = None


def field_errors(state: Mapping[str, str]) -> dict[str, str]:
    """The message of every field the rules refuse (the builder names it by its parameter)."""
    errors: dict[str, str] = {}
    for param in reads(state):
        value = state[param]
        if param in ("private_ca", "db_ca"):
            if value not in ("yes", "no"):
                errors[param] = str(RuleError(param, value, "'yes' or 'no'"))
            continue
        if param == "registry_path":
            continue
        try:
            VALIDATORS[param](value, param)
        except RuleError as err:
            # A Google Cloud region is chosen from the list: for another value a link carries,
            # the builder names the field and the allowed form, without the rule's hint.
            hint = "" if param == "gcp_region" else err.hint
            errors[param] = str(RuleError(err.field, err.value, err.allowed, hint))
    if "registry_path" in reads(state) and "registry_host" not in errors:
        host, path = state["registry_host"], state["registry_path"]
        try:
            registry.validate_url(f"{host}/{path}" if path else host, "registry_path")
        except RuleError as err:
            errors["registry_path"] = str(err)
    if state["registry"] == "in-cluster-s3" and state["storage"] == "s3" and not errors:
        try:
            prerequisites.aws_s3(
                state["aws_region"],
                registry_bucket=state["registry_bucket"],
                storage_bucket=state["storage_bucket"],
            )
        except RuleError as err:
            errors[err.field] = str(err)
    return errors


def setups(state: Mapping[str, str]) -> stack.Stack:
    s = state
    reg = {
        "in-cluster": lambda: registry.in_cluster(),
        "in-cluster-s3": lambda: registry.in_cluster_s3(s["registry_bucket"], s["aws_region"]),
        "gcr": lambda: registry.gcr(s["gcr_host"], s["gcp_project"]),
        "gar": lambda: registry.gar(s["ar_location"], s["gcp_project"], s["ar_repository"]),
        "generic": lambda: registry.generic(s["registry_host"], s["registry_path"]),
    }[s["registry"]]()
    sto = {
        "in-cluster": lambda: storage.in_cluster(),
        "s3": lambda: storage.s3(s["aws_region"], s["storage_bucket"]),
        "gcs": lambda: storage.gcs(s["gcp_region"], s["gcp_project"]),
    }[s["storage"]]()
    db = {
        "in-cluster": lambda: database.in_cluster(),
        "external": lambda: database.external(s["db_host"], ca_cert=s["db_ca"]),
        "cloudsql": lambda: database.cloud_sql(s["gcp_project"], s["gcp_region"], s["db_instance"]),
    }[s["database"]]()
    return stack.Stack(stack.Cloud.AWS, reg, sto, db)


def private_ca(state: Mapping[str, str]) -> bool:
    return state["registry"] == "generic" and state.get("private_ca") == "yes"


def prereq_commands(state: Mapping[str, str], st: stack.Stack) -> list[str]:
    """Every shell block of the prerequisites the options need, in the order a reader runs
    them: the AWS buckets and user, the registry's, the storage's, the database's."""
    out: list[str] = []
    s3_reg, s3_sto = state["registry"] == "in-cluster-s3", state["storage"] == "s3"
    if s3_reg or s3_sto:
        pre = prerequisites.aws_s3(
            state["aws_region"],
            registry_bucket=state["registry_bucket"] if s3_reg else None,
            storage_bucket=state["storage_bucket"] if s3_sto else None,
        )
        out += [pre.variables, *(step.command for step in pre.steps)]
    if state["registry"] == "gar":
        pre = prerequisites.gar(state["ar_location"], state["gcp_project"], state["ar_repository"])
        out += [pre.variables, *(step.command for step in pre.steps)]
    if state["registry"] == "generic":
        try:
            validation.run(prerequisites.PROJECT_SPEC, state["registry_path"], "project")
        except RuleError:
            pass
        else:
            pre = prerequisites.harbor(
                state["registry_host"], state["registry_path"], private_ca=private_ca(state)
            )
            ca = prerequisites.ca_secret_command()
            out += [pre.variables, *(s.command for s in pre.steps if s.command != ca)]
    if state["storage"] == "gcs":
        pre = prerequisites.gcs(state["gcp_region"], state["gcp_project"])
        out += [pre.variables, *(step.command for step in pre.steps)]
    db = st.database
    if db.external is not None:
        plain = database.external(db.external.host)
        variables = database.user_variables(plain)
        assert variables is not None
        out += [variables, database.env_snippet(), *database.user_commands(plain)]
    if db.cloud_sql is not None:
        variables = database.user_variables(db)
        assert variables is not None
        out += [variables, database.env_snippet(), *database.user_commands(db)]
        pre = prerequisites.cloudsql(db.cloud_sql.instance.project)
        out += [pre.variables, *(step.command for step in pre.steps)]
    return out


def expected(state: Mapping[str, str]) -> Expected:
    """What the builder must show: the rules' refusals, or the rules' outputs."""
    errors = field_errors(state)
    if errors:
        return Expected(errors)
    st = setups(state)
    doc = stack.installer_config(st) | (prerequisites.ca_config() if private_ca(state) else {})
    text = config.to_yaml(doc)
    secrets = stack.secret_commands(st)
    if private_ca(state):
        secrets.append(prerequisites.ca_secret_command())
    result = check_bytes(text.encode(), config.CONFIG_FILE)
    return Expected(
        {},
        kots=[[g, [list(r) for r in rows]] for g, rows in stack.kots_groups(st)],
        yaml=text,
        secrets=secrets,
        prereq_commands=prereq_commands(state, st),
        findings=[(f.code, f.message, f.fix) for f in result.findings],
    )


def check_against_oracles(
    state: Mapping[str, str], kots: Any, text: str, secrets: list[str]
) -> None:
    """What a reader copies, held to the oracles that do not come from the rules: the admin
    console's titles, the installer's keys, botocore's S3 endpoints, the secrets cluster
    validation reads, and the checker (no error)."""
    from tests.examples import created_secrets

    for _group, rows in kots:
        for title, _value in rows:
            assert title in ALL_KOTS_TITLES, title
    doc = yaml.safe_load(text)
    assert doc["apiVersion"] == "v1"
    assert unknown_keys(doc, TOP_LEVEL_KEYS | CUSTOM_CA_KEYS) == [], doc
    if "aws_region" in reads(state):
        region = state["aws_region"]
        for section in (
            doc.get("containerRegistry", {}).get("s3storage"),
            doc.get("objectStorage", {}).get("s3"),
        ):
            if section:
                assert section["endpoint"] == botocore_s3_host(region), (region, section)
    refs = secret_refs(doc)
    created: dict[str, set[str]] = {}
    for command in secrets:
        created |= created_secrets(command)
    assert set(created) == set(refs.values()), (created, refs)
    wanted = CLUSTER_VALIDATION_SECRET_KEYS | CUSTOM_CA_SECRET_KEYS
    for path, name in refs.items():
        assert created[name] == wanted[path], (path, created[name])
    result = check_bytes(text.encode(), config.CONFIG_FILE)
    assert [f for f in result.findings if f.severity is Severity.ERROR] == [], result.findings
