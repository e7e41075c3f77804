"""Data for the configuration builder page: the whole stack, computed by the rules at build time.

The page's script (docs/javascripts/builder.js) applies what :func:`export` computes and nothing
else. The form is :mod:`macros.builder_state`'s (a platform, the option of each component, the
fields those options use). Everything a reader copies comes from *parts*: one per component
option (its admin console rows, its installer config sections, its secret commands, the
commands that create what it needs first) and the prerequisites shared between components (the
AWS buckets and IAM user, Harbor's project). Each part's outputs are the rules' own outputs for
*sentinel* field values, with the sentinels turned into ``{{field}}`` placeholders; a part whose
outputs depend on a list item (a region's endpoint, partition or notes) has one variant per
distinct outcome. The findings ``gitpod-resources check`` reports for each variant's config are
run here, by the checker, and shipped the same way. The export refuses to finish unless
filling every variant with a *second* set of sentinels reproduces the rules' outputs for that
set, for every list item, and unless the parts put together give what
:mod:`gitpod_resources.stack` gives for every combination of options a platform offers.

:func:`evaluate` is the script in Python: the tests hold it to the rules for arbitrary input,
and the browser test holds the script to the rules.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from gitpod_resources import (
    aws,
    config,
    database,
    gcp,
    goyaml,
    prerequisites,
    registry,
    stack,
    storage,
    validation,
)
from gitpod_resources.database import DatabaseSetup
from gitpod_resources.errors import RuleError
from gitpod_resources.registry import Option, RegistrySetup
from gitpod_resources.storage import StorageSetup
from macros import builder_state, render
from macros.builder_state import (
    COMPONENTS,
    FIELD_BY_PARAM,
    FIELDS,
    NO,
    PLATFORMS,
    YES,
    Field,
    builder_url,
)

__all__ = ["builder_url", "evaluate", "export"]

#: The element id of the embedded JSON document.
DATA_ELEMENT_ID = "gp-builder-data"

PLACEHOLDER = re.compile(r"\{\{([a-z_.]+)\}\}")

#: Two sets of valid, unmistakable stand-ins per text field: the templates come from the first,
#: and must reproduce the rules' outputs for the second.
SENTINELS: dict[str, tuple[str, str]] = {
    "registry_bucket": ("gpzqregbucket", "gpzq-rb.b2"),
    "storage_bucket": ("gpzqstobucket", "gpzq-sb.s2"),
    # Domain-scoped, so the templates tell the ID from its path form (gcp_project.path).
    "gcp_project": ("gpzqdomain.example:gpzqproject", "gpzq-proj2"),
    "ar_repository": ("gpzqrepository", "gpzq-repo2"),
    "registry_host": ("gpzqhost.example", "gpzq-host2.example:5000"),
    "registry_path": ("gpzqpath", "gpzq-path2.x"),
    "db_host": ("gpzqdbhost.example", "gpzq-db2.example"),
    "db_instance": ("gpzqinstance", "gpzq-inst2"),
}
SENTINEL_MARK = "gpzq"

#: Derived forms of a field the rules write elsewhere: (text, replacement) applied to the value.
DERIVED: dict[str, dict[str, tuple[str, str]]] = {
    "gcp_project": {"path": gcp.PROJECT_PATH_REPLACE},
}

#: Text values the checker judges apart from every other value of the field (Docker Hub's hosts,
#: REG222): the export runs the checker for each of them too. The property test that runs the
#: real checker over the builder's config draws these besides random values.
PROBES: dict[str, tuple[str, ...]] = {
    "registry_host": tuple(sorted(registry.DOCKER_HUB_HOSTS)),
}

#: The check box spec (the value a link may carry).
CHECKBOX_SPEC = validation.Spec(
    "yes_no", f"{YES!r} or {NO!r}", (validation.Check("known"), validation.Check("fail"))
)
PLATFORM_SPEC = validation.Spec(
    "platform",
    "one of " + ", ".join(builder_state.PLATFORM_IDS),
    (validation.Check("known"), validation.Check("fail")),
)


@cache
def option_spec(platform_id: str, component: str) -> validation.Spec:
    """An option of ``component`` that the platform offers."""
    offered = builder_state.platform(platform_id).options(component)
    return validation.Spec(
        f"{platform_id}_{component}",
        "one of " + ", ".join(offered),
        (validation.Check("known"), validation.Check("fail")),
    )


# --- lists --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    value: str
    label: str
    #: Values the rules compute for this item, e.g. the S3 endpoint of a region.
    attrs: Mapping[str, str]


@dataclass(frozen=True)
class Group:
    label: str
    items: tuple[Item, ...]


@cache
def lists() -> dict[str, tuple[Group, ...]]:
    """Every list a select offers, grouped as the page shows them (regions by partition)."""
    regions = tuple(
        Group(
            p.name,
            tuple(
                Item(r.code, f"{r.code} ({r.name})", {"endpoint": aws.s3_endpoint(r.code)})
                for r in p.regions
            ),
        )
        for p in aws.partitions()
    )
    locs = gcp.ar_locations()
    ar = tuple(
        Group(
            label,
            tuple(
                Item(loc.code, loc.code, {"host": loc.docker_host})
                for loc in locs
                if loc.multi_region == multi
            ),
        )
        for label, multi in (("Multi-regions", True), ("Regions", False))
    )
    gcr = (Group("", tuple(Item(h.host, h.host, {}) for h in gcp.gcr_hosts())),)
    gcp_regions = (Group("", tuple(Item(c, c, {}) for c in gcp.region_codes())),)
    return {
        "aws_regions": regions,
        "ar_locations": ar,
        "gcr_hosts": gcr,
        "gcp_regions": gcp_regions,
    }


def known(name: str) -> tuple[str, ...]:
    return tuple(i.value for g in lists()[name] for i in g.items)


@cache
def _items(name: str) -> dict[str, Item]:
    return {i.value: i for g in lists()[name] for i in g.items}


# --- filling templates (the page's script does exactly this) ---------------------------------


@cache
def yaml_resolvers() -> tuple[tuple[str, bool, str], ...]:
    """PyYAML's implicit resolvers, and the installer's (``goyaml.QUOTE_PATTERNS``), as (first
    characters, applies to '', pattern).

    A string either would read back as another type (``yes``, ``123``, ``2001-12-14``, ``1e3``,
    ``y``) is written single-quoted (``config.to_yaml``); the page quotes a filled-in scalar
    when one of these matches.
    """
    groups: dict[str, tuple[set[str], list[bool]]] = {}
    for first, pairs in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
        for _tag, regexp in pairs:
            pattern = _unverbose(regexp.pattern) if regexp.flags & re.X else regexp.pattern
            chars, empty = groups.setdefault(pattern, (set(), [False]))
            if first:
                chars.add(first)
            else:
                empty[0] = True
    pyyaml = tuple(("".join(sorted(c)), e[0], p) for p, (c, e) in groups.items())
    return pyyaml + goyaml.QUOTE_PATTERNS


def _unverbose(pattern: str) -> str:
    """A re.VERBOSE pattern without its layout whitespace (kept inside character classes)."""
    out, in_class, escaped = [], False, False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif not ch.isspace():
            out.append(ch)
    return "".join(out)


def yaml_scalar(value: str) -> str:
    """``value`` as PyYAML writes a plain-safe string: single-quoted if it would resolve."""
    for first, empty, pattern in yaml_resolvers():
        applies = empty if value == "" else value[0] in first
        if applies and re.match(pattern, value):
            return "'" + value.replace("'", "''") + "'"
    return value


def fill(template: str, ctx: Mapping[str, str], *, yaml_values: bool = False) -> str:
    def one(m: re.Match[str]) -> str:
        v = ctx[m.group(1)]
        return yaml_scalar(v) if yaml_values else v

    return PLACEHOLDER.sub(one, template)


def fill_tree(tree: Any, ctx: Mapping[str, str], yaml_values: bool = False) -> Any:
    """Fill every string of an output tree; the ``yaml`` branch quotes as YAML."""
    if isinstance(tree, str):
        return fill(tree, ctx, yaml_values=yaml_values)
    if isinstance(tree, list):
        return [fill_tree(x, ctx, yaml_values) for x in tree]
    if isinstance(tree, dict):
        return {k: fill_tree(v, ctx, yaml_values or k == "yaml") for k, v in tree.items()}
    return tree


def _templatize(text: str, ctx: Mapping[str, str]) -> str:
    """Every occurrence of a context value (not inside a longer name: no letter or digit on
    either side) replaced by its placeholder, longest value first."""
    if "{{" in text:
        raise RuntimeError(f"builder: a rules' output holds '{{{{': cannot template {text!r}")
    found = _replacer(tuple(sorted(ctx.items())))
    if found is None:
        return text
    pattern, names = found
    return pattern.sub(lambda m: "{{" + names[m.group(0)] + "}}", text)


@cache
def _replacer(items: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    pairs = sorted(((v, k) for k, v in items if v), key=lambda p: (-len(p[0]), p[1]))
    if not pairs:
        return None
    names: dict[str, str] = {}
    for v, k in pairs:
        names.setdefault(v, k)
    alternation = "|".join(re.escape(v) for v in names)
    return re.compile(f"(?<![A-Za-z0-9])(?:{alternation})(?![A-Za-z0-9])"), names


def templatize_tree(tree: Any, ctx: Mapping[str, str]) -> Any:
    if isinstance(tree, str):
        return _templatize(tree, ctx)
    if isinstance(tree, list):
        return [templatize_tree(x, ctx) for x in tree]
    if isinstance(tree, dict):
        return {k: templatize_tree(v, ctx) for k, v in tree.items()}
    return tree


def field_ctx(params: Sequence[str], values: Mapping[str, str]) -> dict[str, str]:
    """The placeholders' values for the fields ``params``: each value, its derived forms and,
    for a select, the rules' values of its item."""
    ctx: dict[str, str] = {}
    for param in params:
        f = FIELD_BY_PARAM[param]
        if f.kind == "check":
            continue
        value = values[param]
        ctx[param] = value
        for name, (old, new) in DERIVED.get(param, {}).items():
            ctx[f"{param}.{name}"] = value.replace(old, new)
        if f.items:
            for k, v in _items(f.items)[value].attrs.items():
                ctx[f"{param}.{k}"] = v
    return ctx


