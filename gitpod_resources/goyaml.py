"""What Go's YAML stack makes of a scalar, so the checker reads a value as the installer does.

The 2022.11 installer decodes its config with ``sigs.k8s.io/yaml`` v1.3.0 over
``gopkg.in/yaml.v2`` v2.4.0 (``install/installer/go.mod`` at the release tags). Both read some
scalars differently from PyYAML, which composes the checker's tree:

- yaml.v2 resolves plain scalars by its own table (``resolve.go``): ``y``, ``Y``, ``n`` and ``N``
  are booleans; ``1e3`` is a float; ``0o17``, ``0b101`` and ``1_000`` are integers (Go's
  ``strconv.ParseInt`` with base 0); ``08`` is the float 8; base-60 numbers such as ``1:30``
  are strings.
- sigs.k8s.io/yaml turns a number or boolean into a string where the Go field is a string
  (``convertToJSONableObject`` in ``yaml.go``): ``bucket: 20221101`` is the string
  ``"20221101"``, ``region: yes`` the string ``"true"``, a float goes through
  ``strconv.FormatFloat(f, 'g', -1, 32)``.
- ``encoding/json`` matches keys to field names regardless of case (``S3Storage`` is
  ``s3storage``), with Go's own folding (:func:`equal_fold`).

Each function names the Go code it follows; ``tests/installer_oracle`` runs that code on the same
documents and the tests compare.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import math
import re
import struct
from decimal import Decimal
from typing import Any

import yaml
from yaml.nodes import Node, ScalarNode

STR = "tag:yaml.org,2002:str"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"
MERGE = "tag:yaml.org,2002:merge"
BINARY = "tag:yaml.org,2002:binary"
TIMESTAMP = "tag:yaml.org,2002:timestamp"

#: yaml.v2 ``resolveMapList``: words with a fixed meaning.
_WORDS: dict[str, tuple[str, object]] = {
    **{w: (BOOL, True) for w in ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE")},
    **{w: (BOOL, True) for w in ("on", "On", "ON")},
    **{w: (BOOL, False) for w in ("n", "N", "no", "No", "NO", "false", "False", "FALSE")},
    **{w: (BOOL, False) for w in ("off", "Off", "OFF")},
    **{w: (NULL, None) for w in ("", "~", "null", "Null", "NULL")},
    **{w: (FLOAT, math.nan) for w in (".nan", ".NaN", ".NAN")},
    **{w: (FLOAT, math.inf) for w in (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")},
    **{w: (FLOAT, -math.inf) for w in ("-.inf", "-.Inf", "-.INF")},
}
#: yaml.v2 ``yamlStyleFloat``.
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
#: What Go's ``strconv.ParseFloat`` accepts of a string that starts with ``.`` (digits, with
#: ``_`` only between digits, and an optional exponent).
_GO_DOT_FLOAT = re.compile(r"\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?")
_INT64 = (-(2**63), 2**63 - 1)
_UINT64_MAX = 2**64 - 1


class GoYamlError(ValueError):
    """A scalar yaml.v2 refuses to decode (``cannot decode !!str `x` as a !!int``)."""


def _parse_uint(s: str, base: int = 0) -> int | None:
    """Go's ``strconv.ParseUint(s, base, 64)`` (no underscores: yaml.v2 removed them). Base 0
    reads a prefix: ``0x``, ``0o``, ``0b`` (with digits after it), else a leading ``0`` means
    octal. None where Go returns an error."""
    if not s:
        return None
    digits = s
    if base == 0:
        base = 10
        if s[0] == "0":
            prefix = s[1:2].lower()
            if len(s) >= 3 and prefix in ("b", "o", "x"):
                base, digits = {"b": 2, "o": 8, "x": 16}[prefix], s[2:]
            else:
                base, digits = 8, s[1:]
    alphabet = "0123456789abcdef"[:base]
    if any(c not in alphabet for c in digits.lower()):
        return None
    if len(digits.lstrip("0")) > 64:  # more digits than any base fits in 64 bits
        return None
    value = int(digits, base) if digits else 0
    return value if value <= _UINT64_MAX else None


def _parse_int(s: str, base: int = 0) -> int | None:
    """Go's ``strconv.ParseInt(s, base, 64)``: an optional sign, then :func:`_parse_uint`."""
    negative = s[:1] == "-"
    magnitude = _parse_uint(s[1:] if s[:1] in ("+", "-") else s, base)
    if magnitude is None:
        return None
    value = -magnitude if negative else magnitude
    return value if _INT64[0] <= value <= _INT64[1] else None


