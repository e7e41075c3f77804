"""Real servers on loopback for the probe's tests, each started and stopped by a fixture:
Debian's ``docker-registry`` (Distribution), the moto S3 server with its IAM checks on, and
Debian's MariaDB. All of them speak TLS with a certificate of a CA made here, as the real ones
do: the probe reaches them over ``https://`` (and MySQL over TLS) exactly as it reaches a
reader's. The registry and MariaDB are started by tests/support/local_servers.py, shared with the
live proofs; here: the CA, the registries' configs (htpasswd, token auth, pull-through), moto and
the token service.
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

from tests.support.local_servers import Registry, free_port, start_registry, stop, wait_for

HTPASSWD = shutil.which("htpasswd")
MOTO_SERVER = Path(sys.executable).parent / "moto_server"


# --- TLS ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tls:
    """A CA and a server certificate for 127.0.0.1 and localhost, as PEM files."""

    ca: Path
    cert: Path
    key: Path


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_tls(directory: Path, hosts: tuple[str, ...] = ("127.0.0.1", "localhost")) -> Tls:
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("gitpod-resources probe test CA"))
        .issuer_name(_name("gitpod-resources probe test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(hosts[0]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    tls = Tls(directory / "ca.pem", directory / "server.pem", directory / "server.key")
    tls.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    tls.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    tls.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    tls.key.chmod(0o600)
    return tls


# --- Distribution ------------------------------------------------------------------------------


def htpasswd_line(user: str, password: str) -> str:
    """A bcrypt htpasswd entry (Distribution's htpasswd accepts bcrypt only)."""
    assert HTPASSWD is not None
    made = subprocess.run(
        [HTPASSWD, "-nbB", "-C", "4", user, password],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return made.stdout.strip() + "\n"


@dataclass
class Registries:
    """Starts ``docker-registry serve`` processes under one directory; stops them all."""

    root: Path
    tls: Tls
    started: list[Registry] = field(default_factory=list)

    def start(
        self,
        *,
        users: dict[str, str] | None = None,
        delete: bool = True,
        proxy: str | None = None,
        tls: bool = True,
        token: TokenService | None = None,
    ) -> Registry:
        directory = self.root / f"registry-{len(self.started)}"
        (directory / "data").mkdir(parents=True)
        # Port 0: the registry binds a free port and logs it ("listening on ..."): no race with
        # another test process picking the same one.
        http: dict[str, Any] = {"addr": "127.0.0.1:0", "secret": secrets.token_hex(16)}
        if tls:
            http["tls"] = {"certificate": str(self.tls.cert), "key": str(self.tls.key)}
        config: dict[str, Any] = {
            "version": 0.1,
            "log": {"level": "info"},
            "storage": {
                "filesystem": {"rootdirectory": str(directory / "data")},
                "delete": {"enabled": delete},
            },
            "http": http,
        }
        if users:
            path = directory / "htpasswd"
            path.write_text("".join(htpasswd_line(u, p) for u, p in users.items()))
            config["auth"] = {"htpasswd": {"realm": "probe-test", "path": str(path)}}
        if token is not None:
            config["auth"] = token.config()
        if proxy:
            config["proxy"] = {"remoteurl": proxy}
        registry = start_registry(
            directory, config, scheme="https" if tls else "http", verify=str(self.tls.ca)
        )
        self.started.append(registry)
        return registry

    def stop_all(self) -> None:
        for registry in self.started:
            stop(registry.process)


# --- moto (S3 with IAM) ------------------------------------------------------------------------


@dataclass
class Moto:
    """The moto server over TLS. Requests count against ``INITIAL_NO_AUTH_ACTION_COUNT``: set up
    with :meth:`setup` (no checks), then :meth:`enforce` makes every request need a key that IAM
    knows and a policy that allows it."""

    host: str
    tls: Tls
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"https://{self.host}"

    def _auth(self, count: str) -> None:
        got = requests.post(
            f"{self.url}/moto-api/reset-auth", data=count, timeout=10, verify=str(self.tls.ca)
        )
        got.raise_for_status()

    def reset(self) -> None:
        requests.post(
            f"{self.url}/moto-api/reset", timeout=10, verify=str(self.tls.ca)
        ).raise_for_status()
        self._auth("inf")

    def enforce(self) -> None:
        self._auth("0")

    def client(self, service: str, region: str = "us-east-1", **keys: str) -> Any:
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=region,
            aws_access_key_id=keys.get("key_id", "setup"),
            aws_secret_access_key=keys.get("secret", "setup"),
            verify=str(self.tls.ca),
        )


def start_moto(tls: Tls, log: Path) -> Moto:
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(log.parent),
        "INITIAL_NO_AUTH_ACTION_COUNT": "inf",
    }
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                str(MOTO_SERVER),
                *("-H", "127.0.0.1", "-p", str(port)),
                *("-c", str(tls.cert), "-k", str(tls.key)),
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    moto = Moto(f"127.0.0.1:{port}", tls, process)

    def answers() -> bool | None:
        if process.poll() is not None:
            pytest.fail(f"moto_server exited:\n{log.read_text()[-3000:]}", pytrace=False)
        try:
            requests.get(f"{moto.url}/moto-api/", timeout=2, verify=str(tls.ca))
        except requests.ConnectionError:
            return None
        return True

    wait_for("moto_server", answers)
    return moto


