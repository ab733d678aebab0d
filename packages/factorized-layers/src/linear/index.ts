export type { ContractionPlan, Implementation, OperandRecipe, PlanShape, PlannedOperand, PlannedStep, StateStep } from './contractionPlan.js';
export * from './plan.js';
export * from './runPlan.js';
export * from './factorizedLinear.js';
export type { FromLinearListOptions, FromLinearOptions, LinearLike } from './factorizedLinearFrom.js';
