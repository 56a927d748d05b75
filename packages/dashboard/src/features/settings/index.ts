/** Project and key management (the security API): rename and create projects, create and revoke keys. */
export { KeysCard } from "./KeysCard";
export { ProjectCard } from "./ProjectCard";
