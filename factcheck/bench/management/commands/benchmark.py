import datetime
import json
import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import (
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import NoReverseMatch

from factcheck import services
from factcheck.bench import report, runner, synthetic
from factcheck.bench.pages import PAGES, Corpus
from factcheck.models import Claim

BENCHMARK_USER = "benchmark-admin"


class Command(BaseCommand):
    help = (
        "Measure the main pages against a baseline page: SQL queries, median and p95 latency "
        "over HTTP uncached (page cache off) and then warm, throughput under load (wrk), the "
        "page mix with a write every N requests, the mix's throughput with 2 and 4 workers, "
        "gunicorn worker memory, and the plan of each page's slowest query. Generates the "
        "corpus first if the database is empty. Run with --settings=factcheck.bench.settings "
        "against PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default="bench-report", help="Directory for the report.")
        parser.add_argument(
            "--scale",
            choices=sorted(synthetic.SCALES),
            default="small",
            help="Corpus to generate when the database is empty.",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--duration", default="10s", help="wrk run per page, e.g. 10s.")
        parser.add_argument("--connections", type=int, default=4, help="wrk connections.")
        parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers.")
        parser.add_argument(
            "--requests", type=int, default=50, help="Sequential requests per page."
        )
        parser.add_argument(
            "--seconds-per-page",
            type=float,
            default=30,
            help="Stop the sequential requests of a page after this long (at least 5 are made).",
        )
        parser.add_argument(
            "--pages", nargs="*", help="Only these page keys (the baseline is always measured)."
        )
        parser.add_argument(
            "--write-every",
            type=int,
            default=50,
            help="In the page mix, a write through the services every this many requests.",
        )
        parser.add_argument(
            "--mix-requests", type=int, default=150, help="Requests of the page mix with writes."
        )
        parser.add_argument(
            "--mix-workers",
            type=int,
            nargs="*",
            default=[2, 4],
            help="gunicorn workers to measure the page mix's throughput with.",
        )
        parser.add_argument(
            "--compare-with",
            help="report.json of a run on a smaller corpus: the growth of the uncached medians.",
        )

    def migrate(self) -> bool:
        """Apply pending migrations; after any, vacuum and analyse the whole database.

        A migration that rewrites rows (0018 backfills every claim) leaves them dead and
        the visibility map cleared until autovacuum comes by, so the list indexes' index-only
        scans turn into heap reads or sequential scans: figures taken then would measure
        the migration, not the pages.
        """
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        call_command("migrate", interactive=False, verbosity=0)
        if not pending:
            return False
        self.stdout.write(f"Applied {len(pending)} migrations: VACUUM (ANALYZE)…")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        return True

    def handle(self, *args, **options):
        if settings.ROOT_URLCONF != "factcheck.bench.urls":
            raise CommandError("Run the benchmark with --settings=factcheck.bench.settings.")
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark measures PostgreSQL: set DATABASE_URL to one.")
        if message := runner.wrk_missing_message():
            raise CommandError(message)
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        started_at = datetime.datetime.now(datetime.UTC)
        load_before = os.getloadavg()[0]

        self.migrate()
        generation = None
        if synthetic.corpus_is_empty():
            self.stdout.write(f"Empty database: generating the {options['scale']} corpus…")
            generated = synthetic.generate(
                scale=synthetic.SCALES[options["scale"]], seed=options["seed"]
            )
            generation = {
                "scale": options["scale"],
                "seconds": round(generated.total_seconds, 1),
                "phases": generated.seconds,
            }
            self.stdout.write(f"Generated in {generation['seconds']}s.")
        corpus = Corpus.inspect()
        pages = [
            page
            for page in PAGES
            if not options["pages"] or page.key in {"baseline", *options["pages"]}
        ]

        results, cookie = self.probe_pages(pages, corpus)
        measurable = [page for page in pages if results[page.key]["status"] == "measured"]
        for page in pages:
            if results[page.key]["status"] != "measured":
                self.stdout.write(f"{page.title}: {results[page.key]['status']}")
        worker_rss = []
        for phase, environment in PHASE_ENVIRONMENTS.items():
            log_path = output / f"gunicorn-{phase}.log"
            with runner.Server(
                workers=options["workers"], log_path=log_path, environment=environment
            ) as server:
                for page in measurable:
                    result = results[page.key]
                    result[phase] = self.measure(
                        server, result["path"], cookie if page.staff else None, options
                    )
                    self.stdout.write(
                        f"{page.title}, {phase}: {result['queries']} queries, median "
                        f"{result[phase]['median_ms']} ms, "
                        f"{result[phase].get('requests_per_second')} req/s"
                    )
                worker_rss += server.worker_rss_mb()
        reader_paths = [
            results[page.key]["path"]
            for page in measurable
            if page.key != "baseline" and not page.staff
        ]
        mix = self.mix_with_writes(reader_paths, output, options)
        throughput = self.mix_throughput(reader_paths, output, options)

        pages_report = [results[page.key] for page in pages]
        report.add_ratios(pages_report)
        previous = None
        if options["compare_with"]:
            previous = json.loads(Path(options["compare_with"]).read_text())
            report.add_growth(pages_report, previous)
        worker_rss_max = max(worker_rss, default=None)
        document = {
            "started_at": started_at.isoformat(timespec="seconds"),
            "commit": git_commit(),
            "machine": {
                "cpus": os.cpu_count(),
                "load_before": round(load_before, 2),
                "load_after": round(os.getloadavg()[0], 2),
            },
            "database": database_facts(),
            "corpus": corpus_counts(),
            "generation": generation,
            "load": {
                "workers": options["workers"],
                "connections": options["connections"],
                "threads": options["threads"],
                "duration": options["duration"],
                "requests": options["requests"],
                "seconds_per_page": options["seconds_per_page"],
            },
            "pages": pages_report,
            "mix": mix,
            "throughput": throughput,
            "compared_with": options["compare_with"],
            "worker_rss_max_mb": worker_rss_max,
            "targets": report.targets(
                pages_report,
                worker_rss_max,
                generation,
                compared_with=options["compare_with"] and previous.get("commit"),
            ),
        }
        report.write(document, output)
        self.stdout.write(f"Report written to {output / 'report.json'} and {output / 'report.md'}.")

    def mix_with_writes(self, paths, output, options) -> dict | None:
        """The reader pages in turn against a warm cache, with a write every N requests."""
        if not paths:
            return None
        writer = BenchmarkWrite()
        with runner.Server(
            workers=options["workers"], log_path=output / "gunicorn-mix.log"
        ) as server:
            for path in paths:  # fill the cache first, as a running site's would be
                runner.get(server.port, path, None)
            mix = runner.mix_with_writes(
                server.port,
                paths,
                requests=options["mix_requests"],
                write_every=options["write_every"],
                write=writer,
            )
        writer.restore()
        summary = mix.summary(options["write_every"])
        self.stdout.write(
            f"Page mix with a write every {options['write_every']} requests: median "
            f"{summary['median_ms']} ms, after a write {summary['after_write_median_ms']} ms"
        )
        return summary

    def mix_throughput(self, paths, output, options) -> list[dict]:
        """wrk over the reader pages in turn, uncached and warm, by number of workers."""
        runs = []
        if not paths:
            return runs
        for workers in options["mix_workers"]:
            for phase, environment in PHASE_ENVIRONMENTS.items():
                with runner.Server(
                    workers=workers,
                    log_path=output / f"gunicorn-mix-{workers}-{phase}.log",
                    environment=environment,
                ) as server:
                    # Workers boot and load templates on their first requests: not measured.
                    for _ in range(workers):
                        for path in paths:
                            runner.get(server.port, path, None)
                    load = runner.wrk(
                        server.url(paths[0]),
                        cookie=None,
                        duration=options["duration"],
                        connections=options["connections"],
                        threads=options["threads"],
                        paths=paths,
                        script_dir=output,
                    )
                load.pop("raw", None)
                runs.append({"workers": workers, "cache": phase, **load})
                self.stdout.write(
                    f"Page mix, {workers} workers, {phase}: {load.get('requests_per_second')} req/s"
                )
        return runs

    def probe_pages(self, pages, corpus) -> tuple[dict, str]:
        """Resolve each page, count its queries and explain its slowest one, in process."""
        user, _ = get_user_model().objects.get_or_create(
            username=BENCHMARK_USER, defaults={"is_staff": True, "is_superuser": True}
        )
        setup_test_environment()
        try:
            client, staff_client = Client(), Client()
            staff_client.force_login(user)
            cookie_name = settings.SESSION_COOKIE_NAME
            cookie = f"{cookie_name}={staff_client.cookies[cookie_name].value}"
            results = {}
            for page in pages:
                if page.key == "claim_list_deep" and "claim_list_first" in results:
                    corpus.read_page_count(results["claim_list_first"].pop("page_count", None))
                results[page.key] = self.probe_page(
                    page, corpus, staff_client if page.staff else client
                )
        finally:
            teardown_test_environment()
        return results, cookie

    def probe_page(self, page, corpus, client) -> dict:
        result = {
            "key": page.key,
            "title": page.title,
            "target_x_baseline": page.target,
            "uncached_target_x_baseline": page.uncached_target,
            "growth_target": page.growth_target,
        }
        try:
            result["path"] = page.path(corpus)
        except NoReverseMatch:
            result["status"] = "not available"
            return result
        # The queries of a render (page cache off): with nothing kept (every count made),
        # then once the counts are kept, as between two writes.
        with override_settings(READER_PAGE_CACHE_SECONDS=0, READER_COUNT_CACHE_SECONDS=0):
            probe = runner.probe(client, result["path"])
        result["http_status"] = probe.status
        result["queries"] = len(probe.queries)
        result["page_count"] = probe.page_count
        if probe.status != 200:
            result["status"] = f"error: HTTP {probe.status}"
            return result
        with override_settings(READER_PAGE_CACHE_SECONDS=0):
            runner.probe(client, result["path"])
            result["queries_kept"] = len(runner.probe(client, result["path"]).queries)
        result["status"] = "measured"
        result["explain"] = runner.explain_slowest(probe.queries)
        return result

    def measure(self, server, path, cookie, options) -> dict:
        latency = runner.sequential(
            server.port,
            path,
            cookie=cookie,
            requests=options["requests"],
            seconds=options["seconds_per_page"],
        )
        load = runner.wrk(
            server.url(path),
            cookie=cookie,
            duration=options["duration"],
            connections=options["connections"],
            threads=options["threads"],
        )
        return {
            "first_ms": latency.first_ms,
            "median_ms": latency.median,
            "p95_ms": latency.p95,
            "samples": len(latency.samples_ms),
            "failures": latency.failures,
            "requests_per_second": load.get("requests_per_second"),
            "wrk": load,
            "worker_rss_mb": server.worker_rss_mb(),
        }


# Uncached first: every request rendered, as after a write; then the page cache on.
PHASE_ENVIRONMENTS = {
    "uncached": {"READER_PAGE_CACHE_SECONDS": "0"},
    "warm": {"READER_PAGE_CACHE_SECONDS": str(settings.READER_PAGE_CACHE_SECONDS or 300)},
}


class BenchmarkWrite:
    """One write through the services, as an editor's: a published claim's summary edited
    (it retires every page but the other claims' pages). The summary is put back after."""

    def __init__(self):
        self.claim = (
            Claim.objects.published()
            .exclude(slug=synthetic.BENCHMARK_CLAIM_SLUG)
            .order_by("pk")
            .first()
        )
        self.original = self.claim.verdict_summary if self.claim else None
        self.count = 0

    def __call__(self) -> None:
        if self.claim is None:
            return
        self.count += 1
        self.save(f"{self.original} (benchmark edit {self.count})")

    def save(self, summary: str) -> None:
        claim = Claim.objects.get(pk=self.claim.pk)
        claim.verdict_summary = summary
        services.claim_save(claim=claim)

    def restore(self) -> None:
        if self.claim is not None and self.count:
            self.save(self.original)


def corpus_counts() -> dict:
    return {
        str(model._meta.verbose_name_plural): model.objects.count()
        for model in synthetic.CORPUS_MODELS
    }


def database_facts() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return {
        "vendor": connection.vendor,
        "name": connection.settings_dict["NAME"],
        "version": version,
    }


def git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
