"""Probe a container registry as Gitpod 2022.11 uses it: log in with the server key the config
creates, then push a small image to a new repository under the registry URL, as the image builder
pushes to ``<url>/base-images`` and ``<url>/workspace-images``, and delete it again.

The push follows the Registry HTTP API V2 (monolithic blob uploads, an OCI manifest), with Basic
or Bearer token authentication as the registry asks (``WWW-Authenticate``). Credentials for the
push are looked up the way the image builder's push proxy looks them up: by the exact host of the
push (claim ``registry.server-key``), so a server key that is not that host pushes without them.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import re
import secrets
import tarfile
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import requests

from gitpod_resources.registry import is_docker_hub

from .context import Context
from .findings import Where
from .net import Secret, retry

TARGET = "registry"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
#: The repository the probe pushes to: this prefix and random hex, below the registry URL.
REPOSITORY_PREFIX = "gitpod-probe-"
TAG = "probe"
#: The host containerd (and so the push proxy) sends Docker Hub requests to.
DOCKER_HUB_API_HOST = "registry-1.docker.io"
#: Answers worth another attempt (the registry or its load balancer was briefly away).
RETRY_STATUS = frozenset({502, 503, 504})


@dataclass(frozen=True)
class Credentials:
    username: str
    password: Secret
    #: Where they came from, for messages (never the values).
    source: str


@dataclass(frozen=True)
class RegistryTarget:
    """An external registry as the config sets it up."""

    #: ``host[:port][/path]``, no scheme, no trailing slash.
    url: str
    #: The key of the one ``auths`` entry of the registry secret.
    server_key: str
    #: What the server key is (``reg_server``, the URL, ``--registry-server``...), for messages.
    key_source: str
    url_at: Where
    key_at: Where
    credentials: Credentials | None

    @property
    def host(self) -> str:
        return self.url.partition("/")[0]

    @property
    def path(self) -> str:
        return self.url.partition("/")[2]


def convert_to_hostname(key: str) -> str:
    """docker/cli's ``ConvertToHostname``: no scheme, nothing after the first slash."""
    for scheme in ("http://", "https://"):
        if key.startswith(scheme):
            key = key[len(scheme) :]
            break
    return key.partition("/")[0]


def api_host(host: str) -> str:
    """Where requests for an image on ``host`` go (containerd: Docker Hub's own API host)."""
    return DOCKER_HUB_API_HOST if is_docker_hub(host) else host


def push_credentials(target: RegistryTarget) -> Credentials | None:
    """The credentials the image builder's push proxy finds for a push to the URL: its map holds
    the secret's one entry, and it looks the push host up exactly."""
    return target.credentials if target.server_key == api_host(target.host) else None


def docker_config_entry(config: dict[str, Any], key: str) -> tuple[str, str, str] | None:
    """(matched key, username, password) for ``key`` in a Docker config file's ``auths``: the key
    itself, else a key with the same host (docker/cli's file store); None if there is none."""
    auths = config.get("auths")
    if not isinstance(auths, dict):
        return None
    host = convert_to_hostname(key)
    candidates = [key] + [k for k in auths if k != key and convert_to_hostname(k) == host]
    for name in candidates:
        entry = auths.get(name)
        if not isinstance(entry, dict):
            continue
        username, password = entry.get("username"), entry.get("password")
        encoded = entry.get("auth")
        if isinstance(encoded, str) and encoded:
            try:
                decoded = base64.b64decode(encoded, validate=True).decode()
            except (ValueError, UnicodeDecodeError):
                continue
            username, _, password = decoded.partition(":")
        if isinstance(username, str) and username and isinstance(password, str):
            return name, username, password
    return None


# --- the image ---------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Image:
    config: bytes
    layer: bytes
    manifest: bytes

    @property
    def blobs(self) -> dict[str, bytes]:
        return {_sha256(self.config): self.config, _sha256(self.layer): self.layer}

    @property
    def digest(self) -> str:
        return _sha256(self.manifest)


