"""The rewards shop: rewards admins list, redemptions paid from a balance apart from the all-time score, payouts.

A member's balance is their all-time points (adjustments included) less the points their pending and
fulfilled redemptions hold; a refused redemption gives its points back. Spending never changes the
all-time score nor any leaderboard.
"""

from engagement.shop._addresses import EVM, SOLANA, PayoutAddress, payout_address
from engagement.shop._models import Balance, Redemption, Reward, shown
from engagement.shop._payouts import (
    PAYOUT_COLUMNS,
    PayoutsExport,
    payouts_csv,
    register_payout_address,
    registered_address,
)
from engagement.shop._redeem import (
    REDEMPTIONS_PAGE_SIZE,
    Redeemed,
    RedemptionsPage,
    fulfil,
    my_redemptions,
    pending_redemptions,
    redeem,
    refuse,
)
from engagement.shop._rewards import (
    MAX_COST,
    MAX_DESCRIPTION,
    MAX_LIMIT,
    MAX_NAME,
    MAX_STOCK,
    SHOP_PAGE_SIZE,
    ShopPage,
    StockChange,
    add_reward,
    balance,
    check_reward,
    check_role,
    find_reward,
    retire_reward,
    reward_names,
    set_stock,
    shop_page,
    stock_value,
)

__all__ = [
    "EVM",
    "MAX_COST",
    "MAX_DESCRIPTION",
    "MAX_LIMIT",
    "MAX_NAME",
    "MAX_STOCK",
    "PAYOUT_COLUMNS",
    "REDEMPTIONS_PAGE_SIZE",
    "SHOP_PAGE_SIZE",
    "SOLANA",
    "Balance",
    "PayoutAddress",
    "PayoutsExport",
    "Redeemed",
    "Redemption",
    "RedemptionsPage",
    "Reward",
    "ShopPage",
    "StockChange",
    "add_reward",
    "balance",
    "check_reward",
    "check_role",
    "find_reward",
    "fulfil",
    "my_redemptions",
    "payout_address",
    "payouts_csv",
    "pending_redemptions",
    "redeem",
    "refuse",
    "register_payout_address",
    "registered_address",
    "retire_reward",
    "reward_names",
    "set_stock",
    "shop_page",
    "shown",
    "stock_value",
]
