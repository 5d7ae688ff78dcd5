"""Measure importing saved pages: files per second through `import_articles`.

Writes `--files` generated pages (factcheck/bench/intake_pages.py) to a temporary folder,
gives half the outlets a known domain (the others are proposed), and times the
`import_articles` command over the folder, as a newsroom would run it, with the embedded
immediate backend. The near-duplicate lookup inside each import is the provenance
benchmark's; here it is whatever factcheck.intake.duplicates does at the time.
"""

import io
import json
import os
import tempfile
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from factcheck import services
from factcheck.bench.intake_pages import domain_for, outlet_names, saved_pages
from factcheck.models import Outlet, OutletAlias, OutletAliasKind

TARGET_FILES_PER_SECOND = 20


class Command(BaseCommand):
    help = "Import generated saved pages and report files per second."

    def add_arguments(self, parser):
        parser.add_argument("--files", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--output", help="Write the figures as JSON to this file.")

    def handle(self, *args, files: int, seed: int, output: str | None, **options):
        if files < 1:
            raise CommandError("--files must be at least 1.")
        known = 0
        for language in ("it", "en"):
            for name in outlet_names(seed=seed, language=language, count=20)[:10]:
                if Outlet.objects.filter(name=name).exists():
                    continue
                outlet = services.outlet_save(
                    outlet=Outlet(name=name, slug=slugify(f"bench {name}"))
                )
                services.outlet_alias_save(
                    alias=OutletAlias(
                        outlet=outlet, kind=OutletAliasKind.DOMAIN, alias=domain_for(name)
                    )
                )
                known += 1
        load_before = round(os.getloadavg()[0], 2)
        with tempfile.TemporaryDirectory(prefix="import-bench-") as folder:
            root = Path(folder)
            total_bytes = 0
            for name, data in saved_pages(count=files, seed=seed):
                (root / name).write_bytes(data)
                total_bytes += len(data)
            out, err = io.StringIO(), io.StringIO()
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                call_command("import_articles", str(root), "--json", stdout=out, stderr=err)
            except CommandError as error:
                self.stderr.write(f"Some files failed: {error}")
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
        lines = [json.loads(line) for line in out.getvalue().splitlines()]
        statuses = [line["status"] for line in lines]
        figures = {
            "files": files,
            "bytes": total_bytes,
            "seconds": round(elapsed, 2),
            "files_per_second": round(files / elapsed, 1),
            "ms_per_file_mean": round(1000 * elapsed / files, 1),
            # This process's CPU time (not PostgreSQL's): on a shared machine the wall
            # clock measures the neighbours too.
            "cpu_ms_per_file_mean": round(1000 * cpu / files, 1),
            "load_average_before": load_before,
            "load_average_after": round(os.getloadavg()[0], 2),
            "imported": statuses.count("imported"),
            "duplicate": statuses.count("duplicate"),
            "error": statuses.count("error"),
            "with_outlet": sum(line["outlet"] is not None for line in lines),
            "with_date": sum(line["published"] is not None for line in lines),
            "outlets_created_for_the_run": known,
            "target_files_per_second": TARGET_FILES_PER_SECOND,
        }
        figures["target_met"] = figures["files_per_second"] >= TARGET_FILES_PER_SECOND
        if figures["duplicate"]:
            self.stderr.write(
                "Pages of this seed were imported before: give another --seed or a fresh "
                "database, or the figure measures duplicates."
            )
        self.stdout.write(json.dumps(figures, indent=2))
        if output:
            Path(output).write_text(json.dumps(figures, indent=2) + "\n")
