"""Writing the little TOML our source files need (the standard library only reads TOML)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

Value = str | int | bool | Sequence["Value"] | Mapping[str, "Value"]


def string(text: str) -> str:
    """A TOML string; multi-line text becomes a readable ``'''`` or ``\"\"\"`` block."""
    if "\n" in text:
        if "'''" not in text and not any(ord(c) < 32 and c not in "\n\t" for c in text):
            return "'''\n" + text + ("\n" if not text.endswith("\n") else "") + "'''"
        return '"""\n' + _escape(text, keep_newlines=True) + '"""'
    return '"' + _escape(text, keep_newlines=False) + '"'


def _escape(text: str, *, keep_newlines: bool) -> str:
    out: list[str] = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n" and keep_newlines:
            out.append("\n")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def value(v: Value) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return string(v)
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{key(k)} = {value(x)}" for k, x in v.items()) + " }"
    items = [value(x) for x in v]
    if any("\n" in i for i in items) or sum(len(i) for i in items) > 60:
        return "[\n" + "".join(f"  {i},\n" for i in items) + "]"
    return "[" + ", ".join(items) + "]"


def key(name: str) -> str:
    if name and all(c.isalnum() or c in "-_" for c in name) and name.isascii():
        return name
    return string(name)


def table(entries: Mapping[str, Value]) -> str:
    """The body of a table: ``name = value`` lines."""
    return "".join(f"{key(k)} = {value(v)}\n" for k, v in entries.items())
