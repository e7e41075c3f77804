"""Declarative input checks: an ordered list of checks per field, run here and in the browser.

The first failing check raises :class:`RuleError` with the spec's allowed form (or the check's
own) and the check's hint. :func:`export` writes the specs as JSON for the configuration
builder page, whose script applies them with the same semantics, so the page shows the exact
one-line message Python gives for the same input.

Patterns use only regex syntax that Python ``re`` and JavaScript (flag ``u``) read alike: no
``\\d``, ``\\s``, ``\\w``, ``\\b``, ``$`` or named groups. They are always applied as full
matches (Python ``re.fullmatch``, JavaScript ``^(?:...)$``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .errors import RuleError

Kind = Literal[
    "required",  # fail on the empty string
    "length",  # fail unless min_len <= code points <= max_len
    "fullmatch",  # fail unless the pattern matches the whole subject
    "reject",  # fail if the pattern matches the whole subject
    "contains",  # fail if the literal occurs in the subject
    "prefix",  # fail if the subject starts with the literal
    "suffix",  # fail if the subject ends with the literal
    "lowercase",  # fail if lowering changes the subject and the lowered form fullmatches
    "lowercase_known",  # fail if lowering changes the subject and the lowered form is known
    "known",  # accept (stop checking) if the subject is one of the known values
    "accept",  # accept (stop checking) if the pattern matches the whole subject
    "fail",  # always fail
]
#: What a check looks at: the value, the part before the first "/", or before the first ":".
Subject = Literal["value", "before_slash", "before_colon"]

#: Every character Python's ``str.strip()`` removes (``str.isspace()``), as a regex class body.
#: A literal: scanning all code points at import cost half a second of every build; the test
#: ``test_whitespace_is_every_space_character`` does that scan and holds this to it.
WHITESPACE = (
    "\\u0009\\u000a\\u000b\\u000c\\u000d\\u001c\\u001d\\u001e\\u001f\\u0020\\u0085\\u00a0"
    "\\u1680\\u2000\\u2001\\u2002\\u2003\\u2004\\u2005\\u2006\\u2007\\u2008\\u2009\\u200a"
    "\\u2028\\u2029\\u202f\\u205f\\u3000"
)
_ANY = r"[\s\S]"


@dataclass(frozen=True)
class Check:
    kind: Kind
    pattern: str = ""
    literal: str = ""
    min_len: int = 0
    max_len: int = 0
    #: Shown in parentheses; may name {length}, {lower}, {bad} or {close}.
    hint: str = ""
    #: Replaces the spec's allowed form in the message when set.
    allowed: str = ""
    subject: Subject = "value"
    #: The message names the subject (for example the host part) instead of the whole value.
    report_subject: bool = False
    #: For {bad}: a one-character class; the hint lists the subject's characters in it.
    bad_chars: str = ""
    #: The hint when ``bad_chars`` finds nothing.
    hint_if_none_bad: str = ""
    #: A pattern searched (all matches, left to right) in the lowered subject; the first match
    #: that is a known value becomes {found} and the hint is ``hint_if_found``.
    extract: str = ""
    hint_if_found: str = ""


#: The hint of a length check: how many characters the value has.
LENGTH_HINT = "it has {length} characters"


def length(min_len: int, max_len: int) -> Check:
    """Fails unless the value has ``min_len``-``max_len`` characters, saying how many it has."""
    return Check("length", min_len=min_len, max_len=max_len, hint=LENGTH_HINT)


def characters(pattern: str, bad_chars: str, if_none_bad: str = "") -> Check:
    """Fails unless ``pattern`` matches the whole value, naming the characters of the value that
    ``bad_chars`` (a one-character class) matches, or saying ``if_none_bad`` when there are none
    (the characters are allowed, but not where they are)."""
    return Check(
        "fullmatch",
        pattern=pattern,
        hint="not allowed: {bad}",
        bad_chars=bad_chars,
        hint_if_none_bad=if_none_bad,
    )


@dataclass(frozen=True)
class Closest:
    """How {close} is computed: ``difflib.get_close_matches`` over the known values."""

    #: Strip surrounding whitespace and lowercase the value before comparing.
    normalize: bool
    none: str
    found: str = "closest known: "
    n: int = 3
    cutoff: float = 0.6
    #: Characters removed from the end after normalizing (``str.rstrip``).
    rstrip: str = ""
    #: When nothing reaches ``cutoff``, the closest by this cutoff instead (0.0: always some).
    fallback_cutoff: float | None = None


@dataclass(frozen=True)
class Spec:
    name: str
    #: The allowed form every message names, e.g. "3-63 characters: ...".
    form: str
    checks: tuple[Check, ...]
    closest: Closest | None = None
    #: The hint for a value that is not text at all; may name {type}.
    not_text_hint: str = ""


# --- running a spec --------------------------------------------------------------------------


def _subject(check: Check, value: str) -> str:
    if check.subject == "before_slash":
        return value.partition("/")[0]
    if check.subject == "before_colon":
        return value.partition(":")[0]
    return value


def _fails(check: Check, s: str, known: Sequence[str]) -> bool | None:
    """True: the check fails; False: it passes; None: the value is accepted outright."""
    k = check.kind
    if k == "required":
        return not s
    if k == "length":
        return not check.min_len <= len(s) <= check.max_len
    if k == "fullmatch":
        return re.fullmatch(check.pattern, s) is None
    if k == "reject":
        return re.fullmatch(check.pattern, s) is not None
    if k == "contains":
        return check.literal in s
    if k == "prefix":
        return s.startswith(check.literal)
    if k == "suffix":
        return s.endswith(check.literal)
    if k == "lowercase":
        return s.lower() != s and re.fullmatch(check.pattern, s.lower()) is not None
    if k == "lowercase_known":
        return s.lower() != s and s.lower() in known
    if k == "known":
        return None if s in known else False
    if k == "accept":
        return None if re.fullmatch(check.pattern, s) is not None else False
    return True  # "fail"


def close_matches(word: str, known: Sequence[str], closest: Closest) -> list[str]:
    if closest.normalize:
        word = word.strip().lower()
    if closest.rstrip:
        word = word.rstrip(closest.rstrip)
    close = difflib.get_close_matches(word, list(known), n=closest.n, cutoff=closest.cutoff)
    if not close and closest.fallback_cutoff is not None:
        close = difflib.get_close_matches(word, list(known), closest.n, closest.fallback_cutoff)
    return close


def _hint(spec: Spec, check: Check, s: str, known: Sequence[str]) -> str:
    hint = check.hint
    if check.extract:
        found = [m for m in re.findall(check.extract, s.lower()) if m in known]
        if found:
            return check.hint_if_found.replace("{found}", repr(found[0]))
    if check.bad_chars:
        bad = sorted({c for c in s if re.fullmatch(check.bad_chars, c)})
        if not bad:
            return check.hint_if_none_bad
        hint = hint.replace("{bad}", " ".join(repr(c) for c in bad))
    if "{close}" in hint:
        assert spec.closest is not None, f"{spec.name}: {{close}} without a Closest"
        close = close_matches(s, known, spec.closest)
        text = spec.closest.found + ", ".join(close) if close else spec.closest.none
        hint = hint.replace("{close}", text)
    return hint.replace("{length}", str(len(s))).replace("{lower}", repr(s.lower()))


def run(spec: Spec, value: object, field: str, known: Sequence[str] = ()) -> str:
    """Return ``value`` if it passes ``spec``, else raise the first failing check's RuleError."""
    if not isinstance(value, str):
        hint = spec.not_text_hint.replace("{type}", type(value).__name__)
        raise RuleError(field, value, spec.form, hint)
    for check in spec.checks:
        s = _subject(check, value)
        outcome = _fails(check, s, known)
        if outcome is None:
            return value
        if outcome:
            shown = s if check.report_subject else value
            raise RuleError(field, shown, check.allowed or spec.form, _hint(spec, check, s, known))
    return value


