/** Analytics in the dashboard: events and their review, the backlog, A/B with significance. */
export { AbComparePage } from "./AbComparePage";
export { AnalyticsOverview } from "./AnalyticsOverview";
export { AnalyticsFilter } from "./AnalyticsFilter";
export { EventBadges } from "./EventBadges";
export { EventsPage } from "./EventsPage";
export { SessionAnalytics } from "./SessionAnalytics";
export { SessionBadges } from "./SessionBadges";
export { TaskReview } from "./TaskReview";
