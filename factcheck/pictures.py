"""Pictures drawn on the server as inline SVG, from rows the page has already read.

Each picture is an `<svg role="img">` named by its `<title>` and described by its
`<desc>`, and the page beside it says the same in text (a table or a list), so nothing is
told by the picture alone. Stances differ by shape and line pattern as well as by colour;
colours come from classes styled in site.css, because the site's policy allows no inline
style. Nothing here reads the database: a claim page with 500 appearances draws its
pictures from the appearances it fetched for its list, in one pass.

The repeated marks are written with format_html rather than a template loop: a template
lookup per mark would cost more than the rest of the picture.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from factcheck.agreement import Breakdown, OriginEvidence
from factcheck.models import Article, Correction, Stance
from factcheck.selectors.contradictions import period_end

WIDTH = 640
# The order stances are drawn and listed in, the strongest position first.
STANCE_ORDER = [Stance.SUPPORTS, Stance.QUALIFIES, Stance.REFUTES, Stance.MENTIONS]
# The stances agreement weighs; a mention takes no position, so the timeline leaves it out.
POSITIONS = [Stance.SUPPORTS, Stance.QUALIFIES, Stance.REFUTES]


def stance_mark(stance: str, x: float, y: float, size: float) -> SafeString:
    """One mark whose shape says its stance: supports a disc, qualifies a diamond,
    refutes a square, mentions a ring."""
    if stance == Stance.SUPPORTS:
        return format_html('<circle class="mark {}" cx="{}" cy="{}" r="{}"/>', stance, x, y, size)
    if stance == Stance.QUALIFIES:
        return format_html(
            '<path class="mark {}" d="M{} {}l{} {}l{} {}l{} {}z"/>',
            stance,
            x,
            y - size * 1.25,
            size * 1.25,
            size * 1.25,
            -size * 1.25,
            size * 1.25,
            -size * 1.25,
            -size * 1.25,
        )
    if stance == Stance.REFUTES:
        side = size * 1.8
        return format_html(
            '<rect class="mark {}" x="{}" y="{}" width="{}" height="{}"/>',
            stance,
            x - side / 2,
            y - side / 2,
            side,
            side,
        )
    return format_html('<circle class="mark {}" cx="{}" cy="{}" r="{}"/>', stance, x, y, size)


def svg(*, name: str, title: str, description: str, height: float, body: SafeString) -> SafeString:
    """The picture's element, named and described for assistive technology."""
    return format_html(
        '<svg class="picture-{name}" role="img" aria-labelledby="{name}-title {name}-desc" '
        'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{name}-title">{title}</title><desc id="{name}-desc">{description}</desc>'
        "{body}</svg>",
        name=name,
        width=WIDTH,
        height=round(height),
        title=title,
        description=description,
        body=body,
    )


def joined(parts) -> SafeString:
    """Drawn parts as one string; anything not already safe is escaped."""
    return mark_safe("".join(conditional_escape(part) for part in parts))


def short(text: str, length: int) -> str:
    return Truncator(text).chars(length)


# --- Origins by stance ---------------------------------------------------------------

ORIGIN_SIZE = 8
ARTICLE_SIZE = 3.5
ARTICLE_STEP = 10
ARTICLES_PER_LINE = 6
ARTICLES_DRAWN = 24  # more than this under one origin are written as "+n"
STEM = 12  # from an origin's mark down to its articles
CELL_GAP = 12
HEADING = 26
LINE_GAP = 12


@dataclass(frozen=True)
class OriginMark:
    """One independent origin in one stance's row, and the articles quoting it so."""

    origin: Article
    articles: list[Article]


@dataclass(frozen=True)
class StanceRow:
    stance: Stance
    marks: list[OriginMark]

    @property
    def article_count(self) -> int:
        return sum(len(mark.articles) for mark in self.marks)