def literal(text: str) -> str:
    """``text`` as a pattern matching itself, escaped the way both languages read it.

    (``re.escape`` also escapes ``-``, which JavaScript rejects outside a class under flag ``u``.)
    """
    return re.sub(r"([\\^$.*+?()\[\]{}|/])", r"\\\1", text)


def any_case(text: str) -> str:
    """``text`` as a pattern matching itself in any letter case (``eu`` -> ``[eE][uU]``).

    Neither language's case-insensitive flag is used: the builder page applies patterns with
    flag ``u`` alone.
    """
    return "".join(
        f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else literal(c) for c in text
    )


# --- the pattern specs -------------------------------------------------------------------------

#: One IPv4 octet as ``ipaddress.IPv4Address`` takes it: 0-255, no leading zero.
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"


def _ipv6() -> str:
    """An IPv6 address as ``ipaddress.IPv6Address`` takes it (Python 3.11): eight groups of 1-4
    hex digits, or fewer around one ``::`` that stands for at least one, the last two groups
    possibly an IPv4 address; then optionally ``%`` and a scope of any characters but ``%``
    and ``/``."""
    h = "[0-9a-fA-F]{1,4}"
    alternatives = [f"(?:{h}:){{7}}{h}", f"(?:{h}:){{6}}{IPV4}"]
    for before in range(8):
        left = f"(?:{h}:){{{before - 1}}}{h}" if before else ""
        after = 7 - before  # groups '::' leaves room for: it stands for at least one
        right = f"(?:{h}(?::{h}){{0,{after - 1}}})?" if after else ""
        alternatives.append(f"{left}::{right}")
        if after >= 2:
            alternatives.append(f"{left}::(?:{h}:){{0,{after - 2}}}{IPV4}")
    return "(?:" + "|".join(alternatives) + ")(?:%[^%/]+)?"


