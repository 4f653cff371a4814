// A small, safe subset of Go's text/template, enough for Fulcio's CI-provider templates
// (config/identity/config.yaml): `{{ .claim }}`, `{{ index . "a/b" }}`, `{{if eq .x "y"}}…{{ else }}…{{end}}`,
// parenthesised calls, `ne`, `not`, `and`, `or`, and `{{-`/`-}}` trim markers. Evaluation follows
// `missingkey=error`: a `.field` absent from the data is an error, while `index` of an absent key gives ""
// (Go's zero value). Anything else (pipes, variables, range, with, define) is refused at compile time.

/** Raised when a template reads a key that neither the claims nor the defaults hold. */
export class MissingKeyError extends Error {
  constructor(readonly key: string) {
    super(`map has no entry for key "${key}"`);
  }
}

/** A compiled value template: a Go template (the source contains `{{`) or a bare claim name. */
export interface CompiledTemplate {
  readonly source: string;
  /**
   * Renders over `data` (claims overlaid on defaults).
   * @throws MissingKeyError when a referenced key is absent; Error on a type error (e.g. printing `.`).
   */
  render(data: ReadonlyMap<string, string>): string;
}

type Value = string | boolean | ReadonlyMap<string, string>;
type Expr =
  | { k: 'field'; name: string }
  | { k: 'dot' }
  | { k: 'str'; value: string }
  | { k: 'call'; fn: string; args: Expr[] };
type Node = { k: 'text'; text: string } | { k: 'print'; expr: Expr } | { k: 'if'; cond: Expr; then: Node[]; else: Node[] };

const FUNCS = new Set(['eq', 'ne', 'index', 'not', 'and', 'or']);

/**
 * Compiles a Fulcio extension value: a Go template if it contains `{{`, else the name of a claim to copy.
 * @throws Error naming the syntax problem (unknown action, unbalanced if/end, unsupported construct).
 */
export function compileTemplate(source: string): CompiledTemplate {
  if (!source.includes('{{')) {
    const key = source.trim();
    if (key === '') throw new Error('empty template');
    return { source, render: (data) => lookup(data, key) };
  }
  const nodes = parse(source);
  return { source, render: (data) => renderNodes(nodes, data) };
}

function lookup(data: ReadonlyMap<string, string>, key: string): string {
  const v = data.get(key);
  if (v === undefined) throw new MissingKeyError(key);
  return v;
}

function parse(source: string): Node[] {
  // Split into text and actions, applying trim markers.
  const parts: ({ text: string } | { action: string })[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      parts.push({ text: source.slice(i) });
      break;
    }
    parts.push({ text: source.slice(i, open) });
    const close = source.indexOf('}}', open + 2);
    if (close < 0) throw new Error(`unclosed action at offset ${open}`);
    let body = source.slice(open + 2, close);
    if (/^-\s/.test(body)) {
      const last = parts[parts.length - 1] as { text: string };
      last.text = last.text.trimEnd();
      body = body.slice(1);
    }
    let trimNext = false;
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      trimNext = true;
    }
    parts.push({ action: body.trim() });
    i = close + 2;
    if (trimNext) while (i < source.length && /\s/.test(source[i] as string)) i++;
  }
  // Build the tree with a stack of open `if`s.
  const root: Node[] = [];
  const stack: { node: Extract<Node, { k: 'if' }>; inElse: boolean; depth: number }[] = [];
  const target = (): Node[] => {
    const top = stack[stack.length - 1];
    return top === undefined ? root : top.inElse ? top.node.else : top.node.then;
  };
  for (const p of parts) {
    if ('text' in p) {
      if (p.text !== '') target().push({ k: 'text', text: p.text });
      continue;
    }
    const tokens = tokenize(p.action);
    const head = tokens[0];
    if (head === 'if') {
      const node: Node = { k: 'if', cond: parseExpr(tokens.slice(1)), then: [], else: [] };
      target().push(node);
      stack.push({ node, inElse: false, depth: 1 });
    } else if (head === 'else') {
      const top = stack[stack.length - 1];
      if (top === undefined || top.inElse) throw new Error('{{else}} without a matching {{if}}');
      top.inElse = true;
      if (tokens[1] === 'if') {
        // `else if c` is sugar for `else` + a nested `if` closed by the same `end`.
        const node: Node = { k: 'if', cond: parseExpr(tokens.slice(2)), then: [], else: [] };
        top.node.else.push(node);
        stack.push({ node, inElse: false, depth: 0 });
      } else if (tokens.length > 1) throw new Error(`unexpected ${tokens[1]} after else`);
    } else if (head === 'end') {
      if (tokens.length > 1) throw new Error('unexpected tokens after end');
      if (stack.length === 0) throw new Error('{{end}} without a matching {{if}}');
      while (stack.length > 0 && (stack.pop() as { depth: number }).depth === 0);
    } else if (head === undefined) {
      throw new Error('empty action {{}}');
    } else {
      const expr = parseExpr(tokens);
      if (expr.k === 'dot') throw new Error('cannot print the whole data map ({{.}})');
      target().push({ k: 'print', expr });
    }
  }
  if (stack.length > 0) throw new Error('unclosed {{if}} (missing {{end}})');
  return root;
}

