"""Answer quality on every labelled show of tests/data/shows, held out and as shipped.

Leave-one-show-out: for each show, the ranker, the answer check and its
threshold are fitted on the other shows (bench/fit.py), then that show's blind
questions (``questions.jsonl``) are answered. The shipped sentence model was
fitted on every show (bench/finetune.py), so the semantic floors guard against
regressions; holding the model out too needs its fold models (``python -m
bench.finetune --loso --folds 4``, torch), scored by ``python -m bench.quality
--held-out-models``: that is what README reports. The shipped weights (index/data/ranker.json,
fitted on every show and on the eleven looked-at fresh shows, ``bench.train --fresh``) are checked on the
development questions and per show as a regression check. The floors sit a little under what ``python -m bench.quality``
measured, so a regression fails.
"""

from __future__ import annotations

import pytest
from conftest import is_verbatim

from bench.fit import Stages, leave_one_show_out, outcomes, score
from bench.shows import FRESH, ShowData, load_shows
from index import Engine, load_corpus
from index.rank import Ranker

# held-out show -> (hit@1 floor, declined floor, refused ceiling), semantic ranker (the model saw every show)
HELD_OUT_FLOORS = {
    # declined 9 of 19 (0.474) after the evidence fixes' refit, 10 before; 0.63 / 0.74 / 0.29 after the genre reading
    # (0.68 / 0.68 / 0.24 before: the other shows' genre rows moved this fold's threshold)
    "all-of-us-are-dead": (0.62, 0.47, 0.30),
    "attack-on-titan": (0.66, 0.77, 0.16),  # measured 0.71 / 0.82 / 0.11, 0.675 / 0.88 / 0.15 after the kind fixes
    "baby-reindeer": (0.61, 0.55, 0.30),
    "dark": (0.58, 0.78, 0.24),  # declined 14 of 18 after this release's reading fixes' refit (16 before)
    # refused 15 of 87 (0.172) after the evidence fixes' refit; 0.759 / 0.72 / 0.195 (17 of 87) after stop 60's
    # reading fixes moved the fold's fitted threshold
    "demon-slayer": (0.69, 0.67, 0.21),
    "great-british-bake-off": (0.52, 0.66, 0.19),  # declined 0.71 after clean.py kept cut-off last lines
    "love-is-blind": (0.64, 0.56, 0.18),
    "money-heist": (0.63, 0.65, 0.27),  # measured 0.69 / 0.65 / 0.19, 0.648 / 0.75 / 0.261 after the kind fixes
    "peaky-blinders": (0.60, 0.74, 0.24),  # measured 0.62 / 0.90 / 0.18 after the genre reading (0.65 before)
    "rupauls-drag-race": (0.59, 0.84, 0.19),
    "severance": (0.62, 0.62, 0.25),  # measured 0.65 / 0.78 / 0.22 after b57a39b: same ranking, less sure
    "shogun": (0.68, 0.73, 0.15),
    "stranger-things": (0.67, 0.83, 0.17),
    "succession": (0.54, 0.69, 0.19),
    # measured 0.75 / 0.86 / 0.12 (0.71 / 0.81 / 0.16 with part_clash alone), 0.69 / 0.90 / 0.14 with the sentence
    # model fitted on seven fresh shows too
    "ted-lasso": (0.65, 0.81, 0.17),
    "the-bear": (0.69, 0.62, 0.14),
    "wednesday": (0.56, 0.48, 0.22),
}
# the shipped weights on each show's own files, which they were fitted on -> hit@1 floor (a regression check). They are
# fitted on the looked-at fresh shows too (bench.train --fresh), which lean less on the cosine than these shows' own
# fits, so some shows score under their held-out floors above (Ted Lasso 0.663 against 0.69 held out).
SHIPPED_FLOORS = {
    "all-of-us-are-dead": 0.81,  # measured 0.853
    "attack-on-titan": 0.66,  # measured 0.700
    "baby-reindeer": 0.66,  # measured 0.705
    "dark": 0.61,  # measured 0.658
    "demon-slayer": 0.71,  # measured 0.759
    "great-british-bake-off": 0.54,  # measured 0.581
    "love-is-blind": 0.68,  # measured 0.725
    "money-heist": 0.71,  # measured 0.750
    "peaky-blinders": 0.65,  # measured 0.694
    "rupauls-drag-race": 0.66,  # measured 0.708
    "severance": 0.57,  # measured 0.610
    "shogun": 0.72,  # measured 0.763
    "stranger-things": 0.68,  # measured 0.724
    "succession": 0.55,  # measured 0.590
    "ted-lasso": 0.62,  # measured 0.663
    "the-bear": 0.68,  # measured 0.723
    "wednesday": 0.55,  # measured 0.590
}
LEXICAL_MEAN_HIT1 = 0.45  # the lexical ranker's mean held-out hit@1 (no sentence model)
# tests/data/fresh -> (hit@1 floor, declined floor, refused ceiling), measured with the shipped engine. Apart from the
# seven marked below, the sentence model never saw them; the shipped ranker was fitted on the eleven looked-at ones
# (three times each), on none of the others
FRESH_FLOORS = {
    # the ranker, the answer check and its threshold were fitted on these eleven (bench.train --fresh)
    "abbott-elementary": (0.60, 0.70, 0.21),  # measured 0.65 / 0.90 / 0.15; reader check: 0.663 / 0.75 / 0.15
    "arcane": (0.67, 0.85, 0.18),  # measured 0.72 / 0.90 / 0.12
    "fleabag": (0.57, 0.85, 0.19),  # measured 0.62 / 0.90 / 0.13
    "house-of-the-dragon": (0.56, 0.65, 0.30),  # measured 0.61 / 0.70 / 0.24
    "jujutsu-kaisen": (0.63, 0.75, 0.16),  # measured 0.68 / 0.80 / 0.11
    "squid-game": (0.72, 0.70, 0.16),  # measured 0.77 / 0.75 / 0.10
    "the-traitors": (0.46, 0.50, 0.17),  # measured 0.51 / 0.75 / 0.12; reader check: 0.529 / 0.55 / 0.15
    "slow-horses": (0.58, 0.85, 0.21),  # measured 0.63 / 0.90 / 0.16
    "spy-x-family": (0.63, 0.55, 0.20),  # measured 0.68 / 0.75 / 0.14; reader check: 0.692 / 0.60 / 0.13
    "only-murders-in-the-building": (0.60, 0.82, 0.19),  # measured 0.65 / 0.88 / 0.14
    "yellowstone": (0.67, 0.78, 0.20),  # measured 0.72 / 0.83 / 0.15
    # nothing was fitted on these five, read by nobody
    "bridgerton": (0.65, 0.90, 0.17),  # measured 0.70 / 0.95 / 0.11
    "the-white-lotus": (0.61, 0.75, 0.21),  # measured 0.66 / 0.80 / 0.16
    "crash-landing-on-you": (0.73, 0.78, 0.12),  # measured 0.78 / 0.83 / 0.07
    "frieren": (0.67, 0.64, 0.16),  # measured 0.72 / 0.70 / 0.10
    "happy-valley": (0.62, 0.83, 0.16),  # measured 0.67 / 0.88 / 0.11
    # first answered by 8c97e58, their misses read; the sentence model is fitted on them (bench.finetune --fresh)
    "the-boys": (0.59, 0.73, 0.19),  # measured 0.64 / 0.78 / 0.14
    "chainsaw-man": (0.64, 0.70, 0.17),  # measured 0.69 / 0.79 / 0.11; stop 56 (threshold 0.39): 0.757 / 0.67 / 0.07
    "lupin": (0.65, 0.78, 0.18),  # measured 0.70 / 0.83 / 0.12
    "love-island": (0.60, 0.65, 0.21),  # measured 0.65 / 0.71 / 0.15
    "sex-education": (0.65, 0.63, 0.21),  # measured 0.70 / 0.68 / 0.15
    "queens-gambit": (0.68, 0.70, 0.15),  # measured 0.73 / 0.75 / 0.10
    "alice-in-borderland": (0.62, 0.78, 0.18),  # measured 0.67 / 0.83 / 0.13
    # new at 11ea266, nothing fitted on them, their misses not read; first contact (11ea266, the engine before this
    # sentence model): Fallout 0.57 / 0.83 / 0.15, Adolescence 0.56 / 0.78 / 0.17, Solo Leveling 0.64 / 0.88 / 0.19,
    # Physical: 100 0.59 / 0.71 / 0.16
    "fallout": (0.56, 0.65, 0.19),  # measured 0.61 / 0.83 / 0.14; reader check: 0.636 / 0.71 / 0.17
    "adolescence": (0.60, 0.73, 0.21),  # measured 0.65 / 0.78 / 0.16
    "solo-leveling": (0.64, 0.70, 0.19),  # measured 0.69 / 0.75 / 0.14
    "physical-100": (0.60, 0.70, 0.17),  # measured 0.65 / 0.75 / 0.12
    # new at 15a6a5b, nothing fitted on them, their misses not read; these are their first-contact numbers (15a6a5b,
    # this engine)
    "dandadan": (0.64, 0.49, 0.19),  # measured 0.69 / 0.54 / 0.14
    "mr-bates": (0.58, 0.74, 0.19),  # measured 0.63 / 0.79 / 0.13
    "queen-of-tears": (0.63, 0.64, 0.13),  # measured 0.68 / 0.70 / 0.08
    "the-penguin": (0.62, 0.55, 0.13),  # measured 0.67 / 0.78 / 0.08; reader check: 0.681 / 0.61 / 0.09
    "too-hot-to-handle": (0.57, 0.70, 0.20),  # measured 0.62 / 0.75 / 0.14
    "the-pitt": (0.59, 0.57, 0.19),  # measured 0.64 / 0.625 / 0.14
    "elite": (0.56, 0.70, 0.21),  # measured 0.61 / 0.75 / 0.16
    "reacher": (0.65, 0.67, 0.18),  # measured 0.70 / 0.73 / 0.08; stop 58's reader check 0.704 / 0.73 / 0.13
    # measured 0.65 / 0.83 / 0.14; 0.720 / 0.70 / 0.06 at stop 62, whose cleaning reads its viewership article past
    # "Related Articles": two more right, and one out-of-scope question ("who dies in the last episode") answered
    "heeramandi": (0.60, 0.64, 0.19),
    # new at 83ca6bd, nothing fitted or chosen on them, their misses not read; first contact (83ca6bd): hit@1 0.636,
    # refused 0.160, declined 0.768 (tests/data/fresh/README.md); measured with this release's engine, floors
    # hit@1 and declined 0.05 under, refused 0.05 over
    "bluey": (0.61, 0.66, 0.21),  # measured 0.661 / 0.71 / 0.16
    "call-my-agent": (0.51, 0.73, 0.29),  # measured 0.561 / 0.79 / 0.24; its refusals read at stop 49
    "one-hundred-years": (0.63, 0.83, 0.15),  # measured 0.682 / 0.88 / 0.09
    "oshi-no-ko": (0.57, 0.61, 0.20),  # measured 0.625 / 0.67 / 0.14
    "panchayat": (0.63, 0.75, 0.24),  # measured 0.690 / 0.81 / 0.19
    "sherlock": (0.53, 0.83, 0.24),  # measured 0.584 / 0.88 / 0.19
    "singles-inferno": (0.60, 0.58, 0.23),  # measured 0.658 / 0.63 / 0.17
    "yellowjackets": (0.67, 0.75, 0.16),  # measured 0.723 / 0.81 / 0.11
    # new at d1e2fb5, nothing fitted or chosen on them, their misses not read; first contact (d1e2fb5) is
    # what these measure: hit@1 0.660, refused 0.131, declined 0.714 (tests/data/fresh/README.md); floors
    # hit@1 and declined 0.05 under, refused 0.05 over
    "blue-lock": (0.60, 0.62, 0.14),  # measured 0.649 / 0.67 / 0.09
    "culinary-class-wars": (0.65, 0.62, 0.17),  # measured 0.702 / 0.67 / 0.12
    "hacks": (0.66, 0.53, 0.20),  # measured 0.708 / 0.58 / 0.09; reader check: 0.664 / 0.85 / 0.14
    "invincible": (0.50, 0.73, 0.27),  # measured 0.552 / 0.78 / 0.22
    "mirzapur": (0.64, 0.65, 0.13),  # measured 0.686 / 0.70 / 0.08
    "moving": (0.58, 0.76, 0.20),  # measured 0.633 / 0.81 / 0.15
    "the-crown": (0.55, 0.72, 0.22),  # measured 0.603 / 0.77 / 0.17
    "three-body-problem": (0.69, 0.69, 0.18),  # measured 0.744 / 0.74 / 0.13
    # new at 40a30bc, nothing fitted or chosen on them (a sample of their misses read at stop 51); first contact (40a30bc) is
    # what these measure: hit@1 0.637, refused 0.143, declined 0.700 (tests/data/fresh/README.md); floors
    # hit@1 and declined 0.05 under, refused 0.05 over
    "cobra-kai": (0.49, 0.62, 0.17),  # measured 0.547 / 0.67 / 0.12
    "derry-girls": (0.56, 0.51, 0.20),  # measured 0.619 / 0.56 / 0.14
    "emily-in-paris": (0.68, 0.81, 0.18),  # measured 0.733 / 0.86 / 0.12
    "kaiju-no-8": (0.56, 0.74, 0.30),  # measured 0.612 / 0.79 / 0.24
    "kota-factory": (0.62, 0.56, 0.20),  # measured 0.678 / 0.61 / 0.14
    "lovely-runner": (0.71, 0.43, 0.14),  # measured 0.766 / 0.52 / 0.08; stop 56: 0.784 / 0.41 / 0.08
    "rick-and-morty": (0.54, 0.73, 0.21),  # measured 0.595 / 0.78 / 0.16
    "ripley": (0.50, 0.77, 0.20),  # measured 0.550 / 0.82 / 0.14
    # new at 8905137, nothing fitted on them; first contact (8905137): hit@1 0.632, refused 0.149, declined
    # 0.706 (tests/data/fresh/README.md); the next release's reading fixes and hard facts were chosen on them
    # with the other older shows; floors hit@1 and declined 0.05 under, refused 0.05 over
    "babylon-berlin": (0.59, 0.55, 0.20),  # measured 0.642 / 0.61 / 0.15
    "beef": (0.59, 0.56, 0.20),  # measured 0.640 / 0.62 / 0.09; stop 58's reader check 0.640 / 0.81 / 0.15
    "blue-eye-samurai": (0.56, 0.71, 0.24),  # measured 0.619 / 0.77 / 0.19
    "haikyu": (0.58, 0.75, 0.19),  # measured 0.636 / 0.81 / 0.14
    "heartbreak-high": (0.62, 0.65, 0.24),  # measured 0.672 / 0.70 / 0.18
    "scam-1992": (0.55, 0.72, 0.20),  # measured 0.607 / 0.78 / 0.14
    "sweet-home": (0.55, 0.60, 0.22),  # measured 0.600 / 0.65 / 0.17
    "taskmaster": (0.59, 0.66, 0.19),  # measured 0.642 / 0.71 / 0.13
    # new at 57f56a9 (held out: nothing fitted or chosen on them, their misses not read); first contact
    # (57f56a9): hit@1 0.605, refused 0.160, declined 0.679; measured here with this release's engine
    "andor": (0.59, 0.77, 0.25),  # measured 0.643 / 0.85 / 0.20; stop 56: 0.688 / 0.74 / 0.15
    "bad-sisters": (0.43, 0.69, 0.30),  # measured 0.496 / 0.75 / 0.24
    "delhi-crime": (0.58, 0.60, 0.25),  # measured 0.635 / 0.65 / 0.19
    "shetland": (0.46, 0.72, 0.24),  # measured 0.516 / 0.78 / 0.19
    "shrinking": (0.56, 0.60, 0.20),  # measured 0.614 / 0.65 / 0.15
    "survivor": (0.65, 0.61, 0.16),  # measured 0.702 / 0.67 / 0.11
    "tangerines": (0.57, 0.46, 0.17),  # measured 0.631 / 0.52 / 0.11
    "vinland-saga": (0.57, 0.57, 0.16),  # measured 0.622 / 0.63 / 0.10
    # new at 71ec862 (held out: nothing fitted or chosen on them, their misses not read); first contact
    # (71ec862): hit@1 0.655, refused 0.159, declined 0.745; floors hit@1 and declined 0.05 under, refused 0.05 over
    "fargo": (0.61, 0.86, 0.23),  # measured 0.661 / 0.92 / 0.17
    "hospital-playlist": (0.50, 0.70, 0.24),  # measured 0.559 / 0.75 / 0.19
    "line-of-duty": (0.61, 0.70, 0.23),  # measured 0.670 / 0.75 / 0.17
    "my-brilliant-friend": (0.65, 0.75, 0.17),  # measured 0.708 / 0.80 / 0.12
    "my-hero-academia": (0.58, 0.63, 0.25),  # measured 0.632 / 0.68 / 0.19
    "narcos": (0.64, 0.75, 0.17),  # measured 0.695 / 0.80 / 0.12
    "schitts-creek": (0.57, 0.65, 0.23),  # measured 0.626 / 0.71 / 0.18
    "top-chef": (0.64, 0.51, 0.18),  # measured 0.691 / 0.56 / 0.13
    # new at 2b73dfe (held out: nothing fitted or chosen on them, their misses not read); first contact
    # (2b73dfe): hit@1 0.684, refused 0.148, declined 0.845; floors hit@1 and declined 0.05 under, refused 0.05 over
    "borgen": (0.59, 0.86, 0.24),  # measured 0.648 / 0.92 / 0.19
    "breaking-bad": (0.62, 0.78, 0.19),  # measured 0.676 / 0.83 / 0.14
    "normal-people": (0.65, 0.74, 0.19),  # measured 0.705 / 0.79 / 0.13
    "one-piece": (0.66, 0.82, 0.20),  # measured 0.713 / 0.88 / 0.15
    "queer-eye": (0.69, 0.75, 0.18),  # measured 0.741 / 0.80 / 0.12
    "sacred-games": (0.59, 0.86, 0.20),  # measured 0.642 / 0.92 / 0.15
    "the-glory": (0.70, 0.65, 0.12),  # measured 0.755 / 0.71 / 0.07
    "the-good-place": (0.54, 0.86, 0.30),  # measured 0.594 / 0.92 / 0.25
    # new at 501be89 (held out: nothing fitted or chosen on them, their misses not read); first contact
    # (501be89, answers as 68a356c): hit@1 0.701, refused 0.151, declined 0.795; floors as above
    "cable-girls": (0.63, 0.65, 0.21),  # measured 0.682 / 0.71 / 0.16
    "death-note": (0.71, 0.63, 0.16),  # measured 0.767 / 0.68 / 0.11
    "downton-abbey": (0.67, 0.83, 0.23),  # measured 0.723 / 0.88 / 0.18
    "kingdom": (0.58, 0.83, 0.25),  # measured 0.639 / 0.88 / 0.19
    "the-amazing-race": (0.62, 0.74, 0.22),  # measured 0.675 / 0.79 / 0.16
    "the-bridge": (0.65, 0.82, 0.23),  # measured 0.701 / 0.88 / 0.18
    "the-family-man": (0.56, 0.70, 0.21),  # measured 0.612 / 0.75 / 0.16
    "the-mandalorian": (0.75, 0.74, 0.13),  # measured 0.809 / 0.79 / 0.08
    # new at aa7aa42 (held out: nothing fitted or chosen on them, their misses not read); first contact
    # (aa7aa42): hit@1 0.703, refused 0.157, declined 0.798; floors as above. With stop 56's changes (chosen without
    # them, 7d2ef1d): 0.711 / 0.146 / 0.793
    "doctor-who": (0.66, 0.83, 0.19),  # measured 0.712 / 0.88 / 0.14
    "game-of-thrones": (0.66, 0.70, 0.16),  # measured 0.717 / 0.75 / 0.11
    "gilmore-girls": (0.70, 0.86, 0.22),  # measured 0.759 / 0.91 / 0.16
    "masterchef": (0.60, 0.57, 0.22),  # measured 0.655 / 0.62 / 0.16
    "naruto": (0.76, 0.65, 0.19),  # measured 0.818 / 0.71 / 0.13
    "reply-1988": (0.62, 0.74, 0.23),  # measured 0.673 / 0.79 / 0.17
    "the-sopranos": (0.63, 0.78, 0.24),  # measured 0.686 / 0.84 / 0.19
    "young-royals": (0.54, 0.82, 0.26),  # measured 0.596 / 0.88 / 0.20
    # new at e923448 (held out: nothing fitted or chosen on them, their misses not read); first contact
    # (e923448): hit@1 0.710, refused 0.164, declined 0.822; floors as above
    "better-call-saul": (0.68, 0.74, 0.15),  # measured 0.736 / 0.79 / 0.10
    "black-mirror": (0.71, 0.74, 0.20),  # measured 0.766 / 0.79 / 0.14
    "brooklyn-nine-nine": (0.70, 0.75, 0.18),  # measured 0.750 / 0.80 / 0.12
    "fullmetal-alchemist": (0.61, 0.75, 0.28),  # measured 0.661 / 0.80 / 0.23
    "paatal-lok": (0.58, 0.75, 0.30),  # measured 0.638 / 0.80 / 0.24
    "skam": (0.66, 0.87, 0.23),  # measured 0.711 / 0.92 / 0.18
    "the-voice": (0.66, 0.74, 0.22),  # measured 0.718 / 0.79 / 0.16
    "vincenzo": (0.64, 0.83, 0.19),  # measured 0.699 / 0.88 / 0.14
    # new at cab229e (held out at stop 58: nothing fitted or chosen on them; 25 of their misses read at stop 59,
    # no choice made from them); first contact
    # (cab229e): hit@1 0.673, refused 0.149, declined 0.780; floors as above. With stop 58's reader check (chosen
    # without them): 0.680 / 0.140 / 0.780
    "avatar-the-last-airbender": (0.70, 0.65, 0.15),  # measured 0.759 / 0.71 / 0.09; stop 58 0.759 / 0.67 / 0.08
    "big-brother": (0.52, 0.63, 0.24),  # measured 0.573 / 0.68 / 0.18; stop 58 0.573 / 0.76 / 0.20
    "cowboy-bebop": (0.59, 0.86, 0.23),  # measured 0.643 / 0.92 / 0.17; stop 58 0.643 / 0.88 / 0.14
    "goblin": (0.71, 0.57, 0.13),  # measured 0.769 / 0.62 / 0.07; stop 58 0.778 / 0.62 / 0.06
    "gomorrah": (0.66, 0.78, 0.21),  # measured 0.713 / 0.84 / 0.16; stop 58 0.730 / 0.76 / 0.14
    "luther": (0.56, 0.67, 0.24),  # measured 0.615 / 0.72 / 0.18; stop 58 0.596 / 0.72 / 0.18
    "mad-men": (0.62, 0.78, 0.25),  # measured 0.679 / 0.83 / 0.19; stop 58 0.716 / 0.92 / 0.17
    "who-killed-sara": (0.58, 0.86, 0.19),  # measured 0.636 / 0.92 / 0.14; stop 58 0.645 / 0.92 / 0.15
    # new at 252c0e2 (held out: nothing fitted or chosen on them, their misses not read); first contact
    # (252c0e2): hit@1 0.678, refused 0.176, declined 0.810; floors as above. club-de-cuervos: seven of its
    # twelve articles are in Spanish and its questions in English, which the engine does not read across
    "american-idol": (0.62, 0.91, 0.21),  # measured 0.678 / 0.96 / 0.16
    "broadchurch": (0.71, 0.63, 0.15),  # measured 0.768 / 0.68 / 0.10
    "club-de-cuervos": (0.28, 0.79, 0.47),  # measured 0.336 / 0.85 / 0.41
    "itaewon-class": (0.66, 0.78, 0.17),  # measured 0.716 / 0.83 / 0.12
    "neon-genesis-evangelion": (0.72, 0.75, 0.19),  # measured 0.778 / 0.80 / 0.14
    "planet-earth": (0.63, 0.59, 0.24),  # measured 0.684 / 0.64 / 0.18
    "the-bureau": (0.65, 0.75, 0.21),  # measured 0.706 / 0.80 / 0.15
    "the-west-wing": (0.70, 0.87, 0.20),  # measured 0.755 / 0.92 / 0.15
    # new at 34b278a (held out: nothing fitted or chosen on them, their misses not read); first contact
    # (34b278a): hit@1 0.677, refused 0.146, declined 0.718; floors as above
    "kath-and-kim": (0.61, 0.57, 0.19),  # measured 0.667 / 0.62 / 0.14
    "killing-eve": (0.63, 0.68, 0.18),  # measured 0.690 / 0.74 / 0.13
    "mob-psycho-100": (0.64, 0.65, 0.18),  # measured 0.694 / 0.71 / 0.13
    "strictly-come-dancing": (0.64, 0.63, 0.25),  # measured 0.693 / 0.68 / 0.20
    "the-killing-dk": (0.57, 0.73, 0.19),  # measured 0.627 / 0.78 / 0.14
    "the-untamed": (0.71, 0.70, 0.15),  # measured 0.765 / 0.75 / 0.10
    "the-wire": (0.61, 0.57, 0.25),  # measured 0.667 / 0.62 / 0.20
    "tiger-king": (0.56, 0.78, 0.20),  # measured 0.616 / 0.83 / 0.14
    # new at bb017be (held out: nothing fitted or chosen on them, their misses not read); first contact
    # (bb017be): hit@1 0.711, refused 0.113, declined 0.703; floors as above
    "bodyguard": (0.58, 0.70, 0.21),  # measured 0.634 / 0.75 / 0.15
    "making-a-murderer": (0.62, 0.61, 0.17),  # measured 0.673 / 0.67 / 0.11
    "mystery-road": (0.57, 0.74, 0.16),  # measured 0.621 / 0.79 / 0.10
    "nirvana-in-fire": (0.70, 0.65, 0.14),  # measured 0.752 / 0.71 / 0.09
    "sailor-moon": (0.79, 0.53, 0.14),  # measured 0.844 / 0.58 / 0.08
    "the-bachelor": (0.70, 0.70, 0.16),  # measured 0.754 / 0.75 / 0.10
    "the-office-us": (0.71, 0.57, 0.17),  # measured 0.764 / 0.62 / 0.12
    "trapped": (0.59, 0.70, 0.20),  # measured 0.649 / 0.75 / 0.15
    # new at a433592, gathered after bb017be's eight and first answered by this release (held out: nothing fitted
    # or chosen on them, their misses not read): hit@1 0.635, refused 0.146, declined 0.762; floors as above
    "hunter-x-hunter": (0.53, 0.75, 0.24),  # measured 0.589 / 0.80 / 0.19
    "made-in-heaven": (0.57, 0.70, 0.19),  # measured 0.626 / 0.75 / 0.14
    "mr-sunshine": (0.61, 0.74, 0.22),  # measured 0.667 / 0.79 / 0.16
    "ozark": (0.60, 0.57, 0.19),  # measured 0.652 / 0.62 / 0.13
    "peep-show": (0.58, 0.61, 0.22),  # measured 0.636 / 0.67 / 0.16
    "project-runway": (0.61, 0.63, 0.18),  # measured 0.667 / 0.68 / 0.13
    "the-last-dance": (0.59, 0.86, 0.19),  # measured 0.645 / 0.91 / 0.14
    "unorthodox": (0.54, 0.81, 0.17),  # measured 0.600 / 0.87 / 0.12
    # new at ad39038, answered once by it before anything else (held out: nothing fitted or chosen on them, their
    # misses not read): hit@1 0.647, refused 0.160, declined 0.751; with e75ac63's fixes, chosen on the older shows,
    # 0.656 / 0.151 / 0.751, measured below; floors as above
    "1899": (0.52, 0.65, 0.17),  # measured 0.573 / 0.71 / 0.12
    "bleach": (0.66, 0.59, 0.15),  # measured 0.718 / 0.64 / 0.09
    "hometown-cha-cha-cha": (0.62, 0.67, 0.17),  # measured 0.673 / 0.73 / 0.11
    # measured 0.600 / 0.83 / 0.30; 0.652 / 0.83 / 0.24 at stop 63, whose fixes were chosen on its misses too
    "married-at-first-sight": (0.54, 0.78, 0.36),
    "parks-and-recreation": (0.59, 0.81, 0.22),  # measured 0.646 / 0.86 / 0.17
    "the-jinx": (0.61, 0.70, 0.20),  # measured 0.661 / 0.75 / 0.15
    "the-night-manager": (0.64, 0.64, 0.15),  # measured 0.699 / 0.70 / 0.10
    "wentworth": (0.62, 0.74, 0.22),  # measured 0.678 / 0.79 / 0.17
    # new at 366edd2, answered once by it before anything else (held out: nothing fitted or chosen on them, their
    # misses not read): hit@1 0.643, refused 0.163, declined 0.797; stop 63's fixes, chosen on the older shows,
    # change none of their answers; floors as above
    "below-deck": (0.55, 0.78, 0.23),  # measured 0.604 / 0.83 / 0.18
    "dr-stone": (0.58, 0.74, 0.17),  # measured 0.632 / 0.79 / 0.11
    "gavin-and-stacey": (0.64, 0.86, 0.22),  # measured 0.691 / 0.91 / 0.16
    "mr-queen": (0.57, 0.57, 0.25),  # measured 0.630 / 0.62 / 0.19
    "sky-rojo": (0.53, 0.77, 0.24),  # measured 0.583 / 0.83 / 0.18
    "the-newsreader": (0.55, 0.70, 0.26),  # measured 0.609 / 0.75 / 0.21
    "veep": (0.60, 0.79, 0.20),  # measured 0.651 / 0.85 / 0.15
    "wild-wild-country": (0.69, 0.74, 0.17),  # measured 0.743 / 0.79 / 0.11
    # new at d969f98, answered once by it before anything else (held out: nothing fitted or chosen on them, their
    # misses not read): hit@1 0.712, refused 0.105, declined 0.801; with stop 64's changes, chosen on the older shows,
    # 0.714 / 0.104 / 0.801; floors 0.05 under the lower of the two (refused: over the higher)
    "descendants-of-the-sun": (0.67, 0.67, 0.14),  # measured 0.726 / 0.73 / 0.09 (first contact 0.735 / 0.73 / 0.08)
    "doc-martin": (0.65, 0.81, 0.17),  # measured 0.721 / 0.87 / 0.10 (first contact 0.705 / 0.87 / 0.11)
    "letterkenny": (0.64, 0.74, 0.12),  # measured 0.696 / 0.79 / 0.07
    "magnificent-century": (0.71, 0.74, 0.14),  # measured 0.769 / 0.79 / 0.09
    "one-punch-man": (0.61, 0.65, 0.19),  # measured 0.667 / 0.71 / 0.13
    "shark-tank": (0.62, 0.76, 0.16),  # measured 0.676 / 0.82 / 0.10
    "the-handmaids-tale": (0.66, 0.82, 0.19),  # measured 0.716 / 0.88 / 0.14
    "the-staircase": (0.68, 0.77, 0.17),  # measured 0.745 / 0.83 / 0.12 (first contact 0.736 / 0.83 / 0.12)
}


