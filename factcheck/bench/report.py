"""Judging the figures against the targets, and writing them as JSON and markdown.

Each page is measured twice: uncached (READER_PAGE_CACHE_SECONDS=0, every request
rendered, what readers get after a write) and warm (served from the page cache). Both
are judged as multiples of the same phase's baseline, the uncached figures first.
"""

import json
from pathlib import Path

from factcheck.bench.pages import GENERATION_LIMIT_SECONDS, GROWTH_LIMIT, WORKER_RSS_LIMIT_MB

PHASES = ("uncached", "warm")
PHASE_TITLES = {
    "uncached": "Uncached (READER_PAGE_CACHE_SECONDS=0: every request rendered)",
    "warm": "Warm cache (served from the page cache after the first request)",
}
TARGET_KEYS = {"uncached": "uncached_target_x_baseline", "warm": "target_x_baseline"}


def ratio(value: float | None, baseline: float | None) -> float | None:
    if value is None or not baseline:
        return None
    return round(value / baseline, 2)


def add_ratios(pages: list[dict]) -> None:
    """Express each page, in each phase, as a multiple of that phase's baseline."""
    baseline = next((page for page in pages if page["key"] == "baseline"), {})
    for phase in PHASES:
        base = baseline.get(phase) or {}
        for page in pages:
            figures = page.get(phase)
            if page["status"] != "measured" or not figures:
                continue
            figures["median_x_baseline"] = ratio(figures.get("median_ms"), base.get("median_ms"))
            figures["p95_x_baseline"] = ratio(figures.get("p95_ms"), base.get("p95_ms"))
            # Throughput is inverted so that, like latency, 2.0 means twice as costly.
            figures["throughput_x_baseline"] = ratio(
                base.get("requests_per_second"), figures.get("requests_per_second")
            )
            target = page.get(TARGET_KEYS[phase])
            if target is not None and figures["median_x_baseline"] is not None:
                figures["target_met"] = figures["median_x_baseline"] <= target


def add_growth(pages: list[dict], previous: dict | None) -> None:
    """The uncached median against the same page's in a report of a smaller corpus."""
    if not previous:
        return
    before = {page["key"]: page for page in previous.get("pages", [])}
    for page in pages:
        if not page.get("growth_target") or page["status"] != "measured":
            continue
        earlier = (before.get(page["key"]) or {}).get("uncached") or {}
        growth = ratio((page.get("uncached") or {}).get("median_ms"), earlier.get("median_ms"))
        page["growth"] = growth
        page["growth_met"] = None if growth is None else growth <= GROWTH_LIMIT


def targets(
    pages: list[dict],
    worker_rss_mb: float | None,
    generation: dict | None,
    *,
    compared_with: str | None = None,
) -> list[dict]:
    judged = []
    for phase in PHASES:
        for page in pages:
            target = page.get(TARGET_KEYS[phase])
            if target is None:
                continue
            figures = page.get(phase) or {}
            judged.append(
                {
                    "phase": phase,
                    "target": f"{page['title']}, {phase}: median ≤ {target}× baseline",
                    "value": figures.get("median_x_baseline"),
                    "met": figures.get("target_met"),
                    "note": None if page["status"] == "measured" else page["status"],
                }
            )
    for page in pages:
        if not page.get("growth_target"):
            continue
        measured = "growth" in page
        judged.append(
            {
                "phase": "growth",
                "target": f"{page['title']}: uncached median grows ≤ {GROWTH_LIMIT}× from "
                f"the smaller corpus",
                "value": page.get("growth"),
                "met": page.get("growth_met"),
                "note": f"against {compared_with}"
                if measured
                else "not measured: run with --compare-with a smaller corpus's report.json",
            }
        )
    judged.append(
        {
            "phase": "memory",
            "target": f"Worker RSS after load < {WORKER_RSS_LIMIT_MB} MB",
            "value": worker_rss_mb,
            "met": None if worker_rss_mb is None else worker_rss_mb < WORKER_RSS_LIMIT_MB,
            "note": None,
        }
    )
    seconds = generation["seconds"] if generation else None
    judged.append(
        {
            "phase": "generation",
            "target": f"Corpus generation < {GENERATION_LIMIT_SECONDS // 60} min",
            "value": seconds,
            "met": None if seconds is None else seconds < GENERATION_LIMIT_SECONDS,
            "note": None if generation else "not measured: the corpus was already there",
        }
    )
    return judged


def cell(value, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}{suffix}" if value < 100 else f"{value:,.0f}{suffix}"
    return f"{value}{suffix}"


def verdict(met: bool | None) -> str:
    return {True: "met", False: "**not met**", None: "–"}[met]


