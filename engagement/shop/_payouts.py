"""Members' payout addresses and the payouts CSV an external tool pays from (nothing here touches a chain)."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import NamedTuple

from engagement import validation
from engagement.admin._export import _cell
from engagement.errors import DamagedData
from engagement.shop._addresses import CHAIN_NAMES, PayoutAddress, payout_address
from engagement.store import Store
from rules.wording import plural

log = logging.getLogger(__name__)

PAYOUT_COLUMNS = ("discord_id", "display_name", "address", "chain", "points")


def _stored(discord_id: str, value: str) -> PayoutAddress:
    chain, _, address = value.partition(":")
    if chain not in CHAIN_NAMES or not address:
        raise DamagedData(f"the payout address of {discord_id} is not `chain:address`")
    return PayoutAddress(chain, address)


async def register_payout_address(store: Store, discord_id: str, value: object) -> PayoutAddress:
    """Check and store the member's payout address (EVM stored checksummed); a bad one stores nothing."""
    member = validation.discord_id(discord_id)
    address = payout_address(value)
    await store.set_payout_address(member, address.chain, address.address)
    log.info("member %s registered a %s payout address", member, address.chain_name)
    return address


async def registered_address(store: Store, discord_id: str) -> PayoutAddress | None:
    member = validation.discord_id(discord_id)
    value = await store.payout_address_of(member)
    return _stored(member, value) if value else None


class PayoutsExport(NamedTuple):
    filename: str
    csv_text: str
    rows: int


async def payouts_csv(store: Store, actor_id: str, display_names: Mapping[str, str]) -> PayoutsExport:
    """Every member with a payout address, most all-time points first; audited (member data read out).

    `display_names` maps discord id -> the name the bot sees now, else the one the member last used.
    """
    actor = validation.discord_id(actor_id)
    addresses = {member: _stored(member, value) for member, value in (await store.payout_addresses()).items()}
    members = list(addresses)
    points = await store.points_of(members)
    names = {**await store.display_names(members), **display_names}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PAYOUT_COLUMNS)
    for member in sorted(members, key=lambda m: (-points[m], int(m))):
        address = addresses[member]
        writer.writerow([member, _cell(names.get(member, "")), address.address, address.chain, points[member]])
    day = datetime.fromtimestamp(store.now(), UTC).strftime("%Y-%m-%d")
    export = PayoutsExport(f"payouts-{day}.csv", out.getvalue(), len(members))
    await store.audit(actor, "payouts-export", "payout addresses", "", plural(export.rows, "row"))
    log.info("admin %s exported %d payout addresses", actor, export.rows)
    return export
