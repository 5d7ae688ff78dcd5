"""Judging the figures against the targets, and writing them as JSON and markdown."""

import json
from pathlib import Path

from factcheck.bench.pages import GENERATION_LIMIT_SECONDS, WORKER_RSS_LIMIT_MB


def ratio(value: float | None, baseline: float | None) -> float | None:
    if value is None or not baseline:
        return None
    return round(value / baseline, 2)


def add_ratios(pages: list[dict]) -> None:
    """Express each page as a multiple of the baseline: latency, and cost under load."""
    baseline = next((page for page in pages if page["key"] == "baseline"), {})
    for page in pages:
        if page["status"] != "measured":
            continue
        page["median_x_baseline"] = ratio(page["median_ms"], baseline.get("median_ms"))
        page["p95_x_baseline"] = ratio(page["p95_ms"], baseline.get("p95_ms"))
        rps = page.get("requests_per_second")
        # Throughput is inverted so that, like latency, 2.0 means twice as costly.
        page["throughput_x_baseline"] = ratio(baseline.get("requests_per_second"), rps)
        if page.get("target_x_baseline") is not None and page["median_x_baseline"] is not None:
            page["target_met"] = page["median_x_baseline"] <= page["target_x_baseline"]


def targets(pages: list[dict], worker_rss_mb: float | None, generation: dict | None) -> list[dict]:
    judged = []
    for page in pages:
        if page.get("target_x_baseline") is None:
            continue
        judged.append(
            {
                "target": f"{page['title']}: median ≤ {page['target_x_baseline']}× baseline",
                "value": page.get("median_x_baseline"),
                "met": page.get("target_met"),
                "note": None if page["status"] == "measured" else page["status"],
            }
        )
    judged.append(
        {
            "target": f"Worker RSS after load < {WORKER_RSS_LIMIT_MB} MB",
            "value": worker_rss_mb,
            "met": None if worker_rss_mb is None else worker_rss_mb < WORKER_RSS_LIMIT_MB,
            "note": None,
        }
    )
    seconds = generation["seconds"] if generation else None
    judged.append(
        {
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
        f"Latency: {load['requests']} sequential requests per page (capped at "
        f"{load['seconds_per_page']} s), after 3 warm-up requests; reader pages are then "
        "served from the page cache. First ms is the first warm-up request, rendered "
        "uncached. Throughput: wrk, "
        f"{load['connections']} connections for {load['duration']}, against gunicorn with "
        f"{load['workers']} sync workers. × = multiple of the baseline.",
        "",
        "| page | queries | first ms | median ms | p95 ms | median × | req/s | cost × "
        "| target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in report["pages"]:
        if page["status"] != "measured":
            lines.append(f"| {page['title']} | {page['status']} | | | | | | | | |")
            continue
        target = page.get("target_x_baseline")
        errors = page.get("failures", 0) + page.get("wrk", {}).get("non_2xx", 0)
        title = f"{page['title']} ({errors} failed requests)" if errors else page["title"]
        lines.append(
            f"| {title} | {cell(page.get('queries'))} | {cell(page.get('first_ms'))} "
            f"| {cell(page['median_ms'])} "
            f"| {cell(page['p95_ms'])} | {cell(page.get('median_x_baseline'))} "
            f"| {cell(page.get('requests_per_second'))} "
            f"| {cell(page.get('throughput_x_baseline'))} "
            f"| {cell(target, '×') if target else '–'} | {verdict(page.get('target_met'))} |"
        )
    lines += ["", "| target | value | met |", "|---|---:|---|"]
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
