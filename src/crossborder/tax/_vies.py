from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from pydantic import BaseModel, ConfigDict

from crossborder.errors import InvalidVatIdError, ServiceError
from crossborder.tax._vatid import validate_vat_id

VIES_URL = "https://ec.europa.eu/taxation_customs/vies/rest-api"


class ViesResult(BaseModel):
    """What the EU's VIES service said about a VAT id, on the day it was asked."""

    model_config = ConfigDict(frozen=True)

    country: str
    number: str
    valid: bool
    request_date: str | None = None
    name: str | None = None
    address: str | None = None


def check_vies(vat_id: str, *, timeout: float = 10.0, base_url: str = VIES_URL) -> ViesResult:
    """Ask the EU's VIES service whether an EU VAT id is registered (online, opt-in).

    The id is checked offline first (format and checksum); only a well-formed
    EU id is sent. Nothing else in the library goes online, and no test does.

    Raises:
        InvalidVatIdError: the id is malformed, or not an EU number.
        ServiceError: VIES refused, failed or did not answer within ``timeout`` seconds.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 120:
        raise ServiceError(
            f"timeout must be a number of seconds from 0 to 120, got {timeout!r}", service="VIES"
        )
    checked = validate_vat_id(vat_id)
    if checked.scheme != "EU VAT":
        raise InvalidVatIdError(
            f"{vat_id} is not an EU VAT number: VIES only knows EU numbers",
            vat_id=vat_id,
            reason="country",
        )
    payload = json.dumps({"countryCode": checked.prefix, "vatNumber": checked.number}).encode()
    request = urllib.request.Request(
        f"{base_url.rstrip('/')}/check-vat-number",
        data=payload,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: dict[str, Any] = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise ServiceError(f"VIES answered HTTP {exc.code} for {checked}", service="VIES") from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise ServiceError(f"VIES could not be reached: {exc}", service="VIES") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ServiceError(f"VIES sent a reply that is not JSON: {exc}", service="VIES") from exc
    error = body.get("errorWrappers") or body.get("userError")
    if error and error not in ("VALID", "INVALID"):
        raise ServiceError(f"VIES could not check {checked}: {error}", service="VIES")
    if "valid" not in body and "isValid" not in body:
        raise ServiceError(f"VIES reply has no validity field: {body}", service="VIES")
    return ViesResult(
        country=checked.country,
        number=str(checked),
        valid=bool(body.get("valid", body.get("isValid"))),
        request_date=body.get("requestDate"),
        name=body.get("name") or None,
        address=body.get("address") or None,
    )