def origins_by_stance(breakdown: Breakdown) -> list[StanceRow]:
    """Each stance's origins, as agreement counts them: an origin whose retellings take two
    stances is in both rows, with the articles that take each."""
    rows = {stance: [] for stance in STANCE_ORDER}
    for item in breakdown.origins:
        articles_by_stance: dict[str, dict[int, Article]] = {}
        for appearance in item.appearances:
            articles_by_stance.setdefault(appearance.stance, {}).setdefault(
                appearance.article_id, appearance.article
            )
        for stance, articles in articles_by_stance.items():
            rows[stance].append(OriginMark(origin=item.origin, articles=list(articles.values())))
    return [StanceRow(stance=stance, marks=marks) for stance, marks in rows.items() if marks]


def row_heading(row: StanceRow) -> str:
    origins = ngettext("%(count)s origin", "%(count)s origins", len(row.marks)) % {
        "count": len(row.marks)
    }
    articles = ngettext("%(count)s article", "%(count)s articles", row.article_count) % {
        "count": row.article_count
    }
    return _("%(stance)s: %(origins)s, %(articles)s") % {
        "stance": row.stance.label,
        "origins": origins,
        "articles": articles,
    }


def origin_cell(mark: OriginMark, stance: str, x: float, y: float) -> tuple[SafeString, float]:
    """An origin's mark with its articles hanging under it; returns the drawing and its
    height. `x` is the cell's left edge, `y` the origin mark's centre."""
    count = len(mark.articles)
    drawn = min(count, ARTICLES_DRAWN)
    columns = min(drawn, ARTICLES_PER_LINE)
    centre = x + max(2 * ORIGIN_SIZE, columns * ARTICLE_STEP) / 2
    first_x = centre - (columns - 1) * ARTICLE_STEP / 2
    dots_y = y + ORIGIN_SIZE + STEM
    parts = [
        format_html(
            '<path class="tree" d="M{} {}V{}H{}M{} {}H{}"/>',
            centre,
            y,
            dots_y - STEM / 2,
            first_x,
            first_x,
            dots_y - STEM / 2,
            first_x + (columns - 1) * ARTICLE_STEP,
        ),
        stance_mark(stance, centre, y, ORIGIN_SIZE),
    ]
    parts.extend(
        stance_mark(
            stance,
            first_x + (index % ARTICLES_PER_LINE) * ARTICLE_STEP,
            dots_y + (index // ARTICLES_PER_LINE) * ARTICLE_STEP,
            ARTICLE_SIZE,
        )
        for index in range(drawn)
    )
    lines = math.ceil(drawn / ARTICLES_PER_LINE)
    height = ORIGIN_SIZE + STEM + lines * ARTICLE_STEP
    if count > drawn:
        parts.append(
            format_html(
                '<text class="more" x="{}" y="{}" text-anchor="middle">+{}</text>',
                centre,
                dots_y + lines * ARTICLE_STEP + 4,
                count - drawn,
            )
        )
        height += 12
    label = ngettext(
        "%(origin)s, through %(count)s article", "%(origin)s, through %(count)s articles", count
    ) % {"origin": mark.origin.display_title, "count": count}
    group = format_html(
        '<g class="origin" data-articles="{}"><title>{}</title>{}</g>',
        count,
        label,
        joined(parts),
    )
    return group, height


def cell_width(mark: OriginMark) -> float:
    columns = min(len(mark.articles), ARTICLES_PER_LINE)
    return max(2 * ORIGIN_SIZE, columns * ARTICLE_STEP) + CELL_GAP


def origins_picture(breakdown: Breakdown) -> SafeString:
    """Independent origins by stance: one large mark per origin, the articles quoting it as
    small marks under it, so three retellings of one report read as one origin."""
    rows = origins_by_stance(breakdown)
    if not rows:
        return SafeString("")
    parts, y = [], 0.0
    for row in rows:
        parts.append(
            format_html(
                '<g class="stance-row" data-stance="{}" data-origins="{}">'
                '<text class="heading" x="0" y="{}">{}</text>',
                row.stance,
                len(row.marks),
                y + 16,
                row_heading(row),
            )
        )
        y += HEADING + ORIGIN_SIZE
        x, line_height = 0.0, 0.0
        for mark in row.marks:
            width = cell_width(mark)
            if x and x + width > WIDTH:
                y += line_height + LINE_GAP
                x, line_height = 0.0, 0.0
            cell, height = origin_cell(mark, row.stance, x, y)
            parts.append(cell)
            x += width
            line_height = max(line_height, height)
        parts.append(SafeString("</g>"))
        y += line_height + LINE_GAP
    summary = "; ".join(row_heading(row) for row in rows)
    description = _(
        "Each large mark is one independent origin; the small marks under it are the "
        "articles that quote it for this claim, however many retell it. %(summary)s. "
        "The table and the list below name them."
    ) % {"summary": summary}
    return svg(
        name="origins-picture",
        title=_("Independent origins by stance"),
        description=description,
        height=y,
        body=joined(parts),
    )


# --- Agreement timeline --------------------------------------------------------------


@dataclass(frozen=True)
class TimelinePoint:
    """The date an origin first took a stance in the articles quoting it, and how many
    origins had taken that stance by then (this one included)."""

    stance: Stance
    origin: Article
    article: Article  # the earliest article quoting the origin with this stance
    count: int

    @property
    def start(self) -> datetime.date:
        return self.article.published_on

    @property
    def end(self) -> datetime.date:
        return period_end(self.article.published_on, self.article.date_precision)


@dataclass(frozen=True)
class TimelineEvent:
    kind: str  # "verdict" or "correction"
    day: datetime.date
    correction: Correction | None = None


@dataclass
class AgreementTimeline:
    points: list[TimelinePoint]
    events: list[TimelineEvent]
    undated: list[tuple[Stance, Article]] = field(default_factory=list)

    def totals(self) -> dict[Stance, int]:
        totals = dict.fromkeys(POSITIONS, 0)
        for point in self.points:
            totals[point.stance] = max(totals[point.stance], point.count)
        return totals

    def entries(self) -> list[TimelinePoint | TimelineEvent]:
        """Points and events in date order; on one day, the evidence before the verdict."""
        dated = [(point.start, 0, point) for point in self.points]
        dated += [(event.day, 1, event) for event in self.events]
        return [item for *_, item in sorted(dated, key=lambda entry: entry[:2])]

    @property
    def svg(self) -> SafeString:
        return timeline_picture(self)

    @property
    def text_list(self) -> SafeString:
        return timeline_list(self)


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def agreement_timeline(
    *, claim, breakdown: Breakdown, corrections: list[Correction]
) -> AgreementTimeline:
    """How the supporting, qualifying and refuting origins accumulated, by the date of the
    first article that quotes each origin with that stance, with the verdict and each
    correction. A date known only to its month or year counts from its first day (as
    articles are stored and sorted), and is drawn across the whole period."""
    first_dated: dict[Stance, list[tuple[OriginEvidence, Article]]] = {s: [] for s in POSITIONS}
    undated = []
    for item in breakdown.origins:
        earliest: dict[str, Article] = {}
        stances = set()
        for appearance in item.appearances:
            stances.add(appearance.stance)
            article = appearance.article
            if article.published_on is None:
                continue
            known = earliest.get(appearance.stance)
            if known is None or article.published_on < known.published_on:
                earliest[appearance.stance] = article
        for stance in POSITIONS:
            if stance in earliest:
                first_dated[stance].append((item, earliest[stance]))
            elif stance in stances:
                undated.append((stance, item.origin))
    points = []
    for stance, items in first_dated.items():
        items.sort(key=lambda pair: (pair[1].published_on, pair[0].origin.pk))
        points += [
            TimelinePoint(stance=stance, origin=item.origin, article=article, count=number)
            for number, (item, article) in enumerate(items, start=1)
        ]
    events = []
    if claim.reviewed_at:
        events.append(TimelineEvent(kind="verdict", day=local_day(claim.reviewed_at)))
    events += [
        TimelineEvent(kind="correction", day=local_day(item.created_at), correction=item)
        for item in corrections
    ]
    return AgreementTimeline(points=points, events=events, undated=undated)


PLOT_LEFT, PLOT_RIGHT = 40, WIDTH - 16
PLOT_TOP = 40  # room above the lanes for the verdict's and corrections' labels
LANE = 64  # one lane per stance, so equal counts of two stances never hide each other
LANE_GAP = 8
POINT_SIZE = 4.5
LINE_CLASSES = {Stance.SUPPORTS: "solid", Stance.QUALIFIES: "dashed", Stance.REFUTES: "dotted"}
SHAPE_NAMES = {
    Stance.SUPPORTS: gettext_lazy("discs, solid line"),
    Stance.QUALIFIES: gettext_lazy("diamonds, dashed line"),
    Stance.REFUTES: gettext_lazy("squares, dotted line"),
}


def day_ticks(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, str]]:
    """Axis ticks on whole years, or on months for a span of under two years."""
    if (last - first).days >= 730:
        step = max(1, math.ceil((last.year - first.year + 1) / 8))
        return [
            (datetime.date(year, 1, 1), str(year))
            for year in range(
                first.year + 1 if first.month > 1 or first.day > 1 else first.year,
                last.year + 1,
                step,
            )
        ]
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next(size for size in (1, 2, 3, 6, 12) if months / size <= 8)
    ticks, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = datetime.date(year, month, 1)
        if day >= first and (month - 1) % step == 0:
            ticks.append((day, format_date(day, "M Y")))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return ticks