def probe_image(repository: str) -> Image:
    """A valid OCI image of one small layer (one file naming the repository)."""
    content = f"pushed to {repository} by gitpod-resources probe\n".encode()
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("etc/gitpod-probe")
        info.size, info.mtime, info.mode = len(content), 0, 0o644
        tar.addfile(info, io.BytesIO(content))
    layer = gzip.compress(tar_bytes.getvalue(), mtime=0)
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {},
            "rootfs": {"type": "layers", "diff_ids": [_sha256(tar_bytes.getvalue())]},
        },
        sort_keys=True,
    ).encode()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "digest": _sha256(config), "size": len(config)},
            "layers": [{"mediaType": OCI_LAYER, "digest": _sha256(layer), "size": len(layer)}],
        },
        sort_keys=True,
    ).encode()
    return Image(config, layer, manifest)


# --- the HTTP API ------------------------------------------------------------------------------


class LoginRefusedError(Exception):
    """The token service refused the credentials (or gave no token)."""


class _RetryStatusError(Exception):
    def __init__(self, response: requests.Response) -> None:
        self.response = response


_CHALLENGE = re.compile(r'(\w+)="([^"]*)"')


def challenge(header: str) -> tuple[str, dict[str, str]]:
    """(scheme, parameters) of a ``WWW-Authenticate`` header."""
    scheme, _, rest = header.strip().partition(" ")
    return scheme.lower(), dict(_CHALLENGE.findall(rest))


def describe(response: requests.Response) -> str:
    """``HTTP 405 UNSUPPORTED: the operation is unsupported``: the status and the registry's own
    error codes and messages (never a header)."""
    text = f"HTTP {response.status_code}"
    try:
        errors = response.json().get("errors")
    except (ValueError, AttributeError):
        errors = None
    if isinstance(errors, list):
        parts = [
            f"{e.get('code', '')}: {e.get('message', '')}".strip(": ")
            for e in errors
            if isinstance(e, dict)
        ]
        if parts:
            text += " " + "; ".join(parts)
    return text


def error_codes(response: requests.Response) -> set[str]:
    try:
        errors = response.json().get("errors")
    except (ValueError, AttributeError):
        return set()
    if not isinstance(errors, list):
        return set()
    return {str(e.get("code")) for e in errors if isinstance(e, dict)}


@dataclass
class Client:
    """Registry HTTP API V2 requests with a time-out, bounded retries, and the authentication the
    registry asks for (Basic, or a Bearer token from its realm)."""

    ctx: Context
    credentials: Credentials | None
    session: requests.Session = field(default_factory=requests.Session)
    _basic: bool = False
    _tokens: dict[str, str] = field(default_factory=dict)

    def _auth(self) -> tuple[str, str] | None:
        if self.credentials is None:
            return None
        return self.credentials.username, self.credentials.password.reveal()

    def _send(self, method: str, url: str, headers: dict[str, str], **kw: Any) -> requests.Response:
        limits = self.ctx.limits

        def once() -> requests.Response:
            # verify per request: a session's own is overridden by REQUESTS_CA_BUNDLE.
            r = self.session.request(
                method,
                url,
                headers=headers,
                timeout=(limits.timeout, limits.timeout),
                verify=self.ctx.ca_file or True,
                **kw,
            )
            if r.status_code in RETRY_STATUS and method != "POST":
                raise _RetryStatusError(r)
            return r

        def transient(err: Exception) -> bool:
            return isinstance(err, _RetryStatusError | requests.ConnectionError | requests.Timeout)

        try:
            return retry(once, transient, limits)
        except _RetryStatusError as err:
            return err.response

    def _token(self, params: dict[str, str], scope: str) -> str:
        realm = params.get("realm")
        if not realm:
            raise LoginRefusedError("the registry asked for a Bearer token and named no realm")
        query = {"service": params.get("service", "")}
        wanted = params.get("scope") or scope
        if wanted:
            query["scope"] = wanted
        key = f"{realm} {query}"
        if key in self._tokens:
            return self._tokens[key]
        got = self._send("GET", realm, {}, params=query, auth=self._auth())
        if got.status_code != 200:
            raise LoginRefusedError(f"its token service answered {describe(got)}")
        try:
            body = got.json()
        except ValueError:
            body = {}
        token = body.get("token") or body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise LoginRefusedError("its token service answered without a token")
        self._tokens[key] = token
        return token

    def request(self, method: str, url: str, scope: str = "", **kw: Any) -> requests.Response:
        headers: dict[str, str] = dict(kw.pop("headers", {}))
        if self._basic and self.credentials is not None:
            kw["auth"] = self._auth()
        got = self._send(method, url, headers, **kw)
        if got.status_code != 401:
            return got
        scheme, params = challenge(got.headers.get("WWW-Authenticate", ""))
        if scheme == "basic" and self.credentials is not None and not self._basic:
            self._basic = True
            kw["auth"] = self._auth()
            return self._send(method, url, headers, **kw)
        if scheme == "bearer":
            token = self._token(params, scope)
            headers["Authorization"] = f"Bearer {token}"
            kw.pop("auth", None)
            return self._send(method, url, headers, **kw)
        return got


