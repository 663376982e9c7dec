#!/usr/bin/env python3
# Independent oracle for `pretrain score --json` (docs/SUBNET.md §6): iswin with epsilon 0.005,
# compute_wins with +inf for null blocks/losses and nan for a "NaN" loss (iswin's `<` is then
# False both ways), softmax(win_rates / 0.01) over the step's uids.
import json, math, sys
EPS, T, INF = 0.005, 0.01, math.inf
def iswin(li, lj, bi, bj):
    li = li * (1 - EPS) if bi < bj else li
    lj = lj * (1 - EPS) if bj < bi else lj
    return li < lj
def score(step):
    L = [[INF if x is None else float(x) for x in row] for row in step['losses']]
    B = [INF if b is None else b for b in step['blocks']]
    n = len(L); nb = len(L[0]) if n else 0
    wins, rates = [0] * n, [0.0] * n
    for i in range(n):
        m = 0
        for j in range(n):
            if i == j: continue
            for b in range(nb):
                wins[i] += iswin(L[i][b], L[j][b], B[i], B[j]); m += 1
        rates[i] = wins[i] / m if m else 0.0
    if n:
        mx = max(rates); e = [math.exp((r - mx) / T) for r in rates]; s = sum(e); w = [x / s for x in e]
    else: w = []
    return {'wins': wins, 'winRates': rates, 'weights': w}
# Usage: /usr/bin/python3 score_ref.py < score_cases.jsonl  (one step per line, one result per line)
for line in sys.stdin:
    print(json.dumps(score(json.loads(line))))