def iam_user(moto: Moto, name: str, actions: list[str], resources: list[str]) -> dict[str, str]:
    """An IAM user with one inline policy allowing ``actions`` on ``resources``; its key."""
    import json

    iam = moto.client("iam")
    iam.create_user(UserName=name)
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resources}],
    }
    iam.put_user_policy(UserName=name, PolicyName="probe", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {
        "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
    }


# --- a token service (Docker Registry token authentication) ------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class TokenService:
    """The token service a registry with ``auth.token`` sends clients to: Basic credentials in,
    a JWT out, signed with the server key and its certificate chain (``x5c``), granting each user
    only the actions listed for them."""

    tls: Tls
    #: user -> (password, actions granted on every repository)
    users: dict[str, tuple[str, tuple[str, ...]]]
    service: str = "probe-test"
    issuer: str = "probe-test-issuer"
    server: ThreadingHTTPServer | None = None

    @property
    def realm(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/token"

    def config(self) -> dict[str, Any]:
        return {
            "token": {
                "realm": self.realm,
                "service": self.service,
                "issuer": self.issuer,
                "rootcertbundle": str(self.tls.ca),
            }
        }

    def token(self, user: str, scope: str) -> str:
        key = serialization.load_pem_private_key(self.tls.key.read_bytes(), None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        cert = x509.load_pem_x509_certificate(self.tls.cert.read_bytes())
        der = cert.public_bytes(serialization.Encoding.DER)
        header = {"typ": "JWT", "alg": "ES256", "x5c": [base64.b64encode(der).decode()]}
        granted = set(self.users[user][1])
        access = []
        if scope:
            kind, name, actions = scope.split(":")
            allowed = [a for a in actions.split(",") if a in granted]
            access.append({"type": kind, "name": name, "actions": allowed})
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": user,
            "aud": self.service,
            "exp": now + 300,
            "nbf": now - 10,
            "iat": now,
            "jti": secrets.token_hex(8),
            "access": access,
        }
        signing = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
        r, s = decode_dss_signature(key.sign(signing.encode(), ec.ECDSA(hashes.SHA256())))
        return f"{signing}.{_b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"

    def start(self) -> None:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                header = self.headers.get("Authorization", "")
                user = ""
                if header.startswith("Basic "):
                    name, _, password = base64.b64decode(header[6:]).decode().partition(":")
                    if service.users.get(name, ("",))[0] == password and password:
                        user = name
                    else:
                        self.send_response(401)
                        self.end_headers()
                        return
                if not user:
                    self.send_response(401)
                    self.end_headers()
                    return
                token = service.token(user, query.get("scope", [""])[0])
                body = json.dumps({"token": token}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