# --- the probe ---------------------------------------------------------------------------------


def _network_problem(err: Exception) -> str:
    if isinstance(err, requests.exceptions.SSLError):
        return "its TLS certificate is not trusted (or TLS failed): " + _short(err)
    if isinstance(err, requests.Timeout):
        return "it did not answer in time"
    return "the connection failed: " + _short(err)


def _short(err: Exception) -> str:
    """The innermost reason of a requests error, without the request's details."""
    text = str(err)
    found = re.findall(r"\] ([^\]\)'\"]+)", text) or re.findall(r"(\w+Error[^'\")]*)", text)
    return (found[-1] if found else type(err).__name__).strip()


def _creds_said(creds: Credentials | None) -> str:
    return f"the credentials from {creds.source}" if creds else "no credentials"


def probe(ctx: Context, target: RegistryTarget) -> None:
    """Log in, push, confirm, delete; every problem becomes one finding."""
    if not _login(ctx, target):
        return
    _push(ctx, target)


def _login(ctx: Context, target: RegistryTarget) -> bool:
    """The login the admin console's preflight does: ``GET /v2/`` at the server key's host."""
    host = api_host(convert_to_hostname(target.server_key))
    ctx.say(TARGET, f"logging in to {host} with {_creds_said(target.credentials)}")
    client = Client(ctx, target.credentials)
    where = target.key_at
    try:
        got = client.request("GET", f"https://{host}/v2/")
    except LoginRefusedError as err:
        ctx.found(
            TARGET,
            "login",
            where,
            "PRB102",
            f"{host} refuses {_creds_said(target.credentials)}: {err}",
            "check the username and password (or token) you put in the registry secret",
        )
        return False
    except requests.RequestException as err:
        ctx.found(
            TARGET,
            "login",
            where,
            "PRB101",
            f"https://{host}/v2/ cannot be reached: {_network_problem(err)}",
            "check the host and port of the registry, and that this machine reaches it",
        )
        return False
    if got.status_code == 200:
        who = (
            f"as {target.credentials.username} ({target.credentials.source})"
            if target.credentials
            else "without credentials (the registry allows it)"
        )
        ctx.passed(TARGET, "login", f"logged in to {host} {who}")
        return True
    if got.status_code == 401:
        if target.credentials is None:
            message = (
                f"{host} asks for a login and no credentials were given for the server key "
                f"{target.server_key!r}"
            )
            fix = (
                "export REGISTRY_USERNAME and REGISTRY_PASSWORD, or pass --docker-config with "
                "an entry for the server key"
            )
        else:
            message = f"{host} refuses {_creds_said(target.credentials)} ({describe(got)})"
            fix = "check the username and password (or token) you put in the registry secret"
        ctx.found(TARGET, "login", where, "PRB102", message, fix)
        return False
    ctx.found(
        TARGET,
        "login",
        where,
        "PRB101",
        f"https://{host}/v2/ does not answer as a registry (Registry HTTP API V2): {describe(got)}",
        "use the registry's own host (and port) as the server, with no path",
    )
    return False


