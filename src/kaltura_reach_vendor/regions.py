"""Service URLs by region and the HTTPS guard (AUTH-1, AUTH-2; reference §15.1).

A client's service URL is always explicit: a :class:`Region` preset or a URL. Plain
``http://`` is refused except for loopback hosts (the local sandbox) or an explicit
``allow_insecure_http=True``.
"""

from __future__ import annotations

import enum
import ipaddress
from urllib.parse import urlsplit

from .errors import ConfigurationError, InsecureTransportError

__all__ = ["Region", "resolve_service_url"]


class Region(str, enum.Enum):
    """Kaltura SaaS regions. Task ids are unique only within one region (POLL-5)."""

    US = "https://api.kaltura.com"
    EU = "https://api.eu.kaltura.com"
    CA = "https://api.ca.kaltura.com"
    DE = "https://api.de.kaltura.com"
    AP = "https://api.ap.kaltura.com"
    SG = "https://api.sg.kaltura.com"

    @property
    def url(self) -> str:
        return self.value


def _is_loopback(host: str) -> bool:
    if host in {"localhost", "localhost.localdomain"} or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_service_url(
    *,
    region: Region | str | None = None,
    service_url: str | None = None,
    allow_insecure_http: bool = False,
) -> str:
    """The base URL to call, without a trailing ``/`` or ``/api_v3``.

    Exactly one of ``region`` and ``service_url`` must be given (AUTH-2).
    """
    if (region is None) == (service_url is None):
        raise ConfigurationError(
            "give exactly one of region=Region.US/EU/CA/DE/AP/SG or service_url='https://...'"
        )
    if region is not None:
        if isinstance(region, Region):
            return region.url
        try:
            return Region[str(region).upper()].url
        except KeyError:
            names = ", ".join(r.name for r in Region)
            raise ConfigurationError(f"unknown region {region!r}; known: {names}") from None
    assert service_url is not None
    url = service_url.strip().rstrip("/")
    if url.endswith("/api_v3"):
        url = url[: -len("/api_v3")]
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigurationError(f"service_url must be an https:// URL, got {url!r}")
    if parts.scheme == "http" and not (allow_insecure_http or _is_loopback(parts.hostname)):
        raise InsecureTransportError(
            f"refusing plain-HTTP service URL {url!r}: Kaltura API calls must use HTTPS "
            "(AUTH-1); pass allow_insecure_http=True only for a trusted test host"
        )
    return url
