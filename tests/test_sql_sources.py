"""SQL is never built from input text: a static check of every SQL call in include/.

Every first argument of text(), execute(), executemany(), exec_driver_sql() and psycopg's SQL() in
include/ must be SQL the code owns: a string literal, a file of include/sql (query(), statements()),
a psycopg composition (identifiers and literals quoted by psycopg), or an f-string / concatenation
whose every interpolated part is itself owned: a constant, a quoted identifier (quote(...)), an
int(), or a local name or parameter bound only to owned SQL (parameters are followed to every call
in the same module). Values travel as bind parameters or COPY data (tests/include/warehouse/
test_warehouse_load.py stores SQL-looking text as data). What the check cannot prove is listed in
REVIEWED with the reason it is safe; anything new fails with its file, line and expression.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SQL_CALLS = {"text", "execute", "executemany", "exec_driver_sql", "SQL"}
SQL_FILES = {"query", "statements"}  # include/warehouse/sqlfiles.py
SAFE_VALUES = {"quote", "int", "len"}  # identifier quoting, numbers

# (file, function, expression) the check cannot follow, each reviewed; keep it short.
REVIEWED = {
    ("include/linkage/scoring.py", "train", "records.physical_name"):
        "the name Splink gave the DuckDB table it registered, not data",
    ("include/linkage/scoring.py", "score_pairs", "predictions"):
        "predictions.physical_name, Splink's name of its prediction table (predict())",
    ("include/linkage/scoring.py", "weight_counts", "predictions"):
        "predictions.physical_name, Splink's name of its prediction table (predict())",
    ("include/matching.py", "_find", "table"):
        "names DuckDB lists of its own catalogue (duckdb_tables()): the tables Splink made, not data",
    ("include/linkage/scoring.py", "_label_sql", "label"):
        "comparison level labels of include/linkage/spec.py (spec.level_labels), constants, not input",
    ("include/linkage/scoring.py", "_label_sql", "gamma"):
        "integer gamma levels of the Splink model",
}


class Module:
    def __init__(self, path: str, source: str):
        self.path = path
        self.tree = ast.parse(source)
        self.constants = {
            target.id: node.value
            for node in self.tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)
        }
        self.functions = [n for n in ast.walk(self.tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        self.unproven: list[str] = []

    # --- where a name gets its value --------------------------------------------------------

    def _function_of(self, node: ast.AST) -> ast.FunctionDef | None:
        for function in self.functions:
            if any(child is node for child in ast.walk(function)):
                inner = [f for f in self.functions if f is not function and any(c is node for c in ast.walk(f))
                         and any(c is f for c in ast.walk(function))]
                return inner[0] if inner else function
        return None

    def _bindings(self, name: str, function: ast.AST) -> list[tuple[str, ast.AST]]:
        """('value', expr) for name = expr, ('item', iterable) for `for name in iterable` and comprehensions."""
        found: list[tuple[str, ast.AST]] = []
        for node in ast.walk(function):
            if isinstance(node, ast.Assign):
                found += [("value", node.value) for t in node.targets if isinstance(t, ast.Name) and t.id == name]
            elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
                if node.target.id == name and node.value is not None:
                    found.append(("value", node.value))
            elif isinstance(node, ast.For | ast.comprehension):
                for target in ast.walk(node.target):
                    if isinstance(target, ast.Name) and target.id == name:
                        found.append(("item", node.iter))
            elif isinstance(node, ast.With):
                for item in node.items:
                    if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name:
                        found.append(("value", item.context_expr))
        return found

    def _arguments_for(self, function: ast.FunctionDef, name: str) -> list[tuple[ast.AST, ast.AST]] | None:
        """(argument, caller) of every call of function in this module, or None if name is no parameter."""
        params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        keyword_only = [a.arg for a in function.args.kwonlyargs]
        if name not in params and name not in keyword_only:
            return None
        position = params.index(name) - (1 if params and params[0] in ("self", "cls") else 0) if name in params else None
        found = []
        defaults = dict(zip(params[len(params) - len(function.args.defaults):], function.args.defaults, strict=True))
        defaults.update({a.arg: d for a, d in zip(function.args.kwonlyargs, function.args.kw_defaults, strict=True)
                         if d is not None})
        if name in defaults:
            found.append((defaults[name], function))
        for call in ast.walk(self.tree):
            if not isinstance(call, ast.Call):
                continue
            callee = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
            if callee != function.name:
                continue
            caller = self._function_of(call) or self.tree
            keyword = [k.value for k in call.keywords if k.arg == name]
            if keyword:
                found.append((keyword[0], caller))
            elif position is not None and position < len(call.args):
                found.append((call.args[position], caller))
        return found

    # --- owned SQL ---------------------------------------------------------------------------

    def owned(self, expr: ast.AST, scope: ast.AST, seen: frozenset = frozenset()) -> bool:
        """The expression is SQL text the code owns (see the module docstring)."""
        if isinstance(expr, ast.Constant):
            return isinstance(expr.value, str | bytes)
        if isinstance(expr, ast.JoinedStr):
            return all(isinstance(part, ast.Constant) or self.safe_part(part.value, scope, seen)
                       for part in expr.values)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self.owned(expr.left, scope, seen) and self.owned(expr.right, scope, seen)
        if isinstance(expr, ast.IfExp):
            return self.owned(expr.body, scope, seen) and self.owned(expr.orelse, scope, seen)
        if isinstance(expr, ast.Call):
            return self._owned_call(expr, scope, seen)
        if isinstance(expr, ast.Name):
            return self._owned_name(expr.id, scope, seen, item=False)
        return False

    def _owned_call(self, call: ast.Call, scope: ast.AST, seen: frozenset) -> bool:
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in SQL_FILES:
            return True
        if name in ("text", "SQL"):
            return bool(call.args) and self.owned(call.args[0], scope, seen)
        if isinstance(func, ast.Attribute) and name == "format":  # psycopg: sql.SQL(...).format(Identifier, ...)
            receiver = func.value
            return isinstance(receiver, ast.Call) and getattr(receiver.func, "attr", None) == "SQL" and self.owned(
                receiver, scope, seen)
        if isinstance(func, ast.Attribute) and name == "replace":
            return self.owned(func.value, scope, seen) and all(self.owned(a, scope, seen) for a in call.args)
        if isinstance(func, ast.Attribute) and name == "join":  # ", ".join(<owned parts>)
            return self.owned(func.value, scope, seen) and all(self._owned_items(a, scope, seen) for a in call.args)
        local = [f for f in self.functions if f.name == name]
        if len(local) == 1:  # a helper of this module: every return is owned
            returns = [n.value for n in ast.walk(local[0]) if isinstance(n, ast.Return) and n.value is not None]
            return bool(returns) and all(self.owned(r, local[0], seen) for r in returns)
        return False

    def _owned_items(self, expr: ast.AST, scope: ast.AST, seen: frozenset) -> bool:
        """Every item of an iterable is owned SQL (statements(), a list of them, a comprehension of owned)."""
        if isinstance(expr, ast.Call) and getattr(expr.func, "id", getattr(expr.func, "attr", None)) in SQL_FILES:
            return True
        if isinstance(expr, ast.List | ast.Tuple | ast.Set):
            return all(self._owned_items(e.value, scope, seen) if isinstance(e, ast.Starred)
                       else self.owned(e, scope, seen) for e in expr.elts)
        if isinstance(expr, ast.GeneratorExp | ast.ListComp):
            return self.safe_part(expr.elt, scope, seen)
        if isinstance(expr, ast.Name):
            return self._owned_name(expr.id, scope, seen, item=True)
        return False

    def _owned_name(self, name: str, scope: ast.AST, seen: frozenset, item: bool) -> bool:
        return self._follow(name, scope, seen, self.owned, self._owned_items, items=item)

    def safe_part(self, expr: ast.AST, scope: ast.AST, seen: frozenset = frozenset()) -> bool:
        """An interpolated part is a constant, a quoted identifier, a number, or owned SQL."""
        if self._constant_like(expr, scope):
            return True
        if isinstance(expr, ast.BinOp):
            return self.safe_part(expr.left, scope, seen) and self.safe_part(expr.right, scope, seen)
        if isinstance(expr, ast.Name) and self._follow(expr.id, scope, seen, self.safe_part, self._safe_items):
            return True
        if not isinstance(expr, ast.Name) and self.owned(expr, scope, seen):
            return True
        function = getattr(scope, "name", "<module>")
        if (self.path, function, ast.unparse(expr)) in REVIEWED:
            return True
        self.unproven.append(f"{self.path}:{expr.lineno}: in {function}(): {{{ast.unparse(expr)}}}")
        return False

    def _constant_like(self, expr: ast.AST, scope: ast.AST) -> bool:
        if isinstance(expr, ast.Constant):
            return True
        if isinstance(expr, ast.Name) and (expr.id.isupper() or self._numeric(expr.id, scope)):
            return True
        if isinstance(expr, ast.Attribute) and expr.attr.isupper():
            return True
        func = getattr(expr, "func", None)
        return isinstance(expr, ast.Call) and getattr(func, "id", getattr(func, "attr", None)) in SAFE_VALUES

    def _safe_items(self, expr: ast.AST, scope: ast.AST, seen: frozenset) -> bool:
        """Every item of an iterable is a safe part (a constant collection, a tuple of safe parts...)."""
        if isinstance(expr, ast.Name | ast.Attribute) and self._constant_like(expr, scope):
            return True
        if isinstance(expr, ast.List | ast.Tuple | ast.Set):
            return all(self.safe_part(e, scope, seen) for e in expr.elts)
        if isinstance(expr, ast.GeneratorExp | ast.ListComp):
            return self.safe_part(expr.elt, scope, seen)
        if isinstance(expr, ast.Name):
            return self._follow(expr.id, scope, seen, self.safe_part, self._safe_items, items=True)
        return False

    def _follow(self, name: str, scope: ast.AST, seen: frozenset, value_check, item_check, items: bool = False) -> bool:
        """Every binding of a name passes value_check (items: its every item passes item_check): local
        assignments and loop variables, else the arguments of every call of the function it is a parameter
        of, else the module constant."""
        key = (name, id(scope), value_check.__name__, items)
        if key in seen:
            return True  # a cycle adds nothing new
        seen = seen | {key}
        check = item_check if items else value_check
        bindings = self._bindings(name, scope) if scope is not self.tree else []
        if bindings:
            # an item of an item: provable only when the outer collection is a constant
            return all(check(v, scope, seen) if kind == "value" else
                       self._constant_like(v, scope) if items else item_check(v, scope, seen)
                       for kind, v in bindings)
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = self._arguments_for(scope, name)
            if arguments is not None:
                return bool(arguments) and all(check(arg, caller, seen) for arg, caller in arguments)
            enclosing = self._function_of(scope)
            if enclosing is not None and enclosing is not scope:
                return self._follow(name, enclosing, seen, value_check, item_check, items)
        if name in self.constants:
            return check(self.constants[name], self.tree, seen)
        return False

    def _numeric(self, name: str, scope: ast.AST) -> bool:
        """A parameter annotated int (or float) carries a number, never text."""
        if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
        for arg in (*scope.args.posonlyargs, *scope.args.args, *scope.args.kwonlyargs):
            if arg.arg == name and arg.annotation is not None:
                return ast.unparse(arg.annotation) in ("int", "float")
        return False

    def sql_calls(self) -> list[tuple[ast.Call, ast.AST]]:
        calls = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and node.args:
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if name in SQL_CALLS:
                    calls.append((node, self._function_of(node) or self.tree))
        return calls


def _modules() -> list[Module]:
    return [Module(p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "include").rglob("*.py"))]


def problems(module: Module) -> list[str]:
    found = []
    for call, scope in module.sql_calls():
        module.unproven.clear()
        if not module.owned(call.args[0], scope):
            where = f"{module.path}:{call.lineno}"
            detail = "; ".join(dict.fromkeys(module.unproven)) or ast.unparse(call.args[0])[:100]
            found.append(f"{where}: SQL not from include/sql or constants: {detail}")
    return found


def test_every_sql_call_in_include_runs_sql_the_code_owns():
    modules = _modules()
    calls = sum(len(m.sql_calls()) for m in modules)
    assert calls >= 25, "the check sees the SQL calls"
    found = [problem for module in modules for problem in problems(module)]
    assert found == [], "\n".join(found)


def test_every_reviewed_expression_is_still_needed(monkeypatch):
    """A reviewed expression the check can prove, or that left the code, must leave REVIEWED too."""
    for entry in list(REVIEWED):
        monkeypatch.setattr(f"{__name__}.REVIEWED", {k: v for k, v in REVIEWED.items() if k != entry})
        assert any(problems(module) for module in _modules()), f"{entry} is no longer needed in REVIEWED"
        monkeypatch.undo()


BAD = {
    "f-string with a value": 'def f(conn, nama):\n    conn.execute(text(f"SELECT * FROM t WHERE nama = \'{nama}\'"))\n',
    "concatenation": 'def f(conn, nik):\n    conn.exec_driver_sql("DELETE FROM t WHERE nik = " + nik)\n',
    "%-formatting": 'def f(cur, nik):\n    cur.execute("SELECT %s" % nik)\n',
    "str.format": 'def f(cur, nik):\n    cur.execute("SELECT {}".format(nik))\n',
    "a parameter fed with input": (
        'def run(conn, statement):\n    conn.execute(text(statement))\n\n'
        'def caller(conn, row):\n    run(conn, f"INSERT INTO t VALUES (\'{row.nama}\')")\n'),
}
GOOD = {
    "a file of include/sql": 'def f(conn):\n    conn.execute(text(query("select_rincian_iuran")), {"periode": "2025-07"})\n',
    "statements in a loop": 'def f(conn):\n    for s in statements("delete_periode"):\n        conn.execute(text(s))\n',
    "quoted identifiers": (
        'def f(conn, table, columns):\n    names = ", ".join(quote(c) for c in columns)\n'
        '    conn.exec_driver_sql(f"INSERT INTO {quote(table)} ({names}) VALUES (?)", [])\n'),
    "a parameter fed from a file": (
        'def run(conn, statement):\n    conn.execute(text(statement))\n\n'
        'def caller(conn):\n    run(conn, query("count_dim_wilayah"))\n'),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_the_check_fails_sql_built_from_values(name):
    assert problems(Module("sample.py", BAD[name])), name


@pytest.mark.parametrize("name", sorted(GOOD))
def test_the_check_passes_sql_the_code_owns(name):
    assert problems(Module("sample.py", GOOD[name])) == [], name
