from django import template

from factcheck.models import Stance

register = template.Library()


@register.filter
def stance_labels(codes) -> str:
    """Stance codes as readers read them: ["refutes", "supports"] → "refutes, supports"."""
    return ", ".join(Stance(code).label.lower() for code in codes)