# --- parts: what each option and each shared prerequisite contributes, from the rules ---------


@dataclass(frozen=True)
class Built:
    """One part's outputs for one set of field values."""

    #: Values the rules compose from the fields (URL, endpoint, connection name): whole scalars.
    values: dict[str, str]
    #: ``kots`` rows, ``yaml`` sections as (top-level key, text), ``secrets`` commands,
    #: ``nothing`` notes, ``prereq`` (title, variables, steps, notes) or None.
    out: dict[str, Any]
    #: The whole installer config this part gives with the other components in the cluster:
    #: what the checker reads for the part's findings (None: the part writes no config).
    config: str | None = None


@dataclass(frozen=True)
class Part:
    id: str
    fields: tuple[str, ...]
    build: Callable[[Mapping[str, str]], Built]
    #: When the part applies: for each component named, the options it applies to.
    when: Mapping[str, tuple[str, ...]]
    #: A field whose value must pass this spec for the part to apply (Harbor's project).
    requires: tuple[str, validation.Spec] | None = None


def _fragments(doc: Mapping[str, Any]) -> list[list[str]]:
    """The config's top-level keys, each as the YAML the rules' emitter writes for it alone."""
    return [[k, config.to_yaml({k: v})] for k, v in doc.items()]


def _merged(
    reg: RegistrySetup | None = None,
    sto: StorageSetup | None = None,
    db: DatabaseSetup | None = None,
    *,
    private_ca: bool = False,
) -> dict[str, Any]:
    """The installer config of a stack (:func:`stack.installer_config`), the components not
    given in the cluster, with ``customCACert`` for a private CA."""
    s = stack.Stack(
        stack.Cloud.AWS,
        reg or registry.in_cluster(),
        sto or storage.in_cluster(),
        db or database.in_cluster(),
    )
    doc = stack.installer_config(s)
    if private_ca:
        doc |= prerequisites.ca_config()
    return doc


def _prereq(
    title: str, pre: prerequisites.Prerequisites, drop: Sequence[str] = ()
) -> dict[str, Any]:
    return {
        "title": title,
        "variables": pre.variables,
        "steps": [[s.title, s.command] for s in pre.steps if s.command not in drop],
        "notes": list(pre.notes),
    }


def registry_setup(option: str, v: Mapping[str, str]) -> RegistrySetup:
    """The registry a state names, composed by the rules."""
    if option == Option.IN_CLUSTER:
        return registry.in_cluster()
    if option == Option.IN_CLUSTER_S3:
        return registry.in_cluster_s3(v["registry_bucket"], v["aws_region"])
    if option == Option.GCR:
        return registry.gcr(v["gcr_host"], v["gcp_project"])
    if option == Option.GAR:
        return registry.gar(v["ar_location"], v["gcp_project"], v["ar_repository"])
    if option == Option.GENERIC:
        return registry.generic(v["registry_host"], v["registry_path"])
    raise RuleError("registry", option, "a supported registry option")