@dataclass
class _Pushed:
    """What the probe put into the registry so far, to delete again."""

    blobs: list[str] = field(default_factory=list)
    manifest: str | None = None


def _push(ctx: Context, target: RegistryTarget) -> None:
    host = api_host(target.host)
    name = REPOSITORY_PREFIX + secrets.token_hex(4)
    repository = f"{target.path}/{name}" if target.path else name
    base = f"https://{host}/v2/{repository}"
    scope = f"repository:{repository}:pull,push"
    creds = push_credentials(target)
    image = probe_image(repository)
    client = Client(ctx, creds)
    pushed = _Pushed()
    shown = f"{target.host}/{repository}"
    if creds is None and target.credentials is not None:
        ctx.say(
            TARGET,
            f"pushing to {shown} without credentials: the server key {target.server_key!r} "
            f"is not the push host {host!r}",
        )
    try:
        ok = _upload(ctx, target, client, creds, base, scope, image, pushed, shown)
        if ok:
            _confirm(ctx, target, client, base, scope, shown, creds)
    except LoginRefusedError as err:
        ctx.found(
            TARGET,
            "push",
            target.url_at,
            "PRB102",
            f"{host} refuses {_creds_said(creds)} for a push: {err}",
            "check the username and password (or token) you put in the registry secret",
        )
    except requests.RequestException as err:
        ctx.found(
            TARGET,
            "push",
            target.url_at,
            "PRB101",
            f"{host} cannot be reached for the push: {_network_problem(err)}",
            "check the registry URL's host and port, and that this machine reaches it",
        )
    finally:
        _clean_up(ctx, target, client, base, scope, pushed, shown)


def _refused(
    ctx: Context,
    target: RegistryTarget,
    creds: Credentials | None,
    got: requests.Response,
    what: str,
    shown: str,
    first: bool,
) -> None:
    """One finding for a push request the registry did not accept."""
    host = api_host(target.host)
    if got.status_code == 401 and creds is None and target.credentials is not None:
        ctx.found(
            TARGET,
            "server key",
            target.key_at,
            "PRB103",
            f"the server key {target.server_key!r} ({target.key_source}) is not the push host "
            f"{host!r}: Gitpod's push proxy looks the credentials up by that exact host, finds "
            f"none and pushes without them, and the registry refuses it ({describe(got)})",
            f"make the server key exactly {host!r}",
        )
    elif got.status_code == 401 and creds is None:
        ctx.found(
            TARGET,
            "push",
            target.url_at,
            "PRB102",
            f"{host} asks for a login to push to {shown} and no credentials were given",
            "export REGISTRY_USERNAME and REGISTRY_PASSWORD, or pass --docker-config",
        )
    elif got.status_code in (401, 403) or "DENIED" in error_codes(got):
        assert creds is not None or got.status_code == 403
        ctx.found(
            TARGET,
            "push",
            target.url_at,
            "PRB104",
            f"{host} refuses to let {_creds_said(creds)} {what} to {shown} ({describe(got)})",
            "give the registry user push rights on the URL's path (and every repository below "
            "it), or use credentials that have them",
        )
    elif first and 400 <= got.status_code < 500:
        ctx.found(
            TARGET,
            "push",
            target.url_at,
            "PRB105",
            f"{host} does not take a push to the new repository {shown} ({describe(got)}); "
            "Gitpod pushes to repositories it never creates",
            "use a registry that creates repositories on push (not a pull-through cache or a "
            "read-only mirror; on Amazon ECR, the in-cluster registry on S3)",
        )
    else:
        ctx.found(
            TARGET,
            "push",
            target.url_at,
            "PRB106",
            f"{host} did not accept the {what} for {shown} ({describe(got)})",
            "read the registry's log for this request; the troubleshooting page lists causes",
        )


