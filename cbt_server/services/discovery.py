"""Announcing the site server on the LAN (mDNS / DNS-SD), so stations can find it to enrol.

``cbt-server run`` announces one service of type ``_cbt-station._tcp.local.`` with
the server's port and addresses, and these TXT properties:

* ``site``: the site code (``JKT-01``);
* ``ca``: the first 16 hex digits of the site CA's SHA-256 fingerprint;
* ``api``: the API version (``1``).

An announcement is a convenience, not trust: anyone on the LAN can announce
anything. ``cbt-client enroll --discover`` lists what it hears and still makes
the person compare the full CA fingerprint with the one ``cbt-server init``
printed, then proves the server holds a certificate from that CA.

Announcing is optional in every sense: ``zeroconf`` is imported here only when
announcing, a missing package or a network that refuses multicast logs one
warning, and the server serves on regardless (``--no-announce`` turns it off).
A server bound to one address announces on that interface only.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zeroconf import ServiceInfo, Zeroconf

log = logging.getLogger("cbt_server.discovery")

SERVICE_TYPE = "_cbt-station._tcp.local."
API_VERSION = "1"
CA_PREFIX_CHARS = 16
_ANY = ("", "0.0.0.0", "::")  # noqa: S104 - the "every interface" spellings we recognise


class Announcement:
    """A running announcement; ``close`` withdraws it (a goodbye packet) and stops zeroconf."""

    def __init__(self, zc: Zeroconf, info: ServiceInfo) -> None:
        self.zc, self.info = zc, info
        self._closed = False

    @property
    def name(self) -> str:
        return str(self.info.name)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        from zeroconf import Error as ZeroconfError

        try:
            self.zc.unregister_service(self.info)
        except (OSError, ZeroconfError) as exc:
            log.warning("could not withdraw the LAN announcement: %s", exc)
        finally:
            self.zc.close()


def _local_ipv4() -> list[str]:
    import ifaddr  # comes with zeroconf

    return [
        ip.ip for adapter in ifaddr.get_adapters() for ip in adapter.ips if isinstance(ip.ip, str)
    ]


def _addresses(host: str) -> tuple[list[str], list[str] | None]:
    """The addresses to announce and the interfaces to announce on (None: every one)."""
    local = _local_ipv4()
    if host in _ANY:
        lan = [a for a in local if not ipaddress.ip_address(a).is_loopback]
        return lan or ["127.0.0.1"], None
    try:
        address = str(ipaddress.ip_address(host))
    except ValueError:
        address = socket.gethostbyname(host)
    if address not in local:
        # Checked here: zeroconf, asked for an interface that is not there, leaks a socket.
        raise OSError(f"{address} is not an address of this machine")
    return [address], [address]


def announce(
    *,
    site_code: str,
    port: int,
    ca_fingerprint: str,
    host: str = "0.0.0.0",  # noqa: S104 - the server's own default: every interface
    interfaces: Sequence[str] | None = None,
) -> Announcement | None:
    """Announce the server listening on ``host:port``; None (and a warning) if it cannot.

    ``interfaces`` overrides where to announce (tests use ``["127.0.0.1"]``).
    """
    try:
        import zeroconf
    except ImportError:
        log.warning("not announcing on the LAN: the zeroconf package is not installed")
        return None
    try:
        addresses, on = _addresses(host)
        chosen = list(interfaces) if interfaces is not None else on
        hostname = socket.gethostname().split(".")[0] or "cbt-server"
        info = zeroconf.ServiceInfo(
            SERVICE_TYPE,
            f"{site_code} CBT Station ({hostname})"[:63] + "." + SERVICE_TYPE,
            port=port,
            properties={
                "site": site_code,
                "ca": ca_fingerprint[:CA_PREFIX_CHARS],
                "api": API_VERSION,
            },
            server=f"{hostname}.local.",
            parsed_addresses=addresses,
        )
        zc = zeroconf.Zeroconf(
            interfaces=chosen if chosen is not None else zeroconf.InterfaceChoice.All,
            ip_version=zeroconf.IPVersion.V4Only,
        )
    except (OSError, ValueError, zeroconf.Error) as exc:
        log.warning("not announcing on the LAN: %s", exc)
        return None
    try:
        zc.register_service(info, allow_name_change=True)
    except (OSError, ValueError, zeroconf.Error) as exc:
        log.warning("not announcing on the LAN: %s", exc)
        zc.close()
        return None
    log.info("announced %s on %s", info.name, ", ".join(addresses))
    return Announcement(zc, info)
