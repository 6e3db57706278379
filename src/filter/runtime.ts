// One private JMESPath interpreter for the whole program, with the EVE helper functions and null-tolerant
// built-ins. Private (not the library's shared singleton) so registering functions here cannot clash with, or
// change the behaviour of, any other user of the library in the same process.

import {
  TreeInterpreter,
  TYPE_ANY,
  TYPE_NULL,
  TYPE_STRING,
  type InputSignature,
  type JSONValue,
} from "@jmespath-community/jmespath";
import { ipInCidr, parseCidr, type ParsedCidr } from "./cidr.js";
import { RE2JS } from "re2js";

type Interpreter = typeof TreeInterpreter;
type Runtime = Interpreter["runtime"];
type RuntimeArgs = (JSONValue | object)[];

/** Longest input regex_match looks at: bounds the cost of a backtracking pattern on attacker-sized strings. */
export const REGEX_INPUT_LIMIT = 4096;
const REGEX_FLAGS = /^[imsu]*$/;
const CACHE_LIMIT = 256;

const cidrCache = new Map<string, ParsedCidr | null>();
const regexCache = new Map<string, CompiledRegex>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  const hit = cache.get(key);
  if (hit !== undefined || cache.has(key)) return hit as T;
  const value = make();
  // Patterns usually come from a literal in the expression; a bounded cache survives patterns built per event.
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** Parses a CIDR once; throws with a message naming the bad value. */
export function cidrFromArgument(cidr: string): ParsedCidr {
  const parsed = cached(cidrCache, cidr, () => parseCidr(cidr));
  if (parsed === null) throw new Error(`cidr_match() expects a network like '10.0.0.0/8' or 'fd00::/8', got '${cidr}'`);
  return parsed;
}

/** What regex_match needs of a compiled pattern. */
export interface CompiledRegex {
  test(text: string): boolean;
}

const RE2_FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, u: 0 };

/**
 * Compiles a regex_match pattern once; throws with a message naming the bad pattern. RE2 semantics (re2js):
 * matching takes time linear in the input whatever the pattern, so no event text can stall the filter, where a
 * backtracking engine spent minutes on `(a|aa)+$` against 40 attacker-chosen characters. RE2 has no
 * backreferences or lookaround; such patterns are refused when the expression is compiled.
 */
export function regexFromArgument(pattern: string, flags = ""): CompiledRegex {
  return cached(regexCache, `${flags}/${pattern}`, () => {
    if (!REGEX_FLAGS.test(flags)) throw new Error(`regex_match() flags may only contain i, m, s, u; got '${flags}'`);
    let re: RE2JS;
    try {
      re = RE2JS.compile(pattern, [...flags].reduce((acc, f) => acc | RE2_FLAGS[f]!, 0));
    } catch (err) {
      const reason = (err as Error).message.replace(/^error parsing regexp: /, "");
      throw new Error(`regex_match() pattern '${pattern}' is invalid (RE2 syntax: no backreferences or lookaround): ${reason}`);
    }
    return { test: (text: string) => re.matcher(text).find() };
  });
}

function cidrMatch([ip, cidr]: RuntimeArgs): JSONValue {
  if (typeof cidr !== "string") throw new Error("cidr_match() expects a string network as its second argument");
  const network = cidrFromArgument(cidr);
  return typeof ip === "string" && ipInCidr(ip, network);
}

function regexMatch([subject, pattern, flags]: RuntimeArgs): JSONValue {
  const regex = regexFromArgument(pattern as string, typeof flags === "string" ? flags : "");
  const text = subject as string;
  return regex.test(text.length > REGEX_INPUT_LIMIT ? text.slice(0, REGEX_INPUT_LIMIT) : text);
}

// EVE fields are often missing: a missing (null) argument where a function wants a string, array or object
// makes the function return null (falsy in a filter) instead of failing the whole evaluation. Signatures stay
// untouched so a real type error (a string given to abs()) still reports the types the function accepts.
function makeFunctionsNullTolerant(runtime: Runtime): void {
  const nullAccepted = (arg: InputSignature) => arg.types.includes(TYPE_ANY) || arg.types.includes(TYPE_NULL);
  const callFunction = runtime.callFunction.bind(runtime);
  runtime.callFunction = (name: string, args: RuntimeArgs): JSONValue => {
    const signature = runtime._functionTable[name]?._signature;
    if (signature !== undefined) {
      for (let i = 0; i < args.length; i++) {
        if (args[i] !== null) continue;
        const spec = signature[i] ?? (signature[signature.length - 1]?.variadic ? signature[signature.length - 1] : undefined);
        if (spec !== undefined && !nullAccepted(spec)) return null;
      }
    }
    return callFunction(name, args as JSONValue[]);
  };
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The library looks fields up with `value[name]`, which reaches Object.prototype: `--filter toString` matched
 * every event and `--select __proto__` printed `{}`. Events are JSON: only their own keys are fields.
 */
function ownFieldsOnly(interpreter: Interpreter): void {
  const visit = interpreter.visit.bind(interpreter);
  interpreter.visit = (node, value) => {
    if (node.type === "Field") {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
      return hasOwn.call(value, node.name) ? ((value as Record<string, JSONValue>)[node.name] ?? null) : null;
    }
    return visit(node, value);
  };
}

function makeNullTolerant(interpreter: Interpreter): Interpreter {
  ownFieldsOnly(interpreter);
  makeFunctionsNullTolerant(interpreter.runtime);
  // `let` expressions evaluate in a child interpreter that shares the function table but has a runtime of its
  // own: give it the same tolerance.
  const withScope = interpreter.withScope.bind(interpreter);
  interpreter.withScope = (scope) => makeNullTolerant(withScope(scope));
  return interpreter;
}

function createInterpreter(): Interpreter {
  // The library exports only its shared instance; its class gives us a fresh one with its own function table.
  const InterpreterClass = TreeInterpreter.constructor as new () => Interpreter;
  const interpreter = makeNullTolerant(new InterpreterClass());
  const runtime = interpreter.runtime;
  if (!runtime.isRegistered("cidr_match")) {
    runtime.register("cidr_match", cidrMatch, [{ types: [TYPE_ANY] }, { types: [TYPE_STRING] }]);
  }
  if (!runtime.isRegistered("regex_match")) {
    runtime.register("regex_match", regexMatch, [
      { types: [TYPE_STRING] },
      { types: [TYPE_STRING] },
      { types: [TYPE_STRING], optional: true },
    ]);
  }
  return interpreter;
}

/** The interpreter every compiled filter and projection evaluates with (created once per process). */
export const interpreter: Interpreter = createInterpreter();

/** Names and argument counts of the functions expressions may call, for checking an expression when compiled. */
export function functionSignature(name: string): InputSignature[] | undefined {
  return interpreter.runtime._functionTable[name]?._signature;
}
