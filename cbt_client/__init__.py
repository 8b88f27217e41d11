"""The candidate station: a Qt-free core and a Qt face (``cbt_client.ui``).

The core signs a candidate in, keeps the exam going on and offline, journals
every answer on disk before sending it, follows the server's clock, and ends
the exam; the screens and the headless bot both drive it. See docs/client.md.
"""

from cbt_client.answers import Answer, Tally
from cbt_client.bot import BotLogin, BotResult, Pace, run_bot, run_bots
from cbt_client.config import StationConfig
from cbt_client.courier import Courier
from cbt_client.errors import ClientError
from cbt_client.session import Event, EventKind, ExamSession, Link, Phase, SyncPolicy
from cbt_client.transport import RetryPolicy, ServerApi, Transport

__all__ = [
    "Answer",
    "BotLogin",
    "BotResult",
    "ClientError",
    "Courier",
    "Event",
    "EventKind",
    "ExamSession",
    "Link",
    "Pace",
    "Phase",
    "RetryPolicy",
    "ServerApi",
    "StationConfig",
    "SyncPolicy",
    "Tally",
    "Transport",
    "run_bot",
    "run_bots",
]
