"""Import news articles from files and folders (folders recursively).

    manage.py import_articles PATH [PATH ...] [--json] [--user NAME]

The files become one import batch, visible in the admin; each file is one background job
(factcheck/intake/tasks.py). With the embedded immediate backend the jobs run here, in
turn; with TASKS_BACKEND=database `db_worker` processes run them and this command waits,
reporting each file as it finishes. `--json` prints one JSON object per file, in the order
given (the interface other tools read, see the README); otherwise a line per file that did
not import cleanly, a summary, and a progress bar on a terminal. The exit status is 1 when
any file failed.

Without --user the command acts as the system: whoever runs it holds the database
already, so no permission is checked and history records no user. With --user NAME the
import is that user's, with that user's permissions.
"""

import json
import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from factcheck.intake.importer import JSON_FIELDS, size_error
from factcheck.intake.tasks import import_items_enqueue
from factcheck.models import FINISHED_STATUSES, ImportItem, ImportStatus
from factcheck.services.intake import import_batch_stage, import_batch_start

SKIPPED_NAMES = {".DS_Store", "Thumbs.db"}


def files_under(paths: list[str]) -> list[Path]:
    """The files named, and every file under the folders named, each once, in order."""
    found: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file())
            candidates = [p for p in candidates if p.name not in SKIPPED_NAMES]
        elif path.exists():
            candidates = [path]
        else:
            raise CommandError(f"{given}: no such file or folder")
        for candidate in candidates:
            if candidate.resolve() not in seen:
                seen.add(candidate.resolve())
                found.append(candidate)
    return found


def read(path: Path) -> bytes | str:
    """The file's bytes, or why they are not read (too large, unreadable)."""
    try:
        size = path.stat().st_size
        refused = size_error(filename=str(path), size=size)
        if refused:
            return refused
        return path.read_bytes()
    except OSError as error:
        return f"{path}: it cannot be read ({error.strerror or error})"


class ProgressBar:
    """A one-line bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, stream):
        self.total, self.stream = total, stream
        self.enabled = total > 0 and stream.isatty()

    def show(self, done: int, failed: int) -> None:
        if not self.enabled:
            return
        width = 30
        filled = width * done // self.total
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} files"
            f"{f', {failed} failed' if failed else ''}"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Import news articles from HTML and text files, or folders of them."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="One JSON object per file."
        )
        parser.add_argument("--user", help="Import as this user, with their permissions.")
        parser.add_argument(
            "--poll", type=float, default=0.5, help="Seconds between progress checks."
        )
        parser.add_argument(
            "--no-wait",
            action="store_false",
            dest="wait",
            help="Queue the files and exit, leaving them to db_worker processes; the batch's "
            "admin page shows the outcome.",
        )

    def handle(
        self, *args, paths, as_json: bool, user: str | None, poll: float, wait: bool, **options
    ):
        acting = None
        if user:
            try:
                acting = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {user!r}.") from None
            if not acting.is_active or not acting.has_perm("factcheck.add_article"):
                raise CommandError(f"{user} may not import articles.")
        files = files_under(paths)
        batch = import_batch_stage(files=((str(p), read(p)) for p in files), user=acting)
        # Queued here, one job at a time, so that the immediate backend (which runs each job
        # as it is queued) shows its progress too.
        queued = import_batch_start(batch=batch, user=acting, enqueue=False)
        bar = ProgressBar(len(files), sys.stderr)
        items = ImportItem.objects.filter(batch=batch).order_by("position")
        reported = 0
        failed = 0
        counts = dict.fromkeys(FINISHED_STATUSES, 0)

        def report() -> None:
            nonlocal reported, failed
            finished = items.filter(position__gte=reported).values_list(
                "position", "status", "result"
            )
            for position, status, result in finished:
                if position != reported or status not in FINISHED_STATUSES:
                    break
                reported += 1
                counts[status] += 1
                failed += status == ImportStatus.ERROR
                self._print(result, as_json=as_json)
            bar.show(reported, failed)

        for item_id in queued:
            import_items_enqueue(item_ids=[item_id])
            if wait:
                report()
        if not wait:
            self.stdout.write(f"Batch {batch.pk}: {len(queued)} files queued.")
            return
        while reported < len(files):
            time.sleep(poll)
            report()
        bar.close()
        if not as_json:
            self.stdout.write(
                f"Batch {batch.pk}: {counts[ImportStatus.IMPORTED]} imported, "
                f"{counts[ImportStatus.DUPLICATE]} duplicate, {failed} failed."
            )
        if failed:
            raise CommandError(f"{failed} of {len(files)} files failed.", returncode=1)

    def _print(self, result: dict, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json_line(result))
        elif result["status"] == ImportStatus.ERROR:
            self.stderr.write(result["error"])
        elif result["status"] == ImportStatus.DUPLICATE:
            self.stdout.write(f"{result['file']}: already imported as article {result['article']}")


def json_line(result: dict) -> str:
    ordered = {name: result[name] for name in JSON_FIELDS}
    return json.dumps(ordered, ensure_ascii=False)
