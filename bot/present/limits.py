"""Discord's limits, defined once: embeds, message content and message components.

Embeds: https://discord.com/developers/docs/resources/message#embed-object-embed-limits.
Components: https://discord.com/developers/docs/components/reference.
"""

from __future__ import annotations

from typing import Final

from bot.core.limits import MAX_CHOICE_LABEL, MAX_OFFERS

# Embeds.
TITLE_LIMIT: Final = 256
DESCRIPTION_LIMIT: Final = 4096
FIELD_COUNT_LIMIT: Final = 25
FIELD_NAME_LIMIT: Final = 256
FIELD_VALUE_LIMIT: Final = 1024
FOOTER_LIMIT: Final = 2048
EMBED_TOTAL_LIMIT: Final = 6000
IMAGE_URL_LIMIT: Final = 2048
# An uploaded file an embed shows: `attachment://<filename>`; Discord resolves only plain names.
ATTACHMENT_SCHEME: Final = "attachment://"
ATTACHMENT_NAME_PATTERN: Final = r"[A-Za-z0-9_.-]{1,1024}"

# Messages.
MESSAGE_CONTENT_LIMIT: Final = 2000

# Components.
ACTION_ROW_LIMIT: Final = 5
BUTTONS_PER_ROW_LIMIT: Final = 5
CUSTOM_ID_LIMIT: Final = 100
# The two the core also answers within (choices' labels, how many it offers) are defined there.
LABEL_LIMIT: Final = MAX_CHOICE_LABEL
SELECT_OPTION_LIMIT: Final = MAX_OFFERS
