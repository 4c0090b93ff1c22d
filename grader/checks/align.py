"""Align a student's layers with the reference's, the way a diff aligns lines.

Both cards are canonical (the framework's canonical form) and in topological order. The
alignment maximizes the total similarity of paired layers: same kind and same settings pair
best, a layer of the same kind with other settings (a wrong stride) still pairs, and a layer
with no counterpart is left as an insertion or deletion. Whether a layer's weights train counts
as one more setting. The layers are a graph: after the diff-like pass, a layer left without a
counterpart is paired with one of the same kind that is fed by the counterparts of what feeds
it (two branches written in the other order).

Example:
    >>> from grader.cards.card import LayerCard
    >>> ref = [LayerCard("c", "Conv2D", {"filters": 96}), LayerCard("p", "MaxPooling2D")]
    >>> stu = [LayerCard("c", "Conv2D", {"filters": 64}), LayerCard("d", "Dropout"),
    ...        LayerCard("p", "MaxPooling2D")]
    >>> align(ref, stu)
    [(0, 0), (None, 1), (1, 2)]
"""

from __future__ import annotations

from grader.cards.card import LayerCard, ModelCard


def pair_score(ref: LayerCard, stu: LayerCard, families: tuple = ()) -> float:
    """How alike two layers are, from 0 (unrelated) to 1 (same kind and settings); a layer of another
    kind of the same family (the framework's: a max pooling for an average pooling) still pairs."""
    if ref.kind == stu.kind:
        return 0.6 + 0.4 * settings_agreement(ref, stu)
    if any(ref.kind in family and stu.kind in family for family in families):
        return 0.35
    return 0.0


def settings_agreement(ref: LayerCard, stu: LayerCard) -> float:
    keys = [k for k in ref.config if k in stu.config]
    same = sum(ref.config[k] == stu.config[k] for k in keys) + (ref.trainable == stu.trainable)
    return same / (len(keys) + 1)


def differing_settings(ref: LayerCard, stu: LayerCard, only: list[str] | None = None) -> list[str]:
    """The settings in which two layers differ: the key settings of the reference layer, or ``only`` those
    named (which may name the settings compared on request, such as initializers, and ``trainable`` for a
    layer with weights); a named setting only one of them has (a regularizer) differs too."""
    if only:
        return [k for k in only if (_has(ref, k) or _has(stu, k)) and setting_value(ref, k) != setting_value(stu, k)]
    return [k for k in ref.config if setting_value(ref, k) != setting_value(stu, k)]


def setting_value(layer: LayerCard, key: str):
    """A layer's setting: a key setting, an initializer, or ``trainable``."""
    if key == "trainable":
        return layer.trainable
    if key in layer.config:
        return layer.config[key]
    return layer.initializers.get(key)


def _has(layer: LayerCard, key: str) -> bool:
    if key == "trainable":
        return layer.params > 0
    return key in layer.config or key in layer.initializers


def align(ref: list[LayerCard], stu: list[LayerCard], families: tuple = ()) -> list[tuple[int | None, int | None]]:
    """Pairs ``(ref_index, student_index)`` in order; ``None`` marks a missing counterpart."""
    n, m = len(ref), len(stu)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score = pair_score(ref[i], stu[j], families)
            diagonal = best[i + 1][j + 1] + score if score > 0 else float("-inf")
            best[i][j] = max(diagonal, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        score = pair_score(ref[i], stu[j], families)
        if score > 0 and abs(best[i][j] - (best[i + 1][j + 1] + score)) < 1e-9:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif abs(best[i][j] - best[i][j + 1]) < 1e-9:
            pairs.append((None, j))
            j += 1
        else:
            pairs.append((i, None))
            i += 1
    pairs.extend((k, None) for k in range(i, n))
    pairs.extend((None, k) for k in range(j, m))
    return _pair_crossing(ref, stu, _swap_branches(ref, stu, pairs, families), families)


SWAP_WINDOW = 8  # branches of one merge sit close together in the canonical order


def _swap_branches(ref: list[LayerCard], stu: list[LayerCard], pairs: list, families: tuple) -> list:
    """Two nearby pairs of the same kind whose counterparts fit better the other way round are swapped: the
    branches of a ``Concatenate`` written in another order (the diff then says the order, once)."""
    pairs = list(pairs)
    for a in range(len(pairs)):
        for b in range(a + 1, min(len(pairs), a + 1 + SWAP_WINDOW)):
            (i1, j1), (i2, j2) = pairs[a], pairs[b]
            if None in (i1, j1, i2, j2) or ref[i1].kind != ref[i2].kind:
                continue
            now = pair_score(ref[i1], stu[j1], families) + pair_score(ref[i2], stu[j2], families)
            swapped = pair_score(ref[i1], stu[j2], families) + pair_score(ref[i2], stu[j1], families)
            if swapped > now + 1e-9:
                pairs[a], pairs[b] = (i1, j2), (i2, j1)
    return pairs


def _pair_crossing(ref: list[LayerCard], stu: list[LayerCard], pairs: list, families: tuple) -> list:
    """Pair a layer left without counterpart with a left-over student layer of the same kind whose
    inputs are the counterparts of its own (the order of independent branches is not the graph)."""
    missing = [i for i, j in pairs if j is None]
    extra = [j for i, j in pairs if i is None]
    if not missing or not extra:
        return pairs
    ref_index = {layer.name: k for k, layer in enumerate(ref)}
    stu_index = {layer.name: k for k, layer in enumerate(stu)}
    counterpart = {i: j for i, j in pairs if i is not None and j is not None}
    joined: dict[int, int] = {}
    for i in missing:
        wanted = sorted(str(counterpart.get(ref_index[p], "?")) if p in ref_index else "<input>"
                        for p in ref[i].inbound)
        for j in extra:
            if j in joined.values() or ref[i].kind != stu[j].kind:
                continue
            found = sorted(str(stu_index[p]) if p in stu_index else "<input>" for p in stu[j].inbound)
            if found == wanted and "?" not in wanted:
                joined[i] = j
                counterpart[i] = j
                break
    if not joined:
        return pairs
    taken = set(joined.values())
    return [(i, joined.get(i)) if j is None and i in joined else (i, j) for i, j in pairs
            if not (i is None and j in taken)]


def similarity(ref: ModelCard, stu: ModelCard, families: tuple = ()) -> float:
    """How alike two (canonical) models are, from 0 to 1, input shape included."""
    if not ref.layers or not stu.layers:
        return 0.0
    pairs = align(ref.layers, stu.layers, families)
    matched = sum(pair_score(ref.layers[i], stu.layers[j], families) for i, j in pairs
                  if i is not None and j is not None)
    layers = matched / max(len(ref.layers), len(stu.layers))
    same_input = bool(ref.input_shapes and stu.input_shapes and
                      [list(s[1:]) for s in ref.input_shapes] == [list(s[1:]) for s in stu.input_shapes])
    return 0.85 * layers + 0.15 * same_input
