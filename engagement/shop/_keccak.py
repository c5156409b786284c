"""Keccak-256 as Ethereum uses it (the original Keccak padding, not SHA3-256's), in pure Python.

hashlib has SHA3-256 only, and its OpenSSL here has no KECCAK-256; the one use (an EIP-55 checksum of a
20-byte address) hashes 40 characters, so a compact sponge is plenty fast.
"""

from __future__ import annotations

_MASK = (1 << 64) - 1
_RATE = 136  # bytes: 1600-bit state less twice the 256-bit output
KECCAK_PAD, SHA3_PAD = 0x01, 0x06  # the domain byte: Ethereum's Keccak, or FIPS 202 SHA3 (the test reference)


def _rc_bit(t: int) -> int:
    """Bit t of the round-constant LFSR (FIPS 202, algorithm 5)."""
    r = 1
    for _ in range(t % 255):
        r <<= 1
        if r & 0x100:
            r ^= 0x171
    return r & 1


def _offsets() -> list[int]:
    """The rho step's rotation of each lane, by index x + 5y."""
    rotations, x, y = [0] * 25, 1, 0
    for t in range(24):
        rotations[x + 5 * y] = (t + 1) * (t + 2) // 2 % 64
        x, y = y, (2 * x + 3 * y) % 5
    return rotations


ROUND_CONSTANTS = [sum(_rc_bit(j + 7 * i) << (2**j - 1) for j in range(7)) for i in range(24)]
ROTATIONS = _offsets()


def _rotl(lane: int, n: int) -> int:
    return ((lane << n) | (lane >> (64 - n))) & _MASK if n else lane


def _permute(a: list[int]) -> None:
    """Keccak-f[1600] on the 25 lanes in place."""
    for rc in ROUND_CONSTANTS:
        c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rotl(c[(x + 1) % 5], 1) for x in range(5)]
        b = [0] * 25
        for i in range(25):
            x, y = i % 5, i // 5
            b[y + 5 * ((2 * x + 3 * y) % 5)] = _rotl(a[i] ^ d[x], ROTATIONS[i])
        for i in range(25):
            x, y = i % 5, i // 5
            a[i] = b[i] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y])
        a[0] ^= rc


def sponge_256(data: bytes, pad: int = KECCAK_PAD) -> bytes:
    """The 32-byte digest of `data`: Keccak-256 with the default pad, SHA3-256 with SHA3_PAD."""
    padded = bytearray(data) + bytes([pad]) + bytes(-(len(data) + 1) % _RATE)
    padded[-1] |= 0x80
    state = [0] * 25
    for start in range(0, len(padded), _RATE):
        block = padded[start : start + _RATE]
        for i in range(_RATE // 8):
            state[i] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        _permute(state)
    return b"".join(lane.to_bytes(8, "little") for lane in state[:4])


def keccak256(data: bytes) -> bytes:
    return sponge_256(data, KECCAK_PAD)
