"""Reads that pages share, already shaped so that rendering them adds no queries.

Reader pages start from Claim.objects.published() (or public() for the claim page itself,
which also answers for retracted claims), and articles, outlets and appearances from
their public(): nothing here reaches a draft, nor an article no public claim stands on.
Only a preview (staff with the change permission, see views.py) passes preview=True and
reads the records as they are.
"""

from factcheck.selectors.claims import (
    HistoryEntry,
    claim_appearances,
    claim_contradictions,
    claim_corrections,
    claim_detail_appearances,
    claim_evidence_decisions,
    claim_for_old_slug,
    claim_page_evidence,
    claim_public_history,
    claim_table_rows,
    claims_latest_reviewed,
    claims_most_contested,
    claims_quoting_articles,
    reporting_under_review,
)
from factcheck.selectors.contradictions import (
    NO_EVIDENCE_SPAN,
    ContradictionPair,
    EvidenceSpan,
    claims_counted_spans,
    claims_evidence_spans,
    contradiction_pairs,
    evidence_spans,
)
from factcheck.selectors.counts import CountedPaginator, counted, queryset_count
from factcheck.selectors.fields import (
    APPEARANCE_READER_FIELDS,
    ARTICLE_LIST_FIELDS,
)
from factcheck.selectors.sources import (
    NEXT_LANGUAGE_SQL,
    CorpusFigures,
    article_family,
    article_languages,
    article_quoted_appearances,
    contradictions_for_index,
    corpus_figures,
    count_corpus_figures,
    outlet_articles,
    outlet_claims,
    quoted_article_languages,
)

__all__ = [
    "APPEARANCE_READER_FIELDS",
    "ARTICLE_LIST_FIELDS",
    "NEXT_LANGUAGE_SQL",
    "NO_EVIDENCE_SPAN",
    "ContradictionPair",
    "CorpusFigures",
    "CountedPaginator",
    "EvidenceSpan",
    "HistoryEntry",
    "article_family",
    "article_languages",
    "article_quoted_appearances",
    "claim_appearances",
    "claim_contradictions",
    "claim_corrections",
    "claim_detail_appearances",
    "claim_evidence_decisions",
    "claim_for_old_slug",
    "claim_page_evidence",
    "claim_public_history",
    "claim_table_rows",
    "claims_counted_spans",
    "claims_evidence_spans",
    "claims_latest_reviewed",
    "claims_most_contested",
    "claims_quoting_articles",
    "contradiction_pairs",
    "contradictions_for_index",
    "corpus_figures",
    "count_corpus_figures",
    "counted",
    "evidence_spans",
    "outlet_articles",
    "outlet_claims",
    "queryset_count",
    "quoted_article_languages",
    "reporting_under_review",
]