def _parse_float(s: str) -> float | None:
    """Go's ``strconv.ParseFloat(s, 64)`` for the decimal forms yaml.v2 hands it; None on a
    syntax error or when the value is out of range (Go returns an error there)."""
    try:
        value = float(s)
    except ValueError:
        return None
    return None if math.isinf(value) else value


def resolve_plain(text: str) -> tuple[str, object]:
    """(tag, value) of a plain (unquoted, untagged) scalar: yaml.v2 ``resolve("", in)``."""
    first = text[:1]
    if first and first not in "+-0123456789yYnNtTfFoO~.":
        return STR, text
    if text in _WORDS:
        return _WORDS[text]
    if first == ".":
        if _GO_DOT_FLOAT.fullmatch(text):
            parsed = _parse_float(text)
            if parsed is not None:
                return FLOAT, parsed
        return STR, text
    if first in "+-0123456789":
        # A timestamp would be tried first; it stays a string in every value the installer
        # decodes (decode.go keeps timestamp text for interface{}), and nothing that parses as
        # one is a number, so it is left a string below.
        plain = text.replace("_", "")
        as_int = _parse_int(plain)
        if as_int is not None:
            return INT, as_int
        as_uint = _parse_uint(plain)
        if as_uint is not None:
            return INT, as_uint
        if _YAML_FLOAT.fullmatch(plain):
            parsed = _parse_float(plain)
            if parsed is not None:
                return FLOAT, parsed
        if plain.startswith("0b"):
            binary = _parse_int(plain[2:], 2)
            if binary is None:
                binary = _parse_uint(plain[2:], 2)
            if binary is not None:
                return INT, binary
        elif plain.startswith("-0b"):
            binary = _parse_int("-" + plain[3:], 2)
            if binary is not None:
                return INT, binary
    return STR, text


def decode(tag: str, text: str) -> object:
    """The Go value yaml.v2 decodes a scalar with this tag to (``decoder.scalar``): bool, int,
    float, None or str. Raises :class:`GoYamlError` where yaml.v2 fails."""
    if tag == STR:
        return text
    if tag == BINARY:
        try:
            data = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
            return data.decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            raise GoYamlError("!!binary value contains invalid base64 data") from None
    if tag not in (BOOL, INT, FLOAT, NULL, TIMESTAMP, MERGE):
        return text  # a tag yaml.v2 does not resolve (a local tag such as !foo): its text
    if tag in (TIMESTAMP, MERGE):
        return text
    rtag, value = resolve_plain(text)
    if rtag == tag:
        return value
    if tag == FLOAT and rtag == INT:
        return float(value)  # type: ignore[arg-type]
    short = {STR: "!!str", BOOL: "!!bool", INT: "!!int", FLOAT: "!!float", NULL: "!!null"}
    raise GoYamlError(f"cannot decode {short[rtag]} `{text}` as a {short[tag]}")


def format_float32(value: float) -> str:
    """``strconv.FormatFloat(value, 'g', -1, 32)``: the shortest decimal that reads back as the
    same float32, in %e form when its exponent is below -4 or at least 6."""
    if math.isnan(value):
        return "NaN"
    try:
        packed = struct.pack(">f", value)
    except OverflowError:
        packed = struct.pack(">f", math.copysign(math.inf, value))
    single = struct.unpack(">f", packed)[0]
    if math.isinf(single):
        return "+Inf" if single > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, single) < 0 else ""
    if single == 0:
        return sign + "0"
    for precision in range(1, 10):
        mantissa, exponent = f"{abs(single):.{precision - 1}e}".split("e")
        with contextlib.suppress(OverflowError):  # rounded up past float32's largest: too short
            if struct.pack(">f", float(f"{mantissa}e{exponent}")) == struct.pack(">f", abs(single)):
                break
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    exp = int(exponent)
    if exp < -4 or exp >= 6:
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{body}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    point = exp + 1  # digits before the decimal point
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def go_string(value: object) -> str | None:
    """The string sigs.k8s.io/yaml hands a Go string field for this decoded scalar; None for a
    value it does not convert (null, which leaves the field as it was)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float32(value)
    if isinstance(value, str):
        return value
    return None


def json_key(value: object) -> str | None:
    """A mapping key as sigs.k8s.io/yaml writes it into JSON (``convertToJSONableObject``);
    None for a key it refuses: null, or an integer above int64 (yaml.v2 decodes it as a uint64,
    a key type the conversion does not handle)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > _INT64[1]:
        return None
    if isinstance(value, float):
        text = format_float32(value)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)
    return go_string(value)