def _upload(
    ctx: Context,
    target: RegistryTarget,
    client: Client,
    creds: Credentials | None,
    base: str,
    scope: str,
    image: Image,
    pushed: _Pushed,
    shown: str,
) -> bool:
    for number, (digest, data) in enumerate(image.blobs.items()):
        kind = "config" if number == 0 else "layer"
        ctx.say(TARGET, f"pushing the {kind} blob to {shown}")
        started = client.request("POST", f"{base}/blobs/uploads/", scope)
        if started.status_code != 202 or "Location" not in started.headers:
            _refused(ctx, target, creds, started, "start an upload", shown, first=number == 0)
            return False
        location = urljoin(base + "/", started.headers["Location"])
        done = client.request(
            "PUT",
            location,
            scope,
            params={"digest": digest},
            data=data,
            headers={"Content-Type": "application/octet-stream"},
        )
        if done.status_code != 201:
            _refused(ctx, target, creds, done, f"upload the {kind} blob", shown, first=False)
            return False
        pushed.blobs.append(digest)
    ctx.say(TARGET, f"pushing the manifest {shown}:{TAG}")
    put = client.request(
        "PUT",
        f"{base}/manifests/{TAG}",
        scope,
        data=image.manifest,
        headers={"Content-Type": OCI_MANIFEST},
    )
    if put.status_code != 201:
        _refused(ctx, target, creds, put, "push the manifest", shown, first=False)
        return False
    pushed.manifest = image.digest
    return True


def _confirm(
    ctx: Context,
    target: RegistryTarget,
    client: Client,
    base: str,
    scope: str,
    shown: str,
    creds: Credentials | None,
) -> None:
    """The repository exists now, with the tag: the registry created it on push."""
    got = client.request("GET", f"{base}/tags/list", scope)
    tags: object = None
    if got.status_code == 200:
        try:
            tags = got.json().get("tags")
        except (ValueError, AttributeError):
            tags = None
    if not (isinstance(tags, list) and TAG in tags):
        _refused(ctx, target, creds, got, "list the new repository's tags", shown, first=False)
        return
    ctx.passed(TARGET, "push", f"pushed {shown}:{TAG}; the registry created the repository")
    host = api_host(target.host)
    if creds is not None:
        detail = f"{target.server_key!r} is the push host: the push proxy finds the credentials"
    elif target.credentials is not None:
        detail = (
            f"{target.server_key!r} is not the push host {host!r}, and the registry takes "
            "pushes without credentials"
        )
    else:
        detail = "no credentials: the registry takes pushes without them"
    ctx.passed(TARGET, "server key", detail)


def _clean_up(
    ctx: Context,
    target: RegistryTarget,
    client: Client,
    base: str,
    scope: str,
    pushed: _Pushed,
    shown: str,
) -> None:
    if pushed.manifest is None and not pushed.blobs:
        return
    ctx.say(TARGET, f"deleting what the probe pushed to {shown}")
    left: list[str] = []
    try:
        if pushed.manifest is not None:
            got = client.request("DELETE", f"{base}/manifests/{pushed.manifest}", scope)
            if got.status_code not in (200, 202, 404):
                left.append(f"the manifest {pushed.manifest} (tag {TAG}; {describe(got)})")
        for digest in pushed.blobs:
            got = client.request("DELETE", f"{base}/blobs/{digest}", scope)
            if got.status_code not in (200, 202, 404):
                left.append(f"the blob {digest} ({describe(got)})")
    except (requests.RequestException, LoginRefusedError) as err:
        left.append(f"what it pushed (the deletion failed: {err.__class__.__name__})")
    if left:
        ctx.found(
            TARGET,
            "clean-up",
            target.url_at,
            "PRB107",
            f"the registry did not let the probe delete {', '.join(left)} in {shown}",
            f"delete the repository {shown} in the registry's own interface, or leave it "
            "(a few hundred bytes)",
        )
        return
    ctx.passed(
        TARGET,
        "clean-up",
        f"deleted the manifest and blobs it pushed; the empty repository {shown} may stay "
        "listed until the registry's garbage collection",
    )
