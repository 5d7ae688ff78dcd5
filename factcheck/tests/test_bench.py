"""The benchmark's own logic. Serving with gunicorn and loading with wrk is exercised by the
CI smoke run of the README's benchmark command, not here."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch

from factcheck.bench import report, runner
from factcheck.bench.pages import BASELINE, PAGES, Corpus, Page

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:8000/
  2 threads and 4 connections
  Latency Distribution
     50%  812.00us
     75%    1.10ms
     90%    1.52ms
     99%    1.20s
  1703 requests in 3.02s, 1.23MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    564.25
"""


def test_wrk_report_is_read_in_milliseconds():
    parsed = runner.parse_wrk(WRK_OUTPUT)

    assert parsed["requests_per_second"] == 564.25
    assert parsed["requests"] == 1703
    assert parsed["non_2xx"] == 3
    assert (parsed["p50_ms"], parsed["p90_ms"], parsed["p99_ms"]) == (0.81, 1.52, 1200.0)


def measured(key, median, rps, target=None):
    return {
        "key": key,
        "title": key,
        "status": "measured",
        "median_ms": median,
        "p95_ms": median * 2,
        "requests_per_second": rps,
        "target_x_baseline": target,
    }


def test_pages_are_judged_as_multiples_of_the_baseline():
    pages = [
        measured("baseline", 2.0, 1000.0),
        measured("claim_detail", 3.0, 500.0, target=2),
        measured("search", 12.0, 100.0, target=5),
        {
            "key": "claim_list_first",
            "title": "index",
            "status": "not available",
            "target_x_baseline": 3,
        },
    ]

    pages[1].update(queries=7, first_ms=30.0)
    report.add_ratios(pages)
    judged = report.targets(pages, worker_rss_mb=180.0, generation=None)

    assert (pages[1]["median_x_baseline"], pages[1]["throughput_x_baseline"]) == (1.5, 2.0)
    assert pages[1]["target_met"] is True
    assert pages[2]["target_met"] is False
    assert [target["met"] for target in judged] == [True, False, None, True, None]
    assert judged[2]["note"] == "not available"
    markdown = report.markdown(
        {
            "started_at": "now",
            "machine": {"cpus": 2, "load_before": 1, "load_after": 1},
            "database": {"version": "15"},
            "corpus": {"claims": 3},
            "load": {
                "requests": 5,
                "seconds_per_page": 1,
                "connections": 4,
                "duration": "1s",
                "workers": 2,
            },
            "pages": pages,
            "targets": judged,
        }
    )
    assert "| index | not available |" in markdown
    assert "| claim_detail | 7 | 30.00 | 3.00 |" in markdown, "first (cold) time beside the median"
    assert "**not met**" in markdown


def test_a_page_not_built_yet_is_reported_not_failed():
    page = Page("future", "A page to come", "factcheck:page_to_come")
    with pytest.raises(NoReverseMatch):
        page.path(Corpus(claims=0, published_claims=0, benchmark_claim=None, busiest_article=None))


@pytest.mark.django_db
def test_every_page_that_exists_serves_the_generated_corpus(settings, admin_client):
    settings.ROOT_URLCONF = "factcheck.bench.urls"
    call_command(
        "generate_corpus",
        scale="small",
        outlets=4,
        articles=60,
        claims=30,
        appearances=520,
        contradictions=10,
    )
    corpus = Corpus.inspect()
    assert corpus.benchmark_claim and corpus.busiest_article

    served = []
    for page in PAGES:
        try:
            path = page.path(corpus)
        except NoReverseMatch:
            continue
        probe = runner.probe(admin_client if page.staff else Client(), path)
        assert probe.status == 200, page.key
        served.append(page.key)
    assert {BASELINE.key, "claim_detail", "article_detail", "admin_claim_changelist"} <= set(served)
