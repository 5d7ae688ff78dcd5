"""The server-drawn pictures (factcheck/pictures.py) for templates, from their context."""

from django import template

from factcheck import pictures

register = template.Library()


@register.simple_tag
def origins_picture(breakdown):
    return pictures.origins_picture(breakdown)


@register.simple_tag
def agreement_timeline(claim, breakdown, corrections):
    """Use with `as`: the timeline's `svg` and its `text_list` go in different places."""
    return pictures.agreement_timeline(claim=claim, breakdown=breakdown, corrections=corrections)


@register.simple_tag
def retelling_tree(article, chain, retellings):
    return pictures.retelling_tree(article=article, chain=chain, retellings=retellings)


@register.simple_tag
def contradiction_timeline(pair):
    return pictures.contradiction_timeline(pair)
