from __future__ import annotations

from types import ModuleType

from pydantic import BaseModel, ConfigDict

from crossborder.errors import InvalidVatIdError

# Prefix used in the identifier -> ISO 3166 country (EL is Greece, XI is Northern Ireland).
_PREFIX_COUNTRY = {"EL": "GR", "XI": "GB"}
# Non-EU identifiers that are written with their country letters in front.
_PREFIXED = ("NO", "CH")
_SCHEMES = {
    "au": "AU ABN",
    "ca": "CA BN",
    "ch": "CH UID/MWST",
    "gb": "GB VAT",
    "in": "IN GSTIN",
    "jp": "JP corporate number",
    "kr": "KR business registration number",
    "mx": "MX RFC",
    "no": "NO MVA",
    "nz": "NZ IRD",
    "sg": "SG UEN",
    "tr": "TR VKN",
}


class VatId(BaseModel):
    """A validated VAT or tax identifier.

    Attributes:
        country: ISO 3166-1 alpha-2 country (GR for an EL number, GB for XI).
        prefix: the prefix the identifier carries (``EL``, ``XI``, ``DE``), or ``""``.
        number: the identifier without prefix, compacted (no spaces or dots).
        scheme: which scheme it was checked against (``EU VAT``, ``AU ABN``...).
        formatted: the identifier in its usual printed form.
    """

    model_config = ConfigDict(frozen=True)

    country: str
    prefix: str
    number: str
    scheme: str
    formatted: str

    def __str__(self) -> str:
        return f"{self.prefix}{self.number}"


def _module(country: str) -> ModuleType | None:
    from stdnum.util import get_cc_module

    module: ModuleType | None = get_cc_module(country.lower(), "vat")  # type: ignore[assignment]
    return module


def validate_vat_id(vat_id: str, *, country: str | None = None) -> VatId:
    """Check a VAT id's format and checksum offline (python-stdnum), or raise.

    EU numbers carry their prefix (``DE``, ``EL`` for Greece, ``XI`` for
    Northern Ireland); numbers without a prefix need ``country``.

    Raises:
        InvalidVatIdError: with ``reason`` ``format``, ``length``,
            ``checksum``, ``component`` or ``country``.

    >>> validate_vat_id("EL 094259216").country
    'GR'
    >>> validate_vat_id("53 004 085 616", country="AU").scheme
    'AU ABN'
    >>> validate_vat_id("DE 136 695 970")
    Traceback (most recent call last):
    ...
    crossborder.errors.InvalidVatIdError: DE 136 695 970 is not a valid EU VAT number: ...
    """
    from stdnum import exceptions
    from stdnum.eu import vat as eu_vat

    from crossborder.codes._codes import country_code

    if not isinstance(vat_id, str) or not vat_id.strip():
        raise InvalidVatIdError(
            f"a VAT id must be a non-empty string, got {vat_id!r}", vat_id=vat_id, reason="format"
        )
    wanted = country_code(country) if country is not None else None
    from stdnum.util import clean

    prefix = clean(vat_id, " -./,").upper().strip()[:2]
    if prefix in ("EL", "XI") or (prefix.isalpha() and prefix.lower() in eu_vat.MEMBER_STATES):
        module: ModuleType = eu_vat
        owner = _PREFIX_COUNTRY.get(prefix, prefix)
        scheme = "EU VAT"
    elif prefix == "GB":
        module, owner, scheme = _module("gb") or eu_vat, "GB", "GB VAT"
    elif prefix.isalpha() and prefix in _PREFIXED and (wanted is None or wanted == prefix):
        module, owner = _module(prefix) or eu_vat, prefix
        scheme, prefix = _SCHEMES[prefix.lower()], ""
    elif wanted is not None and _module(wanted) is not None:
        module, owner, prefix = _module(wanted) or eu_vat, wanted, ""
        scheme = _SCHEMES.get(wanted.lower(), f"{wanted} VAT")
    else:
        raise InvalidVatIdError(
            f"cannot tell which country {vat_id!r} belongs to"
            + ("; pass country=" if wanted is None else f"; no checker for {wanted} numbers"),
            vat_id=vat_id,
            reason="country",
        )
    if wanted is not None and wanted != owner:
        raise InvalidVatIdError(
            f"{vat_id} is a {owner} number, not {wanted}", vat_id=vat_id, reason="country"
        )
    try:
        number = module.validate(vat_id)
    except exceptions.ValidationError as exc:
        reason = {
            exceptions.InvalidChecksum: "checksum",
            exceptions.InvalidLength: "length",
            exceptions.InvalidComponent: "component",
        }.get(type(exc), "format")
        raise InvalidVatIdError(
            f"{vat_id} is not a valid {scheme} number: {exc} ({reason})",
            vat_id=vat_id,
            reason=reason,
        ) from None
    bare = number[2:] if prefix and number.startswith(prefix) else number
    formatted = module.format(number) if hasattr(module, "format") else number
    return VatId(country=owner, prefix=prefix, number=bare, scheme=scheme, formatted=formatted)


def is_valid_vat_id(vat_id: str, *, country: str | None = None) -> bool:
    """Whether :func:`validate_vat_id` accepts the id (never raises for bad ids).

    >>> is_valid_vat_id("XI 980780684"), is_valid_vat_id("XI 980780685")
    (True, False)
    """
    from crossborder.errors import InvalidCodeError

    try:
        validate_vat_id(vat_id, country=country)
    except (InvalidVatIdError, InvalidCodeError):
        return False
    return True
