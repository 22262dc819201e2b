#!/usr/bin/python3
"""C2ST with a random-forest classifier (the classifier of the published MF-NPE OU numbers, sbi's
`c2st(..., classifier="rf")`): both sets z-scored with A's mean and std, scikit-learn's
RandomForestClassifier with default settings (100 trees), 5-fold shuffled cross-validation, mean
accuracy.

usage: /usr/bin/python3 scripts/c2st-rf.py A.csv B.csv [--seed S]   (prints the accuracy)
"""
import sys

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import KFold, cross_val_score


def main(argv):
    seed = 1
    files = []
    i = 0
    while i < len(argv):
        if argv[i] == '--seed':
            seed = int(argv[i + 1])
            i += 2
            continue
        files.append(argv[i])
        i += 1
    X = np.loadtxt(files[0], delimiter=',', skiprows=1, ndmin=2)
    Y = np.loadtxt(files[1], delimiter=',', skiprows=1, ndmin=2)
    mean, std = X.mean(axis=0), X.std(axis=0, ddof=1)
    X = (X - mean) / std
    Y = (Y - mean) / std
    data = np.concatenate([X, Y])
    target = np.concatenate([np.zeros(len(X)), np.ones(len(Y))])
    clf = RandomForestClassifier(random_state=seed)
    scores = cross_val_score(clf, data, target, cv=KFold(n_splits=5, shuffle=True, random_state=seed), scoring='accuracy')
    print(f'{scores.mean():.4f}')


if __name__ == '__main__':
    main(sys.argv[1:])
