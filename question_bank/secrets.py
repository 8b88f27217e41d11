"""Reading passphrases: from the environment variable a flag names, or a prompt.

Never from the command line itself, where ``ps`` and shell history would show them.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Mapping

from question_bank.errors import QuestionBankError


class SecretUnavailableError(QuestionBankError):
    """No variable was named and there is no terminal to ask on."""


def read_secret(
    *,
    env_var: str | None,
    prompt: str,
    environ: Mapping[str, str] | None = None,
    confirm: bool = False,
) -> str:
    environ = os.environ if environ is None else environ
    if env_var:
        value = environ.get(env_var)
        if value is None:
            raise SecretUnavailableError(f"the environment variable {env_var} is not set")
        if not value:
            raise SecretUnavailableError(f"the environment variable {env_var} is empty")
        return value
    if not sys.stdin.isatty():
        raise SecretUnavailableError(
            f"{prompt.rstrip(': ')} is needed: name an environment variable that holds it, "
            "or run in a terminal to be asked"
        )
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != value:
        raise SecretUnavailableError("the two entries differ")
    if not value:
        raise SecretUnavailableError("an empty passphrase is not accepted")
    return value
