"""Data for the configuration builder page: lists, validation specs and output templates.

The page's script applies what :func:`export` computes at build time and nothing else: it checks
inputs with the exported specs (:mod:`gitpod_resources.validation`), picks the list items (regions
with their S3 endpoints, Artifact Registry locations with their hosts) and fills the exported
templates. The templates are not written by hand: each is the rules' own output for sentinel inputs
with the sentinels turned into ``{{name}}`` placeholders, and the export refuses to finish unless
filling them reproduces the rules' output for every list item.
"""

from __future__ import annotations

import dataclasses
import html
import inspect
import itertools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from gitpod_resources import aws, config, gcp, goyaml, registry, validation
from gitpod_resources.errors import RuleError
from gitpod_resources.registry import Option, RegistrySetup
from macros import render

#: The element id of the embedded JSON document.
DATA_ELEMENT_ID = "gp-builder-data"

PLACEHOLDER = re.compile(r"\{\{([a-z.]+)\}\}")


@dataclass(frozen=True)
class Field:
    """One input of the form: a parameter of the rule that composes the option."""

    param: str
    label: str
    spec: validation.Spec
    #: The list a select offers (a key of :func:`lists`); empty for a text input.
    items: str = ""
    #: The spec checks this composed value (a setup value such as "url"), not the input.
    composed: str = ""
    #: Forms of the input the rules write elsewhere, by name: (text, replacement) applied to
    #: the input; templates refer to them as ``{{param.name}}``.
    derived: tuple[tuple[str, tuple[str, str]], ...] = ()

    @property
    def control_id(self) -> str:
        return "gp-" + self.spec.name.replace("_", "-")


COMPOSERS: dict[Option, Callable[..., RegistrySetup]] = {
    Option.IN_CLUSTER: registry.in_cluster,
    Option.IN_CLUSTER_S3: registry.in_cluster_s3,
    Option.GCR: registry.gcr,
    Option.GAR: registry.gar,
    Option.GENERIC: registry.generic,
}

#: A domain-scoped project ID's colon becomes a slash in registry paths (gcp.project_path).
_PROJECT = Field(
    "project",
    "GCP project ID",
    validation.GCP_PROJECT,
    derived=(("path", gcp.PROJECT_PATH_REPLACE),),
)

#: The fields each option asks for, in the order the form shows them.
FORMS: dict[Option, tuple[Field, ...]] = {
    Option.IN_CLUSTER: (),
    Option.IN_CLUSTER_S3: (
        Field("region", "AWS region of the bucket", aws.REGION_SPEC, items="aws_regions"),
        Field("bucket", "S3 bucket name", validation.S3_BUCKET),
    ),
    Option.GCR: (
        Field("host", "Container Registry host", gcp.GCR_HOST_SPEC, items="gcr_hosts"),
        _PROJECT,
    ),
    Option.GAR: (
        Field("location", "Artifact Registry location", gcp.LOCATION_SPEC, items="ar_locations"),
        _PROJECT,
        Field("repository", "Repository name", validation.AR_REPOSITORY),
    ),
    Option.GENERIC: (
        Field("host", "Registry host", registry.GENERIC_HOST_SPEC),
        Field(
            "path", "Path below the host (may be empty)", validation.REGISTRY_URL, composed="url"
        ),
    ),
    Option.ECR: (),
}

#: Valid, unmistakable stand-ins for typed inputs, replaced by placeholders in the templates.
SENTINELS = {
    "bucket": "gpzqbucket",
    # Domain-scoped, so the templates tell the ID from its path form (project.path).
    "project": "gpzqdomain.example:gpzqproject",
    "repository": "gpzqrepository",
    "host": "gpzqhost.example",
    "path": "gpzqpath",
}


# --- lists -------------------------------------------------------------------------------------


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
    return {"aws_regions": regions, "ar_locations": ar, "gcr_hosts": gcr}


def known(name: str) -> tuple[str, ...]:
    return tuple(i.value for g in lists()[name] for i in g.items)


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


def _templatize(text: str, ctx: Mapping[str, str]) -> str:
    """Replace every occurrence of a context value by its placeholder, longest value first."""
    pairs = sorted(((v, k) for k, v in ctx.items() if v), key=lambda p: -len(p[0]))
    if not pairs:
        return text
    names = dict(pairs)
    alternation = re.compile("|".join(re.escape(v) for v, _ in pairs))
    return alternation.sub(lambda m: "{{" + names[m.group(0)] + "}}", text)


