#!/usr/bin/python3
"""C2ST with scikit-learn, for comparison with `mfnpe c2st`.

usage: /usr/bin/python3 scripts/c2st-sklearn.py A.csv B.csv [--seed S] [--classifier mlp|rf] [--verbose]
       /usr/bin/python3 scripts/c2st-sklearn.py --pairs LIST [--classifier mlp|rf]

With --pairs, LIST holds one pair per line, `A.csv B.csv SEED`, and one accuracy is printed per line
in the same order (one interpreter start for many pairs: scripts/sequential-rf.ts).

Both sets are z-scored with A's mean and std (ddof 1, as torch.std in sbibm), then a classifier is
scored by KFold(5, shuffle=True) cross-validation; the mean accuracy is printed last, after the
seconds taken.
- mlp (default): sbibm's metrics/c2st.py, MLPClassifier(hidden_layer_sizes=(10d, 10d), relu,
  adam, max_iter=1000); --verbose adds the fold accuracies and epochs.
- rf: sbi's `c2st(..., classifier="rf")`, the classifier of the published MF-NPE OU numbers,
  RandomForestClassifier with default settings (100 trees).
"""
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import KFold, cross_validate
from sklearn.neural_network import MLPClassifier


def score(a_path, b_path, seed, classifier, verbose=False):
    """Mean 5-fold accuracy of the classifier between the samples of two CSV files (header row)."""
    X = np.loadtxt(a_path, delimiter=',', skiprows=1, ndmin=2)
    Y = np.loadtxt(b_path, delimiter=',', skiprows=1, ndmin=2)
    mean, std = X.mean(axis=0), X.std(axis=0, ddof=1)
    X = (X - mean) / std
    Y = (Y - mean) / std
    ndim = X.shape[1]
    if classifier == 'mlp':
        clf = MLPClassifier(activation='relu', hidden_layer_sizes=(10 * ndim, 10 * ndim), max_iter=1000,
                            solver='adam', random_state=seed)
    else:
        clf = RandomForestClassifier(random_state=seed)
    data = np.concatenate((X, Y))
    target = np.concatenate((np.zeros((X.shape[0],)), np.ones((Y.shape[0],))))
    cv = KFold(n_splits=5, shuffle=True, random_state=seed)
    res = cross_validate(clf, data, target, cv=cv, scoring='accuracy', return_estimator=True)
    if verbose:
        epochs = [int(e.n_iter_) for e in res['estimator']] if classifier == 'mlp' else []
        print('folds', list(np.round(res['test_score'], 4)), 'epochs', epochs)
    return float(np.mean(res['test_score']))


def main(argv):
    seed = 1
    classifier = 'mlp'
    files = []
    pairs = None
    verbose = False
    i = 0
    while i < len(argv):
        if argv[i] in ('--seed', '--classifier', '--pairs'):
            if argv[i] == '--seed':
                seed = int(argv[i + 1])
            elif argv[i] == '--pairs':
                pairs = argv[i + 1]
            else:
                classifier = argv[i + 1]
            i += 2
            continue
        if argv[i] == '--verbose':
            verbose = True
        else:
            files.append(argv[i])
        i += 1
    if classifier not in ('mlp', 'rf'):
        sys.exit(f'--classifier must be mlp or rf, got {classifier}')
    if pairs is not None:
        with open(pairs) as f:
            for line in f:
                if line.strip():
                    a, b, s = line.split()
                    print(f'{score(a, b, int(s), classifier):.4f}', flush=True)
        return
    t0 = time.perf_counter()
    acc = score(files[0], files[1], seed, classifier, verbose)
    print(f'seconds {time.perf_counter() - t0:.2f}')
    print(f'{acc:.4f}')


if __name__ == '__main__':
    main(sys.argv[1:])
