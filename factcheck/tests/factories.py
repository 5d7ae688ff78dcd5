"""Test data through the same services editors use, so derived state is always right."""

import factory

from factcheck import services
from factcheck.models import (
    Appearance,
    Article,
    Claim,
    Claimant,
    ClaimantKind,
    Contradiction,
    DatePrecision,
    Outlet,
    ReviewStatus,
    Stance,
    Verdict,
)

ARTICLE_TEXT = (
    "Alibaba e ByteDance stanno addestrando i loro modelli nel sud-est asiatico. "
    "DeepSeek addestra i suoi modelli in Cina grazie alle scorte di chip Nvidia. "
    "Huawei collabora con DeepSeek sui nuovi semiconduttori."
)


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.Sequence(lambda n: f"outlet-{n}")
    country = "IT"
    language = "it"
    kind = "newspaper"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    outlet = factory.SubFactory(OutletFactory)
    title = factory.Sequence(lambda n: f"Articolo {n}")
    published_on = factory.Faker("date_between", start_date="-2y", end_date="today")
    date_precision = DatePrecision.DAY
    language = "it"
    text = ARTICLE_TEXT
    is_archived = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.article_save(article=model_class(*args, **kwargs))


class ClaimantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claimant

    name = factory.Sequence(lambda n: f"Claimant {n}")
    slug = factory.Sequence(lambda n: f"claimant-{n}")
    kind = ClaimantKind.PERSON
    description = "Minister of examples"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.claimant_save(claimant=model_class(*args, **kwargs))


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    statement = factory.Sequence(lambda n: f"Claim number {n} is checkable")
    status = ReviewStatus.PUBLISHED
    verdict = Verdict.MOSTLY_TRUE
    verdict_summary = "Two independent reports agree."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.claim_save(claim=model_class(*args, **kwargs))


class AppearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appearance

    claim = factory.SubFactory(ClaimFactory)
    article = factory.SubFactory(ArticleFactory)
    quote = "DeepSeek addestra i suoi modelli in Cina"
    stance = Stance.SUPPORTS
    attribution = "according to the article"
    translation = "DeepSeek trains its models in China"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.appearance_save(appearance=model_class(*args, **kwargs))


class ContradictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contradiction

    claim_a = factory.SubFactory(ClaimFactory)
    claim_b = factory.SubFactory(ClaimFactory)
    explanation = "The two reports cannot both be right."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.contradiction_save(contradiction=model_class(*args, **kwargs))