# --- templates --------------------------------------------------------------------------------


def setup_values(setup: RegistrySetup) -> dict[str, str]:
    """The values of a setup the outputs depend on, by name."""
    out = {"url": setup.url, "server": setup.server}
    if setup.s3 is not None:
        out |= {"bucket": setup.s3.bucket, "region": setup.s3.region, "endpoint": setup.s3.endpoint}
    return {k: v for k, v in out.items() if v is not None}


@dataclass(frozen=True)
class Outputs:
    kots: tuple[tuple[str, str], ...]
    yaml: str
    command: str | None
    #: The secret the Secret tab names when there is no command.
    note_secret: str | None


def outputs(setup: RegistrySetup) -> Outputs:
    """What the rules render for a setup: the oracle every template must reproduce."""
    command = config.secret_command(setup)
    return Outputs(
        tuple(config.kots_fields(setup)),
        config.installer_yaml(setup),
        command,
        setup.secret if command is None else None,
    )


def fill_outputs(tmpl: Outputs, values: Mapping[str, str]) -> Outputs:
    return Outputs(
        tuple((t, fill(v, values)) for t, v in tmpl.kots),
        fill(tmpl.yaml, values, yaml_values=True),
        None if tmpl.command is None else fill(tmpl.command, values),
        tmpl.note_secret,
    )


def derive(value: str, replace: tuple[str, str]) -> str:
    """A derived form of an input (:attr:`Field.derived`), as the page computes it."""
    return value.replace(*replace)


def _derived_ctx(fields: Sequence[Field], inputs: Mapping[str, str]) -> dict[str, str]:
    return {
        f"{f.param}.{name}": derive(inputs[f.param], replace)
        for f in fields
        if f.param in inputs
        for name, replace in f.derived
    }


def _item_ctx(field: Field | None, item: Item | None) -> dict[str, str]:
    if field is None or item is None:
        return {}
    return {field.param: item.value} | {f"{field.param}.{k}": v for k, v in item.attrs.items()}


def _defaults(option: Option) -> dict[str, str]:
    if option not in COMPOSERS:
        return {}
    params = inspect.signature(COMPOSERS[option]).parameters
    return {n: p.default for n, p in params.items() if isinstance(p.default, str)}


def _optional(option: Option, fields: Sequence[Field]) -> list[str]:
    """Text inputs the rule accepts empty (the generic registry's path)."""
    out = []
    for f in fields:
        if f.items:
            continue
        inputs = _sample_inputs(fields) | {f.param: ""}
        try:
            COMPOSERS[option](**inputs)
        except RuleError:
            continue
        out.append(f.param)
    return out


def _sample_inputs(fields: Sequence[Field]) -> dict[str, str]:
    out = {}
    for f in fields:
        out[f.param] = known(f.items)[0] if f.items else SENTINELS[f.param]
    return out


@dataclass(frozen=True)
class Variant:
    """Setup-value templates for one set of empty optional inputs."""

    empty: tuple[str, ...]
    values: dict[str, str]


def _variants(option: Option) -> list[Variant]:
    """Setup-value templates, checked against the rules for every list item."""
    fields = FORMS[option]
    select = next((f for f in fields if f.items), None)
    items: list[Item | None] = (
        [i for g in lists()[select.items] for i in g.items] if select else [None]
    )
    sample = max(items, key=lambda i: len(i.value) if i else 0)
    optional = _optional(option, fields)
    out = []
    for n in range(len(optional) + 1):
        for empty in itertools.combinations(optional, n):
            base = {f.param: SENTINELS[f.param] for f in fields if not f.items}
            base |= dict.fromkeys(empty, "")

            def ctx_for(item: Item | None, base: dict[str, str] = base) -> dict[str, str]:
                return base | _derived_ctx(fields, base) | _item_ctx(select, item)

            def compose(item: Item | None, base: dict[str, str] = base) -> dict[str, str]:
                inputs = base | ({select.param: item.value} if select and item else {})
                return setup_values(COMPOSERS[option](**inputs))

            ctx = ctx_for(sample)
            templates = {k: _templatize(v, ctx) for k, v in compose(sample).items()}
            for item in items:
                got = {k: fill(t, ctx_for(item)) for k, t in templates.items()}
                if got != compose(item):
                    raise RuntimeError(f"builder: {option} templates miss {item}: {got}")
            out.append(Variant(empty, templates))
    return out


