from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The load-test and corpus-building tooling: installed by factcheck.bench.settings only.

    It holds no models, so installing it changes neither the schema nor the migrations.
    """

    name = "factcheck.bench"
    label = "bench"
    verbose_name = "Benchmark and corpus tooling"
