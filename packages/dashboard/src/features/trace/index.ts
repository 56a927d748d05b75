/** The trace feature: a task's steps as a waterfall with a step's detail. */
export { TraceView } from "./TraceView";

export { waterfall, type Row, type Waterfall } from "./layout";