#: An IPv6 address, scope included, as ``ipaddress.ip_address`` takes it.
IPV6 = _ipv6()

S3_BUCKET = Spec(
    "s3_bucket",
    "3-63 characters: lowercase letters, digits, '.' and '-', starting and ending with a "
    "letter or digit",
    (
        Check("required"),
        length(3, 63),
        characters(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]", r"[^a-z0-9.\-]", "bad first or last"),
        Check("contains", literal="..", hint="no two adjacent periods"),
        Check("reject", pattern=IPV4, hint="must not look like an IPv4 address"),
        *(
            Check("prefix", literal=p, hint=f"the prefix {p!r} is reserved")
            for p in ("xn--", "sthree-", "amzn-s3-demo-")
        ),
        *(
            Check("suffix", literal=s, hint=f"the suffix {s!r} is reserved")
            for s in ("-s3alias", "--ol-s3", ".mrap", "--x-s3")
        ),
    ),
)

_PROJECT = r"[a-z][a-z0-9\-]{4,28}[a-z0-9]"
_DNS_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
#: Google's legacy domain-scoped project IDs, ``example.com:my-project`` ("Projects created
#: with a domain-scoped project ID"; Artifact Registry's docker/names page): a domain name, a
#: colon, then a project ID of the usual form.
DOMAIN_SCOPED_PROJECT = rf"{_DNS_LABEL}(?:\.{_DNS_LABEL})+:{_PROJECT}"
_ANY_PROJECT = rf"{_PROJECT}|{DOMAIN_SCOPED_PROJECT}"
GCP_PROJECT = Spec(
    "gcp_project",
    "a GCP project ID: 6-30 characters, lowercase letters, digits and hyphens, "
    "starting with a letter and not ending with a hyphen (or a domain-scoped one such as "
    "'example.com:my-project')",
    (
        Check("required"),
        Check("lowercase", pattern=_ANY_PROJECT, hint="project IDs are lowercase: {lower}"),
        # The length hint only for a plain ID: a domain-scoped one is longer than 30.
        Check("reject", pattern="[^:]{1,5}|[^:]{31,}", hint=LENGTH_HINT),
        Check("fullmatch", pattern=_ANY_PROJECT),
    ),
)

AR_REPOSITORY = Spec(
    "ar_repository",
    "an Artifact Registry repository name: lowercase letters, digits and hyphens, "
    "starting with a letter and ending with a letter or digit",
    (Check("fullmatch", pattern=r"[a-z](?:[a-z0-9\-]*[a-z0-9])?"),),
)