@pytest.fixture(scope="module")
def data(embedder) -> ShowData:
    return ShowData(load_shows(), embedder)


def test_every_show_is_labelled():
    shows = load_shows()
    assert len(shows) >= 5
    for show in shows:
        blind = [i for i in show.items if i.file == "questions.jsonl"]
        assert sum(not i.abstain for i in blind) >= 50, show.name
        assert sum(i.abstain for i in blind) >= 12, show.name


def test_held_out_shows(data):
    """Each show at or above its floors.

    A show has only 17-21 out-of-scope questions, so one of them is 0.05 of its declined
    share, more than the floors' margin; and another onnxruntime build moves a borderline
    probability (on one machine Attack on Titan declined 15 of 17, on another 14). So the
    declined floor allows one question of slack.
    """
    report = {}
    for show, (fitted, outs) in leave_one_show_out(data.cases("semantic"), "semantic").items():
        s = score([o for o in outs if o.case.item.file == "questions.jsonl"], fitted.threshold)
        report[show] = (round(s.hit1, 2), round(s.declined_rate, 2), round(s.refused_rate, 2), s.oos)
    for show, (hit1, declined, refused) in HELD_OUT_FLOORS.items():
        got = report[show]
        one_question = 1 / got[3]
        assert got[0] >= hit1 and got[1] >= declined - one_question and got[2] <= refused, (show, got)