def go_int(value: object) -> int | None:
    """The Go ``int``/``int64`` (64-bit) ``encoding/json`` decodes this value into, or None if
    it refuses it. A float reaches the decoder as ``json.Marshal`` writes it: its shortest
    decimal, in plain digits below 1e21; that text must be a whole number in range."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if _INT64[0] <= value <= _INT64[1] else None
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 1e21:
        shortest = Decimal(repr(value))
        if shortest == shortest.to_integral_value():
            whole = int(shortest)
            return whole if _INT64[0] <= whole <= _INT64[1] else None
    return None


#: Letters ``encoding/json`` folds beyond ASCII (fold.go): the long s and the Kelvin sign.
_SPECIAL_FOLDS = {"\u017f": "s", "\u212a": "k"}


def equal_fold(name: str, key: str) -> bool:
    """Whether ``encoding/json`` (Go 1.19, ``fold.go``) matches the key to the ASCII field
    ``name`` when it is not an exact match: ASCII letters regardless of case, plus the long s
    and the Kelvin sign standing for ``s`` and ``k``."""
    if len(name) != len(key):
        return False
    for n, k in zip(name, key, strict=True):
        if n == k:
            continue
        if n.isascii() and n.isalpha() and k.isascii() and n.lower() == k.lower():
            continue
        if _SPECIAL_FOLDS.get(k) == n.lower():
            continue
        return False
    return True


def go_resolve(self: Any, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
    """The tag a plain scalar gets from the installer's YAML library (gopkg.in/yaml.v2), not
    PyYAML's YAML 1.1 table: a ``Resolver.resolve`` for the checker's composer."""
    if kind is ScalarNode and implicit[0]:
        return MERGE if value == "<<" else resolve_plain(value)[0]
    return str(yaml.resolver.Resolver.resolve(self, kind, value, implicit))  # type: ignore[no-untyped-call]


#: Plain scalars yaml.v2 reads as something other than a string, as (first characters, applies
#: to the empty string, pattern): a superset of :func:`resolve_plain`'s non-string results (a
#: test holds it to that), so a string that matches is written quoted. Quoting more than needed
#: is harmless: a quoted scalar is always a string. Plain JavaScript-compatible patterns, so the
#: builder page applies the same rule.
QUOTE_PATTERNS: tuple[tuple[str, bool, str], ...] = (
    (
        "yYnNtTfFoO~",
        True,
        r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off"
        r"|OFF|~|null|Null|NULL|)$",
    ),
    ("+-.", False, r"^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$"),
    # A number in any of Go's spellings: sign, digits, hex letters, base prefixes, one point,
    # an exponent, underscores anywhere after the first character (yaml.v2 drops them).
    (
        "+-.0123456789",
        False,
        r"^(?:[-+0-9][-+0-9_a-fA-FxXoO]*(?:\.[-+0-9_a-fA-FxXoO]*)?|\.[-+0-9_a-fA-FxXoO]*)$",
    ),
)
_QUOTE = [(first, empty, re.compile(pattern)) for first, empty, pattern in QUOTE_PATTERNS]


def needs_quotes(text: str) -> bool:
    """Whether yaml.v2 might read ``text``, written plain, as anything but this string (the
    page's script applies the same test to :data:`QUOTE_PATTERNS`)."""
    return any(
        (empty if text == "" else text[0] in first) and rx.match(text) is not None
        for first, empty, rx in _QUOTE
    )


class Dumper(yaml.CSafeDumper):
    """PyYAML's (libyaml's) safe emitter, quoting every string the installer's YAML library
    would read as another type, not only those PyYAML would (``1e3``, ``y``, ``0o17``...)."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        tag = str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
        # Only where PyYAML would write a string plain: a boolean or number node keeps its own
        # tag, so it is written plain (``true``), not with an explicit ``!!bool``.
        if tag == STR and kind is ScalarNode and implicit[0] and needs_quotes(value):
            return INT  # any tag but str: the emitter then quotes the string
        return tag
