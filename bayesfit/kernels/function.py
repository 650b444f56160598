"""The ``function`` kernel: a closed-form model written as an expression in the model file.

``expression = "A * exp(-x / tau) + c"`` uses the dataset input ``x``, parameter names,
numbers, ``+ - * / **``, and the functions below. The expression is parsed once into a
JAX function (no ``eval``): only whitelisted names are allowed.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping
from typing import Any

import jax.numpy as jnp

from ..errors import ModelFileError
from ..units import check_unit
from ._checks import reject_unknown_keys
from ._registry import ForwardModel

FUNCTIONS = {
    "exp": jnp.exp, "log": jnp.log, "log10": jnp.log10, "sqrt": jnp.sqrt, "sin": jnp.sin,
    "cos": jnp.cos, "tan": jnp.tan, "tanh": jnp.tanh, "sinh": jnp.sinh, "cosh": jnp.cosh,
    "arctan": jnp.arctan, "abs": jnp.abs, "log1p": jnp.log1p, "expm1": jnp.expm1,
    "maximum": jnp.maximum, "minimum": jnp.minimum, "where": jnp.where,
}
CONSTANTS = {"pi": jnp.pi, "e": jnp.e}
#: dataset keys of the 'function' kernel (it takes no [kernel] settings)
OPTIONS = ("expression", "x_units", "y_units")
_BIN = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv, ast.Pow: operator.pow}
_CMP = {ast.Lt: operator.lt, ast.Gt: operator.gt, ast.LtE: operator.le, ast.GtE: operator.ge}


def compile_expression(text: str, *, where: str):
    """Parse ``text`` into ``fn(params, x)``; unknown syntax raises ModelFileError.

    ``fn.parameters`` is the set of parameter names the expression reads (so a model file
    can report a missing one at the expression's line before anything is fitted)."""
    names: set[str] = set()
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        raise ModelFileError(f"{where}: expression {text!r} is not valid: {err.msg}.") from None

    def build(node):
        if isinstance(node, ast.Expression):
            return build(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            v = float(node.value)
            return lambda p, x: v
        if isinstance(node, ast.Name):
            n = node.id
            if n == "x":
                return lambda p, x: x
            if n in CONSTANTS:
                c = CONSTANTS[n]
                return lambda p, x: c
            names.add(n)
            return lambda p, x: p[n]
        if isinstance(node, ast.BinOp) and type(node.op) in _BIN:
            f, a, b = _BIN[type(node.op)], build(node.left), build(node.right)
            return lambda p, x: f(a(p, x), b(p, x))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            a, s = build(node.operand), -1.0 if isinstance(node.op, ast.USub) else 1.0
            return lambda p, x: s * a(p, x)
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _CMP:
            f, a, b = _CMP[type(node.ops[0])], build(node.left), build(node.comparators[0])
            return lambda p, x: f(a(p, x), b(p, x))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in FUNCTIONS and not node.keywords):
            f, args = FUNCTIONS[node.func.id], [build(a) for a in node.args]
            return lambda p, x: f(*(a(p, x) for a in args))
        raise ModelFileError(
            f"{where}: expression {text!r}: {ast.unparse(node)!r} is not allowed. Use x, "
            f"parameter names, numbers, + - * / **, comparisons, and {sorted(FUNCTIONS)}."
        )

    body = build(tree)

    def fn(params, x):
        return body(params, x) + jnp.zeros_like(x)

    fn.parameters = frozenset(names)
    return fn


class FunctionKernel:
    """Kernel whose datasets each carry an ``expression``."""

    def dataset_model(self, options: Mapping[str, Any], *, where: str) -> ForwardModel:
        options = dict(options)
        expr = options.pop("expression", None)
        if not isinstance(expr, str):
            raise ModelFileError(f"{where}: the 'function' kernel needs expression = \"...\".")
        xu = check_unit(options.pop("x_units", ""), what=f"{where}: x_units")
        yu = check_unit(options.pop("y_units", ""), what=f"{where}: y_units")
        reject_unknown_keys(options, OPTIONS, where=where, what="dataset", kernel="function")
        return ForwardModel(compile_expression(expr, where=where), xu, yu, expr)

    def predictions(self):
        return {}


def build(settings: Mapping[str, Any], *, where: str) -> FunctionKernel:
    if settings:
        raise ModelFileError(f"{where}: the 'function' kernel takes no settings; got "
                             f"{sorted(settings)}.")
    return FunctionKernel()
