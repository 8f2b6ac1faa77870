"""``docgen serve --shortcut``: a desktop icon that starts the web app and opens the browser."""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

NAME = "docgen – Hồ sơ thi đua khen thưởng"


def desktop_dir() -> Path:
    """The desktop folder (XDG_DESKTOP_DIR or xdg-user-dir on Linux, ~/Desktop elsewhere)."""
    if sys.platform.startswith("linux"):
        env = os.environ.get("XDG_DESKTOP_DIR")
        if env:
            return Path(os.path.expandvars(env)).expanduser()
        try:
            out = subprocess.run(["xdg-user-dir", "DESKTOP"], capture_output=True, text=True, timeout=5).stdout.strip()
            if out and Path(out) != Path.home():
                return Path(out)
        except (OSError, subprocess.SubprocessError):
            pass
    if sys.platform.startswith("win"):
        return Path(os.environ.get("USERPROFILE") or Path.home()) / "Desktop"
    return Path.home() / "Desktop"


def make_shortcut(folder: Path | None = None, extra_args: tuple[str, ...] = ()) -> Path:
    """Write the shortcut for this platform and return its path."""
    folder = folder or desktop_dir()
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "docgen", "serve", *extra_args]
    if sys.platform.startswith("win"):
        target = folder / "docgen.cmd"
        line = subprocess.list2cmdline(command)
        target.write_text(f"@echo off\r\ntitle {NAME}\r\n{line}\r\npause\r\n", encoding="utf-8")
        return target
    if sys.platform == "darwin":
        target = folder / "docgen.command"
        target.write_text(f"#!/bin/sh\nexec {shlex.join(command)}\n", encoding="utf-8")
    else:
        target = folder / "docgen.desktop"
        exec_line = " ".join(_desktop_quote(part) for part in command)
        target.write_text("[Desktop Entry]\nType=Application\nVersion=1.0\n"
                          f"Name={NAME}\nComment=Soạn hồ sơ thi đua - khen thưởng đúng Nghị định 30/2020/NĐ-CP\n"
                          f"Exec={exec_line}\nTerminal=true\nCategories=Office;\n", encoding="utf-8")
    target.chmod(0o755)
    return target


def _desktop_quote(arg: str) -> str:
    """Quoting of the Desktop Entry specification's Exec key."""
    if not any(ch in arg for ch in ' \t\n"\'\\><~|&;$*?#()`'):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'