def storage_setup(option: str, v: Mapping[str, str]) -> StorageSetup:
    if option == "s3":
        return storage.s3(v["aws_region"], v["storage_bucket"])
    if option == "gcs":
        return storage.gcs(v["gcp_region"], v["gcp_project"])
    return storage.in_cluster()


def database_setup(option: str, v: Mapping[str, str]) -> DatabaseSetup:
    if option == "external":
        return database.external(v["db_host"], ca_cert=v["db_ca"])
    if option == "cloudsql":
        return database.cloud_sql(v["gcp_project"], v["gcp_region"], v["db_instance"])
    return database.in_cluster()


#: Prose of the page's output (not a fact a reader copies).
TITLES = {
    "aws_s3": "The S3 buckets and the IAM user Gitpod uses",
    "gar": "The Artifact Registry repository and the key Gitpod pushes with",
    "gcs": "The service account Cloud Storage uses",
    "harbor": "If the registry is Harbor: the project and a robot account",
    "external": "The database and the user Gitpod connects as",
    "cloudsql": "The database and the user on the Cloud SQL instance",
    "cloudsql_sa": "The service account the Cloud SQL proxy connects with",
}
NOTHING = {
    "storage": "Object storage: nothing to create; the installer deploys MinIO in the cluster "
    "and generates its keys.",
    "database": "Database: nothing to create; the installer deploys MySQL in the cluster and "
    "generates its credentials.",
}
DB_STEPS = (
    "Set the database user's password and a key list of your own",
    "Create the database and the user, as an administrator",
)


def _registry_build(option: str) -> Callable[[Mapping[str, str]], Built]:
    def build(v: Mapping[str, str]) -> Built:
        setup = registry_setup(option, v)
        ca = option == Option.GENERIC and v["private_ca"] == YES
        doc = config.installer_config(setup) | (prerequisites.ca_config() if ca else {})
        command = config.secret_command(setup)
        secrets = [command] if command else []
        # customCACert's secret comes after every component's, as its key in the config.
        extra = [prerequisites.ca_secret_command()] if ca else []
        nothing = []
        if command is None:
            before, after = render.IN_CLUSTER_SECRET_NOTE
            nothing.append(
                f"Container registry: {before[0].lower()}{before[1:]}`{setup.secret}`{after}"
            )
        prereq = None
        if option == Option.GAR:
            pre = prerequisites.gar(v["ar_location"], v["gcp_project"], v["ar_repository"])
            prereq = _prereq(TITLES["gar"], pre)
        out = {
            "kots": [list(r) for r in config.kots_fields(setup)],
            "yaml": _fragments(doc),
            "secrets": secrets,
            "extra_secrets": extra,
            "nothing": nothing,
            "prereq": prereq,
        }
        return Built(setup_values(setup), out, config.to_yaml(_merged(setup, private_ca=ca)))

    return build


def setup_values(setup: RegistrySetup) -> dict[str, str]:
    """The values of a registry the outputs depend on, by name."""
    out = {"url": setup.url, "server": setup.server}
    if setup.s3 is not None:
        out |= {"bucket": setup.s3.bucket, "region": setup.s3.region, "endpoint": setup.s3.endpoint}
    return {k: v for k, v in out.items() if v is not None}


def _outputs(
    component: str,
    kots: list[tuple[str, str]],
    doc: Mapping[str, Any],
    secrets: list[str],
    prereq: dict[str, Any] | None,
) -> dict[str, Any]:
    """Object storage's or the database's outputs: its admin console rows, config fragments and
    secret commands (or what to create instead: nothing), and its prerequisites."""
    return {
        "kots": [list(r) for r in kots],
        "yaml": _fragments(doc),
        "secrets": secrets,
        "nothing": [] if secrets else [NOTHING[component]],
        "prereq": prereq,
    }


def _storage_build(option: str) -> Callable[[Mapping[str, str]], Built]:
    def build(v: Mapping[str, str]) -> Built:
        setup = storage_setup(option, v)
        values: dict[str, str] = {}
        prereq = None
        if setup.s3 is not None:
            s3 = setup.s3
            values = {"region": s3.region, "endpoint": s3.endpoint, "bucket": s3.bucket}
        elif setup.gcs is not None:
            values = {"region": setup.gcs.region, "project": setup.gcs.project}
            prereq = _prereq(TITLES["gcs"], prerequisites.gcs(setup.gcs.region, setup.gcs.project))
        kots, doc = storage.kots_fields(setup), storage.installer_config(setup)
        out = _outputs("storage", kots, doc, storage.secret_commands(setup), prereq)
        return Built(values, out, config.to_yaml(_merged(sto=setup)))

    return build


def _database_build(option: str) -> Callable[[Mapping[str, str]], Built]:
    def build(v: Mapping[str, str]) -> Built:
        setup = database_setup(option, v)
        values: dict[str, str] = {}
        prereq = None
        if setup.external is not None:
            values = {"host": setup.external.host}
            # The TLS variant's database and user are the plain one's (database.user_variables).
            plain = database.external(setup.external.host)
            prereq = _database_prereq(TITLES["external"], plain)
            if setup.external.ca_cert:
                prereq["notes"].append(
                    f"Put the certificate (PEM) of the CA that signed the server's certificate in "
                    f"`{database.CA_FILE}`: the secret command `{database.CA_SECRET}` reads it."
                )
        elif setup.cloud_sql is not None:
            values = {"connection": setup.cloud_sql.instance.connection_name}
            prereq = _database_prereq(TITLES["cloudsql"], setup)
        kots, doc = database.kots_fields(setup), database.installer_config(setup)
        out = _outputs("database", kots, doc, database.secret_commands(setup), prereq)
        return Built(values, out, config.to_yaml(_merged(db=setup)))

    return build


def _database_prereq(title: str, setup: DatabaseSetup) -> dict[str, Any]:
    variables = database.user_variables(setup)
    assert variables is not None
    commands = database.user_commands(setup)
    steps = [[DB_STEPS[0], database.env_snippet()]]
    if len(commands) == 1:
        steps.append([DB_STEPS[1], commands[0]])
    else:
        labels = ("Create the database", "Create the user", "Grant it the privileges")
        steps += [[label, c] for label, c in zip(labels, commands, strict=True)]
    notes = [
        f"Gitpod's migrations create and change the tables in `{database.DATABASE_NAME}`, and its "
        f"init job creates `{database.SESSIONS_DATABASE}`, both as this user: it needs every "
        "privilege on both.",
    ]
    return {"title": title, "variables": variables, "steps": steps, "notes": notes}


