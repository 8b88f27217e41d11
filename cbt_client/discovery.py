"""Finding the site server on the LAN (mDNS / DNS-SD) for ``cbt-client enroll --discover``.

The server announces ``_cbt-station._tcp.local.`` with TXT properties ``site``
(the site code), ``ca`` (the first 16 hex digits of its CA fingerprint) and
``api`` (the API version); see ``cbt_server.services.discovery``, which this
module cannot import (the client never imports the server), so the service type
is written in both places and in docs/deploy.md.

What is heard here is not trusted: it only saves typing the server's address.
Enrolment still fetches the CA, has a person compare its full fingerprint, and
checks that the server holds a certificate from it. ``zeroconf`` is imported
only when browsing.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from cbt_client.errors import DiscoveryError

log = logging.getLogger("cbt_client.discovery")

SERVICE_TYPE = "_cbt-station._tcp.local."
API_VERSION = "1"


@dataclass(frozen=True, slots=True)
class FoundServer:
    """One announced site server."""

    name: str
    site: str
    host: str
    addresses: tuple[str, ...]
    port: int
    ca_prefix: str
    api: str

    @property
    def url(self) -> str:
        """``https://address:port``, by the first IPv4 address (the host name if none)."""
        for address in self.addresses:
            if ipaddress.ip_address(address).version == 4:
                return f"https://{address}:{self.port}"
        return f"https://{self.host.rstrip('.')}:{self.port}"


def _text(properties: dict[bytes, bytes | None], key: str) -> str:
    value = properties.get(key.encode())
    return value.decode("utf-8", "replace") if value else ""


def browse(
    *,
    timeout_s: float = 3.0,
    interfaces: Sequence[str] | None = None,
    enough: int | None = None,
) -> list[FoundServer]:
    """Listen for site servers for ``timeout_s`` (less once ``enough`` are heard).

    ``interfaces``: local addresses to browse on (all of them by default).
    Servers announcing another API version are left out.
    """
    try:
        import zeroconf
    except ImportError as exc:
        raise DiscoveryError(
            "finding the server needs the zeroconf package; give --server instead"
        ) from exc

    names: list[str] = []
    heard = threading.Event()
    lock = threading.Lock()

    class Listener(zeroconf.ServiceListener):
        def add_service(self, zc: zeroconf.Zeroconf, type_: str, name: str) -> None:
            with lock:
                if name not in names:
                    names.append(name)
                if enough is not None and len(names) >= enough:
                    heard.set()

        def update_service(self, zc: zeroconf.Zeroconf, type_: str, name: str) -> None:
            self.add_service(zc, type_, name)

        def remove_service(self, zc: zeroconf.Zeroconf, type_: str, name: str) -> None:
            with lock:
                if name in names:
                    names.remove(name)

    try:
        zc = zeroconf.Zeroconf(
            interfaces=list(interfaces) if interfaces else zeroconf.InterfaceChoice.All,
            ip_version=zeroconf.IPVersion.V4Only,
        )
    except (OSError, zeroconf.Error) as exc:
        raise DiscoveryError(f"cannot listen for the server on this network: {exc}") from exc
    found: list[FoundServer] = []
    try:
        browser = zeroconf.ServiceBrowser(zc, SERVICE_TYPE, Listener())
        try:
            heard.wait(timeout_s)
        finally:
            browser.cancel()
        with lock:
            pending = list(names)
        deadline = time.monotonic() + max(1.0, timeout_s)
        for name in pending:
            left_ms = int(max(0.2, deadline - time.monotonic()) * 1000)
            info = zc.get_service_info(SERVICE_TYPE, name, timeout=left_ms)
            if info is None or info.port is None:
                log.info("%s did not answer with its address", name)
                continue
            server = FoundServer(
                name=name.removesuffix("." + SERVICE_TYPE),
                site=_text(info.properties, "site"),
                host=info.server or "",
                addresses=tuple(info.parsed_addresses()),
                port=info.port,
                ca_prefix=_text(info.properties, "ca"),
                api=_text(info.properties, "api"),
            )
            if server.api != API_VERSION:
                log.info("%s speaks API %r, not %s: left out", name, server.api, API_VERSION)
                continue
            found.append(server)
    finally:
        zc.close()
    return sorted(found, key=lambda s: (s.site, s.url))