def _output_templates(option: Option) -> Outputs:
    """Output templates: the rules' outputs for a setup whose values are sentinels."""
    setup = COMPOSERS[option](**_sample_inputs(FORMS[option]))
    names = setup_values(setup)
    sentinel = {k: f"zzgp{k}zz" for k in names}
    s3 = setup.s3
    if s3 is not None:
        s3 = dataclasses.replace(
            s3, bucket=sentinel["bucket"], region=sentinel["region"], endpoint=sentinel["endpoint"]
        )
    fake = dataclasses.replace(setup, url=sentinel.get("url"), server=sentinel.get("server"), s3=s3)
    real = outputs(fake)
    for text in (real.yaml, real.command or "", *(v for _, v in real.kots)):
        if "{{" in text:
            raise RuntimeError(f"builder: {option} output holds '{{{{': cannot template it")
    tmpl = Outputs(
        tuple((t, _templatize(v, sentinel)) for t, v in real.kots),
        _templatize(real.yaml, sentinel),
        None if real.command is None else _templatize(real.command, sentinel),
        real.note_secret,
    )
    for line in tmpl.yaml.splitlines():
        if "{{" in line and not re.fullmatch(r" *[A-Za-z]+: \{\{[a-z.]+\}\}", line):
            raise RuntimeError(f"builder: {option} YAML placeholder is not a whole value: {line}")
    return tmpl


def _check_every_item(option: Option, variants: Sequence[Variant], tmpl: Outputs) -> None:
    """The export's proof: templates filled for each item equal the rules' own outputs."""
    fields = FORMS[option]
    select = next((f for f in fields if f.items), None)
    items: Iterable[Item | None] = (
        [i for g in lists()[select.items] for i in g.items] if select else [None]
    )
    for item, variant in itertools.product(items, variants):
        inputs = {f.param: SENTINELS[f.param] for f in fields if not f.items}
        inputs |= dict.fromkeys(variant.empty, "")
        ctx = inputs | _derived_ctx(fields, inputs) | _item_ctx(select, item)
        if select and item:
            inputs[select.param] = item.value
        values = {k: fill(t, ctx) for k, t in variant.values.items()}
        want = outputs(COMPOSERS[option](**inputs))
        if fill_outputs(tmpl, values) != want:
            raise RuntimeError(f"builder: {option} outputs differ for {inputs}")


# --- the document --------------------------------------------------------------------------


def _field_json(option: Option, f: Field) -> dict[str, Any]:
    return {
        "param": f.param,
        "label": f.label,
        "spec": f.spec.name,
        "items": f.items,
        "composed": f.composed,
        "derived": {name: list(replace) for name, replace in f.derived},
        "control": f.control_id,
        "default": _defaults(option).get(f.param, ""),
    }


def _outputs_json(o: Outputs) -> dict[str, Any]:
    return {
        "kots": [list(row) for row in o.kots],
        "yaml": o.yaml,
        "command": o.command,
        "note": None
        if o.note_secret is None
        else {
            "before": render.IN_CLUSTER_SECRET_NOTE[0],
            "secret": o.note_secret,
            "after": render.IN_CLUSTER_SECRET_NOTE[1],
        },
    }


def specs() -> tuple[validation.Spec, ...]:
    seen: dict[str, validation.Spec] = {registry.OPTION_SPEC.name: registry.OPTION_SPEC}
    for fields in FORMS.values():
        for f in fields:
            seen.setdefault(f.spec.name, f.spec)
    return tuple(seen.values())


