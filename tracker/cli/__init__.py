"""The ``certjourney`` command.

This package imports only click at start-up: every command imports the
services it needs inside its body, so ``--help`` stays instant and
``start``/``stop`` never load Textual or genanki. Domain errors
(``TrackerError``) are turned into one line and exit 1 here, once.
"""

from __future__ import annotations

import click

from tracker import __version__
from tracker.errors import TrackerError


class UsageMistake(click.ClickException):
    """A usage error (unknown option, a value of the wrong type) said in one line."""

    exit_code = 2


def _one_line(exc: click.UsageError) -> click.ClickException:
    if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: its help is the answer
        return exc
    where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
    return UsageMistake(exc.format_message() + where)


class TrackerGroup(click.Group):
    """A group that maps the TrackerError family to a one-line ClickException, and click's
    usage errors (printed with the usage and a hint, three lines) to one line, exit 2."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            raise click.ClickException(str(exc)) from None
        except click.UsageError as exc:
            raise _one_line(exc) from None


@click.group(cls=TrackerGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="URL", help="Database: a file path, sqlite:///PATH or "
              "postgresql://... (default: $CERTJOURNEY_DB, else a file in your data folder).")
@click.option("--learner", metavar="NAME", help="Whose data to use (default: "
              "$CERTJOURNEY_LEARNER, else your login name).")
@click.option("--catalog-dir", "catalog_dirs", metavar="DIR", multiple=True,
              help="Extra folder of exam catalog files (*.toml); repeatable. Also "
              "$CERTJOURNEY_CATALOGS, folders separated like PATH.")
@click.version_option(__version__, "--version", prog_name="certjourney")
@click.pass_context
def cli(ctx: click.Context, db: str | None, learner: str | None, catalog_dirs: tuple[str, ...]):
    """Track your certification journey: exams, goals, study time and progress."""
    from tracker.context import Context
    from tracker.settings import Settings

    ctx.obj = Context(Settings.resolve(db=db, learner=learner, catalog_dirs=catalog_dirs))
    if ctx.invoked_subcommand is None:
        import os
        import sys

        headless = os.environ.get("CERTJOURNEY_HEADLESS") == "1"  # benchmarks and smoke tests
        if not headless and not (sys.stdin.isatty() and sys.stdout.isatty()):
            click.echo(ctx.get_help())  # no terminal to draw on: say how to use it instead
            return
        import gc

        # Start-up allocates hundreds of thousands of objects and frees almost none:
        # collecting cycles meanwhile is wasted work. The app turns collection back
        # on after its first paint (CertjourneyApp.on_mount).
        gc.disable()
        from tracker.tui import prefetch

        # Fork before Textual loads: the child reads the first screen on another core.
        first_screen = prefetch.start(ctx.obj.settings)
        from tracker.tui.app import make_app

        make_app(ctx.obj.settings, prefetch=first_screen).run(headless=headless)


@cli.command()
@click.option("--keep", metavar="PATH", help="Keep the demo database at PATH instead of a temporary file.")
@click.pass_obj
def demo(ctx, keep):
    """Open the app on a sample journey (a temporary database)."""
    import tempfile
    from pathlib import Path

    from tracker.context import Context
    from tracker.settings import Settings

    folder = None if keep else tempfile.TemporaryDirectory(prefix="certjourney-demo-")
    path = Path(keep).expanduser() if keep else Path(folder.name) / "demo.db"
    if path.exists():
        raise click.ClickException(f"{path} already exists; choose a new path for the demo")
    settings = Settings.resolve(db=str(path), learner=ctx.settings.learner,
                                catalog_dirs=[str(d) for d in ctx.settings.catalog_dirs])
    demo_ctx = Context(settings)
    from tracker.demo import build_demo

    with demo_ctx.session(write=True) as session:
        build_demo(session, demo_ctx.learner_id(session), demo_ctx.catalog)
    demo_ctx.database.dispose()
    from tracker.tui.app import make_app

    try:
        make_app(settings).run()
    finally:
        if folder is not None:
            folder.cleanup()


# Register the commands (these modules import only click at start-up).
from tracker.cli import (  # noqa: E402
    catalog_cmds,
    confidence_cmds,
    export_cmds,
    goal_cmds,
    import_cmds,
    import_notes_cmd,
    note_cmds,
    practice_cmds,
    progress_cmds,
    report_cmds,
    resource_cmds,
    tracking_cmds,
)

cli.add_command(catalog_cmds.catalog)
cli.add_command(goal_cmds.goal)
for command in tracking_cmds.COMMANDS:
    cli.add_command(command)
cli.add_command(report_cmds.report)
cli.add_command(import_cmds.import_)
import_cmds.import_.add_command(import_notes_cmd.notes)
cli.add_command(export_cmds.export)
cli.add_command(resource_cmds.resource)
cli.add_command(confidence_cmds.confidence)
cli.add_command(practice_cmds.practice)
cli.add_command(note_cmds.note)
for command in progress_cmds.COMMANDS:
    cli.add_command(command)


def main() -> None:
    cli(prog_name="certjourney")


from tracker.cli import anki_cmds  # noqa: E402

export_cmds.export.add_command(anki_cmds.anki)
cli.add_command(anki_cmds.card)
import_cmds.import_.add_command(anki_cmds.anki_reviews)
