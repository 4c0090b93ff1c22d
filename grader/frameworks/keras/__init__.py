"""The Keras 3 adapter: rebuilding exports, canonical forms, fixes, compile settings, training, old API.

Its in-sandbox half is ``grader_inside.keras`` (finding and exporting models, the cap on ``fit()``,
legacy mode, the training worker).
"""

from __future__ import annotations

from grader.frameworks.base import Framework, Training
from grader.frameworks.keras import diagnostics, old_api, training
from grader.frameworks.keras.canonical import canonical
from grader.frameworks.keras.compile import compile_call, compile_value, normalize_compile
from grader.frameworks.keras.config import INITIALIZER_SETTINGS, KEY_SETTINGS
from grader.frameworks.keras.fix import fix_line, input_fix
from grader.frameworks.keras.outline import outline_from_json
from grader.frameworks.keras.rebuild import card_from_json

FAMILIES = (
    frozenset({"Conv1D", "Conv2D", "Conv3D", "SeparableConv2D", "DepthwiseConv2D", "Conv2DTranspose"}),
    frozenset({"MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D"}),
    frozenset({"GlobalAveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling1D", "GlobalMaxPooling1D"}),
    frozenset({"SimpleRNN", "LSTM", "GRU"}),
    frozenset({"ZeroPadding1D", "ZeroPadding2D", "Cropping2D"}),
    frozenset({"Add", "Concatenate", "Multiply", "Average"}),
    frozenset({"BatchNormalization", "LayerNormalization"}),
)


def _scan(source: str, *, file: str = "", cell: int = 0, context: str = "") -> list:
    return old_api.scan_source(source, file=file, cell=cell, context=context)


ADAPTER = Framework(
    name="keras",
    title="Keras 3",
    distribution="keras",
    install="pip install keras tensorflow",
    card_from_export=card_from_json,
    outline=outline_from_json,
    canonical=canonical,
    fix_line=fix_line,
    input_fix=input_fix,
    compile_value=compile_value,
    compile_call=compile_call,
    key_settings=KEY_SETTINGS,
    families=FAMILIES,
    training=Training(prepare=training.prepare, without_compile=training.without_compile,
                      cache_form=training.cache_form),
    scan_source=_scan,
    explain=diagnostics.explain,
    features=frozenset({"fit_cap", "legacy"}),
    normalize_compile=normalize_compile,
    requested_settings=INITIALIZER_SETTINGS,
)