def timeline_picture(timeline: AgreementTimeline) -> SafeString:
    if not timeline.points and not timeline.events:
        return SafeString("")
    days = [point.start for point in timeline.points] + [p.end for p in timeline.points]
    days += [event.day for event in timeline.events]
    first, last = min(days), max(days)
    if (last - first).days < 60:
        first, last = first - datetime.timedelta(days=30), last + datetime.timedelta(days=30)
    span = (last - first).days
    plot_bottom = PLOT_TOP + len(POSITIONS) * (LANE + LANE_GAP)

    def x(day: datetime.date) -> float:
        return round(PLOT_LEFT + (day - first).days / span * (PLOT_RIGHT - PLOT_LEFT), 1)

    highest = max([point.count for point in timeline.points] or [1])
    parts = []
    for day, label in day_ticks(first, last):
        parts.append(
            format_html(
                '<path class="grid" d="M{} {}V{}"/><text class="tick" x="{}" y="{}" '
                'text-anchor="middle">{}</text>',
                x(day),
                PLOT_TOP,
                plot_bottom + 4,
                x(day),
                plot_bottom + 18,
                label,
            )
        )
    totals = timeline.totals()
    for lane, stance in enumerate(POSITIONS):
        bottom = PLOT_TOP + lane * (LANE + LANE_GAP) + LANE

        def y(count: int, bottom=bottom) -> float:
            return round(bottom - count / highest * (LANE - 22), 1)

        parts.append(
            format_html(
                '<path class="axis" d="M{} {}V{}H{}"/>'
                '<text class="tick" x="{}" y="{}" text-anchor="end">0</text>'
                '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>'
                '<text class="lane" x="{}" y="{}">{}</text>',
                PLOT_LEFT,
                bottom - LANE,
                bottom,
                PLOT_RIGHT,
                PLOT_LEFT - 6,
                bottom + 4,
                PLOT_LEFT - 6,
                y(highest) + 4,
                highest,
                PLOT_LEFT + 6,
                bottom - LANE + 12,
                lane_heading(stance, totals[stance]),
            )
        )
        points = [point for point in timeline.points if point.stance == stance]
        if not points:
            continue
        steps = [f"M{x(points[0].start)} {y(0)}"]
        steps += [f"H{x(point.start)}V{y(point.count)}" for point in points]
        steps.append(f"H{PLOT_RIGHT}")
        parts.append(
            format_html(
                '<path class="step {} {}" d="{}"/>', stance, LINE_CLASSES[stance], "".join(steps)
            )
        )
        parts.append(
            format_html_join(
                "",
                '<g class="point" data-stance="{}" data-date="{}" data-count="{}">{}{}</g>',
                (
                    (
                        stance,
                        point.article.iso_date,
                        point.count,
                        format_html(
                            '<path class="span {}" d="M{} {}H{}"/>',
                            stance,
                            x(point.start),
                            y(point.count),
                            x(point.end),
                        )
                        if point.end != point.start
                        else "",
                        stance_mark(stance, x(point.start), y(point.count), POINT_SIZE),
                    )
                    for point in points
                ),
            )
        )
    corrections = 0
    for event in timeline.events:
        if event.kind == "verdict":
            label, label_y = _("Verdict"), PLOT_TOP - 24
        else:
            corrections += 1
            label, label_y = _("Correction %(number)s") % {"number": corrections}, PLOT_TOP - 8
        # A label near an edge runs inwards, so it stays inside the picture.
        at = x(event.day)
        anchor = "end" if at > WIDTH - 60 else "start" if at < 60 else "middle"
        parts.append(
            format_html(
                '<g class="event {}" data-date="{}"><path d="M{} {}V{}"/>'
                '<text x="{}" y="{}" text-anchor="{}">{}</text></g>',
                event.kind,
                event.day.isoformat(),
                at,
                label_y + 4,
                plot_bottom - LANE_GAP,
                at,
                label_y,
                anchor,
                label,
            )
        )
    description = _(
        "Independent origins counted by the date of the first article that quotes each, "
        "from %(first)s to %(last)s, one lane per stance; a date known only to its month or "
        "year is drawn across it. %(lanes)s. Vertical lines mark the verdict (solid) and each "
        "correction (dashed). The list below gives each date."
    ) % {
        "first": format_date(first, "j F Y"),
        "last": format_date(last, "j F Y"),
        "lanes": "; ".join(
            f"{lane_heading(stance, totals[stance])} ({SHAPE_NAMES[stance]})"
            for stance in POSITIONS
        ),
    }
    return svg(
        name="timeline-picture",
        title=_("Agreement over time"),
        description=description,
        height=plot_bottom + 24,
        body=joined(parts),
    )


