/** The tasks list's data: pages kept across Back, live refresh, and the match count. */
export { TaskCount } from "./TaskCount";
export { useTaskList } from "./useTaskList";