_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
#: Any digits after the colon: the port's range is its own check (:data:`OUT_OF_RANGE_PORT`).
REGISTRY_HOST_PATTERN = rf"{_LABEL}(?:\.{_LABEL})*(?::[0-9]+)?"
#: A TCP port number outside 1-65535, as digits (leading zeros allowed, as in Go's ports).
OUT_OF_RANGE_PORT = (
    r"0+|0*(?:6553[6-9]|655[4-9][0-9]|65[6-9][0-9]{2}|6[6-9][0-9]{3}|[7-9][0-9]{4}|[1-9][0-9]{5,})"
)
PORT_HINT = "a port is 1-65535"
_PATH_PART = r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*"
HOST_FORM = "a registry host name such as 'harbor.example.com' or 'registry.example.com:5000'"

REGISTRY_HOST = Spec(
    "registry_host",
    HOST_FORM,
    (
        Check("required"),
        Check("contains", literal="://", hint="remove the scheme"),
        Check("contains", literal="/", hint="a host has no path"),
        Check("fullmatch", pattern=REGISTRY_HOST_PATTERN),
    ),
)

REGISTRY_URL = Spec(
    "registry_url",
    "host[:port][/path] with no scheme and no trailing slash, e.g. 'harbor.example.com/gitpod'",
    (
        Check("required"),
        Check("contains", literal="://", hint="remove the scheme"),
        Check("suffix", literal="/", hint="remove the trailing slash"),
        Check(
            "fullmatch",
            pattern=REGISTRY_HOST_PATTERN,
            subject="before_slash",
            report_subject=True,
            allowed=HOST_FORM,
        ),
        Check(
            "fullmatch",
            pattern=rf"[^/]*(?:/{_PATH_PART})*",
            hint="path parts are lowercase names",
        ),
    ),
)

#: Kubernetes object names such as a Secret's: a DNS subdomain as Kubernetes checks it
#: (k8s.io/apimachinery/pkg/util/validation: ``IsDNS1123Subdomain``, ``dns1123SubdomainFmt``,
#: ``DNS1123SubdomainMaxLength`` = 253).
_K8S_LABEL = r"[a-z0-9](?:[\-a-z0-9]*[a-z0-9])?"
K8S_NAME_PATTERN = rf"{_K8S_LABEL}(?:\.{_K8S_LABEL})*"
K8S_SECRET_NAME = Spec(
    "k8s_secret_name",
    "a Kubernetes Secret name: at most 253 characters, lowercase letters, digits, '-' and '.', "
    "starting and ending with a letter or digit",
    (
        Check("required"),
        length(1, 253),
        Check("lowercase", pattern=K8S_NAME_PATTERN, hint="names are lowercase: {lower}"),
        characters(
            K8S_NAME_PATTERN,
            r"[^a-z0-9.\-]",
            "it must start and end with a letter or digit, with no '..'",
        ),
    ),
)

#: The ``str.strip()`` test as a pattern: a whitespace character at either end.
SURROUNDING_WHITESPACE = f"[{WHITESPACE}]{_ANY}*|{_ANY}*[{WHITESPACE}]"


# --- export ------------------------------------------------------------------------------------


def spec_json(spec: Spec) -> dict[str, Any]:
    """A spec as plain JSON, with only the fields each check uses."""
    defaults = Check("fail")
    checks = []
    for c in spec.checks:
        row: dict[str, Any] = {"kind": c.kind}
        for name in Check.__dataclass_fields__:
            v = getattr(c, name)
            if name != "kind" and v != getattr(defaults, name):
                row[name] = v
        checks.append(row)
    out: dict[str, Any] = {"name": spec.name, "form": spec.form, "checks": checks}
    if spec.closest is not None:
        cl = spec.closest
        out["closest"] = {
            "normalize": cl.normalize,
            "none": cl.none,
            "found": cl.found,
            "n": cl.n,
            "cutoff": cl.cutoff,
            "rstrip": cl.rstrip,
            "fallback_cutoff": cl.fallback_cutoff,
        }
    return out


NON_PORTABLE = re.compile(r"\\[dDsSwWbBAZ]|\$|\(\?P|\(\?[aiLmsux]")


def non_portable(pattern: str) -> list[str]:
    """The constructs in ``pattern`` that Python and JavaScript read differently."""
    body = pattern.replace(_ANY, "")
    return NON_PORTABLE.findall(body)