def _aws_build(registry_bucket: bool, storage_bucket: bool) -> Callable[[Mapping[str, str]], Built]:
    def build(v: Mapping[str, str]) -> Built:
        pre = prerequisites.aws_s3(
            v["aws_region"],
            registry_bucket=v["registry_bucket"] if registry_bucket else None,
            storage_bucket=v["storage_bucket"] if storage_bucket else None,
        )
        return Built({}, {"prereq": _prereq(TITLES["aws_s3"], pre)})

    return build


def _cloudsql_build(v: Mapping[str, str]) -> Built:
    pre = prerequisites.cloudsql(v["gcp_project"])
    return Built({}, {"prereq": _prereq(TITLES["cloudsql_sa"], pre)})


def _harbor_build(v: Mapping[str, str]) -> Built:
    pre = prerequisites.harbor(
        v["registry_host"], v["registry_path"], private_ca=v["private_ca"] == YES
    )
    # The CA's secret is in the Secret tab (the generic registry's), for any registry.
    drop = (prerequisites.ca_secret_command(),)
    return Built({}, {"prereq": _prereq(TITLES["harbor"], pre, drop)})


def _offered(component: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for p in PLATFORMS:
        seen |= dict.fromkeys(p.options(component))
    return tuple(seen)


def _others(component: str, option: str) -> tuple[str, ...]:
    return tuple(o for o in _offered(component) if o != option)


@cache
def parts() -> tuple[Part, ...]:
    """Every part, in the order their prerequisites run."""
    builders = {
        "registry": _registry_build,
        "storage": _storage_build,
        "database": _database_build,
    }
    component_parts = {
        c: [
            Part(
                f"{c}:{o}",
                builder_state.OPTION_FIELDS[f"{c}:{o}"],
                builders[c](o),
                {c: (o,)},
            )
            for o in _offered(c)
            if not (c == "registry" and not registry.provider(o).supported)
        ]
        for c in COMPONENTS
    }
    s3_reg, s3_sto = Option.IN_CLUSTER_S3.value, "s3"
    aws_parts = [
        Part(
            "aws_s3:both",
            ("aws_region", "registry_bucket", "storage_bucket"),
            _aws_build(True, True),
            {"registry": (s3_reg,), "storage": (s3_sto,)},
        ),
        Part(
            "aws_s3:registry",
            ("aws_region", "registry_bucket"),
            _aws_build(True, False),
            {"registry": (s3_reg,), "storage": _others("storage", s3_sto)},
        ),
        Part(
            "aws_s3:storage",
            ("aws_region", "storage_bucket"),
            _aws_build(False, True),
            {"registry": _others("registry", s3_reg), "storage": (s3_sto,)},
        ),
    ]
    harbor = Part(
        "harbor",
        ("registry_host", "registry_path", "private_ca"),
        _harbor_build,
        {"registry": (Option.GENERIC.value,)},
        ("registry_path", prerequisites.PROJECT_SPEC),
    )
    cloudsql = Part("cloudsql_sa", ("gcp_project",), _cloudsql_build, {"database": ("cloudsql",)})
    return (
        *aws_parts,
        *component_parts["registry"],
        harbor,
        *component_parts["storage"],
        *component_parts["database"],
        cloudsql,
    )


def active_parts(options: Mapping[str, str], values: Mapping[str, str]) -> list[Part]:
    """The parts the chosen options use, in order."""
    out = []
    for p in parts():
        if not all(options[c] in opts for c, opts in p.when.items()):
            continue
        if p.requires is not None:
            param, spec = p.requires
            try:
                validation.run(spec, values[param], param)
            except RuleError:
                continue
        out.append(p)
    return out


# --- variants: one part's outputs per list item, check box and empty optional field -----------


def _select(p: Part) -> Field | None:
    selects = [FIELD_BY_PARAM[f] for f in p.fields if FIELD_BY_PARAM[f].kind == "select"]
    assert len(selects) <= 1, f"builder: part {p.id} has more than one list"
    return selects[0] if selects else None


def _checks(p: Part) -> list[str]:
    return [f for f in p.fields if FIELD_BY_PARAM[f].kind == "check"]


def _sample(p: Part, which: int) -> dict[str, str]:
    """Sentinel set ``which`` for the part's text fields, the first item of its list, and the
    defaults of its check boxes."""
    out: dict[str, str] = {}
    for param in p.fields:
        f = FIELD_BY_PARAM[param]
        if f.kind == "text":
            out[param] = SENTINELS[param][which]
        elif f.kind == "select":
            out[param] = known(f.items)[0]
        else:
            out[param] = f.default
    return out


@cache
def optional(part_id: str) -> tuple[str, ...]:
    """The part's text fields the rules accept empty (the generic registry's path)."""
    p = _part(part_id)
    out = []
    for param in p.fields:
        if FIELD_BY_PARAM[param].kind != "text":
            continue
        try:
            p.build(_sample(p, 0) | {param: ""})
        except RuleError:
            continue
        out.append(param)
    return tuple(out)


def _part(part_id: str) -> Part:
    return next(p for p in parts() if p.id == part_id)


def variant_key(p: Part, values: Mapping[str, str]) -> str:
    """Which variant of the part ``values`` select: the list item, the check boxes, and which
    optional fields are empty."""
    select = _select(p)
    key = [values[select.param] if select else ""]
    key += [values[c] for c in _checks(p)]
    key += ["1" if values[f] == "" else "0" for f in optional(p.id)]
    return "|".join(key)


def _variant_inputs(p: Part) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    """(key, sentinel set A, sentinel set B) for every variant of the part."""
    select = _select(p)
    items = known(select.items) if select else ("",)
    checks = _checks(p)
    opt = optional(p.id)
    for item in items:
        for ticks in itertools.product((YES, NO), repeat=len(checks)):
            for empties in itertools.product((False, True), repeat=len(opt)):
                a, b = _sample(p, 0), _sample(p, 1)
                for values in (a, b):
                    if select:
                        values[select.param] = item
                    values |= dict(zip(checks, ticks, strict=True))
                    values |= {f: "" for f, e in zip(opt, empties, strict=True) if e}
                yield variant_key(p, a), a, b


def _ctx(p: Part, values: Mapping[str, str]) -> dict[str, str]:
    return field_ctx(p.fields, values)


def _with_values(ctx: Mapping[str, str], built_values: Mapping[str, str]) -> dict[str, str]:
    return {**ctx, **{f"v.{k}": v for k, v in built_values.items()}}


@dataclass
class Variant:
    #: Templates of the part's composed values, over the fields' placeholders.
    values: dict[str, str]
    out: dict[str, Any]
    findings: list[list[str]] = field(default_factory=list)


def _findings(built: Built, ctx: Mapping[str, str]) -> list[list[str]]:
    """The checker's findings on the part's config, as templates (no error may be among them)."""
    if built.config is None:
        return []
    from gitpod_resources.checker import Severity, check_bytes

    result = check_bytes(built.config.encode(), config.CONFIG_FILE)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if errors:
        raise RuntimeError(f"builder: the checker finds errors in {built.config!r}: {errors}")
    return [
        [
            f.code,
            f.severity.value,
            _templatize(f.message, ctx),
            _templatize(f.fix, ctx),
            docs_href(f.code),
        ]
        for f in result.findings
    ]


@cache
def docs_href(code: str) -> str:
    """The guide section of a checker code, relative to the builder page."""
    from gitpod_resources.checker import all_checks

    chk = next(c for c in all_checks() if c.code == code)
    page, _, anchor = chk.docs_page_ref.partition("#")
    path = "" if page == "index.md" else page.removesuffix(".md") + "/"
    return f"../{path}" + (f"#{anchor}" if anchor else "")


def build_variant(p: Part, a: Mapping[str, str]) -> Variant:
    """A variant's templates, from the rules' outputs for sentinel set A."""
    built = p.build(a)
    ctx = _ctx(p, a)
    values = {k: _templatize(v, ctx) for k, v in built.values.items()}
    full = _with_values(ctx, built.values)
    out = templatize_tree(built.out, full)
    for _key, text in out.get("yaml") or []:
        for line in text.splitlines():
            if "{{" in line and not re.fullmatch(r" *[A-Za-z]+: \{\{[a-z_.]+\}\}", line):
                raise RuntimeError(
                    f"builder: {p.id}: a YAML placeholder is not a whole value: {line}"
                )
    return Variant(values, out, _findings(built, full))


def materialize(variant: Variant, ctx: Mapping[str, str]) -> tuple[dict[str, str], dict[str, Any]]:
    """A variant filled for field values (what the page's script does)."""
    values = {k: fill(t, ctx) for k, t in variant.values.items()}
    return values, fill_tree(variant.out, _with_values(ctx, values))


def _leftover(tree: Any) -> bool:
    return SENTINEL_MARK in json.dumps(tree)


@cache
def variants(part_id: str) -> tuple[tuple[Variant, ...], dict[str, int]]:
    """The part's distinct variants and which one each key selects, each proven: filled for
    sentinel set B it equals the rules' outputs for set B."""
    p = _part(part_id)
    found: list[Variant] = []
    index: dict[str, int] = {}
    seen: dict[str, int] = {}
    values_by_unticked: dict[str, dict[str, str]] = {}
    for key, a, b in _variant_inputs(p):
        variant = build_variant(p, a)
        if _leftover([variant.values, variant.out]):
            raise RuntimeError(f"builder: {p.id} {key}: a value was not templated: {variant}")
        built_b = p.build(b)
        got = materialize(variant, _ctx(p, b))
        if got != (built_b.values, _jsonable(built_b.out)):
            raise RuntimeError(f"builder: {p.id} {key}: templates miss the rules for {b}: {got}")
        unticked = key.split("|")
        for n, _ in enumerate(_checks(p), start=1):
            unticked[n] = "*"
        same_values = values_by_unticked.setdefault("|".join(unticked), variant.values)
        if same_values != variant.values:
            raise RuntimeError(f"builder: {p.id}: composed values depend on a check box")
        ident = json.dumps([variant.values, variant.out, variant.findings], sort_keys=True)
        if ident not in seen:
            seen[ident] = len(found)
            found.append(variant)
        index[key] = seen[ident]
    return tuple(found), index


def _jsonable(tree: Any) -> Any:
    return json.loads(json.dumps(tree))


@cache
def probe_findings(part_id: str) -> dict[str, dict[str, dict[str, int]]]:
    """Findings for :data:`PROBES` values: key -> field -> value -> index into the part's
    probe variants (:func:`probe_variants`)."""
    return _probes(part_id)[1]


@cache
def _probes(part_id: str) -> tuple[list[list[list[str]]], dict[str, dict[str, dict[str, int]]]]:
    p = _part(part_id)
    found: list[list[list[str]]] = []
    seen: dict[str, int] = {}
    index: dict[str, dict[str, dict[str, int]]] = {}
    for key, a, _ in _variant_inputs(p):
        for param in p.fields:
            for value in PROBES.get(param, ()):
                values = dict(a) | {param: value}
                built = p.build(values)
                ctx = _with_values(_ctx(p, values), built.values)
                findings = _findings(built, ctx)
                ident = json.dumps(findings)
                if ident not in seen:
                    seen[ident] = len(found)
                    found.append(findings)
                index.setdefault(key, {}).setdefault(param, {})[value] = seen[ident]
    return found, index


# --- putting the parts together (the page's script does exactly this) -------------------------

#: The order of the installer config's top-level keys (stack.installer_config's, then the CA).
YAML_ORDER = ("apiVersion", "metadata", "containerRegistry", "objectStorage", "database")


def assemble(outs: Sequence[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The page's outputs from the active parts' filled outputs, in part order."""
    by_id = dict(outs)
    comp = {c: next(o for pid, o in outs if pid.startswith(c + ":")) for c in COMPONENTS}
    kots = [[config.KOTS_GROUPS[_group(c)], comp[c]["kots"]] for c in COMPONENTS]
    sections: dict[str, str] = {}
    for c in COMPONENTS:
        for key, text in comp[c]["yaml"]:
            if key in sections and sections[key] != text:
                raise RuntimeError(f"builder: two parts write {key} differently")
            sections.setdefault(key, text)
    order = list(YAML_ORDER) + sorted(k for k in sections if k not in YAML_ORDER)
    yaml_text = "".join(sections[k] for k in order if k in sections)
    return {
        "kots": kots,
        "yaml": yaml_text,
        "secrets": [s for c in COMPONENTS for s in comp[c]["secrets"]]
        + [s for c in COMPONENTS for s in comp[c].get("extra_secrets", [])],
        "nothing": [n for c in COMPONENTS for n in comp[c]["nothing"]],
        "prereqs": [o["prereq"] for _, o in outs if o.get("prereq")],
        "findings": [f for c in COMPONENTS for f in comp[c].get("findings", [])],
        "parts": list(by_id),
    }


def _group(component: str) -> str:
    return {"registry": "container_registry", "storage": "storage", "database": "database"}[
        component
    ]


# --- the page's algorithm in Python -------------------------------------------------------------


@dataclass
class Result:
    #: One-line messages by field (``platform``, ``registry``, ``storage``, ``database`` or a
    #: field's parameter).
    errors: dict[str, str]
    outputs: dict[str, Any] | None
    #: The chosen registry is not supported (ECR): the page explains, and shows no outputs.
    unsupported: bool = False


def evaluate(state: Mapping[str, str]) -> Result:
    """Errors and outputs for a state (the address bar's parameters), from :func:`export`'s
    parts and specs alone, as the page's script computes them."""
    errors: dict[str, str] = {}

    def check(spec: validation.Spec, value: str, name: str, known_values: Sequence[str]) -> None:
        try:
            validation.run(spec, value, name, known_values)
        except RuleError as err:
            errors[name] = str(err)

    platform_id = state.get("platform", PLATFORMS[0].id)
    check(PLATFORM_SPEC, platform_id, "platform", builder_state.PLATFORM_IDS)
    if errors:
        return Result(errors, None)
    chosen = builder_state.platform(platform_id)
    options: dict[str, str] = {}
    for c in COMPONENTS:
        options[c] = state.get(c, chosen.options(c)[0])
        check(option_spec(chosen.id, c), options[c], c, chosen.options(c))
    if errors:
        return Result(errors, None)
    if not registry.provider(options["registry"]).supported:
        return Result(errors, None, unsupported=True)
    fields = builder_state.active_fields(options)
    values = {f.param: state.get(f.param, f.default) for f in fields}
    for f in fields:
        if f.kind == "check":
            check(CHECKBOX_SPEC, values[f.param], f.param, (YES, NO))
        elif f.param not in COMPOSED:
            assert f.spec is not None
            check(f.spec, values[f.param], f.param, known(f.items) if f.items else ())
    active = active_parts(options, values)
    outs: list[tuple[str, dict[str, Any]]] = []
    composed: dict[str, str] = {}
    for p in active:
        if any(param in errors for param in p.fields if param not in _checks(p)):
            continue  # its fields are flagged; a part is filled only from valid values
        # A flagged check box: the part's composed values do not depend on it (the export
        # proves it), so its default still composes them for their own checks.
        ticks = {c: FIELD_BY_PARAM[c].default for c in _checks(p) if c in errors}
        all_variants, index = variants(p.id)
        key = variant_key(p, values | ticks)
        variant = all_variants[index[key]]
        ctx = _ctx(p, values)
        built_values, out = materialize(variant, ctx)
        findings = variant.findings
        for param in p.fields:
            probe = probe_findings(p.id).get(key, {}).get(param, {})
            if values[param] in probe:
                findings = _probes(p.id)[0][probe[values[param]]]
        out["findings"] = fill_tree(findings, _with_values(ctx, built_values))
        composed |= {f"{p.id}/{k}": v for k, v in built_values.items()}
        outs.append((p.id, out))
    for param, (part_id, name) in COMPOSED.items():
        if param in values and f"{part_id}/{name}" in composed:
            spec = FIELD_BY_PARAM[param].spec
            assert spec is not None
            check(spec, composed[f"{part_id}/{name}"], param, ())
    for rule in distinct_rules():
        if errors:
            break
        if rule.part in [p.id for p in active] and values[rule.a] == values[rule.b]:
            errors[rule.b] = fill(rule.message, values)
    if errors:
        return Result(errors, None)
    return Result(errors, assemble(outs))


#: Fields whose spec checks a value the rules compose from them: (part, value name).
COMPOSED: dict[str, tuple[str, str]] = {"registry_path": ("registry:generic", "url")}


@dataclass(frozen=True)
class Distinct:
    """Two fields the rules refuse equal, where ``part`` applies, with the rules' message."""

    part: str
    a: str
    b: str
    message: str


@cache
def distinct_rules() -> tuple[Distinct, ...]:
    """The prerequisites refuse one bucket for both the registry and object storage: the
    message is the rules' own, for a sentinel, templated."""
    p = _part("aws_s3:both")
    values = _sample(p, 0)
    values["storage_bucket"] = values["registry_bucket"]
    try:
        p.build(values)
    except RuleError as err:
        message = str(err).replace(values["storage_bucket"], "{{storage_bucket}}")
        return (Distinct(p.id, "registry_bucket", "storage_bucket", message),)
    raise RuntimeError("builder: the rules now take one bucket for both: drop the rule")


# --- the proofs the export runs ---------------------------------------------------------------


def _combinations() -> Iterator[dict[str, str]]:
    """Every combination of options each platform offers, with each check box both ways, as a
    state with sentinel set A and each list's first item."""
    for plat in PLATFORMS:
        for opts in itertools.product(*(plat.options(c) for c in COMPONENTS)):
            options = dict(zip(COMPONENTS, opts, strict=True))
            if not registry.provider(options["registry"]).supported:
                continue
            fields = builder_state.active_fields(options)
            checks = [f.param for f in fields if f.kind == "check"]
            for ticks in itertools.product((YES, NO), repeat=len(checks)):
                state = {"platform": plat.id} | options
                for f in fields:
                    if f.kind == "text":
                        state[f.param] = SENTINELS[f.param][0]
                    elif f.kind == "select":
                        state[f.param] = known(f.items)[0]
                state |= dict(zip(checks, ticks, strict=True))
                yield state


def stack_outputs(state: Mapping[str, str]) -> dict[str, Any]:
    """What :mod:`gitpod_resources.stack` gives for a state: the oracle of :func:`assemble`."""
    reg = registry_setup(state["registry"], state)
    sto = storage_setup(state["storage"], state)
    db = database_setup(state["database"], state)
    s = stack.Stack(stack.Cloud.AWS, reg, sto, db)
    ca = state["registry"] == Option.GENERIC and state.get("private_ca") == YES
    doc = stack.installer_config(s) | (prerequisites.ca_config() if ca else {})
    secrets = stack.secret_commands(s) + ([prerequisites.ca_secret_command()] if ca else [])
    return {
        "kots": [[g, [list(r) for r in rows]] for g, rows in stack.kots_groups(s)],
        "yaml": config.to_yaml(doc),
        "secrets": secrets,
    }


def _prove_assembly() -> None:
    for state in _combinations():
        result = evaluate(state)
        assert result.outputs is not None, (state, result.errors)
        want = stack_outputs(state)
        got = {k: result.outputs[k] for k in want}
        if got != want:
            raise RuntimeError(f"builder: the parts put together differ from the stack: {state}")


# --- the document -----------------------------------------------------------------------------


class Pool:
    """Every template string once; the document refers to them by index."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self._index: dict[str, int] = {}

    def ref(self, tree: Any) -> Any:
        if isinstance(tree, str):
            if tree not in self._index:
                self._index[tree] = len(self.strings)
                self.strings.append(tree)
            return self._index[tree]
        if isinstance(tree, list):
            return [self.ref(x) for x in tree]
        if isinstance(tree, dict):
            return {k: self.ref(v) for k, v in tree.items()}
        return tree


def specs() -> tuple[validation.Spec, ...]:
    seen: dict[str, validation.Spec] = {}
    for s in (PLATFORM_SPEC, CHECKBOX_SPEC, prerequisites.PROJECT_SPEC):
        seen[s.name] = s
    for plat in PLATFORMS:
        for c in COMPONENTS:
            s = option_spec(plat.id, c)
            seen[s.name] = s
    for f in FIELDS:
        if f.spec is not None:
            seen.setdefault(f.spec.name, f.spec)
    return tuple(seen.values())


def _option_json(component: str, option: str) -> dict[str, Any]:
    if component == "registry":
        p = registry.provider(option)
        return {"name": p.name, "supported": p.supported}
    return {"name": OPTION_NAMES[f"{component}:{option}"], "supported": True}


#: The names the selects show for storage and database options (registry: the provider's).
OPTION_NAMES = {
    "storage:in-cluster": "In-cluster (MinIO)",
    "storage:s3": "Amazon S3",
    "storage:gcs": "Google Cloud Storage",
    "database:in-cluster": "In-cluster (MySQL)",
    "database:external": "MySQL you run or rent (Amazon RDS, your own server)",
    "database:cloudsql": "Google Cloud SQL for MySQL (through the installer's proxy)",
}
COMPONENT_LABELS = {
    "registry": "Container registry",
    "storage": "Object storage",
    "database": "Database",
}


@cache
def export() -> dict[str, Any]:
    """The whole document the page embeds (see the module docstring)."""
    _prove_assembly()
    pool = Pool()
    region_source, region_as_of = aws.data_source()
    ar_source, ar_as_of = gcp.ar_data_source()
    part_docs = {}
    for p in parts():
        found, index = variants(p.id)
        probes, probe_index = _probes(p.id)
        select = _select(p)
        part_docs[p.id] = {
            "fields": list(p.fields),
            "select": select.param if select else "",
            "checks": _checks(p),
            "optional": list(optional(p.id)),
            "when": {c: list(o) for c, o in p.when.items()},
            "requires": [p.requires[0], p.requires[1].name] if p.requires else None,
            "index": index,
            "variants": [
                {
                    "values": pool.ref(v.values),
                    "out": pool.ref(v.out),
                    "findings": pool.ref(v.findings),
                }
                for v in found
            ],
            "probes": {"findings": pool.ref(probes), "index": probe_index},
        }
    return {
        "sources": {
            "aws_regions": {"source": region_source, "as_of": region_as_of},
            "ar_locations": {"source": ar_source, "as_of": ar_as_of},
        },
        "whitespace": validation.WHITESPACE,
        "specs": {s.name: validation.spec_json(s) for s in specs()},
        "yaml_resolvers": [
            {"first": first, "empty": empty, "pattern": pattern}
            for first, empty, pattern in yaml_resolvers()
        ],
        "lists": {
            name: [
                {
                    "label": g.label,
                    "items": [
                        {"value": i.value, "label": i.label, "attrs": dict(i.attrs)}
                        for i in g.items
                    ],
                }
                for g in groups
            ]
            for name, groups in lists().items()
        },
        "fields": [
            {
                "param": f.param,
                "label": f.label,
                "kind": f.kind,
                "spec": f.spec.name if f.spec else CHECKBOX_SPEC.name,
                "items": f.items,
                "default": f.default,
                "control": f.control_id,
                "derived": {k: list(r) for k, r in DERIVED.get(f.param, {}).items()},
                "composed": list(COMPOSED[f.param]) if f.param in COMPOSED else None,
            }
            for f in FIELDS
        ],
        "platforms": [
            {"id": p.id, "name": p.name} | {c: list(p.options(c)) for c in COMPONENTS}
            for p in PLATFORMS
        ],
        "options": {c: {o: _option_json(c, o) for o in _offered(c)} for c in COMPONENTS},
        "option_fields": {k: list(v) for k, v in builder_state.OPTION_FIELDS.items()},
        "groups": {c: config.KOTS_GROUPS[_group(c)] for c in COMPONENTS},
        "yaml_order": list(YAML_ORDER),
        "parts": part_docs,
        "distinct": [
            {"part": d.part, "a": d.a, "b": d.b, "message": pool.ref(d.message)}
            for d in distinct_rules()
        ],
        "pool": pool.strings,
    }


def data_json() -> str:
    """The document as JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(export(), ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


#: Where a build keeps the document between builds (gitignored), under a key of everything it
#: is computed from: computing it runs the rules and the checker a few hundred times (about
#: 0.7 s of CPU), and it changes only with them.
CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "builder-export"
_CACHE_SOURCES = (
    "gitpod_resources",
    "macros/builder.py",
    "macros/builder_state.py",
    "macros/render.py",
)


def _cache_key() -> str:
    root = CACHE_DIR.parent.parent
    digest = hashlib.sha256()
    for name in _CACHE_SOURCES:
        top = root / name
        files = sorted(top.rglob("*")) if top.is_dir() else [top]
        for path in files:
            if path.is_file() and path.suffix in {".py", ".json", ".yaml", ".yml", ".txt"}:
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    # The checker's findings depend on the day (REG214 after Container Registry's shutdown),
    # the YAML on the emitter.
    extra = [date.today().isoformat(), sys.version, yaml.__version__, str(yaml.__with_libyaml__)]
    digest.update("\0".join(extra).encode())
    return digest.hexdigest()[:32]


def cached_data_json() -> str:
    """:func:`data_json`, from the cache when nothing it is computed from has changed."""
    path = CACHE_DIR / f"{_cache_key()}.json"
    try:
        return path.read_text(encoding="ascii")
    except OSError:
        pass
    text = data_json()
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for old in CACHE_DIR.glob("*.json"):
            old.unlink(missing_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="ascii")
        tmp.replace(path)
    except OSError:
        pass  # a read-only tree builds all the same
    return text


# --- the page's HTML (the script only toggles and fills it) -----------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _select_html(
    control: str, name: str, options: Sequence[tuple[str, str]], described: str
) -> str:
    opts = "".join(f'<option value="{_e(v)}">{_e(label)}</option>' for v, label in options)
    return f'<select id="{control}" name="{name}" aria-describedby="{described}">{opts}</select>'


def _field_html(f: Field) -> str:
    cid = f.control_id
    described = f"{cid}-help {cid}-error"
    attrs = f'id="{cid}" name="{_e(f.param)}" aria-describedby="{described}"'
    if f.kind == "check":
        control = f'<input type="checkbox" {attrs}><label for="{cid}">{_e(f.label)}</label>'
        help_text = CHECK_HELP[f.param]
        return (
            f'<div class="gp-builder__field gp-builder__check" data-param="{f.param}" hidden>'
            f'{control}<p class="gp-builder__help" id="{cid}-help">{_e(help_text)}</p>'
            f'<p class="gp-builder__error" id="{cid}-error"></p></div>'
        )
    if f.items:
        groups = []
        for g in lists()[f.items]:
            opts = "".join(f'<option value="{_e(i.value)}">{_e(i.label)}</option>' for i in g.items)
            groups.append(f'<optgroup label="{_e(g.label)}">{opts}</optgroup>' if g.label else opts)
        count = sum(len(g.items) for g in lists()[f.items])
        control = (
            f'<select {attrs}><option value="">Choose one of {count}</option>'
            f"{''.join(groups)}</select>"
        )
        help_text = f"{count} choices, from the data the whole guide is computed from."
    else:
        control = (
            f'<input type="text" {attrs} value="{_e(f.default)}" autocomplete="off" '
            'autocapitalize="none" spellcheck="false">'
        )
        assert f.spec is not None
        help_text = f"Expected: {f.spec.form}."
        if f.param in COMPOSED:
            help_text = (
                f"The registry URL is the host, then this path. Expected of the URL: {f.spec.form}."
            )
    return (
        f'<div class="gp-builder__field" data-param="{f.param}" hidden>'
        f'<label for="{cid}">{_e(f.label)}</label>{control}'
        f'<p class="gp-builder__help" id="{cid}-help">{_e(help_text)}</p>'
        f'<p class="gp-builder__error" id="{cid}-error"></p></div>'
    )


CHECK_HELP = {
    "private_ca": "Adds customCACert, the secret holding your CA's certificate, and makes the "
    "Harbor commands trust it.",
    "db_ca": "Adds database.ssl.caCert (2022.11.1 and later): Gitpod then verifies the server's "
    "certificate and its name.",
}


def form_html() -> str:
    """The form: platform, the three components, then every field (the script shows those the
    chosen options use)."""
    first = PLATFORMS[0]
    parts_html = [
        '<form class="gp-builder" id="gp-builder" novalidate data-search-exclude>',
        '<div class="gp-builder__field"><label for="gp-platform">Platform</label>',
        _select_html(
            "gp-platform", "platform", [(p.id, p.name) for p in PLATFORMS], "gp-platform-error"
        ),
        '<p class="gp-builder__error" id="gp-platform-error"></p></div>',
    ]
    for c in COMPONENTS:
        options = [(o, _option_json(c, o)["name"]) for o in first.options(c)]
        parts_html += [
            f'<div class="gp-builder__field"><label for="gp-{c}">{COMPONENT_LABELS[c]}</label>',
            _select_html(f"gp-{c}", c, options, f"gp-{c}-error"),
            f'<p class="gp-builder__error" id="gp-{c}-error"></p></div>',
        ]
    parts_html += [_field_html(f) for f in FIELDS]
    parts_html.append("</form>")
    return "".join(parts_html)


def _code_block(code_id: str, lang: str, text: str, what: str) -> str:
    """A code block with its own copy button, and none of Material's (``no-copy``): Material
    mounts its buttons on blocks once it sees them, and the builder fills and replaces its
    blocks at any time."""
    button = (
        '<button type="button" class="gp-builder__copy" title="Copy to clipboard" '
        f'aria-label="Copy {_e(what)}" data-clipboard-text="{_e(text.rstrip(chr(10)))}"></button>'
    )
    ident = f' id="{code_id}"' if code_id else ""
    return (
        f'<div class="language-{lang} highlight gp-builder__block no-copy"><pre>{button}'
        f'<code{ident} tabindex="0">{_e(text)}</code></pre></div>'
    )


def outputs_html() -> str:
    """The outputs, empty (the script fills them): the checker's warnings, what to create
    first, then content tabs in the site's markup (pymdownx.tabbed, alternate style)."""
    labels = render.TAB_LABELS
    inputs = "".join(
        f'<input {"checked " if n == 1 else ""}id="gp-tab-{n}" name="gp-tabs" type="radio">'
        for n in range(1, len(labels) + 1)
    )
    label_html = "".join(
        f'<label for="gp-tab-{n}">{_e(t)}</label>' for n, t in enumerate(labels, 1)
    )
    return "".join(
        [
            '<div class="gp-builder-output" id="gp-builder-output" hidden data-search-exclude>',
            '<div class="admonition warning" id="gp-out-warnings" hidden>',
            '<p class="admonition-title">What <code>gitpod-resources check</code> warns about '
            "this configuration</p>",
            '<ul id="gp-out-findings"></ul></div>',
            '<h2 id="gp-before">Before you install</h2>',
            '<p id="gp-out-prereq-lead">Run these in one shell, in order: each block sets or reads '
            "the variables of the ones before, and the secret commands read them too.</p>",
            '<div id="gp-out-prereqs"></div>',
            '<h2 id="gp-config">Your configuration</h2>',
            f'<div class="tabbed-set tabbed-alternate" data-tabs="gp:{len(labels)}">{inputs}',
            f'<div class="tabbed-labels">{label_html}</div><div class="tabbed-content">',
            '<div class="tabbed-block" id="gp-out-kots"></div>',
            f'<div class="tabbed-block"><p>In <code>{_e(config.CONFIG_FILE)}</code>:</p>',
            _code_block("gp-out-yaml", "yaml", "", "the installer config"),
            "</div>",
            '<div class="tabbed-block"><p>The secret commands create each secret in Gitpod\'s '
            "namespace; set it first:</p>",
            _code_block("", "bash", config.namespace_snippet(), "the namespace line"),
            '<div id="gp-out-secrets"></div></div>',
            "</div></div></div>",
        ]
    )


def data_script() -> str:
    return f'<script type="application/json" id="{DATA_ELEMENT_ID}">{cached_data_json()}</script>'
