"""The delivery channels of the Lerarenkaart, as the minister's answer names them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Channel:
    """A delivery channel: identifier, the answer's column header, Dutch label."""

    channel_id: str
    source_label: str
    label_nl: str


CHANNELS: tuple[Channel, ...] = (
    # abonnement op Klasse: the card comes with the magazine Klasse.
    Channel("subscription", "Kaarten met abonnement", "Abonnement op Klasse"),
    # (her)startende leerkrachten: sent home once with an issue of Klasse.
    Channel("starters", "Kaarten voor (her)starters", "(Her)startende leraren"),
    # afhaalpunt: mostly public libraries; the only channel known per province.
    Channel("pickup_points", "Kaarten via afhaalpunten", "Afhaalpunten"),
)

CHANNEL_IDS: tuple[str, ...] = tuple(channel.channel_id for channel in CHANNELS)
PICKUP_POINTS = "pickup_points"
MAILED_CHANNELS: tuple[str, ...] = ("subscription", "starters")

_BY_LABEL = {channel.source_label.casefold(): channel for channel in CHANNELS}
_BY_ID = {channel.channel_id: channel for channel in CHANNELS}


def find_channel(label: str) -> Channel:
    """Find a channel by the answer's column header or by its identifier.

    Raises KeyError listing the accepted headers when nothing matches.
    """
    channel = _BY_LABEL.get(label.strip().casefold()) or _BY_ID.get(label.strip())
    if channel is None:
        accepted = "; ".join(channel.source_label for channel in CHANNELS)
        raise KeyError(f"unknown channel {label!r}; expected one of: {accepted}")
    return channel


def label_nl(channel_id: str) -> str:
    """Return the Dutch label of a channel identifier."""
    return _BY_ID[channel_id].label_nl
