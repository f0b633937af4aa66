"""The classes Keras 3 writes for `keras.ops` calls in a functional config, and their call arguments.

A functional graph that applies an op to symbolic tensors (`x + 1`, `x[:, 0]`,
`keras.ops.mean(x, axis=1)`, a mask's `not_equal(ids, 0)`) is saved by Keras as a
layer entry `{"module": "keras.src.ops.numpy", "class_name": "Mean", "config": {"name": ...,
"axis": 1, "keepdims": true}}` whose `inbound_nodes` hold the call's arguments. Which of
the op function's parameters are arguments of the call (written in `inbound_nodes`, in
this order) and which are the class's constructor arguments (in `config`) is Keras's
choice per op: the table lists the call's, by module; every other parameter of the
nanokeras function (named as Keras names it) goes into `config`. A trailing `*` marks a
variable number of arguments.
"""

import re

_TABLE = {
    "core": (
        "AssociativeScan(f,elems) Cast(x) Cond(pred,true_fn,false_fn) ConvertToTensor(x) "
        "ForiLoop(init_val) Map(f,xs) SaturateCast(x) Scan(f,init,xs) Scatter(indices,values) "
        "ScatterUpdate(inputs,indices,updates) Slice(inputs,start_indices) "
        "SliceUpdate(inputs,start_indices,updates) StopGradient(variable) "
        "Switch(index,branches,operands*) Unstack(x) VectorizedMap(elements) WhileLoop(loop_vars) "
    ),
    "image": (
        "AffineTransform(images,transform) CropImages(images) ElasticTransform(images) "
        "ExtractPatches(images) GaussianBlur(images) HSVToRGB(images) MapCoordinates(inputs,coordinates) "
        "PadImages(images) PerspectiveTransform(images,start_points,end_points) RGBToGrayscale(images) "
        "RGBToHSV(images) Resize(images) SSIM(image1,image2) "
        "ScaleAndTranslate(images,output_shape,scale,translation) SobelEdges(images) "
    ),
    "linalg": (
        "Cholesky(x) CholeskyInverse(x) Det(x) Eig(x) Eigh(x) Inv(x) JVP(fun,primals,tangents) Lstsq(a,b) "
        "LuFactor(x) MatrixRank(x) Norm(x) Pinv(x) Qr(x) SVD(x) Solve(a,b) SolveTriangular(a,b) "
    ),
    "math": (
        "CDist(x,y) Erf(x) Erfc(x) Erfinv(x) ExtractSequences(x) FFT(x) FFT2(x) IFFT2(x) IRFFT(x) "
        "ISTFT(x) InTopK(targets,predictions) Logdet(x) Logsumexp(x) RFFT(x) Rsqrt(x) STFT(x) "
        "SegmentMax(data,segment_ids) SegmentMin(data,segment_ids) SegmentProd(data,segment_ids) "
        "SegmentReduction(args*,kwargs) SegmentSum(data,segment_ids) TopK(x) ViewAsComplex(x) "
        "ViewAsReal(x) "
    ),
    "nn": (
        "AdaptiveAveragePool(inputs) AdaptiveMaxPool(inputs) AveragePool(inputs) "
        "BatchNorm(x,mean,variance,offset,scale) BinaryCrossentropy(target,output) "
        "CTCDecode(inputs,sequence_lengths) CTCLoss(target,output,target_length,output_length) "
        "CategoricalCrossentropy(target,output) Celu(x) Conv(inputs,kernel) ConvTranspose(inputs,kernel) "
        "DepthToSpace(x) DepthwiseConv(inputs,kernel) "
        "DotProductAttention(query,key,value,bias,mask,scale) Elu(x) Fold(x) Gelu(x) Glu(x) HardShrink(x) "
        "HardSigmoid(x) HardSilu(x) HardTanh(x) LayerNorm(x,gamma,beta) LeakyRelu(x) LogSigmoid(x) "
        "LogSoftmax(x) MaxPool(inputs) Moments(x) MultiHot(inputs) Normalize(x) OneHot(x) PSNR(x1,x2) "
        "Polar(abs_,angle) RMSNorm(x,scale) Relu(x) Relu6(x) Selu(x) "
        "SeparableConv(inputs,depthwise_kernel,pointwise_kernel) Sigmoid(x) Silu(x) SoftShrink(x) "
        "Softmax(x) Softplus(x) Softsign(x) SpaceToDepth(x) SparseCategoricalCrossentropy(target,output) "
        "SparsePlus(x) SparseSigmoid(x) Sparsemax(x) Squareplus(x) TanhShrink(x) Threshold(x) Unfold(x) "
    ),
    "numpy": (
        "Abs(x) Absolute(x) Add(x1,x2) All(x) AllClose(x1,x2) Amax(x) Amin(x) Angle(x) Any(x) "
        "Append(x1,x2) Arange(start,stop,step) Arccos(x) Arccosh(x) Arcsin(x) Arcsinh(x) Arctan(x) "
        "Arctan2(x1,x2) Arctanh(x) Argmax(x) Argmin(x) Argpartition(x) Argsort(x) Array(x) ArraySplit(x) "
        "Average(x,weights) Bincount(x) BitwiseAnd(x,y) BitwiseInvert(x) BitwiseLeftShift(x,y) "
        "BitwiseNot(x) BitwiseOr(x,y) BitwiseRightShift(x,y) BitwiseXor(x,y) BroadcastTo(x) Cbrt(x) "
        "Ceil(x) Clip(x) Concatenate(xs) Conj(x) Conjugate(x) Copy(x) Corrcoef(x) Correlate(x1,x2) Cos(x) "
        "Cosh(x) CountNonzero(x) Cross(x1,x2) Cumprod(x) Cumsum(x) Deg2rad(x) Diag(x) Diagflat(x) "
        "Diagonal(x) Diff(a) Digitize(x,bins) Divide(x1,x2) DivideNoNan(x1,x2) Dot(x1,x2) Dsplit(x) "
        "Dstack(xs) Einsum(operands*,kwargs) EmptyLike(x) Equal(x1,x2) Exp(x) Exp2(x) ExpandDims(x) "
        "Expm1(x) Fabs(x) Flip(x) Fliplr(x) Flipud(x) Floor(x) FloorDivide(x1,x2) Fmax(x1,x2) Fmin(x1,x2) "
        "Fmod(x1,x2) Full(fill_value) FullLike(x,fill_value) Gcd(x1,x2) Geomspace(start,stop) "
        "GetItem(x,key) Greater(x1,x2) GreaterEqual(x1,x2) Heaviside(x1,x2) Histogram(x) Hsplit(x) "
        "Hstack(xs) Hypot(x1,x2) I0(x) Imag(x) Inner(x1,x2) IsIn(x1,x2) Isclose(x1,x2,rtol,atol) "
        "Isfinite(x) Isinf(x) Isnan(x) Isneginf(x) Isposinf(x) Isreal(x) Kron(x1,x2) Lcm(x1,x2) "
        "Ldexp(x1,x2) LeftShift(x,y) Less(x1,x2) LessEqual(x1,x2) Linspace(start,stop) Log(x) Log10(x) "
        "Log1p(x) Log2(x) Logaddexp(x1,x2) Logaddexp2(x1,x2) LogicalAnd(x1,x2) LogicalNot(x) "
        "LogicalOr(x1,x2) LogicalXor(x1,x2) Logspace(start,stop) Matmul(x1,x2) Max(x) Maximum(x1,x2) "
        "Mean(x) Median(x) Meshgrid(x*) Min(x) Minimum(x1,x2) Mod(x1,x2) Moveaxis(x) Multiply(x1,x2) "
        "NanToNum(x) Nanargmax(x) Nanargmin(x) Nancumprod(x) Nancumsum(x) Nanmax(x) Nanmean(x) "
        "Nanmedian(x) Nanmin(x) Nanpercentile(x,q) Nanprod(x) Nanquantile(x,q) Nanstd(x) Nansum(x) "
        "Nanvar(x) Ndim(x) Negative(x) Nextafter(x1,x2) Nonzero(x) NotEqual(x1,x2) OnesLike(x) "
        "Outer(x1,x2) Pad(x,constant_values) Percentile(x,q) Power(x1,x2) Prod(x) Ptp(x) Quantile(x,q) "
        "Rad2deg(x) Ravel(x) Real(x) Reciprocal(x) Repeat(x) Reshape(x) RightShift(x,y) Roll(x) "
        "Rot90(array) Round(x) SearchSorted(sorted_sequence,values) Select(condlist,choicelist,default) "
        "Sign(x) Signbit(x) Sin(x) Sinc(x) Sinh(x) Size(x) Slogdet(x) Sort(x) Split(x) Sqrt(x) Square(x) "
        "Squeeze(x) Stack(x) Std(x) Subtract(x1,x2) Sum(x) Swapaxes(x) Take(x,indices) "
        "TakeAlongAxis(x,indices) Tan(x) Tanh(x) Tensordot(x1,x2) Tile(x) Trace(x) Transpose(x) "
        "Trapezoid(y) Tril(x) Triu(x) TrueDivide(x1,x2) Trunc(x) Unique(x) UnravelIndex(indices) "
        "Vander(x) Var(x) Vdot(x1,x2) View(x) Vsplit(x) Vstack(xs) Where(condition,x1,x2) ZerosLike(x) "
    ),
}

