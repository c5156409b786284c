"""Payout addresses a member registers: EVM (EIP-55 checksummed) or Solana (base58 of 32 bytes). No chain is asked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from engagement.errors import InvalidInput
from engagement.shop._keccak import keccak256

EVM, SOLANA = "evm", "solana"
CHAIN_NAMES = {EVM: "EVM", SOLANA: "Solana"}
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_VALUE = {char: value for value, char in enumerate(BASE58_ALPHABET)}
_HEX40 = re.compile(r"[0-9a-fA-F]{40}")
SOLANA_LENGTHS = (32, 44)
_SHOWN = 60  # how much of a bad value a message repeats


@dataclass(frozen=True)
class PayoutAddress:
    chain: str  # EVM or SOLANA
    address: str  # as stored: EVM checksummed, Solana as given

    @property
    def chain_name(self) -> str:
        return CHAIN_NAMES[self.chain]


def eip55(hex40: str) -> str:
    """`0x` + the 40 hex digits with EIP-55's mixed-case checksum."""
    lower = hex40.lower()
    digest = keccak256(lower.encode("ascii")).hex()
    return "0x" + "".join(
        c.upper() if c.isalpha() and int(h, 16) >= 8 else c for c, h in zip(lower, digest[:40], strict=True)
    )


def evm_address(value: str) -> str:
    """The checksummed form of an EVM address; mixed case must already be the checksum (it catches typos)."""
    digits = value[2:]
    if not _HEX40.fullmatch(digits):
        raise InvalidInput(
            f"An EVM address is 0x followed by 40 hex digits (0-9, a-f); `{value[:_SHOWN]}` has {len(digits)} "
            "characters after 0x or a character that is not hex. Nothing was stored."
        )
    checksummed = eip55(digits)
    if digits not in (digits.lower(), digits.upper()) and value != checksummed:
        raise InvalidInput(
            f"`{value}` fails its EIP-55 checksum (its mix of capital and small letters does not match): it has a "
            "typo. Copy it again from your wallet. Nothing was stored."
        )
    return checksummed


def base58_decode(value: str) -> bytes:
    """The bytes of a base58 string (Bitcoin's alphabet; each leading `1` is a zero byte)."""
    number = 0
    for char in value:
        if char not in _BASE58_VALUE:
            raise InvalidInput(
                f"`{char}` is not a base58 character, so `{value[:_SHOWN]}` is not a Solana address (base58 never "
                "uses 0, O, I or l). Nothing was stored."
            )
        number = number * 58 + _BASE58_VALUE[char]
    zeros = len(value) - len(value.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return bytes(zeros) + body


def solana_address(value: str) -> str:
    """A Solana address as given, once it is 32-44 base58 characters that decode to a 32-byte key."""
    low, high = SOLANA_LENGTHS
    if not low <= len(value) <= high:
        raise InvalidInput(
            f"A Solana address is {low}-{high} base58 characters; `{value[:_SHOWN]}` has {len(value)}. "
            "(An EVM address starts with 0x.) Nothing was stored."
        )
    decoded = base58_decode(value)
    if len(decoded) != 32:
        raise InvalidInput(
            f"`{value}` decodes to {len(decoded)} bytes, not the 32 of a Solana address. Nothing was stored."
        )
    return value


def payout_address(value: object) -> PayoutAddress:
    """Check a typed address: `0x...` is EVM, anything else must be Solana."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidInput("Give an address: an EVM one (0x and 40 hex digits) or a Solana one. Nothing was stored.")
    if text[:2] in ("0x", "0X"):
        return PayoutAddress(EVM, evm_address("0x" + text[2:]))
    return PayoutAddress(SOLANA, solana_address(text))