function tokenize(action: string): string[] {
  const out: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\(|\)|[^\s()"`]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < action.length && (m = re.exec(action)) !== null) {
    out.push(m[1] as string);
    pos = re.lastIndex;
  }
  if (action.slice(pos).trim() !== '') throw new Error(`cannot tokenize action "${action}"`);
  return out;
}

function parseExpr(tokens: string[]): Expr {
  let pos = 0;
  const operand = (): Expr => {
    const t = tokens[pos++];
    if (t === undefined) throw new Error('missing operand');
    if (t === '(') {
      const e = command(true);
      if (tokens[pos++] !== ')') throw new Error('missing )');
      return e;
    }
    if (t === '.') return { k: 'dot' };
    if (/^\.[A-Za-z_][A-Za-z0-9_]*$/.test(t)) return { k: 'field', name: t.slice(1) };
    if (t.startsWith('"')) return { k: 'str', value: JSON.parse(t) as string };
    if (t.startsWith('`')) return { k: 'str', value: t.slice(1, -1) };
    if (t === '|' || t.startsWith('$')) throw new Error(`unsupported template construct ${t}`);
    throw new Error(`unsupported operand ${t}`);
  };
  const command = (nested: boolean): Expr => {
    const t = tokens[pos];
    if (t !== undefined && FUNCS.has(t)) {
      pos++;
      const args: Expr[] = [];
      while (pos < tokens.length && tokens[pos] !== ')') args.push(operand());
      if (args.length === 0 || (t === 'not' && args.length !== 1) || ((t === 'eq' || t === 'ne') && args.length < 2)) {
        throw new Error(`wrong number of arguments for ${t}`);
      }
      return { k: 'call', fn: t, args };
    }
    const e = operand();
    if (!nested && pos < tokens.length) throw new Error(`unexpected ${tokens[pos]} (only functions take arguments)`);
    return e;
  };
  const e = command(false);
  if (pos < tokens.length) throw new Error(`unexpected ${tokens[pos]}`);
  return e;
}

function evaluate(e: Expr, data: ReadonlyMap<string, string>): Value {
  switch (e.k) {
    case 'dot':
      return data;
    case 'str':
      return e.value;
    case 'field':
      return lookup(data, e.name);
    case 'call': {
      const args = e.args.map((a) => evaluate(a, data));
      switch (e.fn) {
        case 'index': {
          const [m, ...keys] = args;
          if (!(m instanceof Map) || keys.length !== 1 || typeof keys[0] !== 'string') throw new Error('index needs a map and one string key');
          return (m as ReadonlyMap<string, string>).get(keys[0]) ?? '';
        }
        case 'eq':
          return args.slice(1).some((a) => a === args[0]);
        case 'ne':
          return args[0] !== args[1];
        case 'not':
          return !truthy(args[0] as Value);
        case 'and':
          return args.find((a) => !truthy(a)) ?? (args[args.length - 1] as Value);
        default: // or
          return args.find((a) => truthy(a)) ?? (args[args.length - 1] as Value);
      }
    }
  }
}

function truthy(v: Value): boolean {
  return typeof v === 'string' ? v !== '' : typeof v === 'boolean' ? v : v.size > 0;
}

function renderNodes(nodes: Node[], data: ReadonlyMap<string, string>): string {
  let out = '';
  for (const n of nodes) {
    if (n.k === 'text') out += n.text;
    else if (n.k === 'if') out += renderNodes(truthy(evaluate(n.cond, data)) ? n.then : n.else, data);
    else {
      const v = evaluate(n.expr, data);
      if (typeof v === 'object') throw new Error('cannot print a map');
      out += String(v);
    }
  }
  return out;
}
