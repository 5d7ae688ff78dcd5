"""Pictures drawn on the server as inline SVG, from rows the page has already read.

Each picture is an `<svg role="img">` named by its `<title>` and described by its
`<desc>`, and the page beside it says the same in text (a table or a list), so nothing is
told by the picture alone. Stances differ by shape and line pattern as well as by colour;
colours come from classes styled in site.css, because the site's policy allows no inline
style. Nothing here reads the database: a claim page with 500 appearances draws its
pictures from the appearances it fetched for its list, in one pass.

The repeated marks are written as plain strings: their attributes are numbers and the
fixed class names of this module, and every text (titles, labels) goes through escape()
on its way in. format_html per mark cost 50 ms on a claim with 400 origins; a template
loop would cost more still. svg() marks the finished drawing safe, once.
"""

import datetime
import functools
import html
import math
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from factcheck.agreement import Breakdown, OriginEvidence
from factcheck.models import Appearance, Article, Correction, Stance
from factcheck.reader_urls import written_date
from factcheck.selectors.contradictions import period_end

WIDTH = 640
# The order stances are drawn and listed in, the strongest position first.
STANCE_ORDER = [Stance.SUPPORTS, Stance.QUALIFIES, Stance.REFUTES, Stance.MENTIONS]
# The stances agreement weighs; a mention takes no position, so the timeline leaves it out.
POSITIONS = [Stance.SUPPORTS, Stance.QUALIFIES, Stance.REFUTES]


def num(value: float) -> str:
    """A coordinate, to a tenth of a unit: enough on a 640-unit drawing."""
    return f"{value:.1f}"


def shape(stance: str, x: float, y: float, size: float) -> str:
    """Path data of one mark whose shape says its stance: supports a disc, qualifies a
    diamond, refutes a square, mentions a ring (a disc left hollow by its class). Marks of
    one stance can share a path, so a row of origins is a few elements, not hundreds."""
    if stance == Stance.QUALIFIES:
        side = size * 1.25
        return f"M{num(x)} {num(y - side)}l{num(side)} {num(side)}l-{num(side)} {num(side)}l-{num(side)} -{num(side)}z"
    if stance == Stance.REFUTES:
        half = size * 0.9
        return f"M{num(x - half)} {num(y - half)}h{num(2 * half)}v{num(2 * half)}h-{num(2 * half)}z"
    r = num(size)
    return f"M{num(x - size)} {num(y)}a{r} {r} 0 1 0 {num(2 * size)} 0a{r} {r} 0 1 0 -{num(2 * size)} 0z"


def svg(*, name: str, title: str, description: str, height: float, body: str) -> SafeString:
    """The picture's element, named and described for assistive technology."""
    return format_html(
        '<svg class="picture-{name}" role="img" aria-labelledby="{name}-title {name}-desc" '
        'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<title id="{name}-title">{title}</title><desc id="{name}-desc">{description}</desc>'
        "{body}</svg>",
        name=name,
        width=WIDTH,
        height=round(height),
        title=title,
        description=description,
        body=mark_safe(body),  # numbers, this module's class names and escaped text only
    )


def escape(text) -> SafeString:
    """django.utils.html.escape without its lazy-string wrapper, which costs more than the
    escaping on a picture's hundreds of labels (a lazy text is turned to text first)."""
    return SafeString(html.escape(str(text)))


def joined(parts) -> SafeString:
    """Drawn parts as one string; anything not already safe is escaped."""
    return mark_safe("".join(conditional_escape(part) for part in parts))


