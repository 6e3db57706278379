// JMESPath filters (--filter), projections (--select) and the TUI's filter box, compiled once.
export {
  compileFilter,
  compileProjection,
  describeEvaluationErrors,
  isTruthy,
  type EvaluationErrors,
  type EventFilter,
  type EventProjection,
} from "./filter.js";
export { compilePaneFilter, looksLikeExpression, type PaneFilter, type PaneFilterKind } from "./pane-filter.js";
export { literalPrefilter, literalPrefilterFor, requiredLiterals } from "./prefilter.js";
export { REGEX_INPUT_LIMIT } from "./runtime.js";
