"""Enrolling a station: fetch the site CA, have a person vouch for it, prove the server holds it.

``cbt-client enroll`` takes these steps (the CLI asks the questions; this
module does the network work and decides nothing a person should):

1. ``fetch_ca``: ``GET /api/v1/public/ca.pem`` *without* verifying the server,
   because the CA is exactly what the station does not have yet. Nothing read
   here is trusted until step 2.
2. A person compares the certificate's SHA-256 fingerprint (``grouped`` for
   reading aloud) with the one ``cbt-server init`` printed on the server's
   screen, or the installer passes it with ``--fingerprint``.
3. ``check_server``: connect again trusting that CA alone, host name checking
   on, and ask the health check. A man in the middle can hand out the site's
   real CA (it is public) but cannot present a server certificate signed by it,
   so it fails here; so does a server whose certificate does not name the
   address the station uses.
4. The CLI writes the config with ``StationConfig.create`` / ``save``, the same
   path as ``cbt-client config init``.
"""

from __future__ import annotations

import ssl
from urllib.parse import urlsplit

import httpx

from cbt_client.config import StationConfig, certificate_fingerprint
from cbt_client.errors import ConfigError, ProtocolError, ServerUnreachableError
from cbt_client.transport import RetryPolicy, Transport

CA_PATH = "/api/v1/public/ca.pem"


def fetch_ca(server_url: str, *, timeout_s: float = 10.0) -> str:
    """The PEM the server offers as its site CA, fetched unverified (see step 1)."""
    url = urlsplit(server_url)
    if url.scheme != "https" or not url.hostname:
        raise ConfigError(
            f"the server must be an https:// address, not {server_url!r}", field="server_url"
        )
    # Deliberately unverified: this is the CA we are about to pin, and a person checks
    # its fingerprint before anything trusts it.
    blind = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    blind.check_hostname = False
    blind.verify_mode = ssl.CERT_NONE
    try:
        with httpx.Client(base_url=server_url.rstrip("/"), verify=blind, timeout=timeout_s) as c:
            response = c.get(CA_PATH)
    except httpx.HTTPError as exc:
        raise ServerUnreachableError(
            f"no answer from {server_url}: {type(exc).__name__}", url=server_url
        ) from exc
    if response.status_code != 200:
        raise ProtocolError(f"{CA_PATH} answered {response.status_code}")
    try:
        pem = response.content.decode("ascii")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"{CA_PATH} is not a PEM certificate") from exc
    certificate_fingerprint(pem)  # exactly one PEM certificate, or ConfigError
    return pem


def grouped(fingerprint: str, *, per_line: int = 8) -> list[str]:
    """``3F9A 12BC …`` in lines of ``per_line`` groups of four: easy to read aloud."""
    groups = [fingerprint[i : i + 4].upper() for i in range(0, len(fingerprint), 4)]
    return [" ".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line)]


def check_server(config: StationConfig, *, timeout_s: float = 10.0) -> None:
    """Prove the server presents a certificate from the pinned CA for this address.

    Raises ``UntrustedServerError`` when it does not, ``ServerUnreachableError``
    when it does not answer.
    """
    transport = Transport(config, retry=RetryPolicy(attempts=1), timeout_s=timeout_s)
    try:
        transport.ping()
    finally:
        transport.close()
