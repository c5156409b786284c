"""The Verify button and the texts around it."""

from __future__ import annotations

import discord

from bot.views import OwnedView
from engagement.connections import ConnectResult, PendingConnect, verify_connect
from engagement.models import VerifiedBy
from engagement.services import Services
from rules.wording import plural

SIGN_IN_TEXT = (
    "Press **Sign in with X** and approve on X: your account is linked at once, and likes on your posts count "
    "(X shows who liked a post only to its author). The link works once, for 10 minutes."
)


def instructions(pending: PendingConnect, *, sign_in: bool = False) -> str:
    text = (
        f"To prove that **@{pending.handle}** is yours, put this code in your X bio or in a post:\n"
        f"```{pending.code}```"
        f"Then press **Verify**. The code is valid for {plural(pending.valid_minutes, 'minute')}; "
        "you can remove it from X once you are connected."
    )
    if sign_in:
        text += "\nOr press **Sign in with X** instead: no code, and likes on your posts count too."
    return text


THREADS_TEXT = (
    "Press **Connect Threads** and approve at Threads: your Threads account is linked at once, and you can "
    "/submit your Threads posts. Replies to them by other members earn points; Threads does not say who liked "
    "or reposted a post, so those count in analytics only. The link works once, for 10 minutes."
)


def sign_in_button(link: str, label: str = "Sign in with X") -> discord.ui.Button[discord.ui.View]:
    return discord.ui.Button(label=label, style=discord.ButtonStyle.link, url=link)


def link_view(label: str, link: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(sign_in_button(link, label))
    return view


def sign_in_view(link: str) -> discord.ui.View:
    return link_view("Sign in with X", link)


def connected(result: ConnectResult, *, again: bool = False) -> str:
    moved = " Your previous X account was unlinked." if result.replaced_x_user_id else ""
    if again:
        return f"Connected **@{result.handle}**: you proved this account before, so no code is needed.{moved}"
    where = "bio" if result.verified_by is VerifiedBy.BIO else "post"
    return f"Connected **@{result.handle}** (code found in your {where}).{moved} You can remove the code now."


class VerifyView(OwnedView):
    def __init__(self, services: Services, owner_id: int, *, timeout: float, sign_in: str | None = None) -> None:
        super().__init__(owner_id, timeout=timeout)
        self.services = services
        if sign_in is not None:
            self.add_item(sign_in_button(sign_in))

    @discord.ui.button(label="Verify", style=discord.ButtonStyle.primary)
    async def verify(self, interaction: discord.Interaction, button: discord.ui.Button[VerifyView]) -> None:
        await interaction.response.defer()  # looking the account up on X can take a few seconds
        result = await verify_connect(self.services, str(interaction.user.id))
        self.stop()
        await interaction.edit_original_response(content=connected(result), view=None)
