"""Discord's limits: the documented values, each defined once."""

from __future__ import annotations

from bot.present import limits


def test_embed_limits_are_discords() -> None:
    """Title 256, description 4096, 25 fields of 256/1024, footer 2048, 6000 in all."""
    assert (limits.TITLE_LIMIT, limits.DESCRIPTION_LIMIT) == (256, 4096)
    assert (limits.FIELD_COUNT_LIMIT, limits.FIELD_NAME_LIMIT) == (25, 256)
    assert (limits.FIELD_VALUE_LIMIT, limits.FOOTER_LIMIT) == (1024, 2048)
    assert limits.EMBED_TOTAL_LIMIT == 6000


def test_message_and_component_limits_are_discords() -> None:
    """Content 2000; 5 rows of 5 buttons; custom_id 100, label 80, 25 select options."""
    assert limits.MESSAGE_CONTENT_LIMIT == 2000
    assert (limits.ACTION_ROW_LIMIT, limits.BUTTONS_PER_ROW_LIMIT) == (5, 5)
    assert (limits.CUSTOM_ID_LIMIT, limits.LABEL_LIMIT) == (100, 80)
    assert limits.SELECT_OPTION_LIMIT == 25
