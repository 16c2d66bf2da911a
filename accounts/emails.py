"""The one normalisation of email addresses, for every path that stores or looks one up.

Sign-up (pages and API), log-in, password reset, the admin, `createsuperuser`, the
adoption of the original database: all go through `normalize_email()` (the model's
`save()`, `clean()` and manager call it too), so two addresses that look the same to a
person are one account.
"""

from __future__ import annotations

import re
import unicodedata

import idna

#: Unicode's Default_Ignorable_Code_Point property: characters that render as nothing
#: (soft hyphen, zero-width space/joiners, bidirectional marks, word joiner, BOM,
#: variation selectors, Hangul fillers, tags...). Python has no such property; the
#: ranges are those of DerivedCoreProperties.txt, Unicode 15.1
#: (https://www.unicode.org/Public/15.1.0/ucd/DerivedCoreProperties.txt), merged.
DEFAULT_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
DEFAULT_IGNORABLE_RE = re.compile(
    "[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in DEFAULT_IGNORABLE_RANGES) + "]"
)


def _fold(text: str) -> str:
    """Return `text` in NFKC, lower-cased, without default-ignorable characters."""
    # Until stable: NFKC can make capitals (U+3381 "㎁" is "nA"), lower() can leave
    # a string that NFKC changes again; two rounds settle every real address.
    for _ in range(3):
        folded = DEFAULT_IGNORABLE_RE.sub("", unicodedata.normalize("NFKC", text))
        folded = folded.strip().lower()
        if folded == text:
            break
        text = folded
    return text


def _ascii_domain(domain: str) -> str:
    """Return `domain` IDNA-encoded (bücher.de: xn--bcher-kva.de), as is if invalid."""
    if not domain or domain.isascii():
        return domain
    try:
        # IDNA 2008 with UTS 46 mapping, as browsers and mail servers resolve names.
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        pass
    try:
        # Names IDNA 2008 refuses but IDNA 2003 allowed (symbols): still one spelling.
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain  # not a valid name: the email validators refuse it


def normalize_email(email: str | None) -> str:
    """Return `email` as it is stored and looked up: one spelling per address.

    Unicode NFKC (fullwidth "ｘ" is "x", long "ſ" is "s"), default-ignorable
    characters removed (they are invisible, so the person typing meant the address
    without them), trimmed, lower-cased, and the domain IDNA-encoded. Anything but a
    string (a number or a list sent as JSON) is no address: "" comes back.
    """
    if not isinstance(email, str):
        return ""
    folded = _fold(email)
    local, at, domain = folded.rpartition("@")
    if not at:
        return folded
    return f"{local}@{_ascii_domain(domain)}".lower()
