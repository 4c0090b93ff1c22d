"""What a PyTorch model may be made of, as the grader reads it: the allowlists and the format's limits.

The trusted side's own copy (it imports nothing from the sandbox's code): ``torch.nn`` classes
and their constructor settings, the functions and tensor methods a traced ``forward`` may call,
and the sizes past which an export is refused. ``tests/test_torch_capture.py`` checks that the
exporter inside the sandbox lists the same ones; anything outside them is refused or reported.

Example:
    >>> MODULE_SETTINGS["Conv2d"][:3]
    ('in_channels', 'out_channels', 'kernel_size')
    >>> "torch.nn.functional.relu" in FUNCTIONS, "view" in METHODS
    (True, True)
"""

FORMAT = "grader-torch-export"
VERSION = 1

MAX_MODULES = 5000
MAX_NODES = 10000
MAX_DEPTH = 64          # dots in a module path
MAX_TEXT = 200          # characters of any string that is exported
MAX_ITEMS = 256         # elements of any list that is exported
MAX_NEST = 8            # nesting of exported values
MAX_CONSTANT_VALUES = 64  # a tensor constant's values are exported when it is this small

# Constructor settings of each allowlisted class, read from the instance's attributes. ``bias``
# is read from the parameters where the class keeps no ``bias`` attribute (Linear, convolutions,
# LayerNorm). Containers have no settings; their children are listed.
MODULE_SETTINGS = {
    "Linear": ("in_features", "out_features", "bias"),
    "Bilinear": ("in1_features", "in2_features", "out_features", "bias"),
    "Conv1d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
               "groups", "bias", "padding_mode"),
    "Conv2d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
               "groups", "bias", "padding_mode"),
    "ConvTranspose2d": ("in_channels", "out_channels", "kernel_size", "stride", "padding",
                        "output_padding", "groups", "bias", "dilation", "padding_mode"),
    "MaxPool1d": ("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"),
    "MaxPool2d": ("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"),
    "AvgPool1d": ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"),
    "AvgPool2d": ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
                  "divisor_override"),
    "AdaptiveAvgPool1d": ("output_size",),
    "AdaptiveAvgPool2d": ("output_size",),
    "AdaptiveMaxPool2d": ("output_size", "return_indices"),
    "BatchNorm1d": ("num_features", "eps", "momentum", "affine", "track_running_stats"),
    "BatchNorm2d": ("num_features", "eps", "momentum", "affine", "track_running_stats"),
    "LayerNorm": ("normalized_shape", "eps", "elementwise_affine", "bias"),
    "Dropout": ("p", "inplace"),
    "Dropout1d": ("p", "inplace"),
    "Dropout2d": ("p", "inplace"),
    "ReLU": ("inplace",),
    "ReLU6": ("inplace",),
    "LeakyReLU": ("negative_slope", "inplace"),
    "ELU": ("alpha", "inplace"),
    "GELU": ("approximate",),
    "SiLU": ("inplace",),
    "Sigmoid": (),
    "Tanh": (),
    "Softmax": ("dim",),
    "LogSoftmax": ("dim",),
    "Flatten": ("start_dim", "end_dim"),
    "Unflatten": ("dim", "unflattened_size"),
    "Embedding": ("num_embeddings", "embedding_dim", "padding_idx", "max_norm", "norm_type",
                  "scale_grad_by_freq", "sparse"),
    "RNN": ("input_size", "hidden_size", "num_layers", "nonlinearity", "bias", "batch_first",
            "dropout", "bidirectional"),
    "LSTM": ("input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
             "bidirectional", "proj_size"),
    "GRU": ("input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
            "bidirectional"),
    "Identity": (),
    "Upsample": ("size", "scale_factor", "mode", "align_corners", "recompute_scale_factor"),
    "Sequential": (),
    "ModuleList": (),
    "ModuleDict": (),
}
CONTAINERS = ("Sequential", "ModuleList", "ModuleDict")

# Functions a traced forward may call, by qualified name; anything else is exported as
# ``unlisted:<name>`` and the grader's side reports that it could not follow the computation.
FUNCTIONS = (
    "torch.flatten", "torch.reshape", "torch.cat", "torch.concat", "torch.stack",
    "torch.relu", "torch.sigmoid", "torch.tanh", "torch.softmax", "torch.log_softmax",
    "torch.add", "torch.sub", "torch.mul", "torch.div", "torch.matmul", "torch.mm", "torch.bmm",
    "torch.transpose", "torch.permute", "torch.squeeze", "torch.unsqueeze", "torch.mean",
    "torch.sum", "torch.max", "torch.min", "torch.exp", "torch.abs", "torch.clamp", "torch.sqrt",
    "torch.zeros", "torch.ones", "torch.zeros_like", "torch.ones_like", "torch.randn",
    "torch.nn.functional.relu", "torch.nn.functional.relu6", "torch.nn.functional.leaky_relu",
    "torch.nn.functional.elu", "torch.nn.functional.gelu", "torch.nn.functional.silu",
    "torch.nn.functional.sigmoid", "torch.nn.functional.tanh", "torch.nn.functional.softmax",
    "torch.nn.functional.log_softmax", "torch.nn.functional.dropout",
    "torch.nn.functional.dropout2d", "torch.nn.functional.max_pool1d",
    "torch.nn.functional.max_pool2d", "torch.nn.functional.avg_pool1d",
    "torch.nn.functional.avg_pool2d", "torch.nn.functional.adaptive_avg_pool1d",
    "torch.nn.functional.adaptive_avg_pool2d", "torch.nn.functional.interpolate",
    "torch.nn.functional.pad", "torch.nn.functional.linear", "torch.nn.functional.conv2d",
    "torch.nn.functional.layer_norm", "torch.nn.functional.normalize",
    "operator.add", "operator.sub", "operator.mul", "operator.truediv", "operator.floordiv",
    "operator.mod", "operator.neg", "operator.pow", "operator.matmul", "operator.getitem",
    "builtins.getattr", "math.sqrt",
)
# Tensor methods a traced forward may call (``x.view(...)`` is ``call_method`` ``view``).
METHODS = (
    "view", "reshape", "flatten", "permute", "transpose", "contiguous", "size", "dim",
    "unsqueeze", "squeeze", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "mean", "sum",
    "max", "min", "argmax", "float", "double", "to", "cpu", "cuda", "detach", "clone", "add",
    "sub", "mul", "div", "matmul", "expand", "repeat", "chunk", "split", "t", "exp", "pow",
    "clamp", "view_as", "reshape_as", "type_as", "abs", "sqrt",
)
GETATTR_NAMES = ("shape", "ndim", "dtype", "device", "T")
