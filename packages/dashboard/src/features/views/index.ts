/** Saved views: stored per project on the server, listed in the navigation, shareable by link. */
export { OpenView } from "./OpenView";
export { SaveView } from "./SaveView";
export { ViewsNav } from "./ViewsNav";