def short(text: str, length: int) -> str:
    """`text` cut to `length` characters with an ellipsis (a label, not prose: Truncator's
    translated ellipsis costs more than the label is worth, 50 times a page)."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


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


def cell_drawing(stance: str, count: int) -> tuple[str, float, float]:
    """An origin's mark with `count` articles hanging under it, drawn at (0, 0) (the cell's
    left edge, the origin mark's centre), with the cell's width and height. Every origin
    of a row with as many articles looks the same, so it is drawn once and placed by
    reference."""
    drawn = min(count, ARTICLES_DRAWN)
    columns = min(drawn, ARTICLES_PER_LINE)
    centre = max(2 * ORIGIN_SIZE, columns * ARTICLE_STEP) / 2
    first_x = centre - (columns - 1) * ARTICLE_STEP / 2
    dots_y = ORIGIN_SIZE + STEM
    bar_y = num(dots_y - STEM / 2)
    tree = (
        f"M{num(centre)} 0V{bar_y}M{num(first_x)} {bar_y}"
        f"H{num(first_x + (columns - 1) * ARTICLE_STEP)}"
    )
    marks = [shape(stance, centre, 0, ORIGIN_SIZE)]
    marks += [
        shape(
            stance,
            first_x + (index % ARTICLES_PER_LINE) * ARTICLE_STEP,
            dots_y + (index // ARTICLES_PER_LINE) * ARTICLE_STEP,
            ARTICLE_SIZE,
        )
        for index in range(drawn)
    ]
    lines = math.ceil(drawn / ARTICLES_PER_LINE)
    height = ORIGIN_SIZE + STEM + lines * ARTICLE_STEP
    more = ""
    if count > drawn:
        more = (
            f'<text class="more" x="{num(centre)}" y="{num(dots_y + lines * ARTICLE_STEP + 4)}" '
            f'text-anchor="middle">+{count - drawn}</text>'
        )
        height += 12
    # Page styles do not reach into a placed copy, so the copy takes its colours from the
    # <use> that places it (class "mark <stance>"); the tree only needs not to be filled.
    drawing = f'<path fill="none" d="{tree}"/><path d="{"".join(marks)}"/>{more}'
    return drawing, 2 * centre + CELL_GAP, height


def origins_picture(breakdown: Breakdown) -> SafeString:
    """Independent origins by stance: one large mark per origin, the articles quoting it as
    small marks under it, so three retellings of one report read as one origin."""
    rows = origins_by_stance(breakdown)
    if not rows:
        return SafeString("")

    @functools.cache  # for this picture only: gettext per origin cost more than its drawing
    def through_articles(count: int) -> str:
        return ngettext(
            "%(origin)s, through %(count)s article", "%(origin)s, through %(count)s articles", count
        )

    cells: dict[tuple[str, int], tuple[str, float, float]] = {}
    parts, y = [], 0.0
    for row in rows:
        stance = row.stance
        parts.append(
            f'<g class="stance-row" data-stance="{stance}" data-origins="{len(row.marks)}">'
            f'<text class="heading" x="0" y="{num(y + 16)}">{escape(row_heading(row))}</text>'
        )
        y += HEADING + ORIGIN_SIZE
        x, line_height = 0.0, 0.0
        for mark in row.marks:
            count = len(mark.articles)
            if (stance, count) not in cells:
                cells[stance, count] = cell_drawing(stance, count)
            _drawing, width, height = cells[stance, count]
            if x and x + width > WIDTH:
                y += line_height + LINE_GAP
                x, line_height = 0.0, 0.0
            label = through_articles(count) % {"origin": mark.origin.display_title, "count": count}
            parts.append(
                f'<g class="origin" data-articles="{count}"><title>{escape(label)}</title>'
                f'<use class="mark {stance}" xlink:href="#origins-{stance}-{count}" '
                f'x="{num(x)}" y="{num(y)}"/></g>'
            )
            x += width
            line_height = max(line_height, height)
        parts.append("</g>")
        y += line_height + LINE_GAP
    definitions = "".join(
        f'<g id="origins-{stance}-{count}">{drawing}</g>'
        for (stance, count), (drawing, *_size) in cells.items()
    )
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
        body=f"<defs>{definitions}</defs>{''.join(parts)}",
    )


# --- Agreement timeline --------------------------------------------------------------


@dataclass(frozen=True)
class TimelinePoint:
    """The date an origin first took a stance in the articles quoting it, and how many
    origins had taken that stance by then (this one included)."""

    stance: Stance
    origin: Article
    appearance: Appearance  # the earliest quote of the origin with this stance
    article: Article
    count: int
    # Read once here, since the picture and the list both use them.
    start: datetime.date
    end: datetime.date  # the last day the date may mean, at its precision

    @classmethod
    def first_quote(cls, *, stance, origin, appearance, count) -> "TimelinePoint":
        article = appearance.article
        return cls(
            stance=stance,
            origin=origin,
            appearance=appearance,
            article=article,
            count=count,
            start=article.published_on,
            end=period_end(article.published_on, article.date_precision),
        )


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
    first_dated: dict[Stance, list[tuple[OriginEvidence, Appearance]]] = {
        stance: [] for stance in POSITIONS
    }
    undated = []
    for item in breakdown.origins:
        earliest: dict[str, Appearance] = {}
        stances = set()
        for appearance in item.appearances:
            stances.add(appearance.stance)
            day = appearance.article.published_on
            if day is None:
                continue
            known = earliest.get(appearance.stance)
            if known is None or day < known.article.published_on:
                earliest[appearance.stance] = appearance
        for stance in POSITIONS:
            if stance in earliest:
                first_dated[stance].append((item, earliest[stance]))
            elif stance in stances:
                undated.append((stance, item.origin))
    points = []
    for stance, items in first_dated.items():
        items.sort(key=lambda pair: (pair[1].article.published_on, pair[0].origin.pk))
        points += [
            TimelinePoint.first_quote(
                stance=stance, origin=item.origin, appearance=appearance, count=number
            )
            for number, (item, appearance) in enumerate(items, start=1)
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
    days_shown = (last - first).days
    plot_bottom = PLOT_TOP + len(POSITIONS) * (LANE + LANE_GAP)
    language = get_language()

    def x(day: datetime.date) -> float:
        return round(PLOT_LEFT + (day - first).days / days_shown * (PLOT_RIGHT - PLOT_LEFT), 1)

    highest = max([point.count for point in timeline.points] or [1])
    # One mark per stance, placed by reference at each point.
    definitions = "".join(
        f'<path id="timeline-{stance}" d="{shape(stance, 0, 0, POINT_SIZE)}"/>'
        for stance in POSITIONS
    )
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
        for point in points:
            at, height = x(point.start), y(point.count)
            span = ""
            if point.end != point.start:
                span = f'<path class="span {stance}" d="M{num(at)} {num(height)}H{num(x(point.end))}"/>'
            parts.append(
                f'<g class="point" data-stance="{stance}" data-date="{written_date(point.article, language)[0]}" '
                f'data-count="{point.count}">{span}<use class="mark {stance}" '
                f'xlink:href="#timeline-{stance}" x="{num(at)}" y="{num(height)}"/></g>'
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
        body=f"<defs>{definitions}</defs>{''.join(parts)}",
    )


def lane_heading(stance: Stance, count: int) -> str:
    return ngettext("%(stance)s: %(count)s origin", "%(stance)s: %(count)s origins", count) % {
        "stance": stance.label,
        "count": count,
    }


def timeline_list(timeline: AgreementTimeline) -> SafeString:
    """The picture in words, one line per point and event, in date order."""
    # Translated once per list, not per line: gettext costs more than the line itself.
    labels = {stance: stance.label.lower() for stance in POSITIONS}
    so_far = {
        Stance.SUPPORTS: _("supporting origins so far: %(count)s"),
        Stance.QUALIFIES: _("qualifying origins so far: %(count)s"),
        Stance.REFUTES: _("refuting origins so far: %(count)s"),
    }
    in_itself = escape(_("in the report itself"))
    first_in = escape(_("first in %(article)s"))
    language = get_language()
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
        sentence = so_far[entry.stance] % {"count": entry.count}
        # Plain strings for the many evidence lines (see the module docstring): each text
        # is escaped; the link is to the quote on this page, so no address is built.
        if entry.article.pk == entry.origin.pk:
            where = in_itself
        else:
            where = first_in % {
                "article": f'<a href="#quote-{entry.appearance.pk}">'
                f"{escape(entry.article.display_title)}</a>"
            }
        iso, display = written_date(entry.article, language)
        lines.append(
            f'<li class="{entry.stance}"><time datetime="{iso}">'
            f"{escape(display)}</time>: {escape(entry.origin.display_title)} "
            f"({escape(labels[entry.stance])}, {where}). {escape(sentence)}.</li>"
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
    return mark_safe(f'<ol class="timeline">{"".join(lines)}</ol>')  # escaped above


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
        "Hollow, dashed marks are reports we do not hold. The lists above name each one."
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


# --- Contradictions on a time line ----------------------------------------------------

PAIR_LABELS = 210  # the claims' names on the left, their evidence on the right
PAIR_ROW = 24


@dataclass(frozen=True)
class ContradictionPictureText:
    """The picture's phrases, translated once for a page of pictures."""

    description: str
    superseded: str
    title: str

    @classmethod
    def build(cls) -> "ContradictionPictureText":
        return cls(
            description=_(
                "The dates of each claim's evidence on one time line, in the order of the claims "
                "beside it: “%(first)s”, %(first_from)s to %(first_to)s; “%(second)s”, "
                "%(second_from)s to %(second_to)s.%(superseded)s"
            ),
            superseded=_("A vertical line marks when the newer reporting began."),
            title=_("Evidence dates of the two claims"),
        )