def phase_table(report: dict, phase: str) -> list[str]:
    lines = [
        f"## {PHASE_TITLES[phase]}",
        "",
        "| page | queries | first ms | median ms | p95 ms | median × | req/s | cost × "
        "| target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in report["pages"]:
        if page["status"] != "measured":
            lines.append(f"| {page['title']} | {page['status']} | | | | | | | | |")
            continue
        figures = page.get(phase) or {}
        target = page.get(TARGET_KEYS[phase])
        errors = figures.get("failures", 0) + figures.get("wrk", {}).get("non_2xx", 0)
        title = f"{page['title']} ({errors} failed requests)" if errors else page["title"]
        queries = cell(page.get("queries"))
        if page.get("queries_kept") is not None:
            queries = f"{queries} / {page['queries_kept']}"
        lines.append(
            f"| {title} | {queries} | {cell(figures.get('first_ms'))} "
            f"| {cell(figures.get('median_ms'))} "
            f"| {cell(figures.get('p95_ms'))} | {cell(figures.get('median_x_baseline'))} "
            f"| {cell(figures.get('requests_per_second'))} "
            f"| {cell(figures.get('throughput_x_baseline'))} "
            f"| {cell(target, '×') if target else '–'} | {verdict(figures.get('target_met'))} |"
        )
    return [*lines, ""]


def mix_table(mix: dict | None) -> list[str]:
    if not mix:
        return []
    lines = [
        "## Page mix with writes (warm cache)",
        "",
        f"The reader pages in turn, {mix['requests']} requests, with a write through the "
        f"services every {mix['write_every']} requests ({mix['writes']} writes, each "
        'retiring every page but the other claims\' pages). "After a write" is the first '
        "request to each page after a write.",
        "",
        "| requests | median ms | p95 ms | after a write, median ms | after a write, p95 ms "
        "| write ms (median) |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {mix['requests']} | {cell(mix.get('median_ms'))} | {cell(mix.get('p95_ms'))} "
        f"| {cell(mix.get('after_write_median_ms'))} | {cell(mix.get('after_write_p95_ms'))} "
        f"| {cell(mix.get('write_median_ms'))} |",
        "",
    ]
    return lines


def throughput_table(runs: list[dict] | None) -> list[str]:
    if not runs:
        return []
    lines = [
        "## Throughput of the page mix by gunicorn workers",
        "",
        "wrk over the reader pages in turn (a Lua script), the same connections and "
        "duration as above.",
        "",
        "| workers | cache | req/s | p50 ms | p99 ms | failed |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for run in runs:
        lines.append(
            f"| {run['workers']} | {run['cache']} | {cell(run.get('requests_per_second'))} "
            f"| {cell(run.get('p50_ms'))} | {cell(run.get('p99_ms'))} "
            f"| {run.get('non_2xx', 0)} |"
        )
    return [*lines, ""]


def markdown(report: dict) -> str:
    corpus = ", ".join(f"{count:,} {name}" for name, count in report["corpus"].items())
    load = report["load"]
    lines = [
        "# Benchmark report",
        "",
        f"{report['started_at']}, commit {report.get('commit') or 'unknown'}, "
        f"PostgreSQL {report['database']['version']}, {report['machine']['cpus']} CPUs "
        f"(load average {report['machine']['load_before']} before, "
        f"{report['machine']['load_after']} after).",
        "",
        f"Corpus: {corpus}.",
        "",
        "Queries of a render (the page cache off): with nothing kept / once the counts "
        "are kept, as between two writes (a cached page costs one query, the stamp read). "
        f"Latency: {load['requests']} sequential requests per page (capped at "
        f"{load['seconds_per_page']} s), after 3 warm-up requests. Uncached: the page "
        "cache is off; counts that change only on writes are still kept per content "
        "generation, as in production. Warm: first ms is the first warm-up request, "
        "rendered uncached; the samples after it are served from the page cache. "
        f"Throughput: wrk, {load['connections']} connections for {load['duration']}, "
        f"against gunicorn with {load['workers']} sync workers. × = multiple of the same "
        "phase's baseline.",
        "",
    ]
    for phase in PHASES:
        lines += phase_table(report, phase)
    lines += mix_table(report.get("mix"))
    lines += throughput_table(report.get("throughput"))
    lines += ["## Targets", "", "| target | value | met |", "|---|---:|---|"]
    for target in report["targets"]:
        note = f" ({target['note']})" if target["note"] else ""
        lines.append(
            f"| {target['target']} | {cell(target['value'])} | {verdict(target['met'])}{note} |"
        )
    lines += [
        "",
        "The plan of each page's slowest query (EXPLAIN ANALYZE, BUFFERS) is in `explain/`.",
        "",
    ]
    return "\n".join(lines)


def write(report: dict, output: Path) -> None:
    explain_dir = output / "explain"
    explain_dir.mkdir(parents=True, exist_ok=True)
    for page in report["pages"]:
        if page.get("explain"):
            plan = page["explain"]
            (explain_dir / f"{page['key']}.txt").write_text(f"{plan['sql']}\n\n{plan['plan']}\n")
    (output / "report.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    (output / "report.md").write_text(markdown(report))
