// A Stryker ignorer: mutants that only change the wording of a message a person reads (a
// finding's message, a registry problem, an error's text, a policy's description) are not
// counted. Tests pin the wording where it matters (test/registry/invalid.test.ts has exact
// messages); counting every replacement of a sentence by "" would make the score measure prose,
// not behaviour.
//
// A string or template literal is message text when, climbing through `+` concatenations,
// conditional branches and enclosing templates, it is the value of a message-like property
// (MESSAGE_KEYS), the message argument of `finding(...)`, the argument of an `...Error(...)` or
// of `notes.push(...)` / `problems.push(...)`, or what a `...Problem` / `...Message` function
// returns. What a message interpolates goes with it (`is` / `are`, `tag` / `tags`), except
// arithmetic: a template whose `${...}` computes a figure (`drop ${count - max}`) is still
// mutated, because that number is a result a person acts on.
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

const MESSAGE_KEYS = new Set([
  "message",
  "problem",
  "remediation",
  "description",
  "detail",
  "hint",
  "blocksWhen",
  "advisories",
]);
const MESSAGE_LISTS = /^(notes|problems|messages|lines|parts)$/;
const MESSAGE_FUNCTIONS = /(Problem|Message|Note|Wording)$/;
const ARITHMETIC = new Set(["-", "*", "/", "%", "**"]);

function holdsArithmetic(node) {
  if (node === null || typeof node !== "object") return false;
  if (node.type === "UpdateExpression") return true;
  if (node.type === "BinaryExpression" && ARITHMETIC.has(node.operator)) return true;
  for (const [key, value] of Object.entries(node)) {
    if (key === "loc" || key === "start" || key === "end" || key === "extra") continue;
    if (Array.isArray(value) ? value.some(holdsArithmetic) : holdsArithmetic(value)) return true;
  }
  return false;
}

function calleeName(callee) {
  if (callee.type === "Identifier") return callee.name;
  if (callee.type === "MemberExpression" && callee.property.type === "Identifier") {
    return callee.property.name;
  }
  return undefined;
}

function enclosingFunctionName(path) {
  const fn = path.getFunctionParent();
  if (fn === null) return undefined;
  if (fn.node.id?.name !== undefined) return fn.node.id.name;
  const parent = fn.parentPath;
  if (parent?.isVariableDeclarator() && parent.node.id.type === "Identifier") {
    return parent.node.id.name;
  }
  return undefined;
}

function isMessageText(path) {
  let current = path;
  for (;;) {
    const parent = current.parentPath;
    if (parent === null) return false;
    const node = parent.node;
    if (node.type === "TemplateLiteral" || node.type === "TSAsExpression") {
      current = parent;
    } else if (node.type === "BinaryExpression" && node.operator === "+") {
      current = parent;
    } else if (node.type === "ConditionalExpression" && current.node !== node.test) {
      current = parent;
    } else if (node.type === "ObjectProperty") {
      const key = node.key.type === "Identifier" ? node.key.name : node.key.value;
      return current.node === node.value && MESSAGE_KEYS.has(key);
    } else if (node.type === "NewExpression" || node.type === "CallExpression") {
      if (node.callee === current.node) return false;
      const name = calleeName(node.callee);
      if (name !== undefined && /Error$/.test(name)) return true;
      if (name === "finding") return node.arguments.indexOf(current.node) === 3;
      return (
        name === "push" &&
        node.callee.type === "MemberExpression" &&
        node.callee.object.type === "Identifier" &&
        MESSAGE_LISTS.test(node.callee.object.name)
      );
    } else if (node.type === "ReturnStatement") {
      const name = enclosingFunctionName(parent);
      return name !== undefined && MESSAGE_FUNCTIONS.test(name);
    } else {
      return false;
    }
  }
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "message-text", {
    shouldIgnore(path) {
      if (!path.isStringLiteral() && !path.isTemplateLiteral()) return undefined;
      if (path.isTemplateLiteral() && path.node.expressions.some(holdsArithmetic)) return undefined;
      return isMessageText(path) ? "Message text: wording, not behaviour" : undefined;
    },
  }),
];