def test_held_out_lexical_mode(data):
    hits = []
    for fitted, outs in leave_one_show_out(data.cases("lexical"), "lexical").values():
        hits.append(score([o for o in outs if o.case.item.file == "questions.jsonl"], fitted.threshold).hit1)
    assert sum(hits) / len(hits) >= LEXICAL_MEAN_HIT1, hits


def test_shipped_weights_regression(data):
    """The shipped weights have seen every question: a regression check, not a result."""
    ranker = Ranker.from_file().variants["semantic"]
    for show, cases in data.cases("semantic").items():
        s = score(outcomes(Stages.of(ranker), ranker.answer, cases), ranker.threshold)
        assert s.hit1 >= SHIPPED_FLOORS[show], (show, s.row())


def test_dev_set(engine):
    """shared/eval/dev.jsonl on the seeds, with the shipped weights, the sentence model and the answer reader."""
    show = next(s for s in load_shows() if s.name == "all-of-us-are-dead")
    items = [i for i in show.items if i.file == "dev.jsonl"]
    answers = [engine.ask(i.q) for i in items]
    hits = [a.answered and i.is_hit(a.quote.text) for i, a in zip(items, answers) if not i.abstain]
    declined = [not a.answered for i, a in zip(items, answers) if i.abstain]
    assert sum(hits) / len(hits) >= 0.85, [i.q for i, h in zip([i for i in items if not i.abstain], hits) if not h]
    assert sum(declined) >= len(declined) - 1


