"""The evidence span stored on claims: the first and last publication date of the articles
whose quotes count for a claim, each with its precision, so that a page of contradictions
reads its dates with its claims instead of grouping their evidence on every render.

The backfill is one statement on either database: per claim, the earliest date (the more
precise first on one day) and the date whose period ends last (the more precise first on
one end), as selectors.contradictions.evidence_spans chooses them; test_evidence_span.py
checks that the two agree. Written out as it stood when this migration was made.
"""

from django.db import migrations, models

PERIOD_ENDS = {
    "postgresql": {
        "year": "(date_trunc('year', article.published_on) + interval '1 year - 1 day')::date",
        "month": "(date_trunc('month', article.published_on) + interval '1 month - 1 day')::date",
    },
    "sqlite": {
        "year": "date(article.published_on, 'start of year', '+1 year', '-1 day')",
        "month": "date(article.published_on, 'start of month', '+1 month', '-1 day')",
    },
}

BACKFILL_SQL = """
WITH dated AS (
    SELECT appearance.claim_id, article.published_on, article.date_precision,
        CASE article.date_precision WHEN 'day' THEN 0 WHEN 'month' THEN 1 ELSE 2 END
            AS precision_rank,
        CASE article.date_precision
            WHEN 'year' THEN {year_end} WHEN 'month' THEN {month_end}
            ELSE article.published_on
        END AS period_end
    FROM factcheck_appearance AS appearance
    JOIN factcheck_article AS article ON article.id = appearance.article_id
    WHERE appearance.anchor_status <> 'orphaned' AND article.published_on IS NOT NULL
),
ranked AS (
    SELECT claim_id, published_on, date_precision,
        ROW_NUMBER() OVER (
            PARTITION BY claim_id ORDER BY published_on, precision_rank
        ) AS first_place,
        ROW_NUMBER() OVER (
            PARTITION BY claim_id ORDER BY period_end DESC, precision_rank, published_on DESC
        ) AS last_place
    FROM dated
),
spans AS (
    SELECT earliest.claim_id,
        earliest.published_on AS first_on, earliest.date_precision AS first_precision,
        latest.published_on AS last_on, latest.date_precision AS last_precision
    FROM ranked AS earliest
    JOIN ranked AS latest ON latest.claim_id = earliest.claim_id AND latest.last_place = 1
    WHERE earliest.first_place = 1
)
UPDATE factcheck_claim SET
    evidence_first_on = spans.first_on,
    evidence_first_precision = spans.first_precision,
    evidence_last_on = spans.last_on,
    evidence_last_precision = spans.last_precision
FROM spans
WHERE factcheck_claim.id = spans.claim_id
"""


def spans_backfill(apps, schema_editor):
    period_ends = PERIOD_ENDS.get(schema_editor.connection.vendor)
    if period_ends is None:
        raise NotImplementedError(
            f"No backfill of evidence spans on {schema_editor.connection.vendor}."
        )
    schema_editor.execute(
        BACKFILL_SQL.format(year_end=period_ends["year"], month_end=period_ends["month"])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0017_perf_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="evidence_first_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="claim",
            name="evidence_first_precision",
            field=models.CharField(blank=True, default="", editable=False, max_length=10),
        ),
        migrations.AddField(
            model_name="claim",
            name="evidence_last_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="claim",
            name="evidence_last_precision",
            field=models.CharField(blank=True, default="", editable=False, max_length=10),
        ),
        migrations.RunPython(spans_backfill, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("evidence_first_on__isnull", True),
                        ("evidence_first_precision", ""),
                        ("evidence_last_on__isnull", True),
                        ("evidence_last_precision", ""),
                    ),
                    models.Q(
                        ("evidence_first_on__isnull", False),
                        ("evidence_first_on__lte", models.F("evidence_last_on")),
                        ("evidence_first_precision__in", ["day", "month", "year"]),
                        ("evidence_last_on__isnull", False),
                        ("evidence_last_precision__in", ["day", "month", "year"]),
                    ),
                    _connector="OR",
                ),
                name="claim_evidence_span_valid",
            ),
        ),
    ]