def contradiction_timeline(
    pair, *, text: ContradictionPictureText | None = None, language: str | None = None
) -> SafeString:
    """The two claims' evidence as bars on one time axis, in the pair's order (the older
    first when the dates or the editors tell; a selectors.ContradictionPair). Without a
    date on both sides there is nothing to compare. A page of pictures passes the phrases
    translated once (`text`) and the active `language`, read once."""
    sides = [pair.older, pair.newer]
    if any(side.evidence is None for side in sides):
        return SafeString("")
    language = language or get_language()
    spans = [
        (
            side.evidence.first.published_on,
            period_end(side.evidence.last.published_on, side.evidence.last.date_precision),
        )
        for side in sides
    ]
    first = min(start for start, _end in spans)
    last = max(end for _start, end in spans)
    days_shown = max((last - first).days, 1)
    left, right = PAIR_LABELS, WIDTH - 8

    def x(day: datetime.date) -> float:
        return left + (day - first).days / days_shown * (right - left)

    # Each side's statement and dates, written once: the bars, the axis and the
    # description all name them.
    statements = [side.claim.statement_in(language) for side in sides]
    froms = [written_date(side.evidence.first, language)[1] for side in sides]
    tos = [written_date(side.evidence.last, language)[1] for side in sides]
    name = f"contradiction-{pair.contradiction.pk}-picture"
    parts = []
    for row, (side, statement, (start, end)) in enumerate(
        zip(sides, statements, spans, strict=True)
    ):
        y = 14 + row * PAIR_ROW
        parts.append(
            f'<g class="evidence {"first" if row == 0 else "second"}" '
            f'data-claim="{side.claim.pk}" data-from="{start.isoformat()}" '
            f'data-to="{end.isoformat()}"><text x="0" y="{y + 4}">'
            f"{escape(short(statement, 30))}</text>"
            f'<path d="M{num(x(start))} {y}H{num(max(x(end), x(start) + 4))}"/></g>'
        )
    axis_y = 14 + 2 * PAIR_ROW
    # The axis is labelled with the dates as the articles give them, to their precision:
    # the earliest first date (the first side's on a tie) and the later last date.
    earliest = (
        0 if sides[0].evidence.first.published_on <= sides[1].evidence.first.published_on else 1
    )
    latest = 0 if spans[0][1] > spans[1][1] else 1
    parts.append(
        f'<path class="axis" d="M{left} {axis_y - 8}H{right}"/>'
        f'<text class="tick" x="{left}" y="{axis_y + 8}">{escape(froms[earliest])}</text>'
        f'<text class="tick" x="{right}" y="{axis_y + 8}" text-anchor="end">'
        f"{escape(tos[latest])}</text>"
    )
    if pair.superseded:
        parts.append(f'<path class="superseded-at" d="M{num(x(spans[1][0]))} 2V{axis_y - 8}"/>')
    if text is None:
        text = ContradictionPictureText.build()
    description = text.description % {
        "first": statements[0],
        "first_from": froms[0],
        "first_to": tos[0],
        "second": statements[1],
        "second_from": froms[1],
        "second_to": tos[1],
        "superseded": " " + text.superseded if pair.superseded else "",
    }
    return svg(
        name=name,
        title=text.title,
        description=description,
        height=axis_y + 14,
        body="".join(parts),  # numbers, fixed names and escaped text only
    )