def test_every_quote_is_verbatim(embedder, reader):
    """On every show, every quote and alternative is a substring of its article (spaces aside)."""
    for show in load_shows():
        engine = Engine(load_corpus(show.articles), embedder=embedder, reader=reader, vectors_in_background=False)
        texts = {a.source.id: a.text for a in engine.articles}
        assert_verbatim(show.name, [engine.ask(item.q) for item in show.items], texts)


def assert_verbatim(name: str, answers: list, texts: dict[str, str]) -> None:
    """Every quote and alternative of ``answers`` is a substring of its article (spaces aside)."""
    for answer in answers:
        for quote in ([answer.quote] if answer.quote else []) + list(answer.alternatives):
            assert is_verbatim(quote.text, texts[quote.source.id]), (name, quote.text)


def test_fresh_shows_as_shipped(embedder, reader):
    """Shows gathered after the shipped engine's first fit, answered as a user's folder is: the shipped engine.

    The ranker, the answer check and its threshold were fitted on the eleven looked-at ones (``bench.train --fresh``)
    and the sentence model and the answer reader on seven others (``bench.finetune --fresh``, ``bench.reader fit
    --fresh``), so their floors are regression checks; the reader check (``bench.check``) was fitted on every show
    but the eight new at cab229e, the eight new at 252c0e2, the eight new at 34b278a, the eight new at
    bb017be, the eight new at a433592, the eight new at ad39038, the eight new at 366edd2 and the eight new at
    d969f98, which nothing was fitted on.
    """
    shows = load_shows(FRESH)
    assert sorted(s.name for s in shows) == sorted(FRESH_FLOORS)
    for show in shows:
        engine = Engine(load_corpus(show.articles), embedder=embedder, reader=reader, vectors_in_background=False)
        texts = {a.source.id: a.text for a in engine.articles}
        answers = [(item, engine.ask(item.q)) for item in show.items]
        asked = [(i, a) for i, a in answers if not i.abstain]
        hit1 = sum(a.answered and i.is_hit(a.quote.text) for i, a in asked) / len(asked)
        refused = sum(not a.answered for _, a in asked) / len(asked)
        oos = [a for i, a in answers if i.abstain]
        declined = sum(not a.answered for a in oos) / len(oos)
        floor_hit1, floor_declined, ceiling_refused = FRESH_FLOORS[show.name]
        got = (round(hit1, 2), round(declined, 2), round(refused, 2))
        assert hit1 >= floor_hit1 and declined >= floor_declined - 1 / len(oos) and refused <= ceiling_refused, (
            show.name,
            got,
        )
        assert_verbatim(show.name, [answer for _, answer in answers], texts)