def lane_heading(stance: Stance, count: int) -> str:
    return ngettext("%(stance)s: %(count)s origin", "%(stance)s: %(count)s origins", count) % {
        "stance": stance.label,
        "count": count,
    }


def timeline_list(timeline: AgreementTimeline) -> SafeString:
    """The picture in words, one line per point and event, in date order."""
    lines = []
    for entry in timeline.entries():
        if isinstance(entry, TimelineEvent):
            when = format_html(
                '<time datetime="{}">{}</time>',
                entry.day.isoformat(),
                format_date(entry.day, "j F Y"),
            )
            if entry.kind == "verdict":
                lines.append(format_html("<li>{}: {}</li>", when, _("verdict given")))
            else:
                lines.append(
                    format_html(
                        '<li>{}: <a href="#correction-{}">{}</a></li>',
                        when,
                        entry.correction.pk,
                        _("correction published"),
                    )
                )
            continue
        sentence = {
            Stance.SUPPORTS: ngettext(
                "%(count)s supporting origin so far",
                "%(count)s supporting origins so far",
                entry.count,
            ),
            Stance.QUALIFIES: ngettext(
                "%(count)s qualifying origin so far",
                "%(count)s qualifying origins so far",
                entry.count,
            ),
            Stance.REFUTES: ngettext(
                "%(count)s refuting origin so far", "%(count)s refuting origins so far", entry.count
            ),
        }[entry.stance] % {"count": entry.count}
        lines.append(
            format_html(
                '<li class="{}">{}: {} ({}, {}). {}.</li>',
                entry.stance,
                article_time(entry.article),
                entry.origin.display_title,
                entry.stance.label.lower(),
                through(entry),
                sentence,
            )
        )
    for stance, origin in timeline.undated:
        lines.append(
            format_html(
                "<li>{}: {} ({})</li>",
                _("Date unknown"),
                origin.display_title,
                stance.label.lower(),
            )
        )
    return format_html('<ol class="timeline">{}</ol>', joined(lines))


