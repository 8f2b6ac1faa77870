"""What every docgen command shares: Vietnamese help, and errors shown as one located Vietnamese message
with its exit code (never a traceback)."""
from __future__ import annotations

import functools
import os
import sys

import click

from .errors import DocgenError, ValidationFailed

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
HELP_TEXT = "Hiện hướng dẫn này rồi thoát."


class _Command(click.Command):
    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


class _Group(click.Group):
    """A group whose ``lazy_commands`` (name → "module:attribute") are imported only when run or listed."""

    command_class = _Command

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: dict[str, str] = {}

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx, name):
        if name not in self.commands and name in self.lazy_commands:
            import importlib

            module, attribute = self.lazy_commands[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


def friendly(func):
    """Turn every docgen error into a Vietnamese message and its exit code; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            _echo_err(exc.report.to_text("KẾT QUẢ KIỂM TRA").rstrip())
            _echo_err(f"\n{exc}")
            sys.exit(exc.exit_code)
        except DocgenError as exc:
            _echo_err(f"Lỗi: {exc}")
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            from .signals import stopped_message

            _echo_err(stopped_message(2))
            sys.exit(130)
        except click.exceptions.Exit:
            raise
        except (click.ClickException, click.Abort):
            raise
        except Exception as exc:  # a bug: still no traceback for the clerk
            if os.environ.get("DOCGEN_DEBUG"):
                raise
            _echo_err(f"Lỗi không mong đợi ({type(exc).__name__}: {exc}). Không có tệp dở dang nào được ghi. "
                      "Chạy lại với biến môi trường DOCGEN_DEBUG=1 để xem chi tiết và báo cho nhóm phát triển.")
            sys.exit(4)

    return wrapper
