/** Expressive filters (shared by the filter bar of every list): the condition form and the labels of `f` chips. */
export { ConditionForm } from "./ConditionForm";
export { describeCondition } from "./conditions";
