"""Measure export_dataset: wall time and the peak memory of the process that runs it."""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from factcheck.models import Appearance, Article, Claim


class Command(BaseCommand):
    help = (
        "Run export_dataset against the current database in a fresh process and report its "
        "wall time and peak resident memory (bounded memory: it must not grow with the corpus)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Also write the figures here as JSON.")
        parser.add_argument(
            "--directory", type=Path, help="Export here (default: a temporary directory)."
        )

    def handle(self, *args, output=None, directory=None, **options):
        corpus = {
            "claims": Claim.objects.count(),
            "articles": Article.objects.count(),
            "appearances": Appearance.objects.count(),
        }
        with tempfile.TemporaryDirectory(prefix="export-bench-") as scratch:
            target = directory or Path(scratch) / "dataset"
            command = [
                sys.executable,
                str(settings.BASE_DIR / "manage.py"),
                "export_dataset",
                str(target),
                f"--settings={os.environ.get('DJANGO_SETTINGS_MODULE', 'factcheck.settings')}",
            ]
            started = time.perf_counter()
            # A fresh child, so its peak RSS (getrusage of the children) is the export's alone.
            finished = subprocess.run(command, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            if finished.returncode != 0:
                raise CommandError(f"export_dataset failed:\n{finished.stderr[-2000:]}")
            peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            sizes = {path.name: path.stat().st_size for path in sorted(target.iterdir())}
        figures = {
            "corpus": corpus,
            "seconds": round(seconds, 1),
            "peak_rss_mb": round(peak_kib / 1024, 1),
            "bytes_written": sum(sizes.values()),
            "files": sizes,
            "summary": finished.stdout.strip(),
        }
        if output is not None:
            output.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(
            f"export_dataset: {figures['seconds']} s, peak RSS {figures['peak_rss_mb']} MB, "
            f"{figures['bytes_written'] / 1e6:.1f} MB written ({figures['summary']})"
        )