def through(point: TimelinePoint) -> SafeString:
    if point.article.pk == point.origin.pk:
        return SafeString(_("in the report itself"))
    return format_html(
        _("first in {article}"),
        article=format_html(
            '<a href="{}">{}</a>', point.article.get_absolute_url(), point.article.display_title
        ),
    )


def article_time(article: Article) -> SafeString:
    return format_html('<time datetime="{}">{}</time>', article.iso_date, article.display_date)


# --- Retelling tree ------------------------------------------------------------------

TREE_ROW = 28
TREE_INDENT = 22
NODE_SIZE = 6
RETELLINGS_DRAWN = 8


def node_label(article: Article) -> str:
    label = article.display_title
    if article.title and article.outlet_id:
        label = f"{label} ({article.outlet.name})"
    return label


def retelling_tree(*, article: Article, chain: list[Article], retellings) -> SafeString:
    """The article's chain up to its origin as a small tree: the origin at the root, each
    report retelling the one above it, this article, then the articles retelling it."""
    if not chain and not retellings:
        return SafeString("")
    retellings = list(retellings)
    nodes = [(upstream, depth) for depth, upstream in enumerate(reversed(chain))]
    own_depth = len(chain)
    nodes.append((article, own_depth))
    parts = []
    rows = len(nodes) + min(len(retellings), RETELLINGS_DRAWN)
    rows += 1 if len(retellings) > RETELLINGS_DRAWN else 0

    def centre(row: int, depth: int) -> tuple[float, float]:
        return NODE_SIZE + 2 + depth * TREE_INDENT, TREE_ROW / 2 + row * TREE_ROW

    def node(row: int, depth: int, item: Article, kind: str, label: str) -> SafeString:
        cx, cy = centre(row, depth)
        classes = f"node {kind}" + ("" if item.is_archived else " not-archived")
        return format_html(
            '<g class="{}" data-article="{}"><circle cx="{}" cy="{}" r="{}"/>'
            '<text x="{}" y="{}">{}</text></g>',
            classes,
            item.pk,
            cx,
            cy,
            NODE_SIZE,
            cx + NODE_SIZE + 8,
            cy + 5,
            short(label, 78 - depth * 3),
        )

    def edge(parent: tuple[int, int], child: tuple[int, int]) -> SafeString:
        px, py = centre(*parent)
        cx, cy = centre(*child)
        return format_html(
            '<path class="edge" d="M{} {}V{}H{}"/>', px, py + NODE_SIZE, cy, cx - NODE_SIZE
        )

    for row, (item, depth) in enumerate(nodes):
        if row:
            parts.append(edge((row - 1, depth - 1), (row, depth)))
        if item.pk == article.pk:
            label = _("This article: %(title)s") % {"title": node_label(item)}
            kind = "this"
        else:
            label = node_label(item)
            if row == 0:
                label = _("%(title)s, the origin") % {"title": label}
            kind = "origin" if row == 0 else "upstream"
            if not item.is_archived:
                label = _("%(title)s, not archived") % {"title": label}
        parts.append(node(row, depth, item, kind, label))
    own_row = len(nodes) - 1
    for offset, retelling in enumerate(retellings[:RETELLINGS_DRAWN], start=1):
        row = own_row + offset
        parts.append(edge((own_row, own_depth), (row, own_depth + 1)))
        parts.append(
            node(
                row,
                own_depth + 1,
                retelling,
                "retelling",
                _("retold by %(title)s") % {"title": node_label(retelling)},
            )
        )
    if len(retellings) > RETELLINGS_DRAWN:
        cx, cy = centre(rows - 1, own_depth + 1)
        parts.append(
            format_html(
                '<text class="more" x="{}" y="{}">{}</text>',
                cx - NODE_SIZE,
                cy + 5,
                ngettext(
                    "and %(count)s more retelling",
                    "and %(count)s more retellings",
                    len(retellings) - RETELLINGS_DRAWN,
                )
                % {"count": len(retellings) - RETELLINGS_DRAWN},
            )
        )
    if chain:
        description = ngettext(
            "This article is %(steps)s step from its origin, drawn at the root; each report "
            "retells the one above it.",
            "This article is %(steps)s steps from its origin, drawn at the root; each report "
            "retells the one above it.",
            len(chain),
        ) % {"steps": len(chain)}
    else:
        description = _("This article is an original report, drawn at the root.")
    description += " " + _(
        "Hollow, dashed marks are reports we do not hold. The list below names each one."
    )
    if retellings:
        description += " " + ngettext(
            "%(count)s article retells it.", "%(count)s articles retell it.", len(retellings)
        ) % {"count": len(retellings)}
    return svg(
        name="chain-picture",
        title=_("Retelling chain"),
        description=description,
        height=rows * TREE_ROW + 4,
        body=joined(parts),
    )
