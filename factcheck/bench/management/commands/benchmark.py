import datetime
import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment, teardown_test_environment
from django.urls import NoReverseMatch

from factcheck.bench import report, runner, synthetic
from factcheck.bench.pages import PAGES, Corpus

BENCHMARK_USER = "benchmark-admin"


class Command(BaseCommand):
    help = (
        "Measure the main pages against a baseline page: SQL queries, median and p95 latency "
        "over HTTP, throughput under load (wrk), gunicorn worker memory, and the plan of "
        "each page's slowest query. Generates the corpus first if the database is empty. "
        "Run with --settings=factcheck.bench.settings against PostgreSQL."
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

        call_command("migrate", interactive=False, verbosity=0)
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
        worker_rss = []
        with runner.Server(workers=options["workers"], log_path=output / "gunicorn.log") as server:
            for page in pages:
                result = results[page.key]
                if result["status"] != "measured":
                    self.stdout.write(f"{page.title}: {result['status']}")
                    continue
                self.measure(server, result, cookie if page.staff else None, options)
                worker_rss = server.worker_rss_mb()
                result["worker_rss_mb"] = worker_rss
                self.stdout.write(
                    f"{page.title}: {result['queries']} queries, median {result['median_ms']} ms, "
                    f"{result.get('requests_per_second')} req/s"
                )

        pages_report = [results[page.key] for page in pages]
        report.add_ratios(pages_report)
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
            "worker_rss_max_mb": worker_rss_max,
            "targets": report.targets(pages_report, worker_rss_max, generation),
        }
        report.write(document, output)
        self.stdout.write(f"Report written to {output / 'report.json'} and {output / 'report.md'}.")

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
        }
        try:
            result["path"] = page.path(corpus)
        except NoReverseMatch:
            result["status"] = "not available"
            return result
        probe = runner.probe(client, result["path"])
        result["http_status"] = probe.status
        result["queries"] = len(probe.queries)
        result["page_count"] = probe.page_count
        if probe.status != 200:
            result["status"] = f"error: HTTP {probe.status}"
            return result
        result["status"] = "measured"
        result["explain"] = runner.explain_slowest(probe.queries)
        return result

    def measure(self, server, result, cookie, options) -> None:
        latency = runner.sequential(
            server.port,
            result["path"],
            cookie=cookie,
            requests=options["requests"],
            seconds=options["seconds_per_page"],
        )
        result.update(
            first_ms=latency.first_ms,
            median_ms=latency.median,
            p95_ms=latency.p95,
            samples=len(latency.samples_ms),
            failures=latency.failures,
        )
        load = runner.wrk(
            server.url(result["path"]),
            cookie=cookie,
            duration=options["duration"],
            connections=options["connections"],
            threads=options["threads"],
        )
        result["requests_per_second"] = load.get("requests_per_second")
        result["wrk"] = load


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
