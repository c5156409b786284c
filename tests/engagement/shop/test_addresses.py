"""Payout addresses: Keccak-256 and EIP-55 against their reference vectors, base58 and Solana's 32 bytes."""

from __future__ import annotations

import hashlib

import pytest

from engagement import shop
from engagement.errors import InvalidInput
from engagement.shop._addresses import base58_decode, eip55
from engagement.shop._keccak import SHA3_PAD, keccak256, sponge_256
from engagement.store import Store
from tests.conftest import dump_keyspace
from tests.engagement.shop.world import ALICE

# EIP-55's own test vectors (the all-caps and all-lower ones are their own checksum).
EIP55_VECTORS = [
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]
CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"


def test_keccak256_reference_vectors() -> None:
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert keccak256(b"abc").hex() == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"


@pytest.mark.parametrize("length", [0, 1, 135, 136, 137, 271, 272, 1000])
def test_the_same_sponge_with_sha3_padding_is_hashlibs_sha3_256(length: int) -> None:
    data = bytes(range(256)) * 4
    assert sponge_256(data[:length], SHA3_PAD) == hashlib.sha3_256(data[:length]).digest()  # every block boundary


@pytest.mark.parametrize("address", EIP55_VECTORS)
def test_eip55_vectors(address: str) -> None:
    assert eip55(address[2:]) == address
    assert shop.payout_address(address) == shop.PayoutAddress(shop.EVM, address)


@pytest.mark.parametrize("typed", [CHECKSUMMED.lower(), "0x" + CHECKSUMMED[2:].upper(), f"  {CHECKSUMMED.lower()} "])
def test_one_case_is_accepted_and_stored_checksummed(typed: str) -> None:
    assert shop.payout_address(typed).address == CHECKSUMMED


def test_a_bad_checksum_is_refused() -> None:
    typo = CHECKSUMMED.replace("aAeb", "aaeb")  # one letter's case flipped
    with pytest.raises(InvalidInput, match="fails its EIP-55 checksum"):
        shop.payout_address(typo)


@pytest.mark.parametrize("typed", ["0x" + "a" * 39, "0x" + "a" * 41, "0x" + "g" * 40, "0x"])
def test_an_evm_address_of_the_wrong_shape_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="0x followed by 40 hex digits"):
        shop.payout_address(typed)


@pytest.mark.parametrize(
    ("encoded", "hex_bytes"),
    [
        ("2g", "61"),
        ("a3gV", "626262"),
        ("1111111111", "00" * 10),
        ("11233QC4", "0000287fb4cd"),
        ("1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L", "00eb15231dfceb60925886b67d065299925915aeb172c06647"),
    ],
)
def test_base58_vectors(encoded: str, hex_bytes: str) -> None:
    assert base58_decode(encoded).hex() == hex_bytes


@pytest.mark.parametrize("address", [TOKEN_PROGRAM, "1" * 32, "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"])
def test_a_solana_address_is_accepted_as_typed(address: str) -> None:
    assert shop.payout_address(address) == shop.PayoutAddress(shop.SOLANA, address)
    assert len(base58_decode(address)) == 32


@pytest.mark.parametrize("bad", ["0", "O", "I", "l"])
def test_a_character_base58_never_uses_is_refused(bad: str) -> None:
    with pytest.raises(InvalidInput, match=f"`{bad}` is not a base58 character"):
        shop.payout_address(TOKEN_PROGRAM[:10] + bad + TOKEN_PROGRAM[11:])


@pytest.mark.parametrize("typed", [TOKEN_PROGRAM[:31], TOKEN_PROGRAM + "zz", "abc"])
def test_a_solana_address_of_the_wrong_length_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match=f"32-44 base58 characters; `{typed}` has {len(typed)}"):
        shop.payout_address(typed)


def test_base58_of_the_right_length_but_not_32_bytes_is_refused() -> None:
    with pytest.raises(InvalidInput, match="decodes to 33 bytes, not the 32"):
        shop.payout_address("z" * 44)


async def test_a_good_address_is_stored_and_shown(store: Store) -> None:
    assert await shop.registered_address(store, ALICE) is None
    await shop.register_payout_address(store, ALICE, CHECKSUMMED.lower())
    assert await store.redis.hget(store.keys.payout_addresses(), ALICE) == f"evm:{CHECKSUMMED}"
    assert await shop.registered_address(store, ALICE) == shop.PayoutAddress(shop.EVM, CHECKSUMMED)
    await shop.register_payout_address(store, ALICE, TOKEN_PROGRAM)  # a second one replaces the first
    assert await shop.registered_address(store, ALICE) == shop.PayoutAddress(shop.SOLANA, TOKEN_PROGRAM)


@pytest.mark.parametrize("typed", ["", "0x123", CHECKSUMMED.replace("aAeb", "aaeb"), "0" * 40, TOKEN_PROGRAM[:31]])
async def test_a_bad_address_stores_nothing(store: Store, typed: str) -> None:
    await shop.register_payout_address(store, ALICE, TOKEN_PROGRAM)
    before = await dump_keyspace(store.redis)
    with pytest.raises(InvalidInput, match="Nothing was stored"):
        await shop.register_payout_address(store, ALICE, typed)
    assert await dump_keyspace(store.redis) == before
