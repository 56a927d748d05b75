/** The conversation feature: a task's messages in order, from any provider's raw shape. */
export { Conversation } from "./Conversation";
export { conversationOf, type Message, type Role, type ToolCall } from "./messages";
