"""The tests that kill the mutants of the core that matter, one module per area.

The mutation run's test selection ([tool.mutmut] in pyproject.toml) names this one file, so
that adding a test here does not change the selection, which would discard every recorded
result and start the run from scratch.
"""

import pytest

from factcheck.tests.core_mutants.derived_edges import *  # noqa: F403
from factcheck.tests.core_mutants.pending_edges import *  # noqa: F403
from factcheck.tests.core_mutants.quotes_messages import *  # noqa: F403
from factcheck.tests.core_mutants.review_edges import *  # noqa: F403
from factcheck.tests.core_mutants.services_edges import *  # noqa: F403
from factcheck.tests.core_mutants.workflow_edges import *  # noqa: F403

# The modules above mark nothing themselves: every test here may use the database.
pytestmark = pytest.mark.django_db
