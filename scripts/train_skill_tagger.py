"""Train the skill-span CRF on the SkillSpan train splits and report train/dev scores.

Run from the repository root:  .venv/bin/python scripts/train_skill_tagger.py [--skillspan DIR]
Reads ../shared/data/skillspan at build time only and writes src/cadre/taxonomy/data/skill_tagger.crfsuite.
SkillSpan: Zhang et al., "SkillSpan: Hard and Soft Skill Extraction from English Job Postings", NAACL 2022,
MIT license. Tuned on the dev splits only; nothing else is looked at.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pycrfsuite

from cadre.taxonomy.evaluation import parse_conll, score
from cadre.taxonomy.tagger import MODEL_PATH, detect_token_spans, gazetteer_tags, token_features

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skillspan", type=Path, default=ROOT.parent / "shared" / "data" / "skillspan")
    parser.add_argument("--c1", type=float, default=0.1)
    parser.add_argument("--c2", type=float, default=0.05)
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--minfreq", type=float, default=2)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    trainer = pycrfsuite.Trainer(verbose=False)
    for subset in ("tech", "house"):
        for s in parse_conll((args.skillspan / f"conll_skillspan_{subset}_train.conll").read_text()):
            tokens = list(s.tokens)
            trainer.append(token_features(tokens, gazetteer_tags(tokens)), list(s.labels))
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.minfreq": args.minfreq,
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(args.out))
    print(f"model {args.out.name}: {args.out.stat().st_size / 1e6:.2f} MB")
    report = {}
    for split in ("train", "dev"):
        for subset in ("tech", "house"):
            sentences = parse_conll((args.skillspan / f"conll_skillspan_{subset}_{split}.conll").read_text())
            report[f"{subset}_{split}"] = score(
                sentences, lambda s: detect_token_spans(list(s.tokens), path=args.out)
            )
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
