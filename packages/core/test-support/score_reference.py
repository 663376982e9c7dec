"""Reference scoring rules (docs/SUBNET.md §6), an independent oracle for the tests.

Usage: echo '{"uids":[...],"blocks":[...],"losses":[[...]]}' | python3 score_reference.py
null blocks / losses mean +infinity; a bare NaN loss (json reads it) stays NaN, and
iswin's `<` makes it a win for neither side. Prints {"wins","winRates","weights"} aligned with uids,
weights = softmax(winRates / 0.01) over the step's uids. Written from the rules, in plain
Python floats, like the reference validator's iswin / compute_wins.
"""
import json
import math
import sys

EPSILON = 0.005
TEMPERATURE = 0.01


def iswin(loss_i, loss_j, block_i, block_j):
    loss_i = (1 - EPSILON) * loss_i if block_i < block_j else loss_i
    loss_j = (1 - EPSILON) * loss_j if block_j < block_i else loss_j
    return loss_i < loss_j


def inf_if_none(value):
    return math.inf if value is None else float(value)


def main():
    step = json.load(sys.stdin)
    uids = step["uids"]
    blocks = {uid: inf_if_none(b) for uid, b in zip(uids, step["blocks"])}
    losses = {uid: [inf_if_none(x) for x in row] for uid, row in zip(uids, step["losses"])}
    batches = max((len(row) for row in losses.values()), default=0)
    wins, rates = [], []
    for uid_i in uids:
        won = matches = 0
        for uid_j in uids:
            if uid_i == uid_j:
                continue
            for b in range(batches):
                won += 1 if iswin(losses[uid_i][b], losses[uid_j][b], blocks[uid_i], blocks[uid_j]) else 0
                matches += 1
        wins.append(won)
        rates.append(won / matches if matches > 0 else 0)
    top = max(rates, default=0)
    exps = [math.exp((r - top) / TEMPERATURE) for r in rates]
    weights = [e / sum(exps) for e in exps]
    print(json.dumps({"wins": wins, "winRates": rates, "weights": weights}))


if __name__ == "__main__":
    main()
