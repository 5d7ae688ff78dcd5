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


def figures(median, rps):
    return {"median_ms": median, "p95_ms": median * 2, "requests_per_second": rps}


def measured(key, uncached, warm, *, target=None, uncached_target=None, growth=False):
    """A page measured in both phases: (median ms, requests/s) each."""
    return {
        "key": key,
        "title": key,
        "status": "measured",
        "uncached": figures(*uncached),
        "warm": figures(*warm),
        "target_x_baseline": target,
        "uncached_target_x_baseline": uncached_target,
        "growth_target": growth,
    }


def judged_pages():
    pages = [
        measured("baseline", (2.0, 1000.0), (1.0, 2000.0)),
        measured("claim_detail", (60.0, 20.0), (1.5, 1000.0), target=2, uncached_target=40),
        measured("search", (50.0, 30.0), (8.0, 200.0), target=5, uncached_target=20),
        measured("home", (12.0, 150.0), (1.0, 2000.0), uncached_target=8, growth=True),
        {
            "key": "claim_list_first",
            "title": "index",
            "status": "not available",
            "target_x_baseline": 3,
            "uncached_target_x_baseline": 12,
        },
    ]
    pages[1].update(queries=7)
    pages[2].update(queries=6, queries_kept=4)
    pages[1]["warm"]["first_ms"] = 30.0
    report.add_ratios(pages)
    return pages


def report_document(pages, judged, **extra):
    return {
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
        **extra,
    }


def test_each_phase_is_judged_against_its_own_baseline():
    pages = judged_pages()
    claim, search = pages[1], pages[2]
    assert claim["uncached"]["median_x_baseline"] == 30.0
    assert claim["uncached"]["throughput_x_baseline"] == 50.0
    assert claim["uncached"]["target_met"] is True
    assert claim["warm"]["median_x_baseline"] == 1.5
    assert claim["warm"]["target_met"] is True
    assert search["uncached"]["target_met"] is False
    assert search["warm"]["target_met"] is False
    assert pages[3]["uncached"]["target_met"] is True
    assert "target_met" not in pages[3]["warm"], "home has no warm target"


def test_targets_list_uncached_first_then_warm_then_growth():
    pages = judged_pages()
    judged = report.targets(pages, worker_rss_mb=180.0, generation=None)
    assert [(target["phase"], target["met"]) for target in judged] == [
        ("uncached", True),
        ("uncached", False),
        ("uncached", True),
        ("uncached", None),
        ("warm", True),
        ("warm", False),
        ("warm", None),
        ("growth", None),
        ("memory", True),
        ("generation", None),
    ]
    assert judged[3]["note"] == "not available"
    assert "--compare-with" in judged[7]["note"]


def test_growth_is_the_uncached_median_against_a_smaller_corpus():
    pages = judged_pages()
    smaller = {"pages": [measured("home", (10.0, 200.0), (1.0, 2000.0))]}
    report.add_growth(pages, smaller)
    assert (pages[3]["growth"], pages[3]["growth_met"]) == (1.2, True)
    assert "growth" not in pages[1], "only the pages with a growth target"
    smaller["pages"][0]["uncached"]["median_ms"] = 6.0
    report.add_growth(pages, smaller)
    assert (pages[3]["growth"], pages[3]["growth_met"]) == (2.0, False)
    judged = report.targets(pages, worker_rss_mb=None, generation=None, compared_with="abc123")
    [growth] = [target for target in judged if target["phase"] == "growth"]
    assert (growth["value"], growth["met"], growth["note"]) == (2.0, False, "against abc123")


def test_markdown_shows_uncached_first_then_warm_the_mix_and_the_workers():
    pages = judged_pages()
    judged = report.targets(pages, worker_rss_mb=180.0, generation=None)
    mix = runner.Mix(
        samples_ms=[1.0, 2.0, 30.0, 3.0], after_write_ms=[30.0], write_ms=[12.0]
    ).summary(write_every=50)
    assert (mix["requests"], mix["writes"], mix["after_write_median_ms"]) == (4, 1, 30.0)
    throughput = [
        {"workers": 2, "cache": "uncached", "requests_per_second": 40.0},
        {"workers": 4, "cache": "uncached", "requests_per_second": 70.0},
    ]
    markdown = report.markdown(report_document(pages, judged, mix=mix, throughput=throughput))
    uncached, warm = markdown.index("## Uncached"), markdown.index("## Warm cache")
    assert uncached < warm < markdown.index("## Page mix with writes")
    assert "| index | not available |" in markdown
    # The claim page in each phase: uncached (no first time), then warm beside its first.
    assert "| claim_detail | 7 | – | 60.00 | 120 | 30.00 |" in markdown[uncached:warm]
    assert "| claim_detail | 7 | 30.00 | 1.50 | 3.00 | 1.50 |" in markdown[warm:]
    assert "| search | 6 / 4 |" in markdown, "queries with nothing kept, then counts kept"
    assert "every 50 requests (1 writes" in markdown
    assert "| 4 | uncached | 70.00 |" in markdown
    assert "**not met**" in markdown


def test_the_page_mix_writes_every_n_requests_and_times_the_pages_after(monkeypatch):
    served = []

    def fake_get(port, path, cookie):
        served.append(path)
        return 200, 5.0

    writes = []
    monkeypatch.setattr(runner, "get", fake_get)
    mix = runner.mix_with_writes(
        0, ["/a", "/b"], requests=9, write_every=4, write=lambda: writes.append(len(served))
    )
    assert writes == [4, 8], "a write after every 4 requests"
    assert served == ["/a", "/b", "/a", "/b", "/a", "/b", "/a", "/b", "/a"]
    # After each write, the first request of each page: /a and /b after the first, /a after
    # the second.
    assert len(mix.after_write_ms) == 3
    assert mix.summary(4)["writes"] == 2


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