# Keras classes whose name, made snake_case, is not the function's name.
_FUNCTION_OF = {"BatchNorm": "batch_normalization", "LayerNorm": "layer_normalization",
                "RMSNorm": "rms_normalization"}
# Functions Keras records as another op class: its `ops.abs` calls `absolute`, so a file
# (and the config of a model loaded from it) names the op "Absolute", never "Abs".
_RECORDED_AS = {"abs": "absolute"}
_ENTRY = re.compile(r"(\w+)\(([^)]*)\)")
_classes = {}


def _normalized(name):
    return name.replace("_", "").lower()


def _load():
    if not _classes:
        for module, text in _TABLE.items():
            for class_name, params in _ENTRY.findall(text):
                call = tuple(p for p in params.split(",") if p and p != "kwargs")
                key = _normalized(_FUNCTION_OF.get(class_name, class_name))
                _classes[key] = (f"keras.src.ops.{module}", class_name, call)
        for function, recorded in _RECORDED_AS.items():
            _classes[function] = _classes[recorded]
    return _classes


def keras_class(function_name):
    """`(module, class name, call parameters)` of the Keras op class for the op function
    `function_name` (`"mean"` -> `("keras.src.ops.numpy", "Mean", ("x",))`), or None."""
    return _load().get(_normalized(function_name))


def function_name(class_name):
    """The snake-case function name Keras's op class `class_name` stands for (normalized lookup
    key: compare with `_normalized` of a function's name)."""
    return _normalized(_FUNCTION_OF.get(class_name, class_name))
