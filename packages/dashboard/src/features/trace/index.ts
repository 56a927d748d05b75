/** The trace feature: a task's steps as a waterfall with a step's detail, and the step count for task lists. */
export { TraceView } from "./TraceView";
export { StepCount } from "./StepCount";
export { waterfall, type Row, type Waterfall } from "./layout";