@cache
def export() -> dict[str, Any]:
    """The whole document the page embeds (see the module docstring)."""
    region_source, region_as_of = aws.data_source()
    ar_source, ar_as_of = gcp.ar_data_source()
    options = []
    for p in sorted(registry.PROVIDERS, key=lambda p: list(Option).index(p.option)):
        entry: dict[str, Any] = {
            "id": p.option.value,
            "name": p.name,
            "supported": p.supported,
            "why": p.why,
            "fields": [_field_json(p.option, f) for f in FORMS[p.option]],
        }
        if p.option in COMPOSERS:
            variants = _variants(p.option)
            tmpl = _output_templates(p.option)
            _check_every_item(p.option, variants, tmpl)
            entry["variants"] = [{"empty": list(v.empty), "values": v.values} for v in variants]
            entry["outputs"] = _outputs_json(tmpl)
        options.append(entry)
    return {
        "sources": {
            "aws_regions": {"source": region_source, "as_of": region_as_of},
            "ar_locations": {"source": ar_source, "as_of": ar_as_of},
        },
        "tabs": list(render.TAB_LABELS),
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
        "options": options,
    }


def data_json() -> str:
    """The document as JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(export(), ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- the page's HTML (the script only toggles and fills it) -----------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _field_html(f: Field, options: Sequence[str], default: str) -> str:
    cid = f.control_id
    described = f"{cid}-help {cid}-error"
    attrs = (
        f'id="{cid}" name="{_e(f.param)}" aria-describedby="{described}" '
        f'data-spec="{_e(f.spec.name)}" data-param="{_e(f.param)}"'
    )
    if f.items:
        groups = []
        for g in lists()[f.items]:
            opts = "".join(f'<option value="{_e(i.value)}">{_e(i.label)}</option>' for i in g.items)
            groups.append(f'<optgroup label="{_e(g.label)}">{opts}</optgroup>' if g.label else opts)
        choose = (
            f'<option value="">Choose one of {sum(len(g.items) for g in lists()[f.items])}</option>'
        )
        control = f"<select {attrs}>{choose}{''.join(groups)}</select>"
        count = sum(len(g.items) for g in lists()[f.items])
        help_text = f"{count} choices, from the data the whole guide is computed from."
    else:
        control = (
            f'<input type="text" {attrs} value="{_e(default)}" autocomplete="off" '
            'autocapitalize="none" spellcheck="false">'
        )
        help_text = f"Expected: {f.spec.form}."
        if f.composed:
            help_text = (
                f"The registry URL is the host, then this path. Expected of the URL: {f.spec.form}."
            )
    return (
        f'<div class="gp-builder__field" data-options="{_e(" ".join(options))}" hidden>'
        f'<label for="{cid}">{_e(f.label)}</label>{control}'
        f'<p class="gp-builder__help" id="{cid}-help">{_e(help_text)}</p>'
        f'<p class="gp-builder__error" id="{cid}-error"></p></div>'
    )


def form_html() -> str:
    """The form: the option, then every field of every option (the script shows the chosen)."""
    doc = export()
    opts = "".join(
        f'<option value="{_e(o["id"])}">{_e(o["name"])}'
        f"{'' if o['supported'] else ' (not supported: see why)'}</option>"
        for o in doc["options"]
    )
    parts = [
        '<form class="gp-builder" id="gp-builder" novalidate data-search-exclude>',
        '<div class="gp-builder__field"><label for="gp-option">Container registry</label>',
        f'<select id="gp-option" name="option" aria-describedby="gp-option-error">{opts}</select>',
        '<p class="gp-builder__error" id="gp-option-error"></p></div>',
    ]
    controls: dict[str, tuple[Field, list[str], str]] = {}
    for option, fields in FORMS.items():
        for f in fields:
            entry = controls.setdefault(f.control_id, (f, [], _defaults(option).get(f.param, "")))
            entry[1].append(option.value)
    parts += [_field_html(f, options, default) for f, options, default in controls.values()]
    parts.append("</form>")
    return "".join(parts)


def outputs_html() -> str:
    """Content tabs in the site's markup (pymdownx.tabbed, alternate style) with empty outputs.

    The static content is the first option's output, so the page shows a real configuration
    before the script runs.
    """
    doc = export()
    first = doc["options"][0]
    out = first["outputs"]
    labels = render.TAB_LABELS
    inputs = "".join(
        f'<input {"checked " if n == 1 else ""}id="gp-tab-{n}" name="gp-tabs" type="radio">'
        for n in range(1, len(labels) + 1)
    )
    label_html = "".join(
        f'<label for="gp-tab-{n}">{_e(t)}</label>' for n, t in enumerate(labels, 1)
    )
    rows = "".join(
        f"<tr><td><strong>{_e(t)}</strong></td><td><code>{_e(v)}</code></td></tr>"
        for t, v in out["kots"]
    )
    note = out["note"]
    note_html = (
        f"{_e(note['before'])}<code>{_e(note['secret'])}</code>{_e(note['after'])}" if note else ""
    )
    return "".join(
        [
            '<div class="gp-builder-output" id="gp-builder-output" data-search-exclude>',
            f'<div class="tabbed-set tabbed-alternate" data-tabs="gp:{len(labels)}">{inputs}',
            f'<div class="tabbed-labels">{label_html}</div><div class="tabbed-content">',
            '<div class="tabbed-block"><table><thead><tr><th>Field</th><th>Value</th></tr>',
            f'</thead><tbody id="gp-out-kots">{rows}</tbody></table></div>',
            f'<div class="tabbed-block"><p>In <code>{_e(config.CONFIG_FILE)}</code>:</p>',
            '<div class="language-yaml highlight"><pre><code id="gp-out-yaml">',
            f"{_e(out['yaml'])}</code></pre></div></div>",
            '<div class="tabbed-block">',
            '<div class="language-bash highlight" id="gp-out-command-block"',
            f'{"" if out["command"] else " hidden"}><pre><code id="gp-out-command">',
            f"{_e(out['command'] or '')}</code></pre></div>",
            f'<p id="gp-out-note"{" hidden" if not note else ""}>{note_html}</p></div>',
            "</div></div></div>",
        ]
    )


def data_script() -> str:
    return f'<script type="application/json" id="{DATA_ELEMENT_ID}">{data_json()}</script>'


# --- what the page's script does, in Python (for the tests) ----------------------------------


def evaluate(option_id: str, inputs: Mapping[str, str]) -> tuple[dict[str, str], Outputs | None]:
    """Errors by parameter and the outputs, computed from :func:`export` alone, as the page does.

    Tests hold this against the rules for arbitrary inputs, and the browser against the rules
    for samples: if the export missed a rule, one of them fails.
    """
    doc = export()
    options = {o["id"]: o for o in doc["options"]}
    errors: dict[str, str] = {}

    def check(spec: str, value: str, field: str, known_values: Sequence[str]) -> None:
        try:
            validation.run(_specs_by_name()[spec], value, field, known_values)
        except RuleError as err:
            errors[field] = str(err)

    if option_id not in options:
        check("option", option_id, "option", list(options))
        return errors, None
    option = options[option_id]
    if not option["supported"]:
        return errors, None
    for f in option["fields"]:
        if not f["composed"]:
            check(
                f["spec"], inputs[f["param"]], f["param"], known(f["items"]) if f["items"] else ()
            )
    if errors:
        return errors, None
    optional = {p for v in option["variants"] for p in v["empty"]}
    empty = sorted(
        f["param"] for f in option["fields"] if f["param"] in optional and not inputs[f["param"]]
    )
    variant = next(v for v in option["variants"] if sorted(v["empty"]) == empty)
    ctx: dict[str, str] = {}
    for f in option["fields"]:
        ctx[f["param"]] = inputs[f["param"]]
        for name, (old, new) in f["derived"].items():
            ctx[f"{f['param']}.{name}"] = derive(inputs[f["param"]], (old, new))
        if f["items"]:
            item = next(
                i for g in lists()[f["items"]] for i in g.items if i.value == ctx[f["param"]]
            )
            for k, v in item.attrs.items():
                ctx[f"{f['param']}.{k}"] = v
    values = {k: fill(t, ctx) for k, t in variant["values"].items()}
    for f in option["fields"]:
        if f["composed"]:
            check(f["spec"], values[f["composed"]], f["param"], ())
    if errors:
        return errors, None
    out = option["outputs"]
    tmpl = Outputs(
        tuple((t, v) for t, v in out["kots"]),
        out["yaml"],
        out["command"],
        out["note"]["secret"] if out["note"] else None,
    )
    return errors, fill_outputs(tmpl, values)


@cache
def _specs_by_name() -> dict[str, validation.Spec]:
    return {s.name: s for s in specs()}
