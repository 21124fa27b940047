"""Held-out outcomes of fold models, and the answer threshold chosen on them.

``python -m bench.finetune --loso --folds K --work DIR`` fits one sentence model
per group of shows, without that group, and records in ``DIR/folds.json`` which
model never saw which show. For a group, ``held_out_outcomes`` traces every show
with its model, fits the ranker, the second look and the answer check on the
shows the model was fitted on (as the shipped ones are fitted on the shipped
model's shows), and answers the group's blind questions with them: what a user
whose show the model never saw gets.

The answer check's probabilities run higher on shows the model was fitted on
than on a new show, so a threshold chosen on the former refuses too many
answerable questions of the latter. ``held_out_threshold`` chooses it on the
held-out outcomes instead; ``bench.train --threshold-from DIR`` ships that.
"""

from __future__ import annotations

from pathlib import Path

from index.embed import Embedder, user_model
from index.rank import RankerVariant

from .fit import Outcome, Stages, choose_threshold, fit_variant, outcomes
from .shows import BLIND_FILE, Show, fold_groups, trace_show


def held_out_outcomes(
    shows: list[Show], embedder: Embedder, held: set[str]
) -> tuple[RankerVariant, dict[str, list[Outcome]]]:
    """The models fitted without ``held`` (``embedder`` never saw them), and the blind outcomes of each held show."""
    by_show = {s.name: trace_show(s.without_training(), embedder)[1] for s in shows}
    fitted, _ = fit_variant({n: c for n, c in by_show.items() if n not in held}, "semantic")
    return fitted, {
        name: [o for o in outcomes(Stages.of(fitted), fitted.answer, by_show[name]) if o.case.item.file == BLIND_FILE]
        for name in sorted(held)
    }


def fold_outcomes(shows: list[Show], folder: Path) -> dict[str, dict[str, list[Outcome]]]:
    """For each fold model in ``folder``: the blind outcomes of the shows it never saw."""
    known = {s.name for s in shows}
    out = {}
    for name, held in sorted(fold_groups(folder).items()):
        if not set(held) <= known:
            raise ValueError(f"{folder / 'folds.json'} names shows that tests/data/shows lacks: {set(held) - known}")
        _, out[name] = held_out_outcomes(shows, Embedder(user_model(folder / name)), set(held))
    return out


def held_out_threshold(groups: dict[str, dict[str, list[Outcome]]]) -> float:
    """The threshold chosen on every group's held-out outcomes together."""
    return choose_threshold([o for group in groups.values() for outs in group.values() for o in outs])


def other_groups_thresholds(groups: dict[str, dict[str, list[Outcome]]]) -> dict[str, float]:
    """Each group's threshold chosen on the *other* groups' held-out outcomes, so that scoring it stays held out."""
    return {name: held_out_threshold({k: g for k, g in groups.items() if k != name}) for name in groups}
