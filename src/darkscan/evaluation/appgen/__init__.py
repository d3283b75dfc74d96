"""Random virtual apps with known answers (issue #10.6).

    from darkscan.evaluation.appgen import GenOptions, generate, truths, write
    app = generate(7, GenOptions(min_screens=10, max_screens=40))
    write(app, Path("gen/app7.yaml"))
    truths(app)["cancel_subscription"].from_launch

Modules: phrases (the generator's own phrase bank), model (screens / widgets as data), build
(the random generator), oracle (true depths from the model, never through the crawler),
writer (model -> app YAML with the answers in ``design:``).
"""

from __future__ import annotations

from darkscan.evaluation.appgen.build import GenOptions, generate
from darkscan.evaluation.appgen.model import APP_GOALS, GOALS, AppModel
from darkscan.evaluation.appgen.oracle import Truth, truths
from darkscan.evaluation.appgen.writer import dump, write

__all__ = ["GenOptions", "generate", "truths", "Truth", "write", "dump", "AppModel",
           "APP_GOALS", "GOALS"]
